/*
 * ctl/print.h — human-readable renderings shared by q2octl and q2o-demo:
 * a command's result, a quote's state ("show"), "what may I do now".
 * Write to the given stream; pure otherwise.
 */
#ifndef Q2O_CTL_PRINT_H
#define Q2O_CTL_PRINT_H

#include <stdint.h>
#include <stdio.h>

#include "codec/quote_codec.h"
#include "domain/quote.h"

/* One line for an accepted command, or a block with code, message, detail
 * and remediation for a refused one. elapsed_ms < 0: not shown. */
void q2o_ctl_print_result(FILE *f, const q2o_command *cmd, const q2o_result *r, int64_t elapsed_ms);

/* Header, every revision with its status and totals, the current
 * revision's lines with prices, totals, terms, approval reasons and steps,
 * document, presentation, acceptance and order. */
void q2o_ctl_print_quote(FILE *f, const q2o_quote *q);

/* The "what may <actor> do now" table. */
void q2o_ctl_print_allowed(FILE *f, const q2o_quote *q, const q2o_actor *actor, const q2o_allowed *a, size_t n);

/* Money in the quote's currency ("USD 1,234.50" style of core/money.h). */
const char *q2o_ctl_money(const q2o_quote *q, int64_t minor, char *buf, unsigned size);

#endif
