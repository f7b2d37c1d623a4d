/*
 * profile.c - `sirecon profile [--profile FILE]`: print the effective
 * profile (built-in values overridden by FILE) as INI.
 */
#include <stdio.h>
#include "cli.h"

static const struct option long_opts[] = {
    {"profile", required_argument, NULL, CLI_OPT_PROFILE},
    {"help", no_argument, NULL, CLI_OPT_HELP},
    {NULL, 0, NULL, 0},
};

int
cmd_profile(int argc, char **argv)
{
    struct profile pf;
    const char *path = NULL;
    int c, rc;

    optind = 1;
    while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
        switch (c) {
        case CLI_OPT_PROFILE: path = optarg; break;
        case CLI_OPT_HELP:
            fputs("usage: sirecon profile [--profile FILE]\n\n"
                  "Print the effective profile (rates, thresholds, column labels) as INI.\n",
                  stdout);
            return 0;
        default:
            fputs("Try 'sirecon profile --help'.\n", stderr);
            return 64;
        }
    }
    if (optind < argc)
        return cli_usage_error("profile", "unexpected argument '%s'", argv[optind]);
    if ((rc = cli_profile(&pf, path)) != 0)
        return rc;
    profile_write(&pf, stdout);
    profile_free(&pf);
    return 0;
}
