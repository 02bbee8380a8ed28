/*
 * fuzz/fuzz-dispatch.c - libFuzzer target: libqapi's QMP dispatcher
 * (qmp_dispatch() and qmp_dispatch_json()) with the marshallers generated
 * for tests/dispatch-schema.json (-p test-), on arbitrary requests; the
 * handlers are in dispatch-handlers.c.
 *
 * Input: one byte of QMP_DISPATCH_* flags (its low five bits), then the
 * request text.  Properties checked besides the sanitizers':
 *
 *   - qmp_dispatch() returns 1 with a response or 0 without one (never -1:
 *     memory does not run out here), and qmp_dispatch_json() agrees on
 *     whether there is one (where no key is duplicated);
 *   - a response is one line of JSON, an object with either "return" or
 *     "error" ({"class": string, "desc": string}), and "id" at most;
 *   - qmp_is_oob() does not crash.
 */
#include <stdbool.h>
#include <string.h>

#include "dispatch-handlers.h"
#include "fuzz.h"
#include "qapi/dispatch.h"

/* --- the target ------------------------------------------------------------
 */

static QmpCommandList *cmds;

/* qmp_dispatch_json()'s response: as fuzz_check_response_text() checks
 * qmp_dispatch()'s. */
static void check_response_json(json_t *rsp)
{
    json_t *error = json_object_get(rsp, "error");
    size_t n = 2;

    FUZZ_CHECK(json_is_object(rsp), "response is not an object");
    FUZZ_CHECK(!json_object_get(rsp, "return") != !error,
               "response needs one of return and error");
    if (error) {
        FUZZ_CHECK(json_is_object(error) && json_object_size(error) == 2 &&
                       json_is_string(json_object_get(error, "class")) &&
                       json_is_string(json_object_get(error, "desc")),
                   "bad error in response");
    }
    if (!json_object_get(rsp, "id")) {
        n--;
    }
    FUZZ_CHECK(json_object_size(rsp) == n, "extra members in response");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *request;
    size_t len, rsp_len = 0;
    unsigned flags;
    char *rsp = (char *)"unset";
    json_t *req, *jrsp = NULL;
    json_error_t jerr;
    int r, rj;

    if (size < 1) {
        return 0;
    }
    request = (const char *)data + 1;
    len = size - 1;
    if (!cmds) {
        cmds = fuzz_dispatch_commands();
    }
    flags = data[0] & 0x1f;

    (void)qmp_is_oob(request, len);
    /* The request is not NUL-terminated: ASan sees reads past its end. */
    r = qmp_dispatch(cmds, request, len, flags, (void *)"ctx", &rsp, &rsp_len);
    FUZZ_CHECK(r == 0 || r == 1, "qmp_dispatch returned %d", r);
    if (r == 0) {
        FUZZ_CHECK(rsp == NULL, "no response, but one stored");
    } else {
        FUZZ_CHECK(rsp != NULL && strlen(rsp) == rsp_len,
                   "bad response length");
        FUZZ_CHECK(!strchr(rsp, '\n'), "response '%s' has a newline", rsp);
        fuzz_check_response_text(rsp, rsp_len);
        free(rsp);
    }

    /*
     * The same request as a jansson value, where jansson parses it.  The
     * two agree on whether there is a response, unless keys are
     * duplicated: jansson keeps the last silently where the text input
     * reports the duplicate (fire-and-forget then fails only from text).
     */
    req = json_loadb(request, len, JSON_DECODE_ANY, &jerr);
    if (req) {
        json_t *strict = json_loadb(
            request, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);

        rj = qmp_dispatch_json(cmds, req, flags, (void *)"ctx", &jrsp);
        FUZZ_CHECK(rj == 0 || rj == 1, "qmp_dispatch_json returned %d", rj);
        FUZZ_CHECK(!strict || rj == r, "qmp_dispatch returned %d, _json %d", r,
                   rj);
        json_decref(strict);
        FUZZ_CHECK((rj == 1) == (jrsp != NULL),
                   "qmp_dispatch_json: result %d, response %p", rj,
                   (void *)jrsp);
        if (jrsp) {
            check_response_json(jrsp);
        }
        json_decref(jrsp);
        json_decref(req);
    }
    return 0;
}
