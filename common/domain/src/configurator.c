/*
 * The configurator (domain/catalog_pricing.h): validates the lines of a
 * quote against a sealed catalog and gathers what guided selling suggests.
 *
 * Cost. The pricer runs this on every PriceQuote for quotes of up to
 * Q2O_MAX_LINES lines, so nothing here is quadratic in lines. One pass
 * sizes, one pass builds three small hash indexes for this call only, one
 * pass checks each line:
 *
 *   line ids    line_id -> position (parents, duplicate ids)
 *   chains      (scope, offering) -> the present lines of that offering in
 *               that scope: the first one (in line order), how many, the sum
 *               of their quantities. Scopes: a bundle (its root line), the
 *               quote, and a parent line (its children, for the distinct
 *               options of a group).
 *   attrs       (chain, option name, value) -> the same, for the lines of a
 *               chain that set name=value (rules with attribute conditions)
 *
 * A rule is evaluated once per scope, at its anchor: the first line (in
 * line order) on which its `when` holds, which is the head of a chain or of
 * an attrs entry, so "is this line the anchor" and "is `then` present" are
 * one lookup each. Time and space are O(lines x options + rules touched);
 * the catalog lookups are the catalog's O(1) ones (attributes and groups of
 * one offering are scanned: they are few per offering).
 *
 * Memory: one heap block per call, sized from the lines; out-of-memory
 * aborts (Q2O_CHECK), as the catalog's own allocations do.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "domain/catalog_pricing.h"

#define CFG_PRINTF(f, a) __attribute__((format(printf, f, a)))

enum {
    PARENT_ROOT = -1,    /* parent_line_id "" */
    PARENT_UNKNOWN = -2, /* names no line of the quote */
};

/* Per-line flags. */
enum {
    F_PRESENT = 1u << 0,   /* counts for rules and groups (action is not REMOVE) */
    F_DUP_ID = 1u << 1,    /* an earlier line has the same line_id */
    F_CYCLE = 1u << 2,     /* on a loop of parent links */
    F_FIRST_B = 1u << 3,   /* first line of its offering in its bundle */
    F_FIRST_Q = 1u << 4,   /* ... on the quote */
    F_FIRST_P = 1u << 5,   /* ... under its parent (a distinct option) */
};

#define NONE UINT32_MAX

typedef struct agg {        /* present lines matching a condition in a scope */
    uint32_t head;          /* the first of them (position) */
    uint32_t count;
    int64_t qty;            /* sum of the valid quantities */
    int qty_bad;            /* one quantity is outside (0, Q2O_MAX_QUANTITY] */
} agg;

typedef struct chain {
    uint32_t scope;
    const q2o_cat_offering *off;
    agg a;
} chain;

typedef struct attr_entry {
    uint32_t chain;
    const q2o_line_option *opt; /* name=value, as the first line spells it */
    agg a;
} attr_entry;

typedef struct cfg {
    const q2o_catalog *c;
    const q2o_config_context *ctx;
    const q2o_line *lines;
    uint32_t n;
    q2o_config_result *out;
    uint32_t total;         /* findings including the dropped ones */

    int32_t *parent;        /* position, PARENT_ROOT or PARENT_UNKNOWN */
    uint32_t *root;         /* top of the line's tree: its BUNDLE scope */
    uint8_t *flags;
    uint8_t *state;         /* root resolution: 0 new, 1 on the walk, 2 done */
    uint32_t *path;
    const q2o_cat_offering **off;
    const q2o_cat_option_group **group; /* the parent's group offering the line */
    uint32_t *first_child, *next_sibling, *last_child; /* NONE = none */
    uint32_t *bchain, *qchain;          /* the line's chains (NONE if not indexed) */

    uint32_t id_mask, *id_slot;         /* slot -> position + 1 */
    uint32_t ch_mask, *ch_slot;         /* slot -> chain + 1 */
    chain *chains;
    uint32_t n_chains;
    uint32_t at_mask, *at_slot;         /* slot -> attr entry + 1 */
    attr_entry *attrs;
    uint32_t n_attrs;
    uint32_t *group_count;              /* per group of the bundle being checked */
} cfg;

/* ---------------------------------------------------------------- output */

static void finding(cfg *g, q2o_err code, uint32_t line, const char *subject, const char *rule_id,
                    const char *fmt, ...) CFG_PRINTF(6, 7);

/* Record a finding on line `line` (NONE = the quote), or count it as
 * dropped once the result is full. */
static void finding(cfg *g, q2o_err code, uint32_t line, const char *subject, const char *rule_id,
                    const char *fmt, ...)
{
    q2o_config_result *out = g->out;
    g->total++;
    if (out->n_findings >= Q2O_MAX_CONFIG_FINDINGS) {
        out->n_dropped++;
        return;
    }
    q2o_config_finding *f = &out->findings[out->n_findings++];
    f->code = code;
    q2o_strlcpy(f->line_id, line == NONE ? "" : g->lines[line].line_id, sizeof f->line_id);
    q2o_strlcpy(f->subject, subject, sizeof f->subject);
    q2o_strlcpy(f->rule_id, rule_id, sizeof f->rule_id);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(f->remediation, sizeof f->remediation, fmt, ap);
    va_end(ap);
}

static void suggest(cfg *g, const char *line_id, const char *offering_id, const char *attribute, const char *value,
                    const char *rule_id, const char *fmt, ...) CFG_PRINTF(7, 8);

