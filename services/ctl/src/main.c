/*
 * q2octl — the command line of q2o, for people and scripts.
 *
 *   q2octl send FILE|-                  a command as JSON; waits for its result
 *   q2octl create|add-line|...|expire   the same commands from flags
 *   q2octl show|history|as-of|verify    a quote read back from the events topic
 *   q2octl verify-document FILE QUOTE   a file's SHA-256 against the accepted document hash
 *   q2octl waterfall QUOTE              the latest pricing of a revision, stage by stage
 *   q2octl catalog validate|load|show   catalog files and the catalog topic
 *   q2octl orders                       the ERP worker's OrderCreated events
 *   q2octl topics create | allowed | config
 *
 * Exit status: 0 ok, 1 refused by a domain rule (or verify found a broken
 * chain), 2 usage or configuration error, 3 Kafka/infrastructure error,
 * 4 timeout waiting for a result. services/ctl/README.md has the details.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef int (*sub_fn)(int argc, char **argv);

static const struct {
    const char *name;
    sub_fn fn;
    const char *summary;
} subs[] = {
    {"send", ctl_cmd_send, "send a command written as JSON and wait for its result"},
    {"show", ctl_cmd_show, "the quote's state from its events, and what an actor may do now"},
    {"history", ctl_cmd_history, "the quote's audit timeline, one line per event"},
    {"as-of", ctl_cmd_as_of, "time travel: the quote after event N or at a moment"},
    {"verify", ctl_cmd_verify, "re-walk the quote's hash chain"},
    {"verify-document", ctl_cmd_verify_document, "FILE QUOTE: is FILE the document the customer accepted?"},
    {"waterfall", ctl_cmd_waterfall, "the latest pricing of a revision as a per-line price waterfall"},
    {"catalog", ctl_cmd_catalog, "catalog validate FILE | load FILE | show: catalogs and the catalog topic"},
    {"orders", ctl_cmd_orders, "the orders the ERP worker created (order.events)"},
    {"topics", ctl_cmd_topics, "topics create: create every q2o topic"},
    {"allowed", ctl_cmd_allowed, "the editability matrix (action x status)"},
    {"config", ctl_cmd_config, "the effective configuration"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: q2octl COMMAND [options]   (q2octl COMMAND --help for each)\n\n");
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        fprintf(f, "  %-16s %s\n", subs[i].name, subs[i].summary);
    fprintf(f, "\nlifecycle commands (each builds the command from flags and sends it like `send`):\n");
    ctl_list_lifecycle(f);
    fprintf(f, "\nglobal options: --json --bootstrap HOST:PORT --prefix PREFIX --config FILE --set KEY=VALUE "
               "--timeout-ms MS\n"
               "configuration: Q2O_* environment variables or a file (runtime/config.h); `q2octl config` shows it\n"
               "exit: 0 ok, 1 refused by a domain rule, 2 usage/config error, 3 Kafka/infrastructure error, "
               "4 timeout waiting for a result\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CTL_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
        usage(stdout);
        return CTL_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
        if (strcmp(subs[i].name, name) == 0)
            return subs[i].fn(argc - 2, argv + 2);
    int rc = ctl_cmd_lifecycle(name, argc - 2, argv + 2);
    if (rc >= 0)
        return rc;
    fprintf(stderr, "q2octl: unknown command '%s'\n\n", name);
    usage(stderr);
    return CTL_EXIT_USAGE;
}
