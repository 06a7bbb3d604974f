/* Exit codes of every verb (documented in `tlsdiag --help` and the README). */
#ifndef TD_CLI_EXITCODES_H
#define TD_CLI_EXITCODES_H

enum {
    TD_EXIT_OK = 0,       /* success: decoded, passed, clean */
    TD_EXIT_FINDINGS = 1, /* the tool worked and found a problem (check failed, lint errors) */
    TD_EXIT_USAGE = 2,    /* usage or input error: wrong flags, malformed input, unreadable file */
    TD_EXIT_RUNTIME = 3,  /* could not do the work: system or library failure */
};

#endif
