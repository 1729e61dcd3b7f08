/* The configurator tests' fixture (domain_configurator_fixture.h). */
#include "domain_configurator_fixture.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"

q2o_catalog *cf_catalog_new(void)
{
    q2o_catalog *c = q2o_catalog_new();
    q2o_strlcpy(c->id, "cfg-test", sizeof c->id);
    c->offerings = q2o_catalog_alloc(c, CF_MAX_OFFERINGS, sizeof *c->offerings);
    c->rules = q2o_catalog_alloc(c, CF_MAX_RULES, sizeof *c->rules);
    return c;
}

q2o_cat_offering *cf_offer(q2o_catalog *c, const char *id)
{
    cr_assert_lt(c->n_offerings, CF_MAX_OFFERINGS, "fixture: too many offerings");
    q2o_cat_offering *o = &c->offerings[c->n_offerings++];
    q2o_strlcpy(o->id, id, sizeof o->id);
    q2o_strlcpy(o->name, id, sizeof o->name);
    o->sellable_alone = 1;
    o->min_quantity = 1;
    o->attributes = q2o_catalog_alloc(c, CF_MAX_PER_OFFERING, sizeof *o->attributes);
    o->groups = q2o_catalog_alloc(c, CF_MAX_PER_OFFERING, sizeof *o->groups);
    return o;
}

q2o_cat_offering *cf_option_only(q2o_catalog *c, const char *id)
{
    q2o_cat_offering *o = cf_offer(c, id);
    o->sellable_alone = 0;
    return o;
}

/* Split a comma-separated list into a catalog array of `width`-byte strings. */
static uint32_t split(q2o_catalog *c, const char *list, size_t width, void **out)
{
    uint32_t n = 0;
    for (const char *s = list; *s; s++)
        n += *s == ',';
    n = list[0] ? n + 1 : 0;
    char *arr = q2o_catalog_alloc(c, n, width);
    const char *s = list;
    for (uint32_t i = 0; i < n; i++) {
        size_t len = strcspn(s, ",");
        cr_assert_lt(len, width, "fixture: '%s' too long", s);
        memcpy(arr + i * width, s, len);
        s += len + (s[len] == ',');
    }
    *out = arr;
    return n;
}

q2o_cat_option_group *cf_group(q2o_catalog *c, q2o_cat_offering *o, const char *id, uint32_t min, uint32_t max,
                               const char *options)
{
    cr_assert_lt(o->n_groups, CF_MAX_PER_OFFERING);
    q2o_cat_option_group *g = &o->groups[o->n_groups++];
    void *arr;
    q2o_strlcpy(g->id, id, sizeof g->id);
    g->min_select = min;
    g->max_select = max;
    g->n_options = split(c, options, sizeof(q2o_cat_id), &arr);
    g->options = arr;
    return g;
}

static q2o_cat_attribute *attr(q2o_cat_offering *o, const char *name, int required, const char *default_value)
{
    cr_assert_lt(o->n_attributes, CF_MAX_PER_OFFERING);
    q2o_cat_attribute *a = &o->attributes[o->n_attributes++];
    q2o_strlcpy(a->name, name, sizeof a->name);
    q2o_strlcpy(a->default_value, default_value, sizeof a->default_value);
    a->required = required;
    return a;
}

q2o_cat_attribute *cf_enum_attr(q2o_catalog *c, q2o_cat_offering *o, const char *name, int required,
                                const char *default_value, const char *values)
{
    q2o_cat_attribute *a = attr(o, name, required, default_value);
    void *arr;
    a->kind = Q2O_ATTR_ENUM;
    a->n_values = split(c, values, sizeof(q2o_cat_code), &arr);
    a->values = arr;
    return a;
}

