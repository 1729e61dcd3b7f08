/* catalog_print.c — a catalog, an offering and a failed load as text and
 * JSON (ctl/catalog.h). */
#include <string.h>

#include "core/check.h"
#include "core/money.h"
#include "core/sha256.h"
#include "core/timeutil.h"
#include "ctl/catalog.h"

static const char *when(q2o_time_ms t, char *buf, unsigned size)
{
    return t ? q2o_time_format(t, buf, size) : "immediately";
}

static json_t *when_json(q2o_time_ms t)
{
    char buf[40];
    return t ? json_string(q2o_time_format(t, buf, sizeof buf)) : json_null();
}

/* An amount in a price book's currency, or raw minor units when the code
 * is not one core/money.h knows (the loader refuses those, so: never). */
static const char *money(const char *currency, int64_t minor, char *buf, unsigned size)
{
    q2o_currency cur;
    if (q2o_currency_find(currency, &cur) != Q2O_OK)
        snprintf(buf, size, "%lld (minor units)", (long long)minor);
    else
        q2o_money_format(minor, &cur, buf, size);
    return buf;
}

static void set(json_t *o, const char *key, json_t *v)
{
    Q2O_CHECK(v != NULL && json_object_set_new(o, key, v) == 0);
}

/* ------------------------------------------------------------ summary */

void q2o_ctl_print_catalog_summary(FILE *f, const q2o_catalog *c, const uint8_t digest[Q2O_SHA256_LEN])
{
    char hex[Q2O_SHA256_HEX_LEN], t[40];
    q2o_ctl_section s[Q2O_CTL_CATALOG_SECTIONS];
    q2o_ctl_catalog_sections(c, s);
    fprintf(f, "catalog %s version %lld%s%s%s\n", c->id, (long long)c->version, c->name[0] ? " (" : "", c->name,
            c->name[0] ? ")" : "");
    fprintf(f, "  digest          %s\n", q2o_hex(digest, Q2O_SHA256_LEN, hex));
    fprintf(f, "  effective from  %s\n", when(c->effective_from, t, sizeof t));
    for (int i = 0; i < Q2O_CTL_CATALOG_SECTIONS; i++)
        fprintf(f, "  %-22s %u\n", s[i].name, s[i].count);
}

json_t *q2o_ctl_catalog_summary_json(const q2o_catalog *c, const uint8_t digest[Q2O_SHA256_LEN])
{
    char hex[Q2O_SHA256_HEX_LEN];
    q2o_ctl_section s[Q2O_CTL_CATALOG_SECTIONS];
    json_t *o = json_object(), *counts = json_object();
    Q2O_CHECK(o && counts);
    q2o_ctl_catalog_sections(c, s);
    set(o, "id", json_string(c->id));
    set(o, "version", json_integer(c->version));
    set(o, "name", json_string(c->name));
    set(o, "effective_from", when_json(c->effective_from));
    set(o, "digest", json_string(q2o_hex(digest, Q2O_SHA256_LEN, hex)));
    for (int i = 0; i < Q2O_CTL_CATALOG_SECTIONS; i++)
        set(counts, s[i].name, json_integer(s[i].count));
    set(o, "counts", counts);
    return o;
}

/* ------------------------------------------------------------- errors */

void q2o_ctl_print_catalog_errors(FILE *f, q2o_err code, const q2o_catalog_json_errors *e)
{
    for (uint32_t i = 0; i < e->n; i++)
        fprintf(f, "%s: %s: %s\n", e->items[i].path, q2o_err_name(e->items[i].code), e->items[i].message);
    if (e->n_dropped)
        fprintf(f, "... and %u more problem(s) not listed (at most %u are)\n", e->n_dropped, e->n);
    fprintf(f, "%u problem(s); nothing was loaded. %s\n", e->n + e->n_dropped, q2o_err_remediation(code));
}

json_t *q2o_ctl_catalog_errors_json(q2o_err code, const q2o_catalog_json_errors *e)
{
    json_t *o = json_object(), *arr = json_array();
    Q2O_CHECK(o && arr);
    set(o, "ok", json_false());
    set(o, "code", json_integer(code));
    set(o, "code_name", json_string(q2o_err_name(code)));
    set(o, "remediation", json_string(q2o_err_remediation(code)));
    for (uint32_t i = 0; i < e->n; i++) {
        json_t *x = json_object();
        Q2O_CHECK(x != NULL);
        set(x, "path", json_string(e->items[i].path));
        set(x, "code", json_integer(e->items[i].code));
        set(x, "code_name", json_string(q2o_err_name(e->items[i].code)));
        set(x, "message", json_string(e->items[i].message));
        Q2O_CHECK(json_array_append_new(arr, x) == 0);
    }
    set(o, "errors", arr);
    set(o, "dropped", json_integer(e->n_dropped));
    return o;
}

/* ----------------------------------------------------------- offering */

static int names(const q2o_cat_condition *k, const char *offering_id)
{
    return strcmp(k->offering_id, offering_id) == 0;
}

