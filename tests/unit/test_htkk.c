/*
 * test_htkk.c - htkk.c: a 05/QTT-TNCN declaration of HTKK as CSV rows.
 * Each appendix maps its own indicator numbers (ct11 is the income in
 * 05-2, not in 05-1), dependants and totals are no persons, lines point to
 * the person's element, and a declaration that is not a 05/QTT-TNCN or
 * lacks the payer or year is refused.  struct htkk_info describes the
 * declaration for `check`: form, circular, payer, year, persons per
 * appendix, and the elements that are not part of the form's layout.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sirecon/htkk.h"

#define HEAD(form, mst, year)                                                          \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                     \
    "<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\">\n"                  \
    "<HSoKhaiThue><TTinChung><TTinTKhaiThue><TKhaiThue><maTKhai>" form "</maTKhai>\n"  \
    "<KyKKhaiThue><kieuKy>Y</kieuKy><kyKKhai>" year "</kyKKhai></KyKKhaiThue>\n"       \
    "</TKhaiThue><NNT><mst>" mst "</mst><tenNNT>Công ty A, B</tenNNT></NNT>\n"         \
    "</TTinTKhaiThue></TTinChung>\n"

static const char full[] =
    HEAD("953", "0100233488", "2025")
    "<CTieuTKhaiChinh><ct23>210000000</ct23></CTieuTKhaiChinh><PLuc>\n"
    "<PLuc_05_1_BK_QTT>\n"
    "<BKeCTietCNhan id=\"ID_1\">\n"                                   /* line 9 */
    "<ct07>Nguyễn Văn An</ct07><ct08></ct08><ct09>034085001111</ct09>\n"
    "<ct11>5</ct11><ct12>120000000</ct12><ct19>10500000.00</ct19><ct22>0</ct22>\n"
    "<ctXX>?</ctXX></BKeCTietCNhan>\n"
    "<ct28>120000000</ct28>\n"
    "</PLuc_05_1_BK_QTT>\n"
    "<PLuc_05_2_BK_QTT>\n"
    "<BKeCTietCNhan id=\"ID_1\"><ct07>Lê Thị Hà</ct07><ct08>8012345677</ct08>\n" /* 16 */
    "<ct09></ct09><ct10>1</ct10><ct11>90000000</ct11><ct12>5</ct12><ct15>18000000</ct15>\n"
    "</BKeCTietCNhan><ct17>90000000</ct17>\n"
    "</PLuc_05_2_BK_QTT>\n"
    "<PLuc_05_3_BK_QTT><BKeTTinNPT><ct07>Nguyễn Văn An</ct07><ct10>Con</ct10>\n"
    "<ct12>034215000001</ct12></BKeTTinNPT></PLuc_05_3_BK_QTT>\n"
    "</PLuc></HSoKhaiThue></HSoThueDTu>\n";

static void
test_appendices(void **state)
{
    char *out = NULL;
    uint32_t *lines = NULL;
    size_t n = 0, nl = 0;
    struct htkk_info info;
    struct diag d;
    (void)state;
    memset(&d, 0, sizeof d);
    assert_true(htkk_sniff((const unsigned char *)full, strlen(full)));
    assert_int_equal(htkk_to_csv(full, strlen(full), &out, &n, &lines, &nl, &info, &d),
                     SIRECON_OK);
    assert_string_equal(out,
        "employer_tax_id,employer_name,tax_year,schedule,full_name,employee_tax_id,"
        "id_number,taxable_income,insurance_deduction,tax_withheld,non_resident\n"
        "0100233488,\"Công ty A, B\",2025,05-1,Nguyễn Văn An,,034085001111,120000000,"
        "10500000,0,\n"
        "0100233488,\"Công ty A, B\",2025,05-2,Lê Thị Hà,8012345677,,90000000,,18000000,1\n");
    assert_int_equal(strlen(out), n);
    assert_int_equal(nl, 3);
    assert_int_equal(lines[0], 1);
    assert_int_equal(lines[1], 9);
    assert_int_equal(lines[2], 16);
    assert_int_equal(info.persons, 2);
    assert_int_equal(info.dependants, 1);
    /* ct11 of 05-1 and ct12 of 05-2 are indicators of the form that are
     * not read; only ctXX is not part of the layout */
    assert_int_equal(info.ignored, 1);
    assert_int_equal(info.nign, 1);
    assert_string_equal(info.ign[0].name, "ctXX");
    assert_int_equal(info.ign[0].appendix, 1);
    assert_true(info.ign[0].in_person);
    assert_int_equal(info.ign[0].count, 1);
    assert_int_equal(info.ign[0].line, 12);
    assert_string_equal(info.form_name, "05/QTT-TNCN");
    assert_string_equal(info.form, "953");
    assert_string_equal(info.circular, "");
    assert_string_equal(info.payer_tax_id, "0100233488");
    assert_string_equal(info.payer_name, "Công ty A, B");
    assert_string_equal(info.year, "2025");
    assert_true(info.appendix[0] && info.appendix[1] && info.appendix[2]);
    assert_int_equal(info.persons_by[0], 1);
    assert_int_equal(info.persons_by[1], 1);
    free(out);
    free(lines);
}

