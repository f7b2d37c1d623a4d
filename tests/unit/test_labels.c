/*
 * test_labels.c - labels.c: column labels read by their meaning.  Labels
 * are written as clerks, payroll tools and English-speaking IT staff write
 * them; none of them is in the alias tables (header_aliases.c), so what passes here
 * passes by meaning.  The corpus test (tests/labels/) covers more.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "sirecon/labels.h"

/* header_aliases.c under -DTESTING: a label as a header cell alone is read (the
 * alias table, else by meaning); -1 none, F_COUNT known but no field. */
int header_alias_lookup(file_kind kind, const char *label);

#ifndef LABEL_CORPUS
#define LABEL_CORPUS "tests/labels/corpus.tsv"
#endif

#define N_OF(a) (sizeof(a) / sizeof *(a))
#define OTHER LABELS_OTHER
#define UNKNOWN LABELS_UNKNOWN

struct lcase {
    file_kind k;
    const char *label;
    int want;
};

static void
run(const struct lcase *c, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        int sc, got = labels_classify(c[i].k, c[i].label, strlen(c[i].label), &sc);
        if (got != c[i].want) {
            print_error("%s \"%s\": got %d, want %d\n", fields_kind_name(c[i].k),
                        c[i].label, got, c[i].want);
            bad++;
        }
    }
    assert_int_equal(bad, 0);
}

/* The head decides; qualifiers in parentheses or after "nếu"/"if" do not,
 * even when they name another field. */
static void
test_head_and_qualifiers(void **state)
{
    static const struct lcase c[] = {
        {KIND_TAX, "Số CCCD (nếu không có MST)", F_ID_NUMBER},
        {KIND_TAX, "Số CCCD nếu không có mã số thuế", F_ID_NUMBER},
        {KIND_TAX, "Mã số thuế (nếu có)", F_EMPLOYEE_TAX_ID},
        {KIND_TAX, "ID number (if no tax code)", F_ID_NUMBER},
        {KIND_TAX, "[09] Số CMND/CCCD/Hộ chiếu (trường hợp cá nhân chưa có MST)", F_ID_NUMBER},
        {KIND_TAX, "Số định danh cá nhân (CCCD gắn chip)", F_ID_NUMBER},
        {KIND_TAX, "Tổng TN chịu thuế trong năm", F_TAXABLE_INCOME},
        {KIND_SI, "Mức lương đóng BHXH", F_SALARY},
        {KIND_SI, "Mức tiền lương đóng BHXH (đồng/tháng)", F_SALARY},
    };
    (void)state;
    run(c, N_OF(c));
}

/* Whose tax code: the owner words decide, else the kind. */
static void
test_owner(void **state)
{
    static const struct lcase c[] = {
        {KIND_TAX, "MST của NLĐ", F_EMPLOYEE_TAX_ID},
        {KIND_TAX, "Mã số thuế người lao động (10 hoặc 12 số)", F_EMPLOYEE_TAX_ID},
        {KIND_TAX, "Mã số thuế của tổ chức trả thu nhập", F_EMPLOYER_TAX_ID},
        {KIND_TAX, "Mã số thuế (của đơn vị)", F_EMPLOYER_TAX_ID},
        {KIND_TAX, "company_tax_code", F_EMPLOYER_TAX_ID},
        {KIND_SI, "Mã số thuế", F_EMPLOYER_TAX_ID},
        {KIND_SI, "MST cá nhân", F_EMPLOYEE_TAX_ID},
        {KIND_SI, "Tên công ty", F_EMPLOYER_NAME},
        {KIND_TAX, "TÊN NGƯỜI LAO ĐỘNG", F_FULL_NAME},
        {KIND_IDENTITIES, "Số CMND", F_CMND},
        {KIND_IDENTITIES, "Số CMND/CCCD", F_ID_NUMBER},
        {KIND_IDENTITIES, "MST", F_EMPLOYEE_TAX_ID},
    };
    (void)state;
    run(c, N_OF(c));
}

/* English, snake_case, camelCase, no accents, upper case. */
static void
test_spellings(void **state)
{
    static const struct lcase c[] = {
        {KIND_TAX, "citizen_id", F_ID_NUMBER},
        {KIND_TAX, "citizenId", F_ID_NUMBER},
        {KIND_TAX, "period", F_TAX_YEAR},
        {KIND_SI, "salary_base", F_SALARY},
        {KIND_TAX, "gross_taxable_income", F_TAXABLE_INCOME},
        {KIND_TAX, "insurance_deducted", F_INSURANCE_DEDUCTION},
        {KIND_TAX, "pit_withheld", F_TAX_WITHHELD},
        {KIND_SI, "social_insurance_no", F_SI_NUMBER},
        {KIND_SI, "start_month", F_FROM_MONTH},
        {KIND_SI, "end_month", F_TO_MONTH},
        {KIND_TAX, "So CMND/CCCD", F_ID_NUMBER},
        {KIND_TAX, "HO TEN", F_FULL_NAME},
        {KIND_SI, "NGAY THANG NAM SINH", F_BIRTH_DATE},
        {KIND_TAX, "So thang co thu nhap", F_INCOME_MONTHS},
        {KIND_TAX, "Ky tinh thue", F_TAX_YEAR},
        {KIND_EMPLOYERS, "Địa chỉ", F_ADDRESS},
        {KIND_EMPLOYERS, "Vùng lương tối thiểu", F_WAGE_REGION},
        {KIND_TAX, "Số sổ BHXH", F_SI_NUMBER},
        {KIND_TAX, "SI Book No.", F_SI_NUMBER},
        {KIND_TAX, "ID Card No.", F_ID_NUMBER},
        {KIND_TAX, "Insurance (Employee)", F_INSURANCE_DEDUCTION},
        {KIND_TAX, "Company Tax Code", F_EMPLOYER_TAX_ID},
    };
    (void)state;
    run(c, N_OF(c));
}

