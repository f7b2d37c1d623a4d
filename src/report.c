/*
 * report.c - the report stage of the run API (report.h): after run_load and
 * run_decide, every output of the run into one fresh folder.
 *
 * Decides: the folder (-o, else sirecon-report-PERIOD from the period
 * run_load settled), that it holds no input, which outputs are written and
 * in which order (CSV, workbook, notices, then run.json), the language of
 * each (the workbook the inspector's, notices Vietnamese unless --lang
 * says otherwise: they go to employers), the clock (SOURCE_DATE_EPOCH),
 * and the exit status (0 when no employer is listed, 1 when some are).
 * The writers hash each file as they write it; run.json lists the hashes.
 * Never decides a record's status or prints anything: the front
 * (cli/reconcile.c) maps the status and *res to messages and exit codes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sirecon/i18n.h"
#include "sirecon/manifest.h"
#include "sirecon/outdir.h"
#include "sirecon/report.h"
#include "sirecon/run.h"

void
report_files_add(struct report_files *fl, const char *name, const char sha256[65])
{
    struct report_file *f;

    if (fl == NULL)
        return;
    fl->v = xrealloc(fl->v, (fl->n + 1) * sizeof *fl->v);
    f = &fl->v[fl->n++];
    f->name = xstrdup(name);
    snprintf(f->sha256, sizeof f->sha256, "%s", sha256);
}

sirecon_status
report_files_add_written(struct report_files *fl, const char *dir, const char *name,
                         struct diag *d)
{
    char path[4400], hex[65];

    if (fl == NULL)
        return SIRECON_OK;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (outdir_sha256_file(path, hex) != SIRECON_OK)
        return diag_set(d, SIRECON_ERR_IO, path, 0, "cannot read back an output to hash it");
    report_files_add(fl, name, hex);
    return SIRECON_OK;
}

void
report_files_free(struct report_files *fl)
{
    for (size_t i = 0; i < fl->n; i++)
        free(fl->v[i].name);
    free(fl->v);
    fl->v = NULL;
    fl->n = 0;
}

/* sirecon-report-2025, -2025-07 or -2025-01..2025-06 */
static void
default_folder(const struct period *p, char *buf, size_t n)
{
    if (p->first % 12 == 0 && p->last == p->first + 11)
        snprintf(buf, n, "sirecon-report-%d", p->first / 12);
    else if (p->first == p->last)
        snprintf(buf, n, "sirecon-report-%04d-%02d", p->first / 12, p->first % 12 + 1);
    else
        snprintf(buf, n, "sirecon-report-%04d-%02d..%04d-%02d", p->first / 12,
                 p->first % 12 + 1, p->last / 12, p->last % 12 + 1);
}

sirecon_status
report_check_folder(const struct report_opts *o, const struct run_opts *ro, struct diag *d)
{
    char *const *lists[4] = {ro->tax, ro->si, ro->employers, ro->identities};
    size_t ns[4] = {ro->ntax, ro->nsi, ro->nemployers, ro->nidentities};

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

sirecon_status
report_write(const struct run *r, const struct run_opts *ro, const struct report_opts *o,
             struct report_result *res, struct diag *d)
{
    struct outdir od;
    struct run_info ri;
    struct report_files files = {NULL, 0};
    struct stage_time stages[3];
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    bool fixed_clock = sde && *sde;
    sirecon_status st;
    double t0 = monotonic_seconds();

    memset(&ri, 0, sizeof ri);
    ri.ds = &r->ds;
    ri.res = &r->res;
    ri.pf = r->pf;
    ri.mo = &r->mo;
    ri.lang = o->lang >= 0 ? (lang)o->lang : i18n_from_env();
    ri.mask_ids = o->mask_ids;
    ri.min_missing = ro->min_missing;
    ri.max_reject_rate = ro->max_reject_rate;
    ri.argv = o->argv;
    ri.argc = o->argc;
    ri.resolved = r->resolved;
    ri.nresolved = r->nresolved;
    ri.started = fixed_clock ? (time_t)strtoll(sde, NULL, 10) : o->started;
    profile_hash(r->pf, ri.profile_hash);
    if (o->out)
        snprintf(res->folder, sizeof res->folder, "%s", o->out);
    else
        default_folder(&r->mo.period, res->folder, sizeof res->folder);
    res->exit_status = r->res.nlisted > 0 ? 1 : 0;

    st = outdir_begin(&od, res->folder, o->force, d);
    if (st == SIRECON_OK && o->csv)
        st = report_csv_write(&ri, outdir_tmp(&od), &files, d);
    if (st == SIRECON_OK && o->xlsx)
        st = report_xlsx_write(&ri, outdir_tmp(&od), &files, d);
    if (st == SIRECON_OK && o->notices) {
        struct run_info nri = ri;
        nri.lang = o->lang >= 0 ? (lang)o->lang : LANG_VI;
        st = report_notices_write(&nri, outdir_tmp(&od), &files, d);
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
        mi.outputs = files.v;
        mi.noutputs = files.n;
        mi.stages = stages;
        mi.nstages = 3;
        mi.ended = fixed_clock ? ri.started : time(NULL);
        mi.exit_status = res->exit_status;
        mi.formats = o->formats;
        mi.encoding = o->encoding;
        mi.previous = ro->previous;
        st = manifest_write(&mi, d);
    }
    if (st == SIRECON_OK)
        st = outdir_commit(&od, d);
    if (st != SIRECON_OK && od.tmp)
        outdir_abort(&od);
    report_files_free(&files);
    return st;
}
