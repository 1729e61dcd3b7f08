/*
 * cli.h — q2octl's command-line plumbing: flags as data (so --help is
 * generated from the same table the parser reads), the global options,
 * configuration, exit codes, and the one send path every command takes.
 */
#ifndef Q2O_CTL_CLI_H
#define Q2O_CTL_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "ctl/client.h"
#include "domain/quote.h"
#include "runtime/config.h"

/* Exit codes of q2octl (README "q2octl"). */
enum {
    CTL_EXIT_OK = 0,       /* done; an accepted command */
    CTL_EXIT_REFUSED = 1,  /* refused by a domain rule; verify found a broken chain */
    CTL_EXIT_USAGE = 2,    /* bad arguments, bad JSON, bad configuration */
    CTL_EXIT_INFRA = 3,    /* Kafka or other infrastructure error; an undecodable log */
    CTL_EXIT_TIMEOUT = 4   /* no result within --timeout-ms */
};

#define CTL_MAX_ARGS 64

typedef struct ctl_flag {
    const char *name;      /* --name */
    const char *arg;       /* metavariable ("ID"); NULL: a switch */
    const char *help;
} ctl_flag;

/* Parsed arguments: flags (by table entry) and positionals. */
typedef struct ctl_args {
    size_t n;
    const ctl_flag *flag[CTL_MAX_ARGS];
    const char *value[CTL_MAX_ARGS];  /* "1" for a switch */
    size_t n_pos;
    const char *pos[CTL_MAX_ARGS];
    int help;
} ctl_args;

/* A subcommand: its flags (NULL-name terminated) beside the global ones. */
typedef struct ctl_sub {
    const char *name;
    const char *usage;     /* "QUOTE [--actor ID]" */
    const char *summary;
    const ctl_flag *flags;
    const ctl_flag *common;  /* a second list (the command envelope's flags), or NULL */
} ctl_sub;

/* Parse argv (after the subcommand name). 0, or -1 with a message on stderr. */
int ctl_parse(const ctl_sub *sub, int argc, char **argv, ctl_args *out);
void ctl_help(const ctl_sub *sub, FILE *f);

/* The last value of a flag, or NULL. */
const char *ctl_get(const ctl_args *a, const char *name);
int ctl_has(const ctl_args *a, const char *name);
/* Numbers: 0, or -1 with a message on stderr naming the flag. */
int ctl_get_i64(const ctl_args *a, const char *name, int64_t lo, int64_t hi, int64_t *out);
int ctl_get_time(const ctl_args *a, const char *name, q2o_time_ms *out);
int ctl_get_sha(const ctl_args *a, const char *name, uint8_t out[Q2O_SHA256_LEN]);
/* Copy a string flag into a fixed field (error when too long). */
int ctl_get_str(const ctl_args *a, const char *name, char *dst, size_t size);
/* Report a usage error (stderr, "q2octl SUB: ...") and return CTL_EXIT_USAGE. */
int ctl_usage_error(const ctl_sub *sub, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Global options every subcommand accepts. */
extern const ctl_flag ctl_global_flags[];

/* Load the configuration ("ctl"), apply --config, --bootstrap, --prefix,
 * --set. 0, or CTL_EXIT_USAGE with the reason on stderr. */
int ctl_config(const ctl_args *a, q2o_config *cfg);

/* Open a client; CTL_EXIT_* on failure (message on stderr). */
int ctl_connect(const ctl_args *a, q2o_config *cfg, q2o_ctl_client **out);

/* Map an infrastructure error to an exit code and print it. */
int ctl_infra_error(const char *what, q2o_err e, const char *detail);

/* The actor from --actor/--roles/--authority-limit/--legal-entity, with
 * defaults (actor "q2octl", role SALES_REP). */
int ctl_actor(const ctl_args *a, q2o_actor *out);

/* The one send path: fill ids, --dry-run (print the JSON, exit 0), send
 * and wait for the result, print it (--json or text); exit code. */
int ctl_send_command(const ctl_args *a, q2o_command *cmd);

/* Subcommands (main.c dispatches). */
int ctl_cmd_send(int argc, char **argv);
int ctl_cmd_lifecycle(const char *name, int argc, char **argv); /* -1: not a lifecycle name */
void ctl_list_lifecycle(FILE *f);
int ctl_cmd_show(int argc, char **argv);
int ctl_cmd_history(int argc, char **argv);
int ctl_cmd_as_of(int argc, char **argv);
int ctl_cmd_verify(int argc, char **argv);
int ctl_cmd_verify_document(int argc, char **argv);
int ctl_cmd_topics(int argc, char **argv);
int ctl_cmd_allowed(int argc, char **argv);
int ctl_cmd_config(int argc, char **argv);
int ctl_cmd_orders(int argc, char **argv);
int ctl_cmd_waterfall(int argc, char **argv);
int ctl_cmd_catalog(int argc, char **argv); /* catalog validate | load | show */

#endif
