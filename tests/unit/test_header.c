/*
 * test_header.c - header detection on the layouts inspectors receive: the
 * canonical English header, 05-1 of Circular 80/2021 with its title block,
 * two-row header and column-number row, the older Circular 92/2015 layout,
 * 05-2, D02-LT with a title block, the SI software's export, accent-free
 * upper-case headers; the missing-column message; row classes; profile
 * aliases; kind guessing.  Tax codes are real ones (valid check digits), personal
 * IDs are made up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sirecon/header.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* Helpers of header_rows.c and header_aliases.c (src/header_int.h);
 * header_strip_suffix and the alias lookups are STATIC, visible with
 * -DTESTING. */
bool header_is_colnum_cell(const char *s, size_t n);
void header_strip_marker(const char **sp, size_t *np);
void header_strip_suffix(const char **sp, size_t *np);
size_t header_fold(const char *s, size_t n, char *out, size_t outsz);
int header_alias_lookup(file_kind kind, const char *label);
int header_alias_conflicts(file_kind kind);

/* ---- building rows from string arrays ---------------------------------- */

/* A row literal: R("STT", "Họ và tên"); NULL ends it. */
#define R(...) ((const char *const[]){__VA_ARGS__, NULL})

struct table {
    struct hrow *rows;
    size_t n;
};

/* Copy each cell into a buffer of exactly its size (no NUL), so that a read
 * past a cell shows under ASan.  Lines are 1-based, one per row. */
static struct table
table_make(const char *const *const *src, size_t n)
{
    struct table t;

    t.n = n;
    t.rows = calloc(n ? n : 1, sizeof *t.rows);
    assert_non_null(t.rows);
    for (size_t r = 0; r < n; r++) {
        size_t nc = 0;
        struct cellref *cells;
        while (src[r][nc] != NULL)
            nc++;
        cells = calloc(nc ? nc : 1, sizeof *cells);
        assert_non_null(cells);
        for (size_t c = 0; c < nc; c++) {
            size_t len = strlen(src[r][c]);
            char *p = malloc(len ? len : 1);
            assert_non_null(p);
            memcpy(p, src[r][c], len);
            cells[c].s = p;
            cells[c].n = len;
        }
        t.rows[r].cells = cells;
        t.rows[r].ncells = nc;
        t.rows[r].line = (long)r + 1;
    }
    return t;
}

static void
table_free(struct table *t)
{
    for (size_t r = 0; r < t->n; r++) {
        for (size_t c = 0; c < t->rows[r].ncells; c++)
            free((void *)t->rows[r].cells[c].s);
        free((void *)t->rows[r].cells);
    }
    free(t->rows);
}

#define TABLE(arr) table_make((arr), N_OF(arr))

/* One row on its own, for header_classify. */
static struct hrow *
row_make(const char *const *cells, struct table *keep)
{
    const char *const *one[1] = {cells};
    *keep = table_make(one, 1);
    return &keep->rows[0];
}

static void
detect_ok(file_kind kind, struct table *t, struct header_map *m)
{
    struct diag d;

    memset(&d, 0, sizeof d);
    sirecon_status st = header_detect(kind, t->rows, t->n, NULL, 0, "f.csv", m, &d);
    if (st != SIRECON_OK)
        print_error("unexpected failure: %s\n", d.msg);
    assert_int_equal(st, SIRECON_OK);
}

/* Expected column of each field; fields not listed must be -1. */
struct want {
    int field;
    int col;
    const char *label; /* NULL: not checked */
};

static void
check_cols(const struct header_map *m, const struct want *w, size_t n)
{
    int seen[F_COUNT] = {0};

    for (size_t i = 0; i < n; i++) {
        if (m->col[w[i].field] != w[i].col)
            print_error("field %s: col %d, want %d\n", fields_name((field_id)w[i].field),
                        m->col[w[i].field], w[i].col);
        assert_int_equal(m->col[w[i].field], w[i].col);
        if (w[i].label != NULL) {
            assert_non_null(m->label[w[i].field]);
            assert_string_equal(m->label[w[i].field], w[i].label);
        }
        seen[w[i].field] = 1;
    }
    for (int f = 0; f < F_COUNT; f++)
        if (!seen[f]) {
            if (m->col[f] != -1)
                print_error("field %s unexpectedly at col %d\n", fields_name((field_id)f),
                            m->col[f]);
            assert_int_equal(m->col[f], -1);
            assert_null(m->label[f]);
        }
}

static void
check_title(const struct header_map *m, int f, const char *v)
{
    if (v == NULL) {
        assert_null(m->title[f]);
        return;
    }
    assert_non_null(m->title[f]);
    assert_string_equal(m->title[f], v);
}

/* ---- cell helpers -------------------------------------------------------- */

static void
test_colnum_cells(void **state)
{
    static const struct {
        const char *s;
        bool yes;
    } cases[] = {
        {"[06]", true}, {"(1)", true}, {"1", true}, {"[15.1]", true}, {"(1a)", true},
        {"A", true}, {"b", true}, {" [07] ", true}, {"27", true}, {"( 3 )", true},
        {"", false}, {"Họ và tên", false}, {"AB", false}, {"[0100233488]", false},
        {"1.234.567", false}, {"(Ghi chú)", false}, {"[]", false}, {"1/2", false},
        {"Năm", false}, {"x1", false}, {"1.", true}, {"2)", true}, {"1.x", false},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        if (header_is_colnum_cell(cases[i].s, strlen(cases[i].s)) != cases[i].yes)
            print_error("case \"%s\"\n", cases[i].s);
        assert_int_equal(header_is_colnum_cell(cases[i].s, strlen(cases[i].s)),
                         cases[i].yes);
    }
}

static void
test_strip_marker(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"[07] Họ và tên", "Họ và tên"},
        {"(2) Họ và tên", "Họ và tên"},
        {"7. Họ và tên", "Họ và tên"},
        {"15.1. Thu nhập", "Thu nhập"},
        {"7.Họ và tên", "Họ và tên"},
        {"3) Mã số thuế", "Mã số thuế"},
        {"[15.1] Thu nhập", "Thu nhập"},
        {"[05] Mã số thuế", "Mã số thuế"},
        {"[05]Mã số thuế", "Mã số thuế"},
        {"(1a) Tên", "Tên"},
        {"Họ và tên (2)", "Họ và tên"},
        {"Mức lương (đồng)", "Mức lương"},
        {"Mức lương (VNĐ)", "Mức lương"},
        {"  Họ và tên  ", "Họ và tên"},
        {"[07]", ""},
        {"(1)", ""},
        {"2025", "2025"},
        {"1.5 triệu", "1.5 triệu"},
        {"(Ghi chú) x", "(Ghi chú) x"},
        {"Tổng thu nhập chịu thuế (TNCT)", "Tổng thu nhập chịu thuế (TNCT)"},
        {"Số CMND/CCCD/Hộ chiếu", "Số CMND/CCCD/Hộ chiếu"},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        const char *s = cases[i].in;
        size_t n = strlen(s);
        header_strip_marker(&s, &n);
        if (n != strlen(cases[i].out) || memcmp(s, cases[i].out, n) != 0)
            print_error("\"%s\" -> \"%.*s\"\n", cases[i].in, (int)n, s);
        assert_int_equal(n, strlen(cases[i].out));
        assert_memory_equal(s, cases[i].out, n);
    }
}

/* ---- the alias table ----------------------------------------------------- */

