/*
 * The checksum of migration streams and device states (see checksum.h).
 */
#include <string.h>

#include "vfio/checksum.h"

#define MUL_A 0x9E3779B97F4A7C15ull
#define MUL_B 0xBF58476D1CE4E5B9ull
#define MUL_C 0x94D049BB133111EBull

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64 - r));
}

static inline uint64_t load_le64(const unsigned char *p)
{
    uint64_t w;

    memcpy(&w, p, sizeof(w));
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

/* One lane step: absorb word @w. */
static inline uint64_t lane(uint64_t acc, uint64_t w)
{
    return rotl64(acc + w * MUL_B, 29) * MUL_A;
}

static inline uint64_t avalanche(uint64_t h)
{
    h ^= h >> 31;
    h *= MUL_B;
    h ^= h >> 29;
    h *= MUL_C;
    h ^= h >> 32;
    return h;
}

#if defined(__SIZEOF_INT128__)
/*
 * Fold a 64x64 -> 128-bit product to 64 bits.  Two per 32-byte block,
 * off the accumulators' dependency chains: about three times the speed
 * of the plain lanes below.
 */
__extension__ typedef unsigned __int128 u128;

static inline uint64_t fold(uint64_t x, uint64_t y)
{
    u128 p = (u128)x * y;

    return (uint64_t)p ^ (uint64_t)(p >> 64);
}

#define KEY0 0x243F6A8885A308D3ull
#define KEY1 0x13198A2E03707344ull
#define KEY2 0xA4093822299F31D0ull
#define KEY3 0x082EFA98EC4E6C89ull

/*
 * Each 32-byte block (words w0..w3) adds to two accumulators, rotated
 * first so that the order of blocks matters: a folded product of two
 * key-masked words, plus raw words, so that a word still counts when the
 * other factor happens to be zero.
 */
static uint64_t blocks(const unsigned char **pp, const unsigned char *end,
                       uint64_t seed)
{
    const unsigned char *p = *pp;
    uint64_t h1 = seed + MUL_A, h2 = seed ^ MUL_B;

    while (end - p >= 32) {
        uint64_t w0 = load_le64(p), w1 = load_le64(p + 8);
        uint64_t w2 = load_le64(p + 16), w3 = load_le64(p + 24);
        uint64_t t1 = fold(w0 ^ KEY0, w1 ^ KEY1) + w1 + w3;
        uint64_t t2 = fold(w2 ^ KEY2, w3 ^ KEY3) + w0 + w2;

        h1 = rotl64(h1, 17) + t1;
        h2 = rotl64(h2, 29) + t2;
        p += 32;
    }
    *pp = p;
    return lane(h1, h2) ^ rotl64(h2, 31);
}
#else
static uint64_t blocks(const unsigned char **pp, const unsigned char *end,
                       uint64_t seed)
{
    const unsigned char *p = *pp;
    uint64_t a = seed + MUL_A + MUL_B;
    uint64_t b = seed + MUL_B;
    uint64_t c = seed;
    uint64_t d = seed - MUL_A;

    while (end - p >= 32) {
        a = lane(a, load_le64(p));
        b = lane(b, load_le64(p + 8));
        c = lane(c, load_le64(p + 16));
        d = lane(d, load_le64(p + 24));
        p += 32;
    }
    *pp = p;
    return rotl64(a, 1) + rotl64(b, 9) + rotl64(c, 17) + rotl64(d, 25);
}
#endif

uint64_t vfio_ref_checksum(const void *data, size_t len, uint64_t seed)
{
    /* No arithmetic on a NULL pointer, even a zero offset. */
    static const unsigned char empty[1];
    const unsigned char *p = len ? data : empty;
    const unsigned char *end = p + len;
    uint64_t h = blocks(&p, end, seed);

    h ^= (uint64_t)len * MUL_C;
    while (end - p >= 8) {
        h = lane(h, load_le64(p)) + MUL_C;
        p += 8;
    }
    while (p < end) {
        h = rotl64(h ^ (*p++ * MUL_A), 23) * MUL_B;
    }
    return avalanche(h);
}

uint64_t vfio_ref_checksum_words(const uint64_t *words, size_t n, uint64_t seed)
{
    uint64_t h = seed ^ MUL_C;

    for (size_t i = 0; i < n; i++) {
        h = lane(h, words[i]) + MUL_A;
    }
    return avalanche(h ^ n);
}
