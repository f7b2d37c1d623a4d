/*
 * records.h - the in-memory model of a run: input files, tax records, SI
 * records, registry and crosswalk rows, and the decisions made about them.
 *
 * One owner: a struct dataset holds every array and the arena with every
 * string.  Records live in growable arrays (never one malloc each); indexes
 * (index.h) point into them and must be rebuilt if an array grows.
 *
 * Record layout (a national run holds tens of millions): a fixed struct of
 * 104 bytes (tax, no padding) or 96 (SI, 2 of padding); identifiers as 64-bit keys
 * (ids_key), two of them inline (struct person_ids: a record with three
 * kinds or more points to all of them in the arena), amounts and months as
 * integers, file and line as numbers.
 * Text is shared, never copied per record: the employer code, employer
 * name and unit code point to one copy per distinct value per file, an SI
 * record's plan code is a number in its file's list of them,
 * and the name to one struct pname (name, keys, diacritics) per distinct
 * name cell per file (load.c).  Limits: a file holds under 2^32 rows and
 * lines; the text of every distinct name and code stays in memory for the
 * run (on the bench's national shape 1 M tax rows hold 160 k distinct
 * names, 38 MB of strings for 2.44 M records); names are not re-read from
 * the file on demand (no late materialization), so the records of 20 M +
 * 18 M rows take 3.7 GiB (docs/architecture.md, "Speed and memory").
 */
#ifndef SIRECON_RECORDS_H
#define SIRECON_RECORDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "sirecon/arena.h"
#include "sirecon/fields.h"
#include "sirecon/ids.h"
#include "sirecon/names.h"
#include "sirecon/values.h"

#define MONTH_OPEN INT32_MAX /* to_month of an ongoing SI span */
#define PERSON_NONE UINT32_MAX /* a record with no usable identifier */

/* Record flags (bit set).  The low bits are the IDF_* quality flags of ids.h. */
enum {
    RF_LEADING_ZERO_RESTORED = IDF_LEADING_ZERO_RESTORED,
    RF_ID_CORRUPTED          = IDF_CORRUPTED,
    RF_TAX_ID_CHECK_DIGIT    = IDF_TAX_CHECK_DIGIT,
    RF_ID_PLACEHOLDER        = IDF_PLACEHOLDER,
    RF_ID_MALFORMED          = IDF_MALFORMED,
    RF_ID_BIRTH_YEAR_MISMATCH = 1u << 5,
    RF_DEDUCTED_NOT_ENROLLED = 1u << 6,
    RF_LOW_BASE              = 1u << 7,
    RF_FOLDED_NAME           = 1u << 8, /* decided on the accent-free name key */
    RF_FLAG_COUNT            = 9
};
/* The ID-quality bits a loaded record keeps from its normalizers. */
#define RF_ID_QUALITY (RF_LEADING_ZERO_RESTORED | RF_ID_CORRUPTED | RF_TAX_ID_CHECK_DIGIT | \
                       RF_ID_PLACEHOLDER | RF_ID_MALFORMED)
/* "LEADING_ZERO_RESTORED", ... for bit i (0-based). */
const char *records_flag_name(unsigned bit);

typedef enum rec_status {
    ST_ENROLLED = 0,
    ST_PARTIAL,
    ST_NOT_ENROLLED,
    ST_COVERED_ELSEWHERE,
    ST_REVIEW,
    ST_COUNT
} rec_status;
const char *records_status_name(rec_status s);

typedef enum rec_rule {
    RULE_NONE = 0,
    RULE_R1_ID,
    RULE_R2_NAME_DOB,
    RULE_R3_NAME,
    RULE_R4_ELSEWHERE,
    RULE_COUNT
} rec_rule;
const char *records_rule_name(rec_rule r); /* "", "R1_ID", ... */

typedef enum rec_reason {
    RS_NONE = 0,
    RS_NO_SI_RECORD_AT_EMPLOYER,
    RS_EMPLOYER_NOT_REGISTERED,
    RS_COVERAGE_OUTSIDE_PERIOD,
    RS_FEWER_MONTHS_THAN_INCOME,
    RS_ENROLLED_AT_OTHER_EMPLOYER,
    RS_AMBIGUOUS_NAME,
    RS_SHORT_CONTRACT_OR_NON_RESIDENT,
    RS_PAST_RETIREMENT_AGE,
    RS_ID_CORRUPTED,
    RS_UNREAD_ID_COLUMN,     /* an input holds an ID-like column the tool could not use */
    RS_DECREASE_ONLY,        /* matched only to decrease rows that fall in the period: the
                                person left; the enrolment before is not in the inputs */
    RS_COUNT
} rec_reason;
const char *records_reason_name(rec_reason r);

#define SKIP_OTHER_YEAR 5
#define INPUT_MAX_UNREAD 8 /* = HEADER_MAX_UNREAD */
#define SKIP_NOTE 6

