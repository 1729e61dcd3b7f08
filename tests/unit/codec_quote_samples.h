/*
 * codec_quote_samples.h — sample messages with every field set to a
 * non-default value, shared by the codec tests and the q2o_quote_vectors
 * tool (one place, so tests and cross-checks see the same data).
 *
 * Every sample starts from a zeroed struct, so two samples built alike (or a
 * sample and its decoded copy) compare equal with memcmp once heap pointers
 * are set aside. Odd seeds fill every string to its maximum length.
 */
#ifndef Q2O_CODEC_QUOTE_SAMPLES_H
#define Q2O_CODEC_QUOTE_SAMPLES_H

#include <stdint.h>

#include "codec/quote_codec.h"

/* A sample of event type t; a PRICED event gets n_lines priced lines on the
 * heap (release with q2o_event_release or free(ev->u.priced.lines)). */
void q2o_sample_event(q2o_event_type t, uint32_t n_lines, uint32_t seed, q2o_event *ev);

void q2o_sample_command(q2o_command_type t, uint32_t seed, q2o_command *cmd);

void q2o_sample_result(uint32_t seed, q2o_result *res);

/* A quote with every revision slot up to n_revisions and n_lines lines
 * (heap, cap_lines == n_lines). */
void q2o_sample_quote(uint32_t n_revisions, uint32_t n_lines, uint32_t seed, q2o_quote *q);

#endif