/* Record a suggestion unless the same one is already there (two rules may
 * suggest one offering); beyond the maximum, suggestions are left out. */
static void suggest(cfg *g, const char *line_id, const char *offering_id, const char *attribute, const char *value,
                    const char *rule_id, const char *fmt, ...)
{
    q2o_config_result *out = g->out;
    for (uint32_t i = 0; i < out->n_suggestions; i++) {
        const q2o_config_suggestion *s = &out->suggestions[i];
        if (strcmp(s->line_id, line_id) == 0 && strcmp(s->offering_id, offering_id) == 0 &&
            strcmp(s->attribute, attribute) == 0 && strcmp(s->value, value) == 0)
            return;
    }
    if (out->n_suggestions >= Q2O_MAX_CONFIG_SUGGESTIONS)
        return;
    q2o_config_suggestion *s = &out->suggestions[out->n_suggestions++];
    q2o_strlcpy(s->line_id, line_id, sizeof s->line_id);
    q2o_strlcpy(s->offering_id, offering_id, sizeof s->offering_id);
    q2o_strlcpy(s->attribute, attribute, sizeof s->attribute);
    q2o_strlcpy(s->value, value, sizeof s->value);
    q2o_strlcpy(s->rule_id, rule_id, sizeof s->rule_id);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->message, sizeof s->message, fmt, ap);
    va_end(ap);
}

/* "a, b, c" into buf (truncated with "..." when it does not fit). */
static const char *join(char *buf, size_t size, uint32_t n, const char *base, size_t stride)
{
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        const char *s = base + (size_t)i * stride;
        int w = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", s);
        if (w < 0 || (size_t)w >= size - used) {
            if (size >= 4)
                memcpy(buf + size - 4, "...", 4);
            break;
        }
        used += (size_t)w;
    }
    return buf;
}

#define JOIN(buf, n, arr) join((buf), sizeof(buf), (n), (const char *)(arr), sizeof *(arr))

/* ---------------------------------------------------------------- hashing */

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ull;
    h ^= h >> 33;
    return h;
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    h ^= 0xff; /* separator: ("ab","c") != ("a","bc") */
    return h * 1099511628211ull;
}

static uint32_t pow2_at_least(uint64_t n)
{
    uint32_t cap = 8;
    while (cap < n)
        cap <<= 1;
    return cap;
}

/* Position of line_id, or NONE. */
static uint32_t id_find(const cfg *g, const char *line_id)
{
    uint32_t s = (uint32_t)mix(fnv(14695981039346656037ull, line_id)) & g->id_mask;
    for (; g->id_slot[s]; s = (s + 1) & g->id_mask)
        if (strcmp(g->lines[g->id_slot[s] - 1].line_id, line_id) == 0)
            return g->id_slot[s] - 1;
    return NONE;
}

/* Index line i by its id; 0 when an earlier line holds the id. */
static int id_insert(cfg *g, uint32_t i)
{
    const char *id = g->lines[i].line_id;
    uint32_t s = (uint32_t)mix(fnv(14695981039346656037ull, id)) & g->id_mask;
    for (; g->id_slot[s]; s = (s + 1) & g->id_mask)
        if (strcmp(g->lines[g->id_slot[s] - 1].line_id, id) == 0)
            return 0;
    g->id_slot[s] = i + 1;
    return 1;
}

static uint32_t chain_hash(uint32_t scope, const q2o_cat_offering *off)
{
    return (uint32_t)mix((uint64_t)(uintptr_t)off ^ ((uint64_t)scope << 40) ^ scope);
}

/* The chain of (scope, off), or NONE. */
static uint32_t chain_find(const cfg *g, uint32_t scope, const q2o_cat_offering *off)
{
    for (uint32_t s = chain_hash(scope, off) & g->ch_mask; g->ch_slot[s]; s = (s + 1) & g->ch_mask) {
        const chain *ch = &g->chains[g->ch_slot[s] - 1];
        if (ch->scope == scope && ch->off == off)
            return g->ch_slot[s] - 1;
    }
    return NONE;
}

static void agg_add(agg *a, uint32_t line, int64_t qty)
{
    if (a->count++ == 0)
        a->head = line;
    if (qty <= 0 || qty > Q2O_MAX_QUANTITY)
        a->qty_bad = 1;
    else
        a->qty += qty; /* <= Q2O_MAX_LINES x Q2O_MAX_QUANTITY: no overflow */
}

/* Add line i to the chain of (scope, off); returns the chain, and whether
 * the line opened it in *first. */
static uint32_t chain_add(cfg *g, uint32_t scope, const q2o_cat_offering *off, uint32_t i, int *first)
{
    uint32_t s = chain_hash(scope, off) & g->ch_mask;
    for (; g->ch_slot[s]; s = (s + 1) & g->ch_mask) {
        chain *ch = &g->chains[g->ch_slot[s] - 1];
        if (ch->scope == scope && ch->off == off)
            break;
    }
    if (!g->ch_slot[s]) {
        g->chains[g->n_chains] = (chain){scope, off, {0, 0, 0, 0}};
        g->ch_slot[s] = ++g->n_chains;
    }
    chain *ch = &g->chains[g->ch_slot[s] - 1];
    *first = ch->a.count == 0;
    agg_add(&ch->a, i, g->lines[i].quantity);
    return g->ch_slot[s] - 1;
}

