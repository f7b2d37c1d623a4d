/*
 * match.h - decide the status of every tax record (SPEC §3.1-3.4).
 *
 * Per employer block: R1_ID (shared identifier), then R2_NAME_DOB and
 * R3_NAME over what is left, then R4_ELSEWHERE by identifier across
 * employers.  Covered months are the review period's months covered by the
 * union of the person's spans at that employer.
 */
#ifndef SIRECON_MATCH_H
#define SIRECON_MATCH_H

#include <stdbool.h>
#include "sirecon/common.h"
#include "sirecon/records.h"
#include "sirecon/profile.h"

struct period {
    int first, last; /* month indices, inclusive */
};

struct match_opts {
    struct period period;
    bool include_short_contracts;
    bool branch_level;
};

/* Parse "2025", "2025-07", "2025-01..2025-06" into p. */
sirecon_status match_parse_period(const char *s, struct period *p, struct diag *d);
/* Months in a period. */
int match_period_months(const struct period *p);

/* Fill status/reason/rule/confidence/covered_months/other_emp/flags of every
 * ds->tax record.  Never prints. */
sirecon_status match_run(struct dataset *ds, const struct match_opts *o,
                         const struct profile *pf, struct diag *d);

#endif