/* A prefixed namespace reads the same. */
static void
test_prefix(void **state)
{
    static const char x[] =
        "<t:HSoThueDTu xmlns:t=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\"><t:HSoKhaiThue>"
        "<t:TTinChung><t:TTinTKhaiThue><t:TKhaiThue><t:KyKKhaiThue><t:kyKKhai>2025"
        "</t:kyKKhai></t:KyKKhaiThue></t:TKhaiThue><t:NNT><t:mst>0300588569</t:mst></t:NNT>"
        "</t:TTinTKhaiThue></t:TTinChung><t:PLuc><t:PLuc_05_1_BK_QTT><t:BKeCTietCNhan>"
        "<t:ct07>An</t:ct07><t:ct12>1000</t:ct12></t:BKeCTietCNhan></t:PLuc_05_1_BK_QTT>"
        "</t:PLuc></t:HSoKhaiThue></t:HSoThueDTu>";
    char *out;
    uint32_t *lines;
    size_t n, nl;
    struct htkk_info info;
    struct diag d;
    (void)state;
    memset(&d, 0, sizeof d);
    assert_true(htkk_sniff((const unsigned char *)x, strlen(x)));
    assert_int_equal(htkk_to_csv(x, strlen(x), &out, &n, &lines, &nl, &info, &d), SIRECON_OK);
    assert_non_null(strstr(out, "\n0300588569,,2025,05-1,An,,,1000,,,\n"));
    free(out);
    free(lines);
}

/* What check shows of a declaration: the circular from moTaBMau; the
 * indicators and totals of the layout, read or not, are not "ignored";
 * an unknown appendix is ignored once, with all it holds, and an unknown
 * element of a person is skipped with its content (its ct07 is no name). */
