/*
 * run_files.h - what the tests of whole runs (test_run.c, test_explain.c)
 * share: the canonical tax and SI headers and writing a small input file.
 * Include after cmocka.h.
 */
#ifndef TEST_RUN_FILES_H
#define TEST_RUN_FILES_H

#include <stdio.h>
#include <stdlib.h>

#define HDR_TAX "employer_tax_id,employer_name,full_name,employee_tax_id,id_number," \
                "birth_date,tax_year,income_months,taxable_income,insurance_deduction," \
                "tax_withheld,schedule\n"
#define HDR_SI "employer_tax_id,unit_code,full_name,si_number,id_number,birth_date," \
               "salary,from_month,to_month,plan_code\n"

static inline void
put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A fresh folder TMPDIR/<name>.XXXXXX into root; 0 or -1. */
static inline int
make_root(char *root, size_t n, const char *name)
{
    const char *t = getenv("TMPDIR");

    snprintf(root, n, "%s/%s.XXXXXX", t && *t ? t : "/tmp", name);
    return mkdtemp(root) == NULL ? -1 : 0;
}

#endif