static void
test_alias_table(void **state)
{
    static const struct {
        file_kind k;
        const char *label;
        int field; /* -1 none, F_COUNT ignored */
    } cases[] = {
        /* canonical names */
        {KIND_TAX, "employer_tax_id", F_EMPLOYER_TAX_ID},
        {KIND_TAX, "full_name", F_FULL_NAME},
        {KIND_TAX, "taxable_income", F_TAXABLE_INCOME},
        {KIND_TAX, "Insurance_Deduction", F_INSURANCE_DEDUCTION},
        {KIND_SI, "si_number", F_SI_NUMBER},
        {KIND_SI, "from_month", F_FROM_MONTH},
        {KIND_EMPLOYERS, "wage_region", F_WAGE_REGION},
        {KIND_IDENTITIES, "cmnd", F_CMND},
        {KIND_TAX, "si_number", F_SI_NUMBER}, /* read when a tax list has it */
        /* 05-1 / 05-2 of Circular 80/2021 and 92/2015 */
        {KIND_TAX, "Họ và tên", F_FULL_NAME},
        {KIND_TAX, "[07] Họ và tên", F_FULL_NAME},
        {KIND_TAX, "(2) Họ và tên", F_FULL_NAME},
        {KIND_TAX, "Mã số thuế", F_EMPLOYEE_TAX_ID},
        {KIND_TAX, "[08] Mã số thuế", F_EMPLOYEE_TAX_ID},
        {KIND_TAX, "Số CMND/CCCD/Hộ chiếu", F_ID_NUMBER},
        {KIND_TAX, "Số CMND/Hộ chiếu", F_ID_NUMBER},
        {KIND_TAX, "Loại giấy tờ", F_COUNT},
        {KIND_TAX, "STT", F_COUNT},
        {KIND_TAX, "Tổng thu nhập chịu thuế", F_TAXABLE_INCOME},
        {KIND_TAX, "Thu nhập chịu thuế Tổng số", F_TAXABLE_INCOME},
        {KIND_TAX, "Bảo hiểm được trừ", F_INSURANCE_DEDUCTION},
        {KIND_TAX, "Các khoản bảo hiểm được trừ", F_INSURANCE_DEDUCTION},
        {KIND_TAX, "Số thuế TNCN đã khấu trừ", F_TAX_WITHHELD},
        {KIND_TAX, "Số thuế đã khấu trừ", F_TAX_WITHHELD},
        {KIND_TAX, "Cá nhân không cư trú", F_NON_RESIDENT},
        {KIND_TAX, "Số tháng", F_INCOME_MONTHS},
        {KIND_TAX, "Số tháng có thu nhập", F_INCOME_MONTHS},
        {KIND_TAX, "Ngày sinh", F_BIRTH_DATE},
        {KIND_TAX, "Năm quyết toán", F_TAX_YEAR},
        {KIND_TAX, "Năm", F_TAX_YEAR},
        {KIND_TAX, "Mã số thuế đơn vị", F_EMPLOYER_TAX_ID},
        {KIND_TAX, "MST đơn vị", F_EMPLOYER_TAX_ID},
        {KIND_TAX, "MST doanh nghiệp", F_EMPLOYER_TAX_ID},
        {KIND_TAX, "Mã số thuế tổ chức trả thu nhập", F_EMPLOYER_TAX_ID},
        {KIND_TAX, "Tên đơn vị", F_EMPLOYER_NAME},
        {KIND_TAX, "Tên doanh nghiệp", F_EMPLOYER_NAME},
        {KIND_TAX, "Tên tổ chức trả thu nhập", F_EMPLOYER_NAME},
        /* common variants */
        {KIND_TAX, "Ho ten", F_FULL_NAME},
        {KIND_TAX, "HO VA TEN", F_FULL_NAME},
        {KIND_TAX, "Tên NLĐ", F_FULL_NAME},
        {KIND_TAX, "MSTCN", F_EMPLOYEE_TAX_ID},
        {KIND_TAX, "CCCD", F_ID_NUMBER},
        {KIND_TAX, "ho_va_ten", F_FULL_NAME},
        /* exact, not substrings */
        {KIND_TAX, "Tổng số", -1},
        {KIND_TAX, "Họ và tên cha", F_COUNT}, /* known: another person's, no field */
        {KIND_TAX, "Mã số", -1},
        {KIND_TAX, "", -1},
        {KIND_TAX, "[07]", -1},
        /* SI: D02-LT and the SI software's export */
        {KIND_SI, "Họ và tên", F_FULL_NAME},
        {KIND_SI, "Mã số BHXH", F_SI_NUMBER},
        {KIND_SI, "MA SO BHXH", F_SI_NUMBER},
        {KIND_SI, "ma_so_bhxh", F_SI_NUMBER},
        {KIND_SI, "BHXH", F_SI_NUMBER},
        {KIND_SI, "Ngày tháng năm sinh", F_BIRTH_DATE},
        {KIND_SI, "Ngày sinh", F_BIRTH_DATE},
        {KIND_SI, "Số CCCD/CMND/Hộ chiếu", F_ID_NUMBER},
        {KIND_SI, "Hệ số/Mức lương", F_SALARY},
        {KIND_SI, "Mức lương", F_SALARY},
        {KIND_SI, "Tiền lương", F_SALARY},
        {KIND_SI, "Lương đóng BHXH", F_SALARY},
        {KIND_SI, "Mức lương (đồng)", F_SALARY},
        {KIND_SI, "Thời điểm bắt đầu đóng", F_FROM_MONTH},
        {KIND_SI, "Từ tháng", F_FROM_MONTH},
        {KIND_SI, "Tháng năm bắt đầu", F_FROM_MONTH},
        {KIND_SI, "Tháng/năm bắt đầu", F_FROM_MONTH},
        {KIND_SI, "Từ tháng năm", F_FROM_MONTH},
        {KIND_SI, "Thời điểm kết thúc đóng", F_TO_MONTH},
        {KIND_SI, "Đến tháng", F_TO_MONTH},
        {KIND_SI, "Tháng năm kết thúc", F_TO_MONTH},
        {KIND_SI, "Phương án", F_PLAN_CODE},
        {KIND_SI, "Mã đơn vị", F_UNIT_CODE},
        {KIND_SI, "Mã số thuế", F_EMPLOYER_TAX_ID}, /* the employer's in an SI file */
        {KIND_SI, "MST", F_EMPLOYER_TAX_ID},
        {KIND_SI, "Tên đơn vị", F_EMPLOYER_NAME},
        {KIND_SI, "Tổng thu nhập chịu thuế", -1},
        /* registry */
        {KIND_EMPLOYERS, "Mã số thuế", F_EMPLOYER_TAX_ID},
        {KIND_EMPLOYERS, "Tên đơn vị", F_EMPLOYER_NAME},
        {KIND_EMPLOYERS, "Mã đơn vị", F_UNIT_CODE},
        {KIND_EMPLOYERS, "Địa bàn", F_AREA},
        {KIND_EMPLOYERS, "Xã/Phường", F_AREA},
        {KIND_EMPLOYERS, "Huyện", F_AREA},
        {KIND_EMPLOYERS, "Khu vực", F_AREA},
        {KIND_EMPLOYERS, "Vùng", F_WAGE_REGION},
        {KIND_EMPLOYERS, "Vùng lương tối thiểu", F_WAGE_REGION},
        {KIND_EMPLOYERS, "Địa chỉ", F_ADDRESS},
        /* identities */
        {KIND_IDENTITIES, "Số CCCD", F_ID_NUMBER},
        {KIND_IDENTITIES, "Số định danh cá nhân", F_ID_NUMBER},
        {KIND_IDENTITIES, "Mã số thuế", F_EMPLOYEE_TAX_ID},
        {KIND_IDENTITIES, "MST cá nhân", F_EMPLOYEE_TAX_ID},
        {KIND_IDENTITIES, "Số CMND", F_CMND},
        {KIND_IDENTITIES, "Mã số BHXH", F_SI_NUMBER},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        int got = header_alias_lookup(cases[i].k, cases[i].label);
        if (got != cases[i].field)
            print_error("%s \"%s\": %d, want %d\n", fields_kind_name(cases[i].k),
                        cases[i].label, got, cases[i].field);
        assert_int_equal(got, cases[i].field);
    }
}

/* No folded label of a kind's table names two different fields. */
static void
test_alias_no_conflicts(void **state)
{
    (void)state;
    for (int k = 0; k < KIND_COUNT; k++)
        assert_int_equal(header_alias_conflicts((file_kind)k), 0);
}

/* ---- layouts ------------------------------------------------------------- */

static void
test_canonical_english(void **state)
{
    const char *const *const rows[] = {
        R("employer_tax_id", "employer_name", "full_name", "employee_tax_id", "id_number",
          "taxable_income", "insurance_deduction", "tax_withheld", "income_months", "tax_year"),
        R("0100233488", "Cong ty A", "Nguyễn Văn An", "8012345678", "", "250000000",
          "12000000", "5000000", "12", "2025"),
    };
    static const struct want w[] = {
        {F_EMPLOYER_TAX_ID, 0, "employer_tax_id"}, {F_EMPLOYER_NAME, 1, NULL},
        {F_FULL_NAME, 2, "full_name"}, {F_EMPLOYEE_TAX_ID, 3, NULL}, {F_ID_NUMBER, 4, NULL},
        {F_TAXABLE_INCOME, 5, NULL}, {F_INSURANCE_DEDUCTION, 6, NULL},
        {F_TAX_WITHHELD, 7, NULL}, {F_INCOME_MONTHS, 8, NULL}, {F_TAX_YEAR, 9, NULL},
    };
    struct table t = TABLE(rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.first, 0);
    assert_int_equal(m.last, 0);
    assert_int_equal(m.colnum_row, -1);
    assert_int_equal(m.ncols, 10);
    check_cols(&m, w, N_OF(w));
    assert_int_equal(m.schedule, 1); /* an insurance column: 05-1 */
    assert_null(m.form);
    for (int f = 0; f < F_COUNT; f++)
        assert_null(m.title[f]);
    assert_string_equal(m.header_cells[2], "full_name");
    header_map_free(&m);
    table_free(&t);
}

/* 05-1/BK-QTT-TNCN of Circular 80/2021 as Excel saves it. */
static const char *const *const tt80_rows[] = {
    R("", "", "", "", "", "", "", "", "", "", "Mẫu số: 05-1/BK-QTT-TNCN"),
    R("", "", "", "", "", "", "", "", "", "", "(Ban hành kèm theo Thông tư số 80/2021/TT-BTC)"),
    R("BẢNG KÊ CHI TIẾT CÁ NHÂN THUỘC DIỆN TÍNH THUẾ THEO BIỂU THUẾ LŨY TIẾN TỪNG PHẦN"),
    R("[01] Kỳ tính thuế: Năm 2025"),
    R("[04] Tên người nộp thuế: Công ty TNHH ABC"),
    R("[05] Mã số thuế: 0100233488"),
    R(""),
    R("", "", "", "", "", "", "", "", "", "", "", "", "Đơn vị tiền: Đồng Việt Nam"),
    R("STT", "Họ và tên", "Mã số thuế", "Loại giấy tờ", "Số CMND/CCCD/Hộ chiếu",
      "Thu nhập chịu thuế", "", "", "Các khoản giảm trừ", "", "", "Thu nhập tính thuế",
      "Số thuế TNCN đã khấu trừ"),
    R("", "", "", "", "", "Tổng số", "Trong đó: TNCT được miễn giảm theo Hiệp định",
      "Trong đó: TNCT làm căn cứ tính giảm thuế", "Giảm trừ gia cảnh",
      "Từ thiện, nhân đạo, khuyến học", "Bảo hiểm được trừ", "", ""),
    R("[06]", "[07]", "[08]", "[08a]", "[09]", "[12]", "[13]", "[14]", "[17]", "[18]",
      "[19]", "[21]", "[22]"),
    R("1", "Nguyễn Văn An", "8012345678", "", "", "250.000.000", "0", "0", "132.000.000",
      "0", "26.250.000", "91.750.000", "5.000.000"),
    R("2", "Trần Thị Bình", "", "CCCD", "034190000123", "180.000.000", "0", "0",
      "132.000.000", "0", "18.900.000", "29.100.000", "1.500.000"),
    R("", "", "", "", "", "", "", "", "", "", "", "", ""),
    R("", "Tổng cộng", "", "", "", "430.000.000", "0", "0", "264.000.000", "0",
      "45.150.000", "120.850.000", "6.500.000"),
};

static void
test_tt80_05_1(void **state)
{
    static const struct want w[] = {
        {F_FULL_NAME, 1, "Họ và tên"},
        {F_EMPLOYEE_TAX_ID, 2, "Mã số thuế"},
        {F_ID_NUMBER, 4, NULL},
        {F_TAXABLE_INCOME, 5, "Thu nhập chịu thuế Tổng số"},
        {F_INSURANCE_DEDUCTION, 10, "Bảo hiểm được trừ"},
        {F_TAX_WITHHELD, 12, NULL},
    };
    struct table t = TABLE(tt80_rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.first, 8);
    assert_int_equal(m.last, 9);
    assert_int_equal(m.colnum_row, 10);
    assert_int_equal(m.ncols, 13);
    check_cols(&m, w, N_OF(w));
    check_title(&m, F_EMPLOYER_TAX_ID, "0100233488");
    check_title(&m, F_EMPLOYER_NAME, "Công ty TNHH ABC");
    check_title(&m, F_TAX_YEAR, "2025");
    check_title(&m, F_UNIT_CODE, NULL); /* not a tax field */
    assert_int_equal(m.schedule, 1);
    assert_non_null(m.form);
    assert_string_equal(m.form, "05-1/BK-QTT-TNCN");
    assert_string_equal(m.header_cells[0], "STT");
    assert_string_equal(m.header_cells[6],
                        "Thu nhập chịu thuế Trong đó: TNCT được miễn giảm theo Hiệp định");
    assert_string_equal(m.header_cells[11], "Thu nhập tính thuế");
    header_map_free(&m);
    table_free(&t);
}

/* Circular 92/2015 layout: the title's values in the cell after the label, a
 * child row that adds no field (the parent "Thu nhập chịu thuế" matches on
 * its own) but still belongs to the header, "(1) (2) ..." numbers. */
