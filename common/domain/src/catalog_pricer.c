/*
 * The catalog pricer (domain/catalog_pricing.h): the configurator's
 * findings first (every one becomes a violation and nothing is priced),
 * then the waterfall. The configuration result is ~100 KB, so it lives on
 * the heap.
 */
#include <stdlib.h>
#include <string.h>

#include "core/check.h"
#include "core/strutil.h"
#include "domain/catalog_pricing.h"

static q2o_err catalog_price(const void *ctx, const q2o_price_input *in, q2o_price_output *out)
{
    const q2o_catalog *c = ctx;
    q2o_config_context cc;
    q2o_config_context_for(c, in->header, in->pricing_date, &cc);
    q2o_config_result *cr = malloc(sizeof *cr);
    Q2O_CHECK(cr != NULL);
    uint32_t n = q2o_configure(c, &cc, in->lines, in->n_lines, cr);
    for (uint32_t i = 0; i < cr->n_findings; i++)
        q2o_price_output_violate(out, cr->findings[i].code, cr->findings[i].line_id, cr->findings[i].subject);
    free(cr);
    if (n)
        return Q2O_OK;
    return q2o_catalog_price(c, in, out);
}

q2o_pricer q2o_catalog_pricer(const q2o_catalog *catalog)
{
    q2o_pricer p = {catalog, catalog_price};
    return p;
}