/* Vetoes and known columns that feed no field. */
static void
test_vetoes_and_others(void **state)
{
    static const struct lcase c[] = {
        {KIND_TAX, "Thu nhập tính thuế", OTHER},
        {KIND_TAX, "TNCT được miễn giảm theo Hiệp định", UNKNOWN},
        {KIND_TAX, "Ngày cấp CCCD", OTHER},
        {KIND_TAX, "Nơi cấp", OTHER},
        {KIND_TAX, "MST người phụ thuộc", OTHER},
        {KIND_TAX, "Số điện thoại", OTHER},
        {KIND_TAX, "Tên ngân hàng", OTHER},
        {KIND_TAX, "Số tài khoản", OTHER},
        {KIND_TAX, "Loại giấy tờ", OTHER},
        {KIND_TAX, "Quỹ hưu trí tự nguyện được trừ", OTHER},
        {KIND_TAX, "Tổng số thuế phải nộp", OTHER},
        {KIND_SI, "Ngày bắt đầu HĐLĐ", OTHER},
        {KIND_SI, "Phụ cấp lương", OTHER},
        {KIND_TAX, "Đơn vị tiền: đồng", OTHER},
        {KIND_TAX, "Tên khách hàng", UNKNOWN},
        {KIND_TAX, "Doanh thu", UNKNOWN},
        {KIND_TAX, "", UNKNOWN},
        {KIND_COUNT, "Họ tên", UNKNOWN},
    };
    (void)state;
    run(c, N_OF(c));
}

/* Scores: a specific head is surer than a plain one; an unaccented copy of
 * the name is weak, so the accented column wins. */
static void
test_scores(void **state)
{
    int a, b, c;
    (void)state;
    assert_int_equal(labels_classify(KIND_SI, "Họ tên", strlen("Họ tên"), &a), F_FULL_NAME);
    assert_int_equal(labels_classify(KIND_SI, "Họ tên không dấu",
                                     strlen("Họ tên không dấu"), &b), F_FULL_NAME);
    assert_true(a > b);
    assert_int_equal(labels_classify(KIND_TAX, "Năm", strlen("Năm"), &c), F_TAX_YEAR);
    assert_int_equal(c, 2);
    assert_int_equal(labels_classify(KIND_TAX, "x", 1, NULL), UNKNOWN);
}

static void
test_not_person_id(void **state)
{
    (void)state;
    assert_true(labels_not_person_id("Số điện thoại", strlen("Số điện thoại")));
    assert_true(labels_not_person_id("STK ngân hàng", strlen("STK ngân hàng")));
    assert_false(labels_not_person_id("Mã nội bộ", strlen("Mã nội bộ")));
    assert_false(labels_not_person_id("Employee ID", strlen("Employee ID")));
    /* a generic word rules IDs out only when it starts the label */
    assert_true(labels_not_person_id("No.", strlen("No.")));
    assert_false(labels_not_person_id("SI Book No.", strlen("SI Book No.")));
    assert_true(labels_not_person_id("Type", strlen("Type")));
}

/* The label corpus (tests/labels/corpus.tsv): every row read as expected. */
static void
test_corpus(void **state)
{
    FILE *f = fopen(LABEL_CORPUS, "r");
    char line[1024];
    int rows = 0, bad = 0, none = 0;
    (void)state;
    assert_non_null(f);
    while (fgets(line, sizeof line, f) != NULL) {
        char *kind = line, *label, *want;
        int got, wf = -1;
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        label = strchr(kind, '\t');
        assert_non_null(label);
        *label++ = '\0';
        want = strchr(label, '\t');
        assert_non_null(want);
        *want++ = '\0';
        assert_int_not_equal(fields_kind_from_name(kind), KIND_COUNT);
        if (strcmp(want, "none") != 0) {
            for (int k = 0; k < F_COUNT; k++)
                if (strcmp(fields_name((field_id)k), want) == 0)
                    wf = k;
            if (wf < 0)
                fail_msg("corpus: unknown field \"%s\"", want);
        } else {
            none++;
        }
        got = header_alias_lookup(fields_kind_from_name(kind), label);
        if (got == F_COUNT)
            got = -1;
        if (got != wf) {
            print_error("corpus: %s | %s | want %s | got %s\n", kind, label, want,
                        got < 0 ? "none" : fields_name((field_id)got));
            bad++;
        }
        rows++;
    }
    fclose(f);
    printf("labels: %d corpus rows (%d that must feed no field), %d misread\n", rows, none,
           bad);
    assert_true(rows >= 150);
    assert_int_equal(bad, 0);
}


