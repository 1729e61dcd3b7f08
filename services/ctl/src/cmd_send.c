/* cmd_send.c — q2octl send FILE|- : a command as JSON, sent, its result awaited. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/limits.h"
#include "ctl/json.h"

static const ctl_flag send_flags[] = {
    {"dry-run", NULL, "print the command as it would be sent (ids filled) and exit"},
    {NULL, NULL, NULL},
};

static const ctl_sub send_sub = {
    "send", "FILE|- [--dry-run]",
    "Send one command written as JSON (services/ctl/README.md) to the commands topic, keyed by its quote id,\n"
    "and wait for its result. command_id and correlation_id are generated when absent.",
    send_flags, NULL};

/* The whole of FILE (or stdin for "-"), NUL-terminated; bounded by the
 * largest command the wire accepts. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    size_t cap = 4096, n = 0;
    char *buf = f ? malloc(cap) : NULL;
    if (!buf)
        goto out;
    for (;;) {
        if (n + 1 == cap) {
            char *more = cap < Q2O_MAX_MESSAGE_BYTES ? realloc(buf, cap * 2) : NULL;
            if (!more) {
                free(buf);
                buf = NULL;
                goto out;
            }
            buf = more, cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    buf[n] = '\0';
    *len = n;
out:
    if (f && f != stdin)
        fclose(f);
    return buf;
}

int ctl_cmd_send(int argc, char **argv)
{
    ctl_args a;
    char err[1024];
    size_t len = 0;
    if (ctl_parse(&send_sub, argc, argv, &a) != 0)
        return CTL_EXIT_USAGE;
    if (a.help) {
        ctl_help(&send_sub, stdout);
        return CTL_EXIT_OK;
    }
    if (a.n_pos != 1)
        return ctl_usage_error(&send_sub, "expected one FILE (or - for stdin)");
    char *text = slurp(a.pos[0], &len);
    if (!text) {
        fprintf(stderr, "q2octl send: cannot read %s (missing, unreadable or above %u bytes)\n", a.pos[0],
                Q2O_MAX_MESSAGE_BYTES);
        return CTL_EXIT_USAGE;
    }
    q2o_command cmd;
    q2o_err e = q2o_ctl_command_parse(text, len, &cmd, err, sizeof err);
    free(text);
    if (e != Q2O_OK) {
        fprintf(stderr, "q2octl send: %s: %s\n", a.pos[0], err);
        return CTL_EXIT_USAGE;
    }
    return ctl_send_command(&a, &cmd);
}
