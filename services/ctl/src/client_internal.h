/* client_internal.h — the client struct, shared by client.c and view.c. */
#ifndef Q2O_CTL_CLIENT_INTERNAL_H
#define Q2O_CTL_CLIENT_INTERNAL_H

#include "bus/bus.h"
#include "ctl/client.h"

/* Results readers kept open (one per partition a client sent to). */
#define CTL_MAX_RESULT_READERS 16

struct q2o_ctl_client {
    q2o_config cfg;
    q2o_codec *codec;
    q2o_bus_producer *producer;
    char t_commands[Q2O_BUS_NAME_MAX], t_events[Q2O_BUS_NAME_MAX], t_results[Q2O_BUS_NAME_MAX];
    struct {
        int32_t partition;
        q2o_bus_reader *reader;
    } results[CTL_MAX_RESULT_READERS];
    size_t n_results;
};

/* A reader of topic[partition] positioned at the partition's end offset
 * (also returned in *end). */
q2o_err ctl_reader_at_end(q2o_ctl_client *c, const char *topic, int32_t partition, q2o_bus_reader **out,
                          int64_t *end, char *detail, size_t detail_size);

#endif