static uint32_t attr_hash(uint32_t chain_ix, const char *name, const char *value)
{
    return (uint32_t)mix(fnv(fnv(14695981039346656037ull ^ chain_ix, name), value));
}

static const agg *attr_find(const cfg *g, uint32_t chain_ix, const char *name, const char *value)
{
    for (uint32_t s = attr_hash(chain_ix, name, value) & g->at_mask; g->at_slot[s]; s = (s + 1) & g->at_mask) {
        const attr_entry *e = &g->attrs[g->at_slot[s] - 1];
        if (e->chain == chain_ix && strcmp(e->opt->name, name) == 0 && strcmp(e->opt->value, value) == 0)
            return &e->a;
    }
    return NULL;
}

static void attr_add(cfg *g, uint32_t chain_ix, const q2o_line_option *opt, uint32_t i)
{
    uint32_t s = attr_hash(chain_ix, opt->name, opt->value) & g->at_mask;
    for (; g->at_slot[s]; s = (s + 1) & g->at_mask) {
        const attr_entry *e = &g->attrs[g->at_slot[s] - 1];
        if (e->chain == chain_ix && strcmp(e->opt->name, opt->name) == 0 &&
            strcmp(e->opt->value, opt->value) == 0)
            break;
    }
    if (!g->at_slot[s]) {
        g->attrs[g->n_attrs] = (attr_entry){chain_ix, opt, {0, 0, 0, 0}};
        g->at_slot[s] = ++g->n_attrs;
    }
    agg_add(&g->attrs[g->at_slot[s] - 1].a, i, g->lines[i].quantity);
}

/* ---------------------------------------------------------------- line helpers */

static uint32_t n_opts(const q2o_line *l)
{
    return l->n_options < Q2O_MAX_LINE_OPTIONS ? l->n_options : Q2O_MAX_LINE_OPTIONS;
}

/* The first option of the line named `name`, or NULL. */
static const q2o_line_option *line_option(const q2o_line *l, const char *name)
{
    for (uint32_t k = 0; k < n_opts(l); k++)
        if (strcmp(l->options[k].name, name) == 0)
            return &l->options[k];
    return NULL;
}

/* 1 when option k is the first of its name on the line. */
static int first_of_name(const q2o_line *l, uint32_t k)
{
    return line_option(l, l->options[k].name) == &l->options[k];
}

static int present(const cfg *g, uint32_t i) { return (g->flags[i] & F_PRESENT) != 0; }

/* ---------------------------------------------------------------- indexing */

static void *carve(unsigned char **p, size_t n, size_t size)
{
    void *r = *p;
    size_t bytes = (n * size + 15u) & ~(size_t)15u;
    *p += bytes;
    return r;
}

/* One block for every index of the call, sized from the lines: the option
 * count bounds the attrs entries, the widest bundle the group counters. */
static void *cfg_alloc(cfg *g)
{
    uint32_t n = g->n, n_options = 0, max_groups = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (g->lines[i].action == Q2O_LA_REMOVE)
            continue;
        const q2o_cat_offering *o = q2o_catalog_offering(g->c, g->lines[i].offering_id);
        n_options += n_opts(&g->lines[i]);
        if (o && o->n_groups > max_groups)
            max_groups = o->n_groups;
    }
    uint32_t id_cap = pow2_at_least(2u * (uint64_t)n), ch_cap = pow2_at_least(6u * (uint64_t)n);
    uint32_t n_attr_max = 2u * n_options, at_cap = pow2_at_least(2u * (uint64_t)n_attr_max);
    size_t sizes[][2] = {
        {n, sizeof *g->parent}, {n, sizeof *g->root}, {n, sizeof *g->flags}, {n, sizeof *g->state},
        {n, sizeof *g->path}, {n, sizeof *g->off}, {n, sizeof *g->group}, {n, sizeof *g->first_child},
        {n, sizeof *g->next_sibling}, {n, sizeof *g->last_child}, {n, sizeof *g->bchain},
        {n, sizeof *g->qchain}, {id_cap, sizeof *g->id_slot}, {ch_cap, sizeof *g->ch_slot},
        {3u * (size_t)n, sizeof *g->chains}, {at_cap, sizeof *g->at_slot}, {n_attr_max, sizeof *g->attrs},
        {max_groups, sizeof *g->group_count},
    };
    size_t total = 0;
    for (size_t k = 0; k < Q2O_ARRAY_LEN(sizes); k++)
        total += (sizes[k][0] * sizes[k][1] + 15u) & ~(size_t)15u;
    unsigned char *block = calloc(1, total ? total : 1), *p = block;
    Q2O_CHECK(block != NULL);
    g->parent = carve(&p, n, sizeof *g->parent);
    g->root = carve(&p, n, sizeof *g->root);
    g->flags = carve(&p, n, sizeof *g->flags);
    g->state = carve(&p, n, sizeof *g->state);
    g->path = carve(&p, n, sizeof *g->path);
    g->off = carve(&p, n, sizeof *g->off);
    g->group = carve(&p, n, sizeof *g->group);
    g->first_child = carve(&p, n, sizeof *g->first_child);
    g->next_sibling = carve(&p, n, sizeof *g->next_sibling);
    g->last_child = carve(&p, n, sizeof *g->last_child);
    g->bchain = carve(&p, n, sizeof *g->bchain);
    g->qchain = carve(&p, n, sizeof *g->qchain);
    g->id_slot = carve(&p, id_cap, sizeof *g->id_slot);
    g->id_mask = id_cap - 1;
    g->ch_slot = carve(&p, ch_cap, sizeof *g->ch_slot);
    g->ch_mask = ch_cap - 1;
    g->chains = carve(&p, 3u * (size_t)n, sizeof *g->chains);
    g->at_slot = carve(&p, at_cap, sizeof *g->at_slot);
    g->at_mask = at_cap - 1;
    g->attrs = carve(&p, n_attr_max, sizeof *g->attrs);
    g->group_count = carve(&p, max_groups, sizeof *g->group_count);
    Q2O_CHECK((size_t)(p - block) == total);
    return block;
}