/* Diacritics carry meaning: a label written with them is read with them
 * ("Việt Nam" holds no "năm", "Số lượng" no "lương"); one typed without
 * them is read folded.  The long non-field labels of the official forms
 * (every "Trong đó …", the currency line, "Giới tính") feed no field. */
static void
test_diacritics_and_poison(void **state)
{
    static const struct lcase c[] = {
        {KIND_TAX, "Trong đó: TNCT từ phí mua BH nhân thọ, BH không bắt buộc khác của DN BH "
                   "không thành lập tại Việt Nam cho người lao động", OTHER},
        {KIND_TAX, "Trong đó: Số thuế từ phí mua BH nhân thọ, BH không bắt buộc khác của DN "
                   "BH không thành lập tại Việt Nam cho người lao động", OTHER},
        {KIND_TAX, "Trong đó: TNCT tại tổ chức trước khi điều chuyển (trường hợp có đánh dấu "
                   "vào chỉ tiêu [04] tại Tờ khai 05/QTT-TNCN)", OTHER},
        {KIND_TAX, "Trong đó: số thuế đã khấu trừ tại tổ chức trước khi điều chuyển", OTHER},
        {KIND_TAX, "Thu nhập chịu thuế (TNCT) Trong đó: thu nhập chịu thuế được miễn theo "
                   "Hiệp định", OTHER},
        {KIND_TAX, "Đơn vị tiền: Đồng Việt Nam", OTHER},
        {KIND_TAX, "Thu nhập tính thuế", OTHER},
        {KIND_SI, "Giới tính", OTHER},
        {KIND_TAX, "Quê quán Nam Định", OTHER},
        {KIND_TAX, "Năm", F_TAX_YEAR},
        {KIND_TAX, "Nam", F_TAX_YEAR},             /* typed without diacritics */
        {KIND_TAX, "Năm quyết toán", F_TAX_YEAR},
        {KIND_TAX, "Nam quyet toan", F_TAX_YEAR},
        {KIND_TAX, "NĂM QUYẾT TOÁN", F_TAX_YEAR},
        {KIND_SI, "Số lượng", UNKNOWN},            /* quantity, not "lương" (salary) */
        {KIND_SI, "Luong", F_SALARY},
        {KIND_SI, "Mức lương", F_SALARY},
        {KIND_SI, "Tự nguyện", UNKNOWN},           /* not "từ" (from) */
        {KIND_SI, "Từ tháng", F_FROM_MONTH},
        {KIND_SI, "Đến tháng", F_TO_MONTH},
        {KIND_SI, "Tên", F_FULL_NAME},
        {KIND_SI, "Tiền", UNKNOWN},
        /* old and new tone placement are one word */
        {KIND_SI, "Họ và tên", F_FULL_NAME},
        {KIND_TAX, "Kỳ tính thuế", F_TAX_YEAR},
        /* the SI software's field codes and English labels */
        {KIND_SI, "TenLoaiKhaiBao", F_CHANGE_TYPE},
        {KIND_SI, "Loại khai báo", F_CHANGE_TYPE},
        {KIND_SI, "Mã loại khai báo", OTHER},
        {KIND_SI, "MasoBHXH", F_SI_NUMBER},
        {KIND_TAX, "PIT code", F_EMPLOYEE_TAX_ID},
        /* another person's data: a household member of the SI appendix,
         * the household head, a guardian, a child */
        {KIND_SI, "Mã số BHXH (PL)", OTHER},
        {KIND_TAX, "Loại phụ lục", F_SCHEDULE}, /* the appendix, not a person */
        {KIND_SI, "Họ và tên (PL)", OTHER},
        {KIND_SI, "Số CMND/ CCCD/Hộ chiếu (chủ hộ)", OTHER},
        {KIND_SI, "Họ Tên chủ hộ", OTHER},
        {KIND_SI, "Họ tên người giám hộ", OTHER},
        {KIND_TAX, "Họ và tên con", OTHER},
        {KIND_SI, "Số CMND/ CCCD/Hộ chiếu", F_ID_NUMBER},
        {KIND_TAX, "Employee PIT code", F_EMPLOYEE_TAX_ID},
    };
    (void)state;
    run(c, N_OF(c));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_and_qualifiers),
        cmocka_unit_test(test_owner),
        cmocka_unit_test(test_spellings),
        cmocka_unit_test(test_vetoes_and_others),
        cmocka_unit_test(test_scores),
        cmocka_unit_test(test_not_person_id),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_diacritics_and_poison),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
