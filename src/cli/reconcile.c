/*
 * reconcile.c - `sirecon reconcile`: its options, then the run API stage by
 * stage (run_load, run_decide, report_write: run.h, report.h), the
 * statuses mapped to messages and exit codes.  What the report folder
 * holds, its name and the exit status of a run are report.c's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

static void
usage(FILE *f)
{
    fputs(
"usage: sirecon reconcile -t TAX... -s SI... [options]\n"
"\n"
"  -t, --tax PATH            PIT settlement list(s): file, directory or - (repeatable)\n"
"  -s, --si PATH             SI participation list(s) (repeatable)\n"
"  -e, --employers PATH      employer registry (unit code, name, area, wage region)\n"
"      --identities PATH     crosswalk of a person's IDs (CCCD, tax code, CMND, SI no.)\n"
"  -p, --period P            2025, 2025-07 or 2025-01..2025-06 (default: the tax year)\n"
"  -o, --out DIR             output folder (default sirecon-report-PERIOD)\n"
"      --force               replace an existing report folder (never other files)\n"
"      --profile FILE        INI profile overriding rates, thresholds, aliases\n"
"      --lang vi|en          workbook language (default from LC_ALL/LC_MESSAGES/LANG)\n"
"      --min-missing N       list employers with at least N not enrolled (default 1)\n"
"      --include-short-contracts  count unmatched 05-2 rows as not enrolled\n"
"      --branch-level        reconcile 13-digit branches separately\n"
"      --previous PATH       previous output folder or employers.csv (trend)\n"
"      --formats LIST        xlsx, csv or xlsx,csv (default); run.json always\n"
"      --mask-ids            mask personal IDs in every output (last 4 kept)\n"
"      --notices             also write notices/: one print-ready notice per listed\n"
"                            employer (its own staff to enrol) and notices.csv\n"
"      --max-reject-rate R   fail when a file rejects more than R of its rows (0.05)\n"
"      --default-employer CODE  employer tax code of input files that name none\n"
"                            (no column, title block, other sheet or file name)\n"
"      --encoding NAME       input encoding when it cannot be detected\n"
"      --progress, --no-progress  progress on stderr (default: on a terminal)\n"
"  -q, --quiet / -v, --verbose\n",
        f);
}

enum { OPT_FORCE = CLI_OPT_COMMAND, OPT_FORMATS, OPT_MASK, OPT_NOTICES };

static const struct option long_opts[] = {
    CLI_INPUT_OPTIONS,
    {"out", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"formats", required_argument, NULL, OPT_FORMATS},
    {"mask-ids", no_argument, NULL, OPT_MASK},
    {"notices", no_argument, NULL, OPT_NOTICES},
    {NULL, 0, NULL, 0},
};

struct ropts {
    struct cli_inputs in;
    const char *out, *formats;
    bool force, mask, want_xlsx, want_csv, notices;
};

/* 0, -1 after --help, or an exit code. */
static int
parse(int argc, char **argv, struct ropts *o)
{
    int c, rc;

    cli_inputs_init(&o->in);
    o->want_xlsx = o->want_csv = true;
    o->formats = "xlsx,csv";
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_INPUT_SHORT "o:", long_opts, NULL)) != -1) {
        if ((rc = cli_inputs_option(&o->in, c, optarg)) != 1) {
            if (rc != 0)
                return rc;
            continue;
        }
        switch (c) {
        case 'o': o->out = optarg; break;
        case OPT_FORCE: o->force = true; break;
        case OPT_FORMATS:
            o->formats = optarg;
            o->want_xlsx = o->want_csv = false;
            for (const char *p = optarg; *p;) {
                size_t n = strcspn(p, ",");
                if (n == 4 && strncmp(p, "xlsx", 4) == 0) o->want_xlsx = true;
                else if (n == 3 && strncmp(p, "csv", 3) == 0) o->want_csv = true;
                else {
                    cli_msg("--formats takes xlsx, csv or xlsx,csv, not '%s'", optarg);
                    return 64;
                }
                p += n + (p[n] == ',');
            }
            break;
        case OPT_MASK: o->mask = true; break;
        case OPT_NOTICES: o->notices = true; break;
        case CLI_OPT_HELP: usage(stdout); return -1;
        default:
            fputs("Try 'sirecon reconcile --help'.\n", stderr);
            return 64;
        }
    }
    if (optind < argc)
        return cli_usage_error("reconcile", "unexpected argument '%s'", argv[optind]);
    return cli_inputs_check(&o->in, "reconcile");
}