/* The top of each line's tree. A walk up the parent links stops at a line
 * already resolved, at a top-level line, at a line whose parent is unknown
 * (it tops its own subtree) or on meeting its own path: a loop, whose lines
 * are flagged and whose first line reached becomes the top. Each line is
 * walked once: O(lines). */
static void resolve_roots(cfg *g)
{
    for (uint32_t i = 0; i < g->n; i++) {
        if (g->state[i] == 2)
            continue;
        uint32_t len = 0, j = i, top;
        for (;;) {
            if (g->state[j] == 2) {
                top = g->root[j];
                break;
            }
            if (g->state[j] == 1) {
                top = j;
                for (uint32_t k = len; k-- > 0;) {
                    g->flags[g->path[k]] |= F_CYCLE;
                    if (g->path[k] == j)
                        break;
                }
                break;
            }
            g->state[j] = 1;
            g->path[len++] = j;
            if (g->parent[j] < 0) {
                top = j;
                break;
            }
            j = (uint32_t)g->parent[j];
        }
        for (uint32_t k = 0; k < len; k++) {
            g->root[g->path[k]] = top;
            g->state[g->path[k]] = 2;
        }
    }
}

static void index_line(cfg *g, uint32_t i)
{
    const q2o_line *l = &g->lines[i];
    const q2o_cat_offering *o = g->off[i];
    int first;
    g->bchain[i] = g->qchain[i] = NONE;
    if (!present(g, i) || !o)
        return;
    g->bchain[i] = chain_add(g, g->root[i], o, i, &first);
    g->flags[i] |= first ? F_FIRST_B : 0;
    g->qchain[i] = chain_add(g, g->n, o, i, &first);
    g->flags[i] |= first ? F_FIRST_Q : 0;
    if (g->parent[i] >= 0) {
        uint32_t p = (uint32_t)g->parent[i];
        chain_add(g, g->n + 1 + p, o, i, &first);
        g->flags[i] |= first ? F_FIRST_P : 0;
        if (g->off[p])
            g->group[i] = q2o_offering_group_of(g->off[p], o->id);
        if (g->last_child[p] == NONE)
            g->first_child[p] = i;
        else
            g->next_sibling[g->last_child[p]] = i;
        g->last_child[p] = i;
    }
    for (uint32_t k = 0; k < n_opts(l); k++) {
        if (!first_of_name(l, k))
            continue;
        attr_add(g, g->bchain[i], &l->options[k], i);
        attr_add(g, g->qchain[i], &l->options[k], i);
    }
}

static void build_indexes(cfg *g)
{
    uint32_t n = g->n;
    for (uint32_t i = 0; i < n; i++) {
        const q2o_line *l = &g->lines[i];
        g->first_child[i] = g->next_sibling[i] = g->last_child[i] = NONE;
        g->flags[i] = l->action == Q2O_LA_REMOVE ? 0 : F_PRESENT;
        if (!id_insert(g, i))
            g->flags[i] |= F_DUP_ID;
        g->off[i] = q2o_catalog_offering(g->c, l->offering_id);
    }
    for (uint32_t i = 0; i < n; i++) {
        const char *p = g->lines[i].parent_line_id;
        uint32_t pi = p[0] ? id_find(g, p) : NONE;
        g->parent[i] = !p[0] ? PARENT_ROOT : pi == NONE ? PARENT_UNKNOWN : (int32_t)pi;
    }
    resolve_roots(g);
    for (uint32_t i = 0; i < n; i++)
        index_line(g, i);
}

/* ---------------------------------------------------------------- line checks */

static void check_structure(cfg *g, uint32_t i)
{
    const q2o_line *l = &g->lines[i];
    if (g->flags[i] & F_DUP_ID)
        finding(g, Q2O_FIELD_INVALID, i, l->line_id, "",
                "line id '%s' is used by an earlier line; give the line at position %u its own line_id", l->line_id,
                i + 1);
    if (g->parent[i] == PARENT_UNKNOWN)
        finding(g, Q2O_FIELD_INVALID, i, l->parent_line_id, "",
                "parent line '%s' of line '%s' is not on the quote; set parent_line_id to an existing bundle line "
                "or to \"\" for a top-level line",
                l->parent_line_id, l->line_id);
    if (g->flags[i] & F_CYCLE)
        finding(g, Q2O_FIELD_INVALID, i, l->parent_line_id, "",
                "the parent links of line '%s' loop back to it through line '%s'; make one line of the loop "
                "top-level (parent_line_id \"\") or point it at a line outside the loop",
                l->line_id, l->parent_line_id);
}

static int listed(uint32_t n, q2o_cat_code *list, const char *v)
{
    for (uint32_t i = 0; i < n; i++)
        if (v && strcmp(list[i], v) == 0)
            return 1;
    return n == 0;
}