/* One input file as the manifest and `check` describe it. */
struct input_file {
    const char *path;       /* as given (arena) */
    file_kind kind;
    char sha256[65];
    uint64_t bytes;
    const char *encoding;   /* encoding_name() */
    char delimiter;
    int header_first, header_last; /* physical lines, 0 when none */
    uint64_t read, loaded, skipped, rejected, duplicate;
    uint64_t skipped_by[7];        /* by row_class (header.h); [SKIP_OTHER_YEAR]:
                                      a tax row of a year outside --period;
                                      [SKIP_NOTE]: a row with no ID and no amount
                                      (a later title block, a signature footer) */
    uint64_t id_restored, id_corrupted, id_check_digit, id_placeholder;
    bool empty;                    /* the file holds no row at all */
    bool no_table;                 /* no header of a list was found in it (a
                                      workbook's notes or lookup sheet) */
    unsigned long by_meaning;      /* fields whose column was read by meaning (bit per
                                      field_id), not by a known label */
    unsigned long by_content;      /* fields whose column was found by its content */
    int nunread;                   /* columns that look like person IDs but feed no
                                      field: NOT_ENROLLED turns to REVIEW (match.c) */
    int unread_col[INPUT_MAX_UNREAD];           /* 0-based columns */
    const char *unread_label[INPUT_MAX_UNREAD]; /* their header text (arena) */
    uint64_t changes[3];           /* SI change report rows loaded: increase,
                                      decrease, adjustment (column or section) */
    const char **emp_codes;        /* the file's employer codes (arena), by the
                                      ordinal its records hold in emp_id from
                                      load.c until index.c numbers the employers
                                      (UINT32_MAX: none); NULL when its records
                                      were not loaded by load.c */
    uint32_t nemp_codes;
    const char **plan_codes;       /* the file's distinct plan codes (arena):
                                      si_rec.plan - 1 indexes them */
    uint32_t nplan_codes;
};

/* A personal identity as the loader reads it: up to one value per id kind,
 * as ids_key() keys (0 none), by kind. */
struct person_ids_all {
    uint64_t id[IDK_COUNT];
};

/* The same held in a record, in 16 bytes: up to two keys inline (a key
 * carries its kind), the lower kind first, 0 for none; a record with three
 * kinds or more (a national export has two: a tax code or SI number and
 * the personal ID) holds IDS_MORE and a pointer to all of them in the
 * dataset's arena.  Read it with ids_get(), build it with ids_pack(). */
struct person_ids {
    uint64_t k[2];
};
#define IDS_MORE (7ull << 61) /* k[0] when k[1] points to a person_ids_all */

/* The key of kind k, 0 when none. */
static inline uint64_t
ids_get(const struct person_ids *p, id_kind k)
{
    if (p->k[0] == IDS_MORE)
        return ((const struct person_ids_all *)(uintptr_t)p->k[1])->id[k];
    if (p->k[0] != 0 && (id_kind)(p->k[0] >> 61) == k)
        return p->k[0];
    if (p->k[1] != 0 && (id_kind)(p->k[1] >> 61) == k)
        return p->k[1];
    return 0;
}

/* Whether p holds any key. */
static inline bool
ids_any(const struct person_ids *p)
{
    return p->k[0] != 0 || p->k[1] != 0;
}

/* The keys p holds, lowest kind first, into out; returns how many. */
int ids_list(const struct person_ids *p, uint64_t out[IDK_COUNT]);
/* Kind by kind as ids_key_cmp() orders keys (<0, 0, >0). */
int ids_cmp(const struct person_ids *a, const struct person_ids *b);
/* all packed into out (three kinds or more: a copy in a's arena). */
void ids_pack(arena *a, const struct person_ids_all *all, struct person_ids *out);
/* Every key of p, by kind. */
void ids_unpack(const struct person_ids *p, struct person_ids_all *all);
/* Set the key of key's kind (hand-built records, tests); 0 does nothing. */
void ids_put(arena *a, struct person_ids *p, uint64_t key);

struct tax_rec {
    /* pointers first, then the wide numbers, then the narrow ones: no
     * padding (104 bytes; a national run holds millions) */
    const char *emp;          /* employer tax code, 10 or 13 digits; the 10-digit
                                 parent after match_run unless --branch-level */
    const char *emp_filed;    /* the code as filed (match_run keeps it) */
    const char *emp_name;     /* may be "" */
    const struct pname *name;
    struct person_ids ids;
    int64_t taxable_income;
    int64_t insurance_deduction; /* 0 when absent */
    sdate birth;              /* 0 unknown */
    uint32_t file;            /* index into dataset.files */
    uint32_t line;            /* physical line of the row */
    uint32_t flags;           /* RF_* */
    uint32_t person;          /* person cluster id (index.c), PERSON_NONE if no ID */
    uint32_t emp_id;          /* employer's number in the index (index.c); before
                                 it, the code's ordinal in input_file.emp_codes */
    uint32_t other_si;        /* COVERED_ELSEWHERE: 1 + the number of the SI record
                                 that covers the person elsewhere (match.c), whose
                                 emp is the other employer (records_other_emp);
                                 0 for any other record */
    int16_t tax_year;
    int16_t covered_months;   /* decisions (match.c) from here on */
    uint8_t income_months;    /* 0 unknown, else 1..12 */
    uint8_t schedule;         /* 1 = 05-1, 2 = 05-2 */
    uint8_t pid_kind;         /* id_kind of the displayed person_id, IDK_NONE if none */
    bool non_resident : 1;
    bool duplicate : 1;       /* merged into an identical earlier record */
    bool emp_has_si : 1;      /* its employer (block) has any SI record (match.c) */
    uint8_t status;           /* rec_status */
    uint8_t reason;           /* rec_reason */
    uint8_t rule;             /* rec_rule */
    char confidence;          /* 'A' 'B' 'C' or 0 */
};

