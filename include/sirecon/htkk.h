/*
 * htkk.h - an HTKK XML declaration of form 05/QTT-TNCN as CSV text
 * (docs/inputs.md, "Formats"), so it takes the same table path as a CSV export.
 *
 * The declaration names the payer (NNT/mst, NNT/tenNNT) and the tax year
 * (KyKKhaiThue/kyKKhai) in its header; its appendices list the persons:
 * one BKeCTietCNhan element per person in PLuc_05_1_BK_QTT (05-1) and in
 * PLuc_05_2_BK_QTT (05-2), whose indicators (ct07, ct08, ...) mean
 * different things in the two appendices, as on the paper forms.  The
 * dependants' appendix (05-3) and an appendix's totals are not persons.
 * See docs/inputs.md.
 */
#ifndef SIRECON_HTKK_H
#define SIRECON_HTKK_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include "sirecon/common.h"

/* Whether buf[0..n) starts like an HTKK declaration (root HSoThueDTu). */
bool htkk_sniff(const unsigned char *buf, size_t n);

/* An element of the appendices that sirecon does not know and skipped. */
struct htkk_ignored {
    char name[48];          /* its local name ("ctXX", "PLuc_05_9_BK_QTT") */
    int appendix;           /* 1 or 2: inside PLuc_05_1/05_2_BK_QTT; 0: under PLuc */
    bool in_person;         /* a child of a person (BKeCTietCNhan) */
    uint64_t count;
    uint32_t line;          /* XML line of the first one */
};

#define HTKK_IGNORED_MAX 16

/*
 * What a conversion found besides the rows: the declaration's header and
 * what its appendices hold, for `check` (htkk.c never prints).  Indicators
 * of the form that sirecon does not need (ct13, ct16 ... of a person,
 * an appendix's totals, the main form's indicators) are part of the
 * layout and not counted as ignored; an element that is not part of it is.
 */
struct htkk_info {
    const char *form_name;  /* "05/QTT-TNCN", the only form accepted */
    char form[16];          /* TKhaiThue/maTKhai as written ("953"), "" absent */
    char circular[48];      /* from TKhaiThue/moTaBMau ("80/2021/TT-BTC"), "" none */
    char payer_tax_id[32];  /* NNT/mst */
    char payer_name[256];   /* NNT/tenNNT */
    char year[16];          /* KyKKhaiThue/kyKKhai */
    bool appendix[3];       /* PLuc_05_1, 05_2, 05_3_BK_QTT present */
    uint64_t persons;       /* BKeCTietCNhan of 05-1 and 05-2 */
    uint64_t persons_by[2]; /* of 05-1, of 05-2 */
    uint64_t dependants;    /* BKeTTinNPT of 05-3: never records */
    uint64_t ignored;       /* elements of the appendices that are not part of
                               the layout (each one, in ign[] or not) */
    struct htkk_ignored ign[HTKK_IGNORED_MAX]; /* by name and place, in order of
                                                   first appearance */
    size_t nign;            /* entries of ign[] used; more kinds are only counted */
};

/*
 * Convert the declaration xml[0..n) (UTF-8, as HTKK writes it) to CSV:
 * line 1 the canonical header employer_tax_id, employer_name, tax_year,
 * schedule, full_name, employee_tax_id, id_number, taxable_income,
 * insurance_deduction, tax_withheld, non_resident; then one line per
 * person.  *lines (xmalloc'd, *nlines entries) maps CSV line k (1-based,
 * index k-1) to the XML line where the person's element starts (1 for the
 * header), so FILE:LINE points into the XML.  *out is xmalloc'd and
 * NUL-terminated.  Parsed by expat in 64 KiB pieces.
 * Errors (SIRECON_ERR_DATA, d->file left empty, d->line the XML line when
 * known): not well-formed XML, not a 05/QTT-TNCN declaration (maTKhai),
 * no payer tax code, no tax year, no 05-1 or 05-2 appendix.  *info is
 * filled as far as the file was read, also on error.
 */
sirecon_status htkk_to_csv(const char *xml, size_t n, char **out, size_t *outn,
                           uint32_t **lines, size_t *nlines, struct htkk_info *info,
                           struct diag *d);

#endif
