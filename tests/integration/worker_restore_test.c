/* Restore: the projection is rebuilt from the events topic on assignment,
 * before any command of the partition is answered. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/strutil.h"
#include "testutil.h"
#include "worker_harness.h"

TestSuite(worker_restore);


#define N_Q 4
#define NOTES 70 /* past Q2O_SNAPSHOT_EVERY: restore writes a snapshot */
#define MAX_CMDS (N_Q * 5 + NOTES)

typedef struct sent {
    q2o_command cmds[MAX_CMDS];
    char ids[MAX_CMDS][Q2O_ID_MAX];
    const char *idp[MAX_CMDS];
    int n;
} sent;

static void keep(sent *s, const q2o_command *c)
{
    s->cmds[s->n] = *c;
    Q2O_STRCPY(s->ids[s->n], c->command_id);
    s->idp[s->n] = s->ids[s->n];
    s->n++;
}

Test(worker_restore, a_deleted_store_is_rebuilt_identically_before_answering)
{
    hx h;
    hx_worker qw;
    static sent s;
    static const char *const quotes[N_Q] = {"Q-R0", "Q-R1", "Q-R2", "Q-R3"};
    hx_init(&h, 1);
    hx_quote_start(&h, &qw, "quote-r", NULL);
    hx_wait_ready(&qw, 20000);
    for (int q = 0; q < N_Q; q++) {
        q2o_command c = hx_create(&h, quotes[q]);
        keep(&s, &c);
        c = hx_add_line(&h, quotes[q], "L1", 10 + q);
        keep(&s, &c);
        c = hx_cmd(&h, Q2O_CMD_PRICE_QUOTE, quotes[q]);
        keep(&s, &c);
    }
    for (int i = 0; i < NOTES; i++) {
        q2o_command c = hx_cmd(&h, Q2O_CMD_ADD_NOTE, "Q-R0");
        snprintf(c.u.note, sizeof c.u.note, "note %d", i);
        keep(&s, &c);
    }
    hx_send_all(&h, s.cmds, (size_t)s.n);
    hx_wait_results(&h, s.idp, (size_t)s.n, 60000);
    hx_result *before = calloc(MAX_CMDS + 8, sizeof *before);
    size_t n_before = hx_results(&h, before, MAX_CMDS + 8);
    cr_assert_eq(n_before, (size_t)s.n);
    size_t events = hx_check_events(&h, quotes, N_Q, NULL);
    cr_assert_eq(hx_stop(&qw), Q2O_OK);

    hx_head heads[16], again[16];
    size_t n_heads = hx_store_heads(qw.cfg.data_dir, heads, 16);
    cr_assert_eq(n_heads, N_Q);
    cr_assert_gt(heads[0].version, 64, "Q-R0 has a snapshot's worth of events");

    /* lose the store; the mock keeps no group offsets, so every command
     * comes again after the restart: each must be recognised */
    q2o_test_rmtree(qw.cfg.data_dir);
    hx_quote_start(&h, &qw, "quote-r", NULL);
    hx_wait_ready(&qw, 60000);
    q2o_worker_stats st;
    q2o_worker_stats_get(qw.w, &st);
    cr_assert_eq(st.restore_events, events, "ready only after reading every event");

    h.lenient_results = 1;
    hx_result *after = calloc(MAX_CMDS + 8, sizeof *after);
    for (int waited = 0;; waited += 250) {
        size_t n = hx_results(&h, after, MAX_CMDS + 8);
        cr_assert_eq(n, (size_t)s.n, "no new command ids");
        int all = 1;
        for (size_t i = 0; i < n; i++)
            all &= after[i].copies >= 2;
        if (all)
            break;
        cr_assert(waited < 60000, "the redelivered commands were not all answered");
        hx_sleep_ms(250);
    }
    cr_assert_eq(hx_check_events(&h, quotes, N_Q, NULL), events, "no new events: every command was deduped");
    cr_assert_eq(hx_stop(&qw), Q2O_OK);

    /* The answers after the restart came from the rebuilt dedupe entries
     * (the latest copy of each result is the rebuilt one): same outcome,
     * same version. */
    hx_msgs ms;
    q2o_result r;
    char detail[256];
    hx_read(&h, Q2O_TOPIC_QUOTE_RESULTS, &ms);
    int rebuilt = 0;
    for (size_t i = 0; i < ms.n; i++) {
        cr_assert_eq(q2o_codec_decode_result(h.codec, ms.m[i]->value, ms.m[i]->value_len, &r, detail, sizeof detail),
                     Q2O_OK);
        const hx_result *orig = hx_result_of(before, n_before, r.command_id);
        cr_assert_not_null(orig);
        cr_assert_eq(r.status, orig->r.status, "%s", r.command_id);
        cr_assert_eq(r.version, orig->r.version, "%s", r.command_id);
        cr_assert_eq(r.n_events, orig->r.n_events, "%s", r.command_id);
        rebuilt += strstr(r.detail, "rebuilt") != NULL;
    }
    cr_assert_eq(rebuilt, s.n, "every redelivered command was answered from a rebuilt entry");
    hx_msgs_free(&ms);

    cr_assert_eq(hx_store_heads(qw.cfg.data_dir, again, 16), n_heads);
    for (size_t i = 0; i < n_heads; i++) {
        cr_assert_str_eq(again[i].id, heads[i].id);
        cr_assert_eq(again[i].version, heads[i].version, "%s", heads[i].id);
        cr_assert_eq(memcmp(again[i].hash, heads[i].hash, 32), 0, "%s: same head hash", heads[i].id);
    }
    free(before);
    free(after);
    hx_fini(&h);
}