static void
test_info(void **state)
{
    static const char x[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<HSoThueDTu xmlns=\"http://kekhaithue.gdt.gov.vn/TKhaiThue\">\n"
        "<HSoKhaiThue><TTinChung><TTinTKhaiThue><TKhaiThue><maTKhai>953</maTKhai>\n"
        "<moTaBMau>(Ban hành kèm theo Thông tư số 80/2021/TT-BTC ngày 29 tháng 9 năm 2021)"
        "</moTaBMau>\n"
        "<KyKKhaiThue><kieuKy>Y</kieuKy><kyKKhai>2025</kyKKhai></KyKKhaiThue>\n"
        "</TKhaiThue><NNT><mst>0300588569</mst><tenNNT>Cty B</tenNNT></NNT>\n"
        "</TTinTKhaiThue></TTinChung><PLuc>\n"
        "<PLuc_05_1_BK_QTT>\n"                                                 /* 8 */
        "<BKeCTietCNhan><coDieuChinhSoLieu>0</coDieuChinhSoLieu><ct07>An</ct07>"
        "<ct09a_ma>03</ct09a_ma><ct09a_ten>CCCD</ct09a_ten><ct12>1000</ct12>"
        "<ct15.1>0</ct15.1><ct27>0</ct27>\n"
        "<ghiChu><ct07>Bad</ct07></ghiChu></BKeCTietCNhan>\n"                  /* 10 */
        "<BKeCTietCNhan><ct07>Binh</ct07><ct12>2000</ct12><ghiChu/><ct44>1</ct44>"
        "</BKeCTietCNhan>\n"                                                  /* 11 */
        "<ct28>3000</ct28><ct43>0</ct43><ct44>0</ct44>\n"                      /* 12 */
        "</PLuc_05_1_BK_QTT>\n"
        "<PLuc_05_2_BK_QTT><ct17>0</ct17><ct22>0</ct22></PLuc_05_2_BK_QTT>\n"  /* 14 */
        "<PLuc_05_9_BK_QTT><BKeCTietCNhan><ct07>Chi</ct07></BKeCTietCNhan>\n"  /* 15 */
        "<BKeCTietCNhan/></PLuc_05_9_BK_QTT>\n"
        "</PLuc></HSoKhaiThue></HSoThueDTu>\n";
    char *out;
    uint32_t *lines;
    size_t n, nl;
    struct htkk_info info;
    struct diag d;
    (void)state;
    memset(&d, 0, sizeof d);
    assert_int_equal(htkk_to_csv(x, strlen(x), &out, &n, &lines, &nl, &info, &d), SIRECON_OK);
    assert_string_equal(out,
        "employer_tax_id,employer_name,tax_year,schedule,full_name,employee_tax_id,"
        "id_number,taxable_income,insurance_deduction,tax_withheld,non_resident\n"
        "0300588569,Cty B,2025,05-1,An,,,1000,,,\n"
        "0300588569,Cty B,2025,05-1,Binh,,,2000,,,\n");
    assert_string_equal(info.circular, "80/2021/TT-BTC");
    assert_string_equal(info.payer_name, "Cty B");
    assert_true(info.appendix[0] && info.appendix[1] && !info.appendix[2]);
    assert_int_equal(info.persons, 2);
    assert_int_equal(info.persons_by[0], 2);
    assert_int_equal(info.persons_by[1], 0);
    assert_int_equal(info.dependants, 0);
    assert_int_equal(info.ignored, 5);
    assert_int_equal(info.nign, 4);
    assert_string_equal(info.ign[0].name, "ghiChu"); /* twice, in persons of 05-1 */
    assert_true(info.ign[0].in_person);
    assert_int_equal(info.ign[0].appendix, 1);
    assert_int_equal(info.ign[0].count, 2);
    assert_int_equal(info.ign[0].line, 10);
    assert_string_equal(info.ign[1].name, "ct44"); /* past ct27 in a person */
    assert_true(info.ign[1].in_person);
    assert_int_equal(info.ign[1].line, 11);
    assert_string_equal(info.ign[2].name, "ct44"); /* past ct43 in the totals */
    assert_false(info.ign[2].in_person);
    assert_int_equal(info.ign[2].appendix, 1);
    assert_int_equal(info.ign[2].line, 12);
    assert_string_equal(info.ign[3].name, "PLuc_05_9_BK_QTT");
    assert_int_equal(info.ign[3].appendix, 0);
    assert_int_equal(info.ign[3].count, 1);
    assert_int_equal(info.ign[3].line, 15);
    free(out);
    free(lines);
}

/* The circular as moTaBMau writes it, with or without diacritics; none
 * when it names none.  The header is kept when the declaration is
 * refused. */
static void
test_info_circular(void **state)
{
    static const struct {
        const char *desc, *want;
    } t[] = {
        {"(Ban hành kèm theo Thông tư số 80/2021/TT-BTC ngày 29/9/2021)", "80/2021/TT-BTC"},
        {"(Ban hanh kem theo Thong tu so 92/2015/TT-BTC)", "92/2015/TT-BTC"},
        {"Thông tư 80/2021/TT-BTC", "80/2021/TT-BTC"},
        {"(TT 80/2021/TT-BTC)", "80/2021/TT-BTC"},
        {"Mẫu số 05/QTT-TNCN", ""},
        {"", ""},
    };
    char x[1024];

    (void)state;
    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char *out;
        uint32_t *lines;
        size_t n, nl;
        struct htkk_info info;
        struct diag d;
        snprintf(x, sizeof x,
                 "<HSoThueDTu><HSoKhaiThue><TTinChung><TTinTKhaiThue><TKhaiThue>"
                 "<maTKhai>953</maTKhai><moTaBMau>%s</moTaBMau><KyKKhaiThue><kyKKhai>2025"
                 "</kyKKhai></KyKKhaiThue></TKhaiThue><NNT><mst>0100233488</mst></NNT>"
                 "</TTinTKhaiThue></TTinChung><PLuc><PLuc_05_1_BK_QTT/></PLuc>"
                 "</HSoKhaiThue></HSoThueDTu>", t[i].desc);
        memset(&d, 0, sizeof d);
        assert_int_equal(htkk_to_csv(x, strlen(x), &out, &n, &lines, &nl, &info, &d),
                         SIRECON_OK);
        if (strcmp(info.circular, t[i].want) != 0)
            fail_msg("\"%s\": got \"%s\", want \"%s\"", t[i].desc, info.circular, t[i].want);
        free(out);
        free(lines);
    }
}