q2o_cat_attribute *cf_range_attr(q2o_catalog *c, q2o_cat_offering *o, const char *name, int required,
                                 const char *default_value, int64_t min, int64_t max)
{
    (void)c;
    q2o_cat_attribute *a = attr(o, name, required, default_value);
    a->kind = Q2O_ATTR_RANGE;
    a->min = min;
    a->max = max;
    return a;
}

void cf_eligibility(q2o_catalog *c, q2o_cat_offering *o, const char *regions, const char *segments,
                    const char *channels)
{
    q2o_cat_eligibility *e = &o->eligibility;
    void *arr;
    e->n_regions = split(c, regions, sizeof(q2o_cat_code), &arr);
    e->regions = arr;
    e->n_segments = split(c, segments, sizeof(q2o_cat_code), &arr);
    e->segments = arr;
    e->n_channels = split(c, channels, sizeof(q2o_cat_code), &arr);
    e->channels = arr;
}

/* "OFFERING" or "OFFERING attr=value". */
static void condition(q2o_cat_condition *cond, const char *text)
{
    char buf[160];
    q2o_strlcpy(buf, text, sizeof buf);
    char *sp = strchr(buf, ' ');
    if (sp) {
        *sp++ = '\0';
        char *eq = strchr(sp, '=');
        cr_assert(eq, "fixture: condition '%s' wants attr=value", text);
        *eq++ = '\0';
        q2o_strlcpy(cond->attribute, sp, sizeof cond->attribute);
        q2o_strlcpy(cond->value, eq, sizeof cond->value);
    }
    q2o_strlcpy(cond->offering_id, buf, sizeof cond->offering_id);
}

q2o_cat_rule *cf_rule(q2o_catalog *c, const char *id, q2o_rule_kind kind, q2o_rule_scope scope, const char *when,
                      const char *then, int32_t num, int32_t den)
{
    cr_assert_lt(c->n_rules, CF_MAX_RULES, "fixture: too many rules");
    q2o_cat_rule *r = &c->rules[c->n_rules++];
    q2o_strlcpy(r->id, id, sizeof r->id);
    r->kind = kind;
    r->scope = scope;
    condition(&r->when, when);
    condition(&r->then, then);
    r->ratio_num = num;
    r->ratio_den = den;
    return r;
}

void cf_seal(q2o_catalog *c)
{
    char detail[256] = "";
    q2o_err e = q2o_catalog_seal(c, detail, sizeof detail);
    cr_assert_eq(e, Q2O_OK, "fixture catalog does not seal: %s", detail);
}

void cf_quote_init(cf_quote *q)
{
    q->n = 0;
    q->lines = calloc(Q2O_MAX_LINES + 8, sizeof *q->lines);
    cr_assert(q->lines);
}

void cf_quote_release(cf_quote *q)
{
    free(q->lines);
    q->lines = NULL;
}

q2o_line *cf_line(cf_quote *q, const char *id, const char *parent, const char *offering, int64_t quantity)
{
    cr_assert_lt(q->n, Q2O_MAX_LINES + 8);
    q2o_line *l = &q->lines[q->n++];
    memset(l, 0, sizeof *l);
    q2o_strlcpy(l->line_id, id, sizeof l->line_id);
    q2o_strlcpy(l->parent_line_id, parent, sizeof l->parent_line_id);
    q2o_strlcpy(l->offering_id, offering, sizeof l->offering_id);
    l->line_number = (int32_t)q->n;
    l->action = Q2O_LA_ADD;
    l->quantity = quantity;
    l->term_months = 12;
    l->override_unit_price = -1;
    return l;
}

void cf_opt(q2o_line *l, const char *name, const char *value)
{
    cr_assert_lt(l->n_options, Q2O_MAX_LINE_OPTIONS);
    q2o_line_option *o = &l->options[l->n_options++];
    q2o_strlcpy(o->name, name, sizeof o->name);
    q2o_strlcpy(o->value, value, sizeof o->value);
}

