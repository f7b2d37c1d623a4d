/*
 * report_csv.c - employers.csv, employees.csv and rejects.csv (docs/architecture.md, "Outputs").
 *
 * Plain layout of what match.c and employers.c decided, the columns of
 * report_table.c, English codes, through csvout (BOM, CRLF, quoting,
 * formula guard).  employers.csv is res->emps[0..nlisted); employees.csv is
 * res->employees exactly, in that order (the roll-up puts the REVIEW records into
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
#include "sirecon/report_table.h"

void
report_csv_table(const struct run_info *ri, struct csvout *c, const struct report_table *t,
                 const size_t *idx, size_t n)
{
    char buf[REPORT_CELL_BUF], date[16];

    for (int k = 0; k < t->ncols; k++)
        csvout_field(c, t->cols[k].key);
    csvout_end(c);
    for (size_t i = 0; i < n; i++) {
        size_t row = idx ? idx[i] : i;
        for (int k = 0; k < t->ncols; k++) {
            struct report_cell v = {"", 0, 0, 0};
            t->cols[k].get(ri, row, &v, buf);
            switch (t->cols[k].type) {
            case RC_INT:
            case RC_MONEY: csvout_int(c, v.i); break;
            case RC_DEC1: csvout_fixed1(c, v.d); break;
            case RC_DATE:
                date[0] = '\0';
                if (v.date != 0)
                    values_date_str(v.date, date);
                csvout_field(c, date);
                break;
            default: csvout_field(c, v.s ? v.s : ""); break;
            }
        }
        csvout_end(c);
    }
}

static void
write_employers(const struct run_info *ri, struct csvout *c)
{
    report_csv_table(ri, c, &report_employers_table, NULL, ri->res->nlisted);
}

static void
write_employees(const struct run_info *ri, struct csvout *c)
{
    report_csv_table(ri, c, &report_employees_table, ri->res->employees, ri->res->nemployees);
}

static void
write_rejects(const struct run_info *ri, struct csvout *c)
{
    report_csv_table(ri, c, &report_rejects_table, NULL, ri->ds->nrejects);
}

/* Create dir/name, lay it out with fn, close it for good; its hash into out. */
static sirecon_status
write_one(const struct run_info *ri, const char *dir, const char *name,
          void (*fn)(const struct run_info *, struct csvout *), struct report_files *out,
          struct diag *d)
{
    struct csvout c;
    sirecon_status st;
    char *path, hex[65];
    FILE *f;

    if ((st = outdir_create(dir, name, &f, d)) != SIRECON_OK)
        return st;
    path = xmalloc(strlen(dir) + strlen(name) + 2);
    sprintf(path, "%s/%s", dir, name);
    csvout_open(&c, f);
    fn(ri, &c);
    st = outdir_fclose_sha256(f, path, hex, d);
    free(path);
    if (st == SIRECON_OK)
        report_files_add(out, name, hex);
    return st;
}

sirecon_status
report_csv_write(const struct run_info *ri, const char *dir, struct report_files *out,
                 struct diag *d)
{
    sirecon_status st;

    if ((st = write_one(ri, dir, "employers.csv", write_employers, out, d)) != SIRECON_OK)
        return st;
    if ((st = write_one(ri, dir, "employees.csv", write_employees, out, d)) != SIRECON_OK)
        return st;
    return write_one(ri, dir, "rejects.csv", write_rejects, out, d);
}
