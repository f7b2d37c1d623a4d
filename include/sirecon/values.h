/*
 * values.h - dates, months and money from the text of a cell (docs/inputs.md, "Values and identifiers").
 *
 * Day-first dates; Excel serial numbers in date columns; months as month
 * indices (year*12 + month-1) so spans compare as integers; money in whole
 * VND with consistent grouping only.
 */
#ifndef SIRECON_VALUES_H
#define SIRECON_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum val_result {
    VAL_OK = 0,
    VAL_EMPTY,        /* blank cell (after trimming) */
    VAL_BAD,          /* not a value of this type */
    VAL_BAD_GROUPING, /* money: thousands separators inconsistent */
    VAL_NEGATIVE      /* money: a negative amount */
} val_result;

/* A date packed as yyyymmdd; mm and dd are 00 when only the year is known. */
typedef int32_t sdate;

/*
 * Parse a date: dd/mm/yyyy, d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd,
 * an Excel serial number (1..2958465, 1900 system, 60 = the fictitious
 * 29 Feb 1900), or a year alone (1900..2100).  Validates the calendar.
 * Also yyyy/mm/dd, a trailing time (" 00:00:00") and a serial or year
 * written "45658.0".  Serial 60 and 4-digit numbers outside 1900..2100 are
 * VAL_BAD (a 4-digit number is a year, never a serial of 1902-1927).
 * Day-first dates are limited to years 1900..2100.  *out is written only
 * on VAL_OK (true of every parser here).
 */
val_result values_date(const char *s, size_t n, sdate *out);

/* Parse a month: mm/yyyy, m/yyyy, mm-yyyy, mm.yyyy, yyyy-mm, yyyy/mm,
 * yyyymm, or a full date or Excel serial (its month), after an optional
 * "Tháng"/"T" ("Tháng 01/2025", "T1/2025"); a year alone is VAL_BAD.
 * *out = year*12 + (month-1). */
val_result values_month(const char *s, size_t n, int *out);

/*
 * Parse whole VND: "12.345.678", "12,345,678", "12 345 678" (also NBSP),
 * "12345678"; a trailing ",00"/".00" decimal part of zeros is accepted
 * ("12345678.00" -> 12345678) but other fractions round half up.  Groups must
 * be 3 digits after the first 1-3; mixing separators is VAL_BAD_GROUPING; a
 * leading '-' or parentheses is VAL_NEGATIVE.  A trailing "đ", "₫", "VND"
 * or "VNĐ" is ignored; a lone "-" (Excel's accounting zero) is 0; more than
 * 10^15 is VAL_BAD.
 */
val_result values_money(const char *s, size_t n, int64_t *out);

/* A month range in one cell ("01/2025 - 12/2025", "01/2025 đến 12/2025",
 * en dash): VAL_OK with both ends, VAL_BAD when the cell is not a range. */
val_result values_month_range(const char *s, size_t n, int *from, int *to);

/* Parse a small non-negative integer (months, counts): "12", "12.0". */
val_result values_int(const char *s, size_t n, int *out);

/* Trim white space from both ends of [*s, *s + *n): ASCII blanks and
 * controls, no-break, narrow no-break and thin spaces (the one trim every
 * stage uses). */
void values_trim(const char **s, size_t *n);
/* Bytes of the white space values_trim() removes that starts s[0..n), 0 when
 * s does not start with one. */
size_t values_space_len(const char *s, size_t n);

/* Format a month index as "yyyy-mm" (buf >= 8); "" when out of range
 * (negative, MONTH_OPEN). */
void values_month_str(int ym, char *buf);
/* Format a sdate as "yyyy-mm-dd", "yyyy" when only the year (buf >= 11);
 * "" for 0 or a value that is no date. */
void values_date_str(sdate d, char *buf);
/* Whole VND with thousands separated by sep: 4730000 -> "4,730,000"
 * (buf >= 32). */
void values_money_str(int64_t v, char sep, char *buf);

/* Change types of an SI change report (D02-LT "Tăng / Giảm / Điều chỉnh"). */
typedef enum values_change {
    CHANGE_NONE = 0, CHANGE_INCREASE, CHANGE_DECREASE, CHANGE_ADJUST, CHANGE_BAD
} values_change;

/*
 * values_change_word: the change type a text names: "Tăng", "Giảm", "Điều chỉnh" (also
 * "increase", "decrease", "adjustment"), after a section number ("I.",
 * "II -", "A)", "Phần 1:"); `cell` also takes the one-letter codes of a
 * change-type column ("T", "G", "ĐC").  Words after the first ("Tăng lao
 * động", "Giảm do nghỉ việc") do not matter.
 */
values_change values_change_word(const char *s, size_t n, bool cell);

#endif
