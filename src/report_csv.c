/*
 * report_csv.c - employers.csv, employees.csv and rejects.csv (docs/architecture.md, "Outputs").
 *
 * Plain layout of what match.c and employers.c decided, columns exactly as
 * the spec lists them, English codes, through csvout (BOM, CRLF, quoting,
 * formula guard).  employers.csv is res->emps[0..nlisted); employees.csv is
 * res->employees exactly, in that order (main puts the REVIEW records into
 * that list too), its employer columns as the tax row gave them;
 * rejects.csv is ds->rejects.  Each file is created 0600 with O_EXCL and
 * fsynced on close; a failed write is SIRECON_ERR_IO with the file's path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/csvout.h"
#include "sirecon/outdir.h"
#include "sirecon/report.h"

const char *const report_employer_cols[] = {
    "rank", "employer_tax_id", "employer_name", "area", "finding", "taxed",
    "enrolled", "not_enrolled", "partial", "covered_elsewhere", "review",
    "deducted_not_enrolled", "coverage_pct", "unenrolled_income",
    "est_arrears", "trend",
};
const char *const report_employee_cols[] = {
    "employer_tax_id", "employer_name", "full_name", "person_id", "id_kind",
    "birth_date", "schedule", "taxable_income", "insurance_deduction",
    "status", "reason", "rule", "confidence", "covered_months",
    "other_employer_tax_id", "flags", "source",
};
const char *const report_reject_cols[] = {
    "file", "line", "kind", "reason", "column", "detail",
};
#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))
const int report_nemployer_cols = NCOLS(report_employer_cols);
const int report_nemployee_cols = NCOLS(report_employee_cols);
const int report_nreject_cols = NCOLS(report_reject_cols);

/* The identifier a tax record shows and its kind: the one pid_kind names
 * when the record has it, else the strongest present (records_person_id),
 * so person_id and id_kind always agree.  NULL/IDK_NONE when none. */
static const char *
person_id_of(const struct tax_rec *t, id_kind *kind)
{
    if (t->pid_kind < IDK_COUNT && t->ids.id[t->pid_kind] != NULL &&
        t->ids.id[t->pid_kind][0] != '\0') {
        *kind = t->pid_kind;
        return t->ids.id[t->pid_kind];
    }
    return records_person_id(&t->ids, kind);
}

/* Masked (all but the last 4 characters) when ri->mask_ids. */
static const char *
shown_id(const struct run_info *ri, const char *id, char buf[IDS_MAX])
{
    if (id == NULL || *id == '\0')
        return "";
    if (ri->mask_ids) {
        ids_mask(id, buf);
        return buf;
    }
    return id;
}

const char *
report_person_id(const struct run_info *ri, const struct tax_rec *t,
                 char buf[IDS_MAX])
{
    id_kind kind;

    return shown_id(ri, person_id_of(t, &kind), buf);
}

const char *
report_source(const struct run_info *ri, uint32_t file, uint32_t line,
              char *buf, size_t n)
{
    const char *path = file < ri->ds->nfiles && ri->ds->files[file].path
                           ? ri->ds->files[file].path : "";

    snprintf(buf, n, "%s:%lu", path, (unsigned long)line);
    return buf;
}

static void
write_employers(const struct run_info *ri, struct csvout *c)
{
    csvout_row(c, report_employer_cols, report_nemployer_cols);
    for (size_t i = 0; i < ri->res->nlisted; i++) {
        const struct employer_sum *e = &ri->res->emps[i];

        csvout_int(c, e->rank);
        csvout_field(c, e->emp);
        csvout_field(c, e->name);
        csvout_field(c, e->area);
        csvout_field(c, employers_finding_name(e->finding));
        csvout_uint(c, e->taxed);
        csvout_uint(c, e->enrolled);
        csvout_uint(c, e->not_enrolled);
        csvout_uint(c, e->partial);
        csvout_uint(c, e->covered_elsewhere);
        csvout_uint(c, e->review);
        csvout_uint(c, e->deducted_not_enrolled);
        csvout_fixed1(c, e->coverage_pct);
        csvout_int(c, e->unenrolled_income);
        csvout_int(c, e->est_arrears);
        csvout_field(c, e->trend);
        csvout_end(c);
    }
}

