/*
 * q2octl waterfall without Kafka (ctl/waterfall.h): given a quote priced
 * by the domain with a catalog that exercises every stage, folding its
 * events keeps the latest QuotePriced of the revision asked for, and the
 * printer shows every stage of every line with its rule, version, rate,
 * amount and running total, the totals and the versions; a repriced
 * revision shows its changes against the parent.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/sha256.h"
#include "core/strutil.h"
#include "ctl/waterfall.h"
#include "quote_fixture.h"

/* Everything a step of every stage needs: a contracted price, a customer
 * tier, volume and term schedules on SAAS-ENT-USER (the JULY2026 promotion
 * is the fixture's). */
static void every_stage(q2o_catalog *c)
{
    q2o_cat_offering *o = &c->offerings[0];
    cr_assert_str_eq(o->id, "SAAS-ENT-USER");
    Q2O_STRCPY(o->volume_schedule, "VOL");
    Q2O_STRCPY(o->term_schedule, "TERM");
    c->n_schedules = 2;
    c->schedules = q2o_catalog_alloc(c, 2, sizeof *c->schedules);
    const char *ids[] = {"VOL", "TERM"};
    for (int i = 0; i < 2; i++) {
        q2o_cat_schedule *s = &c->schedules[i];
        Q2O_STRCPY(s->id, ids[i]);
        s->version = 2 + i;
        s->kind = i ? Q2O_SCHED_TERM : Q2O_SCHED_VOLUME;
        s->mode = Q2O_TIER_RANGE;
        s->n_tiers = 1;
        s->tiers = q2o_catalog_alloc(c, 1, sizeof *s->tiers);
        s->tiers[0].from = i ? 12 : 10;
        s->tiers[0].discount_bp = i ? 500 : 1000;
    }
    c->n_customers = 1;
    c->customers = q2o_catalog_alloc(c, 1, sizeof *c->customers);
    Q2O_STRCPY(c->customers[0].account_id, "ACC-ACME");
    Q2O_STRCPY(c->customers[0].tier, "GOLD");
    c->n_tier_discounts = 1;
    c->tier_discounts = q2o_catalog_alloc(c, 1, sizeof *c->tier_discounts);
    Q2O_STRCPY(c->tier_discounts[0].tier, "GOLD");
    c->tier_discounts[0].discount_bp = 200;
    c->n_contract_prices = 1;
    c->contract_prices = q2o_catalog_alloc(c, 1, sizeof *c->contract_prices);
    q2o_cat_contract_price *cp = &c->contract_prices[0];
    Q2O_STRCPY(cp->contract_id, "MSA-ACME");
    Q2O_STRCPY(cp->account_id, "ACC-ACME");
    Q2O_STRCPY(cp->offering_id, "SAAS-ENT-USER");
    Q2O_STRCPY(cp->currency, "USD");
    cp->unit_price = 4800;
}

/* A quote whose line L1 goes through all eight stages, priced once. */
static void priced_every_stage(fx *f)
{
    fx_init(f);
    fx_use_catalog(f, fx_saas_catalog_with(every_stage));
    fx_create(f);
    q2o_command c = fx_cmd(f, Q2O_CMD_ADD_LINE, &FX_REP);
    Q2O_STRCPY(c.u.line.line_id, "L1");
    Q2O_STRCPY(c.u.line.offering_id, "SAAS-ENT-USER");
    Q2O_STRCPY(c.u.line.uom, "EA");
    Q2O_STRCPY(c.u.line.promo_code, "JULY2026");
    Q2O_STRCPY(c.u.line.override_reason, "MATCH_COMPETITOR");
    c.u.line.quantity = 20;
    c.u.line.discount_bp = 700;
    c.u.line.override_unit_price = 3500;
    cr_assert_eq(fx_send(f, &c), Q2O_OK, "%s", f->last.detail);
    cr_assert_eq(fx_add_line(f, "L2", "IMPL-SERVICE", 1, 0, NULL), Q2O_OK);
    cr_assert_eq(fx_price(f), Q2O_OK, "%s", f->last.detail);
}

