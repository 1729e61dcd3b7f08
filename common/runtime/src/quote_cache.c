/*
 * quote_cache.c — the handler's cache of loaded quotes (the contract is in
 * runtime/quote_handler.h; quote_cache_internal.h is the handler's side).
 *
 * Layout: a fixed table of entries (capacity max_quotes), a bucket array of
 * chains for lookup by quote id, a doubly linked LRU list through the
 * entries (head = most recently used) and a free list. Indexes, not
 * pointers, so the whole table is one allocation.
 */
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "quote_cache_internal.h"

#define NIL UINT32_MAX

typedef struct entry {
    q2o_quote q;
    char key[Q2O_ID_MAX];         /* the quote id (q is emptied while it loads) */
    size_t bytes;                 /* accounted size: the struct and its arrays */
    uint32_t prev, next;          /* LRU list */
    uint32_t chain;               /* next entry of the bucket, or of the free list */
    int used;
} entry;

struct q2o_quote_cache {
    size_t max_bytes, bytes;
    uint32_t max_quotes, n_buckets; /* n_buckets: a power of two >= max_quotes */
    entry *entries;
    uint32_t *buckets;
    uint32_t free_head, lru_head, lru_tail;
    uint32_t current;             /* the entry handed out by quote_cache_load */
    q2o_quote_cache_stats stats;
    q2o_decision decision;        /* scratch: ~29 KB not allocated per command */
};

/* FNV-1a: quote ids are short; any spread will do. */
static uint32_t bucket_of(const q2o_quote_cache *c, const char *id)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h & (c->n_buckets - 1);
}

static size_t bytes_of(const q2o_quote *q)
{
    return sizeof(entry) + q->cap_revisions * sizeof *q->revisions + q->cap_lines * sizeof *q->lines +
           q->n_baseline * sizeof *q->baseline;
}

q2o_quote_cache *q2o_quote_cache_new(uint32_t max_quotes, size_t max_bytes)
{
    if (max_quotes == 0)
        return NULL;
    q2o_quote_cache *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->max_quotes = max_quotes;
    c->max_bytes = max_bytes;
    c->n_buckets = 1;
    while (c->n_buckets < max_quotes)
        c->n_buckets *= 2;
    c->entries = calloc(max_quotes, sizeof *c->entries);
    c->buckets = malloc(c->n_buckets * sizeof *c->buckets);
    if (!c->entries || !c->buckets) {
        q2o_quote_cache_free(c);
        return NULL;
    }
    for (uint32_t i = 0; i < c->n_buckets; i++)
        c->buckets[i] = NIL;
    for (uint32_t i = 0; i < max_quotes; i++)
        c->entries[i].chain = i + 1 < max_quotes ? i + 1 : NIL;
    c->free_head = 0;
    c->lru_head = c->lru_tail = c->current = NIL;
    return c;
}

void q2o_quote_cache_free(q2o_quote_cache *c)
{
    if (!c)
        return;
    for (uint32_t i = 0; c->entries && i < c->max_quotes; i++)
        q2o_quote_release(&c->entries[i].q);
    free(c->entries);
    free(c->buckets);
    free(c);
}

q2o_quote_cache_stats q2o_quote_cache_stats_get(const q2o_quote_cache *c)
{
    q2o_quote_cache_stats s = c->stats;
    s.bytes = c->bytes;
    return s;
}

/* ---- lists ------------------------------------------------------------ */

static void lru_unlink(q2o_quote_cache *c, uint32_t i)
{
    entry *e = &c->entries[i];
    if (e->prev != NIL)
        c->entries[e->prev].next = e->next;
    else
        c->lru_head = e->next;
    if (e->next != NIL)
        c->entries[e->next].prev = e->prev;
    else
        c->lru_tail = e->prev;
    e->prev = e->next = NIL;
}

static void lru_push_front(q2o_quote_cache *c, uint32_t i)
{
    entry *e = &c->entries[i];
    e->prev = NIL;
    e->next = c->lru_head;
    if (c->lru_head != NIL)
        c->entries[c->lru_head].prev = i;
    c->lru_head = i;
    if (c->lru_tail == NIL)
        c->lru_tail = i;
}