static void
test_tt92_05_1(void **state)
{
    const char *const *const rows[] = {
        R("Mẫu số: 05-1/BK-QTT-TNCN"),
        R("(Ban hành kèm theo Thông tư số 92/2015/TT-BTC)"),
        R("[01] Kỳ tính thuế:", "Năm 2024"),
        R("[04] Tên người nộp thuế:", "", "Công ty Cổ phần XYZ"),
        R("[05] Mã số thuế", "0300588569"),
        R("STT", "Họ và tên", "Mã số thuế", "Số CMND/Hộ chiếu", "Cá nhân ủy quyền quyết toán thay",
          "Thu nhập chịu thuế", "", "Số lượng NPT tính giảm trừ", "Tổng số tiền giảm trừ gia cảnh",
          "Bảo hiểm được trừ", "Số thuế đã khấu trừ"),
        R("", "", "", "", "", "Tổng số", "Trong đó: TNCT được giảm thuế", "", "", "", ""),
        R("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)", "(10)", "(11)"),
        R("1", "Lê Văn Cường", "8001234567", "", "", "120000000", "0", "1", "79200000",
          "9450000", "1200000"),
    };
    static const struct want w[] = {
        {F_FULL_NAME, 1, NULL}, {F_EMPLOYEE_TAX_ID, 2, NULL}, {F_ID_NUMBER, 3, NULL},
        {F_TAXABLE_INCOME, 5, "Thu nhập chịu thuế Tổng số"},
        {F_INSURANCE_DEDUCTION, 9, NULL}, {F_TAX_WITHHELD, 10, NULL},
    };
    struct table t = TABLE(rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.first, 5);
    assert_int_equal(m.last, 6);
    assert_int_equal(m.colnum_row, 7);
    check_cols(&m, w, N_OF(w));
    check_title(&m, F_EMPLOYER_TAX_ID, "0300588569");
    check_title(&m, F_EMPLOYER_NAME, "Công ty Cổ phần XYZ");
    check_title(&m, F_TAX_YEAR, "2024");
    assert_int_equal(m.schedule, 1);
    header_map_free(&m);
    table_free(&t);
}

/* 05-2: from the form title, and from the header set alone. */
static void
test_05_2(void **state)
{
    const char *const *const titled[] = {
        R("Mẫu số: 05-2/BK-QTT-TNCN"),
        R("[01] Kỳ tính thuế: Năm 2025 (từ tháng 01/2025 đến tháng 12/2025)"),
        R("[04] Tên người nộp thuế: Công ty TNHH ABC [05] Mã số thuế: 0101248141"),
        R("[06] STT", "[07] Họ và tên", "[08] Mã số thuế", "[09] Số CMND/CCCD/Hộ chiếu",
          "[10] Cá nhân không cư trú", "[11] Tổng thu nhập chịu thuế",
          "[12] Trong đó: TNCT được miễn giảm theo Hiệp định",
          "[15] Số thuế TNCN đã khấu trừ"),
        R("1", "John Smith", "", "C1234567", "x", "60000000", "0", "12000000"),
    };
    const char *const *const bare[] = {
        R("STT", "Họ và tên", "Mã số thuế", "Số CMND/CCCD/Hộ chiếu", "Cá nhân không cư trú",
          "Tổng thu nhập chịu thuế", "Số thuế đã khấu trừ"),
    };
    static const struct want w[] = {
        {F_FULL_NAME, 1, "Họ và tên"}, {F_EMPLOYEE_TAX_ID, 2, NULL},
        {F_ID_NUMBER, 3, NULL}, {F_NON_RESIDENT, 4, NULL}, {F_TAXABLE_INCOME, 5, NULL},
        {F_TAX_WITHHELD, 6, NULL},
    };
    struct table t = TABLE(titled);
    struct header_map m;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.first, 3);
    assert_int_equal(m.last, 3);
    assert_int_equal(m.col[F_NON_RESIDENT], 4);
    assert_int_equal(m.col[F_TAX_WITHHELD], 7);
    assert_string_equal(m.label[F_FULL_NAME], "[07] Họ và tên");
    assert_int_equal(m.col[F_INSURANCE_DEDUCTION], -1);
    assert_int_equal(m.schedule, 2);
    assert_string_equal(m.form, "05-2/BK-QTT-TNCN");
    check_title(&m, F_EMPLOYER_NAME, "Công ty TNHH ABC");
    check_title(&m, F_EMPLOYER_TAX_ID, "0101248141");
    check_title(&m, F_TAX_YEAR, "2025");
    header_map_free(&m);
    table_free(&t);

    t = TABLE(bare);
    detect_ok(KIND_TAX, &t, &m);
    check_cols(&m, w, N_OF(w));
    assert_int_equal(m.schedule, 2);
    assert_null(m.form);
    header_map_free(&m);
    table_free(&t);
}

/* D02-LT: unit code and tax code in the title block, no employer column, a
 * "Tiền lương" group over "Hệ số/Mức lương". */
static const char *const *const d02_rows[] = {
    R("BẢO HIỂM XÃ HỘI VIỆT NAM", "", "", "", "", "", "", "", "", "", "Mẫu D02-LT"),
    R("DANH SÁCH LAO ĐỘNG THAM GIA BHXH, BHYT, BHTN, BHTNLĐ-BNN"),
    R("Số: 15/2025"),
    R("Tên đơn vị: Công ty TNHH ABC"),
    R("Mã đơn vị: TA1234", "", "", "", "", "Mã số thuế: 0100233488"),
    R("Địa chỉ: Xã Đông Hưng, tỉnh Hưng Yên"),
    R("STT", "Họ và tên", "Mã số BHXH", "Ngày tháng năm sinh", "Giới tính",
      "Số CCCD/CMND/Hộ chiếu", "Cấp bậc, chức vụ, chức danh nghề, điều kiện làm việc",
      "Tiền lương", "", "", "Thời điểm bắt đầu đóng", "Thời điểm kết thúc đóng", "Ghi chú"),
    R("", "", "", "", "", "", "", "Hệ số/Mức lương", "Phụ cấp", "Các khoản bổ sung", "", "", ""),
    R("(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(12)", "(13)", "(17)", "(25)", "(26)",
      "(27)"),
    R("1", "Phạm Thị Dung", "3412345678", "05/03/1990", "Nữ", "034190012345", "Kế toán",
      "6.500.000", "", "", "01/2024", "", ""),
    R("STT", "Họ và tên", "Mã số BHXH", "Ngày tháng năm sinh", "Giới tính",
      "Số CCCD/CMND/Hộ chiếu", "Cấp bậc, chức vụ, chức danh nghề, điều kiện làm việc",
      "Tiền lương", "", "", "Thời điểm bắt đầu đóng", "Thời điểm kết thúc đóng", "Ghi chú"),
    R("", "", "", "", "", "", "", "Hệ số/Mức lương", "Phụ cấp", "Các khoản bổ sung", "", "", ""),
};

static void
test_d02_lt(void **state)
{
    static const struct want w[] = {
        {F_FULL_NAME, 1, NULL}, {F_SI_NUMBER, 2, "Mã số BHXH"}, {F_BIRTH_DATE, 3, NULL},
        {F_ID_NUMBER, 5, NULL}, {F_SALARY, 7, "Hệ số/Mức lương"},
        {F_FROM_MONTH, 10, NULL}, {F_TO_MONTH, 11, NULL},
    };
    struct table t = TABLE(d02_rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_SI, &t, &m);
    assert_int_equal(m.first, 6);
    assert_int_equal(m.last, 7);
    assert_int_equal(m.colnum_row, 8);
    check_cols(&m, w, N_OF(w));
    check_title(&m, F_UNIT_CODE, "TA1234");
    check_title(&m, F_EMPLOYER_TAX_ID, "0100233488");
    check_title(&m, F_EMPLOYER_NAME, "Công ty TNHH ABC");
    check_title(&m, F_TAX_YEAR, NULL); /* not an SI field */
    assert_string_equal(m.form, "D02-LT");
    assert_int_equal(m.schedule, 0);
    assert_int_equal(header_classify(&m, &t.rows[8]), ROW_COLNUM);
    assert_int_equal(header_classify(&m, &t.rows[9]), ROW_DATA);
    assert_int_equal(header_classify(&m, &t.rows[10]), ROW_REPEAT);
    assert_int_equal(header_classify(&m, &t.rows[11]), ROW_REPEAT);
    header_map_free(&m);
    table_free(&t);
}

/* The SI software's export: one wide row, plan codes, months. */
static void
test_si_export(void **state)
{
    const char *const *const rows[] = {
        R("STT", "Họ tên", "Mã số BHXH", "Số CCCD", "Ngày sinh", "Giới tính", "Mã đơn vị",
          "MST", "Tên đơn vị", "Phương án", "Từ tháng", "Đến tháng", "Mức lương",
          "Hệ số", "PC chức vụ", "Tỷ lệ đóng", "Số tiền", "Ghi chú"),
        R("1", "Hoàng Văn Em", "0123456789", "001085001234", "1985", "Nam", "TA1234",
          "0100233488", "Công ty TNHH ABC", "TM", "01/2025", "", "7000000", "", "", "32",
          "2240000", ""),
    };
    static const struct want w[] = {
        {F_FULL_NAME, 1, "Họ tên"}, {F_SI_NUMBER, 2, NULL}, {F_ID_NUMBER, 3, NULL},
        {F_BIRTH_DATE, 4, NULL}, {F_UNIT_CODE, 6, NULL}, {F_EMPLOYER_TAX_ID, 7, NULL},
        {F_EMPLOYER_NAME, 8, NULL}, {F_PLAN_CODE, 9, NULL}, {F_FROM_MONTH, 10, NULL},
        {F_TO_MONTH, 11, NULL}, {F_SALARY, 12, NULL},
    };
    struct table t = TABLE(rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_SI, &t, &m);
    assert_int_equal(m.first, 0);
    assert_int_equal(m.last, 0);
    assert_int_equal(m.colnum_row, -1);
    check_cols(&m, w, N_OF(w));
    header_map_free(&m);
    table_free(&t);
}

