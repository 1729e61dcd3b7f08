/* tests/support/store_fixture.h — a fresh LMDB store per test (Criterion
 * forks each test, so the store is opened inside it, never before). */
#ifndef Q2O_STORE_FIXTURE_H
#define Q2O_STORE_FIXTURE_H

#include "store/event_store.h"

extern char g_dir[256];
extern q2o_store *g_store;

void store_fixture_setup(void);    /* default options in a new temp dir */
void store_fixture_teardown(void); /* close and remove the directory */

#endif
