/*
 * fields.h - the canonical fields of each kind of input (docs/inputs.md, "Fields") and the
 * kinds themselves.  Shared by header detection, loading and `check`.
 */
#ifndef SIRECON_FIELDS_H
#define SIRECON_FIELDS_H

typedef enum file_kind {
    KIND_TAX = 0,    /* PIT settlement list (05-1 / 05-2 or consolidated) */
    KIND_SI,         /* SI participation list (D02-LT, SI software export) */
    KIND_EMPLOYERS,  /* employer registry */
    KIND_IDENTITIES, /* crosswalk of a person's identifiers */
    KIND_COUNT
} file_kind;

typedef enum field_id {
    F_EMPLOYER_TAX_ID = 0,
    F_EMPLOYER_NAME,
    F_FULL_NAME,
    F_EMPLOYEE_TAX_ID,
    F_ID_NUMBER,
    F_BIRTH_DATE,
    F_TAX_YEAR,
    F_INCOME_MONTHS,
    F_TAXABLE_INCOME,
    F_INSURANCE_DEDUCTION,
    F_TAX_WITHHELD,
    F_SCHEDULE,
    F_NON_RESIDENT,
    F_UNIT_CODE,
    F_SI_NUMBER,
    F_SALARY,
    F_FROM_MONTH,
    F_TO_MONTH,
    F_PLAN_CODE,
    F_AREA,
    F_WAGE_REGION,
    F_ADDRESS,
    F_CMND,
    F_CHANGE_TYPE,     /* SI change reports: increase / decrease / adjustment */
    F_COUNT
} field_id;

/* "employer_tax_id", ... : the canonical English column name. */
const char *fields_name(field_id f);
/* "tax", "si", "employers", "identities". */
const char *fields_kind_name(file_kind k);
/* Parse a kind name; KIND_COUNT when unknown. */
file_kind fields_kind_from_name(const char *s);
/* Whether field f belongs to kind k at all. */
int fields_in_kind(file_kind k, field_id f);

/* Extra aliases from a profile: label (any spelling) for field of kind. */
struct alias_extra {
    file_kind kind;
    field_id field;
    const char *label;
};

#endif
