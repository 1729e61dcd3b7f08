/*
 * worker_harness.h — worker tests: a mock cluster per test (Criterion forks
 * each test; everything starts inside it), workers running in threads,
 * a plain client producer for commands, and readers for the output topics.
 *
 * What the mock cannot prove (see DESIGN.md §2): it does not filter aborted
 * transactions for read_committed readers and does not store transactional
 * offsets, so after an abort it shows the aborted attempt's events and
 * results next to the redo's, and a rewind or a restart redelivers every
 * command from the beginning. The tests therefore check what must hold even
 * so — with a fixed clock a redo produces byte-identical messages:
 *   - every command id has a result, and all copies of it are identical;
 *   - per quote the events are versions 1..n with no two DIFFERENT events at
 *     one version, on the quote's partition, and the hash chain holds;
 * and leave "exactly once in a read_committed view" to the system tests on
 * a real Apache Kafka broker.
 */
#ifndef Q2O_WORKER_HARNESS_H
#define Q2O_WORKER_HARNESS_H

#include <pthread.h>
#include <stdatomic.h>

#include "bus/bus.h"
#include "codec/quote_codec.h"
#include "runtime/document_worker.h"
#include "runtime/erp_worker.h"
#include "runtime/quote_worker.h"
#include "runtime/worker.h"
#include "quote_fixture.h"

#define HX_PARTITIONS 3
#define HX_TEST_TIMEOUT_S 150

typedef struct hx {
    q2o_bus_mock *mock;
    char bootstrap[256];
    char root[256];            /* temp dir of this test */
    q2o_config cfg;            /* base configuration pointing at the mock */
    q2o_codec *codec;
    q2o_bus_producer *client;  /* plain idempotent producer for commands */
    int seq;
    int lenient_results;       /* hx_results: copies may differ (restore rebuilds results) */
} hx;

/* Mock with `brokers` brokers, every q2o topic with HX_PARTITIONS. */
/* The catalog every harness publishes at init (the SaaS sample). */
#define HX_CATALOG Q2O_SOURCE_DIR "/schemas/catalog/saas-suite.json"

void hx_init(hx *h, int brokers);
/* The same with another catalog published (NULL: none). */
void hx_init_with(hx *h, int brokers, const char *catalog);
/* fx_init, pricing with the catalog the harness publishes (so that a test
 * deciding locally agrees with the worker). */
void hx_fx_init(fx *f);
/* Publish a catalog document to the catalog topic (key = its id). */
void hx_publish_catalog(hx *h, const char *path);
void hx_fini(hx *h);

typedef struct hx_worker hx_worker;
struct hx_worker {
    hx *h;
    pthread_t thread;
    q2o_config cfg;
    q2o_worker *w;
    q2o_quote_worker *qw;
    q2o_erp_worker *ew;
    q2o_document_worker *dw;
    _Atomic int64_t now;       /* the quote worker's clock */
    q2o_err result;
    atomic_int done;
    /* Called in the worker thread before each message is handled (tests
     * inject faults at a precise point); NULL: none. */
    void (*hook)(hx_worker *hw, const q2o_bus_msg *msg);
    void *hook_ctx;
    q2o_worker_ops ops;        /* the real ops, wrapped for the hook */
    const q2o_worker_ops *real;
    void *real_ctx;
};

/* Start a quote worker named `name` (instance id and data dir
 * <root>/<name>) with the clock at FX_T0; cfg_edit may tweak the config. */
void hx_quote_start(hx *h, hx_worker *hw, const char *name, void (*cfg_edit)(q2o_config *cfg));
/* The same with a hook (see hx_worker) set before the worker starts. */
void hx_quote_start_hooked(hx *h, hx_worker *hw, const char *name, void (*cfg_edit)(q2o_config *cfg),
                           void (*hook)(hx_worker *hw, const q2o_bus_msg *msg), void *hook_ctx);
void hx_erp_start(hx *h, hx_worker *hw, const char *name);
/* A document worker (group q2o-document, data dir <root>/<name>, documents
 * in <root>/<name>/documents). */
void hx_document_start(hx *h, hx_worker *hw, const char *name);
/* Stop, join, free; returns q2o_worker_run's result. */
q2o_err hx_stop(hx_worker *hw);
/* Wait until ready (asserts within timeout_ms). */
void hx_wait_ready(hx_worker *hw, int timeout_ms);
/* Wait until pred(ctx) or fail the test after timeout_ms. */
void hx_wait(int (*pred)(void *ctx), void *ctx, int timeout_ms, const char *what);
void hx_sleep_ms(int ms);

/* Commands: a fresh command id "<quote>-c<seq>". */
q2o_command hx_cmd(hx *h, q2o_command_type type, const char *quote_id);
q2o_command hx_create(hx *h, const char *quote_id);
q2o_command hx_add_line(hx *h, const char *quote_id, const char *line_id, int64_t qty);
/* Encode and produce by key to the commands topic; flush. */
void hx_send(hx *h, const q2o_command *c);
/* Several, flushed once (faster than hx_send each). */
void hx_send_all(hx *h, const q2o_command *cs, size_t n);
void hx_send_raw(hx *h, const char *key, const void *bytes, size_t len);
/* Produce raw bytes to a topic partition (-1: by key) with headers; flush. */
void hx_produce(hx *h, q2o_topic t, int32_t partition, const char *key, const void *bytes, size_t len,
                const q2o_bus_header *hdrs, uint32_t n_hdrs);

/* Every message of a topic, all partitions, from the beginning to the end
 * offset at the time of the call, COPIED (a librdkafka handle cannot be
 * destroyed while messages it returned are alive). */
typedef struct hx_hdr {
    char name[64];
    void *value;
    size_t len;
} hx_hdr;
typedef struct hx_msg {
    int32_t partition;
    int64_t offset;
    void *key, *value;
    size_t key_len, value_len;
    uint32_t n_headers;
    hx_hdr headers[Q2O_BUS_MAX_HEADERS];
} hx_msg;
typedef struct hx_msgs {
    hx_msg **m;
    size_t n, cap;
} hx_msgs;
void hx_read(hx *h, q2o_topic t, hx_msgs *out);
void hx_msgs_free(hx_msgs *ms);
/* A header's value as a string into buf; NULL if absent. */
const hx_hdr *hx_header(const hx_msg *m, const char *name, char *buf, size_t size);

/* Results decoded; *n_distinct_cmds counts command ids. Asserts every copy
 * of a command's result is byte-identical. */
typedef struct hx_result {
    q2o_result r;
    int32_t partition;
    int copies;
} hx_result;
size_t hx_results(hx *h, hx_result *out, size_t max);
const hx_result *hx_result_of(const hx_result *rs, size_t n, const char *command_id);
/* Wait until every command id in ids has a result. */
void hx_wait_results(hx *h, const char *const *ids, size_t n, int timeout_ms);

/* Events checked as the header comment says; returns the number of
 * distinct (quote, version) events. per_quote (optional) gets the highest
 * version of quote_ids[i]. */
size_t hx_check_events(hx *h, const char *const *quote_ids, size_t n_quotes, uint64_t *per_quote);

/* Heads of a store directory (worker stopped): stream id -> version, hash. */
typedef struct hx_head {
    char id[Q2O_ID_MAX];
    uint64_t version;
    uint8_t hash[32];
} hx_head;
size_t hx_store_heads(const char *dir, hx_head *out, size_t max);

#endif
