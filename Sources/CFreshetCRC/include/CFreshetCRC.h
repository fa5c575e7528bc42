// CFreshetCRC: the hardware CRC32C (Castagnoli) used by FreshetStorage's CRC32C when
// the CPU has it (the SSE4.2 `crc32` instruction on x86-64). Swift cannot reach the
// instruction without a C target. FreshetStorage falls back to its portable
// slicing-by-8 table when `freshet_crc32c_hardware_available()` returns 0.

#ifndef CFRESHETCRC_H
#define CFRESHETCRC_H

#include <stddef.h>
#include <stdint.h>

/// 1 when `freshet_crc32c_hardware_update` may be called on this CPU, else 0.
int freshet_crc32c_hardware_available(void);

/// Continue the raw (non-finalized) CRC32C `state` over `count` bytes at `bytes`, with
/// the crc32 instruction. Only call it when `freshet_crc32c_hardware_available()` is 1.
uint32_t freshet_crc32c_hardware_update(uint32_t state, const void *bytes, size_t count);

#endif
