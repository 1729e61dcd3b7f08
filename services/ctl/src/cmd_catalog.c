/*
 * cmd_catalog.c — q2octl catalog validate | load | show.
 *
 *   validate FILE          load it with codec/catalog_json.h: its summary, or
 *                          every problem with its path (exit 2)
 *   load FILE [--dry-run]  validate, then publish the file's bytes as one
 *                          message to the catalog topic (runtime/catalog_feed.h)
 *                          and print the offset it was written at
 *   show [--id ID] [--offering ID]
 *                          read the catalog topic to its end: the newest
 *                          version of each catalog id, or one offering
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "ctl/catalog.h"
#include "ctl/json.h"
#include "runtime/catalog_feed.h"

static const ctl_flag no_flags[] = {{NULL, NULL, NULL}};
static const ctl_flag load_flags[] = {
    {"dry-run", NULL, "validate and print what would be published; publish nothing"},
    {NULL, NULL, NULL},
};
static const ctl_flag show_flags[] = {
    {"id", "ID", "only this catalog id"},
    {"offering", "ID", "print this offering (prices, attributes, option groups, rules)"},
    {NULL, NULL, NULL},
};

static const ctl_sub validate_sub = {
    "catalog validate", "FILE",
    "Load a catalog document (schemas/catalog/README.md) as the workers would: its id, version, digest and the\n"
    "size of each section, or every problem as PATH: CODE: message (exit 2). Nothing is published.",
    no_flags, NULL};
static const ctl_sub load_sub = {
    "catalog load", "FILE [--dry-run]",
    "Validate FILE, then publish its bytes unchanged as one message (key = catalog id) to <prefix>catalog,\n"
    "waiting for the broker's acknowledgement (acks=all), and print the offset. An invalid file publishes\n"
    "nothing (exit 2); so does one above 64 MiB (TOO_LARGE).",
    load_flags, NULL};
static const ctl_sub show_sub = {
    "catalog show", "[--id ID] [--offering ID]",
    "Read <prefix>catalog from the beginning to its end, load every document, and print the newest version\n"
    "of each catalog id (version, digest, effective date, section sizes); with --offering, that offering.",
    show_flags, NULL};

static int timeout_of(const ctl_args *a, int *out)
{
    int64_t t = 30000;
    if (ctl_get_i64(a, "timeout-ms", 1, 24 * 3600 * 1000, &t) != 0)
        return -1;
    *out = (int)t;
    return 0;
}

/* Parse and handle --help; n_pos positionals wanted. 0 to go on, else the
 * exit code + 100. */
static int parse(const ctl_sub *sub, int argc, char **argv, ctl_args *a, size_t n_pos, const char *what)
{
    if (ctl_parse(sub, argc, argv, a) != 0)
        return 100 + CTL_EXIT_USAGE;
    if (a->help) {
        ctl_help(sub, stdout);
        return 100 + CTL_EXIT_OK;
    }
    if (a->n_pos != n_pos)
        return 100 + ctl_usage_error(sub, "expected %s", what);
    return 0;
}

/* parse, then the timeout, the configuration and the catalog topic's name
 * of a command that talks to Kafka: 0 to go on, else the exit code + 100
 * (or the exit code of ctl_config, below 100). */
static int prepare(const ctl_sub *sub, int argc, char **argv, ctl_args *a, size_t n_pos, const char *what,
                   int *tmo, q2o_config *cfg, char topic[Q2O_BUS_NAME_MAX])
{
    int rc = parse(sub, argc, argv, a, n_pos, what);
    if (rc)
        return rc;
    if (timeout_of(a, tmo) != 0)
        return 100 + CTL_EXIT_USAGE;
    if ((rc = ctl_config(a, cfg)) != 0)
        return rc;
    q2o_bus_topic(&cfg->bus, Q2O_TOPIC_CATALOG, topic, Q2O_BUS_NAME_MAX);
    return 0;
}

/* A file that did not load: every problem (stdout for validate, whose
 * answer it is; stderr for load, which failed), exit 2. */
static int invalid(const ctl_args *a, const char *file, q2o_err code, const q2o_catalog_json_errors *e, FILE *out)
{
    if (ctl_has(a, "json")) {
        json_t *j = q2o_ctl_catalog_errors_json(code, e);
        json_object_set_new(j, "file", json_string(file));
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
    } else {
        fprintf(out, "%s: %s\n", file, q2o_err_message(code));
        q2o_ctl_print_catalog_errors(out, code, e);
    }
    return CTL_EXIT_USAGE;
}

