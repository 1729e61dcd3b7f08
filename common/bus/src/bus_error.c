/* bus_error.c — the one place rd_kafka error codes become q2o_err, plus
 * monotonic deadlines for the bounded retry loops. */
#include <time.h>

#include "bus_internal.h"

static int is_fenced_code(rd_kafka_resp_err_t code)
{
    return code == RD_KAFKA_RESP_ERR__FENCED || code == RD_KAFKA_RESP_ERR_PRODUCER_FENCED ||
           code == RD_KAFKA_RESP_ERR_INVALID_PRODUCER_EPOCH;
}

static int is_timeout_code(rd_kafka_resp_err_t code)
{
    return code == RD_KAFKA_RESP_ERR__TIMED_OUT || code == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT ||
           code == RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE || code == RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT;
}

/* Codes that mean "the same call may succeed later" when they reach us as
 * a plain response code (the transactional APIs classify for themselves). */
static int is_transient_code(rd_kafka_resp_err_t code)
{
    switch (code) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR__RETRY:
    case RD_KAFKA_RESP_ERR__WAIT_COORD:
    case RD_KAFKA_RESP_ERR__PREV_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR_CONCURRENT_TRANSACTIONS:
    case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
        return 1;
    default:
        return 0;
    }
}

static q2o_err resp_code_class(rd_kafka_resp_err_t code)
{
    if (is_fenced_code(code))
        return Q2O_KAFKA_FENCED;
    if (is_timeout_code(code))
        return Q2O_KAFKA_TIMEOUT;
    if (is_transient_code(code))
        return Q2O_KAFKA_RETRIABLE;
    switch (code) {
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
        return Q2O_KAFKA_UNKNOWN_TOPIC;
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
        return Q2O_TOO_LARGE;
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR__UNKNOWN_BROKER:
        return Q2O_INVALID_ARGUMENT;
    default:
        return Q2O_KAFKA_FATAL; /* unclassified: fatal by policy */
    }
}

q2o_err bus_resp_err(rd_kafka_t *rk, rd_kafka_resp_err_t err, char *detail, size_t detail_size)
{
    char reason[256] = "";
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR)
        return Q2O_OK;
    if (err == RD_KAFKA_RESP_ERR__FATAL && rk) {
        /* The call only says "fatal"; the cause is kept on the handle. */
        rd_kafka_resp_err_t cause = rd_kafka_fatal_error(rk, reason, sizeof reason);
        bus_detail(detail, detail_size, "%s: %s", rd_kafka_err2name(cause), reason);
        return is_fenced_code(cause) ? Q2O_KAFKA_FENCED : Q2O_KAFKA_FATAL;
    }
    bus_detail(detail, detail_size, "%s: %s", rd_kafka_err2name(err), rd_kafka_err2str(err));
    return resp_code_class(err);
}

/* Transactional API errors carry their own class; the order matters: a
 * fatal error may also claim to be retriable, an abortable one never is. */
q2o_err bus_error_take(rd_kafka_error_t *error, char *detail, size_t detail_size)
{
    q2o_err err;
    if (!error)
        return Q2O_OK;
    rd_kafka_resp_err_t code = rd_kafka_error_code(error);
    if (rd_kafka_error_is_fatal(error))
        err = is_fenced_code(code) ? Q2O_KAFKA_FENCED : Q2O_KAFKA_FATAL;
    else if (rd_kafka_error_txn_requires_abort(error))
        err = Q2O_KAFKA_ABORTABLE;
    else if (rd_kafka_error_is_retriable(error))
        err = is_timeout_code(code) ? Q2O_KAFKA_TIMEOUT : Q2O_KAFKA_RETRIABLE;
    else
        err = Q2O_KAFKA_FATAL;
    bus_detail(detail, detail_size, "%s: %s", rd_kafka_error_name(error), rd_kafka_error_string(error));
    rd_kafka_error_destroy(error);
    return err;
}

int bus_is_retry(q2o_err err)
{
    return err == Q2O_KAFKA_RETRIABLE || err == Q2O_KAFKA_TIMEOUT;
}

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t bus_deadline(int timeout_ms)
{
    return mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);
}

void bus_backoff(int64_t deadline_ms)
{
    int ms = bus_remaining_ms(deadline_ms);
    if (ms > 100)
        ms = 100;
    struct timespec ts = {0, (long)ms * 1000000L};
    nanosleep(&ts, NULL);
}

int bus_remaining_ms(int64_t deadline_ms)
{
    int64_t left = deadline_ms - mono_ms();
    return left > 0 ? (int)left : 0;
}
