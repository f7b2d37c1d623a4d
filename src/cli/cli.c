/*
 * cli.c - messages, progress and the shared input options of the
 * subcommands (see cli.h).
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"
#include "sirecon/encoding.h"
#include "sirecon/ids.h"
#include "sirecon/source.h"

int cli_verbosity = 1;
int cli_progress = -1;

static void
vmsg(const char *fmt, va_list ap)
{
    fputs("sirecon: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

void
cli_msg(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
}

int
cli_report(sirecon_status st, const struct diag *d)
{
    if (d->file[0] && d->line > 0)
        cli_msg("%s:%ld: %s", d->file, d->line, d->msg);
    else if (d->file[0])
        cli_msg("%s: %s", d->file, d->msg);
    else
        cli_msg("%s", d->msg[0] ? d->msg : sirecon_strerror(st));
    return sirecon_exit_code(st);
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vmsg(fmt, ap);
    va_end(ap);
    fprintf(stderr, "Try 'sirecon %s --help'.\n", cmd);
    return 64;
}

/* The progress line (stage, rows, rows/s) on a terminal; both loader
 * threads report into it, so it is guarded. */
static struct {
    pthread_mutex_t lock;
    uint64_t rows;
    double start;
} prog = {PTHREAD_MUTEX_INITIALIZER, 0, 0};

void
cli_show_progress(const char *stage, const char *what)
{
    if (cli_progress != 1 || cli_verbosity == 0)
        return;
    pthread_mutex_lock(&prog.lock);
    if (prog.start == 0)
        prog.start = monotonic_seconds();
    double dt = monotonic_seconds() - prog.start;
    if (strcmp(stage, "reading") == 0)
        fprintf(stderr, "\r\033[Ksirecon: %s %s%s%llu rows, %.0f rows/s", stage, what,
                what[0] ? ": " : "", (unsigned long long)prog.rows,
                dt > 0 ? (double)prog.rows / dt : 0.0);
    else
        fprintf(stderr, "\r\033[Ksirecon: %s %s (%llu rows read)", stage, what,
                (unsigned long long)prog.rows);
    pthread_mutex_unlock(&prog.lock);
}

void
cli_file_progress(void *ctx, const char *path)
{
    (void)ctx;
    cli_show_progress("reading", path);
}

void
cli_rows_progress(void *ctx, uint64_t rows)
{
    (void)ctx;
    pthread_mutex_lock(&prog.lock);
    prog.rows += rows;
    pthread_mutex_unlock(&prog.lock);
    cli_show_progress("reading", "");
}

void
cli_end_progress(void)
{
    if (cli_progress == 1 && cli_verbosity > 0)
        fputs("\r\033[K", stderr);
}

int
cli_profile(struct profile *pf, const char *path)
{
    struct diag d = {0};
    sirecon_status st;

    profile_defaults(pf);
    if (path == NULL || (st = profile_load(pf, path, &d)) == SIRECON_OK)
        return 0;
    profile_free(pf);
    return cli_report(st, &d);
}

int
cli_lang(const char *s)
{
    if (strcmp(s, "vi") == 0)
        return LANG_VI;
    if (strcmp(s, "en") == 0)
        return LANG_EN;
    cli_msg("--lang must be vi or en, not '%s'", s);
    return -1;
}

void
cli_free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Locale-free: digits, one '.', digits. */
static bool
parse_double(const char *s, double *out)
{
    double v = 0, scale = 1;
    bool dot = false, any = false;

    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            any = true;
            if (dot) {
                scale /= 10;
                v += (*s - '0') * scale;
            } else {
                v = v * 10 + (*s - '0');
            }
        } else if (*s == '.' && !dot) {
            dot = true;
        } else {
            return false;
        }
    }
    *out = v;
    return any;
}

void
cli_inputs_init(struct cli_inputs *in)
{
    memset(in, 0, sizeof *in);
    in->lang = -1;
    in->min_missing = 1;
    in->max_reject = 0.05;
}

void
cli_inputs_free(struct cli_inputs *in)
{
    cli_free_list(in->tax, in->ntax);
    cli_free_list(in->si, in->nsi);
    cli_free_list(in->emp, in->nemp);
    cli_free_list(in->ids, in->nids);
    memset(in, 0, sizeof *in);
}

