/* Physical limits of this machine, for the benchmark report (bench/workloads/physical_*.py).
 *
 *   physbench seqwrite DIR BYTES CHUNK   sequential appends of CHUNK bytes, each followed by fdatasync
 *   physbench fsync DIR COUNT            4 KiB append+fdatasync, then 4 KiB overwrite+fdatasync, COUNT each
 *   physbench tcp BYTES                  loopback TCP: a forked receiver, 256 KiB sends
 *   physbench memcpy BYTES ROUNDS        memcpy between two BYTES buffers, ROUNDS times, one thread
 *
 * Each prints one line of `key=value` pairs (seconds, bytes, microsecond percentiles).
 * Compiled by the suite with `cc -O2`; no dependencies beyond libc. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static void write_all(int fd, const char *p, size_t n) {
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        p += w;
        n -= (size_t)w;
    }
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void percentiles(const char *name, double *v, long n) {
    qsort(v, (size_t)n, sizeof(double), cmp_double);
    double sum = 0;
    for (long i = 0; i < n; i++) sum += v[i];
    printf("%s_p50_us=%.1f %s_p99_us=%.1f %s_max_us=%.1f %s_mean_us=%.1f ", name, v[n / 2] * 1e6, name,
           v[(long)(n * 0.99)] * 1e6, name, v[n - 1] * 1e6, name, sum / n * 1e6);
}

static int seqwrite(const char *dir, long bytes, long chunk) {
    char path[4096];
    snprintf(path, sizeof path, "%s/physbench.seq", dir);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    char *buf = aligned_alloc(4096, (size_t)chunk);
    for (long i = 0; i < chunk; i++) buf[i] = (char)(i * 131 + 7);
    double t0 = now();
    for (long done = 0; done < bytes; done += chunk) {
        write_all(fd, buf, (size_t)chunk);
        if (fdatasync(fd) != 0) die("fdatasync");
    }
    double dt = now() - t0;
    close(fd);
    unlink(path);
    printf("seconds=%.6f bytes=%ld chunk=%ld\n", dt, bytes, chunk);
    return 0;
}

static int fsynclat(const char *dir, long count) {
    char path[4096];
    snprintf(path, sizeof path, "%s/physbench.fsync", dir);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) die("open");
    char buf[4096];
    memset(buf, 'x', sizeof buf);
    double *lat = malloc(sizeof(double) * (size_t)count);
    /* appends that grow the file: the size change must be committed too */
    for (long i = 0; i < count; i++) {
        double t0 = now();
        write_all(fd, buf, sizeof buf);
        if (fdatasync(fd) != 0) die("fdatasync");
        lat[i] = now() - t0;
    }
    percentiles("append", lat, count);
    /* overwrites inside the already written (and synced) file */
    for (long i = 0; i < count; i++) {
        double t0 = now();
        if (pwrite(fd, buf, sizeof buf, (off_t)i * 4096) != (ssize_t)sizeof buf) die("pwrite");
        if (fdatasync(fd) != 0) die("fdatasync");
        lat[i] = now() - t0;
    }
    percentiles("overwrite", lat, count);
    printf("count=%ld\n", count);
    close(fd);
    unlink(path);
    return 0;
}

static int tcp(long bytes) {
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0) die("bind");
    socklen_t al = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &al);
    listen(ls, 1);
    const size_t chunk = 256 * 1024;
    pid_t child = fork();
    if (child == 0) {
        int s = accept(ls, NULL, NULL);
        char *buf = malloc(chunk);
        long got = 0;
        for (;;) {
            ssize_t r = read(s, buf, chunk);
            if (r <= 0) break;
            got += r;
        }
        _exit(got == bytes ? 0 : 2);
    }
    close(ls);
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(s, (struct sockaddr *)&a, sizeof a) != 0) die("connect");
    char *buf = malloc(chunk);
    memset(buf, 'y', chunk);
    double t0 = now();
    for (long sent = 0; sent < bytes;) {
        size_t n = (size_t)(bytes - sent) < chunk ? (size_t)(bytes - sent) : chunk;
        write_all(s, buf, n);
        sent += (long)n;
    }
    shutdown(s, SHUT_WR);
    int status = 0;
    waitpid(child, &status, 0);
    double dt = now() - t0;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "receiver did not get every byte\n");
        return 1;
    }
    printf("seconds=%.6f bytes=%ld\n", dt, bytes);
    return 0;
}

static int memcpybench(long bytes, long rounds) {
    char *a = malloc((size_t)bytes), *b = malloc((size_t)bytes);
    memset(a, 1, (size_t)bytes);
    memset(b, 2, (size_t)bytes);
    double t0 = now();
    for (long r = 0; r < rounds; r++) {
        memcpy((r & 1) ? a : b, (r & 1) ? b : a, (size_t)bytes);
    }
    double dt = now() - t0;
    /* keep the copies observable */
    long check = 0;
    for (long i = 0; i < bytes; i += 4096) check += a[i] + b[i];
    printf("seconds=%.6f bytes=%ld check=%ld\n", dt, bytes * rounds, check);
    return 0;
}

int main(int argc, char **argv) {
    if (argc >= 5 && strcmp(argv[1], "seqwrite") == 0) return seqwrite(argv[2], atol(argv[3]), atol(argv[4]));
    if (argc >= 4 && strcmp(argv[1], "fsync") == 0) return fsynclat(argv[2], atol(argv[3]));
    if (argc >= 3 && strcmp(argv[1], "tcp") == 0) return tcp(atol(argv[2]));
    if (argc >= 4 && strcmp(argv[1], "memcpy") == 0) return memcpybench(atol(argv[2]), atol(argv[3]));
    fprintf(stderr, "usage: physbench seqwrite DIR BYTES CHUNK | fsync DIR COUNT | tcp BYTES | memcpy BYTES ROUNDS\n");
    return 64;
}
