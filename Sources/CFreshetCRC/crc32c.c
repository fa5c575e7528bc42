// Hardware CRC32C with the SSE4.2 crc32 instruction (see include/CFreshetCRC.h).
//
// The instruction has a latency of 3 cycles and a throughput of 1 per cycle, so a
// large buffer is split in three lanes checksummed together and then combined
// (Intel's "three-way" technique); short inputs (log records are ~100-200 bytes) take a
// plain 8-bytes-per-step loop. The target attribute compiles only these functions for
// SSE4.2; callers check `freshet_crc32c_hardware_available()` (cpuid) first.

#include "CFreshetCRC.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

#define CRC_TARGET __attribute__((target("sse4.2")))

static inline uint64_t load64(const unsigned char *p) {
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

CRC_TARGET static uint32_t crc_bytes(uint32_t crc, const unsigned char *p, size_t n) {
    uint64_t c = crc;
    while (n >= 8) {
        c = __builtin_ia32_crc32di(c, load64(p));
        p += 8;
        n -= 8;
    }
    uint32_t c32 = (uint32_t)c;
    while (n > 0) {
        c32 = __builtin_ia32_crc32qi(c32, *p++);
        n--;
    }
    return c32;
}

// Multiplication of a CRC by x^(8*len) modulo the polynomial, used to combine lanes:
// the table holds, for each bit of a 32-bit value, its product with x^(8*LANE) mod P.
enum { LANE = 2048 };  // bytes per lane in the three-way loop
static uint32_t shift_table[4][256];  // shift_table[k][b] = (b << 8k) * x^(8*LANE) mod P
static int shift_ready;

// Multiply a and b, polynomials over GF(2) in the reflected representation, mod P.
static uint32_t gf2_multiply(uint32_t a, uint32_t b) {
    uint32_t product = 0;
    for (int i = 0; i < 32; i++) {
        if (a & 0x80000000u) product ^= b;
        a <<= 1;
        b = (b >> 1) ^ ((b & 1) ? 0x82F63B78u : 0);
    }
    return product;
}

static void build_shift_table(void) {
    // x^(8*LANE) mod P, reflected: start from x^0 (0x80000000 reflected) and multiply by x^8 LANE times.
    uint32_t x8 = 0x00800000u;  // x^8 in the reflected representation
    uint32_t power = 0x80000000u;  // x^0
    for (int i = 0; i < LANE; i++) power = gf2_multiply(power, x8);
    for (int k = 0; k < 4; k++) {
        for (int b = 0; b < 256; b++) {
            shift_table[k][b] = gf2_multiply((uint32_t)b << (8 * k), power);
        }
    }
    __atomic_store_n(&shift_ready, 1, __ATOMIC_RELEASE);
}

static inline uint32_t shift(uint32_t crc) {
    return shift_table[0][crc & 0xFF] ^ shift_table[1][(crc >> 8) & 0xFF]
         ^ shift_table[2][(crc >> 16) & 0xFF] ^ shift_table[3][crc >> 24];
}

CRC_TARGET uint32_t freshet_crc32c_hardware_update(uint32_t state, const void *bytes, size_t count) {
    const unsigned char *p = (const unsigned char *)bytes;
    size_t n = count;
    if (n >= 3 * LANE && __atomic_load_n(&shift_ready, __ATOMIC_ACQUIRE)) {
        uint64_t a = state;
        while (n >= 3 * LANE) {
            uint64_t b = 0, c = 0;
            const unsigned char *q = p;
            for (int i = 0; i < LANE / 8; i++, q += 8) {
                a = __builtin_ia32_crc32di(a, load64(q));
                b = __builtin_ia32_crc32di(b, load64(q + LANE));
                c = __builtin_ia32_crc32di(c, load64(q + 2 * LANE));
            }
            // crc(A||B||C) = shift(shift(a) ^ b) ^ c, for lanes started at state 0.
            a = shift(shift((uint32_t)a) ^ (uint32_t)b) ^ (uint32_t)c;
            p += 3 * LANE;
            n -= 3 * LANE;
        }
        state = (uint32_t)a;
    }
    return crc_bytes(state, p, n);
}

int freshet_crc32c_hardware_available(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("sse4.2")) return 0;
    if (!__atomic_load_n(&shift_ready, __ATOMIC_ACQUIRE)) build_shift_table();
    return 1;
}

#else

int freshet_crc32c_hardware_available(void) { return 0; }

uint32_t freshet_crc32c_hardware_update(uint32_t state, const void *bytes, size_t count) {
    (void)bytes;
    (void)count;
    return state;  // never called: hardware_available() is 0
}

#endif