/* Fold f's log into w (as the view does: the state before each event). */
static void fold(fx *f, q2o_ctl_waterfall *w)
{
    q2o_quote *q = q2o_quote_new();
    uint8_t hash[Q2O_SHA256_LEN] = {0};
    for (size_t i = 0; i < f->n_log; i++) {
        cr_assert_eq(q2o_ctl_waterfall_on_event(w, q, &f->log[i], hash), Q2O_OK);
        cr_assert_eq(q2o_quote_evolve(q, &f->log[i]), Q2O_OK);
    }
    q2o_quote_free(q);
}

static char *print(const q2o_ctl_waterfall *w)
{
    char *text = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&text, &len);
    cr_assert_not_null(m);
    q2o_ctl_print_waterfall(m, w);
    fclose(m);
    return text;
}

Test(ctl_waterfall, prints_every_stage_of_a_priced_line_with_rules_and_running_totals)
{
    fx f;
    q2o_ctl_waterfall w;
    priced_every_stage(&f);
    q2o_ctl_waterfall_init(&w, 0);
    fold(&f, &w);
    cr_assert(w.found);
    cr_assert_str_eq(w.currency, "USD");
    const q2o_ev_priced *p = &w.priced.u.priced;
    cr_assert_eq(p->n_lines, 2);
    const q2o_line_trace *t = &p->lines[0].trace;
    cr_assert_eq(t->n_steps, Q2O_PS__COUNT, "the fixture reaches every stage");
    cr_assert_eq(w.quantities[0], 20);
    cr_assert_eq(w.quantities[1], 1);

    char *text = print(&w);
    const char *at = text;
    for (uint32_t k = 0; k < t->n_steps; k++) {
        /* each stage on its own row, in order, with its rule and the after amount */
        char after[64];
        q2o_currency usd;
        cr_assert_eq(q2o_currency_find("USD", &usd), Q2O_OK);
        const char *row = strstr(at, q2o_price_stage_name(t->steps[k].stage));
        cr_assert_not_null(row, "stage %s missing or out of order:\n%s", q2o_price_stage_name(t->steps[k].stage),
                           text);
        const char *eol = strchr(row, '\n');
        char line[256];
        snprintf(line, sizeof line, "%.*s", (int)(eol - row), row);
        cr_assert(strstr(line, t->steps[k].rule) != NULL, "rule of %s: %s", q2o_price_stage_name(t->steps[k].stage),
                  line);
        cr_assert(strstr(line, q2o_money_format(t->steps[k].after, &usd, after, sizeof after)) != NULL,
                  "after of %s: %s", q2o_price_stage_name(t->steps[k].stage), line);
        at = eol;
    }
    cr_assert(strstr(text, "MSA-ACME") && strstr(text, "GOLD") && strstr(text, "VOL") && strstr(text, "TERM") &&
                  strstr(text, "JULY2026") && strstr(text, "PB-USD"),
              "%s", text);
    cr_assert(strstr(text, "10.00 %") != NULL, "volume rate as a percentage: %s", text);
    cr_assert(strstr(text, "quantity 20") != NULL, "%s", text);
    cr_assert(strstr(text, "x 24 months") != NULL, "recurring line: term months: %s", text);
    char fp[Q2O_SHA256_HEX_LEN], total[64], once[96];
    q2o_currency usd;
    q2o_currency_find("USD", &usd);
    snprintf(once, sizeof once, "once = contract value %s",
             q2o_money_format(p->lines[1].price.net_total, &usd, total, sizeof total));
    cr_assert(strstr(text, once) != NULL, "one-time line: %s", text);
    cr_assert(strstr(text, q2o_hex(p->pricing_fp, Q2O_SHA256_LEN, fp)) != NULL);
    cr_assert(strstr(text, q2o_money_format(p->grand_total, &usd, total, sizeof total)) != NULL);
    cr_assert(strstr(text, "catalog fx-saas v7  price book PB-USD v3") != NULL, "%s", text);
    cr_assert(strstr(text, "recurring per month") != NULL);
    free(text);
    q2o_ctl_waterfall_release(&w);
    fx_release(&f);
}

