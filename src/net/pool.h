/* A small worker pool: runs n independent jobs on up to `threads` threads
 * and returns when all are done. The scan submits its probes (one job per
 * version, per suite partition, per SNI mode...) in stages; the connection
 * bound is the gate's, the pool only supplies threads. */
#ifndef TD_NET_POOL_H
#define TD_NET_POOL_H

#include <stddef.h>

typedef void (*td_job_fn)(void *arg);

struct td_job {
    td_job_fn fn;
    void *arg;
};

/* Runs jobs[0..n) with at most `threads` threads (1 runs them inline, in
 * order). If a thread cannot be created, the remaining jobs run on the
 * threads that exist. */
void td_pool_run(const struct td_job *jobs, size_t n, int threads);

#endif
