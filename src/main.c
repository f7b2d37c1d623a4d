/*
 * main.c - the command line: options, subcommands, messages and exit codes.
 * Everything else is in the stages (load -> match -> employers -> report);
 * this file only wires them together, prints what they report and turns
 * statuses into exit codes (SPEC §1).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "sirecon/common.h"
#include "sirecon/employers.h"
#include "sirecon/i18n.h"
#include "sirecon/load.h"
#include "sirecon/manifest.h"
#include "sirecon/match.h"
#include "sirecon/names.h"
#include "sirecon/outdir.h"
#include "sirecon/profile.h"
#include "sirecon/report.h"
#include "sirecon/source.h"
#include "sirecon/table.h"

static int verbosity = 1; /* 0 quiet, 1 normal, 2 verbose */
static int progress = -1; /* -1: when stderr is a terminal */

static void
msg(const char *fmt, ...)
{
    va_list ap;

    fputs("sirecon: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Print a diagnostic as "sirecon: FILE:LINE: message" and return its exit code. */
static int
report(sirecon_status st, const struct diag *d)
{
    if (d->file[0] && d->line > 0)
        msg("%s:%ld: %s", d->file, d->line, d->msg);
    else if (d->file[0])
        msg("%s: %s", d->file, d->msg);
    else
        msg("%s", d->msg[0] ? d->msg : sirecon_strerror(st));
    return sirecon_exit_code(st);
}

static double now(void);

/* The progress line (stage, rows, rows/s) on a terminal; both loader
 * threads report into it, so it is guarded. */
static struct {
    pthread_mutex_t lock;
    uint64_t rows;
    double start;
    const char *stage;
} prog = {PTHREAD_MUTEX_INITIALIZER, 0, 0, ""};

static void
show_progress(const char *stage, const char *what)
{
    if (progress != 1 || verbosity == 0)
        return;
    pthread_mutex_lock(&prog.lock);
    if (prog.start == 0)
        prog.start = now();
    prog.stage = stage;
    double dt = now() - prog.start;
    if (strcmp(stage, "reading") == 0)
        fprintf(stderr, "\r\033[Ksirecon: %s %s%s%llu rows, %.0f rows/s", stage, what,
                what[0] ? ": " : "", (unsigned long long)prog.rows,
                dt > 0 ? (double)prog.rows / dt : 0.0);
    else
        fprintf(stderr, "\r\033[Ksirecon: %s %s (%llu rows read)", stage, what,
                (unsigned long long)prog.rows);
    pthread_mutex_unlock(&prog.lock);
}

/* load_opts.progress: rows read so far, from either thread. */
static void
rows_progress(void *ctx, uint64_t rows)
{
    (void)ctx;
    pthread_mutex_lock(&prog.lock);
    prog.rows += rows;
    pthread_mutex_unlock(&prog.lock);
    show_progress("reading", "");
}

static void
end_progress(void)
{
    if (progress == 1 && verbosity > 0)
        fputs("\r\033[K", stderr);
}

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
usage(FILE *f)
{
    fputs(
"usage: sirecon reconcile -t TAX... -s SI... [options]\n"
"       sirecon check [--as tax|si|employers|identities] [--encoding NAME] FILE...\n"
"       sirecon profile [--profile FILE]\n"
"       sirecon --help | --version\n"
"\n"
"Find employers that declared personal income tax for employees they did not\n"
"enrol in compulsory social insurance.\n"
"\n"
"Inputs: CSV/TSV (also .gz), Excel .xlsx and .xls, HTKK XML of 05/QTT-TNCN;\n"
"columns found by their labels, read by meaning, or by their content\n"
"(see sirecon check FILE).\n"
"\n"
"reconcile options:\n"
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
"      --encoding NAME       input encoding when it cannot be detected\n"
"      --progress, --no-progress  progress on stderr (default: on a terminal)\n"
"  -q, --quiet / -v, --verbose\n"
"\n"
"exit status: 0 no employer listed, 1 employers listed, 64 usage, 65 data error,\n"
"66 cannot open input, 73 cannot create output, 74 I/O error, 70 internal error,\n"
"71 out of memory.\n",
        f);
}

enum {
    OPT_IDENTITIES = 256, OPT_FORCE, OPT_PROFILE, OPT_LANG, OPT_MIN_MISSING,
    OPT_SHORT, OPT_BRANCH, OPT_PREVIOUS, OPT_FORMATS, OPT_MASK, OPT_MAX_REJECT,
    OPT_ENCODING, OPT_PROGRESS, OPT_NO_PROGRESS, OPT_AS, OPT_HELP, OPT_VERSION,
    OPT_NOTICES
};

static const struct option long_opts[] = {
    {"tax", required_argument, NULL, 't'},
    {"si", required_argument, NULL, 's'},
    {"employers", required_argument, NULL, 'e'},
    {"identities", required_argument, NULL, OPT_IDENTITIES},
    {"period", required_argument, NULL, 'p'},
    {"out", required_argument, NULL, 'o'},
    {"force", no_argument, NULL, OPT_FORCE},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"lang", required_argument, NULL, OPT_LANG},
    {"min-missing", required_argument, NULL, OPT_MIN_MISSING},
    {"include-short-contracts", no_argument, NULL, OPT_SHORT},
    {"branch-level", no_argument, NULL, OPT_BRANCH},
    {"previous", required_argument, NULL, OPT_PREVIOUS},
    {"formats", required_argument, NULL, OPT_FORMATS},
    {"mask-ids", no_argument, NULL, OPT_MASK},
    {"notices", no_argument, NULL, OPT_NOTICES},
    {"max-reject-rate", required_argument, NULL, OPT_MAX_REJECT},
    {"encoding", required_argument, NULL, OPT_ENCODING},
    {"progress", no_argument, NULL, OPT_PROGRESS},
    {"no-progress", no_argument, NULL, OPT_NO_PROGRESS},
    {"as", required_argument, NULL, OPT_AS},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, OPT_HELP},
    {"version", no_argument, NULL, OPT_VERSION},
    {NULL, 0, NULL, 0},
};