static const char *or_none(const char *s) { return s && s[0] ? s : "(none)"; }

static void check_offering(cfg *g, uint32_t i, const q2o_cat_offering *o)
{
    const q2o_line *l = &g->lines[i];
    const q2o_config_context *x = g->ctx;
    if (!q2o_offering_active(o, x->date)) {
        char from[32], until[32], on[32];
        q2o_time_format(x->date, on, sizeof on);
        finding(g, Q2O_OFFERING_INACTIVE, i, o->id, "",
                "offering '%s' is sold from %s until %s, not on %s; remove line '%s' or replace it with an offering "
                "active on the pricing date",
                o->id, o->active_from ? q2o_time_format(o->active_from, from, sizeof from) : "always",
                o->active_until ? q2o_time_format(o->active_until, until, sizeof until) : "open end", on,
                l->line_id);
    }
    if (!q2o_offering_eligible(o, x->region, x->segment, x->channel)) {
        const q2o_cat_eligibility *e = &o->eligibility;
        const char *dim = !listed(e->n_regions, e->regions, x->region)     ? "region"
                          : !listed(e->n_segments, e->segments, x->segment) ? "segment"
                                                                            : "channel";
        const char *have = dim[0] == 'r' ? x->region : dim[0] == 's' ? x->segment : x->channel;
        char allowed[256];
        if (dim[0] == 'r')
            JOIN(allowed, e->n_regions, e->regions);
        else if (dim[0] == 's')
            JOIN(allowed, e->n_segments, e->segments);
        else
            JOIN(allowed, e->n_channels, e->channels);
        finding(g, Q2O_OFFERING_NOT_ELIGIBLE, i, o->id, "",
                "offering '%s' is not sold in %s '%s' (only %s); remove line '%s' or replace it with an offering "
                "eligible there",
                o->id, dim, or_none(have), allowed, l->line_id);
    }
}

/* Top-level lines must be sellable alone; a child must be an option of a
 * group of its parent bundle. */
static void check_placement(cfg *g, uint32_t i, const q2o_cat_offering *o)
{
    const q2o_line *l = &g->lines[i];
    if (g->parent[i] == PARENT_ROOT) {
        if (!o->sellable_alone)
            finding(g, Q2O_CONFIG_NOT_AN_OPTION, i, o->id, "",
                    "offering '%s' is sold only as an option of a bundle; move line '%s' under a bundle line whose "
                    "option groups offer it, or remove it",
                    o->id, l->line_id);
        return;
    }
    if (g->parent[i] == PARENT_UNKNOWN)
        return; /* reported by check_structure */
    uint32_t p = (uint32_t)g->parent[i];
    const q2o_cat_offering *po = g->off[p];
    if (!po)
        return; /* the parent's unknown offering is reported on the parent */
    if (po->n_groups == 0)
        finding(g, Q2O_CONFIG_NOT_AN_OPTION, i, o->id, "",
                "line '%s' (%s) is not a bundle and takes no options; make line '%s' top-level or move it under a "
                "bundle line that offers '%s'",
                g->lines[p].line_id, po->id, l->line_id, o->id);
    else if (!q2o_offering_group_of(po, o->id))
        finding(g, Q2O_CONFIG_NOT_AN_OPTION, i, o->id, "",
                "offering '%s' is not an option of bundle '%s' (line '%s'); remove line '%s' or move it under a "
                "bundle that offers it",
                o->id, po->id, g->lines[p].line_id, l->line_id);
}

static void check_quantity(cfg *g, uint32_t i, const q2o_cat_offering *o)
{
    const q2o_line *l = &g->lines[i];
    int64_t lo = o->min_quantity > 1 ? o->min_quantity : 1;
    int64_t hi = o->max_quantity > 0 && o->max_quantity < Q2O_MAX_QUANTITY ? o->max_quantity : Q2O_MAX_QUANTITY;
    if (l->quantity < lo)
        finding(g, Q2O_QUANTITY_INVALID, i, o->id, "",
                "quantity %lld of '%s' on line '%s' is below the minimum %lld; raise it to at least %lld",
                (long long)l->quantity, o->id, l->line_id, (long long)lo, (long long)lo);
    else if (l->quantity > hi)
        finding(g, Q2O_QUANTITY_INVALID, i, o->id, "",
                "quantity %lld of '%s' on line '%s' is above the maximum %lld; lower it to at most %lld",
                (long long)l->quantity, o->id, l->line_id, (long long)hi, (long long)hi);
}

/* A whole decimal integer ("-12", "+3", "40"), nothing else; 0 on overflow. */
static int parse_int64(const char *s, int64_t *out)
{
    int neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    if (!*s)
        return 0;
    uint64_t v = 0, limit = neg ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        unsigned d = (unsigned)(*s - '0');
        if (v > (limit - d) / 10u)
            return 0;
        v = v * 10u + d;
    }
    *out = neg ? (v == (uint64_t)INT64_MAX + 1u ? INT64_MIN : -(int64_t)v) : (int64_t)v;
    return 1;
}

