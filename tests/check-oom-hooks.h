/*
 * check-oom-hooks.h - forced into every file of tests/check-oom (the
 * runtime's sources included) with -include: routes the runtime's
 * malloc(), calloc() and realloc() through hooks that check-oom.c can make
 * fail.  free() is left alone.
 */
#ifndef CHECK_OOM_HOOKS_H
#define CHECK_OOM_HOOKS_H

#include <stdlib.h>

void *check_oom_malloc(size_t size);
void *check_oom_calloc(size_t n, size_t size);
void *check_oom_realloc(void *p, size_t size);

#define malloc(size) check_oom_malloc(size)
#define calloc(n, size) check_oom_calloc(n, size)
#define realloc(p, size) check_oom_realloc(p, size)

#endif /* CHECK_OOM_HOOKS_H */
