/*
 * ids.h - typed identifier normalizers (docs/inputs.md, "Values and identifiers").
 *
 * IDs are text end to end.  A value is cleaned (spaces, dots, dashes, a
 * leading apostrophe and a trailing ".0" removed), recognised as a
 * placeholder or as scientific notation, and then interpreted by the kind of
 * the column it came from and by its shape -- never by its length alone.
 */
#ifndef SIRECON_IDS_H
#define SIRECON_IDS_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* Kinds of personal identifier; the index into a record's id[] array. */
typedef enum id_kind {
    IDK_PERSONAL = 0, /* 12-digit personal ID (CCCD); also the 12-digit CMND form */
    IDK_TAXCODE,      /* legacy 10-digit personal tax code (check digit) */
    IDK_CMND,         /* 9-digit old ID card */
    IDK_SI,           /* 10-digit SI number (Mã số BHXH) */
    IDK_PASSPORT,     /* letters and digits */
    IDK_COUNT,
    IDK_NONE = IDK_COUNT
} id_kind;

/* Which column a personal identifier was read from. */
typedef enum id_column {
    IDCOL_TAXCODE,  /* person's "Mã số thuế": legacy tax code, or a 12-digit personal ID since 2025 */
    IDCOL_IDNUMBER, /* "Số CMND/CCCD/Hộ chiếu": CCCD, CMND or passport */
    IDCOL_SI,       /* "Mã số BHXH": SI number, or a 12-digit personal ID since Aug 2025 */
    IDCOL_CMND      /* a column that holds only CMNDs (identities crosswalk) */
} id_column;

/* Quality flags: bits, shared with records (RF_* in records.h use the same bits). */
enum {
    IDF_LEADING_ZERO_RESTORED = 1u << 0, /* a stripped leading zero was put back */
    IDF_CORRUPTED             = 1u << 1, /* scientific notation: digits lost */
    IDF_TAX_CHECK_DIGIT       = 1u << 2, /* tax code fails its check digit (kept as is) */
    IDF_PLACEHOLDER           = 1u << 3, /* 0, 000000000, N/A, "chưa có", all one digit */
    IDF_MALFORMED             = 1u << 4  /* fits no kind for its column */
};

/* Output buffer size for any normalized identifier (with NUL). */
#define IDS_MAX 32

/* Check digit of a 10-digit tax code (employer or legacy personal): true when
 * d[0..9] are digits, the sequence part is not 0000000 and d10 is right. */
bool ids_tax_check(const char *d);

/*
 * Employer tax code from a raw cell.  Result: 10 digits, or 13 digits (10 +
 * 3-digit branch, dash removed, branch 000 invalid) in out.  A 9- or 12-digit
 * value that validates with a leading zero restored is restored (flag).  A bad
 * check digit keeps the digits and sets IDF_TAX_CHECK_DIGIT.  Returns true
 * when out holds a usable code; false for empty/placeholder/corrupted/
 * malformed input (the reason is in *flags, which is set, not or-ed, and
 * may be NULL).
 */
bool ids_employer(const char *in, size_t n, char out[IDS_MAX], unsigned *flags);

/*
 * A personal identifier read from a column of kind col.  Writes the
 * normalized text to out and returns its kind, or IDK_NONE (empty,
 * placeholder, corrupted or malformed -- see *flags).  Rules: in an
 * IDCOL_IDNUMBER or IDCOL_SI column an 11-digit value starting 0-9 is a
 * CCCD missing its leading zero; in IDCOL_TAXCODE 10 digits is a legacy tax
 * code (check digit checked, IDF_TAX_CHECK_DIGIT when wrong, still
 * returned), 12 digits a personal ID, 9 digits a legacy code that validates
 * with a restored zero; in IDCOL_IDNUMBER 9 digits is a CMND, 12 a personal
 * ID, letters+digits (1-2 letters then 6-8 digits) a passport
 * (upper-cased); in IDCOL_SI 10 digits is an SI number, 12 a personal ID.
 * Details: 8 digits in an IDCOL_IDNUMBER/IDCOL_CMND column is a CMND
 * missing its zero; 9 in IDCOL_SI an SI number missing its zero; 11 in
 * IDCOL_TAXCODE only when it reads as a domestic CCCD (province 001-096,
 * century digit 0-3).  *flags is set, not or-ed (flags may be NULL).
 */
id_kind ids_person(id_column col, const char *in, size_t n, char out[IDS_MAX],
                   unsigned *flags);

/* Birth year encoded in a 12-digit personal ID (century digit + 2 digits),
 * or 0 when the ID is not a domestic CCCD (province 001-096, century digit
 * 0-5). */
int ids_cccd_birth_year(const char *pid);

/* Sex encoded in a 12-digit personal ID: 1 male, 2 female, 0 unknown
 * (also when the ID is not a domestic CCCD, as above). */
int ids_cccd_sex(const char *pid);

/*
 * A normalized personal identifier as a 64-bit key: kind (3 bits), length
 * (5 bits) and the characters as a number (digits in base 10; a passport,
 * letters and digits, in base 37), never 0.  Lossless for every value
 * ids_person() returns (at most 12 digits, or a 7-10 character passport):
 * records keep keys, not strings, and ids_key_text() gives the text back.
 * ids_key_cmp() orders keys as strcmp() orders their texts (0, no key,
 * first).
 */
uint64_t ids_key(id_kind k, const char *text);
const char *ids_key_text(uint64_t key, char out[IDS_MAX]);
/* ids_cccd_birth_year() of a key's text, read from the key's digits
 * (no text made): 0 unless a 12-digit personal ID of a domestic CCCD. */
int ids_key_cccd_birth_year(uint64_t key);
id_kind ids_key_kind(uint64_t key);
int ids_key_cmp(uint64_t a, uint64_t b);

/* Short English name of a kind: "personal_id", "tax_code", "cmnd", "si_number", "passport". */
const char *ids_kind_name(id_kind k);

/* Mask a personal identifier in place of display: all but the last 4
 * characters become '*'.  out must hold IDS_MAX bytes. */
void ids_mask(const char *id, char out[IDS_MAX]);

#endif