static void check_option(cfg *g, uint32_t i, const q2o_cat_offering *o, const q2o_line_option *opt)
{
    const char *lid = g->lines[i].line_id;
    const q2o_cat_attribute *a = q2o_offering_attribute(o, opt->name);
    char buf[256];
    if (!a) {
        finding(g, Q2O_CONFIG_ATTRIBUTE_INVALID, i, opt->name, "",
                "offering '%s' has no attribute '%s'; remove option '%s' from line '%s'", o->id, opt->name,
                opt->name, lid);
        return;
    }
    if (a->kind == Q2O_ATTR_ENUM) {
        if (!listed(a->n_values, a->values, opt->value) || a->n_values == 0)
            finding(g, Q2O_CONFIG_ATTRIBUTE_INVALID, i, opt->name, "",
                    "'%s' is not a value of attribute '%s' of '%s'; set it on line '%s' to one of: %s", opt->value,
                    a->name, o->id, lid, JOIN(buf, a->n_values, a->values));
        return;
    }
    int64_t v;
    if (a->kind != Q2O_ATTR_RANGE || !parse_int64(opt->value, &v) || v < a->min || v > a->max)
        finding(g, Q2O_CONFIG_ATTRIBUTE_INVALID, i, opt->name, "",
                "attribute '%s' of '%s' must be a whole number from %lld to %lld; change '%s' on line '%s'", a->name,
                o->id, (long long)a->min, (long long)a->max, opt->value, lid);
}

/* Options set (known, valid, once) then attributes missing (required ones
 * are findings; a default is suggested for any missing attribute). */
static void check_attributes(cfg *g, uint32_t i, const q2o_cat_offering *o)
{
    const q2o_line *l = &g->lines[i];
    if (l->n_options > Q2O_MAX_LINE_OPTIONS)
        finding(g, Q2O_FIELD_INVALID, i, "options", "",
                "line '%s' carries %u options; keep at most %d and set the rest on another revision", l->line_id,
                (unsigned)l->n_options, Q2O_MAX_LINE_OPTIONS);
    for (uint32_t k = 0; k < n_opts(l); k++) {
        const q2o_line_option *opt = &l->options[k];
        if (!first_of_name(l, k))
            finding(g, Q2O_CONFIG_ATTRIBUTE_INVALID, i, opt->name, "",
                    "attribute '%s' is set more than once on line '%s'; keep one value", opt->name, l->line_id);
        else
            check_option(g, i, o, opt);
    }
    for (uint32_t k = 0; k < o->n_attributes; k++) {
        const q2o_cat_attribute *a = &o->attributes[k];
        if (line_option(l, a->name))
            continue;
        if (a->required) {
            char buf[256];
            if (a->default_value[0])
                snprintf(buf, sizeof buf, "the default is '%s'", a->default_value);
            else if (a->kind == Q2O_ATTR_ENUM)
                JOIN(buf, a->n_values, a->values);
            else
                snprintf(buf, sizeof buf, "a whole number from %lld to %lld", (long long)a->min, (long long)a->max);
            finding(g, Q2O_CONFIG_INCOMPLETE, i, a->name, "",
                    "set attribute '%s' of '%s' on line '%s' (%s%s)", a->name, o->id, l->line_id,
                    a->default_value[0] || a->kind != Q2O_ATTR_ENUM ? "" : "one of: ", buf);
        }
        if (a->default_value[0])
            suggest(g, l->line_id, "", a->name, a->default_value, "", "default %s of %s: %s", a->name, o->id,
                    a->default_value);
    }
}

/* Distinct options chosen per group of bundle line i: a child counts once
 * per offering (the first child of that offering under i). */
static void check_groups(cfg *g, uint32_t i, const q2o_cat_offering *o)
{
    if (o->n_groups == 0)
        return;
    memset(g->group_count, 0, o->n_groups * sizeof *g->group_count);
    for (uint32_t ch = g->first_child[i]; ch != NONE; ch = g->next_sibling[ch])
        if (g->group[ch] && (g->flags[ch] & F_FIRST_P))
            g->group_count[g->group[ch] - o->groups]++;
    for (uint32_t k = 0; k < o->n_groups; k++) {
        const q2o_cat_option_group *gr = &o->groups[k];
        uint32_t have = g->group_count[k];
        char buf[256];
        if (have < gr->min_select)
            finding(g, Q2O_CONFIG_GROUP_CARDINALITY, i, gr->id, "",
                    "group '%s' of bundle '%s' on line '%s' has %u of at least %u options; add %u more under line "
                    "'%s' from: %s",
                    gr->id, o->id, g->lines[i].line_id, have, gr->min_select, gr->min_select - have,
                    g->lines[i].line_id, JOIN(buf, gr->n_options, gr->options));
        else if (gr->max_select && have > gr->max_select)
            finding(g, Q2O_CONFIG_GROUP_CARDINALITY, i, gr->id, "",
                    "group '%s' of bundle '%s' on line '%s' has %u options, at most %u allowed; remove %u of them "
                    "from under line '%s'",
                    gr->id, o->id, g->lines[i].line_id, have, gr->max_select, have - gr->max_select,
                    g->lines[i].line_id);
    }
}

/* ---------------------------------------------------------------- rules */

/* The present lines satisfying `cond` in `scope`, or NULL when none. */
static const agg *cond_in_scope(const cfg *g, uint32_t scope, const q2o_cat_condition *cond)
{
    const q2o_cat_offering *o = q2o_catalog_offering(g->c, cond->offering_id);
    uint32_t ch = o ? chain_find(g, scope, o) : NONE;
    if (ch == NONE)
        return NULL;
    return cond->attribute[0] ? attr_find(g, ch, cond->attribute, cond->value) : &g->chains[ch].a;
}