static void print_condition(FILE *f, const q2o_cat_condition *k)
{
    fprintf(f, "%s", k->offering_id);
    if (k->attribute[0])
        fprintf(f, "[%s=%s]", k->attribute, k->value);
}

static void print_prices(FILE *f, const q2o_catalog *c, const q2o_cat_offering *o)
{
    char a[64], b[64];
    int any = 0;
    fprintf(f, "  prices:\n");
    for (uint32_t i = 0; i < c->n_pricebooks; i++) {
        const q2o_cat_pricebook *pb = &c->pricebooks[i];
        const q2o_cat_price *p = q2o_pricebook_price(c, pb, o->id);
        if (!p)
            continue;
        any = 1;
        fprintf(f, "    %-12s v%-3lld %s %s/%s  ", pb->id, (long long)pb->version, pb->currency,
                pb->market[0] ? pb->market : "*", pb->channel[0] ? pb->channel : "*");
        if (p->unit_price >= 0)
            fprintf(f, "%s per %s%s", money(pb->currency, p->unit_price, a, sizeof a), o->uom,
                    o->charge == Q2O_CHARGE_RECURRING ? " per month" : "");
        for (uint32_t k = 0; k < p->n_blocks; k++)
            fprintf(f, "%s up to %lld: %s", k || p->unit_price >= 0 ? ";" : "", (long long)p->blocks[k].up_to,
                    money(pb->currency, p->blocks[k].price, b, sizeof b));
        fprintf(f, "\n");
    }
    if (!any)
        fprintf(f, "    (in no price book)\n");
}

static void print_attributes(FILE *f, const q2o_cat_offering *o)
{
    for (uint32_t i = 0; i < o->n_attributes; i++) {
        const q2o_cat_attribute *a = &o->attributes[i];
        fprintf(f, "    %-20s %s%s ", a->name, q2o_attr_kind_name(a->kind), a->required ? " required" : "");
        if (a->kind == Q2O_ATTR_ENUM)
            for (uint32_t k = 0; k < a->n_values; k++)
                fprintf(f, "%s%s", k ? "|" : "", a->values[k]);
        else
            fprintf(f, "%lld..%lld", (long long)a->min, (long long)a->max);
        if (a->default_value[0])
            fprintf(f, " (default %s)", a->default_value);
        fprintf(f, "\n");
    }
}

static void print_groups(FILE *f, const q2o_cat_offering *o)
{
    for (uint32_t i = 0; i < o->n_groups; i++) {
        const q2o_cat_option_group *g = &o->groups[i];
        fprintf(f, "    %-20s select %u..", g->id, g->min_select);
        if (g->max_select)
            fprintf(f, "%u:", g->max_select);
        else
            fprintf(f, "any:");
        for (uint32_t k = 0; k < g->n_options; k++)
            fprintf(f, " %s", g->options[k]);
        fprintf(f, "%s%s\n", g->name[0] ? "  — " : "", g->name);
    }
}

static void print_rules(FILE *f, const q2o_catalog *c, const q2o_cat_offering *o)
{
    int any = 0;
    for (uint32_t i = 0; i < c->n_rules; i++) {
        const q2o_cat_rule *r = &c->rules[i];
        if (!names(&r->when, o->id) && !names(&r->then, o->id))
            continue;
        if (!any)
            fprintf(f, "  rules:\n");
        any = 1;
        fprintf(f, "    %-20s %s %s: ", r->id, q2o_rule_scope_name(r->scope), q2o_rule_kind_name(r->kind));
        print_condition(f, &r->when);
        fprintf(f, " -> ");
        print_condition(f, &r->then);
        if (r->kind == Q2O_RULE_QUANTITY)
            fprintf(f, " x %d/%d", (int)r->ratio_num, (int)r->ratio_den);
        fprintf(f, "%s%s\n", r->message[0] ? "  — " : "", r->message);
    }
}

void q2o_ctl_print_offering(FILE *f, const q2o_catalog *c, const q2o_cat_offering *o)
{
    fprintf(f, "offering %s — %s\n", o->id, o->name);
    fprintf(f, "  charge %s  uom %s%s%s%s\n", q2o_charge_type_name(o->charge), o->uom,
            o->family[0] ? "  family " : "", o->family, o->sellable_alone ? "" : "  (only inside a bundle)");
    print_prices(f, c, o);
    if (o->n_attributes) {
        fprintf(f, "  attributes:\n");
        print_attributes(f, o);
    }
    if (o->n_groups) {
        fprintf(f, "  option groups:\n");
        print_groups(f, o);
    }
    print_rules(f, c, o);
}

static json_t *condition_json(const q2o_cat_condition *k)
{
    json_t *o = json_object();
    Q2O_CHECK(o != NULL);
    set(o, "offering_id", json_string(k->offering_id));
    if (k->attribute[0]) {
        set(o, "attribute", json_string(k->attribute));
        set(o, "value", json_string(k->value));
    }
    return o;
}

