/*
 * cli.h - what the subcommands share: messages, diagnostics and exit
 * codes, the progress line, and the options of the commands that run the
 * pipeline (reconcile, explain).  Each subcommand has its own file and its
 * own option table (docs/architecture.md, "The command line").
 */
#ifndef SIRECON_CLI_H
#define SIRECON_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include "sirecon/common.h"
#include "sirecon/profile.h"
#include "sirecon/report.h"
#include "sirecon/run.h"

extern int cli_verbosity; /* 0 quiet, 1 normal, 2 verbose */
extern int cli_progress;  /* -1: when stderr is a terminal */

void cli_msg(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Print a diagnostic as "sirecon: FILE:LINE: message"; its exit code. */
int cli_report(sirecon_status st, const struct diag *d);
/* The usage error: message, the hint, 64. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The progress line on a terminal (both loader threads report into it). */
void cli_show_progress(const char *stage, const char *what);
void cli_file_progress(void *ctx, const char *path);
void cli_rows_progress(void *ctx, uint64_t rows);
void cli_end_progress(void);

/* The built-in profile overridden by path (NULL: none): 0, or the exit
 * code after the message (pf is then already freed). */
int cli_profile(struct profile *pf, const char *path);
/* "vi" / "en" -> LANG_*; -1 after a message when neither. */
int cli_lang(const char *s);
void cli_free_list(char **v, size_t n);

/* Options of the commands that run the pipeline. */
struct cli_inputs {
    char **tax; size_t ntax, captax;
    char **si; size_t nsi, capsi;
    char **emp; size_t nemp, capemp;
    char **ids; size_t nids, capids;
    const char *profile, *previous, *encoding;
    struct period period;       /* --period, parsed where it is given */
    bool has_period;
    bool short_contracts, branch_level;
    int min_missing;
    double max_reject;
    int lang;                   /* -1: from the environment */
    char default_employer[32];  /* --default-employer, normalized; "" none */
};

enum {
    CLI_OPT_IDENTITIES = 256, CLI_OPT_PROFILE, CLI_OPT_LANG, CLI_OPT_MIN_MISSING,
    CLI_OPT_SHORT, CLI_OPT_BRANCH, CLI_OPT_PREVIOUS, CLI_OPT_MAX_REJECT,
    CLI_OPT_ENCODING, CLI_OPT_PROGRESS, CLI_OPT_NO_PROGRESS, CLI_OPT_HELP,
    CLI_OPT_VERSION, CLI_OPT_DEFAULT_EMPLOYER,
    CLI_OPT_COMMAND = 300       /* a command's own options start here */
};

/* The long options every pipeline command takes (getopt "t:s:e:p:qv"). */
#define CLI_INPUT_OPTIONS \
    {"tax", required_argument, NULL, 't'}, \
    {"si", required_argument, NULL, 's'}, \
    {"employers", required_argument, NULL, 'e'}, \
    {"identities", required_argument, NULL, CLI_OPT_IDENTITIES}, \
    {"period", required_argument, NULL, 'p'}, \
    {"profile", required_argument, NULL, CLI_OPT_PROFILE}, \
    {"lang", required_argument, NULL, CLI_OPT_LANG}, \
    {"min-missing", required_argument, NULL, CLI_OPT_MIN_MISSING}, \
    {"include-short-contracts", no_argument, NULL, CLI_OPT_SHORT}, \
    {"branch-level", no_argument, NULL, CLI_OPT_BRANCH}, \
    {"previous", required_argument, NULL, CLI_OPT_PREVIOUS}, \
    {"max-reject-rate", required_argument, NULL, CLI_OPT_MAX_REJECT}, \
    {"default-employer", required_argument, NULL, CLI_OPT_DEFAULT_EMPLOYER}, \
    {"encoding", required_argument, NULL, CLI_OPT_ENCODING}, \
    {"progress", no_argument, NULL, CLI_OPT_PROGRESS}, \
    {"no-progress", no_argument, NULL, CLI_OPT_NO_PROGRESS}, \
    {"quiet", no_argument, NULL, 'q'}, \
    {"verbose", no_argument, NULL, 'v'}, \
    {"help", no_argument, NULL, CLI_OPT_HELP}
#define CLI_INPUT_SHORT "t:s:e:p:qv"

void cli_inputs_init(struct cli_inputs *in);
void cli_inputs_free(struct cli_inputs *in);
/* One option of the table above: 0 taken, 1 not one of them, else the
 * exit code after a message. */
int cli_inputs_option(struct cli_inputs *in, int c, const char *arg);
/* After the last option: at least one tax and one SI input, stdin used
 * once at most.  0 or 64 after a message. */
int cli_inputs_check(const struct cli_inputs *in, const char *cmd);
/* --default-employer CODE into out (32 bytes): 0, or 64 after a message. */
int cli_default_employer(const char *arg, char *out);
/* The run options the inputs say (progress callbacks included). */
void cli_inputs_run_opts(const struct cli_inputs *in, struct run_opts *ro);

/* The subcommands: argv[0] is the command's name. */
int cmd_reconcile(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_profile(int argc, char **argv);
int cmd_explain(int argc, char **argv);

#endif