Test(ctl_waterfall, json_carries_every_step_and_the_quantities)
{
    fx f;
    q2o_ctl_waterfall w;
    priced_every_stage(&f);
    q2o_ctl_waterfall_init(&w, 0);
    fold(&f, &w);
    json_t *j = q2o_ctl_waterfall_to_json(&w);
    json_t *priced = json_object_get(j, "priced");
    json_t *l1 = json_array_get(json_object_get(priced, "lines"), 0);
    json_t *steps = json_object_get(json_object_get(l1, "trace"), "steps");
    cr_assert_eq(json_array_size(steps), Q2O_PS__COUNT);
    for (size_t k = 0; k < json_array_size(steps); k++) {
        json_t *s = json_array_get(steps, k);
        const q2o_price_step *want = &w.priced.u.priced.lines[0].trace.steps[k];
        cr_assert_str_eq(json_string_value(json_object_get(s, "stage")), q2o_price_stage_name(want->stage));
        cr_assert_str_eq(json_string_value(json_object_get(s, "rule")), want->rule);
        cr_assert_eq(json_integer_value(json_object_get(s, "rule_version")), want->rule_version);
        cr_assert_eq(json_integer_value(json_object_get(s, "input")), want->input);
        cr_assert_eq(json_integer_value(json_object_get(s, "rate_bp")), want->rate_bp);
        cr_assert_eq(json_integer_value(json_object_get(s, "amount")), want->amount);
        cr_assert_eq(json_integer_value(json_object_get(s, "after")), want->after);
    }
    cr_assert_eq(json_integer_value(json_object_get(l1, "quantity")), 20);
    cr_assert_eq(json_integer_value(json_object_get(priced, "grand_total")), w.priced.u.priced.grand_total);
    cr_assert_str_eq(json_string_value(json_object_get(priced, "catalog_id")), "fx-saas");
    cr_assert_eq(json_array_size(json_object_get(priced, "changes")), 0);
    json_decref(j);
    q2o_ctl_waterfall_release(&w);
    fx_release(&f);
}

Test(ctl_waterfall, a_repriced_revision_shows_its_changes_and_an_older_revision_stays_reachable)
{
    fx f;
    q2o_ctl_waterfall cur, first;
    fx_init(&f);
    fx_to_status(&f, Q2O_ST_SUPERSEDED); /* revision 2 current, created from the priced revision 1 */
    q2o_command c = fx_command_for(&f, Q2O_CMD_CHANGE_LINE, NULL);
    cr_assert_eq(fx_send(&f, &c), Q2O_OK, "%s", f.last.detail);
    cr_assert_eq(fx_price(&f), Q2O_OK, "%s", f.last.detail);
    q2o_ctl_waterfall_init(&cur, 0);
    q2o_ctl_waterfall_init(&first, 1);
    fold(&f, &cur);
    fold(&f, &first);
    cr_assert_eq(cur.priced.revision, 2);
    cr_assert_eq(first.priced.revision, 1);
    cr_assert_eq(first.priced.u.priced.n_changes, 0);
    const q2o_ev_priced *p = &cur.priced.u.priced;
    cr_assert_eq(p->n_changes, 1);
    cr_assert_eq(p->changes[0].kind, Q2O_LC_CHANGED);
    char *text = print(&cur);
    char want[256], a[64], b[64];
    q2o_currency usd;
    q2o_currency_find("USD", &usd);
    snprintf(want, sizeof want, "CHANGED  L1               quantity 10 -> 11  net %s -> %s",
             q2o_money_format(p->changes[0].previous_net, &usd, a, sizeof a),
             q2o_money_format(p->changes[0].net, &usd, b, sizeof b));
    cr_assert(strstr(text, "changes against revision 1") != NULL, "%s", text);
    cr_assert(strstr(text, want) != NULL, "want '%s' in:\n%s", want, text);
    free(text);
    q2o_ctl_waterfall_release(&cur);
    q2o_ctl_waterfall_release(&first);
    fx_release(&f);
}