/* Accent-free, upper-case, underscored and numbered spellings. */
static void
test_plain_spellings(void **state)
{
    const char *const *const si[] = {
        R("Danh sach lao dong"),
        R("TT", "HO VA TEN", "MA SO BHXH", "NGAY SINH", "SO CCCD", "TU THANG", "DEN THANG",
          "MUC LUONG"),
    };
    const char *const *const tax[] = {
        R("1. STT", "2. Ho va ten", "3. MA SO THUE", "4. so_cmnd_cccd_ho_chieu",
          "5. TONG THU NHAP CHIU THUE", "6. BAO HIEM DUOC TRU"),
    };
    struct table t = TABLE(si);
    struct header_map m;
    (void)state;

    detect_ok(KIND_SI, &t, &m);
    assert_int_equal(m.first, 1);
    assert_int_equal(m.col[F_FULL_NAME], 1);
    assert_int_equal(m.col[F_SI_NUMBER], 2);
    assert_int_equal(m.col[F_BIRTH_DATE], 3);
    assert_int_equal(m.col[F_ID_NUMBER], 4);
    assert_int_equal(m.col[F_FROM_MONTH], 5);
    assert_int_equal(m.col[F_TO_MONTH], 6);
    assert_int_equal(m.col[F_SALARY], 7);
    header_map_free(&m);
    table_free(&t);

    t = TABLE(tax);
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.col[F_FULL_NAME], 1);
    assert_int_equal(m.col[F_EMPLOYEE_TAX_ID], 2);
    assert_int_equal(m.col[F_ID_NUMBER], 3);
    assert_int_equal(m.col[F_TAXABLE_INCOME], 4);
    assert_int_equal(m.col[F_INSURANCE_DEDUCTION], 5);
    header_map_free(&m);
    table_free(&t);
}

/* Title-block variants: value cells after the label, digits one per box,
 * several labels in a cell, a lone "Năm 2025". */
static void
test_title_block(void **state)
{
    const char *const *const rows[] = {
        R("Năm 2023"),
        R("[05] Mã số thuế:", "0", "1", "", "0", "0", "2", "3", "3", "4", "8", "8"),
        R("Tên đơn vị:", "", "Công ty TNHH Một Thành Viên Hà Nội"),
        R("Họ và tên", "Mã số thuế", "Tổng thu nhập chịu thuế"),
    };
    const char *const *const si[] = {
        R("Tên đơn vị: Công ty A   Mã đơn vị: YN0001  MST: 0300588569"),
        R("Họ và tên", "Mã số BHXH", "Từ tháng"),
    };
    struct table t = TABLE(rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.first, 3);
    check_title(&m, F_TAX_YEAR, "2023");
    check_title(&m, F_EMPLOYER_TAX_ID, "0100233488");
    check_title(&m, F_EMPLOYER_NAME, "Công ty TNHH Một Thành Viên Hà Nội");
    assert_int_equal(m.schedule, 0);
    header_map_free(&m);
    table_free(&t);

    t = TABLE(si);
    detect_ok(KIND_SI, &t, &m);
    check_title(&m, F_EMPLOYER_NAME, "Công ty A");
    check_title(&m, F_UNIT_CODE, "YN0001");
    check_title(&m, F_EMPLOYER_TAX_ID, "0300588569");
    header_map_free(&m);
    table_free(&t);
}

/* The header is looked for in the first HEADER_SCAN_ROWS rows only. */
static void
test_scan_window(void **state)
{
    const char *const hdr[] = {"Họ và tên", "Mã số thuế", "Tổng thu nhập chịu thuế", NULL};
    const char *const filler[] = {"1", "Nguyễn Văn An", "0100233488", NULL};
    const char *const *src[HEADER_SCAN_ROWS + 2];
    struct table t;
    struct header_map m;
    struct diag d;
    (void)state;

    for (size_t i = 0; i < N_OF(src); i++)
        src[i] = filler;
    src[HEADER_SCAN_ROWS - 1] = hdr;
    t = table_make(src, N_OF(src));
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.first, HEADER_SCAN_ROWS - 1);
    header_map_free(&m);
    table_free(&t);

    src[HEADER_SCAN_ROWS - 1] = filler;
    src[HEADER_SCAN_ROWS] = hdr;
    t = table_make(src, N_OF(src));
    assert_int_equal(header_detect(KIND_TAX, t.rows, t.n, NULL, 0, "x.csv", &m, &d),
                     SIRECON_ERR_DATA);
    header_map_free(&m);
    table_free(&t);
}

/* A parent that is itself a field, over children that are not: the parent
 * alone names its own (first) column only. */
static void
test_parent_fallback(void **state)
{
    const char *const *const rows[] = {
        R("Họ và tên", "Mã số BHXH", "Số CMND/CCCD/Hộ chiếu", "", "", "Từ tháng"),
        R("", "", "Số", "Ngày cấp", "Nơi cấp", ""),
        R("Đỗ Thị Giang", "0123456789", "034190000125", "01/01/2020", "Thái Bình", "01/2025"),
    };
    static const struct want w[] = {
        {F_FULL_NAME, 0, "Họ và tên"}, {F_SI_NUMBER, 1, NULL},
        {F_ID_NUMBER, 2, "Số CMND/CCCD/Hộ chiếu"}, {F_FROM_MONTH, 5, NULL},
    };
    struct table t = TABLE(rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_SI, &t, &m);
    assert_int_equal(m.first, 0);
    assert_int_equal(m.last, 1);
    check_cols(&m, w, N_OF(w));
    assert_string_equal(m.header_cells[3], "Số CMND/CCCD/Hộ chiếu Ngày cấp");
    header_map_free(&m);
    table_free(&t);
}

/* Two columns for one field: the first keeps it, unless it matched through
 * a generic label ("Mã số thuế") and a later one is specific ("MST cá
 * nhân"); in a tax file the generic tax-code column is then the payer's. */
static void
test_duplicate_columns(void **state)
{
    const struct {
        const char *const *hdr;
        int name, emp, empr, id;
    } cases[] = {
        {R("Họ và tên", "Mã số thuế", "Tổng thu nhập chịu thuế", "Họ và tên", "Mã số thuế"),
         0, 1, -1, -1},
        {R("MST", "Tên đơn vị", "Họ và tên", "MST cá nhân", "Tổng thu nhập chịu thuế"),
         2, 3, 0, -1},
        {R("Mã số thuế", "Họ và tên", "MSTCN", "MST đơn vị", "Tổng thu nhập chịu thuế"),
         1, 2, 0, -1},
        {R("MST đơn vị", "Họ và tên", "Mã số thuế", "MST cá nhân", "Tổng thu nhập chịu thuế"),
         1, 3, 0, -1},
        {R("Họ và tên", "MST cá nhân", "Mã số thuế", "CCCD", "Tổng thu nhập chịu thuế"),
         0, 1, -1, 3},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        const char *const *one[1] = {cases[i].hdr};
        struct table t = table_make(one, 1);
        struct header_map m;
        detect_ok(KIND_TAX, &t, &m);
        assert_int_equal(m.col[F_FULL_NAME], cases[i].name);
        assert_int_equal(m.col[F_EMPLOYEE_TAX_ID], cases[i].emp);
        assert_int_equal(m.col[F_EMPLOYER_TAX_ID], cases[i].empr);
        assert_int_equal(m.col[F_ID_NUMBER], cases[i].id);
        header_map_free(&m);
        table_free(&t);
    }
}

/* ---- failures ------------------------------------------------------------ */

static void
test_missing_required(void **state)
{
    const struct {
        file_kind kind;
        const char *const *const *rows;
        size_t n;
        long line;
        const char *parts[3];
    } cases[] = {
        {KIND_TAX,
         (const char *const *const[]){R("Bảng kê"), R("STT", "Ho ten", "MST", "Ngay sinh")},
         2, 2,
         {"tax file: missing required column taxable_income (Tổng thu nhập chịu thuế); "
          "header cells seen: \"STT\", \"Ho ten\", \"MST\", \"Ngay sinh\"",
          NULL, NULL}},
        {KIND_TAX, (const char *const *const[]){R("STT", "Tên khách hàng", "Doanh thu")}, 1, 1,
         {"tax file: missing required columns full_name (Họ và tên), "
          "taxable_income (Tổng thu nhập chịu thuế), employee_tax_id (Mã số thuế) or "
          "id_number (Số CMND/CCCD/Hộ chiếu) or si_number (Mã số BHXH)",
          "\"Tên khách hàng\"", NULL}},
        {KIND_SI,
         (const char *const *const[]){R("Họ và tên", "Mã số BHXH", "Mức lương"),
                                      R("An", "0123456789", "5000000")},
         2, 1,
         {"si file: missing required column from_month (Từ tháng); header cells seen: "
          "\"Họ và tên\", \"Mã số BHXH\", \"Mức lương\"",
          NULL, NULL}},
        {KIND_IDENTITIES, (const char *const *const[]){R("Họ và tên", "Số CCCD", "Ghi chú")},
         1, 1,
         {"identities file: missing required columns at least 2 of id_number (Số CCCD), "
          "employee_tax_id (Mã số thuế), cmnd (Số CMND), si_number (Mã số BHXH)",
          NULL, NULL}},
        {KIND_EMPLOYERS, (const char *const *const[]){R("0100233488", "Công ty A")}, 1, 1,
         {"employers file: no header row found in the first 60 rows", NULL, NULL}},
        {KIND_TAX, (const char *const *const[]){R("")}, 0, 0,
         {"tax file: no header row found", NULL, NULL}},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct table t = table_make(cases[i].rows, cases[i].n);
        struct header_map m;
        struct diag d;
        memset(&d, 0, sizeof d);
        assert_int_equal(header_detect(cases[i].kind, t.rows, t.n, NULL, 0, "dir/in.csv",
                                       &m, &d),
                         SIRECON_ERR_DATA);
        assert_string_equal(d.file, "dir/in.csv");
        assert_int_equal(d.line, cases[i].line);
        if (getenv("SHOW_DIAG"))
            printf("%s:%ld: %s\n", d.file, d.line, d.msg);
        for (int k = 0; k < 3 && cases[i].parts[k]; k++) {
            if (strstr(d.msg, cases[i].parts[k]) == NULL)
                print_error("case %zu: \"%s\" lacks \"%s\"\n", i, d.msg, cases[i].parts[k]);
            assert_non_null(strstr(d.msg, cases[i].parts[k]));
        }
        assert_int_equal(m.first, -1);
        assert_int_equal(m.col[F_FULL_NAME], -1);
        header_map_free(&m);
        table_free(&t);
    }
}

/* A long header list is cut near 300 bytes, whole cells only. */
static void
test_missing_message_truncated(void **state)
{
    const char *cells[41];
    char buf[40][48];
    struct table t;
    struct header_map m;
    struct diag d;
    (void)state;

    for (int i = 0; i < 40; i++) {
        snprintf(buf[i], sizeof buf[i], "Cột thông tin số %d", i);
        cells[i] = buf[i];
    }
    cells[1] = "Họ và tên";
    cells[40] = NULL;
    const char *const *src[1] = {cells};
    t = table_make(src, 1);
    assert_int_equal(header_detect(KIND_TAX, t.rows, t.n, NULL, 0, "a.csv", &m, &d),
                     SIRECON_ERR_DATA);
    const char *seen = strstr(d.msg, "header cells seen: ");
    assert_non_null(seen);
    assert_true(strlen(seen) < 330);
    assert_non_null(strstr(seen, "\"Họ và tên\""));
    assert_non_null(strstr(seen, ", ..."));
    assert_null(strstr(seen, "số 39"));
    header_map_free(&m);
    table_free(&t);
}

