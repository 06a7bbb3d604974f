#ifndef TD_CLI_CMDS_H
#define TD_CLI_CMDS_H

/* Each verb: argv[0] is the verb name; returns a TD_EXIT_* code. */
#define X(name, fn, summary) int fn(int argc, char **argv);
#include "cli/verbs.def"
#undef X

#endif
