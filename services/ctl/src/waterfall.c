/* waterfall.c — see ctl/waterfall.h. */
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/money.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "core/timeutil.h"
#include "ctl/json.h"
#include "ctl/waterfall.h"

void q2o_ctl_waterfall_init(q2o_ctl_waterfall *w, int32_t want_revision)
{
    memset(w, 0, sizeof *w);
    w->want_revision = want_revision;
}

void q2o_ctl_waterfall_release(q2o_ctl_waterfall *w)
{
    if (!w)
        return;
    if (w->found)
        q2o_event_release(&w->priced);
    free(w->quantities);
    q2o_ctl_waterfall_init(w, w->want_revision);
}

static int64_t quantity_of(const q2o_quote *q, const q2o_priced_line *pl)
{
    for (uint32_t i = 0; i < q->n_lines; i++)
        if (strcmp(q->lines[i].line_id, pl->line_id) == 0)
            return q->lines[i].quantity;
    return -1;
}

q2o_err q2o_ctl_waterfall_on_event(void *ctx, const q2o_quote *before, const q2o_event *ev, const uint8_t *hash)
{
    q2o_ctl_waterfall *w = ctx;
    (void)hash;
    if (ev->type != Q2O_EV_PRICED || (w->want_revision && ev->revision != w->want_revision))
        return Q2O_OK;
    q2o_ctl_waterfall_release(w); /* a later pricing of the revision replaces the one kept */
    Q2O_STRCPY(w->currency, before->header.currency);
    Q2O_STRCPY(w->quote_id, ev->quote_id);
    q2o_event_copy(&w->priced, ev);
    w->found = 1;
    /* A revision is priced while it is the current one: the state before the
     * event holds its lines, hence the quantities the prices are for. */
    uint32_t n = ev->u.priced.n_lines;
    w->quantities = calloc(n ? n : 1, sizeof *w->quantities);
    if (!w->quantities)
        return Q2O_NO_MEMORY;
    for (uint32_t i = 0; i < n; i++)
        w->quantities[i] = quantity_of(before, &ev->u.priced.lines[i]);
    return Q2O_OK;
}

/* ------------------------------------------------------------ text */

static const char *amt(const q2o_ctl_waterfall *w, int64_t minor, char *buf, unsigned size)
{
    q2o_currency cur;
    if (q2o_currency_find(w->currency, &cur) != Q2O_OK)
        snprintf(buf, size, "%lld", (long long)minor);
    else
        q2o_money_format(minor, &cur, buf, size);
    return buf;
}

/* Basis points as a percentage with two decimals, exactly ("-12.50 %"). */
static const char *rate(int32_t bp, char *buf, size_t size)
{
    if (!bp)
        snprintf(buf, size, "-");
    else
        snprintf(buf, size, "%s%d.%02d %%", bp < 0 ? "-" : "", abs(bp) / 100, abs(bp) % 100);
    return buf;
}

static void print_line(FILE *f, const q2o_ctl_waterfall *w, const q2o_priced_line *pl, int64_t qty)
{
    char a[64], b[64], r[24];
    const q2o_line_price *p = &pl->price;
    fprintf(f, "\n%s  %s  quantity %lld\n", pl->line_id, pl->display_name[0] ? pl->display_name : "(no name)",
            (long long)qty);
    fprintf(f, "  %-16s %-20s %5s %12s %9s %22s %22s\n", "stage", "rule", "ver", "input", "rate", "amount", "after");
    for (uint32_t k = 0; k < pl->trace.n_steps && k < Q2O_MAX_PRICE_STEPS; k++) {
        const q2o_price_step *s = &pl->trace.steps[k];
        fprintf(f, "  %-16s %-20s %5lld %12lld %9s %22s %22s\n", q2o_price_stage_name(s->stage), s->rule,
                (long long)s->rule_version, (long long)s->input, rate(s->rate_bp, r, sizeof r),
                amt(w, s->amount, a, sizeof a), amt(w, s->after, b, sizeof b));
    }
    int64_t per_period = pl->trace.n_steps ? pl->trace.steps[pl->trace.n_steps - 1].after : 0;
    if (p->term_months > 0)
        fprintf(f, "  net %s per month x %d months = contract value %s\n", amt(w, per_period, a, sizeof a),
                (int)p->term_months, amt(w, p->net_total, b, sizeof b));
    else
        fprintf(f, "  net %s once = contract value %s\n", amt(w, per_period, a, sizeof a),
                amt(w, p->net_total, b, sizeof b));
    if (p->promo_code[0])
        fprintf(f, "  promotion %s\n", p->promo_code);
}

