/*
 * cmd_read.c — show, history, as-of, verify: a quote read back from the
 * events topic (partition of its key, read_committed, from the beginning
 * to the end offset at the time of the call), decoded and evolved. The
 * event log is the system of record: no worker's projection is consulted.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "core/timeutil.h"
#include "ctl/docverify.h"
#include "ctl/json.h"
#include "ctl/print.h"
#include "ctl/waterfall.h"
#include "domain/audit.h"

static const ctl_flag show_flags[] = {
    {"actor", "ID", "whose \"allowed actions now\" to list (default q2octl)"},
    {"roles", "LIST", "that actor's roles (default SALES_REP)"},
    {"authority-limit", "MINOR", "that actor's approval limit"},
    {"legal-entity", "ID", "that actor's legal entity"},
    {NULL, NULL, NULL},
};
static const ctl_flag as_of_flags[] = {
    {"version", "N", "the quote after its N-th event"},
    {"time", "RFC3339", "the quote as it was at this time"},
    {NULL, NULL, NULL},
};
static const ctl_flag waterfall_flags[] = {
    {"revision", "N", "the revision whose latest pricing to show (default the current one)"},
    {NULL, NULL, NULL},
};
static const ctl_flag no_flags[] = {{NULL, NULL, NULL}};

static const ctl_sub show_sub = {
    "show", "QUOTE [--actor ID --roles LIST]",
    "The quote's state from its events: every revision with its status, the current lines with prices, totals,\n"
    "approval reasons and steps, document, acceptance, order, and what the actor may do now.",
    show_flags, NULL};
static const ctl_sub history_sub = {"history", "QUOTE",
                                    "The quote's audit timeline: one line per event (who, what, old and new values, "
                                    "causation, correlation).",
                                    no_flags, NULL};
static const ctl_sub as_of_sub = {"as-of", "QUOTE (--version N | --time RFC3339)",
                                  "Time travel: the quote as it was after an event or at a moment.", as_of_flags,
                                  NULL};
static const ctl_sub verify_sub = {
    "verify", "QUOTE",
    "Re-walk the quote's hash chain from its first event: ok, or the first broken version (exit 1).", no_flags,
    NULL};

static const ctl_flag verify_document_flags[] = {
    {"revision", "N", "the revision to check (default: the accepted one, else the current one)"},
    {NULL, NULL, NULL},
};
static const ctl_sub verify_document_sub = {
    "verify-document", "FILE QUOTE [--revision N]",
    "Is FILE the document of the quote? Its SHA-256 against the hash the customer accepted, else the one\n"
    "presented, else the one attached; prints the revision, the hash and MATCH (exit 0) or MISMATCH (exit 1).",
    verify_document_flags, NULL};

static const ctl_sub waterfall_sub = {
    "waterfall", "QUOTE [--revision N]",
    "The latest QuotePriced of a revision as a price waterfall: per line every stage (rule, version, input,\n"
    "rate, amount, after), the net per period, term and contract value; the quote totals, catalog and price\n"
    "book versions, the pricing fingerprint and the changes against the parent revision.",
    waterfall_flags, NULL};

/* Parse, handle --help, require QUOTE. 0 to go on, else the exit code + 100. */
static int parse_quote(const ctl_sub *sub, int argc, char **argv, ctl_args *a)
{
    if (ctl_parse(sub, argc, argv, a) != 0)
        return 100 + CTL_EXIT_USAGE;
    if (a->help) {
        ctl_help(sub, stdout);
        return 100 + CTL_EXIT_OK;
    }
    if (a->n_pos != 1)
        return 100 + ctl_usage_error(sub, "expected one QUOTE id");
    if (strlen(a->pos[0]) >= Q2O_ID_MAX)
        return 100 + ctl_usage_error(sub, "QUOTE: at most %d bytes", Q2O_ID_MAX - 1);
    return 0;
}

static int timeout_of(const ctl_args *a, int *out)
{
    int64_t t = 60000;
    if (ctl_get_i64(a, "timeout-ms", 1, 24 * 3600 * 1000, &t) != 0)
        return -1;
    *out = (int)t;
    return 0;
}