/* ---- row classes --------------------------------------------------------- */

static void
test_classify(void **state)
{
    const struct {
        const char *const *cells;
        row_class want;
    } cases[] = {
        {R(""), ROW_BLANK},
        {R(" ", "", "\t", "\xc2\xa0"), ROW_BLANK},
        /* what a lookup or formula leaves in far columns below the data */
        {R("", "", "", "", "", "", "", "", "", "", "", "", "#N/A"), ROW_BLANK},
        {R("", "", "", "", "", "0", "", "", "", "", "", "-", "#REF!"), ROW_BLANK},
        {R("", "Nguyễn Văn An", "", "", "", "0"), ROW_DATA},
        {R("[06]", "[07]", "[08]", "[08a]", "[09]", "[12]", "[13]", "[14]", "[17]", "[18]",
           "[19]", "[21]", "[22]"), ROW_COLNUM},
        {R("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), ROW_COLNUM},
        {R("A", "B", "C", "D", "E", "F", "G"), ROW_COLNUM},
        {R("1", "", "", "", "", "", "", "", "", "", "", "", ""), ROW_DATA}, /* too few */
        /* the header again, each of its two rows */
        {R("STT", "Họ và tên", "Mã số thuế", "Loại giấy tờ", "Số CMND/CCCD/Hộ chiếu",
           "Thu nhập chịu thuế", "", "", "Các khoản giảm trừ", "", "", "Thu nhập tính thuế",
           "Số thuế TNCN đã khấu trừ"), ROW_REPEAT},
        {R("", "", "", "", "", "Tổng số", "x", "y", "z", "", "Bảo hiểm được trừ", "", ""),
         ROW_REPEAT},
        {R("", "HO VA TEN", "MA SO THUE", "", "SO CMND/CCCD/HO CHIEU", "THU NHAP CHIU THUE",
           "", "", "", "", "", "", "SO THUE TNCN DA KHAU TRU"), ROW_REPEAT},
        /* totals */
        {R("", "Tổng cộng", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("Tổng cộng", "", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("TỔNG CỘNG:", "", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("Cộng", "", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "Total", "", "", "", "430000000"), ROW_TOTAL},
        {R("", "", "", "", "", "430000000", "", "", "", "", "", "", "Tổng"), ROW_TOTAL},
        /* a total behind a number marker; a cell of digits alone is never one
         * (the per-row fast path of first_folded_byte) */
        {R("1. Tổng cộng", "", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("(1) Cộng", "", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("0300877271", "", "", "", "034190000125", "100000000"), ROW_DATA},
        {R("00", "", "", "", "", "430000000"), ROW_DATA},
        /* people whose names look like totals words are data when they have an ID */
        {R("3", "Tống", "8012345678", "", "", "100000000"), ROW_DATA},
        {R("4", "Tổng Văn Công", "", "", "034190000123", "100000000"), ROW_DATA},
        {R("5", "Công", "", "", "034190000124", "100000000"), ROW_DATA},
        {R("1", "Nguyễn Văn An", "8012345678", "", "", "250.000.000"), ROW_DATA},
        {R("2", "Nguyễn Văn An"), ROW_DATA},
    };
    struct table t = TABLE(tt80_rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct table one;
        struct hrow *row = row_make(cases[i].cells, &one);
        row_class got = header_classify(&m, row);
        if (got != cases[i].want)
            print_error("case %zu: %s, want %s\n", i, header_row_class_name(got),
                        header_row_class_name(cases[i].want));
        assert_int_equal(got, cases[i].want);
        table_free(&one);
    }
    /* and the rows of the sample file itself */
    assert_int_equal(header_classify(&m, &t.rows[10]), ROW_COLNUM);
    assert_int_equal(header_classify(&m, &t.rows[11]), ROW_DATA);
    assert_int_equal(header_classify(&m, &t.rows[12]), ROW_DATA);
    assert_int_equal(header_classify(&m, &t.rows[13]), ROW_BLANK);
    assert_int_equal(header_classify(&m, &t.rows[14]), ROW_TOTAL);
    header_map_free(&m);
    table_free(&t);
}

/* A consolidated file whose employer may be a "Tổng công ty". */
static void
test_classify_employer_name(void **state)
{
    const char *const *const rows[] = {
        R("Tên đơn vị", "MST đơn vị", "Họ và tên", "Mã số thuế", "Tổng thu nhập chịu thuế"),
    };
    struct table t = TABLE(rows), one;
    struct header_map m;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.col[F_EMPLOYER_NAME], 0);
    assert_int_equal(header_classify(&m, row_make(R("Tổng Công ty", "0100233488", "An",
                                                    "8012345678", "1"), &one)),
                     ROW_DATA);
    table_free(&one);
    assert_int_equal(header_classify(&m, row_make(R("Tổng cộng", "", "", "", "1"), &one)),
                     ROW_TOTAL);
    table_free(&one);
    assert_int_equal(header_classify(&m, row_make(R("Tên đơn vị", "MST đơn vị", "Họ và tên",
                                                    "Mã số thuế", "Tổng thu nhập chịu thuế"),
                                                  &one)),
                     ROW_REPEAT);
    table_free(&one);
    header_map_free(&m);
    table_free(&t);
}

static void
test_class_names(void **state)
{
    (void)state;
    assert_string_equal(header_row_class_name(ROW_DATA), "data");
    assert_string_equal(header_row_class_name(ROW_BLANK), "blank");
    assert_string_equal(header_row_class_name(ROW_COLNUM), "column_numbers");
    assert_string_equal(header_row_class_name(ROW_REPEAT), "repeated_header");
    assert_string_equal(header_row_class_name(ROW_TOTAL), "totals");
}

/* ---- profile aliases ----------------------------------------------------- */

static void
test_profile_aliases(void **state)
{
    const char *const *const rows[] = {
        R("STT", "Tên khách hàng", "Mã số thuế", "Doanh thu chịu thuế"),
    };
    static const struct alias_extra extra[] = {
        {KIND_TAX, F_FULL_NAME, "ten khach hang"},
        {KIND_TAX, F_TAXABLE_INCOME, "DOANH THU CHỊU THUẾ"},
        {KIND_SI, F_FULL_NAME, "STT"}, /* another kind: no effect on tax */
    };
    static const struct alias_extra remap[] = {
        /* a profile may override a built-in label */
        {KIND_TAX, F_EMPLOYER_TAX_ID, "Mã số thuế"},
    };
    const char *const *const rows2[] = {
        R("Họ và tên", "Mã số thuế", "Số CCCD", "Tổng thu nhập chịu thuế"),
    };
    struct table t = TABLE(rows);
    struct header_map m;
    struct diag d;
    (void)state;

    assert_int_equal(header_detect(KIND_TAX, t.rows, t.n, NULL, 0, "p.csv", &m, &d),
                     SIRECON_ERR_DATA);
    header_map_free(&m);
    assert_int_equal(header_detect(KIND_TAX, t.rows, t.n, extra, N_OF(extra), "p.csv", &m, &d),
                     SIRECON_OK);
    assert_int_equal(m.col[F_FULL_NAME], 1);
    assert_string_equal(m.label[F_FULL_NAME], "Tên khách hàng");
    assert_int_equal(m.col[F_EMPLOYEE_TAX_ID], 2);
    assert_int_equal(m.col[F_TAXABLE_INCOME], 3);
    header_map_free(&m);
    assert_int_equal(header_guess_kind(t.rows, t.n, extra, N_OF(extra)), KIND_TAX);
    table_free(&t);

    t = TABLE(rows2);
    assert_int_equal(header_detect(KIND_TAX, t.rows, t.n, remap, N_OF(remap), "p.csv", &m, &d),
                     SIRECON_OK);
    assert_int_equal(m.col[F_EMPLOYER_TAX_ID], 1);
    assert_int_equal(m.col[F_EMPLOYEE_TAX_ID], -1);
    assert_int_equal(m.col[F_ID_NUMBER], 2);
    header_map_free(&m);
    table_free(&t);
}

/* ---- kind guessing ------------------------------------------------------- */

static void
test_guess_kind(void **state)
{
    const struct {
        const char *const *const *rows;
        size_t n;
        file_kind want;
    } cases[] = {
        {(const char *const *const[]){R("employer_tax_id", "full_name", "employee_tax_id",
                                        "taxable_income")}, 1, KIND_TAX},
        {(const char *const *const[]){R("MST đơn vị", "Họ và tên", "Mã số thuế",
                                        "Tổng thu nhập chịu thuế")}, 1, KIND_TAX},
        {tt80_rows, N_OF(tt80_rows), KIND_TAX},
        {d02_rows, N_OF(d02_rows), KIND_SI},
        {(const char *const *const[]){R("Họ tên", "Mã số BHXH", "Từ tháng", "Đến tháng",
                                        "Mã số thuế")}, 1, KIND_SI},
        {(const char *const *const[]){R("Mã số thuế", "Tên đơn vị", "Địa bàn", "Vùng",
                                        "Địa chỉ")}, 1, KIND_EMPLOYERS},
        {(const char *const *const[]){R("Họ và tên", "Số CCCD", "Mã số thuế", "Số CMND",
                                        "Mã số BHXH")}, 1, KIND_IDENTITIES},
        {(const char *const *const[]){R("a", "b", "c"), R("1", "2", "3")}, 2, KIND_COUNT},
        {(const char *const *const[]){R("")}, 0, KIND_COUNT},
    };
    (void)state;
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct table t = table_make(cases[i].rows, cases[i].n);
        file_kind got = header_guess_kind(t.rows, t.n, NULL, 0);
        if (got != cases[i].want)
            print_error("case %zu: %d, want %d\n", i, got, cases[i].want);
        assert_int_equal(got, cases[i].want);
        table_free(&t);
    }
}

/* ---- odd input ----------------------------------------------------------- */

/* Duplicate columns keep the first; rows without cells; a header whose
 * parent carries the title's label must not match through it. */
static void
test_odd_rows(void **state)
{
    const char *const *const rows[] = {
        R("Mã số thuế", "", "", "", "0100233488"),
        R("STT", "Họ và tên", "Số CMND/CCCD/Hộ chiếu", "Tổng thu nhập chịu thuế", "Ghi chú tạm",
          "Họ và tên"),
        R("1", "An", "034190000123", "100", "", "An"),
    };
    struct table t = TABLE(rows);
    struct hrow empty[3];
    struct header_map m;
    struct diag d;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.first, 1);
    assert_int_equal(m.last, 1);
    assert_int_equal(m.col[F_FULL_NAME], 1);
    assert_int_equal(m.col[F_EMPLOYEE_TAX_ID], -1);
    check_title(&m, F_EMPLOYER_TAX_ID, "0100233488");
    header_map_free(&m);
    table_free(&t);

    memset(empty, 0, sizeof empty);
    assert_int_equal(header_detect(KIND_SI, empty, 3, NULL, 0, NULL, &m, &d), SIRECON_ERR_DATA);
    header_map_free(&m);
    header_map_free(&m); /* twice is harmless */
    assert_int_equal(header_classify(&m, &empty[0]), ROW_BLANK);
}

/* Random rows built from label fragments, markers, digits, colons and
 * invalid UTF-8: detection and classification never crash, and what they
 * return is consistent. */
static void
test_random_rows(void **state)
{
    static const char *const frag[] = {
        "", " ", "Họ và tên", "Mã số thuế", "[05]", "(1)", "1", "A", ":", "Tổng cộng",
        "Tổng thu nhập chịu thuế", "Số CMND/CCCD/Hộ chiếu", "0100233488", "Năm 2025",
        "Mã đơn vị: ", "\xff\xfe", "\xc3", "Từ tháng", "Mã số BHXH", "Thu nhập chịu thuế",
        "Tổng số", "[", "(", ")", "]", "\xc2\xa0", "Kỳ tính thuế:", "05-2/BK-QTT-TNCN",
    };
    unsigned long x = 12345;
    (void)state;

    for (int iter = 0; iter < 300; iter++) {
        const char *cells[12][9];
        char text[12][8][160];
        const char *const *src[12];
        size_t nr = 1 + (size_t)(iter % 12);
        for (size_t r = 0; r < nr; r++) {
            x = x * 6364136223846793005ul + 1442695040888963407ul;
            size_t nc = (size_t)(x >> 60) % 9;
            for (size_t c = 0; c < nc; c++) {
                text[r][c][0] = '\0';
                for (int k = 0; k < 3; k++) {
                    x = x * 6364136223846793005ul + 1442695040888963407ul;
                    strcat(text[r][c], frag[(x >> 33) % N_OF(frag)]);
                }
                cells[r][c] = text[r][c];
            }
            cells[r][nc] = NULL;
            src[r] = cells[r];
        }
        struct table t = table_make(src, nr);
        for (int k = 0; k < KIND_COUNT; k++) {
            struct header_map m;
            struct diag d;
            sirecon_status st = header_detect((file_kind)k, t.rows, t.n, NULL, 0, "r", &m, &d);
            assert_true(st == SIRECON_OK || st == SIRECON_ERR_DATA);
            if (st == SIRECON_OK) {
                assert_true(m.first >= 0 && m.first <= m.last && m.last < (int)t.n);
                assert_true(m.last - m.first < HEADER_MAX_SPAN);
                for (int f = 0; f < F_COUNT; f++)
                    assert_true(m.col[f] < m.ncols && (m.col[f] < 0) == (m.label[f] == NULL));
            } else {
                assert_true(strlen(d.msg) > 0);
            }
            for (size_t r = 0; r < t.n; r++) {
                struct header_map v;
                header_row_class_name(header_classify(&m, &t.rows[r]));
                memset(&v, 0, sizeof v);
                if (!header_title_row((file_kind)k, &t.rows[r], &v)) {
                    for (int f = 0; f < F_COUNT; f++)
                        assert_null(v.title[f]);
                    assert_int_equal(v.schedule, 0);
                }
                header_map_free(&v);
            }
            header_map_free(&m);
        }
        header_guess_kind(t.rows, t.n, NULL, 0);
        table_free(&t);
    }
}

/* ---- totals phrases, title schedules, label suffixes, later title rows --- */

/* Totals labels longer than one word, told from people by their diacritics
 * (item: totals that became fake employees). */
static void
test_classify_total_phrases(void **state)
{
    const struct {
        const char *const *cells;
        row_class want;
    } cases[] = {
        /* in the name column, no ID */
        {R("", "Tổng cộng (I+II)", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "TỔNG CỘNG TOÀN ĐƠN VỊ", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "Tổng cộng (20 người)", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "Tổng cộng cả năm", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "Cộng I", "", "", "", "250.000.000"), ROW_TOTAL},
        {R("", "Cộng II", "", "", "", "180.000.000"), ROW_TOTAL},
        {R("", "CỘNG II:", "", "", "", "180.000.000"), ROW_TOTAL},
        {R("", "Cộng lũy kế", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "Cộng luỹ kế", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "Cộng phát sinh trong kỳ", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "Tổng số người: 20", "", "", "", ""), ROW_TOTAL},
        /* in the STT column, or another early column */
        {R("Tổng cộng (I+II)", "", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("", "", "", "Tổng cộng (I+II)", "", "430.000.000"), ROW_TOTAL},
        {R("", "", "", "", "", "", "", "", "", "", "", "", "Tổng cộng (I+II)"), ROW_TOTAL},
        /* decomposed (NFD) text, as some Mac exports write it */
        {R("", "To\xcc\x82\xcc\x89ng co\xcc\xa3\xcc\x82ng (I+II)", "", "", "", "1"), ROW_TOTAL},
        /* accent-free exports */
        {R("", "TONG CONG TOAN DON VI", "", "", "", "430000000"), ROW_TOTAL},
        {R("", "Tong cong (I+II)", "", "", "", "430000000"), ROW_TOTAL},
        {R("", "Tong cong ca nam", "", "", "", "430000000"), ROW_TOTAL},
        {R("", "tong so nguoi: 20", "", "", "", ""), ROW_TOTAL},
        {R("Cong II", "", "", "", "", "180000000"), ROW_TOTAL},
        {R("", "CONG 2", "", "", "", "180000000"), ROW_TOTAL},
        {R("", "Cong luy ke", "", "", "", "430000000"), ROW_TOTAL},
        /* people and companies with an ID are data wherever the words sit */
        {R("3", "Công Phượng", "8012345678", "", "", "100000000"), ROW_DATA},
        {R("3", "Tống Văn Sơn", "8012345678", "", "", "100000000"), ROW_DATA},
        {R("3", "Nguyễn Văn Bảy", "8012345678", "Cộng tác viên", "", "100000000"), ROW_DATA},
        {R("Cộng tác viên", "Nguyễn Văn Bảy", "", "", "034190000125", "1"), ROW_DATA},
        {R("3", "Tổng cộng (I+II)", "8012345678", "", "", "100000000"), ROW_DATA},
        /* and without one, the diacritics still tell them apart */
        {R("3", "Công Phượng", "", "", "", "100000000"), ROW_DATA},
        {R("3", "Tống Văn Sơn", "", "", "", "100000000"), ROW_DATA},
        {R("3", "Tống Công Sơn", "", "", "", "100000000"), ROW_DATA},
        {R("3", "Cộng tác viên", "", "", "", "100000000"), ROW_DATA},
        {R("3", "Tổng Văn Cộng", "", "", "", "100000000"), ROW_DATA},
        {R("3", "Tong Cong Son", "", "", "", "100000000"), ROW_DATA},
        {R("3", "Cong Phuong", "", "", "", "100000000"), ROW_DATA},
        {R("3", "Cong Vi", "", "", "", "100000000"), ROW_DATA},
        {R("Tong cong ty ABC", "Le Van Ba", "", "", "", "100000000"), ROW_DATA},
        /* the existing single words */
        {R("", "Tổng cộng", "", "", "", "430.000.000"), ROW_TOTAL},
        {R("Cộng", "", "", "", "", "430.000.000"), ROW_TOTAL},
    };
    struct table t = TABLE(tt80_rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_TAX, &t, &m);
    for (size_t i = 0; i < N_OF(cases); i++) {
        struct table one;
        struct hrow *row = row_make(cases[i].cells, &one);
        row_class got = header_classify(&m, row);
        if (got != cases[i].want)
            print_error("case %zu: %s, want %s\n", i, header_row_class_name(got),
                        header_row_class_name(cases[i].want));
        assert_int_equal(got, cases[i].want);
        table_free(&one);
    }
    header_map_free(&m);
    table_free(&t);
}

/* A 05-x appendix whose form code is missing: the title names the schedule;
 * a form code, where there is one, wins. */
static void
test_title_schedule(void **state)
{
    static const char *const hdr[] = {"STT", "Họ và tên", "Mã số thuế", "Số CMND/CCCD/Hộ chiếu",
                                      "Tổng thu nhập chịu thuế", "Số thuế đã khấu trừ", NULL};
    static const char *const t92_2[] = {
        "BẢNG KÊ CHI TIẾT CÁ NHÂN THUỘC DIỆN TÍNH THUẾ THEO THUẾ SUẤT TOÀN PHẦN", NULL};
    static const char *const t80_2[] = {
        "", "BẢNG KÊ THU NHẬP CHỊU THUẾ VÀ THUẾ THU NHẬP CÁ NHÂN ĐÃ KHẤU TRỪ ĐỐI VỚI THU "
        "NHẬP TỪ TIỀN LƯƠNG, TIỀN CÔNG CỦA CÁ NHÂN KHÔNG KÝ HỢP ĐỒNG LAO ĐỘNG HOẶC KÝ HỢP "
        "ĐỒNG LAO ĐỘNG DƯỚI 03 THÁNG", NULL};
    static const char *const short_2[] = {"Bảng kê hợp đồng lao động dưới 03 tháng", NULL};
    static const char *const nonres[] = {"Danh sách cá nhân không cư trú", NULL};
    static const char *const t_1[] = {
        "BẢNG KÊ CHI TIẾT CÁ NHÂN THUỘC DIỆN TÍNH THUẾ THEO BIỂU THUẾ LŨY TIẾN TỪNG PHẦN",
        NULL};
    static const char *const code1[] = {"Mẫu số: 05-1/BK-QTT-TNCN", NULL};
    static const char *const year[] = {"[01] Kỳ tính thuế: Năm 2024", NULL};
    const struct {
        const char *const *rows[4];
        int sched;
    } cases[] = {
        {{t92_2, year, hdr, NULL}, 2},
        {{t80_2, hdr, NULL, NULL}, 2},
        {{short_2, hdr, NULL, NULL}, 2},
        {{nonres, hdr, NULL, NULL}, 2},
        {{t_1, year, hdr, NULL}, 1},
        {{code1, t92_2, hdr, NULL}, 1},  /* the form code wins */
        {{t92_2, code1, hdr, NULL}, 1},  /* wherever it stands */
        {{nonres, t_1, hdr, NULL}, 1},   /* the rate beats the hint */
        {{year, hdr, NULL, NULL}, 0},
    };
    (void)state;

    for (size_t i = 0; i < N_OF(cases); i++) {
        size_t n = 0;
        while (n < 4 && cases[i].rows[n] != NULL)
            n++;
        struct table t = table_make(cases[i].rows, n);
        struct header_map m;
        detect_ok(KIND_TAX, &t, &m);
        if (m.schedule != cases[i].sched)
            print_error("case %zu: schedule %d, want %d\n", i, m.schedule, cases[i].sched);
        assert_int_equal(m.schedule, cases[i].sched);
        assert_int_equal(m.col[F_TAXABLE_INCOME], 4);
        header_map_free(&m);
        table_free(&t);
    }
}

/* A parent label with a parenthesized abbreviation or unit over "Tổng số". */
static void
test_label_suffix(void **state)
{
    static const struct {
        const char *in, *out;
    } strip[] = {
        {"Thu nhập chịu thuế (TNCT)", "Thu nhập chịu thuế"},
        {"Tổng thu nhập chịu thuế (TNCT)", "Tổng thu nhập chịu thuế"},
        {"Mức lương (nghìn đồng)", "Mức lương"},
        {"Tên [NLĐ]", "Tên"},
        {"Số thuế (15) ", "Số thuế"},
        {"(TNCT)", "(TNCT)"},                      /* the whole label */
        {"  (VNĐ)  ", "(VNĐ)"},
        {"Tổng ()", "Tổng ()"},                    /* nothing inside */
        {"Ghi chú (ghi rõ lý do nghỉ việc)", "Ghi chú (ghi rõ lý do nghỉ việc)"},
        {"A (b (c))", "A (b (c))"},
        {"A (b)c", "A (b)c"},
    };
    static const struct {
        file_kind k;
        const char *label;
        int field;
    } alias[] = {
        {KIND_TAX, "Thu nhập chịu thuế (TNCT)", F_TAXABLE_INCOME},
        {KIND_TAX, "Số thuế TNCN đã khấu trừ (đồng)", F_TAX_WITHHELD},
        {KIND_TAX, "Họ và tên (NLĐ)", F_FULL_NAME},
        {KIND_TAX, "Bảo hiểm được trừ (BHXH, BHYT)", F_INSURANCE_DEDUCTION},
        {KIND_TAX, "Mã số thuế (đơn vị)", F_EMPLOYER_TAX_ID}, /* the full label first */
        {KIND_TAX, "Mã số thuế (MST)", F_EMPLOYEE_TAX_ID},
        {KIND_TAX, "(NLĐ)", -1},
        {KIND_SI, "Mức lương (VNĐ)", F_SALARY},
        {KIND_SI, "Mã số BHXH (10 số)", F_SI_NUMBER},
    };
    const char *const *const rows[] = {
        R("[05] Mã số thuế (MST): 0300588569"),
        R("STT", "Họ và tên", "Mã số thuế", "Thu nhập chịu thuế (TNCT)", "",
          "Số thuế TNCN đã khấu trừ (đồng)"),
        R("", "", "", "Tổng số", "Trong đó: TNCT được miễn giảm", ""),
        R("1", "Nguyễn Văn An", "8012345678", "250.000.000", "0", "5.000.000"),
    };
    static const struct want w[] = {
        {F_FULL_NAME, 1, NULL}, {F_EMPLOYEE_TAX_ID, 2, NULL},
        {F_TAXABLE_INCOME, 3, "Thu nhập chịu thuế (TNCT) Tổng số"},
        {F_TAX_WITHHELD, 5, "Số thuế TNCN đã khấu trừ (đồng)"},
    };
    struct table t = TABLE(rows), one;
    struct header_map m;
    (void)state;

    for (size_t i = 0; i < N_OF(strip); i++) {
        const char *s = strip[i].in;
        size_t n = strlen(s);
        header_strip_suffix(&s, &n);
        if (n != strlen(strip[i].out) || memcmp(s, strip[i].out, n) != 0)
            print_error("\"%s\" -> \"%.*s\"\n", strip[i].in, (int)n, s);
        assert_int_equal(n, strlen(strip[i].out));
        assert_memory_equal(s, strip[i].out, n);
    }
    for (size_t i = 0; i < N_OF(alias); i++) {
        int got = header_alias_lookup(alias[i].k, alias[i].label);
        if (got != alias[i].field)
            print_error("\"%s\": %d, want %d\n", alias[i].label, got, alias[i].field);
        assert_int_equal(got, alias[i].field);
    }

    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.first, 1);
    assert_int_equal(m.last, 2);
    check_cols(&m, w, N_OF(w));
    check_title(&m, F_EMPLOYER_TAX_ID, "0300588569");
    assert_int_equal(header_classify(&m, &t.rows[3]), ROW_DATA);
    assert_int_equal(header_classify(&m, row_make(rows[1], &one)), ROW_REPEAT);
    table_free(&one);
    header_map_free(&m);
    table_free(&t);

    /* "Tổng thu nhập chịu thuế (TNCT)" over "Tổng số" alone: the parent */
    const char *const *const rows2[] = {
        R("Họ và tên", "Mã số thuế", "Tổng thu nhập chịu thuế (TNCT)", ""),
        R("", "", "Tổng số", "Trong đó: TNCT được miễn giảm"),
    };
    t = TABLE(rows2);
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.col[F_TAXABLE_INCOME], 2);
    header_map_free(&m);
    table_free(&t);
}

/* One title line after the header, as a concatenated export repeats it. */
static void
test_title_row(void **state)
{
    const struct {
        file_kind kind;
        const char *const *cells;
        bool found;
        int field;        /* the title value expected, F_COUNT none */
        const char *value;
        int sched;
        const char *form;
    } cases[] = {
        {KIND_TAX, R("[05] Mã số thuế: 0300588569"), true, F_EMPLOYER_TAX_ID, "0300588569",
         0, NULL},
        {KIND_TAX, R("Kỳ tính thuế: Năm 2024"), true, F_TAX_YEAR, "2024", 0, NULL},
        {KIND_TAX, R("", "", "", "Mẫu số: 05-2/BK-QTT-TNCN"), true, F_COUNT, NULL, 2,
         "05-2/BK-QTT-TNCN"},
        {KIND_TAX, R("[04] Tên người nộp thuế:", "", "Công ty Cổ phần XYZ"), true,
         F_EMPLOYER_NAME, "Công ty Cổ phần XYZ", 0, NULL},
        {KIND_TAX, R("[05] Mã số thuế", "0300588569"), true, F_EMPLOYER_TAX_ID, "0300588569",
         0, NULL},
        {KIND_TAX, R("[05] Mã số thuế:", "0", "3", "0", "0", "5", "8", "8", "5", "6", "9"),
         true, F_EMPLOYER_TAX_ID, "0300588569", 0, NULL},
        {KIND_TAX, R("BẢNG KÊ CHI TIẾT CÁ NHÂN THUỘC DIỆN TÍNH THUẾ THEO THUẾ SUẤT TOÀN PHẦN"),
         true, F_COUNT, NULL, 2, NULL},
        {KIND_TAX, R("BẢNG KÊ ... THEO BIỂU THUẾ LŨY TIẾN TỪNG PHẦN"), true, F_COUNT, NULL, 1,
         NULL},
        {KIND_SI, R("Mã đơn vị: TA1234", "", "Mã số thuế: 0100233488"), true, F_UNIT_CODE,
         "TA1234", 0, NULL},
        {KIND_TAX, R("Mã đơn vị: TA1234"), false, F_COUNT, NULL, 0, NULL}, /* not a tax field */
        /* data-like rows */
        {KIND_TAX, R("1", "Nguyễn Văn An", "8012345678", "", "", "250.000.000"), false, F_COUNT,
         NULL, 0, NULL},
        {KIND_TAX, R("1", "Nguyễn Văn An", "8012345678", "", "034190000123", "250.000.000",
                     "0", "0", "132.000.000", "5.000.000"), false, F_COUNT, NULL, 0, NULL},
        {KIND_SI, R("1", "Phạm Thị Dung", "3412345678", "05/03/1990", "Nữ", "034190012345",
                    "6.500.000", "01/2024"), false, F_COUNT, NULL, 0, NULL},
        {KIND_TAX, R("STT", "Họ và tên", "Mã số thuế", "Loại giấy tờ", "Số CMND/CCCD/Hộ chiếu",
                     "Tổng thu nhập chịu thuế"), false, F_COUNT, NULL, 0, NULL},
        {KIND_TAX, R("", " ", ""), false, F_COUNT, NULL, 0, NULL},
        {KIND_TAX, R("Tổng cộng (I+II)", "", "430.000.000"), false, F_COUNT, NULL, 0, NULL},
    };
    (void)state;

    for (size_t i = 0; i < N_OF(cases); i++) {
        struct table one;
        struct hrow *row = row_make(cases[i].cells, &one);
        struct header_map v;
        memset(&v, 0, sizeof v);
        bool got = header_title_row(cases[i].kind, row, &v);
        if (got != cases[i].found)
            print_error("case %zu: %d, want %d\n", i, got, cases[i].found);
        assert_int_equal(got, cases[i].found);
        for (int f = 0; f < F_COUNT; f++)
            if (f == cases[i].field)
                check_title(&v, f, cases[i].value);
            else if (!(cases[i].kind == KIND_SI && f == F_EMPLOYER_TAX_ID))
                assert_null(v.title[f]);
        assert_int_equal(v.schedule, cases[i].sched);
        if (cases[i].form == NULL)
            assert_null(v.form);
        else
            assert_string_equal(v.form, cases[i].form);
        header_map_free(&v);
        table_free(&one);
    }
    assert_false(header_title_row(KIND_TAX, NULL, NULL));

    /* several rows into one map: what is there stays */
    {
        struct table a, b;
        struct header_map v;
        memset(&v, 0, sizeof v);
        assert_true(header_title_row(KIND_TAX, row_make(R("Mã số thuế: 0300588569"), &a), &v));
        assert_false(header_title_row(KIND_TAX, row_make(R("Mã số thuế: 0100233488"), &b), &v));
        check_title(&v, F_EMPLOYER_TAX_ID, "0300588569");
        header_map_free(&v);
        table_free(&a);
        table_free(&b);
    }
}


/* ---- meaning and content (labels.c + the content pass) ----------------- */

/* Labels no alias knows are read by meaning and shown so. */
static void
test_meaning_columns(void **state)
{
    const char *const *const src[] = {
        R("STT", "Tên người lao động (ghi đầy đủ)", "Số CCCD (nếu không có MST)",
          "MST của NLĐ", "Tổng TN chịu thuế trong năm", "Số điện thoại"),
        R("1", "Nguyễn Văn An", "034085001111", "8012345675", "120000000", "0912345678"),
        R("2", "Trần Thị Bình", "034190002222", "", "96000000", "0987654321"),
    };
    struct table t = TABLE(src);
    struct header_map m;
    (void)state;
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.col[F_FULL_NAME], 1);
    assert_int_equal(m.col[F_ID_NUMBER], 2);
    assert_int_equal(m.how[F_ID_NUMBER], HOW_MEANING);
    assert_int_equal(m.col[F_EMPLOYEE_TAX_ID], 3);
    assert_int_equal(m.col[F_TAXABLE_INCOME], 4);
    assert_int_equal(m.col[F_EMPLOYER_TAX_ID], -1);
    assert_int_equal(m.nunread, 0); /* the phone column is no ID */
    header_map_free(&m);
    table_free(&t);
}

/* An ID column nobody labelled is found by its content, only when the
 * content is unmistakable. */
static void
test_content_mapping(void **state)
{
    const char *const *const pids[] = {
        R("Họ và tên", "Hồ sơ", "Thu nhập chịu thuế"),
        R("Nguyễn Văn An", "034085001111", "120000000"),
        R("Trần Thị Bình", "34190002222", "96000000"),
        R("Lê Văn Cường", "001088003333", "84000000"),
    };
    const char *const *const amounts[] = {
        R("Họ và tên", "Hồ sơ", "Thu nhập chịu thuế"),
        R("Nguyễn Văn An", "120000000", "120000000"),
        R("Trần Thị Bình", "96000000", "96000000"),
        R("Lê Văn Cường", "84000000", "84000000"),
    };
    struct table t = TABLE(pids), u = TABLE(amounts);
    struct header_map m;
    struct diag d;
    (void)state;
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.col[F_ID_NUMBER], 1);
    assert_int_equal(m.how[F_ID_NUMBER], HOW_CONTENT);
    assert_string_equal(header_how_name(m.how[F_ID_NUMBER]), "content");
    header_map_free(&m);
    memset(&d, 0, sizeof d);
    assert_int_equal(header_detect(KIND_TAX, u.rows, u.n, NULL, 0, "x.csv", &m, &d),
                     SIRECON_ERR_DATA);
    table_free(&t);
    table_free(&u);
}

/* A column of ID-like values that feeds no field is listed as unread; a
 * second column of a person's ID is read, not listed. */
static void
test_unread_and_alt(void **state)
{
    const char *const *const src[] = {
        R("Họ và tên", "Số CCCD", "Số CMND", "Mã khác", "Thu nhập chịu thuế", "Ghi chú"),
        R("Nguyễn Văn An", "034085001111", "151234567", "3401234567", "120000000", "a"),
        R("Trần Thị Bình", "034190002222", "151234568", "3401234568", "96000000", ""),
        R("Lê Văn Cường", "001088003333", "151234569", "3401234569", "84000000", ""),
    };
    struct table t = TABLE(src);
    struct header_map m;
    (void)state;
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.col[F_ID_NUMBER], 1);
    assert_int_equal(m.alt[F_ID_NUMBER], 2);
    assert_int_equal(m.nunread, 1);
    assert_int_equal(m.unread[0], 3);
    header_map_free(&m);
    table_free(&t);
}

