/* client.c — send a command, wait for its result (ctl/client.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"
#include "core/check.h"
#include "core/strutil.h"
#include "core/timeutil.h"
#include "runtime/worker.h"

int32_t q2o_ctl_partition(const q2o_config *cfg, const char *quote_id, char *detail, size_t detail_size)
{
    /* The function the quote worker's sweeper uses for the same question
     * (murmur2, as Java clients and the bus's producers partition keys). */
    if (cfg->bus.partitions < 1) {
        snprintf(detail, detail_size, "Q2O_PARTITIONS=%d", (int)cfg->bus.partitions);
        return -1;
    }
    return q2o_worker_partition_for_key(quote_id, strlen(quote_id), cfg->bus.partitions);
}

q2o_err q2o_ctl_client_open(const q2o_config *cfg, q2o_ctl_client **out, char *detail, size_t detail_size)
{
    q2o_ctl_client *c = calloc(1, sizeof *c);
    q2o_err e;
    *out = NULL;
    if (!c)
        return Q2O_NO_MEMORY;
    c->cfg = *cfg;
    q2o_bus_topic(&cfg->bus, Q2O_TOPIC_QUOTE_COMMANDS, c->t_commands, sizeof c->t_commands);
    q2o_bus_topic(&cfg->bus, Q2O_TOPIC_QUOTE_EVENTS, c->t_events, sizeof c->t_events);
    q2o_bus_topic(&cfg->bus, Q2O_TOPIC_QUOTE_RESULTS, c->t_results, sizeof c->t_results);
    e = q2o_codec_open_builtin(&c->codec);
    if (e == Q2O_OK)
        e = q2o_bus_producer_new(&cfg->bus, NULL, &c->producer, detail, detail_size);
    if (e != Q2O_OK) {
        q2o_ctl_client_close(c);
        return e;
    }
    *out = c;
    return Q2O_OK;
}

void q2o_ctl_client_close(q2o_ctl_client *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->n_results; i++)
        q2o_bus_reader_free(c->results[i].reader);
    q2o_bus_producer_free(c->producer);
    q2o_codec_close(c->codec);
    free(c);
}

const q2o_codec *q2o_ctl_client_codec(const q2o_ctl_client *c)
{
    return c->codec;
}

const q2o_config *q2o_ctl_client_config(const q2o_ctl_client *c)
{
    return &c->cfg;
}

q2o_err ctl_reader_at_end(q2o_ctl_client *c, const char *topic, int32_t partition, q2o_bus_reader **out,
                          int64_t *end, char *detail, size_t detail_size)
{
    /* The end offset first, then a reader assigned there as an absolute
     * offset: "latest" would be resolved by librdkafka whenever its fetcher
     * starts, possibly after the command was answered. */
    q2o_bus_reader *probe = NULL;
    q2o_err e = q2o_bus_reader_new(&c->cfg.bus, topic, partition, -2, &probe, detail, detail_size);
    if (e == Q2O_OK)
        e = q2o_bus_reader_end(probe, end);
    q2o_bus_reader_free(probe);
    if (e == Q2O_OK)
        e = q2o_bus_reader_new(&c->cfg.bus, topic, partition, *end, out, detail, detail_size);
    if (e != Q2O_OK && detail && !detail[0])
        snprintf(detail, detail_size, "%s[%d]: %s", topic, (int)partition, q2o_err_message(e));
    return e;
}

/* The results reader of partition p, positioned before anything that can
 * answer a command produced from now on. */
static q2o_err results_reader(q2o_ctl_client *c, int32_t p, q2o_bus_reader **out, char *detail, size_t detail_size)
{
    for (size_t i = 0; i < c->n_results; i++)
        if (c->results[i].partition == p) {
            *out = c->results[i].reader;
            return Q2O_OK;
        }
    int64_t end;
    q2o_bus_reader *r;
    q2o_err e = ctl_reader_at_end(c, c->t_results, p, &r, &end, detail, detail_size);
    if (e != Q2O_OK)
        return e;
    if (c->n_results == Q2O_ARRAY_LEN(c->results)) { /* bounded: drop the oldest */
        q2o_bus_reader_free(c->results[0].reader);
        memmove(&c->results[0], &c->results[1], sizeof c->results[0] * (c->n_results - 1));
        c->n_results--;
    }
    c->results[c->n_results].partition = p;
    c->results[c->n_results++].reader = r;
    *out = r;
    return Q2O_OK;
}

