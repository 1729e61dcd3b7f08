/* json_tables.h — the JSON records of q2o's types (jsonmap.h tables). Keys
 * are the Avro field names of schemas/ so the JSON and the wire format share
 * one vocabulary. */
#ifndef Q2O_CTL_JSON_TABLES_H
#define Q2O_CTL_JSON_TABLES_H

#include "domain/quote.h"
#include "jsonmap.h"

extern const jm_record jt_actor, jt_header, jt_terms, jt_line, jt_acceptance, jt_reason;
extern const jm_record jt_envelope;                      /* command fields except type and payload */
extern const jm_record jt_payload[Q2O_CMD__COUNT];       /* per command type, offsets in q2o_command */
extern const jm_record jt_revision, jt_result;           /* output: show, results */
extern const jm_record jt_priced, jt_priced_line, jt_price_change; /* output: waterfall */

#endif