/* Replay the quote with opts; the report and state come back. */
static int replay(const ctl_args *a, const char *quote_id, q2o_ctl_view_opts *opts, q2o_quote *q,
                  q2o_ctl_view_report *rep)
{
    q2o_config cfg;
    q2o_ctl_client *c = NULL;
    char detail[Q2O_TEXT_MAX + 128] = "";
    if (timeout_of(a, &opts->timeout_ms) != 0)
        return CTL_EXIT_USAGE;
    opts->progress = 1;
    int rc = ctl_connect(a, &cfg, &c);
    if (rc)
        return rc;
    q2o_err e = q2o_ctl_load(c, quote_id, opts, q, rep, detail, sizeof detail);
    q2o_ctl_client_close(c);
    if (e != Q2O_OK)
        return ctl_infra_error("reading the events topic", e, detail);
    return 0;
}

/* The log of this quote could not be replayed to the end: say where. */
static int broken_log(const char *quote_id, const q2o_ctl_view_report *rep)
{
    fprintf(stderr,
            "q2octl: %s: the event log does not replay past version %llu: %s (%s)\n"
            "  run q2octl verify %s for the whole story\n",
            quote_id, (unsigned long long)(rep->first_bad_version ? rep->first_bad_version - 1 : 0),
            rep->first_bad_detail, q2o_err_name(rep->first_bad_err), quote_id);
    return CTL_EXIT_INFRA;
}

static int print_state(const ctl_args *a, const q2o_quote *q, q2o_time_ms now, const char *as_of)
{
    q2o_actor actor;
    q2o_allowed allowed[Q2O_ACT__COUNT];
    if (ctl_actor(a, &actor) != 0)
        return CTL_EXIT_USAGE;
    if (q->exists)
        q2o_quote_allowed(q, &actor, now, allowed);
    if (ctl_has(a, "json")) {
        json_t *o = json_object();
        json_object_set_new(o, "quote", q2o_ctl_quote_to_json(q));
        if (as_of)
            json_object_set_new(o, "as_of", json_string(as_of));
        if (q->exists) {
            json_object_set_new(o, "allowed_for", json_string(actor.id));
            json_object_set_new(o, "allowed", q2o_ctl_allowed_to_json(allowed, Q2O_ACT__COUNT));
        }
        q2o_ctl_json_print(o, stdout);
        json_decref(o);
        return q->exists ? CTL_EXIT_OK : CTL_EXIT_REFUSED;
    }
    if (as_of)
        printf("As of %s:\n", as_of);
    q2o_ctl_print_quote(stdout, q);
    if (!q->exists)
        return CTL_EXIT_REFUSED;
    printf("\n");
    q2o_ctl_print_allowed(stdout, q, &actor, allowed, Q2O_ACT__COUNT);
    return CTL_EXIT_OK;
}

int ctl_cmd_show(int argc, char **argv)
{
    ctl_args a;
    q2o_ctl_view_report rep;
    int rc = parse_quote(&show_sub, argc, argv, &a);
    if (rc)
        return rc - 100;
    q2o_quote *q = q2o_quote_new();
    q2o_ctl_view_opts o = {0};
    rc = replay(&a, a.pos[0], &o, q, &rep);
    if (rc == 0 && !q->exists)
        Q2O_STRCPY(q->quote_id, a.pos[0]);
    if (rc == 0)
        rc = rep.chain_ok ? print_state(&a, q, q2o_time_now_ms(), NULL) : broken_log(a.pos[0], &rep);
    q2o_quote_free(q);
    return rc;
}

/* ---------------------------------------------------------------- history */

typedef struct history_ctx {
    int json;
    json_t *events;
    uint64_t n;
} history_ctx;

static q2o_err history_line(void *ctx, const q2o_quote *before, const q2o_event *ev, const uint8_t *hash)
{
    history_ctx *h = ctx;
    char line[2048];
    q2o_audit_line(before->exists ? before : NULL, ev, line, sizeof line);
    h->n++;
    if (h->json)
        json_array_append_new(h->events, q2o_ctl_event_to_json(ev, hash, line));
    else
        printf("%s\n", line);
    return Q2O_OK;
}

