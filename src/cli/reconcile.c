/*
 * reconcile.c - `sirecon reconcile`: run the pipeline (run.h) and write the
 * report folder: employers.csv, employees.csv, rejects.csv, report.xlsx,
 * notices/ and run.json, all or nothing (outdir.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"
#include "sirecon/i18n.h"
#include "sirecon/manifest.h"
#include "sirecon/outdir.h"

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

/* An output folder that is or holds an input would destroy it. */
static sirecon_status
out_holds_input(const struct ropts *o, struct diag *d)
{
    char **lists[4] = {o->in.tax, o->in.si, o->in.emp, o->in.ids};
    size_t ns[4] = {o->in.ntax, o->in.nsi, o->in.nemp, o->in.nids};

    if (!o->out)
        return SIRECON_OK;
    for (int l = 0; l < 4; l++)
        for (size_t i = 0; i < ns[l]; i++)
            if (strcmp(lists[l][i], "-") != 0 && outdir_contains_path(o->out, lists[l][i]))
                return diag_set(d, SIRECON_ERR_CANTCREAT, o->out, 0,
                                "output folder is or contains the input %s; choose another -o",
                                lists[l][i]);
    return SIRECON_OK;
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

/* sirecon-report-2025, -2025-07 or -2025-01..2025-06 */
static void
default_out(const struct period *p, char *buf, size_t n)
{
    if (p->first % 12 == 0 && p->last == p->first + 11)
        snprintf(buf, n, "sirecon-report-%d", p->first / 12);
    else if (p->first == p->last)
        snprintf(buf, n, "sirecon-report-%04d-%02d", p->first / 12, p->first % 12 + 1);
    else
        snprintf(buf, n, "sirecon-report-%04d-%02d..%04d-%02d", p->first / 12,
                 p->first % 12 + 1, p->last / 12, p->last % 12 + 1);
}

/* Write every output of a decided run into a fresh folder, all or nothing.
 * Returns the exit code. */
static int
write_outputs(struct run *r, const struct ropts *o, int argc, char **argv, time_t started)
{
    struct outdir od;
    struct run_info ri;
    struct diag d = {0};
    struct stage_time stages[3];
    const char *outputs_fixed[5], **outputs = outputs_fixed;
    char **notice_names = NULL;
    size_t nnotice = 0, nout = 0;
    char outbuf[64];
    const char *out = o->out;
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    sirecon_status st;
    int rc;
    double t0 = monotonic_seconds();

    memset(&od, 0, sizeof od);
    cli_show_progress("writing", "report");
    memset(&ri, 0, sizeof ri);
    ri.ds = &r->ds;
    ri.res = &r->res;
    ri.pf = r->pf;
    ri.mo = &r->mo;
    ri.lang = o->in.lang >= 0 ? (lang)o->in.lang : i18n_from_env();
    ri.mask_ids = o->mask;
    ri.min_missing = o->in.min_missing;
    ri.max_reject_rate = o->in.max_reject;
    ri.argv = (const char *const *)argv;
    ri.argc = argc;
    ri.resolved = r->resolved;
    ri.nresolved = r->nresolved;
    ri.started = started;
    profile_hash(r->pf, ri.profile_hash);
    if (!out) {
        default_out(&r->mo.period, outbuf, sizeof outbuf);
        out = outbuf;
    }
    rc = r->res.nlisted > 0 ? 1 : 0;
    st = outdir_begin(&od, out, o->force, &d);
    if (st == SIRECON_OK && o->want_csv) {
        st = report_csv_write(&ri, outdir_tmp(&od), &d);
        outputs[nout++] = "employers.csv";
        outputs[nout++] = "employees.csv";
        outputs[nout++] = "rejects.csv";
    }
    if (st == SIRECON_OK && o->want_xlsx) {
        st = report_xlsx_write(&ri, outdir_tmp(&od), &d);
        outputs[nout++] = "report.xlsx";
    }
    if (st == SIRECON_OK && o->notices) {
        /* notices speak Vietnamese unless --lang says otherwise: they go to
         * employers, whatever the inspector's terminal is set to */
        struct run_info nri = ri;
        nri.lang = o->in.lang >= 0 ? (lang)o->in.lang : LANG_VI;
        st = report_notices_write(&nri, outdir_tmp(&od), &notice_names, &nnotice, &d);
        outputs = xmalloc((nout + nnotice) * sizeof *outputs);
        memcpy(outputs, outputs_fixed, nout * sizeof *outputs);
        for (size_t i = 0; i < nnotice; i++)
            outputs[nout++] = notice_names[i];
    }
    stages[0].name = "load";
    stages[0].seconds = r->load_seconds;
    stages[1].name = "match";
    stages[1].seconds = r->match_seconds;
    stages[2].name = "report";
    stages[2].seconds = monotonic_seconds() - t0;
    if (st == SIRECON_OK) {
        struct manifest_info mi;
        memset(&mi, 0, sizeof mi);
        mi.ri = &ri;
        mi.dir = outdir_tmp(&od);
        mi.outputs = outputs;
        mi.noutputs = nout;
        mi.stages = stages;
        mi.nstages = 3;
        mi.ended = sde && *sde ? ri.started : time(NULL);
        mi.exit_status = rc;
        mi.formats = o->formats;
        mi.encoding = o->in.encoding;
        mi.previous = o->in.previous;
        st = manifest_write(&mi, &d);
    }
    if (st == SIRECON_OK)
        st = outdir_commit(&od, &d);
    cli_end_progress();
    if (st != SIRECON_OK) {
        if (od.tmp)
            outdir_abort(&od);
        rc = cli_report(st, &d);
    } else if (cli_verbosity > 0) {
        cli_msg("%zu tax records (%llu duplicates merged), %zu employers listed "
                "(%llu not enrolled, %llu review); report in %s",
                r->ds.ntax, (unsigned long long)r->res.duplicates, r->res.nlisted,
                (unsigned long long)r->res.by_status[ST_NOT_ENROLLED],
                (unsigned long long)r->res.by_status[ST_REVIEW], out);
    }
    for (size_t i = 0; i < nnotice; i++)
        free(notice_names[i]);
    free(notice_names);
    if (outputs != outputs_fixed)
        free(outputs);
    return rc;
}

int
cmd_reconcile(int argc, char **argv)
{
    struct ropts o;
    struct profile pf;
    struct run r;
    struct run_opts ro;
    struct diag d = {0};
    sirecon_status st;
    int rc;
    time_t started = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");

    memset(&o, 0, sizeof o);
    if ((rc = parse(argc, argv, &o)) != 0) {
        cli_inputs_free(&o.in);
        return rc < 0 ? 0 : rc;
    }
    if (o.in.period) {
        struct period p;
        if ((st = match_parse_period(o.in.period, &p, &d)) != SIRECON_OK) {
            cli_inputs_free(&o.in);
            return cli_report(st, &d);
        }
    }
    if ((rc = cli_profile(&pf, o.in.profile)) != 0) {
        cli_inputs_free(&o.in);
        return rc;
    }
    if (sde && *sde)
        started = (time_t)strtoll(sde, NULL, 10);
    run_init(&r, &pf);
    cli_inputs_run_opts(&o.in, &ro);
    st = out_holds_input(&o, &d);
    if (st == SIRECON_OK)
        st = run_load(&r, &ro, &d);
    cli_end_progress();
    if (st == SIRECON_OK) {
        print_load_notes(&r.ds);
        cli_show_progress("matching", "");
        st = run_decide(&r, &ro, NULL, &d);
    }
    rc = st == SIRECON_OK ? write_outputs(&r, &o, argc, argv, started) : cli_report(st, &d);
    run_free(&r);
    profile_free(&pf);
    cli_inputs_free(&o.in);
    return rc;
}
