/*
 * test_htkk.c - htkk.c: a 05/QTT-TNCN declaration of HTKK as CSV rows.
 * Each appendix maps its own indicator numbers (ct11 is the income in
 * 05-2, not in 05-1), dependants and totals are no persons, lines point to
 * the person's element, and a declaration that is not a 05/QTT-TNCN or
 * lacks the payer or year is refused.
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
    assert_true(info.ignored >= 2); /* ct11 of 05-1 and ctXX; ct12 of 05-2 */
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

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendices),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