static json_t *prices_json(const q2o_catalog *c, const q2o_cat_offering *o)
{
    json_t *arr = json_array();
    Q2O_CHECK(arr != NULL);
    for (uint32_t i = 0; i < c->n_pricebooks; i++) {
        const q2o_cat_pricebook *pb = &c->pricebooks[i];
        const q2o_cat_price *p = q2o_pricebook_price(c, pb, o->id);
        if (!p)
            continue;
        json_t *x = json_object(), *blocks = json_array();
        Q2O_CHECK(x && blocks);
        set(x, "price_book", json_string(pb->id));
        set(x, "version", json_integer(pb->version));
        set(x, "currency", json_string(pb->currency));
        set(x, "market", json_string(pb->market));
        set(x, "channel", json_string(pb->channel));
        set(x, "unit_price", json_integer(p->unit_price));
        for (uint32_t k = 0; k < p->n_blocks; k++) {
            json_t *b = json_pack("{s:I,s:I}", "up_to", (json_int_t)p->blocks[k].up_to, "price",
                                  (json_int_t)p->blocks[k].price);
            Q2O_CHECK(b && json_array_append_new(blocks, b) == 0);
        }
        set(x, "blocks", blocks);
        Q2O_CHECK(json_array_append_new(arr, x) == 0);
    }
    return arr;
}

static json_t *attributes_json(const q2o_cat_offering *o)
{
    json_t *arr = json_array();
    Q2O_CHECK(arr != NULL);
    for (uint32_t i = 0; i < o->n_attributes; i++) {
        const q2o_cat_attribute *a = &o->attributes[i];
        json_t *x = json_object();
        Q2O_CHECK(x != NULL);
        set(x, "name", json_string(a->name));
        set(x, "kind", json_string(q2o_attr_kind_name(a->kind)));
        set(x, "required", json_boolean(a->required));
        if (a->kind == Q2O_ATTR_ENUM) {
            json_t *v = json_array();
            Q2O_CHECK(v != NULL);
            for (uint32_t k = 0; k < a->n_values; k++)
                Q2O_CHECK(json_array_append_new(v, json_string(a->values[k])) == 0);
            set(x, "values", v);
        } else {
            set(x, "min", json_integer(a->min));
            set(x, "max", json_integer(a->max));
        }
        if (a->default_value[0])
            set(x, "default", json_string(a->default_value));
        Q2O_CHECK(json_array_append_new(arr, x) == 0);
    }
    return arr;
}

static json_t *groups_json(const q2o_cat_offering *o)
{
    json_t *arr = json_array();
    Q2O_CHECK(arr != NULL);
    for (uint32_t i = 0; i < o->n_groups; i++) {
        const q2o_cat_option_group *g = &o->groups[i];
        json_t *x = json_object(), *opts = json_array();
        Q2O_CHECK(x && opts);
        set(x, "id", json_string(g->id));
        set(x, "name", json_string(g->name));
        set(x, "min_select", json_integer(g->min_select));
        set(x, "max_select", json_integer(g->max_select));
        for (uint32_t k = 0; k < g->n_options; k++)
            Q2O_CHECK(json_array_append_new(opts, json_string(g->options[k])) == 0);
        set(x, "options", opts);
        Q2O_CHECK(json_array_append_new(arr, x) == 0);
    }
    return arr;
}

static json_t *rules_json(const q2o_catalog *c, const q2o_cat_offering *o)
{
    json_t *arr = json_array();
    Q2O_CHECK(arr != NULL);
    for (uint32_t i = 0; i < c->n_rules; i++) {
        const q2o_cat_rule *r = &c->rules[i];
        if (!names(&r->when, o->id) && !names(&r->then, o->id))
            continue;
        json_t *x = json_object();
        Q2O_CHECK(x != NULL);
        set(x, "id", json_string(r->id));
        set(x, "kind", json_string(q2o_rule_kind_name(r->kind)));
        set(x, "scope", json_string(q2o_rule_scope_name(r->scope)));
        set(x, "when", condition_json(&r->when));
        set(x, "then", condition_json(&r->then));
        if (r->kind == Q2O_RULE_QUANTITY) {
            set(x, "ratio_num", json_integer(r->ratio_num));
            set(x, "ratio_den", json_integer(r->ratio_den));
        }
        set(x, "message", json_string(r->message));
        Q2O_CHECK(json_array_append_new(arr, x) == 0);
    }
    return arr;
}

json_t *q2o_ctl_offering_json(const q2o_catalog *c, const q2o_cat_offering *o)
{
    json_t *x = json_object();
    Q2O_CHECK(x != NULL);
    set(x, "id", json_string(o->id));
    set(x, "name", json_string(o->name));
    set(x, "family", json_string(o->family));
    set(x, "charge", json_string(q2o_charge_type_name(o->charge)));
    set(x, "uom", json_string(o->uom));
    set(x, "sellable_alone", json_boolean(o->sellable_alone));
    set(x, "prices", prices_json(c, o));
    set(x, "attributes", attributes_json(o));
    set(x, "option_groups", groups_json(o));
    set(x, "rules", rules_json(c, o));
    return x;
}