/* One item: ID[<PARENT]:OFFERING[*QTY] [name=value ...] [remove] */
static void one_line(cf_quote *q, char *item)
{
    char *save = NULL, *head = strtok_r(item, " ", &save);
    if (!head)
        return;
    char *colon = strchr(head, ':');
    cr_assert(colon, "fixture: line item '%s' wants ID:OFFERING", head);
    *colon = '\0';
    char *id = head, *offering = colon + 1, *parent = strchr(id, '<'), *star = strchr(offering, '*');
    if (parent)
        *parent++ = '\0';
    if (star)
        *star++ = '\0';
    q2o_line *l = cf_line(q, id, parent ? parent : "", offering, star ? strtoll(star, NULL, 10) : 1);
    for (char *tok; (tok = strtok_r(NULL, " ", &save));) {
        char *eq = strchr(tok, '=');
        if (strcmp(tok, "remove") == 0) {
            l->action = Q2O_LA_REMOVE;
            continue;
        }
        cr_assert(eq, "fixture: option '%s' wants name=value", tok);
        *eq = '\0';
        cf_opt(l, tok, eq + 1);
    }
}

void cf_lines(cf_quote *q, const char *text)
{
    size_t len = strlen(text);
    char *copy = malloc(len + 1), *save = NULL;
    cr_assert(copy);
    memcpy(copy, text, len + 1);
    for (char *item = strtok_r(copy, ";", &save); item; item = strtok_r(NULL, ";", &save))
        one_line(q, item);
    free(copy);
}

q2o_config_context cf_context(void)
{
    return (q2o_config_context){"EU", "SMB", "DIRECT", CF_DATE};
}

uint32_t cf_run(const q2o_catalog *c, const cf_quote *q, q2o_config_result *out)
{
    q2o_config_context ctx = cf_context();
    return q2o_configure(c, &ctx, q->lines, q->n, out);
}

static int match(const q2o_config_finding *f, q2o_err code, const char *line_id, const char *subject)
{
    return f->code == code && (!line_id || strcmp(f->line_id, line_id) == 0) &&
           (!subject || strcmp(f->subject, subject) == 0);
}

uint32_t cf_count(const q2o_config_result *r, q2o_err code, const char *line_id, const char *subject)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < r->n_findings; i++)
        n += (uint32_t)match(&r->findings[i], code, line_id, subject);
    return n;
}

const q2o_config_finding *cf_find(const q2o_config_result *r, q2o_err code, const char *line_id, const char *subject)
{
    for (uint32_t i = 0; i < r->n_findings; i++)
        if (match(&r->findings[i], code, line_id, subject))
            return &r->findings[i];
    return NULL;
}

const q2o_config_suggestion *cf_suggestion(const q2o_config_result *r, const char *offering_id, const char *attribute)
{
    for (uint32_t i = 0; i < r->n_suggestions; i++) {
        const q2o_config_suggestion *s = &r->suggestions[i];
        if (strcmp(s->offering_id, offering_id) == 0 && (!attribute || strcmp(s->attribute, attribute) == 0))
            return s;
    }
    return NULL;
}

const char *cf_dump(const q2o_config_result *r)
{
    static char buf[16384];
    size_t used = 0;
    buf[0] = '\0';
    for (uint32_t i = 0; i < r->n_findings && used < sizeof buf; i++) {
        const q2o_config_finding *f = &r->findings[i];
        int w = snprintf(buf + used, sizeof buf - used, "\n  %s line=%s subject=%s rule=%s: %s", q2o_err_name(f->code),
                         f->line_id, f->subject, f->rule_id, f->remediation);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    for (uint32_t i = 0; i < r->n_suggestions && used < sizeof buf; i++) {
        const q2o_config_suggestion *s = &r->suggestions[i];
        int w = snprintf(buf + used, sizeof buf - used, "\n  suggest under=%s offering=%s %s=%s rule=%s: %s",
                         s->line_id, s->offering_id, s->attribute, s->value, s->rule_id, s->message);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    return buf;
}
