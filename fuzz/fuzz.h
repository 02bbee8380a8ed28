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

#define FUZZ_CHECK(cond, ...)                                              \
    do {                                                                   \
        if (!(cond)) {                                                     \
            fprintf(stderr, "%s:%d: property violated: %s\n", __FILE__,    \
                    __LINE__, #cond);                                      \
            fprintf(stderr, "  " __VA_ARGS__);                             \
            fputc('\n', stderr);                                           \
            abort();                                                       \
        }                                                                  \
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

#endif /* QAPI_FUZZ_H */