struct opts {
    char **tax; size_t ntax, captax;
    char **si; size_t nsi, capsi;
    char **emp; size_t nemp, capemp;
    char **ids; size_t nids, capids;
    const char *period, *out, *profile, *previous, *encoding, *as;
    bool force, short_contracts, branch_level, mask, want_xlsx, want_csv, notices;
    int lang; /* -1 from env */
    int min_missing;
    double max_reject;
    const char *formats;
};

static void
free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static bool
parse_double(const char *s, double *out)
{
    /* locale-free: digits, one '.', digits */
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

/* Parse the command line of a subcommand; returns 0 or an exit code. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
    int c;
    struct diag d = {0};

    o->lang = -1;
    o->min_missing = 1;
    o->max_reject = 0.05;
    o->want_xlsx = o->want_csv = true;
    o->formats = "xlsx,csv";
    optind = 1;
    while ((c = getopt_long(argc, argv, "t:s:e:p:o:qv", long_opts, NULL)) != -1) {
        sirecon_status st = SIRECON_OK;
        switch (c) {
        case 't': st = source_expand(optarg, &o->tax, &o->ntax, &o->captax, &d); break;
        case 's': st = source_expand(optarg, &o->si, &o->nsi, &o->capsi, &d); break;
        case 'e': st = source_expand(optarg, &o->emp, &o->nemp, &o->capemp, &d); break;
        case OPT_IDENTITIES: st = source_expand(optarg, &o->ids, &o->nids, &o->capids, &d); break;
        case 'p': o->period = optarg; break;
        case 'o': o->out = optarg; break;
        case OPT_FORCE: o->force = true; break;
        case OPT_PROFILE: o->profile = optarg; break;
        case OPT_LANG:
            if (strcmp(optarg, "vi") == 0) o->lang = LANG_VI;
            else if (strcmp(optarg, "en") == 0) o->lang = LANG_EN;
            else { msg("--lang must be vi or en, not '%s'", optarg); return 64; }
            break;
        case OPT_MIN_MISSING: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (*end || v < 1 || v > 1000000) {
                msg("--min-missing must be a whole number >= 1, not '%s'", optarg);
                return 64;
            }
            o->min_missing = (int)v;
            break;
        }
        case OPT_SHORT: o->short_contracts = true; break;
        case OPT_BRANCH: o->branch_level = true; break;
        case OPT_PREVIOUS: o->previous = optarg; break;
        case OPT_FORMATS:
            o->formats = optarg;
            o->want_xlsx = o->want_csv = false;
            for (const char *p = optarg; *p;) {
                size_t n = strcspn(p, ",");
                if (n == 4 && strncmp(p, "xlsx", 4) == 0) o->want_xlsx = true;
                else if (n == 3 && strncmp(p, "csv", 3) == 0) o->want_csv = true;
                else { msg("--formats takes xlsx, csv or xlsx,csv, not '%s'", optarg); return 64; }
                p += n + (p[n] == ',');
            }
            break;
        case OPT_MASK: o->mask = true; break;
        case OPT_NOTICES: o->notices = true; break;
        case OPT_MAX_REJECT:
            if (!parse_double(optarg, &o->max_reject) || o->max_reject > 1) {
                msg("--max-reject-rate must be a number from 0 to 1, not '%s'", optarg);
                return 64;
            }
            break;
        case OPT_ENCODING:
            if (encoding_from_name(optarg) == ENC_UNKNOWN) {
                msg("unknown --encoding '%s' (utf-8, utf-16le, utf-16be, windows-1258, "
                    "viscii, tcvn3, vni)", optarg);
                return 64;
            }
            o->encoding = optarg;
            break;
        case OPT_PROGRESS: progress = 1; break;
        case OPT_NO_PROGRESS: progress = 0; break;
        case OPT_AS:
            if (fields_kind_from_name(optarg) == KIND_COUNT) {
                msg("--as takes tax, si, employers or identities, not '%s'", optarg);
                return 64;
            }
            o->as = optarg;
            break;
        case 'q': verbosity = 0; break;
        case 'v': verbosity = 2; break;
        case OPT_HELP: usage(stdout); return -1;
        case OPT_VERSION: printf("sirecon %s\n", SIRECON_VERSION); return -1;
        default:
            fputs("Try 'sirecon --help'.\n", stderr);
            return 64;
        }
        if (st != SIRECON_OK)
            return report(st, &d);
    }
    if (progress == -1)
        progress = isatty(STDERR_FILENO);
    return 0;
}

static void
free_opts(struct opts *o)
{
    free_list(o->tax, o->ntax);
    free_list(o->si, o->nsi);
    free_list(o->emp, o->nemp);
    free_list(o->ids, o->nids);
}

/* The built-in profile, overridden by --profile: 0, or the exit code after
 * the message (the profile is then already freed). */
static int
effective_profile(struct profile *pf, const char *path)
{
    struct diag d = {0};
    sirecon_status st;

    profile_defaults(pf);
    if (path == NULL || (st = profile_load(pf, path, &d)) == SIRECON_OK)
        return 0;
    profile_free(pf);
    return report(st, &d);
}

/* ---- reconcile ---- */

static sirecon_status
load_all(struct dataset *ds, char **paths, size_t n, file_kind kind,
         const struct load_opts *lo, struct diag *d)
{
    char what[600];

    for (size_t i = 0; i < n; i++) {
        snprintf(what, sizeof what, "%s", paths[i]);
        show_progress("reading", what);
        sirecon_status rc = load_file(ds, paths[i], kind, lo, d);
        if (rc != SIRECON_OK)
            return rc;
    }
    return SIRECON_OK;
}

/* Loading on both cores: every tax and SI file is a job with a dataset of
 * its own; two workers take jobs, biggest first, and the datasets are then
 * merged in command-line order, so the result does not depend on which
 * worker read which file when. */
struct load_job {
    const char *path;
    file_kind kind;
    off_t size;
    struct dataset ds;
    struct diag d;
    sirecon_status st;
};

struct load_queue {
    struct load_job *jobs;
    size_t *order;       /* job indices, biggest file first */
    size_t n, next;
    pthread_mutex_t lock;
    const struct load_opts *lo;
};

static void *
load_worker(void *arg)
{
    struct load_queue *q = arg;

    for (;;) {
        pthread_mutex_lock(&q->lock);
        size_t k = q->next < q->n ? q->order[q->next++] : SIZE_MAX;
        pthread_mutex_unlock(&q->lock);
        if (k == SIZE_MAX)
            return NULL;
        struct load_job *j = &q->jobs[k];
        show_progress("reading", j->path);
        j->st = load_file(&j->ds, j->path, j->kind, q->lo, &j->d);
    }
}

static const struct load_job *g_jobs; /* qsort context */

static int
cmp_job_size(const void *a, const void *b)
{
    const struct load_job *x = &g_jobs[*(const size_t *)a], *y = &g_jobs[*(const size_t *)b];

    if (x->size != y->size)
        return x->size > y->size ? -1 : 1;
    return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static sirecon_status
load_sides(struct dataset *ds, struct opts *o, const struct load_opts *lo,
           struct diag *d)
{
    struct load_queue q;
    sirecon_status st = SIRECON_OK;
    pthread_t th;
    bool threaded;
    struct stat sb;

    memset(&q, 0, sizeof q);
    q.n = o->ntax + o->nsi;
    q.jobs = xcalloc(q.n ? q.n : 1, sizeof *q.jobs);
    q.order = xmalloc((q.n ? q.n : 1) * sizeof *q.order);
    q.lo = lo;
    pthread_mutex_init(&q.lock, NULL);
    for (size_t i = 0; i < q.n; i++) {
        struct load_job *j = &q.jobs[i];
        j->path = i < o->ntax ? o->tax[i] : o->si[i - o->ntax];
        j->kind = i < o->ntax ? KIND_TAX : KIND_SI;
        j->size = stat(j->path, &sb) == 0 ? sb.st_size : 0;
        dataset_init(&j->ds);
        q.order[i] = i;
    }
    g_jobs = q.jobs;
    qsort(q.order, q.n, sizeof *q.order, cmp_job_size);
    threaded = q.n > 1 && pthread_create(&th, NULL, load_worker, &q) == 0;
    load_worker(&q);
    if (threaded)
        pthread_join(th, NULL);
    for (size_t i = 0; i < q.n; i++) {
        struct load_job *j = &q.jobs[i];
        if (st == SIRECON_OK && j->st != SIRECON_OK) {
            st = j->st; /* the first failure in command-line order */
            *d = j->d;
        }
        dataset_merge(ds, &j->ds);
    }
    pthread_mutex_destroy(&q.lock);
    free(q.jobs);
    free(q.order);
    return st;
}

/* SPEC §5.5: a broken invariant is a bug. */
static sirecon_status
check_invariants(const struct dataset *ds, const struct result *r, struct diag *d)
{
    uint64_t tax_loaded = 0, sum = r->duplicates;

    for (size_t i = 0; i < ds->nfiles; i++) {
        const struct input_file *f = &ds->files[i];
        if (f->read != f->loaded + f->skipped + f->rejected)
            return diag_set(d, SIRECON_ERR_INTERNAL, f->path, 0,
                            "invariant broken: rows read %llu != loaded %llu + skipped %llu + rejected %llu",
                            (unsigned long long)f->read, (unsigned long long)f->loaded,
                            (unsigned long long)f->skipped, (unsigned long long)f->rejected);
        if (f->kind == KIND_TAX)
            tax_loaded += f->loaded;
    }
    for (int s = 0; s < ST_COUNT; s++)
        sum += r->by_status[s];
    if (tax_loaded != sum || tax_loaded != ds->ntax)
        return diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0,
                        "invariant broken: %llu tax rows loaded but %llu decided",
                        (unsigned long long)tax_loaded, (unsigned long long)sum);
    for (size_t k = 0; k < r->nemps; k++) {
        const struct employer_sum *e = &r->emps[k];
        if (e->taxed != e->enrolled + e->not_enrolled + e->partial + e->covered_elsewhere + e->review ||
            e->taxed != e->nrecs)
            return diag_set(d, SIRECON_ERR_INTERNAL, NULL, 0,
                            "invariant broken: employer totals do not add up");
    }
    return SIRECON_OK;
}

static int
cmd_reconcile(int argc, char **argv)
{
    struct opts o;
    struct diag d;
    struct profile pf;
    struct dataset ds;
    struct result res;
    struct match_opts mo;
    struct load_opts lo;
    struct outdir od;
    struct run_info ri;
    struct previous_emp *prev = NULL;
    size_t nprev = 0;
    struct stage_time stages[3];
    char outbuf[64];
    const char *outputs_fixed[5], **outputs = outputs_fixed;
    char **notice_names = NULL;
    size_t nnotice = 0;
    size_t nout = 0;
    int rc;
    sirecon_status st;
    double t0;

    memset(&o, 0, sizeof o);
    memset(&d, 0, sizeof d);
    memset(&od, 0, sizeof od);
    if ((rc = parse_opts(argc, argv, &o)) != 0) {
        free_opts(&o);
        return rc < 0 ? 0 : rc;
    }
    if (optind < argc) {
        msg("unexpected argument '%s'", argv[optind]);
        free_opts(&o);
        return 64;
    }
    size_t stdin_uses = 0;
    char **inputs[4] = {o.tax, o.si, o.emp, o.ids};
    size_t ninputs[4] = {o.ntax, o.nsi, o.nemp, o.nids};
    for (int l = 0; l < 4; l++)
        for (size_t i = 0; i < ninputs[l]; i++)
            stdin_uses += strcmp(inputs[l][i], "-") == 0;
    if (stdin_uses > 1) {
        msg("standard input (-) can be given for one input only");
        free_opts(&o);
        return 64;
    }
    if (o.ntax == 0 || o.nsi == 0) {
        msg("reconcile needs at least one -t/--tax and one -s/--si input");
        fputs("Try 'sirecon --help'.\n", stderr);
        free_opts(&o);
        return 64;
    }
    memset(&mo, 0, sizeof mo);
    if (o.period && (st = match_parse_period(o.period, &mo.period, &d)) != SIRECON_OK) {
        free_opts(&o);
        return report(st, &d);
    }
    if ((rc = effective_profile(&pf, o.profile)) != 0) {
        free_opts(&o);
        return rc;
    }
    dataset_init(&ds);
    memset(&res, 0, sizeof res);
    memset(&ri, 0, sizeof ri);
    ri.started = time(NULL);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        ri.started = (time_t)strtoll(sde, NULL, 10);

    memset(&lo, 0, sizeof lo);
    lo.encoding = o.encoding ? encoding_from_name(o.encoding) : ENC_UNKNOWN;
    lo.aliases = pf.aliases;
    lo.naliases = pf.naliases;
    lo.default_year = o.period ? mo.period.first / 12 : 0;
    lo.first_year = o.period ? mo.period.first / 12 : 0;
    lo.last_year = o.period ? mo.period.last / 12 : 0;
    lo.progress = rows_progress;

    /* an output folder that is or holds an input would destroy it */
    t0 = now();
    st = SIRECON_OK;
    if (o.out) {
        char **lists[4] = {o.tax, o.si, o.emp, o.ids};
        size_t ns[4] = {o.ntax, o.nsi, o.nemp, o.nids};
        for (int l = 0; l < 4 && st == SIRECON_OK; l++)
            for (size_t i = 0; i < ns[l]; i++)
                if (strcmp(lists[l][i], "-") != 0 && outdir_contains_path(o.out, lists[l][i])) {
                    st = diag_set(&d, SIRECON_ERR_CANTCREAT, o.out, 0,
                                  "output folder is or contains the input %s; choose another -o",
                                  lists[l][i]);
                    break;
                }
    }
    if (st == SIRECON_OK) st = load_sides(&ds, &o, &lo, &d);
    if (st == SIRECON_OK) st = load_all(&ds, o.emp, o.nemp, KIND_EMPLOYERS, &lo, &d);
    if (st == SIRECON_OK) st = load_all(&ds, o.ids, o.nids, KIND_IDENTITIES, &lo, &d);
    if (st == SIRECON_OK && o.previous)
        st = load_previous(o.previous, &prev, &nprev, &d);
    end_progress();
    if (st == SIRECON_OK) {
        load_resolve_units(&ds);
        dataset_sort_rejects(&ds);
    }
    /* reject rate per file */
    for (size_t i = 0; st == SIRECON_OK && i < ds.nfiles; i++) {
        const struct input_file *f = &ds.files[i];
        if (f->read > 0 && (double)f->rejected > o.max_reject * (double)f->read)
            st = diag_set(&d, SIRECON_ERR_DATA, f->path, 0,
                          "%llu of %llu data rows rejected (over --max-reject-rate %.2f); "
                          "is this the right file? see the rows with 'sirecon check'",
                          (unsigned long long)f->rejected, (unsigned long long)f->read,
                          o.max_reject);
    }
    /* the period: given, or the one tax year of the data */
    if (st == SIRECON_OK && !o.period) {
        int y = 0;
        for (size_t i = 0; i < ds.ntax && st == SIRECON_OK; i++) {
            int ty = ds.tax[i].tax_year;
            if (ty == 0)
                continue;
            if (y == 0)
                y = ty;
            else if (ty != y)
                st = diag_set(&d, SIRECON_ERR_DATA, NULL, 0,
                              "the tax data holds several tax years (%d and %d); choose one with --period",
                              y < ty ? y : ty, y < ty ? ty : y);
        }
        if (st == SIRECON_OK && y == 0)
            st = diag_set(&d, SIRECON_ERR_DATA, NULL, 0,
                          "no tax year found in the tax data (no tax_year column or "
                          "\"Kỳ tính thuế\" title); give --period");
        if (st == SIRECON_OK) {
            mo.period.first = y * 12;
            mo.period.last = y * 12 + 11;
            for (size_t i = 0; i < ds.ntax; i++)
                if (ds.tax[i].tax_year == 0)
                    ds.tax[i].tax_year = y;
        }
    }
    stages[0].name = "load";
    stages[0].seconds = now() - t0;
    if (st != SIRECON_OK) {
        rc = report(st, &d);
        goto out;
    }
    for (size_t i = 0; i < ds.nfiles && verbosity > 0; i++) {
        const struct input_file *f = &ds.files[i];
        if (f->empty)
            msg("%s: empty file, nothing read from it", f->path);
        if (f->nunread > 0)
            msg("%s: warning: column %d \"%s\"%s looks like personal identifiers but "
                "feeds no field; records it could have matched go to REVIEW "
                "(UNREAD_ID_COLUMN)", f->path, f->unread_col[0] + 1, f->unread_label[0],
                f->nunread > 1 ? " (and others)" : "");
    }
    for (size_t i = 0; i < ds.nrejects && verbosity > 0; i++) {
        const struct reject *r = &ds.rejects[i];
        if (i == 20 && verbosity < 2) {
            msg("... %zu more rejected rows in rejects.csv", ds.nrejects - 20);
            break;
        }
        msg("%s:%u: %s%s%s: %s", ds.files[r->file].path, r->line, r->reason,
            r->column[0] ? " in " : "", r->column, r->detail);
    }

    t0 = now();
    show_progress("matching", "");
    mo.include_short_contracts = o.short_contracts;
    mo.branch_level = o.branch_level;
    if ((st = match_run(&ds, &mo, &pf, &d)) != SIRECON_OK) {
        rc = report(st, &d);
        goto out;
    }
    employers_rollup(&ds, &pf, &mo.period, o.min_missing, o.branch_level, &res);
    const char **resolved = NULL;
    size_t nresolved = 0;
    if (o.previous)
        employers_trend(&res, prev, nprev, &resolved, &nresolved);
    if ((st = check_invariants(&ds, &res, &d)) != SIRECON_OK) {
        rc = report(st, &d);
        free(resolved);
        goto out;
    }
    stages[1].name = "match";
    stages[1].seconds = now() - t0;

    t0 = now();
    show_progress("writing", "report");
    ri.ds = &ds;
    ri.res = &res;
    ri.pf = &pf;
    ri.mo = &mo;
    ri.lang = o.lang >= 0 ? (lang)o.lang : i18n_from_env();
    ri.mask_ids = o.mask;
    ri.min_missing = o.min_missing;
    ri.max_reject_rate = o.max_reject;
    ri.argv = (const char *const *)argv;
    ri.argc = argc;
    ri.resolved = resolved;
    ri.nresolved = nresolved;
    profile_hash(&pf, ri.profile_hash);
    if (!o.out) {
        if (mo.period.first % 12 == 0 && mo.period.last == mo.period.first + 11)
            snprintf(outbuf, sizeof outbuf, "sirecon-report-%d", mo.period.first / 12);
        else if (mo.period.first == mo.period.last)
            snprintf(outbuf, sizeof outbuf, "sirecon-report-%04d-%02d",
                     mo.period.first / 12, mo.period.first % 12 + 1);
        else
            snprintf(outbuf, sizeof outbuf, "sirecon-report-%04d-%02d..%04d-%02d",
                     mo.period.first / 12, mo.period.first % 12 + 1,
                     mo.period.last / 12, mo.period.last % 12 + 1);
        o.out = outbuf;
    }
    rc = res.nlisted > 0 ? 1 : 0;
    st = outdir_begin(&od, o.out, o.force, &d);
    if (st == SIRECON_OK && o.want_csv) {
        st = report_csv_write(&ri, outdir_tmp(&od), &d);
        outputs[nout++] = "employers.csv";
        outputs[nout++] = "employees.csv";
        outputs[nout++] = "rejects.csv";
    }
    if (st == SIRECON_OK && o.want_xlsx) {
        st = report_xlsx_write(&ri, outdir_tmp(&od), &d);
        outputs[nout++] = "report.xlsx";
    }
    if (st == SIRECON_OK && o.notices) {
        /* notices speak Vietnamese unless --lang says otherwise: they go to
         * employers, whatever the inspector's terminal is set to */
        struct run_info nri = ri;
        nri.lang = o.lang >= 0 ? (lang)o.lang : LANG_VI;
        st = report_notices_write(&nri, outdir_tmp(&od), &notice_names, &nnotice, &d);
        outputs = xmalloc((nout + nnotice) * sizeof *outputs);
        memcpy(outputs, outputs_fixed, nout * sizeof *outputs);
        for (size_t i = 0; i < nnotice; i++)
            outputs[nout++] = notice_names[i];
    }
    stages[2].name = "report";
    stages[2].seconds = now() - t0;
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
        mi.formats = o.formats;
        mi.encoding = o.encoding;
        mi.previous = o.previous;
        st = manifest_write(&mi, &d);
    }
    if (st == SIRECON_OK)
        st = outdir_commit(&od, &d);
    end_progress();
    if (st != SIRECON_OK) {
        if (od.tmp)
            outdir_abort(&od);
        rc = report(st, &d);
    } else if (verbosity > 0) {
        msg("%zu tax records (%llu duplicates merged), %zu employers listed "
            "(%llu not enrolled, %llu review); report in %s",
            ds.ntax, (unsigned long long)res.duplicates, res.nlisted, (unsigned long long)res.by_status[ST_NOT_ENROLLED],
            (unsigned long long)res.by_status[ST_REVIEW], o.out);
    }
    free(resolved);
    for (size_t i = 0; i < nnotice; i++)
        free(notice_names[i]);
    free(notice_names);
    if (outputs != outputs_fixed)
        free(outputs);
out:
    free(prev);
    employers_free(&res);
    dataset_free(&ds);
    profile_free(&pf);
    free_opts(&o);
    return rc;
}