static q2o_err produce_command(q2o_ctl_client *c, const q2o_command *cmd, int32_t partition, q2o_time_ms ce_time,
                               char *detail, size_t detail_size)
{
    uint8_t *buf = NULL;
    size_t len = 0;
    char type[96], when[40];
    q2o_bus_header hdrs[Q2O_BUS_MAX_HEADERS];
    q2o_err e = q2o_codec_encode_command(c->codec, cmd, &buf, &len);
    if (e != Q2O_OK) {
        snprintf(detail, detail_size, "encoding the command: %s", q2o_err_message(e));
        return e;
    }
    snprintf(type, sizeof type, "q2o.quote.command.%s", q2o_command_type_name(cmd->type));
    q2o_cloudevent ce = {.id = cmd->command_id,
                         .type = type,
                         .source = "q2octl",
                         .subject = cmd->quote_id,
                         .time = q2o_time_format(ce_time ? ce_time : q2o_time_now_ms(), when, sizeof when),
                         .correlation_id = cmd->correlation_id};
    uint32_t n = q2o_bus_ce_headers(&ce, hdrs);
    e = q2o_bus_produce(c->producer, c->t_commands, partition, cmd->quote_id, strlen(cmd->quote_id), buf, len, hdrs, n);
    free(buf);
    if (e == Q2O_OK)
        e = q2o_bus_flush(c->producer, 30000);
    if (e != Q2O_OK && !detail[0])
        snprintf(detail, detail_size, "producing to %s: %s", c->t_commands, q2o_err_message(e));
    return e;
}

/* 1 when msg is the result of command_id (decoded into out). */
static int is_answer(q2o_ctl_client *c, const q2o_bus_msg *m, const q2o_command *cmd, q2o_result *out)
{
    char why[256];
    size_t klen = strlen(cmd->quote_id);
    if (m->key_len != klen || memcmp(m->key, cmd->quote_id, klen) != 0)
        return 0;
    if (q2o_codec_decode_result(c->codec, m->value, m->value_len, out, why, sizeof why) != Q2O_OK)
        return 0; /* not ours to judge: the results topic's other readers see it too */
    return strcmp(out->command_id, cmd->command_id) == 0;
}

q2o_err q2o_ctl_send(q2o_ctl_client *c, const q2o_command *cmd, const q2o_ctl_send_opts *opts, q2o_result *out,
                     int64_t *elapsed_ms, char *detail, size_t detail_size)
{
    q2o_bus_reader *r;
    detail[0] = '\0';
    int32_t p = q2o_ctl_partition(&c->cfg, cmd->quote_id, detail, detail_size);
    if (p < 0)
        return Q2O_CONFIG_INVALID;
    q2o_err e = results_reader(c, p, &r, detail, detail_size);
    if (e != Q2O_OK)
        return e;
    uint64_t t0 = q2o_time_mono_ns();
    e = produce_command(c, cmd, p, opts->ce_time, detail, detail_size);
    if (e != Q2O_OK)
        return e;
    uint64_t deadline = t0 + (uint64_t)(opts->timeout_ms > 0 ? opts->timeout_ms : 0) * 1000000u;
    for (;;) {
        uint64_t now = q2o_time_mono_ns();
        if (now >= deadline) {
            snprintf(detail, detail_size,
                     "no result for command %s on %s[%d] within %d ms (is q2o-quote-worker running and "
                     "consuming %s?)",
                     cmd->command_id, c->t_results, (int)p, opts->timeout_ms, c->t_commands);
            return Q2O_KAFKA_TIMEOUT;
        }
        int wait_ms = (int)((deadline - now) / 1000000u);
        q2o_bus_msg *m = NULL;
        int64_t pos;
        e = q2o_bus_reader_poll(r, wait_ms < 200 ? (wait_ms > 0 ? wait_ms : 1) : 200, &m, &pos);
        if (e != Q2O_OK) {
            snprintf(detail, detail_size, "reading %s[%d]: %s", c->t_results, (int)p, q2o_err_message(e));
            return e;
        }
        if (!m)
            continue;
        int mine = is_answer(c, m, cmd, out);
        q2o_bus_msg_free(m);
        if (mine) {
            if (elapsed_ms)
                *elapsed_ms = (int64_t)((q2o_time_mono_ns() - t0) / 1000000u);
            return Q2O_OK;
        }
    }
}
