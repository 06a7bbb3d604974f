#include "net/gate.h"

#include <string.h>

#include "net/conn.h"

/* Consecutive resets tolerated before backing off: one refusal can be a
 * full accept queue, a run of them is a rate limiter. */
#define TD_GATE_RESETS_BEFORE_BACKOFF 2

void td_gate_init(struct td_gate *g, int max_active, int delay_ms, struct td_gate *parent)
{
    memset(g, 0, sizeof(*g));
    pthread_mutex_init(&g->mu, NULL);
    pthread_cond_init(&g->cv, NULL);
    g->max_active = max_active < 1 ? 1 : max_active;
    g->delay_ms = delay_ms < 0 ? 0 : delay_ms;
    g->parent = parent;
    atomic_init(&g->opened, 0);
    atomic_init(&g->reset_seen, 0);
}

void td_gate_free(struct td_gate *g)
{
    if (g == NULL)
        return;
    pthread_cond_destroy(&g->cv);
    pthread_mutex_destroy(&g->mu);
}

static void gate_take(struct td_gate *g)
{
    pthread_mutex_lock(&g->mu);
    for (;;) {
        int64_t now = td_net_now_ms();
        if (g->active < g->max_active && now >= g->next_start)
            break;
        if (g->active >= g->max_active) {
            pthread_cond_wait(&g->cv, &g->mu);
        } else {
            /* Wait out the delay without holding the lock. */
            int64_t wait = g->next_start - now;
            pthread_mutex_unlock(&g->mu);
            td_net_sleep_ms(wait);
            pthread_mutex_lock(&g->mu);
        }
    }
    g->active++;
    if (g->active > g->peak_active)
        g->peak_active = g->active;
    g->next_start = td_net_now_ms() + g->delay_ms + g->backoff_ms;
    atomic_fetch_add(&g->opened, 1);
    pthread_mutex_unlock(&g->mu);
}

void td_gate_acquire(struct td_gate *g)
{
    if (g == NULL)
        return;
    /* Child first, then parent: a thread never holds a parent slot while
     * waiting for a child slot, so slots of the overall bound are not idle. */
    gate_take(g);
    if (g->parent != NULL)
        gate_take(g->parent);
}

static void gate_give(struct td_gate *g, bool reset)
{
    pthread_mutex_lock(&g->mu);
    if (g->active > 0)
        g->active--;
    if (reset) {
        atomic_fetch_add(&g->reset_seen, 1);
        g->resets++;
        if (g->resets > TD_GATE_RESETS_BEFORE_BACKOFF) {
            g->backoff_ms = g->backoff_ms == 0 ? TD_GATE_BACKOFF_MIN_MS : g->backoff_ms * 2;
            if (g->backoff_ms > TD_GATE_BACKOFF_MAX_MS)
                g->backoff_ms = TD_GATE_BACKOFF_MAX_MS;
            int64_t earliest = td_net_now_ms() + g->backoff_ms;
            if (g->next_start < earliest)
                g->next_start = earliest;
        }
    } else {
        g->resets = 0;
        g->backoff_ms = 0;
    }
    pthread_cond_broadcast(&g->cv);
    pthread_mutex_unlock(&g->mu);
}

void td_gate_release(struct td_gate *g, bool reset)
{
    if (g == NULL)
        return;
    if (g->parent != NULL)
        gate_give(g->parent, false);
    gate_give(g, reset);
}

unsigned long td_gate_opened(const struct td_gate *g)
{
    return atomic_load(&((struct td_gate *)g)->opened);
}
