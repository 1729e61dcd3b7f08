#include "core/error.h"

#include <string.h>

struct err_entry {
    q2o_err code;
    const char *name;
    q2o_err_class cls;
    const char *message;
    const char *remediation;
};

static const struct err_entry err_table[] = {
#define Q2O_ERR_ROW_(name_, num, cls_, msg, fix) \
    {Q2O_##name_, #name_, Q2O_CLASS_##cls_, msg, fix},
    Q2O_ERROR_TABLE(Q2O_ERR_ROW_)
#undef Q2O_ERR_ROW_
};

enum { ERR_COUNT = (int)(sizeof(err_table) / sizeof(err_table[0])) };

static const struct err_entry *find(q2o_err err)
{
    for (int i = 0; i < ERR_COUNT; i++)
        if (err_table[i].code == err)
            return &err_table[i];
    return NULL;
}

const char *q2o_err_name(q2o_err err)
{
    const struct err_entry *e = find(err);
    return e ? e->name : "UNKNOWN_ERROR";
}

const char *q2o_err_message(q2o_err err)
{
    const struct err_entry *e = find(err);
    return e ? e->message : "An unknown error code was reported.";
}

const char *q2o_err_remediation(q2o_err err)
{
    const struct err_entry *e = find(err);
    return e ? e->remediation : "Upgrade this client: the code is newer than its error table.";
}

q2o_err_class q2o_err_class_of(q2o_err err)
{
    const struct err_entry *e = find(err);
    return e ? e->cls : Q2O_CLASS_FATAL;
}

const char *q2o_err_class_name(q2o_err_class cls)
{
    switch (cls) {
    case Q2O_CLASS_OK: return "ok";
    case Q2O_CLASS_REJECTED: return "rejected";
    case Q2O_CLASS_INVALID: return "invalid";
    case Q2O_CLASS_RETRY: return "retry";
    case Q2O_CLASS_FATAL: return "fatal";
    }
    return "fatal";
}

int q2o_err_from_name(const char *name, q2o_err *out)
{
    if (!name)
        return -1;
    for (int i = 0; i < ERR_COUNT; i++) {
        if (strcmp(err_table[i].name, name) == 0) {
            *out = err_table[i].code;
            return 0;
        }
    }
    return -1;
}

int q2o_err_is_known(int number)
{
    return find((q2o_err)number) != NULL;
}

int q2o_err_at(int index, q2o_err *out)
{
    if (index < 0 || index >= ERR_COUNT)
        return -1;
    *out = err_table[index].code;
    return 0;
}
