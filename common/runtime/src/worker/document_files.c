/* document_files.c — the document worker's content-addressed directory
 * (the contract is runtime/document_worker.h, "THE FILES"). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log.h"
#include "document_worker_internal.h"

/* mkdir -p, 0755 (people and mail tooling read the documents). */
static int make_dirs(const char *dir)
{
    char path[DW_PATH_MAX];
    if (q2o_strlcpy(path, dir, sizeof path) != 0)
        return -1;
    for (char *p = path + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(path, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

static int write_all(int fd, const uint8_t *bytes, size_t len)
{
    while (len) {
        ssize_t n = write(fd, bytes, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        bytes += n;
        len -= (size_t)n;
    }
    return 0;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

static q2o_err io_fail(const char *what, const char *path)
{
    q2o_log(Q2O_LOG_ERROR, "document file not written", "step", what, "path", path, "errno", strerror(errno),
            (const char *)NULL);
    return Q2O_STORE_IO;
}

q2o_err dw_store_file(const char *dir, const q2o_document *doc, const char *ext, char name[DW_NAME_MAX])
{
    char hex[Q2O_SHA256_HEX_LEN], final[DW_PATH_MAX + DW_NAME_MAX], tmp[DW_PATH_MAX + DW_NAME_MAX + 32];
    struct stat st;
    q2o_hex(doc->sha256, Q2O_SHA256_LEN, hex);
    snprintf(name, DW_NAME_MAX, "%s.%s", hex, ext);
    snprintf(final, sizeof final, "%s/%s", dir, name);
    if (stat(final, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == doc->len)
        return Q2O_OK; /* content-addressed: the same name holds the same bytes */
    if (make_dirs(dir) != 0)
        return io_fail("mkdir", dir);
    snprintf(tmp, sizeof tmp, "%s/.tmp-%s-%ld", dir, name, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return io_fail("open", tmp);
    if (write_all(fd, doc->bytes, doc->len) != 0 || fsync(fd) != 0) {
        q2o_err e = io_fail("write", tmp);
        close(fd);
        unlink(tmp);
        return e;
    }
    if (close(fd) != 0 || rename(tmp, final) != 0) {
        q2o_err e = io_fail("rename", final);
        unlink(tmp);
        return e;
    }
    if (sync_dir(dir) != 0)
        return io_fail("fsync dir", dir);
    return Q2O_OK;
}
