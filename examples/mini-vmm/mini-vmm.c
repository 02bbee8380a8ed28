/*
 * mini-vmm - a tiny "virtual machine monitor" built on qapi-c.
 *
 * Reads a machine's configuration, a VmConfig (mini-vmm.json) as JSON,
 * from the file named on the command line or from standard input, and
 * checks it strictly; prints it back as compact JSON; "sets up" each
 * device, announcing it with a DEVICE_READY event on standard output;
 * and lists the commands its schema defines, from the generated
 * introspection data.
 *
 * Exit status: 0, or 1 if the configuration cannot be read or is invalid.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <qapi/error.h>
#include <qapi/event.h>

#include "qapi-events.h"
#include "qapi-introspect.h"
#include "qapi-json.h"
#include "qapi-types.h"

/* The whole of @f as a string, or NULL on error or out of memory. */
static char *read_all(FILE *f)
{
    size_t len = 0, size = 4096;
    char *buf = malloc(size), *bigger;
    size_t n;

    while (buf && (n = fread(buf + len, 1, size - len - 1, f)) > 0) {
        len += n;
        if (size - len == 1) {
            bigger = realloc(buf, size * 2);
            if (!bigger) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            size *= 2;
        }
    }
    if (!buf || ferror(f)) {
        free(buf);
        return NULL;
    }
    buf[len] = '\0';
    return buf;
}

static void set_up_devices(const VmConfig *vm)
{
    static int out_fd = 1;
    const DeviceConfigList *dev;

    /* Events go straight to file descriptor 1, past stdio's buffer. */
    fflush(stdout);
    qapi_event_set_emitter(qapi_event_fd_sink, &out_fd);
    for (dev = vm->devices; dev; dev = dev->next) {
        qapi_event_send_device_ready(dev->value->id, dev->value->kind);
    }
    qapi_event_set_emitter(NULL, NULL);
}

/* Print the names of the commands in the introspection data. */
static int list_commands(void)
{
    json_t *schema = qmp_schema_json(), *info;
    size_t i;

    if (!schema) {
        return 1;
    }
    printf("commands:");
    json_array_foreach(schema, i, info)
    {
        const char *meta =
            json_string_value(json_object_get(info, "meta-type"));

        if (meta && !strcmp(meta, "command")) {
            printf(" %s", json_string_value(json_object_get(info, "name")));
        }
    }
    printf("\n");
    json_decref(schema);
    return 0;
}

int main(int argc, char **argv)
{
    const char *fname = argc > 1 ? argv[1] : "-";
    FILE *f = strcmp(fname, "-") ? fopen(fname, "r") : stdin;
    VmConfig *vm = NULL;
    QapiError *err = NULL;
    char *text, *back;
    int ret;

    if (argc > 2) {
        fprintf(stderr, "usage: mini-vmm [CONFIG.json]\n");
        return 2;
    }
    if (!f) {
        perror(fname);
        return 1;
    }
    text = read_all(f);
    if (f != stdin) {
        fclose(f);
    }
    if (!text) {
        fprintf(stderr, "mini-vmm: cannot read %s\n", fname);
        return 1;
    }
    if (!qapi_VmConfig_from_string(text, &vm, &err)) {
        fprintf(stderr, "mini-vmm: %s: %s\n", fname,
                qapi_error_get_pretty(err));
        qapi_error_free(err);
        free(text);
        return 1;
    }
    free(text);

    back = qapi_VmConfig_to_string(vm);
    printf("config: %s\n", back ? back : "(out of memory)");
    printf("machine %s: %" PRIu64 " MiB of memory, device kinds:", vm->name,
           vm->mem_size >> 20);
    for (const DeviceConfigList *dev = vm->devices; dev; dev = dev->next) {
        printf(" %s", DeviceKind_str(dev->value->kind));
    }
    printf("\n");
    set_up_devices(vm);
    ret = list_commands();
    free(back);
    qapi_free_VmConfig(vm);
    return ret || !back;
}
