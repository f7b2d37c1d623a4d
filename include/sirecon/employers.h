/*
 * employers.h - roll-up of record decisions per employer, findings and
 * estimated arrears (docs/matching.md, "Roll-up, findings and arrears"), and the ranking.
 */
#ifndef SIRECON_EMPLOYERS_H
#define SIRECON_EMPLOYERS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "sirecon/records.h"
#include "sirecon/profile.h"
#include "sirecon/match.h"

typedef enum finding {
    FIND_NONE = 0,
    FIND_NO_SI_REGISTRATION,
    FIND_UNDER_ENROLLMENT,
    FIND_PARTIAL_ENROLLMENT,
    FIND_COUNT
} finding;
const char *employers_finding_name(finding f);

struct employer_sum {
    const char *emp, *name, *area;
    int registry;                    /* its row in ds->emps (the registry), -1 none */
    int wage_region;                 /* 1..4 (default 1) */
    finding finding;
    bool listed;
    int rank;                        /* 1.. for listed employers, 0 otherwise */
    uint32_t taxed, enrolled, not_enrolled, partial, covered_elsewhere,
             review, deducted_not_enrolled;
    double coverage_pct;             /* enrolled / taxed * 100 */
    int64_t unenrolled_income;       /* taxable income of not-enrolled records */
    int64_t est_arrears;             /* estimate, VND */
    bool has_si;                     /* any SI record at this employer */
    const char *trend;               /* "", "NEW", "ONGOING (n months)" */
    char trend_buf[32];              /* storage of an ONGOING trend */
    size_t *recs; size_t nrecs;      /* indices into ds->tax, in output order */
};

struct result {
    struct employer_sum *emps; size_t nemps; /* listed first, by rank; then the rest by tax code */
    size_t nlisted;
    size_t *employees; size_t nemployees;    /* employees.csv rows: tax indices */
    size_t *review; size_t nreview;          /* REVIEW records (all employers) */
    uint64_t by_status[ST_COUNT], by_rule[RULE_COUNT], by_finding[FIND_COUNT];
    uint64_t duplicates;
    struct period period;
};

/* Build the roll-up from decided records (match_run's: each record's
 * status, emp_id and emp_has_si).  min_missing: list an employer only with
 * at least that many not-enrolled records. */
void employers_rollup(const struct dataset *ds, const struct profile *pf,
                      const struct period *p, int min_missing, bool branch_level,
                      struct result *r);
/* Estimated arrears of one not-enrolled record (VND). */
int64_t employers_arrears(const struct tax_rec *t, const struct profile *pf,
                          int wage_region, int period_months);
/* Month over month (docs/matching.md, "Trend"): trend NEW / "ONGOING (n months)" of each
 * listed employer from the previous run's list, and the previously listed
 * employers no longer listed (*resolved: xmalloc'd, pointing into prev). */
struct previous_emp {
    char emp[16];
    int months;        /* 1 for NEW, n for "ONGOING (n months)" */
};
/* Read a previous run's employers.csv (path is the file or its folder)
 * into *v (xmalloc'd, *n entries, in the file's order). */
sirecon_status employers_read_previous(const char *path, struct previous_emp **v, size_t *n,
                                       struct diag *d);
void employers_trend(struct result *r, const struct previous_emp *prev, size_t nprev,
                     const char ***resolved, size_t *nresolved);

void employers_free(struct result *r);

#endif
