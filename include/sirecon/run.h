/*
 * run.h - one reconciliation run, stage by stage (docs/architecture.md):
 *
 *   run_load:   read every input (tax and SI files on two cores), resolve
 *               unit codes, sort the rejects, apply the reject-rate policy,
 *               settle the period (given, or the one tax year of the data),
 *               read --previous;
 *   run_decide: match every tax record, roll up per employer, the trend,
 *               and check the invariants;
 *   report_write (report.h): every output into one fresh folder, run.json
 *               last, and the exit status.
 *
 * A struct run owns everything the stages produce; `reconcile` writes it
 * out, `explain` reads it (with a match trace), `check` reads one file at a
 * time with run_inspect_file.  Nothing here prints: progress goes through
 * the callbacks of run_opts, problems through struct diag.
 */
#ifndef SIRECON_RUN_H
#define SIRECON_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sirecon/common.h"
#include "sirecon/employers.h"
#include "sirecon/encoding.h"
#include "sirecon/header.h"
#include "sirecon/match.h"
#include "sirecon/profile.h"
#include "sirecon/records.h"

struct run_opts {
    char *const *tax; size_t ntax;                 /* expanded paths ("-": stdin) */
    char *const *si; size_t nsi;
    char *const *employers; size_t nemployers;
    char *const *identities; size_t nidentities;
    const struct period *period; /* --period as match_parse_period read it, once,
                                    where the option was given; NULL: the one tax
                                    year of the data */
    const char *previous;        /* a previous output folder or employers.csv; NULL */
    enc_id encoding;             /* ENC_UNKNOWN: detect */
    bool include_short_contracts, branch_level;
    int min_missing;             /* list employers with at least this many not enrolled */
    double max_reject_rate;      /* a file rejecting more of its rows stops the run */
    const char *default_employer; /* the employer of input files that name none in a
                                     column, title block, workbook or file name; NULL */
    /* progress, or NULL: a file being read (called from the loader threads),
     * and rows read so far in the current file */
    void (*on_file)(void *ctx, const char *path);
    void (*on_rows)(void *ctx, uint64_t rows);
    void *ctx;
};

struct run {
    const struct profile *pf;    /* borrowed from the caller */
    struct dataset ds;
    struct match_opts mo;        /* the period, once run_load has settled it */
    struct result res;
    struct previous_emp *prev; size_t nprev;
    const char **resolved; size_t nresolved; /* --previous: no longer listed */
    int min_missing;             /* as run_decide was given it */
    double load_seconds, match_seconds;
};

void run_init(struct run *r, const struct profile *pf);
/* The load stages. */
sirecon_status run_load(struct run *r, const struct run_opts *o, struct diag *d);
/* Match (with trace, or NULL), roll up, trend, invariants. */
sirecon_status run_decide(struct run *r, const struct run_opts *o, struct match_trace *trace,
                          struct diag *d);
void run_free(struct run *r);

/* `check`: one file into ds as kind (KIND_COUNT: guess), its header map
 * into *map (header_map_free), with the profile's aliases. */
sirecon_status run_inspect_file(struct dataset *ds, const char *path, file_kind kind,
                                enc_id encoding, const struct profile *pf,
                                const char *default_employer, struct header_map *map,
                                struct diag *d);

/*
 * Whether file fi of ds can be used: the one rule `reconcile` (run_load)
 * and `check` apply to a file with data rows.  One none of whose rows
 * loads is not (unless rows were skipped as outside --period: it then
 * says nothing), nor one that rejects more than max_rate of the rows it
 * read.  A file with no data row at all (empty, or a header alone) passes
 * here: reconcile reads it as nothing; check calls it unusable itself.
 * When not usable, why receives the cause, not the symptom: the dominant
 * reject reason with the column it came from as map says it was found
 * ("9 of 11 data rows BAD_YEAR: column 8 \"Năm\" was read as tax_year
 * (by its label)"); for an SI file that names its employer only by a unit
 * code (unit_code: one no employer was found for, or NULL) with no
 * registry, or a file where no column, title block or file name names the
 * employer, "employer unknown: ..." first.  map may be NULL (no column
 * numbers then).  No personal identifier is ever written into why.
 */
bool run_file_usable(const struct dataset *ds, size_t fi, const struct header_map *map,
                     const char *unit_code, double max_rate, char *why, size_t whylen);

/* The invariants of a decided run (docs/architecture.md): every row read
 * is loaded, skipped or rejected; every tax row loaded is decided once;
 * employer totals add up.  A broken one is SIRECON_ERR_INTERNAL. */
sirecon_status run_check_invariants(const struct dataset *ds, const struct result *r,
                                    struct diag *d);

#endif