/* Bare-digit amounts under an unknown label are parts of the income, not
 * identifiers: no unread column. */
static void
test_amounts_not_unread(void **state)
{
    const char *const *const src[] = {
        R("Họ và tên", "Số CCCD", "Khoản khác", "Thu nhập chịu thuế"),
        R("Nguyễn Văn An", "034085001111", "123456789", "187654321"),
        R("Trần Thị Bình", "034190002222", "98765432", "99876543"),
        R("Lê Văn Cường", "001088003333", "45678912", "84567891"),
        R("Phạm Thị Dung", "079195004444", "12345678", "72345678"),
    };
    struct table t = TABLE(src);
    struct header_map m;
    (void)state;
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.nunread, 0);
    header_map_free(&m);
    table_free(&t);
}

/* A label that names an ID but whose column holds amounts is refused. */
static void
test_content_refuses(void **state)
{
    const char *const *const src[] = {
        R("Họ và tên", "Mã số thuế", "Số CMND/CCCD", "Mã số BHXH", "Thu nhập chịu thuế"),
        R("Nguyễn Văn An", "8012345675", "034085001111", "1.260.000", "120.000.000"),
        R("Trần Thị Bình", "8012345676", "034190002222", "1.008.000", "96.000.000"),
        R("Lê Văn Cường", "8012345677", "001088003333", "882.000", "84.000.000"),
        R("Phạm Thị Dung", "8012345678", "079195004444", "756.000", "72.000.000"),
        R("Hồ Văn Em", "8012345679", "079195004445", "630.000", "60.000.000"),
    };
    struct table t = TABLE(src);
    struct header_map m;
    (void)state;
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.col[F_SI_NUMBER], -1);
    assert_int_equal(m.refused[F_SI_NUMBER], 3);
    assert_int_equal(m.nunread, 0);
    header_map_free(&m);
    table_free(&t);
}

