/*
 * main.c - the front of the command line: picks the subcommand.  Each
 * subcommand parses its own options (cli/<command>.c) and drives the
 * stages through the run API (run.h); nothing decides here.
 */
#include <stdio.h>
#include <string.h>
#include "cli.h"

static void
usage(FILE *f)
{
    fputs(
"usage: sirecon reconcile -t TAX... -s SI... [options]\n"
"       sirecon explain -t TAX... -s SI... [options]\n"
"                       (--person ID | --row FILE:LINE | --employer CODE)...\n"
"       sirecon check [--as tax|si|employers|identities] [--encoding NAME] FILE...\n"
"       sirecon profile [--profile FILE]\n"
"       sirecon COMMAND --help | sirecon --help | --version\n"
"\n"
"Find employers that declared personal income tax for employees they did not\n"
"enrol in compulsory social insurance.\n"
"\n"
"  reconcile  match the lists and write the report folder (workbook, CSV, run.json)\n"
"  explain    why a person, a row or an employer got its decision\n"
"  check      how each input file would be read, without running anything\n"
"  profile    print the effective profile (rates, thresholds, labels)\n"
"\n"
"Inputs: CSV/TSV (also .gz), Excel .xlsx and .xls, HTKK XML of 05/QTT-TNCN;\n"
"columns found by their labels, read by meaning, or by their content\n"
"(see sirecon check FILE).\n"
"\n"
"exit status: 0 no employer listed (explain, check: found, usable),\n"
"1 employers listed, 64 usage, 65 data error (explain: not found),\n"
"66 cannot open input, 73 cannot create output, 74 I/O error, 70 internal error,\n"
"71 out of memory.\n",
        f);
}

int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {
        {"reconcile", cmd_reconcile},
        {"explain", cmd_explain},
        {"check", cmd_check},
        {"profile", cmd_profile},
    };

    if (argc < 2) {
        usage(stderr);
        return 64;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("sirecon %s\n", SIRECON_VERSION);
        return 0;
    }
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(argv[1], cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    cli_msg("unknown command '%s'", argv[1]);
    fputs("Try 'sirecon --help'.\n", stderr);
    return 64;
}