static int cmd_validate(int argc, char **argv)
{
    ctl_args a;
    q2o_catalog *c = NULL;
    q2o_catalog_json_errors errs = {0};
    uint8_t digest[Q2O_SHA256_LEN];
    int rc = parse(&validate_sub, argc, argv, &a, 1, "one FILE");
    if (rc)
        return rc - 100;
    q2o_err e = q2o_catalog_json_load_file(a.pos[0], &c, digest, &errs);
    if (e != Q2O_OK) {
        rc = invalid(&a, a.pos[0], e, &errs, stdout);
    } else if (ctl_has(&a, "json")) {
        json_t *j = q2o_ctl_catalog_summary_json(c, digest);
        json_object_set_new(j, "file", json_string(a.pos[0]));
        json_object_set_new(j, "ok", json_true());
        json_object_set_new(j, "errors", json_array());
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
    } else {
        printf("%s: ok\n", a.pos[0]);
        q2o_ctl_print_catalog_summary(stdout, c, digest);
    }
    q2o_catalog_free(c);
    q2o_catalog_json_errors_release(&errs);
    return rc;
}

/* The outcome of a load (offset < 0: a dry run) on stdout. */
static void print_published(const ctl_args *a, const q2o_ctl_catalog_file *f, const char *topic, int64_t offset,
                            q2o_time_ms now)
{
    q2o_ctl_catalog_headers hs;
    uint32_t n = q2o_ctl_catalog_headers_make(f->catalog, f->digest, now, &hs);
    if (ctl_has(a, "json")) {
        json_t *j = q2o_ctl_catalog_summary_json(f->catalog, f->digest), *h = json_object();
        for (uint32_t i = 0; i < n; i++)
            json_object_set_new(h, hs.h[i].name, json_stringn(hs.h[i].value, hs.h[i].len));
        json_object_set_new(j, "published", json_boolean(offset >= 0));
        json_object_set_new(j, "topic", json_string(topic));
        json_object_set_new(j, "partition", json_integer(0));
        json_object_set_new(j, "key", json_string(f->catalog->id));
        json_object_set_new(j, "bytes", json_integer((json_int_t)f->len));
        json_object_set_new(j, "headers", h);
        if (offset >= 0)
            json_object_set_new(j, "offset", json_integer(offset));
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
        return;
    }
    if (offset >= 0)
        printf("published %s version %lld (%zu bytes, digest %s) to %s[0] at offset %lld\n", f->catalog->id,
               (long long)f->catalog->version, f->len, hs.digest, topic, (long long)offset);
    else
        printf("dry run: would publish %s version %lld (%zu bytes, digest %s) to %s[0], key %s; nothing sent\n",
               f->catalog->id, (long long)f->catalog->version, f->len, hs.digest, topic, f->catalog->id);
    for (uint32_t i = 0; i < n; i++)
        printf("  %-20s %.*s\n", hs.h[i].name, (int)hs.h[i].len, (const char *)hs.h[i].value);
}

static int cmd_load(int argc, char **argv)
{
    ctl_args a;
    q2o_ctl_catalog_file f;
    q2o_config cfg;
    char topic[Q2O_BUS_NAME_MAX], detail[512] = "";
    int tmo;
    int64_t offset = -1;
    int rc = prepare(&load_sub, argc, argv, &a, 1, "one FILE", &tmo, &cfg, topic);
    if (rc)
        return rc >= 100 ? rc - 100 : rc;
    q2o_time_ms now = q2o_time_now_ms();
    q2o_err e = q2o_ctl_catalog_file_load(a.pos[0], Q2O_CATALOG_MESSAGE_MAX, &f);
    if (e != Q2O_OK)
        rc = invalid(&a, a.pos[0], e, &f.errors, stderr);
    else if (!ctl_has(&a, "dry-run") &&
             (e = q2o_ctl_catalog_publish(&cfg, &f, now, tmo, &offset, detail, sizeof detail)) != Q2O_OK)
        rc = ctl_infra_error("publishing the catalog", e, detail);
    if (rc == 0)
        print_published(&a, &f, topic, offset, now);
    q2o_ctl_catalog_file_release(&f);
    return rc;
}

/* ------------------------------------------------------------------ show */

static void show_entry_text(const q2o_ctl_catalog_entry *en, const char *offering)
{
    printf("\n");
    q2o_ctl_print_catalog_summary(stdout, en->catalog, en->digest);
    printf("  %-22s %lld (%zu bytes)\n", "offset", (long long)en->offset, en->bytes);
    const q2o_cat_offering *o = offering ? q2o_catalog_offering(en->catalog, offering) : NULL;
    if (o) {
        printf("\n");
        q2o_ctl_print_offering(stdout, en->catalog, o);
    }
}