/* ---- check ---- */

static int
cmd_check(int argc, char **argv)
{
    struct opts o;
    struct profile pf;
    int worst = 0, rc;
    char **files = NULL;
    size_t nfiles = 0, capf = 0;

    memset(&o, 0, sizeof o);
    if ((rc = parse_opts(argc, argv, &o)) != 0) {
        free_opts(&o);
        return rc < 0 ? 0 : rc;
    }
    if (optind >= argc) {
        msg("check needs at least one FILE");
        free_opts(&o);
        return 64;
    }
    for (int i = optind; i < argc; i++) {
        struct diag d = {0};
        sirecon_status st = source_expand(argv[i], &files, &nfiles, &capf, &d);
        if (st != SIRECON_OK) {
            free_list(files, nfiles);
            free_opts(&o);
            return report(st, &d);
        }
    }
    if ((rc = effective_profile(&pf, o.profile)) != 0) {
        free_list(files, nfiles);
        free_opts(&o);
        return rc;
    }
    for (size_t i = 0; i < nfiles; i++) {
        struct dataset ds;
        struct load_opts lo;
        struct header_map map;
        struct diag d = {0};
        file_kind kind = o.as ? fields_kind_from_name(o.as) : KIND_COUNT;

        dataset_init(&ds);
        memset(&lo, 0, sizeof lo);
        memset(&map, 0, sizeof map);
        lo.encoding = o.encoding ? encoding_from_name(o.encoding) : ENC_UNKNOWN;
        lo.aliases = pf.aliases;
        lo.naliases = pf.naliases;
        lo.keep_map = &map;
        sirecon_status st = load_file(&ds, files[i], kind, &lo, &d);
        const struct input_file *f = &ds.files[0];
        printf("%s:\n", files[i]);
        if (st != SIRECON_OK) {
            printf("  usable: no\n");
            fflush(stdout);
            int e = report(st, &d);
            if (e > worst)
                worst = e;
            dataset_free(&ds);
            continue;
        }
        if (f->empty) {
            printf("  usable: no (empty file)\n");
            if (worst < 65)
                worst = 65;
            dataset_free(&ds);
            continue;
        }
        bool over = f->read > 0 && (double)f->rejected > o.max_reject * (double)f->read;
        printf("  kind: %s%s\n", fields_kind_name(f->kind), o.as ? " (forced)" : "");
        printf("  encoding: %s\n", f->encoding);
        printf("  delimiter: %s\n", f->delimiter == '\t' ? "tab" : f->delimiter == ',' ? "comma"
                                   : f->delimiter == ';' ? "semicolon" : "pipe");
        if (f->header_first == f->header_last)
            printf("  header: line %d\n", f->header_first);
        else
            printf("  header: lines %d-%d\n", f->header_first, f->header_last);
        printf("  columns:\n");
        for (int fl = 0; fl < F_COUNT; fl++) {
            if (map.col[fl] < 0)
                continue;
            printf("    %-20s <- column %d \"%s\"%s\n", fields_name((field_id)fl),
                   map.col[fl] + 1, map.label[fl] ? map.label[fl] : "",
                   map.how[fl] == HOW_MEANING ? " (by meaning)"
                   : map.how[fl] == HOW_CONTENT ? " (by content)" : "");
            if (map.alt[fl] >= 0)
                printf("    %-20s <- column %d \"%s\" (second column)\n",
                       fields_name((field_id)fl), map.alt[fl] + 1,
                       map.header_cells[map.alt[fl]]);
        }
        for (int fl = 0; fl < F_COUNT; fl++)
            if (map.title[fl] && map.col[fl] < 0)
                printf("    %-20s <- title block \"%s\"\n", fields_name((field_id)fl),
                       fl == F_EMPLOYER_TAX_ID || fl == F_UNIT_CODE || fl == F_TAX_YEAR ||
                       fl == F_EMPLOYER_NAME ? map.title[fl] : "...");
        if (map.schedule)
            printf("  schedule: 05-%d\n", map.schedule);
        printf("  rows: %llu data, %llu loaded, %llu skipped (blank %llu, column numbers %llu, "
               "repeated header %llu, totals %llu, title or footer lines %llu), %llu rejected\n",
               (unsigned long long)f->read, (unsigned long long)f->loaded,
               (unsigned long long)f->skipped, (unsigned long long)f->skipped_by[1],
               (unsigned long long)f->skipped_by[2], (unsigned long long)f->skipped_by[3],
               (unsigned long long)f->skipped_by[4],
               (unsigned long long)f->skipped_by[SKIP_NOTE], (unsigned long long)f->rejected);
        for (size_t r = 0; r < ds.nrejects; r++) {
            size_t cnt = 0;
            bool seen = false;
            for (size_t q = 0; q < r && !seen; q++)
                seen = strcmp(ds.rejects[q].reason, ds.rejects[r].reason) == 0;
            if (seen)
                continue;
            for (size_t q = r; q < ds.nrejects; q++)
                cnt += strcmp(ds.rejects[q].reason, ds.rejects[r].reason) == 0;
            printf("    rejected %s: %zu (first at line %u)\n", ds.rejects[r].reason, cnt,
                   ds.rejects[r].line);
        }
        printf("  ids: %llu leading zeros restored, %llu corrupted, %llu bad check digits, "
               "%llu placeholders\n",
               (unsigned long long)f->id_restored, (unsigned long long)f->id_corrupted,
               (unsigned long long)f->id_check_digit, (unsigned long long)f->id_placeholder);
        if (f->changes[0] + f->changes[1] + f->changes[2] > 0)
            printf("  change report: %llu increase, %llu decrease, %llu adjustment rows "
                   "(from the %s)\n", (unsigned long long)f->changes[0],
                   (unsigned long long)f->changes[1], (unsigned long long)f->changes[2],
                   map.col[F_CHANGE_TYPE] >= 0 ? "change-type column" : "section rows");
        for (int fl = 0; fl < F_COUNT; fl++)
            if (map.refused[fl] >= 0)
                printf("  note: column %d \"%s\" was named like %s but its values are "
                       "not; not read as %s\n", map.refused[fl] + 1,
                       map.header_cells[map.refused[fl]], fields_name((field_id)fl),
                       fields_name((field_id)fl));
        for (int u = 0; u < f->nunread; u++)
            printf("  warning: column %d \"%s\" holds values that look like personal "
                   "identifiers but feeds no field; records that would be NOT_ENROLLED "
                   "go to REVIEW (UNREAD_ID_COLUMN)\n", f->unread_col[u] + 1,
                   f->unread_label[u]);
        printf("  usable: %s\n", over ? "no (reject rate over --max-reject-rate)" : "yes");
        if (over && worst < 65)
            worst = 65;
        header_map_free(&map);
        dataset_free(&ds);
    }
    free_list(files, nfiles);
    profile_free(&pf);
    free_opts(&o);
    return worst;
}

static int
cmd_profile(int argc, char **argv)
{
    struct opts o;
    struct profile pf;
    int rc;

    memset(&o, 0, sizeof o);
    if ((rc = parse_opts(argc, argv, &o)) != 0) {
        free_opts(&o);
        return rc < 0 ? 0 : rc;
    }
    if ((rc = effective_profile(&pf, o.profile)) != 0) {
        free_opts(&o);
        return rc;
    }
    profile_write(&pf, stdout);
    profile_free(&pf);
    free_opts(&o);
    return 0;
}

int
main(int argc, char **argv)
{
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
    if (strcmp(argv[1], "reconcile") == 0)
        return cmd_reconcile(argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "profile") == 0)
        return cmd_profile(argc - 1, argv + 1);
    msg("unknown command '%s'", argv[1]);
    fputs("Try 'sirecon --help'.\n", stderr);
    return 64;
}
