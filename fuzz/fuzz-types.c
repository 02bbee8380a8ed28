/*
 * fuzz/fuzz-types.c - libFuzzer target: the generated JSON functions of
 * tests/schema/test-types.json (every built-in type, optional members,
 * nesting, base chains, lists, unions, alternates, mangled names) and of
 * libqapi's built-in lists.
 *
 * Input: "TYPE\nJSON".  TYPE names the type to read (see types[] below;
 * a TYPE that names none picks one from its bytes), JSON is handed to
 * qapi_TYPE_from_string() and, parsed by jansson, to
 * qapi_TYPE_from_json().  Properties checked besides the sanitizers':
 *
 *   - failure sets an error with a message, success none;
 *   - what was read is written back by _to_string(), which reads back
 *     into an equal value and is written again into the same text;
 *   - _clone() is equal; _to_json() reads back (_from_json()) equal;
 *   - when both the text and the jansson value are read, they are equal.
 */
#include <stdbool.h>
#include <string.h>

#include "fuzz.h"
#include "qapi-json.h"
#include "qapi-types.h"
#include "qapi/qapi-builtin-json.h"

/* The error set by a failed read: there must be one, with a message. */
static void check_failure(QapiError *err, const char *what)
{
    FUZZ_CHECK(err != NULL, "%s failed without an error", what);
    FUZZ_CHECK(qapi_error_get_pretty(err) != NULL &&
                   qapi_error_get_pretty(err)[0] != 0,
               "%s failed with an empty message", what);
    qapi_error_free(err);
}

/*
 * check_T(text, json): the properties above for type T.  A macro, not a
 * function taking function pointers: the generated functions differ in
 * their pointer types.
 */
#define DEFINE_CHECK(T)                                                        \
    static void check_##T(const char *text, json_t *json)                      \
    {                                                                          \
        T *v = NULL, *w = NULL, *c, *jv = NULL;                                \
        QapiError *err = NULL;                                                 \
        char *s, *s2;                                                          \
        json_t *j;                                                             \
        bool ok = qapi_##T##_from_string(text, &v, &err);                      \
                                                                               \
        if (!ok) {                                                             \
            FUZZ_CHECK(v == NULL, #T "_from_string failed but set a value");   \
            check_failure(err, #T "_from_string");                             \
            err = NULL;                                                        \
        } else {                                                               \
            FUZZ_CHECK(err == NULL, #T "_from_string set an error: %s",        \
                       qapi_error_get_pretty(err));                            \
            s = qapi_##T##_to_string(v);                                       \
            FUZZ_CHECK(s != NULL, #T "_to_string failed");                     \
            if (!qapi_##T##_from_string(s, &w, &err)) {                        \
                FUZZ_CHECK(0, #T ": '%s' does not read back: %s", s,           \
                           qapi_error_get_pretty(err));                        \
            }                                                                  \
            FUZZ_CHECK(qapi_equal_##T(v, w), #T ": '%s' reads back different", \
                       s);                                                     \
            s2 = qapi_##T##_to_string(w);                                      \
            FUZZ_CHECK(s2 && !strcmp(s, s2),                                   \
                       #T ": '%s' is written back as '%s'", s,                 \
                       s2 ? s2 : "(null)");                                    \
            free(s2);                                                          \
            qapi_free_##T(w);                                                  \
            w = NULL;                                                          \
            c = qapi_clone_##T(v);                                             \
            FUZZ_CHECK(qapi_equal_##T(v, c), #T ": clone of '%s' differs", s); \
            qapi_free_##T(c);                                                  \
            j = qapi_##T##_to_json(v);                                         \
            FUZZ_CHECK(j != NULL, #T "_to_json failed");                       \
            if (!qapi_##T##_from_json(j, &w, &err)) {                          \
                FUZZ_CHECK(0,                                                  \
                           #T ": _to_json() of '%s' does not read back: "      \
                              "%s",                                            \
                           s, qapi_error_get_pretty(err));                     \
            }                                                                  \
            FUZZ_CHECK(qapi_equal_##T(v, w),                                   \
                       #T ": _to_json() of '%s' reads back different", s);     \
            qapi_free_##T(w);                                                  \
            json_decref(j);                                                    \
            free(s);                                                           \
        }                                                                      \
        if (json) {                                                            \
            if (!qapi_##T##_from_json(json, &jv, &err)) {                      \
                FUZZ_CHECK(jv == NULL,                                         \
                           #T "_from_json failed but set a value");            \
                check_failure(err, #T "_from_json");                           \
            } else {                                                           \
                FUZZ_CHECK(err == NULL, #T "_from_json set an error");         \
                FUZZ_CHECK(!ok || qapi_equal_##T(v, jv),                       \
                           #T ": text and jansson readings differ");           \
            }                                                                  \
            qapi_free_##T(jv);                                                 \
        }                                                                      \
        qapi_free_##T(v);                                                      \
    }

/* Every type with JSON functions (TestDisabled is compiled out). */
#define FUZZ_TYPES(X)                                                          \
    X(TestInner)                                                               \
    X(TestEmpty)                                                               \
    X(TestInnerList)                                                           \
    X(TestEnumList)                                                            \
    X(TestBuiltins)                                                            \
    X(TestOptional)                                                            \
    X(TestMangle)                                                              \
    X(TestMiddle)                                                              \
    X(TestNested)                                                              \
    X(TestBase0)                                                               \
    X(TestBase1)                                                               \
    X(TestDerived)                                                             \
    X(TestAltScalarList)                                                       \
    X(TestLists)                                                               \
    X(TestIfMembers)                                                           \
    X(TestAllOff)                                                              \
    X(TestBranchA)                                                             \
    X(TestBranchB)                                                             \
    X(TestUnionDict)                                                           \
    X(TestUnionBase)                                                           \
    X(TestUnionNamed)                                                          \
    X(TestAltScalar)                                                           \
    X(TestAltStr)                                                              \
    X(TestAltNum)                                                              \
    X(TestAltU64)                                                              \
    X(TestAltSize)                                                             \
    X(TestAlts)                                                                \
    X(strList)                                                                 \
    X(numberList)                                                              \
    X(intList)                                                                 \
    X(int8List)                                                                \
    X(uint64List)                                                              \
    X(sizeList)                                                                \
    X(boolList)                                                                \
    X(nullList)                                                                \
    X(anyList)                                                                 \
    X(QTypeList)

FUZZ_TYPES(DEFINE_CHECK)

static const struct {
    const char *name;
    void (*check)(const char *text, json_t *json);
} types[] = {
#define TYPE_ENTRY(T) {#T, check_##T},
    FUZZ_TYPES(TYPE_ENTRY)
#undef TYPE_ENTRY
};
#define NTYPES (sizeof(types) / sizeof(types[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t namelen, i, pick = 0;
    char *text;
    json_t *json;

    if (!nl) {
        return 0;
    }
    namelen = (size_t)(nl - data);
    for (i = 0; i < NTYPES; i++) {
        if (strlen(types[i].name) == namelen &&
            !memcmp(types[i].name, data, namelen)) {
            break;
        }
    }
    if (i == NTYPES) {
        for (i = 0; i < namelen; i++) {
            pick = pick * 31 + data[i];
        }
        i = pick % NTYPES;
    }
    /* From here on a C string: the functions take NUL-terminated text. */
    text = fuzz_strndup(nl + 1, size - namelen - 1);
    json = json_loads(text, JSON_DECODE_ANY, NULL);
    types[i].check(text, json);
    json_decref(json);
    free(text);
    return 0;
}
