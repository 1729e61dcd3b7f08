/*
 * core/sha256.h — SHA-256 (OpenSSL libcrypto underneath) and hex helpers.
 *
 * q2o hashes: pricing and approval fingerprints, document content ids, the
 * per-quote event hash chain, deterministic order ids.
 *
 * Usage: q2o_sha256_init, any number of _update, then _final. A context is
 * plain memory owned by the caller; _final releases what _init acquired.
 */
#ifndef Q2O_CORE_SHA256_H
#define Q2O_CORE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define Q2O_SHA256_LEN 32
#define Q2O_SHA256_HEX_LEN 65 /* 64 hex digits + NUL */

typedef struct q2o_sha256 {
    void *md; /* EVP_MD_CTX, opaque */
} q2o_sha256;

void q2o_sha256_init(q2o_sha256 *ctx);
void q2o_sha256_update(q2o_sha256 *ctx, const void *data, size_t len);
/* Length-prefixed string: u32 BE length then bytes, so ("ab","c") and
 * ("a","bc") hash differently. NULL hashes as "". */
void q2o_sha256_update_str(q2o_sha256 *ctx, const char *s);
/* Big-endian 64-bit integer. */
void q2o_sha256_update_i64(q2o_sha256 *ctx, int64_t v);
void q2o_sha256_final(q2o_sha256 *ctx, uint8_t out[Q2O_SHA256_LEN]);

void q2o_sha256_digest(const void *data, size_t len, uint8_t out[Q2O_SHA256_LEN]);

/* Lower-case hex of n bytes into out (2n+1 bytes). Returns out. */
char *q2o_hex(const uint8_t *bytes, size_t n, char *out);
/* Parse 2n hex digits into n bytes; returns 0 or -1. */
int q2o_unhex(const char *hex, uint8_t *out, size_t n);

#endif
