/* A gate in front of one target: at most `max_active` connections open at
 * once, at least `delay_ms` between the starts of two connections, and an
 * exponential backoff after consecutive resets or refusals (a server that
 * rate-limits answers with RSTs; hammering it only makes the scan wrong).
 * Every connection opened through the gate is counted; gates can share a
 * parent (the overall bound across targets) whose count is the total.
 *
 * Thread-safe; waiting threads sleep on a condition variable. */
#ifndef TD_NET_GATE_H
#define TD_NET_GATE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#define TD_GATE_BACKOFF_MIN_MS 20
#define TD_GATE_BACKOFF_MAX_MS 2000

struct td_gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int max_active;
    int active;
    int delay_ms;
    int64_t next_start; /* monotonic ms: no connection starts before this */
    int resets;         /* consecutive connections that ended in RST/refusal */
    int backoff_ms;     /* current backoff, 0 when none */
    struct td_gate *parent;
    atomic_ulong opened;     /* connections started through this gate */
    atomic_ulong reset_seen; /* of which ended in a reset or refusal */
    int peak_active;
};

/* max_active >= 1; delay_ms >= 0; parent may be NULL. */
void td_gate_init(struct td_gate *g, int max_active, int delay_ms, struct td_gate *parent);
void td_gate_free(struct td_gate *g);

/* Blocks until a slot is free (here and in the parent), the delay and any
 * backoff have passed; counts the connection. */
void td_gate_acquire(struct td_gate *g);
/* Gives the slot back; reset=true when the connection was refused or reset,
 * which grows the backoff; a clean answer shrinks it back to none. */
void td_gate_release(struct td_gate *g, bool reset);

unsigned long td_gate_opened(const struct td_gate *g);

#endif