/* The ID column of a 05-1 form is filled only for people without a tax
 * code: one CCCD and a placeholder are enough to read it by content, and
 * one ID-like value enough to report a column that is not read. */
static void
test_content_sparse(void **state)
{
    const char *const *const pid[] = {
        R("STT", "Họ và tên", "Mã số thuế", "Số hồ sơ", "Thu nhập chịu thuế"),
        R("1", "Nguyễn Văn An", "8012345675", "", "120000000"),
        R("2", "Trần Thị Bình", "", "034190002222", "96000000"),
        R("3", "Lê Văn Cường", "8012345676", "N/A", "84000000"),
    };
    const char *const *const other[] = {
        R("STT", "Họ và tên", "Số CCCD", "Mã hồ sơ khác", "Thu nhập chịu thuế"),
        R("1", "Nguyễn Văn An", "034085001111", "", "120000000"),
        R("2", "Trần Thị Bình", "034190002222", "3401234567", "96000000"),
    };
    struct table t = TABLE(pid), u = TABLE(other);
    struct header_map m;
    (void)state;
    detect_ok(KIND_TAX, &t, &m);
    assert_int_equal(m.col[F_ID_NUMBER], 3);
    assert_int_equal(m.how[F_ID_NUMBER], HOW_CONTENT);
    header_map_free(&m);
    detect_ok(KIND_TAX, &u, &m);
    assert_int_equal(m.nunread, 1);
    assert_int_equal(m.unread[0], 3);
    header_map_free(&m);
    table_free(&t);
    table_free(&u);
}

