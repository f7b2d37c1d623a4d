/*
 * labels.h - reading a column label by its meaning (docs/inputs.md).
 *
 * The alias tables of header_aliases.c know labels verbatim; this module reads a
 * label it has never seen: the label is folded into words, split into its
 * head (what the column is) and its qualifiers (text in parentheses, and
 * everything after a conditional word such as "nếu" / "if"), and the head is
 * matched against vocabularies of head terms per field, with the owner of an
 * identifier (the person's or the employer's) taken from qualifying words
 * ("của cá nhân", "đơn vị") and with words that veto a field ("ngày cấp",
 * "người phụ thuộc", "tính thuế").
 */
#ifndef SIRECON_LABELS_H
#define SIRECON_LABELS_H

#include <stddef.h>
#include <stdbool.h>
#include "sirecon/fields.h"

/* labels_classify() result for a label that is known and feeds no field:
 * a row number, phone, bank account, issue date, a dependant's data, ... */
#define LABELS_OTHER F_COUNT
/* labels_classify() result for a label that says nothing known. */
#define LABELS_UNKNOWN (-1)

/*
 * The field of kind that the label s[0..n) names, LABELS_OTHER or
 * LABELS_UNKNOWN.  *score (may be NULL) gets the strength of the reading:
 * 3 a specific head term ("số CCCD", "mã số BHXH"), 2 a plain one
 * ("thu nhập", "năm"), 1 a weak one ("BHXH" alone, an unaccented name
 * copy).  Thread-safe; no allocation.
 */
int labels_classify(file_kind kind, const char *s, size_t n, int *score);

/* Whether the label names something that cannot be a person's identifier
 * (phone, bank account, dates, amounts, a dependant's data): a column so
 * labelled is never reported as unread evidence. */
int labels_not_person_id(const char *s, size_t n);

/* Whether label text s[0..n) names another person than the row's: the
 * household head ("chủ hộ"), a dependant, a guardian, a relative, or in
 * parentheses a household member of the SI appendix ("(PL)").  Such a
 * label, or one with such a qualifier, feeds no field. */
bool labels_other_person(const char *s, size_t n);

#endif
