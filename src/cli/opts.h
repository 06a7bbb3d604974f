/* Shared option-parsing helpers for the verbs. */
#ifndef TD_CLI_OPTS_H
#define TD_CLI_OPTS_H

/* For a verb whose getopt_long option string starts with ':' and which sets
 * opterr = 0: getopt_long returns '?' for an unknown option and ':' for a
 * missing value. This prints ONE line naming the option (not getopt's message
 * plus a usage text) and returns TD_EXIT_USAGE. verb is e.g. "scan" or
 * "xbee decode". */
int td_cli_bad_option(const char *verb, int c, int argc, char **argv);

#endif
