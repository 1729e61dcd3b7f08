#include "core/check.h"

#include <stdio.h>
#include <stdlib.h>

_Noreturn void q2o_check_failed(const char *expr, const char *file, int line)
{
    fprintf(stderr, "{\"level\":\"fatal\",\"msg\":\"check failed\",\"expr\":\"%s\",\"file\":\"%s\",\"line\":%d}\n",
            expr, file, line);
    fflush(stderr);
    abort();
}
