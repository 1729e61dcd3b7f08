/* Helpers of the pricing interface (domain/pricing.h). */
#include <string.h>

#include "core/strutil.h"
#include "domain/pricing.h"

void q2o_price_output_violate(q2o_price_output *out, q2o_err code, const char *line_id, const char *detail)
{
    if (out->n_violations >= Q2O_MAX_VIOLATIONS)
        return;
    q2o_violation *v = &out->violations[out->n_violations++];
    memset(v, 0, sizeof *v);
    v->code = (int)code;
    q2o_strlcpy(v->line_id, line_id, sizeof v->line_id);
    q2o_strlcpy(v->detail, detail, sizeof v->detail);
}
