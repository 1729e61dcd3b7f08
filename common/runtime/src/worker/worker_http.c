/*
 * worker_http.c — a tiny HTTP/1.1 endpoint: GET /healthz, /readyz, /metrics.
 *
 * One thread, poll(2)-based, non-blocking sockets, at most WH_MAX_CONNS
 * connections (more wait in the listen backlog), requests up to
 * WH_MAX_REQUEST bytes, one request per connection (Connection: close),
 * idle connections closed after WH_IDLE_MS. Only GET (and HEAD) are served.
 * It reads the worker's atomics only, never the worker's Kafka or store
 * objects.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/log.h"
#include "core/timeutil.h"
#include "worker_internal.h"

typedef struct wh_conn {
    int fd;
    uint64_t since_ns;
    size_t in_len;
    char in[WH_MAX_REQUEST];
    char *out;                  /* response being written */
    size_t out_len, out_off;
} wh_conn;

struct wh_server {
    q2o_worker *w;
    int listen_fd;
    int wake[2];                /* self-pipe: stop */
    int port;
    pthread_t thread;
    wh_conn conns[WH_MAX_CONNS];
};

static int set_nonblock(int fd)
{
    int fl = fcntl(fd, F_GETFL, 0);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static void conn_close(wh_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    free(c->out);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

static void respond(wh_conn *c, int status, const char *reason, const char *type, const char *body, size_t len,
                    int head)
{
    char hdr[256];
    int n = snprintf(hdr, sizeof hdr,
                     "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                     status, reason, type, len);
    size_t body_len = head ? 0 : len;
    c->out = malloc((size_t)n + body_len);
    if (!c->out) {
        c->out_len = 0;
        return;
    }
    memcpy(c->out, hdr, (size_t)n);
    memcpy(c->out + n, body, body_len);
    c->out_len = (size_t)n + body_len;
    c->out_off = 0;
}

static void route(wh_server *s, wh_conn *c)
{
    char method[8] = "", path[128] = "";
    static const char text[] = "text/plain; charset=utf-8";
    if (sscanf(c->in, "%7s %127s", method, path) != 2) {
        respond(c, 400, "Bad Request", text, "bad request\n", 12, 0);
        return;
    }
    int head = strcmp(method, "HEAD") == 0;
    if (strcmp(method, "GET") != 0 && !head) {
        respond(c, 405, "Method Not Allowed", text, "GET only\n", 9, 0);
        return;
    }
    char *q = strchr(path, '?');
    if (q)
        *q = '\0';
    if (strcmp(path, "/healthz") == 0) {
        int ok = q2o_worker_running(s->w);
        respond(c, ok ? 200 : 503, ok ? "OK" : "Service Unavailable", text, ok ? "ok\n" : "stopped\n",
                ok ? 3 : 8, head);
    } else if (strcmp(path, "/readyz") == 0) {
        int ok = q2o_worker_ready(s->w);
        respond(c, ok ? 200 : 503, ok ? "OK" : "Service Unavailable", text, ok ? "ready\n" : "restoring\n",
                ok ? 6 : 10, head);
    } else if (strcmp(path, "/metrics") == 0) {
        char *buf = malloc(WH_MAX_RESPONSE);
        if (!buf) {
            respond(c, 503, "Service Unavailable", text, "no memory\n", 10, 0);
            return;
        }
        size_t n = q2o_worker_metrics_render(s->w, buf, WH_MAX_RESPONSE);
        respond(c, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", buf, n, head);
        free(buf);
    } else {
        respond(c, 404, "Not Found", text, "not found\n", 10, head);
    }
}

/* Read what is there; route once the header is complete. */
static void on_readable(wh_server *s, wh_conn *c)
{
    ssize_t n = recv(c->fd, c->in + c->in_len, sizeof c->in - 1 - c->in_len, 0);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        conn_close(c);
        return;
    }
    c->in_len += (size_t)n;
    c->in[c->in_len] = '\0';
    if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n"))
        route(s, c);
    else if (c->in_len >= sizeof c->in - 1)
        respond(c, 431, "Request Header Fields Too Large", "text/plain", "too large\n", 10, 0);
    if (c->out == NULL && c->out_len == 0 && c->in_len >= sizeof c->in - 1)
        conn_close(c);
}

static void on_writable(wh_conn *c)
{
    ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (n <= 0) {
        conn_close(c);
        return;
    }
    c->out_off += (size_t)n;
    if (c->out_off >= c->out_len)
        conn_close(c);
}

static void accept_one(wh_server *s)
{
    int fd = accept(s->listen_fd, NULL, NULL);
    if (fd < 0)
        return;
    for (int i = 0; i < WH_MAX_CONNS; i++) {
        wh_conn *c = &s->conns[i];
        if (c->fd < 0) {
            if (set_nonblock(fd) != 0)
                break;
            c->fd = fd;
            c->since_ns = q2o_time_mono_ns();
            return;
        }
    }
    close(fd); /* unreachable while accepting only with a free slot */
}

static void *serve(void *arg)
{
    wh_server *s = arg;
    struct pollfd pfd[WH_MAX_CONNS + 2];
    for (;;) {
        nfds_t n = 0;
        int free_slot = 0;
        pfd[n++] = (struct pollfd){s->wake[0], POLLIN, 0};
        for (int i = 0; i < WH_MAX_CONNS; i++) {
            wh_conn *c = &s->conns[i];
            if (c->fd < 0) {
                free_slot = 1;
                continue;
            }
            if ((q2o_time_mono_ns() - c->since_ns) / 1000000u > WH_IDLE_MS) {
                conn_close(c);
                free_slot = 1;
            }
        }
        if (free_slot)
            pfd[n++] = (struct pollfd){s->listen_fd, POLLIN, 0};
        nfds_t first_conn = n;
        int idx[WH_MAX_CONNS];
        for (int i = 0; i < WH_MAX_CONNS; i++) {
            if (s->conns[i].fd < 0)
                continue;
            idx[n - first_conn] = i;
            pfd[n++] = (struct pollfd){s->conns[i].fd, s->conns[i].out ? POLLOUT : POLLIN, 0};
        }
        int rc = poll(pfd, n, 1000);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc <= 0)
            continue;
        if (pfd[0].revents)
            break;
        if (free_slot && pfd[1].revents & POLLIN)
            accept_one(s);
        for (nfds_t i = first_conn; i < n; i++) {
            wh_conn *c = &s->conns[idx[i - first_conn]];
            if (c->fd != pfd[i].fd || !pfd[i].revents)
                continue;
            if (pfd[i].revents & (POLLERR | POLLHUP | POLLNVAL) && !(pfd[i].revents & POLLIN))
                conn_close(c);
            else if (c->out)
                on_writable(c);
            else
                on_readable(s, c);
        }
    }
    return NULL;
}

q2o_err wh_start(q2o_worker *w, int port, wh_server **out, char *detail, size_t detail_size)
{
    wh_server *s = calloc(1, sizeof *s);
    if (!s)
        return Q2O_NO_MEMORY;
    s->w = w;
    s->listen_fd = -1;
    s->wake[0] = s->wake[1] = -1;
    for (int i = 0; i < WH_MAX_CONNS; i++)
        s->conns[i].fd = -1;
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)(port < 0 ? 0 : port)),
                               .sin_addr.s_addr = htonl(INADDR_ANY)};
    socklen_t alen = sizeof addr;
    int one = 1;
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s->listen_fd < 0 || setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
        bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s->listen_fd, 64) != 0 ||
        set_nonblock(s->listen_fd) != 0 || getsockname(s->listen_fd, (struct sockaddr *)&addr, &alen) != 0 ||
        pipe(s->wake) != 0) {
        snprintf(detail, detail_size, "Q2O_HTTP_PORT %d: %s", port, strerror(errno));
        wh_stop(s);
        return Q2O_CONFIG_INVALID;
    }
    s->port = ntohs(addr.sin_port);
    if (pthread_create(&s->thread, NULL, serve, s) != 0) {
        snprintf(detail, detail_size, "cannot start the HTTP thread");
        close(s->wake[1]);
        s->wake[1] = -1;
        wh_stop(s);
        return Q2O_NO_MEMORY;
    }
    *out = s;
    return Q2O_OK;
}

int wh_port(const wh_server *s)
{
    return s ? s->port : 0;
}

void wh_stop(wh_server *s)
{
    if (!s)
        return;
    if (s->wake[1] >= 0) {
        char b = 1;
        ssize_t rc = write(s->wake[1], &b, 1);
        (void)rc;
        pthread_join(s->thread, NULL);
    }
    for (int i = 0; i < WH_MAX_CONNS; i++)
        if (s->conns[i].fd >= 0)
            conn_close(&s->conns[i]);
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    if (s->wake[0] >= 0)
        close(s->wake[0]);
    if (s->wake[1] >= 0)
        close(s->wake[1]);
    free(s);
}