int ctl_cmd_history(int argc, char **argv)
{
    ctl_args a;
    q2o_ctl_view_report rep;
    int rc = parse_quote(&history_sub, argc, argv, &a);
    if (rc)
        return rc - 100;
    history_ctx h = {.json = ctl_has(&a, "json"), .events = json_array()};
    q2o_ctl_view_opts o = {.on_event = history_line, .ctx = &h};
    q2o_quote *q = q2o_quote_new();
    rc = replay(&a, a.pos[0], &o, q, &rep);
    if (rc == 0 && h.json) {
        json_t *out = json_object();
        json_object_set_new(out, "quote_id", json_string(a.pos[0]));
        json_object_set_new(out, "events", h.events);
        json_object_set_new(out, "chain_ok", json_boolean(rep.chain_ok));
        q2o_ctl_json_print(out, stdout);
        json_decref(out);
        h.events = NULL;
    }
    if (rc == 0 && !h.n && rep.chain_ok) {
        fprintf(stderr, "q2octl history: %s has no events\n", a.pos[0]);
        rc = CTL_EXIT_REFUSED;
    }
    if (rc == 0 && !rep.chain_ok)
        rc = broken_log(a.pos[0], &rep);
    json_decref(h.events);
    q2o_quote_free(q);
    return rc;
}

/* ------------------------------------------------------------------ as-of */

int ctl_cmd_as_of(int argc, char **argv)
{
    ctl_args a;
    q2o_ctl_view_report rep;
    int64_t version = 0;
    q2o_time_ms at = 0;
    char label[96];
    int rc = parse_quote(&as_of_sub, argc, argv, &a);
    if (rc)
        return rc - 100;
    if (ctl_has(&a, "version") == ctl_has(&a, "time"))
        return ctl_usage_error(&as_of_sub, "give exactly one of --version N and --time RFC3339");
    if (ctl_get_i64(&a, "version", 1, INT64_MAX, &version) != 0 || ctl_get_time(&a, "time", &at) != 0)
        return CTL_EXIT_USAGE;
    q2o_ctl_view_opts o = {.until_version = (uint64_t)version, .until_time = at};
    q2o_quote *q = q2o_quote_new();
    rc = replay(&a, a.pos[0], &o, q, &rep);
    if (rc == 0 && !q->exists)
        Q2O_STRCPY(q->quote_id, a.pos[0]);
    if (rc == 0 && !rep.chain_ok)
        rc = broken_log(a.pos[0], &rep);
    if (rc == 0) {
        char ts[40];
        if (version)
            snprintf(label, sizeof label, "version %lld", (long long)version);
        else
            snprintf(label, sizeof label, "%s", q2o_time_format(at, ts, sizeof ts));
        /* "what may I do" as it was then: evaluated at that moment */
        rc = print_state(&a, q, at ? at : q->updated_at, label);
    }
    q2o_quote_free(q);
    return rc;
}

/* ----------------------------------------------------------------- verify */

