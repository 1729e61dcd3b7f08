/* worker_partition.c — the murmur2 partitioner (Kafka's Java default and
 * librdkafka's "murmur2"/"murmur2_random"): the sweeper needs to know which
 * partition a quote's commands and events live on. */
#include "worker_internal.h"

static uint32_t murmur2(const uint8_t *data, size_t len)
{
    const uint32_t m = 0x5bd1e995u;
    uint32_t h = 0x9747b28cu ^ (uint32_t)len;
    size_t i = 0;
    for (; i + 4 <= len; i += 4) {
        uint32_t k = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 | (uint32_t)data[i + 2] << 16 |
                     (uint32_t)data[i + 3] << 24;
        k *= m;
        k ^= k >> 24;
        k *= m;
        h *= m;
        h ^= k;
    }
    switch (len & 3) {
    case 3:
        h ^= (uint32_t)data[i + 2] << 16;
        /* fall through */
    case 2:
        h ^= (uint32_t)data[i + 1] << 8;
        /* fall through */
    case 1:
        h ^= data[i];
        h *= m;
    }
    h ^= h >> 13;
    h *= m;
    h ^= h >> 15;
    return h;
}

int32_t q2o_worker_partition_for_key(const void *key, size_t len, int32_t partitions)
{
    Q2O_CHECK(partitions > 0);
    return (int32_t)((murmur2(key, len) & 0x7fffffffu) % (uint32_t)partitions);
}