/* What the run read that the inspector should know before the results:
 * empty files, unread ID-like columns, the first rejected rows. */
static void
print_load_notes(const struct dataset *ds)
{
    for (size_t i = 0; i < ds->nfiles && cli_verbosity > 0; i++) {
        const struct input_file *f = &ds->files[i];
        if (f->empty)
            cli_msg("%s: empty file, nothing read from it", f->path);
        if (f->nunread > 0)
            cli_msg("%s: warning: column %d \"%s\"%s looks like personal identifiers but "
                    "feeds no field; records it could have matched go to REVIEW "
                    "(UNREAD_ID_COLUMN)", f->path, f->unread_col[0] + 1, f->unread_label[0],
                    f->nunread > 1 ? " (and others)" : "");
    }
    for (size_t i = 0; i < ds->nrejects && cli_verbosity > 0; i++) {
        const struct reject *r = &ds->rejects[i];
        if (i == 20 && cli_verbosity < 2) {
            cli_msg("... %zu more rejected rows in rejects.csv", ds->nrejects - 20);
            break;
        }
        cli_msg("%s:%u: %s%s%s: %s", ds->files[r->file].path, r->line, r->reason,
                r->column[0] ? " in " : "", r->column, r->detail);
    }
}

int
cmd_reconcile(int argc, char **argv)
{
    struct ropts o;
    struct profile pf;
    struct run r;
    struct run_opts ro;
    struct report_opts rep;
    struct report_result res;
    struct diag d = {0};
    sirecon_status st;
    int rc;

    memset(&o, 0, sizeof o);
    memset(&rep, 0, sizeof rep);
    rep.started = time(NULL);
    if ((rc = parse(argc, argv, &o)) != 0) {
        cli_inputs_free(&o.in);
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_profile(&pf, o.in.profile)) != 0) {
        cli_inputs_free(&o.in);
        return rc;
    }
    rep.out = o.out;
    rep.force = o.force;
    rep.csv = o.want_csv;
    rep.xlsx = o.want_xlsx;
    rep.notices = o.notices;
    rep.formats = o.formats;
    rep.encoding = o.in.encoding;
    rep.lang = o.in.lang;
    rep.mask_ids = o.mask;
    rep.argv = (const char *const *)argv;
    rep.argc = argc;
    run_init(&r, &pf);
    cli_inputs_run_opts(&o.in, &ro);
    st = report_check_folder(&rep, &ro, &d);
    if (st == SIRECON_OK)
        st = run_load(&r, &ro, &d);
    cli_end_progress();
    if (st == SIRECON_OK) {
        print_load_notes(&r.ds);
        cli_show_progress("matching", "");
        st = run_decide(&r, &ro, NULL, &d);
    }
    if (st == SIRECON_OK) {
        cli_show_progress("writing", "report");
        st = report_write(&r, &ro, &rep, &res, &d);
        cli_end_progress();
    }
    if (st != SIRECON_OK) {
        rc = cli_report(st, &d);
    } else {
        rc = res.exit_status;
        if (cli_verbosity > 0)
            cli_msg("%zu tax records (%llu duplicates merged), %zu employers listed "
                    "(%llu not enrolled, %llu review); report in %s",
                    r.ds.ntax, (unsigned long long)r.res.duplicates, r.res.nlisted,
                    (unsigned long long)r.res.by_status[ST_NOT_ENROLLED],
                    (unsigned long long)r.res.by_status[ST_REVIEW], res.folder);
    }
    run_free(&r);
    profile_free(&pf);
    cli_inputs_free(&o.in);
    return rc;
}
