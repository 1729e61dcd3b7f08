/* worker_metrics.c — counters, histograms and their Prometheus text. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "worker_internal.h"

const double wm_bucket_le[WM_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

void wm_observe(wm_hist *h, uint64_t ns)
{
    double s = (double)ns / 1e9;
    unsigned i = 0;
    while (i < WM_BUCKETS && s > wm_bucket_le[i])
        i++;
    atomic_fetch_add(&h->bucket[i], 1);
    atomic_fetch_add(&h->count, 1);
    atomic_fetch_add(&h->sum_ns, ns);
}

void q2o_worker_stats_get(const q2o_worker *cw, q2o_worker_stats *out)
{
    const q2o_worker *w = cw;
    out->consumed = atomic_load(&w->m.consumed);
    out->produced = atomic_load(&w->m.produced);
    out->rejected = atomic_load(&w->m.rejected);
    out->deadlettered = atomic_load(&w->m.deadlettered);
    out->batches = atomic_load(&w->m.batches);
    out->commits = atomic_load(&w->m.commits);
    out->aborts = atomic_load(&w->m.aborts);
    out->restore_events = atomic_load(&w->m.restore_events);
    out->lag = atomic_load(&w->m.lag);
    out->ready = atomic_load(&w->ready);
}

typedef struct out {
    char *buf;
    size_t size, len;
} out;

static void emit(out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void emit(out *o, const char *fmt, ...)
{
    if (o->len + 1 >= o->size)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->size - o->len, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    o->len += (size_t)n;
    if (o->len >= o->size)
        o->len = o->size - 1;
}

static void counter(out *o, const char *worker, const char *name, const char *help, uint64_t v)
{
    emit(o, "# HELP %s %s\n# TYPE %s counter\n%s{worker=\"%s\"} %" PRIu64 "\n", name, help, name, name, worker, v);
}

static void gauge(out *o, const char *worker, const char *name, const char *help, int64_t v)
{
    emit(o, "# HELP %s %s\n# TYPE %s gauge\n%s{worker=\"%s\"} %" PRId64 "\n", name, help, name, name, worker, v);
}

static void histogram(out *o, const char *worker, const char *name, const char *help, const wm_hist *h)
{
    uint64_t cum = 0;
    emit(o, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
    for (unsigned i = 0; i < WM_BUCKETS; i++) {
        cum += atomic_load(&h->bucket[i]);
        emit(o, "%s_bucket{worker=\"%s\",le=\"%g\"} %" PRIu64 "\n", name, worker, wm_bucket_le[i], cum);
    }
    cum += atomic_load(&h->bucket[WM_BUCKETS]);
    emit(o, "%s_bucket{worker=\"%s\",le=\"+Inf\"} %" PRIu64 "\n", name, worker, cum);
    emit(o, "%s_sum{worker=\"%s\"} %.6f\n", name, worker, (double)atomic_load(&h->sum_ns) / 1e9);
    emit(o, "%s_count{worker=\"%s\"} %" PRIu64 "\n", name, worker, atomic_load(&h->count));
}

size_t q2o_worker_metrics_render(const q2o_worker *cw, char *buf, size_t size)
{
    const q2o_worker *w = cw;
    out o = {buf, size, 0};
    const char *n = w->ops->name ? w->ops->name : "worker";
    if (!size)
        return 0;
    buf[0] = '\0';
    counter(&o, n, "q2o_consumed_total", "Input messages handled in committed batches.", atomic_load(&w->m.consumed));
    counter(&o, n, "q2o_produced_total", "Messages produced in committed batches.", atomic_load(&w->m.produced));
    counter(&o, n, "q2o_rejected_total", "Commands refused by a domain rule.", atomic_load(&w->m.rejected));
    counter(&o, n, "q2o_deadlettered_total", "Messages sent to the dead-letter topic.",
            atomic_load(&w->m.deadlettered));
    counter(&o, n, "q2o_batches_total", "Committed batches.", atomic_load(&w->m.batches));
    counter(&o, n, "q2o_aborts_total", "Aborted batch attempts (redone or fatal).", atomic_load(&w->m.aborts));
    histogram(&o, n, "q2o_batch_seconds", "Time from begin to store commit of a committed batch.",
              &w->m.batch_seconds);
    histogram(&o, n, "q2o_commit_seconds", "Time of the Kafka commit_transaction call.", &w->m.commit_seconds);
    counter(&o, n, "q2o_restore_events_total", "Events read from the log to restore the projection.",
            atomic_load(&w->m.restore_events));
    gauge(&o, n, "q2o_restore_ready", "1 when every assigned partition is restored.", atomic_load(&w->ready));
    gauge(&o, n, "q2o_consumer_lag", "Sum over assigned partitions of high watermark minus position.",
          atomic_load(&w->m.lag));
    return o.len;
}
