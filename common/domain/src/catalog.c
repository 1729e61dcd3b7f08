/*
 * The catalog's memory (one block arena) and its indexes: open-addressing
 * hash tables over string keys (FNV-1a 64), so a lookup costs O(1) expected
 * however large the catalog. A key may name several items (a multimap:
 * contracted prices of one account and offering, rules of one offering);
 * they chain in catalog order.
 */
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "domain/catalog.h"

/* ---------------------------------------------------------------- names */

#define NAME_FN_(fn, T, LIST)                                   \
    static const char *const fn##_names_[] = {LIST(SYM2_)};     \
    const char *fn##_name(T v)                                  \
    {                                                           \
        unsigned i = (unsigned)v;                               \
        return i < Q2O_ARRAY_LEN(fn##_names_) ? fn##_names_[i] : "?"; \
    }                                                           \
    int fn##_parse(const char *s)                               \
    {                                                           \
        for (unsigned i = 0; s && i < Q2O_ARRAY_LEN(fn##_names_); i++) \
            if (strcmp(s, fn##_names_[i]) == 0)                 \
                return (int)i;                                  \
        return -1;                                              \
    }
#define SYM2_(n, s) s,
NAME_FN_(q2o_charge_type, q2o_charge_type, Q2O_CHARGE_LIST)
NAME_FN_(q2o_attr_kind, q2o_attr_kind, Q2O_ATTR_KIND_LIST)
NAME_FN_(q2o_tier_mode, q2o_tier_mode, Q2O_TIER_MODE_LIST)
NAME_FN_(q2o_schedule_kind, q2o_schedule_kind, Q2O_SCHEDULE_KIND_LIST)
NAME_FN_(q2o_rule_kind, q2o_rule_kind, Q2O_RULE_KIND_LIST)
NAME_FN_(q2o_rule_scope, q2o_rule_scope, Q2O_RULE_SCOPE_LIST)
NAME_FN_(q2o_freight_kind, q2o_freight_kind, Q2O_FREIGHT_KIND_LIST)
#undef SYM2_
#undef NAME_FN_

/* ---------------------------------------------------------------- arena */

#define ARENA_BLOCK (1u << 20)

typedef struct arena_block {
    struct arena_block *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char data[];
} arena_block;

/* ---------------------------------------------------------------- maps */

typedef enum map_kind {
    MAP_OFFERING, MAP_PRICE, MAP_CONTRACT, MAP_CUSTOMER, MAP_TIER, MAP_SCHEDULE, MAP_PROMOTION,
    MAP_AUTO_PROMO, MAP_ORDER_TYPE, MAP_REGION_ADJ, MAP_TAX, MAP_STOCK, MAP_RULE_WHEN, MAP_RULE_ID, MAP__COUNT
} map_kind;

typedef struct cat_map {
    uint32_t mask;          /* capacity - 1 (a power of two) */
    uint32_t *head;         /* slot -> first item + 1 (0 = empty) */
    uint64_t *hash;         /* slot -> key hash */
    uint32_t *next;         /* item -> next item with the same key + 1 */
    uint32_t *tail;         /* slot -> last item + 1, to keep catalog order */
} cat_map;

struct q2o_catalog_index {
    arena_block *arena;
    cat_map maps[MAP__COUNT];
    uint32_t *price_base;   /* price book i's prices are items price_base[i] .. */
    uint32_t n_prices;
    const q2o_cat_promotion **auto_all; /* automatic promotions covering everything */
    uint32_t n_auto_all;
    uint32_t *auto_items;   /* MAP_AUTO_PROMO item -> promotion index */
    const char **auto_keys; /* MAP_AUTO_PROMO item -> offering id */
    uint32_t n_auto_items;
    const q2o_cat_rule **rule_ptrs; /* rules grouped by `when` offering, catalog order within */
    uint32_t *rule_run_start;       /* first rule of a group -> its run in rule_ptrs */
    uint32_t *rule_run_len;
    int sealed;
};

/* A key: a string within a scope (the price book of a price; 0 otherwise). */
typedef struct map_key {
    uint32_t scope;
    const char *s;
    const char *s2;         /* second part (contract prices: offering id) */
} map_key;

static uint64_t fnv1a(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    h ^= 0xff; /* separator, so ("ab","c") differs from ("a","bc") */
    return h * 1099511628211ull;
}

static uint64_t key_hash(const map_key *k)
{
    uint64_t h = 14695981039346656037ull ^ ((uint64_t)k->scope * 0x9e3779b97f4a7c15ull);
    h = fnv1a(h, k->s);
    if (k->s2)
        h = fnv1a(h, k->s2);
    return h | 1; /* never 0 */
}

/* The key of item i of a map. */
static map_key item_key(const q2o_catalog *c, map_kind m, uint32_t i)
{
    const q2o_catalog_index *x = c->index;
    map_key k = {0, "", NULL};
    switch (m) {
    case MAP_OFFERING: k.s = c->offerings[i].id; break;
    case MAP_PRICE: {
        uint32_t pb = 0, hi = c->n_pricebooks; /* last book whose base <= i */
        while (hi - pb > 1) {
            uint32_t mid = pb + (hi - pb) / 2;
            if (x->price_base[mid] <= i)
                pb = mid;
            else
                hi = mid;
        }
        k.scope = pb;
        k.s = c->pricebooks[pb].prices[i - x->price_base[pb]].offering_id;
        break;
    }
    case MAP_CONTRACT:
        k.s = c->contract_prices[i].account_id;
        k.s2 = c->contract_prices[i].offering_id;
        break;
    case MAP_CUSTOMER: k.s = c->customers[i].account_id; break;
    case MAP_TIER: k.s = c->tier_discounts[i].tier; break;
    case MAP_SCHEDULE: k.s = c->schedules[i].id; break;
    case MAP_PROMOTION: k.s = c->promotions[i].code; break;
    case MAP_AUTO_PROMO: k.s = x->auto_keys[i]; break;
    case MAP_ORDER_TYPE: k.s = c->order_types[i].code; break;
    case MAP_REGION_ADJ: k.s = c->region_adjustments[i].region; break;
    case MAP_TAX: k.s = c->tax_rates[i].region; break;
    case MAP_STOCK: k.s = c->stock[i].offering_id; break;
    case MAP_RULE_WHEN: k.s = c->rules[i].when.offering_id; break;
    case MAP_RULE_ID: k.s = c->rules[i].id; break;
    case MAP__COUNT: break;
    }
    return k;
}

static int key_eq(const map_key *a, const map_key *b)
{
    return a->scope == b->scope && strcmp(a->s, b->s) == 0 &&
           ((!a->s2 && !b->s2) || (a->s2 && b->s2 && strcmp(a->s2, b->s2) == 0));
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    Q2O_CHECK(p != NULL);
    return p;
}

/* Slot of key k: its slot if present, else the empty slot where it goes. */
static uint32_t map_slot(const q2o_catalog *c, map_kind m, const map_key *k, uint64_t h)
{
    const cat_map *map = &c->index->maps[m];
    uint32_t s = (uint32_t)h & map->mask;
    for (;;) {
        if (!map->head[s])
            return s;
        if (map->hash[s] == h) {
            map_key other = item_key(c, m, map->head[s] - 1);
            if (key_eq(k, &other))
                return s;
        }
        s = (s + 1) & map->mask;
    }
}

/* Build map m over n items; returns the first item whose key repeats (+1)
 * when unique keys are required, else 0. */
static uint32_t map_build(q2o_catalog *c, map_kind m, uint32_t n, int unique)
{
    cat_map *map = &c->index->maps[m];
    uint32_t cap = 8, dup = 0;
    while (cap < 2 * (uint64_t)n + 1)
        cap <<= 1;
    map->mask = cap - 1;
    map->head = xcalloc(cap, sizeof *map->head);
    map->tail = xcalloc(cap, sizeof *map->tail);
    map->hash = xcalloc(cap, sizeof *map->hash);
    map->next = xcalloc(n, sizeof *map->next);
    for (uint32_t i = 0; i < n; i++) {
        map_key k = item_key(c, m, i);
        uint64_t h = key_hash(&k);
        uint32_t s = map_slot(c, m, &k, h);
        if (!map->head[s]) {
            map->head[s] = map->tail[s] = i + 1;
            map->hash[s] = h;
            continue;
        }
        if (unique && !dup)
            dup = i + 1;
        map->next[map->tail[s] - 1] = i + 1;
        map->tail[s] = i + 1;
    }
    return dup;
}

/* First item (+1) with key k, or 0. */
static uint32_t map_find(const q2o_catalog *c, map_kind m, const map_key *k)
{
    Q2O_CHECK(c->index && c->index->sealed);
    const cat_map *map = &c->index->maps[m];
    if (!map->head)
        return 0;
    uint32_t s = map_slot(c, m, k, key_hash(k));
    return map->head[s];
}

static uint32_t map_next(const q2o_catalog *c, map_kind m, uint32_t item_plus_1)
{
    return c->index->maps[m].next[item_plus_1 - 1];
}

static void map_free(cat_map *map)
{
    free(map->head);
    free(map->tail);
    free(map->hash);
    free(map->next);
}

/* ---------------------------------------------------------------- life cycle */

q2o_catalog *q2o_catalog_new(void)
{
    q2o_catalog *c = xcalloc(1, sizeof *c);
    c->index = xcalloc(1, sizeof *c->index);
    c->version = 1;
    c->price_validity_days = 30;
    q2o_approval_policy_default(&c->approval);
    c->acceptance.allowed_methods = (1u << Q2O_AM__COUNT) - 1;
    c->acceptance.block_after_expiry = 1;
    c->acceptance.block_legal_entity_mismatch = 1;
    return c;
}

/* Drop the indexes (not the arena): unsealed again. */
static void index_reset(q2o_catalog_index *x)
{
    for (int m = 0; m < MAP__COUNT; m++)
        map_free(&x->maps[m]);
    free(x->price_base);
    free(x->auto_all);
    free(x->auto_items);
    free(x->auto_keys);
    free(x->rule_ptrs);
    free(x->rule_run_start);
    free(x->rule_run_len);
    arena_block *arena = x->arena;
    memset(x, 0, sizeof *x);
    x->arena = arena;
}

void q2o_catalog_free(q2o_catalog *c)
{
    if (!c)
        return;
    q2o_catalog_index *x = c->index;
    index_reset(x);
    for (arena_block *b = x->arena, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(x);
    free(c);
}

void *q2o_catalog_alloc(q2o_catalog *c, size_t n, size_t size)
{
    Q2O_CHECK(size == 0 || n <= SIZE_MAX / size);
    size_t bytes = n * size, align = alignof(max_align_t);
    bytes = (bytes + align - 1) & ~(align - 1);
    if (bytes == 0)
        bytes = align;
    q2o_catalog_index *x = c->index;
    arena_block *b = x->arena;
    if (!b || b->cap - b->used < bytes) {
        size_t cap = bytes > ARENA_BLOCK ? bytes : ARENA_BLOCK;
        arena_block *nb = malloc(sizeof *nb + cap);
        Q2O_CHECK(nb != NULL);
        nb->used = 0;
        nb->cap = cap;
        if (b && bytes > ARENA_BLOCK) { /* a big one: keep the current block open */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            x->arena = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += bytes;
    memset(p, 0, bytes);
    return p;
}

/* ---------------------------------------------------------------- sealing */

static q2o_err dup_error(char *detail, size_t size, const char *what, const char *id)
{
    snprintf(detail, size, "duplicate %s '%s'", what, id);
    return Q2O_CATALOG_INVALID;
}

static void index_auto_promotions(q2o_catalog *c)
{
    q2o_catalog_index *x = c->index;
    uint32_t n_all = 0, n_items = 0;
    for (uint32_t i = 0; i < c->n_promotions; i++) {
        const q2o_cat_promotion *p = &c->promotions[i];
        if (p->automatic)
            p->n_offerings ? (n_items += p->n_offerings) : n_all++;
    }
    x->auto_all = xcalloc(n_all, sizeof *x->auto_all);
    x->auto_items = xcalloc(n_items, sizeof *x->auto_items);
    x->auto_keys = xcalloc(n_items, sizeof *x->auto_keys);
    for (uint32_t i = 0; i < c->n_promotions; i++) {
        const q2o_cat_promotion *p = &c->promotions[i];
        if (!p->automatic)
            continue;
        if (!p->n_offerings)
            x->auto_all[x->n_auto_all++] = p;
        for (uint32_t k = 0; k < p->n_offerings; k++) {
            x->auto_items[x->n_auto_items] = i;
            x->auto_keys[x->n_auto_items++] = p->offerings[k];
        }
    }
    map_build(c, MAP_AUTO_PROMO, x->n_auto_items, 0);
}

/* Rules grouped by the offering their condition names, so that
 * q2o_catalog_rules_when answers with one contiguous run. */
static void index_rules(q2o_catalog *c)
{
    q2o_catalog_index *x = c->index;
    map_build(c, MAP_RULE_WHEN, c->n_rules, 0);
    x->rule_ptrs = xcalloc(c->n_rules, sizeof *x->rule_ptrs);
    x->rule_run_start = xcalloc(c->n_rules, sizeof *x->rule_run_start);
    x->rule_run_len = xcalloc(c->n_rules, sizeof *x->rule_run_len);
    uint32_t pos = 0;
    for (uint32_t i = 0; i < c->n_rules; i++) {
        map_key k = item_key(c, MAP_RULE_WHEN, i);
        uint32_t first = map_find(c, MAP_RULE_WHEN, &k);
        if (first != i + 1)
            continue; /* not the head of its group: placed with the head */
        x->rule_run_start[i] = pos;
        for (uint32_t j = first; j; j = map_next(c, MAP_RULE_WHEN, j)) {
            x->rule_ptrs[pos++] = &c->rules[j - 1];
            x->rule_run_len[i]++;
        }
    }
}

/* Sealing proper; on failure the caller drops the half-built indexes. */
static q2o_err seal(q2o_catalog *c, char *detail, size_t detail_size)
{
    q2o_catalog_index *x = c->index;
    uint32_t d;
    x->sealed = 1; /* item_key/map_find may run from here on */
    x->price_base = xcalloc(c->n_pricebooks + 1u, sizeof *x->price_base);
    for (uint32_t i = 0; i < c->n_pricebooks; i++) {
        Q2O_CHECK(x->n_prices <= UINT32_MAX - c->pricebooks[i].n_prices);
        x->price_base[i] = x->n_prices;
        x->n_prices += c->pricebooks[i].n_prices;
    }
    x->price_base[c->n_pricebooks] = x->n_prices;
    if ((d = map_build(c, MAP_OFFERING, c->n_offerings, 1)))
        return dup_error(detail, detail_size, "offering id", c->offerings[d - 1].id);
    if ((d = map_build(c, MAP_PRICE, x->n_prices, 1))) {
        map_key k = item_key(c, MAP_PRICE, d - 1);
        return dup_error(detail, detail_size, "price book entry for offering", k.s);
    }
    for (uint32_t i = 0; i < c->n_pricebooks; i++)
        for (uint32_t j = 0; j < i; j++)
            if (strcmp(c->pricebooks[i].id, c->pricebooks[j].id) == 0 &&
                c->pricebooks[i].version == c->pricebooks[j].version)
                return dup_error(detail, detail_size, "price book id and version", c->pricebooks[i].id);
    map_build(c, MAP_CONTRACT, c->n_contract_prices, 0);
    if ((d = map_build(c, MAP_CUSTOMER, c->n_customers, 1)))
        return dup_error(detail, detail_size, "customer account", c->customers[d - 1].account_id);
    if ((d = map_build(c, MAP_TIER, c->n_tier_discounts, 1)))
        return dup_error(detail, detail_size, "customer tier", c->tier_discounts[d - 1].tier);
    if ((d = map_build(c, MAP_SCHEDULE, c->n_schedules, 1)))
        return dup_error(detail, detail_size, "discount schedule id", c->schedules[d - 1].id);
    if ((d = map_build(c, MAP_PROMOTION, c->n_promotions, 1)))
        return dup_error(detail, detail_size, "promotion code", c->promotions[d - 1].code);
    if ((d = map_build(c, MAP_ORDER_TYPE, c->n_order_types, 1)))
        return dup_error(detail, detail_size, "order type", c->order_types[d - 1].code);
    if ((d = map_build(c, MAP_REGION_ADJ, c->n_region_adjustments, 1)))
        return dup_error(detail, detail_size, "regional adjustment", c->region_adjustments[d - 1].region);
    if ((d = map_build(c, MAP_TAX, c->n_tax_rates, 1)))
        return dup_error(detail, detail_size, "tax rate region", c->tax_rates[d - 1].region);
    if ((d = map_build(c, MAP_STOCK, c->n_stock, 1)))
        return dup_error(detail, detail_size, "stock level for offering", c->stock[d - 1].offering_id);
    if ((d = map_build(c, MAP_RULE_ID, c->n_rules, 1)))
        return dup_error(detail, detail_size, "rule id", c->rules[d - 1].id);
    index_rules(c);
    index_auto_promotions(c);
    return Q2O_OK;
}

/* A failed seal must not leave a catalog that looks sealed: its lookups
 * would answer "absent" from the indexes never built, and sealing it again
 * would return Q2O_OK. It is left unsealed (lookups abort) instead. */
q2o_err q2o_catalog_seal(q2o_catalog *c, char *detail, size_t detail_size)
{
    if (c->index->sealed)
        return Q2O_OK;
    q2o_err e = seal(c, detail, detail_size);
    if (e != Q2O_OK)
        index_reset(c->index);
    return e;
}

/* ---------------------------------------------------------------- lookups */

static uint32_t find1(const q2o_catalog *c, map_kind m, const char *s)
{
    map_key k = {0, s ? s : "", NULL};
    return map_find(c, m, &k);
}

const q2o_cat_offering *q2o_catalog_offering(const q2o_catalog *c, const char *offering_id)
{
    uint32_t i = find1(c, MAP_OFFERING, offering_id);
    return i ? &c->offerings[i - 1] : NULL;
}

const q2o_cat_attribute *q2o_offering_attribute(const q2o_cat_offering *o, const char *name)
{
    for (uint32_t i = 0; i < o->n_attributes; i++)
        if (strcmp(o->attributes[i].name, name) == 0)
            return &o->attributes[i];
    return NULL;
}

const q2o_cat_option_group *q2o_offering_group_of(const q2o_cat_offering *o, const char *child_offering_id)
{
    for (uint32_t g = 0; g < o->n_groups; g++)
        for (uint32_t i = 0; i < o->groups[g].n_options; i++)
            if (strcmp(o->groups[g].options[i], child_offering_id) == 0)
                return &o->groups[g];
    return NULL;
}

static int listed(uint32_t n, q2o_cat_code *list, const char *v)
{
    if (n == 0)
        return 1;
    for (uint32_t i = 0; i < n; i++)
        if (v && strcmp(list[i], v) == 0)
            return 1;
    return 0;
}

int q2o_offering_eligible(const q2o_cat_offering *o, const char *region, const char *segment, const char *channel)
{
    const q2o_cat_eligibility *e = &o->eligibility;
    return listed(e->n_regions, e->regions, region) && listed(e->n_segments, e->segments, segment) &&
           listed(e->n_channels, e->channels, channel);
}

int q2o_offering_active(const q2o_cat_offering *o, q2o_time_ms date)
{
    return (!o->active_from || date >= o->active_from) && (!o->active_until || date < o->active_until);
}

static int in_window(q2o_time_ms from, q2o_time_ms until, q2o_time_ms date)
{
    return (!from || date >= from) && (!until || date < until);
}

/* 2 = exact match, 1 = "any", 0 = no match. */
static int selector_score(const char *want, const char *have)
{
    if (!have[0])
        return 1;
    return want && strcmp(want, have) == 0 ? 2 : 0;
}

const q2o_cat_pricebook *q2o_catalog_pricebook(const q2o_catalog *c, const char *currency, const char *market,
                                               const char *channel, q2o_time_ms date)
{
    const q2o_cat_pricebook *best = NULL;
    int best_score = -1;
    for (uint32_t i = 0; i < c->n_pricebooks; i++) {
        const q2o_cat_pricebook *pb = &c->pricebooks[i];
        int ms = selector_score(market, pb->market), cs = selector_score(channel, pb->channel);
        if (strcmp(pb->currency, currency ? currency : "") != 0 || !ms || !cs ||
            !in_window(pb->valid_from, pb->valid_until, date))
            continue;
        int score = ms * 3 + cs;
        if (score > best_score || (score == best_score && pb->version > best->version)) {
            best = pb;
            best_score = score;
        }
    }
    return best;
}

const q2o_cat_price *q2o_pricebook_price(const q2o_catalog *c, const q2o_cat_pricebook *pb, const char *offering_id)
{
    uint32_t pbi = (uint32_t)(pb - c->pricebooks);
    Q2O_CHECK(pbi < c->n_pricebooks);
    map_key k = {pbi, offering_id ? offering_id : "", NULL};
    uint32_t i = map_find(c, MAP_PRICE, &k);
    return i ? &pb->prices[i - 1 - c->index->price_base[pbi]] : NULL;
}

const q2o_cat_contract_price *q2o_catalog_contract_price(const q2o_catalog *c, const char *account_id,
                                                         const char *offering_id, const char *currency,
                                                         q2o_time_ms date)
{
    map_key k = {0, account_id ? account_id : "", offering_id ? offering_id : ""};
    for (uint32_t i = map_find(c, MAP_CONTRACT, &k); i; i = map_next(c, MAP_CONTRACT, i)) {
        const q2o_cat_contract_price *p = &c->contract_prices[i - 1];
        if (strcmp(p->currency, currency ? currency : "") == 0 && in_window(p->valid_from, p->valid_until, date))
            return p;
    }
    return NULL;
}

const q2o_cat_customer *q2o_catalog_customer(const q2o_catalog *c, const char *account_id)
{
    uint32_t i = find1(c, MAP_CUSTOMER, account_id);
    return i ? &c->customers[i - 1] : NULL;
}

const q2o_cat_tier_discount *q2o_catalog_tier_discount(const q2o_catalog *c, const char *tier)
{
    uint32_t i = find1(c, MAP_TIER, tier);
    return i ? &c->tier_discounts[i - 1] : NULL;
}

const q2o_cat_schedule *q2o_catalog_schedule(const q2o_catalog *c, const char *schedule_id)
{
    uint32_t i = find1(c, MAP_SCHEDULE, schedule_id);
    return i ? &c->schedules[i - 1] : NULL;
}

const q2o_cat_promotion *q2o_catalog_promotion(const q2o_catalog *c, const char *code)
{
    uint32_t i = find1(c, MAP_PROMOTION, code);
    return i ? &c->promotions[i - 1] : NULL;
}

int q2o_promotion_covers(const q2o_cat_promotion *p, const char *offering_id)
{
    for (uint32_t i = 0; i < p->n_offerings; i++)
        if (strcmp(p->offerings[i], offering_id) == 0)
            return 1;
    return p->n_offerings == 0;
}

uint32_t q2o_catalog_auto_promotions(const q2o_catalog *c, const char *offering_id, const q2o_cat_promotion **out,
                                     uint32_t max)
{
    const q2o_catalog_index *x = c->index;
    uint32_t n = 0;
    /* catalog order: merge the "everything" list with the offering's chain */
    const q2o_cat_promotion *found[Q2O_CAT_MAX_REFUSED * 4];
    uint32_t nf = 0;
    for (uint32_t i = 0; i < x->n_auto_all && nf < Q2O_ARRAY_LEN(found); i++)
        found[nf++] = x->auto_all[i];
    for (uint32_t i = find1(c, MAP_AUTO_PROMO, offering_id); i && nf < Q2O_ARRAY_LEN(found);
         i = map_next(c, MAP_AUTO_PROMO, i))
        found[nf++] = &c->promotions[x->auto_items[i - 1]];
    for (uint32_t i = 1; i < nf; i++) /* insertion sort by catalog position */
        for (uint32_t j = i; j > 0 && found[j] < found[j - 1]; j--) {
            const q2o_cat_promotion *t = found[j];
            found[j] = found[j - 1];
            found[j - 1] = t;
        }
    for (uint32_t i = 0; i < nf; i++) {
        if (i > 0 && found[i] == found[i - 1])
            continue;
        if (n < max)
            out[n] = found[i];
        n++;
    }
    return n;
}

const q2o_cat_order_type *q2o_catalog_order_type(const q2o_catalog *c, const char *code)
{
    uint32_t i = find1(c, MAP_ORDER_TYPE, code);
    return i ? &c->order_types[i - 1] : NULL;
}

const q2o_cat_freight_rule *q2o_catalog_freight_rule(const q2o_catalog *c, const char *market, const char *channel,
                                                     const char *currency)
{
    const q2o_cat_freight_rule *best = NULL;
    int best_score = 0;
    for (uint32_t i = 0; i < c->n_freight_rules; i++) {
        const q2o_cat_freight_rule *r = &c->freight_rules[i];
        int ms = selector_score(market, r->market), cs = selector_score(channel, r->channel);
        if (!ms || !cs || strcmp(r->currency, currency ? currency : "") != 0)
            continue;
        if (ms * 3 + cs > best_score) {
            best = r;
            best_score = ms * 3 + cs;
        }
    }
    return best;
}

int32_t q2o_catalog_region_adjustment_bp(const q2o_catalog *c, const char *region)
{
    uint32_t i = find1(c, MAP_REGION_ADJ, region);
    return i ? c->region_adjustments[i - 1].adjustment_bp : 0;
}

int32_t q2o_catalog_tax_bp(const q2o_catalog *c, const char *region)
{
    uint32_t i = region && region[0] ? find1(c, MAP_TAX, region) : 0;
    if (!i)
        i = find1(c, MAP_TAX, "");
    return i ? c->tax_rates[i - 1].rate_bp : 0;
}

int64_t q2o_catalog_stock(const q2o_catalog *c, const char *offering_id)
{
    uint32_t i = find1(c, MAP_STOCK, offering_id);
    return i ? c->stock[i - 1].available : -1;
}

const q2o_cat_rule *const *q2o_catalog_rules_when(const q2o_catalog *c, const char *offering_id, uint32_t *n)
{
    uint32_t first = find1(c, MAP_RULE_WHEN, offering_id);
    *n = first ? c->index->rule_run_len[first - 1] : 0;
    return first ? &c->index->rule_ptrs[c->index->rule_run_start[first - 1]] : NULL;
}