/* Names of the set RF_* bits, in bit order, joined with '|'. */
static const char *
flag_names(uint32_t flags, char *buf, size_t n)
{
    size_t len = 0;

    buf[0] = '\0';
    for (unsigned bit = 0; bit < RF_FLAG_COUNT; bit++) {
        if (!(flags & (1u << bit)))
            continue;
        int w = snprintf(buf + len, n - len, "%s%s", len ? "|" : "",
                         records_flag_name(bit));
        if (w < 0 || (size_t)w >= n - len)
            break; /* cannot happen with the buffer below */
        len += (size_t)w;
    }
    return buf;
}

static void
write_employees(const struct run_info *ri, struct csvout *c)
{
    const struct dataset *ds = ri->ds;
    char idbuf[IDS_MAX], date[16], flags[512], src[640], conf[2];

    csvout_row(c, report_employee_cols, report_nemployee_cols);
    for (size_t i = 0; i < ri->res->nemployees; i++) {
        const struct tax_rec *t = &ds->tax[ri->res->employees[i]];
        id_kind kind;
        const char *id = person_id_of(t, &kind);

        csvout_field(c, t->emp);
        csvout_field(c, t->emp_name);
        csvout_field(c, t->full_name);
        csvout_field(c, shown_id(ri, id, idbuf));
        csvout_field(c, id != NULL && *id != '\0' && kind < IDK_COUNT
                            ? ids_kind_name(kind) : "");
        date[0] = '\0';
        if (t->birth != 0)
            values_date_str(t->birth, date);
        csvout_field(c, date);
        csvout_field(c, t->schedule == 1 ? "05-1" : t->schedule == 2 ? "05-2" : "");
        csvout_int(c, t->taxable_income);
        csvout_int(c, t->insurance_deduction);
        csvout_field(c, records_status_name(t->status));
        csvout_field(c, t->reason == RS_NONE ? "" : records_reason_name(t->reason));
        csvout_field(c, t->rule == RULE_NONE ? "" : records_rule_name(t->rule));
        conf[0] = t->confidence;
        conf[1] = '\0';
        csvout_field(c, conf);
        csvout_int(c, t->covered_months);
        csvout_field(c, t->other_emp);
        csvout_field(c, flag_names(t->flags, flags, sizeof flags));
        csvout_field(c, report_source(ri, t->file, t->line, src, sizeof src));
        csvout_end(c);
    }
}

static void
write_rejects(const struct run_info *ri, struct csvout *c)
{
    const struct dataset *ds = ri->ds;

    csvout_row(c, report_reject_cols, report_nreject_cols);
    for (size_t i = 0; i < ds->nrejects; i++) {
        const struct reject *r = &ds->rejects[i];
        const struct input_file *in = r->file < ds->nfiles ? &ds->files[r->file] : NULL;

        csvout_field(c, in ? in->path : "");
        csvout_uint(c, r->line);
        csvout_field(c, in ? fields_kind_name(in->kind) : "");
        csvout_field(c, r->reason);
        csvout_field(c, r->column);
        csvout_field(c, r->detail);
        csvout_end(c);
    }
}

/* Create dir/name, lay it out with fn, close it for good. */
static sirecon_status
write_one(const struct run_info *ri, const char *dir, const char *name,
          void (*fn)(const struct run_info *, struct csvout *), struct diag *d)
{
    struct csvout c;
    sirecon_status st;
    char *path;
    FILE *f;

    if ((st = outdir_create(dir, name, &f, d)) != SIRECON_OK)
        return st;
    path = xmalloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    csvout_open(&c, f);
    fn(ri, &c);
    st = outdir_fclose(f, path, d);
    free(path);
    return st;
}

sirecon_status
report_csv_write(const struct run_info *ri, const char *dir, struct diag *d)
{
    sirecon_status st;

    if ((st = write_one(ri, dir, "employers.csv", write_employers, d)) != SIRECON_OK)
        return st;
    if ((st = write_one(ri, dir, "employees.csv", write_employees, d)) != SIRECON_OK)
        return st;
    return write_one(ri, dir, "rejects.csv", write_rejects, d);
}