static void
expect_error(const char *x, const char *part)
{
    char *out = (char *)1;
    uint32_t *lines = (uint32_t *)1;
    size_t n = 1, nl = 1;
    struct htkk_info info;
    struct diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(htkk_to_csv(x, strlen(x), &out, &n, &lines, &nl, &info, &d),
                     SIRECON_ERR_DATA);
    if (strstr(d.msg, part) == NULL)
        print_error("\"%s\" lacks \"%s\"\n", d.msg, part);
    assert_non_null(strstr(d.msg, part));
    assert_null(out);
    assert_null(lines);
    assert_int_equal(n, 0);
}

static void
test_errors(void **state)
{
    (void)state;
    expect_error(HEAD("842", "0100233488", "2025")
                 "<PLuc><PLuc_05_1_BK_QTT></PLuc_05_1_BK_QTT></PLuc></HSoKhaiThue></HSoThueDTu>",
                 "form 842");
    expect_error(HEAD("953", "", "2025")
                 "<PLuc><PLuc_05_1_BK_QTT></PLuc_05_1_BK_QTT></PLuc></HSoKhaiThue></HSoThueDTu>",
                 "NNT/mst");
    expect_error(HEAD("953", "0100233488", "")
                 "<PLuc><PLuc_05_1_BK_QTT></PLuc_05_1_BK_QTT></PLuc></HSoKhaiThue></HSoThueDTu>",
                 "kyKKhai");
    expect_error(HEAD("953", "0100233488", "2025") "<PLuc></PLuc></HSoKhaiThue></HSoThueDTu>",
                 "no 05-1 or 05-2 appendix");
    expect_error(HEAD("953", "0100233488", "2025") "<PLuc><PLuc_05_1_BK_QTT>", "not a readable");
    assert_false(htkk_sniff((const unsigned char *)"a,b\n1,2\n", 8));
}

/* A refused declaration still tells what it is (check prints the error;
 * the info is there for a caller that wants it). */
static void
test_info_on_error(void **state)
{
    static const char x[] = HEAD("842", "0100233488", "2025")
        "<PLuc><PLuc_05_1_BK_QTT></PLuc_05_1_BK_QTT></PLuc></HSoKhaiThue></HSoThueDTu>";
    char *out;
    uint32_t *lines;
    size_t n, nl;
    struct htkk_info info;
    struct diag d;
    (void)state;
    memset(&d, 0, sizeof d);
    assert_int_equal(htkk_to_csv(x, strlen(x), &out, &n, &lines, &nl, &info, &d),
                     SIRECON_ERR_DATA);
    assert_string_equal(info.form, "842");
    assert_string_equal(info.payer_tax_id, "0100233488");
    assert_string_equal(info.year, "2025");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendices),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_info),
        cmocka_unit_test(test_info_circular),
        cmocka_unit_test(test_info_on_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
