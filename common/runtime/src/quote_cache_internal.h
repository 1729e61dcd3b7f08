/* quote_cache_internal.h — what the handler uses of the quote cache
 * (quote_cache.c). Private to common/runtime. */
#ifndef Q2O_QUOTE_CACHE_INTERNAL_H
#define Q2O_QUOTE_CACHE_INTERNAL_H

#include "runtime/quote_handler.h"

/* The state of quote_id at the store's head in txn: the cached one when its
 * version and head hash equal the stored head's, else loaded into the cache
 * (q2o_quote_load's errors; the entry is dropped). *out belongs to the cache
 * and may be evolved in place until quote_cache_settle. */
q2o_err quote_cache_load(q2o_quote_cache *c, q2o_store_txn *txn, const q2o_codec *codec, const char *quote_id,
                         q2o_quote **out, char *detail, size_t detail_size);

/* After the command: ok keeps the (possibly evolved) state and evicts least
 * recently used quotes beyond the byte budget; !ok drops it (an evolve may
 * have stopped half-way). */
void quote_cache_settle(q2o_quote_cache *c, int ok);

/* Scratch for one decision, reused from command to command. */
q2o_decision *quote_cache_decision(q2o_quote_cache *c);

#endif
