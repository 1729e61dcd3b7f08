#include "document_quote.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"

static const char *const finishes[] = {"oak", "walnut", NULL};

/* Sizes S1..S80: the enumeration of the "size" attribute. */
static const char *const *sizes(void)
{
    static char names[DQ_MAX_LINES][8];
    static const char *list[DQ_MAX_LINES + 1];
    for (unsigned i = 0; i < DQ_MAX_LINES; i++) {
        snprintf(names[i], sizeof names[i], "S%u", i + 1);
        list[i] = names[i];
    }
    return list;
}

static void make_catalog(dq *d, unsigned n, const char *first_name)
{
    for (unsigned i = 0; i < n; i++) {
        snprintf(d->ids[i], sizeof d->ids[i], "W-%02u", i + 1);
        snprintf(d->names[i], sizeof d->names[i], "Widget model %02u", i + 1);
        if (i == 0 && first_name)
            q2o_strlcpy(d->names[0], first_name, sizeof d->names[0]);
        fx_offering o = {d->ids[i], d->names[i], 1000 + 137 * (int64_t)i, 400, i % 3 == 2, 0,
                         {"finish", "size"}, {finishes, sizes()}, {0, 0}};
        d->offerings[i] = o;
    }
    fx_use_catalog(&d->f, fx_catalog_new(d->offerings, n, 1500, 800));
}

static void add_line(dq *d, unsigned i, int64_t qty)
{
    q2o_command c = fx_cmd(&d->f, Q2O_CMD_ADD_LINE, &FX_REP);
    snprintf(c.u.line.line_id, sizeof c.u.line.line_id, "L%u", i + 1);
    Q2O_STRCPY(c.u.line.offering_id, d->ids[i]);
    Q2O_STRCPY(c.u.line.uom, "EA");
    c.u.line.quantity = qty;
    c.u.line.discount_bp = (int32_t)(i % 4) * 250;
    c.u.line.override_unit_price = -1;
    c.u.line.n_options = 2;
    Q2O_STRCPY(c.u.line.options[0].name, "finish");
    Q2O_STRCPY(c.u.line.options[0].value, i % 2 ? "oak" : "walnut");
    Q2O_STRCPY(c.u.line.options[1].name, "size");
    snprintf(c.u.line.options[1].value, sizeof c.u.line.options[1].value, "S%u", i + 1);
    q2o_err e = fx_send(&d->f, &c);
    cr_assert_eq(e, Q2O_OK, "AddLine %u: %s (%s)", i, q2o_err_name(e), d->f.last.detail);
}

void dq_build(dq *d, unsigned n, int64_t qty_base, const char *first_name)
{
    cr_assert(n >= 1 && n <= DQ_MAX_LINES);
    fx_init(&d->f);
    make_catalog(d, n, first_name);
    fx_create(&d->f);
    for (unsigned i = 0; i < n; i++)
        add_line(d, i, qty_base + i);
    q2o_err e = fx_price(&d->f);
    cr_assert_eq(e, Q2O_OK, "Price: %s (%s)", q2o_err_name(e), d->f.last.detail);
}

void dq_release(dq *d)
{
    fx_release(&d->f);
}

const q2o_quote *dq_quote(const dq *d)
{
    return d->f.q;
}

void dq_change_qty(dq *d, const char *line_id, int64_t qty)
{
    q2o_command c = fx_cmd(&d->f, Q2O_CMD_CHANGE_LINE, &FX_REP);
    c.u.line = *q2o_quote_line(d->f.q, line_id);
    c.u.line.quantity = qty;
    cr_assert_eq(fx_send(&d->f, &c), Q2O_OK, "ChangeLine: %s", d->f.last.detail);
    cr_assert_eq(fx_price(&d->f), Q2O_OK, "Price: %s", d->f.last.detail);
}

q2o_branding dq_branding(void)
{
    q2o_branding b = {"Northwind Software GmbH", "Hauptstrasse 1, 10115 Berlin, Germany", {0x1F, 0x4E, 0x79},
                      "Northwind Software GmbH - Registered in Berlin HRB 12345 - All prices exclude "
                      "customs duties unless stated."};
    return b;
}

void dq_write(const char *dir, const char *name, const q2o_document *doc, char *path, size_t size)
{
    snprintf(path, size, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    cr_assert_not_null(f, "cannot write %s", path);
    cr_assert_eq(fwrite(doc->bytes, 1, doc->len, f), doc->len);
    cr_assert_eq(fclose(f), 0);
}

char *dq_run(const char *cmd, int *status)
{
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p, "popen %s", cmd);
    size_t len = 0, cap = 1 << 16;
    char *out = malloc(cap);
    cr_assert_not_null(out);
    size_t n;
    while ((n = fread(out + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            cap *= 2;
            out = realloc(out, cap);
            cr_assert_not_null(out);
        }
    }
    out[len] = '\0';
    *status = pclose(p);
    return out;
}

/* s with runs of white space as one space, no leading or trailing space. */
static char *squeeze(const char *s)
{
    char *out = malloc(strlen(s) + 1), *w = out;
    cr_assert_not_null(out);
    int space = 1;
    for (; *s; s++) {
        int ws = *s == ' ' || *s == '\n' || *s == '\t' || *s == '\r' || *s == '\f';
        if (ws && !space)
            *w++ = ' ';
        else if (!ws)
            *w++ = *s;
        space = ws;
    }
    if (w > out && w[-1] == ' ')
        w--;
    *w = '\0';
    return out;
}

int dq_contains_words(const char *hay, const char *needle)
{
    char *h = squeeze(hay), *n = squeeze(needle);
    int found = strstr(h, n) != NULL;
    free(h);
    free(n);
    return found;
}

void dq_usd(int64_t minor, char *buf, size_t size)
{
    cr_assert(minor >= 0);
    snprintf(buf, size, "%lld.%02lld USD", (long long)(minor / 100), (long long)(minor % 100));
}
