#include "core/sha256.h"

#include <openssl/evp.h>
#include <string.h>

#include "core/check.h"

void q2o_sha256_init(q2o_sha256 *ctx)
{
    EVP_MD_CTX *md = EVP_MD_CTX_new();
    Q2O_CHECK(md != NULL);
    Q2O_CHECK(EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1);
    ctx->md = md;
}

void q2o_sha256_update(q2o_sha256 *ctx, const void *data, size_t len)
{
    if (len)
        Q2O_CHECK(EVP_DigestUpdate((EVP_MD_CTX *)ctx->md, data, len) == 1);
}

void q2o_sha256_update_str(q2o_sha256 *ctx, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    uint8_t len[4] = {(uint8_t)(n >> 24), (uint8_t)(n >> 16), (uint8_t)(n >> 8), (uint8_t)n};
    q2o_sha256_update(ctx, len, 4);
    q2o_sha256_update(ctx, s, n);
}

void q2o_sha256_update_i64(q2o_sha256 *ctx, int64_t v)
{
    uint8_t b[8];
    uint64_t u = (uint64_t)v;
    for (int i = 7; i >= 0; i--) {
        b[i] = (uint8_t)u;
        u >>= 8;
    }
    q2o_sha256_update(ctx, b, 8);
}

void q2o_sha256_final(q2o_sha256 *ctx, uint8_t out[Q2O_SHA256_LEN])
{
    unsigned n = 0;
    Q2O_CHECK(EVP_DigestFinal_ex((EVP_MD_CTX *)ctx->md, out, &n) == 1 && n == Q2O_SHA256_LEN);
    EVP_MD_CTX_free((EVP_MD_CTX *)ctx->md);
    ctx->md = NULL;
}

void q2o_sha256_digest(const void *data, size_t len, uint8_t out[Q2O_SHA256_LEN])
{
    q2o_sha256 ctx;
    q2o_sha256_init(&ctx);
    q2o_sha256_update(&ctx, data, len);
    q2o_sha256_final(&ctx, out);
}

char *q2o_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
    return out;
}

static int nibble(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int q2o_unhex(const char *hex, uint8_t *out, size_t n)
{
    if (!hex || strlen(hex) != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}
