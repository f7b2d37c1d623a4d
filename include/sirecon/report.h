/*
 * report.h - what the report writers (CSV, workbook, manifest) are given:
 * one read-only view of the whole run.  Writers never decide anything; they
 * lay out what match.c and employers.c decided.
 */
#ifndef SIRECON_REPORT_H
#define SIRECON_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include "sirecon/common.h"
#include "sirecon/records.h"
#include "sirecon/employers.h"
#include "sirecon/profile.h"

typedef enum lang { LANG_EN = 0, LANG_VI } lang;

struct run_info {
    const struct dataset *ds;
    const struct result *res;
    const struct profile *pf;
    const struct match_opts *mo;
    lang lang;
    bool mask_ids;
    int min_missing;
    double max_reject_rate;
    time_t started;            /* SOURCE_DATE_EPOCH when set */
    const char *const *argv; int argc; /* the command line, for the manifest */
    const char **resolved; size_t nresolved; /* --previous: employers no longer listed */
    char profile_hash[65];
};

/* The columns of each table: report_table.h. */

/* The person id of a tax record as it must appear in outputs (masked when
 * ri->mask_ids).  buf holds IDS_MAX bytes. */
const char *report_person_id(const struct run_info *ri, const struct tax_rec *t,
                             char buf[IDS_MAX]);
/* "FILE:LINE" of a record's source (buf >= 600). */
const char *report_source(const struct run_info *ri, uint32_t file, uint32_t line,
                          char *buf, size_t n);

/* employers.csv, employees.csv, rejects.csv into dir (UTF-8 BOM, RFC 4180,
 * formula guard, mode 0600). */
sirecon_status report_csv_write(const struct run_info *ri, const char *dir,
                                struct diag *d);
/* report.xlsx into dir. */
sirecon_status report_xlsx_write(const struct run_info *ri, const char *dir,
                                 struct diag *d);

/* workbook_close() of a libxlsxwriter workbook (lxw_workbook *), with the
 * library's own "[ERROR]" lines kept off stderr (libxlsxwriter 1.1.4 has no
 * hook for them): the caller reports the failure once.  Returns the
 * lxw_error; *close_errno the errno of a failing write.  Not thread-safe
 * with other threads writing to stderr. */
int report_workbook_close(void *wb, int *close_errno);
/* The same silence around a longer phase: stderr to /dev/null, and back
 * (report_stderr_on with what report_stderr_off returned). */
int report_stderr_off(void);
void report_stderr_on(int saved);

/*
 * notices/ in dir (issue: paper): one workbook per listed employer,
 * "<rank>-<employer_tax_id>.xlsx", holding its NOT_ENROLLED and PARTIAL
 * records as a print-ready notice, and notices.csv for mail merge.  The
 * names written (relative to dir, "notices/...") are appended to
 * *names (xmalloc'd array of xmalloc'd strings, *nnames of them) for the
 * manifest.  Nothing is written when no employer is listed.
 */
sirecon_status report_notices_write(const struct run_info *ri, const char *dir,
                                    char ***names, size_t *nnames, struct diag *d);

#endif