int ctl_cmd_verify(int argc, char **argv)
{
    ctl_args a;
    q2o_ctl_view_report rep;
    char hex[Q2O_SHA256_HEX_LEN];
    int rc = parse_quote(&verify_sub, argc, argv, &a);
    if (rc)
        return rc - 100;
    q2o_ctl_view_opts o = {0};
    q2o_quote *q = q2o_quote_new();
    rc = replay(&a, a.pos[0], &o, q, &rep);
    if (rc) {
        q2o_quote_free(q);
        return rc;
    }
    int ok = rep.chain_ok && q->exists;
    q2o_hex(q->head_hash, Q2O_SHA256_LEN, hex);
    if (ctl_has(&a, "json")) {
        json_t *j = json_object();
        json_object_set_new(j, "quote_id", json_string(a.pos[0]));
        json_object_set_new(j, "ok", json_boolean(ok));
        json_object_set_new(j, "events", json_integer((json_int_t)rep.events));
        json_object_set_new(j, "duplicates_skipped", json_integer((json_int_t)rep.duplicates));
        json_object_set_new(j, "head_version", json_integer((json_int_t)q->version));
        json_object_set_new(j, "head_hash", json_string(hex));
        json_object_set_new(j, "partition_end_offset", json_integer(rep.end_offset));
        if (!rep.chain_ok) {
            json_object_set_new(j, "first_broken_version", json_integer((json_int_t)rep.first_bad_version));
            json_object_set_new(j, "first_broken_offset", json_integer(rep.first_bad_offset));
            json_object_set_new(j, "error", json_string(q2o_err_name(rep.first_bad_err)));
            json_object_set_new(j, "detail", json_string(rep.first_bad_detail));
        }
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
    } else if (!q->exists && rep.chain_ok) {
        printf("%s: no events in the log\n", a.pos[0]);
    } else if (ok) {
        printf("%s: ok — %llu events, hash chain intact from version 1, head v%llu %s%s\n", a.pos[0],
               (unsigned long long)rep.events, (unsigned long long)q->version, hex,
               rep.duplicates ? " (identical re-deliveries skipped)" : "");
    } else {
        printf("%s: BROKEN at version %llu (offset %lld): %s [%s]\n  versions 1..%llu verify; head there %s\n",
               a.pos[0], (unsigned long long)rep.first_bad_version, (long long)rep.first_bad_offset,
               rep.first_bad_detail, q2o_err_name(rep.first_bad_err), (unsigned long long)q->version, hex);
    }
    q2o_quote_free(q);
    return ok ? CTL_EXIT_OK : CTL_EXIT_REFUSED;
}

/* -------------------------------------------------------- verify-document */

/* SHA-256 of a file: 0, or -1 (errno set). */
static int sha256_of_file(const char *path, uint8_t out[Q2O_SHA256_LEN])
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    q2o_sha256 sh;
    uint8_t buf[65536];
    size_t got;
    q2o_sha256_init(&sh);
    while ((got = fread(buf, 1, sizeof buf, f)) > 0)
        q2o_sha256_update(&sh, buf, got);
    int bad = ferror(f);
    fclose(f);
    if (bad)
        return -1;
    q2o_sha256_final(&sh, out);
    return 0;
}

static void print_docverify(const ctl_args *a, const char *file, const char *quote_id, const q2o_ctl_docverify *v,
                            const uint8_t file_hash[Q2O_SHA256_LEN])
{
    char want[Q2O_SHA256_HEX_LEN], got[Q2O_SHA256_HEX_LEN];
    q2o_hex(v->expected, Q2O_SHA256_LEN, want);
    q2o_hex(file_hash, Q2O_SHA256_LEN, got);
    if (ctl_has(a, "json")) {
        json_t *j = json_object();
        json_object_set_new(j, "quote_id", json_string(quote_id));
        json_object_set_new(j, "revision", json_integer(v->revision));
        json_object_set_new(j, "file", json_string(file));
        json_object_set_new(j, "file_sha256", json_string(got));
        json_object_set_new(j, "compared_with", json_string(v->which));
        json_object_set_new(j, "document_id", json_string(v->document_id));
        json_object_set_new(j, "expected_sha256", json_string(want));
        json_object_set_new(j, "match", json_boolean(v->match));
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
        return;
    }
    printf("%s revision %d, %s document %s\n  expected %s\n  file     %s  (%s)\n%s\n", quote_id, (int)v->revision,
           v->which, v->document_id[0] ? v->document_id : "-", want, got, file, v->match ? "MATCH" : "MISMATCH");
}