/* Column coherence joins a sub-label row to the header only when it has
 * two labels or more: "I. Tăng" under the header is a section row; a row
 * of sub-labels over columns of months and amounts is the header's. */
static void
test_section_row_not_header(void **state)
{
    const char *const *const sec[] = {
        R("STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Từ tháng", "Đến tháng"),
        R("I. Tăng", "", "", "", "", ""),
        R("1", "Nguyễn Văn An", "3401234567", "034085001111", "01/2025", ""),
        R("2", "Trần Thị Bình", "3401234568", "034190001112", "02/2025", ""),
    };
    const char *const *const sub[] = {
        R("STT", "Họ và tên", "Mã số BHXH", "Số CCCD", "Tiền lương", "",
          "Thời điểm bắt đầu đóng BHXH", "Thời điểm kết thúc đóng BHXH"),
        R("", "", "", "", "Mức lương", "Phụ cấp", "Thời điểm bắt đầu", "Thời điểm kết thúc"),
        R("1", "Nguyễn Văn An", "3401234567", "034085001111", "6000000", "", "01/2025", ""),
        R("2", "Trần Thị Bình", "3401234568", "034190001112", "7000000", "", "02/2025", "03/2025"),
    };
    struct table t1 = TABLE(sec), t2 = TABLE(sub);
    struct header_map m;
    (void)state;

    detect_ok(KIND_SI, &t1, &m);
    assert_int_equal(m.first, 0);
    assert_int_equal(m.last, 0);
    header_map_free(&m);
    detect_ok(KIND_SI, &t2, &m);
    assert_int_equal(m.first, 0);
    assert_int_equal(m.last, 1);
    assert_int_equal(m.col[F_FROM_MONTH], 6);
    assert_int_equal(m.col[F_TO_MONTH], 7);
    header_map_free(&m);
    table_free(&t1);
    table_free(&t2);
}

/* A row of the software's field codes under the labels is a header row:
 * an import sheet cut to a few of its columns (not the catalogued layout)
 * still reads, the codes row never data. */
static void
test_code_row_is_header(void **state)
{
    const char *const *const rows[] = {
        R("Dữ liệu nhập bắt đầu từ dòng thứ 4", "", "", "", "", "", ""),
        R("ID Lao động", "Họ tên", "Mã số BHXH", "Loại khai báo", "Từ tháng", "Đến tháng",
          "CMND"),
        R("STT", "HoTen", "MasoBHXH", "TenLoaiKhaiBao", "TuThang", "DenThang", "CMND"),
        R("1", "Nguyễn Thị Lan", "3421987654", "Tăng lao động", "03/2025", "",
          "034190012345"),
    };
    static const struct want w[] = {
        {F_FULL_NAME, 1, NULL}, {F_SI_NUMBER, 2, NULL}, {F_CHANGE_TYPE, 3, NULL},
        {F_FROM_MONTH, 4, NULL}, {F_TO_MONTH, 5, NULL}, {F_ID_NUMBER, 6, NULL},
    };
    struct table t = TABLE(rows);
    struct header_map m;
    (void)state;

    detect_ok(KIND_SI, &t, &m);
    assert_int_equal(m.first, 1);
    assert_int_equal(m.last, 2);
    check_cols(&m, w, N_OF(w));
    header_map_free(&m);
    table_free(&t);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colnum_cells),
        cmocka_unit_test(test_strip_marker),
        cmocka_unit_test(test_alias_table),
        cmocka_unit_test(test_alias_no_conflicts),
        cmocka_unit_test(test_canonical_english),
        cmocka_unit_test(test_tt80_05_1),
        cmocka_unit_test(test_tt92_05_1),
        cmocka_unit_test(test_05_2),
        cmocka_unit_test(test_d02_lt),
        cmocka_unit_test(test_si_export),
        cmocka_unit_test(test_plain_spellings),
        cmocka_unit_test(test_title_block),
        cmocka_unit_test(test_scan_window),
        cmocka_unit_test(test_parent_fallback),
        cmocka_unit_test(test_duplicate_columns),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_missing_message_truncated),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_section_row_not_header),
        cmocka_unit_test(test_code_row_is_header),
        cmocka_unit_test(test_classify_employer_name),
        cmocka_unit_test(test_class_names),
        cmocka_unit_test(test_profile_aliases),
        cmocka_unit_test(test_guess_kind),
        cmocka_unit_test(test_odd_rows),
        cmocka_unit_test(test_random_rows),
        cmocka_unit_test(test_classify_total_phrases),
        cmocka_unit_test(test_title_schedule),
        cmocka_unit_test(test_label_suffix),
        cmocka_unit_test(test_title_row),
        cmocka_unit_test(test_meaning_columns),
        cmocka_unit_test(test_content_mapping),
        cmocka_unit_test(test_unread_and_alt),
        cmocka_unit_test(test_content_refuses),
        cmocka_unit_test(test_amounts_not_unread),
        cmocka_unit_test(test_content_sparse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