/* qty x num / den rounded up, without overflow: 0 when it does not fit. */
static int ceil_ratio(int64_t qty, int32_t num, int32_t den, int64_t *out)
{
    int64_t q = qty / den, r = qty % den;
    int64_t part = (r * num + den - 1) / den; /* r < den: r x num < 2^62 */
    if (q > (INT64_MAX - part) / num)
        return 0;
    *out = q * num + part;
    return 1;
}

/* "bundle of line 'L1'" / "quote": where a rule looks. */
static const char *scope_name(const cfg *g, const q2o_cat_rule *r, uint32_t i, char *buf, size_t size)
{
    if (r->scope == Q2O_SCOPE_QUOTE)
        return "quote";
    snprintf(buf, size, "bundle of line '%s'", g->lines[g->root[i]].line_id);
    return buf;
}

/* Where a missing `then` offering would go: under the anchor line or its
 * parent when their groups offer it, else under the bundle's root (BUNDLE
 * scope) or at the top level (QUOTE scope; ""). */
static const char *home_for(const cfg *g, const q2o_cat_rule *r, uint32_t i)
{
    const char *want = r->then.offering_id;
    if (g->off[i] && q2o_offering_group_of(g->off[i], want))
        return g->lines[i].line_id;
    int32_t p = g->parent[i];
    if (p >= 0 && g->off[p] && q2o_offering_group_of(g->off[p], want))
        return g->lines[p].line_id;
    return r->scope == Q2O_SCOPE_QUOTE ? "" : g->lines[g->root[i]].line_id;
}

/* " with A=V" for a condition on an attribute, "" otherwise. */
static const char *with_attr(const q2o_cat_condition *cond, char *buf, size_t size)
{
    if (!cond->attribute[0])
        return "";
    snprintf(buf, size, " with %s=%s", cond->attribute, cond->value);
    return buf;
}

static void rule_requires(cfg *g, uint32_t i, const q2o_cat_rule *r, uint32_t scope)
{
    if (cond_in_scope(g, scope, &r->then))
        return;
    char sc[96], w[80], wt[80];
    const char *home = home_for(g, r, i);
    finding(g, Q2O_CONFIG_REQUIRES_MISSING, i, r->then.offering_id, r->id,
            "'%s'%s on line '%s' requires '%s'%s in the %s; add '%s'%s %s%s%s", r->when.offering_id,
            with_attr(&r->when, w, sizeof w), g->lines[i].line_id, r->then.offering_id,
            with_attr(&r->then, wt, sizeof wt), scope_name(g, r, i, sc, sizeof sc), r->then.offering_id,
            with_attr(&r->then, wt, sizeof wt), home[0] ? "under line '" : "as a top-level line", home,
            home[0] ? "'" : "");
    suggest(g, home, r->then.offering_id, r->then.attribute, r->then.value, r->id, "%s",
            r->message[0] ? r->message : "required by the configuration");
}

static void rule_excludes(cfg *g, uint32_t i, const q2o_cat_rule *r, uint32_t scope)
{
    const agg *then = cond_in_scope(g, scope, &r->then);
    if (!then)
        return;
    char sc[96], w[80], wt[80];
    finding(g, Q2O_CONFIG_EXCLUDED, i, r->then.offering_id, r->id,
            "'%s'%s (line '%s') and '%s'%s (line '%s') may not both be in the %s; remove one of the two lines",
            r->when.offering_id, with_attr(&r->when, w, sizeof w), g->lines[i].line_id, r->then.offering_id,
            with_attr(&r->then, wt, sizeof wt), g->lines[then->head].line_id, scope_name(g, r, i, sc, sizeof sc));
}

/* QUANTITY constrains only when both sides are present, and is not judged
 * while a quantity it reads is itself invalid (that line has its own
 * QUANTITY_INVALID finding). */
static void rule_quantity(cfg *g, uint32_t i, const q2o_cat_rule *r, uint32_t scope)
{
    const agg *when = cond_in_scope(g, scope, &r->when), *then = cond_in_scope(g, scope, &r->then);
    if (!when || !then || when->qty_bad || then->qty_bad)
        return;
    char sc[96];
    if (r->ratio_num < 1 || r->ratio_den < 1) {
        finding(g, Q2O_CATALOG_INVALID, i, r->then.offering_id, r->id,
                "quantity rule '%s' has ratio %ld/%ld; fix the catalog so both are at least 1", r->id,
                (long)r->ratio_num, (long)r->ratio_den);
        return;
    }
    int64_t want;
    if (!ceil_ratio(when->qty, r->ratio_num, r->ratio_den, &want))
        want = INT64_MAX;
    if (then->qty == want)
        return;
    finding(g, Q2O_CONFIG_QUANTITY_MISMATCH, i, r->then.offering_id, r->id,
            "the quantity of '%s' in the %s must be %lld (%lld of '%s' x %ld/%ld, rounded up), not %lld; set it to "
            "%lld (line '%s')",
            r->then.offering_id, scope_name(g, r, i, sc, sizeof sc), (long long)want, (long long)when->qty,
            r->when.offering_id, (long)r->ratio_num, (long)r->ratio_den, (long long)then->qty, (long long)want,
            g->lines[then->head].line_id);
}

static void rule_recommends(cfg *g, uint32_t i, const q2o_cat_rule *r, uint32_t scope)
{
    if (cond_in_scope(g, scope, &r->then))
        return;
    suggest(g, home_for(g, r, i), r->then.offering_id, r->then.attribute, r->then.value, r->id, "%s",
            r->message[0] ? r->message : "recommended with this configuration");
}