int
cli_inputs_option(struct cli_inputs *in, int c, const char *arg)
{
    struct diag d = {0};
    sirecon_status st = SIRECON_OK;

    switch (c) {
    case 't': st = source_expand(arg, &in->tax, &in->ntax, &in->captax, &d); break;
    case 's': st = source_expand(arg, &in->si, &in->nsi, &in->capsi, &d); break;
    case 'e': st = source_expand(arg, &in->emp, &in->nemp, &in->capemp, &d); break;
    case CLI_OPT_IDENTITIES:
        st = source_expand(arg, &in->ids, &in->nids, &in->capids, &d);
        break;
    case 'p':
        st = match_parse_period(arg, &in->period, &d);
        in->has_period = st == SIRECON_OK;
        break;
    case CLI_OPT_PROFILE: in->profile = arg; break;
    case CLI_OPT_LANG:
        if ((in->lang = cli_lang(arg)) < 0)
            return 64;
        break;
    case CLI_OPT_MIN_MISSING: {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*end || v < 1 || v > 1000000) {
            cli_msg("--min-missing must be a whole number >= 1, not '%s'", arg);
            return 64;
        }
        in->min_missing = (int)v;
        break;
    }
    case CLI_OPT_SHORT: in->short_contracts = true; break;
    case CLI_OPT_BRANCH: in->branch_level = true; break;
    case CLI_OPT_PREVIOUS: in->previous = arg; break;
    case CLI_OPT_MAX_REJECT:
        if (!parse_double(arg, &in->max_reject) || in->max_reject > 1) {
            cli_msg("--max-reject-rate must be a number from 0 to 1, not '%s'", arg);
            return 64;
        }
        break;
    case CLI_OPT_DEFAULT_EMPLOYER:
        return cli_default_employer(arg, in->default_employer);
    case CLI_OPT_ENCODING:
        if (encoding_from_name(arg) == ENC_UNKNOWN) {
            cli_msg("unknown --encoding '%s' (utf-8, utf-16le, utf-16be, windows-1258, "
                    "viscii, tcvn3, vni)", arg);
            return 64;
        }
        in->encoding = arg;
        break;
    case CLI_OPT_PROGRESS: cli_progress = 1; break;
    case CLI_OPT_NO_PROGRESS: cli_progress = 0; break;
    case 'q': cli_verbosity = 0; break;
    case 'v': cli_verbosity = 2; break;
    default: return 1;
    }
    if (st != SIRECON_OK)
        return cli_report(st, &d);
    return 0;
}

int
cli_inputs_check(const struct cli_inputs *in, const char *cmd)
{
    size_t stdin_uses = 0;
    char **lists[4] = {in->tax, in->si, in->emp, in->ids};
    size_t ns[4] = {in->ntax, in->nsi, in->nemp, in->nids};

    if (cli_progress == -1)
        cli_progress = isatty(STDERR_FILENO);
    for (int l = 0; l < 4; l++)
        for (size_t i = 0; i < ns[l]; i++)
            stdin_uses += strcmp(lists[l][i], "-") == 0;
    if (stdin_uses > 1) {
        cli_msg("standard input (-) can be given for one input only");
        return 64;
    }
    if (in->ntax == 0 || in->nsi == 0)
        return cli_usage_error(cmd, "%s needs at least one -t/--tax and one -s/--si input",
                               cmd);
    return 0;
}

int
cli_default_employer(const char *arg, char *out)
{
    char buf[IDS_MAX];
    unsigned fl = 0;

    if (!ids_employer(arg, strlen(arg), buf, &fl) || (fl & IDF_TAX_CHECK_DIGIT)) {
        cli_msg("--default-employer takes an employer tax code with a valid check digit "
                "(10 digits, or 13 for a branch), not '%s'", arg);
        return 64;
    }
    snprintf(out, 32, "%s", buf);
    return 0;
}

void
cli_inputs_run_opts(const struct cli_inputs *in, struct run_opts *ro)
{
    memset(ro, 0, sizeof *ro);
    ro->tax = in->tax;
    ro->ntax = in->ntax;
    ro->si = in->si;
    ro->nsi = in->nsi;
    ro->employers = in->emp;
    ro->nemployers = in->nemp;
    ro->identities = in->ids;
    ro->nidentities = in->nids;
    ro->period = in->has_period ? &in->period : NULL;
    ro->previous = in->previous;
    ro->encoding = in->encoding ? encoding_from_name(in->encoding) : ENC_UNKNOWN;
    ro->include_short_contracts = in->short_contracts;
    ro->branch_level = in->branch_level;
    ro->min_missing = in->min_missing;
    ro->max_reject_rate = in->max_reject;
    ro->default_employer = in->default_employer[0] ? in->default_employer : NULL;
    ro->on_file = cli_file_progress;
    ro->on_rows = cli_rows_progress;
}
