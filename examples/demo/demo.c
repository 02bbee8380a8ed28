/*
 * demo - what code generated from the bundled schema can do.
 *
 * Built by "make demo" from schema/qapi-schema.json: prints an enum's
 * lookup table, reads a VhostStatus from JSON text (uint64 members up to
 * 2^64-1, exactly), writes it back, takes it through a jansson value,
 * clones and compares it, and shows how strict input is.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qapi-json.h"
#include "qapi-types.h"

static const char vhost_json[] =
    "{\"n-mem-sections\": 4, \"n-tmp-sections\": 0, \"nvqs\": 2,"
    " \"vq-index\": 0, \"features\": 18446744073709551615,"
    " \"acked-features\": 5100273664, \"backend-features\": 0,"
    " \"protocol-features\": 8, \"max-queues\": 1, \"backend-cap\": 2,"
    " \"log-enabled\": false, \"log-size\": 0}";

static void show_enum(void)
{
    int i;

    printf("1. enum QapiVfioMigrationState, from vfio.json:\n");
    for (i = 0; i < QAPI_VFIO_MIGRATION_STATE__MAX; i++) {
        printf("   %d = %s\n", i, QapiVfioMigrationState_str(i));
    }
}

static int show_round_trip(void)
{
    VhostStatus *status = NULL, *copy = NULL, *back = NULL;
    QapiError *err = NULL;
    char *text = NULL;
    json_t *dom = NULL;
    int ret = 1;

    printf("\n2. qapi_VhostStatus_from_string() reads:\n   %s\n", vhost_json);
    if (!qapi_VhostStatus_from_string(vhost_json, &status, &err)) {
        fprintf(stderr, "demo: %s\n", qapi_error_get_pretty(err));
        goto out;
    }
    printf("   features = %" PRIu64 " (exact)\n", status->features);

    text = qapi_VhostStatus_to_string(status);
    printf("\n3. qapi_VhostStatus_to_string() writes:\n   %s\n", text);

    dom = qapi_VhostStatus_to_json(status);
    if (!dom || !qapi_VhostStatus_from_json(dom, &back, &err)) {
        fprintf(stderr, "demo: DOM round trip failed\n");
        goto out;
    }
    copy = qapi_clone_VhostStatus(status);
    printf("\n4. through a jansson value and back: %s; clone equal: %s\n",
           qapi_equal_VhostStatus(status, back) ? "equal" : "DIFFERENT",
           qapi_equal_VhostStatus(status, copy) ? "yes" : "NO");
    ret = !qapi_equal_VhostStatus(status, back) ||
          !qapi_equal_VhostStatus(status, copy);
out:
    qapi_error_free(err);
    qapi_free_VhostStatus(status);
    qapi_free_VhostStatus(copy);
    qapi_free_VhostStatus(back);
    json_decref(dom);
    free(text);
    return ret;
}

static int show_strictness(void)
{
    static const char *const bad[] = {
        "{\"path\": \"/machine/peripheral/net0\", \"name\": 5}",
        "{\"path\": \"/machine/p\", \"name\": \"net\", \"mtu\": 9000}",
        "{\"path\": \"/machine/peripheral/net0\"}",
        "{\"path\": \"/machine/p\", \"name\": \"net\"} trailing",
    };
    size_t i;
    int ret = 0;

    printf("\n5. strict input (VirtioInfo):\n");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        VirtioInfo *info = NULL;
        QapiError *err = NULL;

        if (qapi_VirtioInfo_from_string(bad[i], &info, &err)) {
            printf("   %s\n   -> accepted?!\n", bad[i]);
            qapi_free_VirtioInfo(info);
            ret = 1;
        } else {
            printf("   %s\n   -> %s\n", bad[i], qapi_error_get_pretty(err));
            qapi_error_free(err);
        }
    }
    return ret;
}

int main(void)
{
    int ret = 0;

    printf("qapi-c demo: C generated from schema/qapi-schema.json\n\n");
    show_enum();
    ret |= show_round_trip();
    ret |= show_strictness();
    printf("\n%s\n", ret ? "demo: FAILED" : "demo: all good");
    return ret;
}
