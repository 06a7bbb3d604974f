#include "net/pool.h"

#include <pthread.h>
#include <stdatomic.h>

#include "core/mem.h"

#define TD_POOL_MAX_THREADS 256

struct pool_run {
    const struct td_job *jobs;
    size_t n;
    atomic_size_t next;
};

static void *pool_worker(void *arg)
{
    struct pool_run *r = arg;
    for (;;) {
        size_t i = atomic_fetch_add(&r->next, 1);
        if (i >= r->n)
            break;
        r->jobs[i].fn(r->jobs[i].arg);
    }
    return NULL;
}

void td_pool_run(const struct td_job *jobs, size_t n, int threads)
{
    struct pool_run r;
    pthread_t *tids;
    size_t want, started = 0;

    r.jobs = jobs;
    r.n = n;
    atomic_init(&r.next, 0);
    if (n == 0)
        return;
    want = threads < 1 ? 1 : (size_t)threads;
    if (want > TD_POOL_MAX_THREADS)
        want = TD_POOL_MAX_THREADS;
    if (want > n)
        want = n;
    if (want == 1) {
        pool_worker(&r);
        return;
    }
    tids = td_calloc(want - 1, sizeof(*tids));
    if (tids != NULL) {
        for (size_t i = 0; i + 1 < want; i++) {
            if (pthread_create(&tids[i], NULL, pool_worker, &r) != 0)
                break;
            started++;
        }
    }
    /* The caller works too; this also covers a failed pthread_create. */
    pool_worker(&r);
    for (size_t i = 0; i < started; i++)
        pthread_join(tids[i], NULL);
    td_free(tids);
}