static void print_totals(FILE *f, const q2o_ctl_waterfall *w, const q2o_ev_priced *p)
{
    char a[64], hex[Q2O_SHA256_HEX_LEN];
    const struct {
        const char *name;
        int64_t v;
    } rows[] = {
        {"merchandise", p->merchandise},       {"discount", p->discount_total}, {"one-time", p->one_time_total},
        {"recurring per month", p->recurring_total}, {"net", p->net_total},     {"freight", p->freight},
        {"tax", p->tax},                       {"grand total", p->grand_total},
    };
    fprintf(f, "\ntotals (%s)\n", w->currency[0] ? w->currency : "minor units");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        fprintf(f, "  %-20s %22s\n", rows[i].name, amt(w, rows[i].v, a, sizeof a));
    fprintf(f, "catalog %s v%lld  price book %s v%lld\n", p->catalog_id, (long long)p->catalog_version,
            p->pricebook_id, (long long)p->pricebook_version);
    fprintf(f, "pricing fingerprint %s\n", q2o_hex(p->pricing_fp, Q2O_SHA256_LEN, hex));
}

static void print_changes(FILE *f, const q2o_ctl_waterfall *w, const q2o_ev_priced *p)
{
    char a[64], b[64];
    if (!p->n_changes)
        return;
    fprintf(f, "\nchanges against revision %d\n", (int)p->compared_revision);
    for (uint32_t i = 0; i < p->n_changes; i++) {
        const q2o_price_change *c = &p->changes[i];
        fprintf(f, "  %-8s %-16s quantity %lld -> %lld  net %s -> %s\n", q2o_line_change_name(c->kind), c->line_id,
                (long long)c->previous_quantity, (long long)c->quantity, amt(w, c->previous_net, a, sizeof a),
                amt(w, c->net, b, sizeof b));
    }
}

void q2o_ctl_print_waterfall(FILE *f, const q2o_ctl_waterfall *w)
{
    char t[40];
    Q2O_CHECK(w->found);
    const q2o_ev_priced *p = &w->priced.u.priced;
    fprintf(f, "%s revision %d — QuotePriced, version %llu, %s\n", w->quote_id, (int)w->priced.revision,
            (unsigned long long)w->priced.version, q2o_time_format(w->priced.at, t, sizeof t));
    for (uint32_t i = 0; i < p->n_lines; i++)
        print_line(f, w, &p->lines[i], w->quantities[i]);
    print_totals(f, w, p);
    print_changes(f, w, p);
}

json_t *q2o_ctl_waterfall_to_json(const q2o_ctl_waterfall *w)
{
    char t[40];
    Q2O_CHECK(w->found);
    json_t *o = json_object(), *priced = q2o_ctl_priced_to_json(&w->priced.u.priced);
    Q2O_CHECK(o != NULL);
    json_t *lines = json_object_get(priced, "lines");
    for (size_t i = 0; i < json_array_size(lines); i++)
        json_object_set_new(json_array_get(lines, i), "quantity", json_integer(w->quantities[i]));
    json_object_set_new(o, "quote_id", json_string(w->quote_id));
    json_object_set_new(o, "revision", json_integer(w->priced.revision));
    json_object_set_new(o, "version", json_integer((json_int_t)w->priced.version));
    json_object_set_new(o, "at", json_string(q2o_time_format(w->priced.at, t, sizeof t)));
    json_object_set_new(o, "currency", json_string(w->currency));
    json_object_set_new(o, "priced", priced);
    return o;
}
