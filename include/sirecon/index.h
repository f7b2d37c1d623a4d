/*
 * index.h - lookups over the loaded records (sorted keys and arrays).
 *
 * Persons: records that share an identifier (kind + value, packed into 64
 * bits) are joined, directly or through a crosswalk row (union-find over
 * record numbers after a radix sort of the identifiers), so a person known
 * by a legacy tax code on one side and a personal ID on the other is one
 * cluster.  SI records are chained by employer, by (employer, person) and by
 * person: the records of a key linked through next-index arrays (4 bytes a
 * record).
 */
#ifndef SIRECON_INDEX_H
#define SIRECON_INDEX_H

#include <stdint.h>
#include "sirecon/records.h"

#define CHAIN_END UINT32_MAX

/* One employer: its packed code, text, registry row and first SI record. */
struct emp_slot {
    uint64_t key;             /* index_pack_emp() */
    const char *code;
    int registry;             /* index into ds->emps, -1 when not in the registry */
    uint32_t si_head;         /* first SI record, CHAIN_END if none */
};

/* A 64-bit key and the record it belongs to. */
struct index_entry {
    uint64_t key;
    uint32_t owner;   /* a record number */
};

struct index {
    uint32_t *parent; size_t nnodes, capnodes; /* union-find over record numbers
                                                  (freed once persons are set) */
    struct emp_slot *emps; size_t nemp_ids;    /* by employer number, in code order */
    uint32_t *p_head;                          /* person -> first SI record */
    struct index_entry *ep; size_t nep;        /* (employer << 32 | person), sorted,
                                                  owner: its first SI record */
    uint32_t *next_emp, *next_ep, *next_p;     /* per SI record */
};

/* Records grouped by employer code: e[0..n) hold owners; their keys are
 * set to the packed codes and the entries sorted so that each code is one
 * run (packed codes by number, codes that do not pack after them by text).
 * tmp: n entries, or NULL. */
typedef const char *(*index_code_fn)(const void *ctx, uint32_t owner);
void index_sort_codes(struct index_entry *e, size_t n, struct index_entry *tmp,
                      index_code_fn code, const void *ctx);
/* The same runs of one code each, but in no particular order between codes,
 * sorted in place (a buffer of one bucket, about n / 2048 entries, instead
 * of n): for grouping alone. */
void index_group_codes(struct index_entry *e, size_t n, index_code_fn code, const void *ctx);
/* The code callback for tax records (ctx: the dataset). */
const char *index_tax_emp(const void *ds, uint32_t i);
/* The end of the run of one code that starts at e[i]. */
size_t index_code_run(const struct index_entry *e, size_t n, size_t i, index_code_fn code,
                      const void *ctx);

/* An employer code packed into 64 bits for sorting (UINT64_MAX when it is
 * not 1-15 digits). */
uint64_t index_pack_emp(const char *code);

/* Build the person clusters (fills tax[].person and si[].person), number
 * the employers (tax[].emp_id, si[].emp_id) and build the SI chains.  SI
 * records must have their employer resolved. */
void index_build(struct index *ix, struct dataset *ds);
void index_free(struct index *ix);

/* First SI record at employer emp, CHAIN_END if none; *registry receives the
 * registry row (-1 none) when not NULL. */
uint32_t index_emp_si(const struct index *ix, const char *emp, int *registry);
/* First SI record of person at employer emp, CHAIN_END if none. */
uint32_t index_emp_person_si(const struct index *ix, const char *emp, uint32_t person);
/* First SI record of person anywhere, CHAIN_END if none. */
uint32_t index_person_si(const struct index *ix, uint32_t person);
/* The same lookups by employer number (records' emp_id): no string hashing. */
uint32_t index_emp_si_by_id(const struct index *ix, uint32_t emp_id);
uint32_t index_emp_person_si_by_id(const struct index *ix, uint32_t emp_id,
                                   uint32_t person);

/* index_emp_person_si_by_id() for every tax record at once (out: ds->ntax
 * heads, CHAIN_END where none): the records' (employer, person) pairs
 * radix-sorted and merged with the index's sorted pairs, where a binary
 * search per record cost a cache miss per step (measured at 10 M records). */
void index_emp_person_heads(const struct index *ix, const struct dataset *ds, uint32_t *out);
/* index_build() with index_emp_person_heads() taken inside it (heads:
 * ds->ntax entries), before the chains by employer and by person are made,
 * so that the run's memory peak holds one or the other. */
void index_build_heads(struct index *ix, struct dataset *ds, uint32_t *heads);

/* Registry row of an employer code, -1 if none. */
int index_registry(const struct index *ix, const char *emp);

#endif
