#include <stdio.h>

#include "cli/cmds.h"
#include "cli/exitcodes.h"

int td_cmd_demo(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("tlsdiag demo: under construction\n");
    return TD_EXIT_OK;
}
