/*
 * fuzz/replay.c - runs a fuzz target's LLVMFuzzerTestOneInput() on files,
 * without libFuzzer: what "make check" does with each target's seed
 * corpus (fuzz/replay-NAME, tests/hardening.am), with whatever compiler
 * and sanitizers the build uses, and "make check-valgrind" under memcheck.
 *
 *   fuzz/replay-NAME               every file of $srcdir/fuzz/corpus/NAME
 *   fuzz/replay-NAME FILE|DIR...   those files, the files of those dirs
 *
 * FUZZ_CORPUS (the NAME) is defined when compiling.  A failing input
 * aborts (see fuzz.h); the exit status is 0 when every input ran.
 */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>

#include "fuzz.h"

static size_t replayed;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    uint8_t *data = NULL, *bigger;
    size_t len = 0, cap = 0, n;

    if (!f) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    do {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            bigger = realloc(data, cap);
            if (!bigger) {
                abort();
            }
            data = bigger;
        }
        n = fread(data + len, 1, cap - len, f);
        len += n;
    } while (n);
    if (ferror(f)) {
        fprintf(stderr, "replay: %s: read error\n", path);
        fclose(f);
        free(data);
        return -1;
    }
    fclose(f);
    /* An exact copy: ASan sees reads past the end, as under libFuzzer. */
    bigger = malloc(len ? len : 1);
    if (!bigger) {
        abort();
    }
    if (len) {
        memcpy(bigger, data, len);
    }
    free(data);
    LLVMFuzzerTestOneInput(bigger, len);
    free(bigger);
    replayed++;
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file of @dir, in name order. */
static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL, **more, *path;
    size_t n = 0, cap = 0, i;
    int ret = 0;
    struct stat st;

    if (!d) {
        fprintf(stderr, "replay: %s: %s\n", dir, strerror(errno));
        return -1;
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') {
            continue;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            more = realloc(names, cap * sizeof(*names));
            if (!more) {
                abort();
            }
            names = more;
        }
        names[n] = malloc(strlen(dir) + strlen(e->d_name) + 2);
        if (!names[n]) {
            abort();
        }
        sprintf(names[n], "%s/%s", dir, e->d_name);
        n++;
    }
    closedir(d);
    if (n) {
        qsort(names, n, sizeof(*names), cmp_names);
    }
    for (i = 0; i < n; i++) {
        path = names[i];
        if (!stat(path, &st) && S_ISREG(st.st_mode) && run_file(path) < 0) {
            ret = -1;
        }
        free(path);
    }
    free(names);
    return ret;
}

static int run_path(const char *path)
{
    struct stat st;

    if (stat(path, &st) < 0) {
        fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return S_ISDIR(st.st_mode) ? run_dir(path) : run_file(path);
}

int main(int argc, char **argv)
{
    const char *srcdir = getenv("srcdir");
    const char *sub = "/fuzz/corpus/" FUZZ_CORPUS;
    char *dir;
    int i, ret = 0;

    if (argc > 1) {
        for (i = 1; i < argc; i++) {
            if (run_path(argv[i]) < 0) {
                ret = 1;
            }
        }
    } else {
        if (!srcdir) {
            srcdir = ".";
        }
        dir = malloc(strlen(srcdir) + strlen(sub) + 1);
        if (!dir) {
            abort();
        }
        sprintf(dir, "%s%s", srcdir, sub);
        if (run_dir(dir) < 0) {
            ret = 1;
        }
        free(dir);
    }
    printf("replayed %zu inputs of fuzz target '%s'\n", replayed, FUZZ_CORPUS);
    if (!replayed) {
        fprintf(stderr, "replay: no input\n");
        ret = 1;
    }
    return ret;
}
