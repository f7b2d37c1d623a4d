/*
 * match.h - decide the status of every tax record (docs/matching.md).
 *
 * Per employer block: R1_ID (shared identifier), then R2_NAME_DOB and
 * R3_NAME over what is left, then R4_ELSEWHERE by identifier across
 * employers.  Covered months are the review period's months covered by the
 * union of the person's spans at that employer.
 */
#ifndef SIRECON_MATCH_H
#define SIRECON_MATCH_H

#include <stdbool.h>
#include <stdint.h>
#include "sirecon/common.h"
#include "sirecon/records.h"
#include "sirecon/profile.h"

struct period {
    int first, last; /* month indices, inclusive */
};

/*
 * What the matcher saw for the records being explained (sirecon explain):
 * notes in the order the rules were tried, as indexes into ds->tax and
 * ds->si and numbers, never strings, so a traced run decides exactly as an
 * untraced one and an untraced run pays one NULL test per record.
 */
typedef enum match_note_kind {
    MN_DUPLICATE = 0, /* other: the tax record it was merged into */
    MN_R1_HIT,        /* si: an SI record of the person's cluster at the employer */
    MN_R1_MISS,       /* a: SI records at the employer (0: none at all); b: 1 when
                         the record has an identifier (a person cluster) */
    MN_NAME_NONE,     /* no unclaimed SI person of the folded name; a: unclaimed
                         SI persons at the employer */
    MN_NAME_CAND,     /* si: a candidate's record; a: MW_* (0 compatible); b: birth
                         comparison (1 equal, 0 unknown, -1 different); c: folded
                         name; v: the candidate's birth date */
    MN_NAME_PICK,     /* si: the candidate matched; a: rule; b: tax records of the
                         name compatible with it */
    MN_NAME_AMBIG,    /* a: compatible candidates; b: of them with an equal birth
                         date; c: tax records compatible with the chosen one */
    MN_COVER_SI,      /* si: a record of the matched person; a: months of the
                         period it covers after decreases; b: 1 a decrease row */
    MN_COVERED,       /* a: covered months; b: months needed; c: period months */
    MN_BASE,          /* a: 1 base known, 2 LOW_BASE; v: base sum over covered
                         months; w: monthly taxable income */
    MN_ELSE_SI,       /* si: the person at another employer; a: ME_* */
    MN_SHORT,         /* a: schedule; b: non-resident; c: --include-short-contracts */
    MN_AGE,           /* a: age in months at the end of the period (-1 unknown);
                         b: the limit; c: sex from the personal ID (0 unknown) */
    MN_UNREAD,        /* a: 1 the record's file, 2 an SI file of its employer */
    MN_R4,            /* R4_ELSEWHERE's answer: a: 1 covered elsewhere (si: the
                         record of the smallest other employer code), 0 not */
    MN_COUNT
} match_note_kind;

enum { MW_OK = 0, MW_NAME, MW_ID_CONFLICT, MW_BIRTH };           /* MN_NAME_CAND a */
enum { ME_OUTSIDE = 0, ME_COVERED, ME_DECREASED, ME_DECREASE_ROW }; /* MN_ELSE_SI a */

struct match_note {
    uint32_t tax;     /* the record explained */
    uint32_t si;      /* an SI record, or UINT32_MAX */
    uint32_t other;   /* another tax record, or UINT32_MAX */
    uint8_t kind;     /* match_note_kind */
    int32_t a, b, c;
    int64_t v, w;
};

struct match_trace {
    /* Called once the person clusters are known (tax[].person, si[].person
     * and emp_id set), before any rule: sets want[i] for the tax records to
     * trace.  want is ds->ntax bytes, zeroed, owned by the matcher. */
    void (*select)(void *ctx, const struct dataset *ds, unsigned char *want);
    void *ctx;
    /* filled by match_run (xmalloc'd; match_trace_free) */
    unsigned char *want;
    struct match_note *notes; size_t nnotes, capnotes;
};
void match_trace_free(struct match_trace *t);

struct match_opts {
    struct period period;
    bool include_short_contracts;
    bool branch_level;
    struct match_trace *trace; /* NULL: no explaining */
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
