/* RFC 5322 / MIME helpers of the confirmation e-mail: quoted-printable,
 * encoded words, mailboxes, dates, HTML escaping. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mime.h"

#define MIME_LINE_MAX 76 /* RFC 2045 quoted-printable line limit */
#define HEADER_FIT 78    /* RFC 5322 recommended line length */
#define EW_CHUNK 45      /* input bytes per encoded word: 60 base64 chars, 72 in all */

static const char hexdig[] = "0123456789ABCDEF";

static int qp_literal(unsigned char ch)
{
    return (ch >= 33 && ch <= 126 && ch != '=') || ch == ' ' || ch == '\t';
}

/* One input line (without its "\n") as quoted-printable, soft-broken. */
static void qp_line(q2o_doc_buf *b, const unsigned char *s, size_t n)
{
    size_t col = 0;
    for (size_t i = 0; i < n; i++) {
        char tok[3];
        size_t tl;
        int last = i + 1 == n;
        if (qp_literal(s[i]) && !(last && (s[i] == ' ' || s[i] == '\t'))) {
            tok[0] = (char)s[i];
            tl = 1;
        } else {
            tok[0] = '=';
            tok[1] = hexdig[s[i] >> 4];
            tok[2] = hexdig[s[i] & 15];
            tl = 3;
        }
        /* Keep room for the '=' of a soft break unless this is the end. */
        if (col + tl > MIME_LINE_MAX - (last ? 0 : 1)) {
            q2o_doc_buf_puts(b, "=\r\n");
            col = 0;
        }
        q2o_doc_buf_put(b, tok, tl);
        col += tl;
    }
    q2o_doc_buf_puts(b, "\r\n");
}

void q2o_mime_put_qp(q2o_doc_buf *b, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '\n') {
            if (i > start || i < len)
                qp_line(b, s + start, i - start);
            start = i + 1;
        }
    }
}

static void base64(q2o_doc_buf *b, const unsigned char *s, size_t n)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        char out[4] = {abc[v >> 18 & 63], abc[v >> 12 & 63], i + 1 < n ? abc[v >> 6 & 63] : '=',
                       i + 2 < n ? abc[v & 63] : '='};
        q2o_doc_buf_put(b, out, 4);
    }
}

/* Input bytes of the encoded word starting at pos: at most EW_CHUNK, cut
 * before a space when there is one (the space opens the next word), else
 * at a character boundary, never inside a UTF-8 sequence. */
static size_t ew_chunk(const char *s, size_t n, size_t pos)
{
    size_t len = n - pos < EW_CHUNK ? n - pos : EW_CHUNK;
    if (pos + len == n)
        return len;
    for (size_t k = len; k > 1; k--)
        if (s[pos + k - 1] == ' ')
            return k - 1;
    while (((unsigned char)s[pos + len] & 0xC0) == 0x80)
        len--;
    return len;
}

/* Encoded words folded onto continuation lines. Decoders drop the folding
 * white space between encoded words (RFC 2047 §6.2), so a space of the
 * text is always encoded, at the start of the next word. */
static void encoded_words(q2o_doc_buf *b, const char *s)
{
    size_t n = strlen(s), pos = 0;
    while (pos < n) {
        size_t len = ew_chunk(s, n, pos);
        if (pos)
            q2o_doc_buf_puts(b, "\r\n ");
        q2o_doc_buf_puts(b, "=?UTF-8?B?");
        base64(b, (const unsigned char *)s + pos, len);
        q2o_doc_buf_puts(b, "?=");
        pos += len;
    }
}

static int printable_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E)
            return 0;
    return 1;
}

void q2o_mime_put_unstructured(q2o_doc_buf *b, const char *name, const char *value)
{
    q2o_doc_buf_printf(b, "%s: ", name);
    if (printable_ascii(value) && strlen(name) + 2 + strlen(value) <= HEADER_FIT &&
        strstr(value, "=?") == NULL)
        q2o_doc_buf_puts(b, value);
    else
        encoded_words(b, value);
    q2o_doc_buf_puts(b, "\r\n");
}

/* RFC 5322 atext, plus the space between atoms of a phrase. */
static int phrase_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           (ch != '\0' && strchr("!#$%&'*+-/=?^_`{|}~ ", ch) != NULL);
}

static int atoms_only(const char *s)
{
    if (!*s || *s == ' ' || strstr(s, "=?"))
        return 0;
    for (; *s; s++)
        if (!phrase_char(*s))
            return 0;
    return 1;
}

void q2o_mime_put_mailbox(q2o_doc_buf *b, const char *name, const char *display, const char *addr)
{
    size_t fixed = strlen(name) + 2 + strlen(addr) + 3;
    q2o_doc_buf_printf(b, "%s: ", name);
    if (!*display) {
        /* nothing: a bare <addr> */
    } else if (atoms_only(display) && fixed + strlen(display) <= HEADER_FIT) {
        q2o_doc_buf_puts(b, display);
    } else if (printable_ascii(display) && fixed + 2 * strlen(display) + 2 <= HEADER_FIT) {
        q2o_doc_buf_putc(b, '"');
        for (const char *p = display; *p; p++) {
            if (*p == '"' || *p == '\\')
                q2o_doc_buf_putc(b, '\\');
            q2o_doc_buf_putc(b, *p);
        }
        q2o_doc_buf_putc(b, '"');
    } else {
        encoded_words(b, display);
        q2o_doc_buf_puts(b, "\r\n");
    }
    q2o_doc_buf_printf(b, "%s<%s>\r\n", *display ? " " : "", addr);
}

static int dot_atom(const char *s, size_t n, const char *extra)
{
    if (n == 0 || s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '.' || ch == '-' || (ch != '\0' && strchr(extra, ch) != NULL);
        if (!ok || (ch == '.' && s[i + 1] == '.'))
            return 0;
    }
    return 1;
}

int q2o_mime_addr_ok(const char *s)
{
    const char *at = s ? strchr(s, '@') : NULL;
    if (!at || strchr(at + 1, '@') || strlen(s) > 254)
        return 0;
    return dot_atom(s, (size_t)(at - s), "!#$%&'*+/=?^_`{|}~") && dot_atom(at + 1, strlen(at + 1), "");
}

char *q2o_mime_date(q2o_time_ms t, char *buf, size_t size)
{
    static const char *const wday[] = {"Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t days = t / Q2O_MS_PER_DAY - (t % Q2O_MS_PER_DAY < 0 ? 1 : 0);
    int64_t ms = t - days * Q2O_MS_PER_DAY, y;
    unsigned m, d;
    q2o_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%s, %02u %s %04" PRId64 " %02d:%02d:%02d +0000", wday[((days % 7) + 7) % 7], d,
             mon[m - 1], y, (int)(ms / 3600000), (int)(ms / 60000 % 60), (int)(ms / 1000 % 60));
    return buf;
}

void q2o_mime_put_html(q2o_doc_buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': q2o_doc_buf_puts(b, "&amp;"); break;
        case '<': q2o_doc_buf_puts(b, "&lt;"); break;
        case '>': q2o_doc_buf_puts(b, "&gt;"); break;
        case '"': q2o_doc_buf_puts(b, "&quot;"); break;
        case '\'': q2o_doc_buf_puts(b, "&#39;"); break;
        default: q2o_doc_buf_putc(b, *s); break;
        }
    }
}
