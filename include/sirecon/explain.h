/*
 * explain.h - why a person, a row or an employer got its decision
 * (`sirecon explain`, docs/matching.md).
 *
 * An explanation rides on an ordinary run: explain_init names what is
 * asked, the run is decided with explain_trace(x) as its match trace (the
 * matcher then notes, for the records asked about only, every rule it
 * tried and what it saw), and explain_write lays the notes out as text
 * (English or Vietnamese) or JSON.  The decision printed is the record's
 * own status from that run, so it is the decision `reconcile` makes.
 */
#ifndef SIRECON_EXPLAIN_H
#define SIRECON_EXPLAIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "sirecon/match.h"
#include "sirecon/report.h"
#include "sirecon/run.h"

typedef enum explain_by { EXPLAIN_PERSON = 0, EXPLAIN_ROW, EXPLAIN_EMPLOYER } explain_by;

struct explain_query {
    explain_by by;
    const char *value;    /* an identifier or a name, FILE:LINE, an employer code */
    const char *employer; /* EXPLAIN_PERSON by name: the employer (else NULL) */
};

struct explain {
    const struct explain_query *q; size_t nq;
    struct match_trace trace;
    size_t **recs; size_t *nrecs;     /* per query: tax indices it names */
    uint32_t **persons; size_t *npersons; /* per query: person clusters */
    bool *found;                      /* per query, after explain_write */
};

void explain_init(struct explain *x, const struct explain_query *q, size_t nq);
/* The trace to give run_decide. */
struct match_trace *explain_trace(struct explain *x);
/* Write every query's explanation to f; returns how many queries found
 * nothing in the data (x->found says which). */
size_t explain_write(struct explain *x, const struct run *r, FILE *f, bool json, lang l,
                     bool mask_ids);
void explain_free(struct explain *x);
/* Whether the n bytes of given (the FILE of --row FILE:LINE) name the
 * input path, however either is written: the same text, or the same file
 * (device and inode) reached relative, absolute or through a symlink. */
bool explain_same_file(const char *given, size_t n, const char *path);

/* Whether a --person value is an identifier (it holds a digit) rather
 * than a name. */
bool explain_is_identifier(const char *s);

#endif
