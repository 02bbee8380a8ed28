/*
 * fuzz/fuzz.h - shared by the libFuzzer targets of fuzz/.
 *
 * Each target defines LLVMFuzzerTestOneInput() and checks properties
 * of what the code under test returns with FUZZ_CHECK(): a violated
 * property is reported like a crash (abort()), so that libFuzzer saves
 * the input.  Sanitizer reports and leaks end the run the same way.
 */
#ifndef QAPI_FUZZ_H
#define QAPI_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__,        \
                    __LINE__, #cond);                                          \
            fprintf(stderr, "  " __VA_ARGS__);                                 \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

/* @size bytes at @data as a new NUL-terminated string (NULs kept). */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);

    if (!s) {
        abort();
    }
    if (size) {
        memcpy(s, data, size);
    }
    s[size] = 0;
    return s;
}

/*
 * Where to cut @len bytes into pieces: cuts[0] = 0, then @n offsets read
 * as little-endian 16-bit words from @words (clamped to @len), in order,
 * then cuts[n + 1] = @len.  @cuts has room for n + 2.
 */
static inline void fuzz_cuts(const uint8_t *words, size_t n, size_t len,
                             size_t *cuts)
{
    size_t i, j;

    cuts[0] = 0;
    for (i = 0; i < n; i++) {
        size_t c = (size_t)words[2 * i] | (size_t)words[2 * i + 1] << 8;

        cuts[i + 1] = c < len ? c : len;
    }
    cuts[n + 1] = len;
    for (i = 2; i <= n; i++) {
        for (j = i; j > 1 && cuts[j - 1] > cuts[j]; j--) {
            size_t c = cuts[j];

            cuts[j] = cuts[j - 1];
            cuts[j - 1] = c;
        }
    }
}

#endif /* QAPI_FUZZ_H */
