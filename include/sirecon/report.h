/*
 * report.h - the report stage of the run API (report.c), and what the
 * report writers (CSV, workbook, notices, manifest) are given: one
 * read-only view of the whole run.  The stage decides the folder, the
 * outputs, their language and the exit status; the writers never decide
 * anything, they lay out what match.c and employers.c decided.
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

/* One file a writer put into the folder (its name relative to it:
 * "employers.csv", "notices/1-0100233488.xlsx"), with the SHA-256 of its
 * bytes, for run.json. */
struct report_file {
    char *name;
    char sha256[65];
};
struct report_files {
    struct report_file *v;
    size_t n;
};
/* Append name (copied) with its hash; fl may be NULL (nothing kept). */
void report_files_add(struct report_files *fl, const char *name, const char sha256[65]);
/* The same for dir/name written by a library that seeks back in its file
 * (libxlsxwriter), hashed once closed: SIRECON_ERR_IO when it cannot be
 * read.  Nothing is read when fl is NULL. */
sirecon_status report_files_add_written(struct report_files *fl, const char *dir,
                                        const char *name, struct diag *d);
void report_files_free(struct report_files *fl);

/* The person id of a tax record as it must appear in outputs (masked when
 * ri->mask_ids).  buf holds IDS_MAX bytes. */
const char *report_person_id(const struct run_info *ri, const struct tax_rec *t,
                             char buf[IDS_MAX]);
/* "FILE:LINE" of a record's source (buf >= 600). */
const char *report_source(const struct run_info *ri, uint32_t file, uint32_t line,
                          char *buf, size_t n);

/* employers.csv, employees.csv, rejects.csv into dir (UTF-8 BOM, RFC 4180,
 * formula guard, mode 0600), each hashed as it is written into out (or
 * NULL). */
sirecon_status report_csv_write(const struct run_info *ri, const char *dir,
                                struct report_files *out, struct diag *d);
/* report.xlsx into dir, hashed once closed, into out (or NULL). */
sirecon_status report_xlsx_write(const struct run_info *ri, const char *dir,
                                 struct report_files *out, struct diag *d);

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
 * files written (relative to dir, "notices/...") and their hashes are
 * appended to out (or NULL) for the manifest.  Nothing is written when no
 * employer is listed.
 */
sirecon_status report_notices_write(const struct run_info *ri, const char *dir,
                                    struct report_files *out, struct diag *d);

/*
 * The report stage: after run_load and run_decide, every output of the
 * run into a fresh folder, all or nothing (outdir.h), run.json last.
 */
struct run;
struct run_opts;

struct report_opts {
    const char *out;          /* the folder; NULL: sirecon-report-PERIOD */
    bool force;               /* replace an existing report folder */
    bool csv, xlsx, notices;  /* which outputs (run.json always) */
    const char *formats;      /* --formats as given, for run.json */
    const char *encoding;     /* --encoding as given, for run.json; NULL */
    int lang;                 /* LANG_*, or -1: not given (the workbook follows
                                 the environment, notices speak Vietnamese) */
    bool mask_ids;
    const char *const *argv; int argc; /* the command line, for run.json */
    time_t started;           /* when the run began (SOURCE_DATE_EPOCH wins) */
};

struct report_result {
    char folder[4096];        /* where the report is (or was to be) */
    int exit_status;          /* 0: no employer listed, 1: some listed */
};

/* Before loading: an output folder that is, or holds, an input of ro
 * would destroy it (SIRECON_ERR_CANTCREAT). */
sirecon_status report_check_folder(const struct report_opts *o, const struct run_opts *ro,
                                   struct diag *d);
/* Write the report of a decided run; *res says where and the exit status
 * the run ends with (written into run.json).  Nothing is left behind on
 * failure. */
sirecon_status report_write(const struct run *r, const struct run_opts *ro,
                            const struct report_opts *o, struct report_result *res,
                            struct diag *d);

#endif