static uint32_t find(const q2o_quote_cache *c, const char *id)
{
    for (uint32_t i = c->buckets[bucket_of(c, id)]; i != NIL; i = c->entries[i].chain)
        if (strcmp(c->entries[i].key, id) == 0)
            return i;
    return NIL;
}

/* Forget entry i: its state's arrays are freed, the slot goes back to the
 * free list. */
static void evict(q2o_quote_cache *c, uint32_t i)
{
    entry *e = &c->entries[i];
    Q2O_CHECK(e->used);
    uint32_t *link = &c->buckets[bucket_of(c, e->key)];
    while (*link != i) {
        Q2O_CHECK(*link != NIL);
        link = &c->entries[*link].chain;
    }
    *link = e->chain;
    lru_unlink(c, i);
    c->bytes -= e->bytes;
    q2o_quote_release(&e->q);
    memset(e, 0, sizeof *e);
    e->chain = c->free_head;
    c->free_head = i;
    if (c->current == i)
        c->current = NIL;
}

/* An entry for id, most recently used: the cached one, or a new slot
 * (evicting the least recently used quote when the table is full) holding
 * an empty state that is not valid yet. */
static uint32_t acquire(q2o_quote_cache *c, const char *id, int *found)
{
    uint32_t i = find(c, id);
    *found = i != NIL;
    if (i != NIL) {
        lru_unlink(c, i);
        lru_push_front(c, i);
        return i;
    }
    if (c->free_head == NIL) {
        c->stats.evictions++;
        evict(c, c->lru_tail);
    }
    i = c->free_head;
    entry *e = &c->entries[i];
    c->free_head = e->chain;
    q2o_quote_init(&e->q);
    Q2O_CHECK(strlen(id) < sizeof e->key);
    memcpy(e->key, id, strlen(id) + 1);
    e->used = 1;
    e->bytes = sizeof *e;
    c->bytes += e->bytes;
    uint32_t b = bucket_of(c, id);
    e->chain = c->buckets[b];
    c->buckets[b] = i;
    lru_push_front(c, i);
    return i;
}

/* ---- the handler's side ------------------------------------------------ */

q2o_decision *quote_cache_decision(q2o_quote_cache *c)
{
    return &c->decision;
}

static int same_head(const q2o_quote *q, uint64_t version, const uint8_t hash[Q2O_SHA256_LEN])
{
    return q->version == version && memcmp(q->head_hash, hash, Q2O_SHA256_LEN) == 0;
}

q2o_err quote_cache_load(q2o_quote_cache *c, q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                         q2o_quote **out, char *detail, size_t detail_size)
{
    uint64_t version = 0;
    uint8_t hash[Q2O_SHA256_LEN];
    int found;
    *out = NULL;
    q2o_err e = q2o_store_head(txn, quote_id, &version, hash);
    if (e != Q2O_OK)
        return e;
    uint32_t i = acquire(c, quote_id, &found);
    entry *en = &c->entries[i];
    c->current = i;
    if (found && same_head(&en->q, version, hash)) {
        c->stats.hits++;
        *out = &en->q;
        return Q2O_OK;
    }
    c->stats.misses++;
    e = q2o_quote_load(txn, codec, quote_id, &en->q, detail, detail_size);
    if (e != Q2O_OK) {
        evict(c, i);
        return e;
    }
    *out = &en->q;
    return Q2O_OK;
}

void quote_cache_settle(q2o_quote_cache *c, int ok)
{
    uint32_t i = c->current;
    c->current = NIL;
    if (i == NIL)
        return;
    entry *en = &c->entries[i];
    if (!ok || !en->q.exists) { /* a half-evolved state, or nothing worth keeping */
        evict(c, i);
        return;
    }
    c->bytes -= en->bytes;
    en->bytes = bytes_of(&en->q);
    c->bytes += en->bytes;
    while (c->bytes > c->max_bytes && c->lru_tail != NIL) {
        c->stats.evictions++;
        evict(c, c->lru_tail); /* ends with i itself if it alone is over the budget */
    }
}