struct si_rec {
    const char *emp;          /* employer tax code (10/13 digits) or NULL until resolved;
                                 the parent after match_run, as for tax_rec */
    const char *emp_filed;    /* the code before folding (match_run keeps it) */
    const char *unit_code;    /* "" when absent */
    const struct pname *name;
    struct person_ids ids;
    int64_t salary;           /* 0 unknown */
    sdate birth;
    int32_t from_month, to_month; /* month indices; to = MONTH_OPEN when ongoing */
    uint32_t file, line, flags, person;
    uint32_t emp_id;          /* as tax_rec.emp_id */
    bool matched;             /* claimed by a tax record (diagnostics) */
    bool decrease;            /* a decrease row of a change report: no coverage
                                 from from_month to to_month (match.c) */
    uint32_t plan;            /* the plan code: 1 + its place in its file's
                                 input_file.plan_codes, 0 none (records_plan_code);
                                 a number where a pointer was: 96 bytes a record */
};

/* The sizes the layout comment above gives (a national run holds tens of
 * millions): a field added is a choice, not an accident. */
_Static_assert(sizeof(struct tax_rec) == 104, "tax_rec: 104 bytes");
_Static_assert(sizeof(struct si_rec) == 96, "si_rec: 96 bytes");

struct employer_rec {
    const char *emp;          /* 10 or 13 digits */
    const char *name, *unit_code, *area, *address;
    int wage_region;          /* 1..4, 0 unknown */
    uint32_t file, line;
};

struct identity_rec {
    struct person_ids ids;
    uint32_t file, line;
};

struct reject {
    uint32_t file, line;
    const char *reason;       /* reason code, e.g. "BAD_MONEY" */
    const char *column;       /* canonical field or "" */
    const char *detail;       /* never a personal ID */
};

struct dataset {
    arena a;
    struct input_file *files; size_t nfiles, capfiles;
    struct tax_rec *tax; size_t ntax, captax;
    struct si_rec *si; size_t nsi, capsi;
    struct employer_rec *emps; size_t nemps, capemps;
    int32_t *emp_registry;    /* per employer number (a record's emp_id once match_run
                                 has numbered them): its registry row in emps, -1 none;
                                 kept from the index, the one registry lookup */
    size_t nemp_registry;
    struct identity_rec *idents; size_t nidents, capidents;
    struct reject *rejects; size_t nrejects, caprejects;
    size_t ndecrease;         /* SI rows that are decreases (change reports):
                                 0 lets the matcher skip looking for them */
};

void dataset_init(struct dataset *ds);
void dataset_free(struct dataset *ds);
/* Room for n more tax or SI records (capacity only: not touched). */
void dataset_reserve(struct dataset *ds, file_kind kind, size_t n);
/* Append a zeroed item and return it (pointers into the array move!). */
struct input_file *dataset_add_file(struct dataset *ds);
struct tax_rec *dataset_add_tax(struct dataset *ds);
struct si_rec *dataset_add_si(struct dataset *ds);
struct employer_rec *dataset_add_employer(struct dataset *ds);
struct identity_rec *dataset_add_identity(struct dataset *ds);
void dataset_add_reject(struct dataset *ds, uint32_t file, uint32_t line,
                        const char *reason, const char *column, const char *detail);
/* Sort the rejects by file path, then line (then reason, column, detail),
 * so that rejects.csv does not depend on the order of the inputs. */
void dataset_sort_rejects(struct dataset *ds);

/* Append everything of src to dst (files, records, rejects, strings); file
 * indices of src's records are shifted.  src is left empty. */
void dataset_merge(struct dataset *dst, struct dataset *src);

/* The identifier shown for a record (the strongest present: personal ID,
 * tax code, CMND, SI number, passport) as a key (0 none), and its kind. */
uint64_t records_person_id(const struct person_ids *p, id_kind *kind);

/* An SI record's plan code ("" when none). */
const char *records_plan_code(const struct dataset *ds, const struct si_rec *s);

/* The other employer of a COVERED_ELSEWHERE record (its SI record's
 * employer), NULL for any other record. */
const char *records_other_emp(const struct dataset *ds, const struct tax_rec *t);

#endif
