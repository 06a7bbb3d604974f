/* `tlsdiag demo`: the seed story on loopback. An embedded server configured
 * like the seed thread's Apache, the XBee check against it, the fix applied
 * to the running server, the next result (the certificate question), and
 * the same with the server's certificate as the device's CA file. */
#ifndef TD_DEMO_DEMO_H
#define TD_DEMO_DEMO_H

#include <stdio.h>

/* Runs the story, writing to out (progress to stderr unless quiet).
 * Returns a TD_EXIT_* code: 0 when every step came out as the story
 * expects, 1 when one did not (the output says which), 3 when the local
 * server could not be started. Cleans up (server thread, temp files). */
int td_demo_run(FILE *out, int quiet);

#endif