/* The rules whose `when` names line i's offering, in catalog order, each
 * evaluated only if line i is its anchor in the rule's scope. */
static void check_rules(cfg *g, uint32_t i, const q2o_cat_offering *o)
{
    uint32_t nr;
    const q2o_cat_rule *const *rules = q2o_catalog_rules_when(g->c, o->id, &nr);
    for (uint32_t k = 0; k < nr; k++) {
        const q2o_cat_rule *r = rules[k];
        int quote = r->scope == Q2O_SCOPE_QUOTE;
        if (r->scope >= Q2O_SCOPE__COUNT || r->kind >= Q2O_RULE__COUNT)
            continue; /* not a rule this build knows: the loader refuses them */
        if (r->when.attribute[0]) { /* the entry's head sets attribute=value, or is another line */
            const agg *a = attr_find(g, quote ? g->qchain[i] : g->bchain[i], r->when.attribute, r->when.value);
            if (!a || a->head != i)
                continue;
        } else if (!(g->flags[i] & (quote ? F_FIRST_Q : F_FIRST_B))) {
            continue;
        }
        uint32_t scope = quote ? g->n : g->root[i];
        switch (r->kind) {
        case Q2O_RULE_REQUIRES: rule_requires(g, i, r, scope); break;
        case Q2O_RULE_EXCLUDES: rule_excludes(g, i, r, scope); break;
        case Q2O_RULE_QUANTITY: rule_quantity(g, i, r, scope); break;
        case Q2O_RULE_RECOMMENDS: rule_recommends(g, i, r, scope); break;
        case Q2O_RULE__COUNT: break;
        }
    }
}

/* Every check of line i, in the documented order. */
static void check_line(cfg *g, uint32_t i)
{
    const q2o_line *l = &g->lines[i];
    check_structure(g, i);
    if (!present(g, i))
        return;
    const q2o_cat_offering *o = g->off[i];
    if (!o) {
        finding(g, Q2O_OFFERING_UNKNOWN, i, l->offering_id, "",
                "offering '%s' of line '%s' is not in catalog '%s' version %lld; replace it with a catalog "
                "offering or remove the line",
                l->offering_id, l->line_id, g->c->id, (long long)g->c->version);
        return;
    }
    check_offering(g, i, o);
    check_placement(g, i, o);
    check_quantity(g, i, o);
    check_attributes(g, i, o);
    check_groups(g, i, o);
    check_rules(g, i, o);
}

/* ---------------------------------------------------------------- API */

/* Index every line, then check every line (focus NONE) or only line
 * `focus`: its findings all come from check_line(focus), since every
 * finding hangs on the line being checked. */
static uint32_t configure(const q2o_catalog *c, const q2o_config_context *ctx, const q2o_line *lines, uint32_t n,
                          uint32_t focus, q2o_config_result *out)
{
    Q2O_CHECK(c && c->index && ctx && out && (lines || n == 0));
    memset(out, 0, sizeof *out);
    cfg g = {.c = c, .ctx = ctx, .lines = lines, .n = n, .out = out};
    if (n > Q2O_MAX_LINES) {
        finding(&g, Q2O_FIELD_INVALID, NONE, "lines", "",
                "the quote has %u lines; split it so that each quote has at most %d", (unsigned)n, Q2O_MAX_LINES);
        return g.total;
    }
    void *block = cfg_alloc(&g);
    build_indexes(&g);
    if (focus != NONE)
        check_line(&g, focus);
    else
        for (uint32_t i = 0; i < n; i++)
            check_line(&g, i);
    free(block);
    return g.total;
}

uint32_t q2o_configure(const q2o_catalog *c, const q2o_config_context *ctx, const q2o_line *lines, uint32_t n,
                       q2o_config_result *out)
{
    return configure(c, ctx, lines, n, NONE, out);
}

uint32_t q2o_configure_line(const q2o_catalog *c, const q2o_config_context *ctx, const q2o_line *lines, uint32_t n,
                            uint32_t line, q2o_config_result *out)
{
    Q2O_CHECK(line < n);
    return configure(c, ctx, lines, n, line, out);
}

int q2o_config_code_is_line_local(q2o_err code)
{
    switch (code) {
    case Q2O_FIELD_INVALID:            /* structure: parent unknown or looping, too many options */
    case Q2O_OFFERING_UNKNOWN:
    case Q2O_OFFERING_INACTIVE:
    case Q2O_OFFERING_NOT_ELIGIBLE:
    case Q2O_CONFIG_NOT_AN_OPTION:     /* placement under the parent the line names */
    case Q2O_QUANTITY_INVALID:         /* the offering's own bounds */
    case Q2O_CONFIG_ATTRIBUTE_INVALID: /* a value the line sets */
        return 1;
    default:
        return 0; /* CONFIG_INCOMPLETE, group cardinality, rules: the quote is not finished yet */
    }
}

void q2o_config_context_for(const q2o_catalog *c, const q2o_quote_header *h, q2o_time_ms date,
                            q2o_config_context *out)
{
    const q2o_cat_customer *cu = q2o_catalog_customer(c, h->account_id);
    out->region = cu && cu->region[0] ? cu->region : h->market;
    out->segment = cu ? cu->segment : "";
    out->channel = h->channel;
    out->date = date;
}