static json_t *show_entry_json(const q2o_ctl_catalog_entry *en, const char *offering)
{
    json_t *j = q2o_ctl_catalog_summary_json(en->catalog, en->digest);
    json_object_set_new(j, "offset", json_integer(en->offset));
    json_object_set_new(j, "bytes", json_integer((json_int_t)en->bytes));
    const q2o_cat_offering *o = offering ? q2o_catalog_offering(en->catalog, offering) : NULL;
    if (o)
        json_object_set_new(j, "offering", q2o_ctl_offering_json(en->catalog, o));
    return j;
}

/* Whether an entry is one to show: its id is the one asked for, and it has
 * the offering asked for. */
static int wanted(const q2o_ctl_catalog_entry *en, const char *id, const char *offering)
{
    return (!id || strcmp(en->catalog->id, id) == 0) &&
           (!offering || q2o_catalog_offering(en->catalog, offering) != NULL);
}

static int print_set(const ctl_args *a, const q2o_ctl_catalog_set *s, const char *topic)
{
    const char *id = ctl_get(a, "id"), *offering = ctl_get(a, "offering");
    json_t *arr = json_array();
    uint32_t shown = 0;
    if (s->skipped)
        fprintf(stderr, "q2octl catalog show: %llu document(s) on %s do not load and were skipped (%s)\n",
                (unsigned long long)s->skipped, topic, s->first_skipped);
    if (!ctl_has(a, "json"))
        printf("%s: %llu message(s) up to offset %lld, %u catalog id(s)\n", topic, (unsigned long long)s->messages,
               (long long)s->end_offset, s->n);
    for (uint32_t i = 0; i < s->n; i++) {
        if (!wanted(&s->items[i], id, offering))
            continue;
        shown++;
        if (ctl_has(a, "json"))
            json_array_append_new(arr, show_entry_json(&s->items[i], offering));
        else
            show_entry_text(&s->items[i], offering);
    }
    if (ctl_has(a, "json")) {
        json_t *j = json_pack("{s:s,s:I,s:I,s:I,s:I,s:I}", "topic", topic, "end_offset", (json_int_t)s->end_offset,
                              "messages", (json_int_t)s->messages, "skipped", (json_int_t)s->skipped, "stale",
                              (json_int_t)s->stale, "tombstones", (json_int_t)s->tombstones);
        if (s->skipped)
            json_object_set_new(j, "first_skipped", json_string(s->first_skipped));
        json_object_set_new(j, "catalogs", arr);
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
    } else {
        json_decref(arr);
    }
    if (!shown && (id || offering)) {
        fprintf(stderr, "q2octl catalog show: no catalog%s%s%s%s on %s\n", id ? " " : "", id ? id : "",
                offering ? " with offering " : "", offering ? offering : "", topic);
        return CTL_EXIT_REFUSED;
    }
    return CTL_EXIT_OK;
}

static int cmd_show(int argc, char **argv)
{
    ctl_args a;
    q2o_config cfg;
    q2o_ctl_catalog_set s;
    char topic[Q2O_BUS_NAME_MAX], detail[Q2O_TEXT_MAX + 128] = "";
    int tmo;
    int rc = prepare(&show_sub, argc, argv, &a, 0, "no positional argument", &tmo, &cfg, topic);
    if (rc)
        return rc >= 100 ? rc - 100 : rc;
    q2o_err e = q2o_ctl_catalog_read(&cfg, tmo, &s, detail, sizeof detail);
    rc = e == Q2O_OK ? print_set(&a, &s, topic) : ctl_infra_error("reading the catalog topic", e, detail);
    q2o_ctl_catalog_set_release(&s);
    return rc;
}

int ctl_cmd_catalog(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } subs[] = {{"validate", cmd_validate}, {"load", cmd_load}, {"show", cmd_show}};
    if (argc >= 1)
        for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
            if (strcmp(argv[0], subs[i].name) == 0)
                return subs[i].fn(argc - 1, argv + 1);
    FILE *f = argc >= 1 && (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "-h") == 0) ? stdout : stderr;
    fprintf(f, "usage: q2octl catalog validate FILE\n"
               "       q2octl catalog load FILE [--dry-run]\n"
               "       q2octl catalog show [--id ID] [--offering ID]\n"
               "(q2octl catalog SUBCOMMAND --help for each)\n");
    return f == stdout ? CTL_EXIT_OK : CTL_EXIT_USAGE;
}