int ctl_cmd_verify_document(int argc, char **argv)
{
    ctl_args a;
    q2o_ctl_view_report rep;
    q2o_ctl_docverify v;
    uint8_t file_hash[Q2O_SHA256_LEN];
    int64_t revision = 0;
    if (ctl_parse(&verify_document_sub, argc, argv, &a) != 0)
        return CTL_EXIT_USAGE;
    if (a.help) {
        ctl_help(&verify_document_sub, stdout);
        return CTL_EXIT_OK;
    }
    if (a.n_pos != 2)
        return ctl_usage_error(&verify_document_sub, "expected FILE and QUOTE");
    if (strlen(a.pos[1]) >= Q2O_ID_MAX)
        return ctl_usage_error(&verify_document_sub, "QUOTE: at most %d bytes", Q2O_ID_MAX - 1);
    if (ctl_get_i64(&a, "revision", 0, Q2O_MAX_REVISIONS, &revision) != 0)
        return CTL_EXIT_USAGE;
    if (sha256_of_file(a.pos[0], file_hash) != 0)
        return ctl_usage_error(&verify_document_sub, "cannot read %s", a.pos[0]);
    q2o_ctl_view_opts o = {0};
    q2o_quote *q = q2o_quote_new();
    int rc = replay(&a, a.pos[1], &o, q, &rep);
    if (rc == 0) {
        q2o_err e = q2o_ctl_docverify_check(q, (int32_t)revision, file_hash, &v);
        if (e != Q2O_OK) {
            fprintf(stderr, "q2octl verify-document: %s: %s (%s)\n", a.pos[1], q2o_err_message(e), q2o_err_name(e));
            rc = CTL_EXIT_REFUSED;
        } else {
            print_docverify(&a, a.pos[0], a.pos[1], &v, file_hash);
            rc = v.match ? CTL_EXIT_OK : CTL_EXIT_REFUSED;
        }
    }
    q2o_quote_free(q);
    return rc;
}

/* -------------------------------------------------------------- waterfall */

/* Which revision's pricing was asked for and whether the log has it: 0 to
 * print, else the exit code (the reason on stderr). */
static int waterfall_found(const char *quote_id, const q2o_quote *q, const q2o_ctl_waterfall *w, int64_t asked)
{
    int32_t rev = asked ? (int32_t)asked : q->n_revisions;
    if (!q->exists) {
        fprintf(stderr, "q2octl waterfall: %s has no events\n", quote_id);
        return CTL_EXIT_REFUSED;
    }
    if (rev > q->n_revisions) {
        fprintf(stderr, "q2octl waterfall: %s has no revision %d (current: %d)\n", quote_id, (int)rev,
                (int)q->n_revisions);
        return CTL_EXIT_REFUSED;
    }
    if (!w->found || w->priced.revision != rev) {
        fprintf(stderr, "q2octl waterfall: %s revision %d was never priced (q2octl price --quote %s)\n", quote_id,
                (int)rev, quote_id);
        return CTL_EXIT_REFUSED;
    }
    return 0;
}

int ctl_cmd_waterfall(int argc, char **argv)
{
    ctl_args a;
    q2o_ctl_view_report rep;
    int64_t revision = 0;
    q2o_ctl_waterfall w;
    int rc = parse_quote(&waterfall_sub, argc, argv, &a);
    if (rc)
        return rc - 100;
    if (ctl_get_i64(&a, "revision", 1, Q2O_MAX_REVISIONS, &revision) != 0)
        return CTL_EXIT_USAGE;
    q2o_ctl_waterfall_init(&w, (int32_t)revision);
    q2o_ctl_view_opts o = {.on_event = q2o_ctl_waterfall_on_event, .ctx = &w};
    q2o_quote *q = q2o_quote_new();
    rc = replay(&a, a.pos[0], &o, q, &rep);
    if (rc == 0 && !rep.chain_ok)
        rc = broken_log(a.pos[0], &rep);
    if (rc == 0)
        rc = waterfall_found(a.pos[0], q, &w, revision);
    if (rc == 0 && ctl_has(&a, "json")) {
        json_t *j = q2o_ctl_waterfall_to_json(&w);
        q2o_ctl_json_print(j, stdout);
        json_decref(j);
    } else if (rc == 0) {
        q2o_ctl_print_waterfall(stdout, &w);
    }
    q2o_ctl_waterfall_release(&w);
    q2o_quote_free(q);
    return rc;
}
