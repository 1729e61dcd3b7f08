#include "core/log.h"

#include <pthread.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "core/timeutil.h"

static q2o_log_level threshold = Q2O_LOG_INFO;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void q2o_log_set_level(q2o_log_level level)
{
    threshold = level;
}

int q2o_log_level_parse(const char *name, q2o_log_level *out)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    for (int i = 0; i < 4; i++) {
        if (name && strcasecmp(name, names[i]) == 0) {
            *out = (q2o_log_level)i;
            return 0;
        }
    }
    return -1;
}

size_t q2o_json_escape(const char *s, char *out, size_t size)
{
    size_t n = 0;
    if (!size)
        return 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        char tmp[8];
        const char *piece = tmp;
        size_t len;
        switch (*p) {
        case '"': piece = "\\\""; break;
        case '\\': piece = "\\\\"; break;
        case '\n': piece = "\\n"; break;
        case '\r': piece = "\\r"; break;
        case '\t': piece = "\\t"; break;
        default:
            if (*p < 0x20)
                snprintf(tmp, sizeof tmp, "\\u%04x", *p);
            else {
                tmp[0] = (char)*p;
                tmp[1] = '\0';
            }
        }
        len = strlen(piece);
        if (n + len >= size)
            break;
        memcpy(out + n, piece, len);
        n += len;
    }
    out[n] = '\0';
    return n;
}

void q2o_json_fputs(const char *s, FILE *f)
{
    char buf[1024];
    const char *p = s ? s : "";
    /* Escape in chunks; 1024 bytes of output always hold 128 input bytes. */
    while (*p) {
        char chunk[129];
        size_t n = strnlen(p, 128);
        memcpy(chunk, p, n);
        chunk[n] = '\0';
        q2o_json_escape(chunk, buf, sizeof buf);
        fputs(buf, f);
        p += n;
    }
}

void q2o_log(q2o_log_level level, const char *msg, ...)
{
    static const char *names[] = {"debug", "info", "warn", "error"};
    if (level < threshold)
        return;
    char line[4096], esc[1024], ts[32];
    size_t n = 0;
    q2o_json_escape(msg, esc, sizeof esc);
    n += (size_t)snprintf(line, sizeof line, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"%s\"",
                          q2o_time_format(q2o_time_now_ms(), ts, sizeof ts), names[level], esc);
    va_list ap;
    va_start(ap, msg);
    for (;;) {
        const char *k = va_arg(ap, const char *);
        if (!k)
            break;
        const char *v = va_arg(ap, const char *);
        char ek[128];
        q2o_json_escape(k, ek, sizeof ek);
        q2o_json_escape(v, esc, sizeof esc);
        if (n < sizeof line)
            n += (size_t)snprintf(line + n, sizeof line - n, ",\"%s\":\"%s\"", ek, esc);
    }
    va_end(ap);
    if (n >= sizeof line - 3)
        n = sizeof line - 3;
    line[n++] = '}';
    line[n++] = '\n';
    pthread_mutex_lock(&log_lock);
    fwrite(line, 1, n, stderr);
    pthread_mutex_unlock(&log_lock);
}
