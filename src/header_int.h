/*
 * header_int.h - what the header files (src/header*.c) share, private to
 * them; include/sirecon/header.h is the interface.  The alias table entry
 * and the folded alias set, the scanned rows, the search's context and a
 * candidate block, and the functions one file calls in another: hdr_*, and
 * the header_* ones the unit tests reach as well (test_header.c).
 */
#ifndef SIRECON_HEADER_INT_H
#define SIRECON_HEADER_INT_H

#include <stdbool.h>
#include <stddef.h>
#include "sirecon/header.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define IGN F_COUNT /* alias of a column that is no field: "STT", "Loại giấy tờ" */
#define FOLD_MAX 512 /* folded label buffer; longer labels are cut (both sides) */

/* ---- aliases (header_aliases.c) ----------------------------------------- */

struct alias {
    int field; /* field_id or IGN, | WEAK */
    const char *label;
};

/* A generic label: a more specific label of the same field elsewhere in the
 * header takes the field from it (see eval_block). */
#define WEAK 0x100

struct akey {
    char *fold;
    int field;
    int prio; /* 0 profile extra, 1 built in: extras win a clash */
    int weak; /* a generic label (WEAK) */
};

struct aset {
    struct akey *k;
    size_t n, cap;
};

/* Fold the kind's field names, alias table and profile extras into *as,
 * sorted; hdr_aset_free releases it. */
void hdr_aset_build(struct aset *as, file_kind kind, const struct alias_extra *extra,
                    size_t nextra);
void hdr_aset_free(struct aset *as);
/* The alias of a folded label, NULL for none. */
const struct akey *hdr_aset_key(const struct aset *as, const char *fold);

/* ---- scanned rows, the search's context, a candidate block -------------- */

enum { CF_LABEL = 1, CF_COLNUM = 2, CF_LETTER = 4 };

struct rowc {
    int n;           /* cells up to the last non-blank one */
    char **fold;     /* folded label (markers stripped) per cell, "" if none */
    char **sfold;    /* the fold without a "(TNCT)" suffix; == fold[c] if none */
    char *buf;       /* the folded strings */
    unsigned char *fl; /* CF_* per cell */
    int labels;      /* cells with a label: non-empty fold, not a column number */
    int colnums;     /* non-blank cells that look like column numbers */
    int others;      /* other non-blank cells (punctuation only) */
    bool longnum;    /* a cell holds 6+ digits in a row: data or title, no header */
};

/* The context of one header_detect or guess (header.c, ctx_init). */
struct ctx {
    file_kind kind;
    const struct hrow *rows;
    int nrows;   /* rows cached: the scan window plus the spans under it */
    int nscan;   /* rows where a header may start */
    struct rowc *rc;
    struct aset as;
    int *src;    /* per level and column: the column supplying the label */
    size_t srccap;
    unsigned short **shape; /* per cached row and cell: SH_* bits
                               (header_content.c), lazily */
};

/* A candidate header: rows r..r+s-1. */
struct cand {
    int r, s, w;
    bool valid;
    int score;
    int labels;            /* non-blank label cells, for the diagnostic's choice */
    int col[F_COUNT];
    int lo[F_COUNT], hi[F_COUNT]; /* levels of the form that matched */
    bool weak[F_COUNT];    /* matched through a generic label */
    unsigned char how[F_COUNT]; /* HOW_* */
    int alt[F_COUNT];      /* second column of a person-ID field, -1 */
    int refused[F_COUNT];  /* column refused by its content, -1 */
    int unread[HEADER_MAX_UNREAD];
    int nunread;
};

/* ---- cells and rows (header_rows.c) ------------------------------------- */

/* White space at s[i]: its length in bytes (2 for a no-break space), 0 when
 * none. */
int hdr_is_space_at(const char *s, size_t n, size_t i);
/* Whether a cell looks like a column number: "[06]", "(1)", "1", "A". */
bool header_is_colnum_cell(const char *s, size_t n);
/* Strip a leading or trailing column-number marker or a money unit. */
void header_strip_marker(const char **sp, size_t *np);
/* Fold a header cell for comparison: trim, strip markers, names_fold_label. */
size_t header_fold(const char *s, size_t n, char *out, size_t outsz);
/* The fold without a short "(TNCT)" suffix; 0 when there is none. */
size_t hdr_fold_short(const char *s, size_t n, char *out, size_t outsz);
bool hdr_cell_blank(const struct hrow *row, size_t c);
void hdr_rowc_build(struct rowc *rc, const struct hrow *row);
void hdr_rowc_free(struct rowc *rc);
/* cx->src of the block r..r+s-1, w columns: which cell labels each column
 * at each level. */
void hdr_merge_block(struct ctx *cx, int r, int s, int w);
const char *hdr_form_fold(const struct ctx *cx, int r, int w, int c, int lo, int hi,
                          bool shortf, char *buf, size_t bufsz);
size_t hdr_form_text(const struct ctx *cx, int r, int w, int c, int lo, int hi, char *buf,
                     size_t bufsz);
char *hdr_join_levels(const struct ctx *cx, const struct cand *cd, int c, int lo, int hi);
bool hdr_continues_block(const struct ctx *cx, const struct cand *cd, int rr);
bool hdr_is_code_row(const struct ctx *cx, int rr);
bool hdr_row_is_colnum(const struct hrow *row, int w);

/* ---- content (header_content.c) ----------------------------------------- */

/* The width of the data rows under a header at row `from`. */
int hdr_data_width(const struct ctx *cx, int from);
/* Check the chosen block against its data rows; updates cd->score. */
void hdr_content_pass(struct ctx *cx, struct cand *cd);

/* ---- the title block (header_title.c) ----------------------------------- */

/* Scan rows 0..nrows-1 as the title block into m's title values. */
void hdr_scan_title(file_kind kind, const struct hrow *rows, int nrows,
                    struct header_map *m);

/* ---- fields ------------------------------------------------------------- */

/* A field holding a person's identifier (a second column of one is read
 * too, and its content may refuse it). */
static inline bool
hdr_is_person_id_field(int f)
{
    return f == F_ID_NUMBER || f == F_EMPLOYEE_TAX_ID || f == F_SI_NUMBER || f == F_CMND;
}

#endif
