/*
 * test_xlsx.c - xlsx_to_csv() on real workbooks and on hand-made ones.
 *
 * fixtures/xlsx/ holds workbooks written by openpyxl (parts of them then
 * rewritten the way Excel stores them: shared strings, rich text, an inline
 * string, a number in E notation, _x000D_): each must convert to an exact
 * CSV text.  The odd and broken cases are zipped here with minizip from
 * XML strings: cells out of order or without references, prefixed
 * namespaces, the limits (rows, columns, part size, padded size: low under
 * SIRECON_TEST_LIMITS), bad shared-string indexes, broken XML, a DTD, no
 * workbook, not a zip, a legacy .xls.  Then the helpers: numbers (exact
 * decimal text), cell text escapes, cell references, part paths.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>
#include "sirecon/xlsx.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* STATIC in xlsx.c, visible under -DTESTING; same layout as there. */
struct buf {
    char *s;
    size_t n, cap;
};
void xlsx_put_number(struct buf *b, const char *v, size_t n);
void xlsx_put_text(struct buf *b, const char *s, size_t n);
int xlsx_cell_ref(const char *s, long *col, long *row);
char *xlsx_resolve(const char *target);

/* ---- helpers -------------------------------------------------------------- */

static unsigned char *
read_fixture(const char *name, size_t *n)
{
    static const char *const dirs[] = {"fixtures/xlsx/", "../fixtures/xlsx/",
                                       "../../fixtures/xlsx/"};
    char path[256];
    FILE *f = NULL;
    unsigned char *b;
    long len;

    for (size_t i = 0; i < N_OF(dirs) && f == NULL; i++) {
        snprintf(path, sizeof path, "%s%s", dirs[i], name);
        f = fopen(path, "rb");
    }
    if (f == NULL)
        fail_msg("fixture %s not found (run from the repository root)", name);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    assert_true(len > 0 && len < 50 * 1024);
    rewind(f);
    b = malloc((size_t)len);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return b;
}

/* A zip of the given parts: name, content, name, content, ..., NULL. */
static unsigned char *
mkzip(const char *const *parts, size_t *n)
{
    char path[] = "/tmp/test_xlsx.XXXXXX";
    int fd = mkstemp(path);
    zipFile zf;
    unsigned char *b;
    FILE *f;
    long len;

    assert_true(fd >= 0);
    close(fd);
    zf = zipOpen64(path, APPEND_STATUS_CREATE);
    assert_non_null(zf);
    for (size_t i = 0; parts[i] != NULL; i += 2) {
        assert_int_equal(zipOpenNewFileInZip64(zf, parts[i], NULL, NULL, 0, NULL, 0,
                                               NULL, Z_DEFLATED, Z_DEFAULT_COMPRESSION,
                                               1),
                         ZIP_OK);
        assert_int_equal(zipWriteInFileInZip(zf, parts[i + 1],
                                             (unsigned)strlen(parts[i + 1])),
                         ZIP_OK);
        assert_int_equal(zipCloseFileInZip(zf), ZIP_OK);
    }
    assert_int_equal(zipClose(zf, NULL), ZIP_OK);
    f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    len = ftell(f);
    rewind(f);
    b = malloc((size_t)len);
    assert_int_equal(fread(b, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    unlink(path);
    *n = (size_t)len;
    return b;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define WB "<workbook " NS " " RNS "><sheets><sheet name=\"S\" sheetId=\"1\" " \
           "r:id=\"rId1\"/></sheets></workbook>"
#define RELS_HEAD "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
#define REL_TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define RELS RELS_HEAD                                                          \
    "<Relationship Id=\"rId2\" Type=\"" REL_TYPE "sharedStrings\" Target=\"sharedStrings.xml\"/>" \
    "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" Target=\"worksheets/sheet1.xml\"/>" \
    "</Relationships>"
#define SHEET(rows) "<worksheet " NS "><sheetData>" rows "</sheetData></worksheet>"
#define SST(items) "<sst " NS ">" items "</sst>"

/* A one-sheet workbook; sst may be NULL (no shared-strings part). */
static unsigned char *
book(const char *sheet, const char *sst, size_t *n)
{
    const char *parts[] = {"xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
                           "xl/worksheets/sheet1.xml", sheet,
                           sst ? "xl/sharedStrings.xml" : NULL, sst, NULL};
    return mkzip(parts, n);
}

/* Convert and compare with the expected CSV text. */
static void
expect_csv(const unsigned char *z, size_t n, const char *want)
{
    struct diag d;
    char *out = NULL;
    size_t outn = 0;

    memset(&d, 0, sizeof d);
    if (xlsx_to_csv(z, n, &out, &outn, &d) != SIRECON_OK)
        fail_msg("xlsx_to_csv failed: line %ld: %s", d.line, d.msg);
    assert_non_null(out);
    assert_int_equal(outn, strlen(out));
    assert_string_equal(out, want);
    free(out);
}

/* Convert, expect a data error on line (-1: any) whose message holds what. */
static void
expect_err(const unsigned char *z, size_t n, long line, const char *what)
{
    struct diag d;
    char *out = (char *)"x";
    size_t outn = 7;

    memset(&d, 0, sizeof d);
    assert_int_equal(xlsx_to_csv(z, n, &out, &outn, &d), SIRECON_ERR_DATA);
    assert_null(out);
    assert_int_equal(outn, 0);
    if (strstr(d.msg, what) == NULL)
        fail_msg("message \"%s\" lacks \"%s\"", d.msg, what);
    if (line >= 0)
        assert_int_equal(d.line, line);
    assert_string_equal(d.file, "");
}

static void
sheet_csv(const char *sheet, const char *sst, const char *want)
{
    size_t n;
    unsigned char *z = book(sheet, sst, &n);
    expect_csv(z, n, want);
    free(z);
}

static void
sheet_err(const char *sheet, const char *sst, long line, const char *what)
{
    size_t n;
    unsigned char *z = book(sheet, sst, &n);
    expect_err(z, n, line, what);
    free(z);
}

/* ---- the fixtures ---------------------------------------------------------- */

static void
fixture_csv(const char *name, const char *want)
{
    size_t n;
    unsigned char *z = read_fixture(name, &n);

    assert_int_equal(xlsx_sniff(z, n), XLSX_ZIP);
    expect_csv(z, n, want);
    free(z);
}

/* Title block, two-row merged header (one cell wrapped with Alt+Enter), a
 * column-number row, a CCCD that lost its zero and one stored in E
 * notation, dates as serials, rich text (phonetic run left out), an inline
 * string, a CCCD kept as text, a name with a comma and quotes, amounts with
 * decimals, a negative, 0.1 + 0.2, and a totals row. */
static void
test_features(void **state)
{
    fixture_csv("features.xlsx",
                "BẢNG KÊ CHI TIẾT CÁ NHÂN,,,,,\n"
                "[05] Mã số thuế: 0100233488,,,,,\n"
                ",,,,,\n"
                "STT,Họ và tên,Số CMND/CCCD,Ngày sinh,Thu nhập chịu thuế,\n"
                ",,,,Tổng số,Trong đó: miễn giảm\n"
                "[06],[07],[09],[10],[12],[13]\n"
                "1,Nguyễn Văn An,34085001111,31121,120000000,0\n"
                "2,Trần Thị Bình,34190002222,32875,98400000.5,0\n"
                "3,Lê Hoàng Cường,036088003333,32508,150000000,1.5\n"
                "4,\"Đỗ Thị, Dung \"\"Út\"\"\",8012345677,33000,-7350000,0.3\n"
                "Tổng cộng,,,,368400000.5,\n");
}

/* Rows and columns skipped, empty formatted cells ignored (no extra column,
 * no trailing rows), booleans, an error value, a formula's string result,
 * line breaks (_x000D_ + LF, LF) folded, only the first sheet read. */
static void
test_gaps(void **state)
{
    fixture_csv("gaps.xlsx", ",,,,\n"
                             ",,,,\n"
                             "a,,c,,\n"
                             ",,,,\n"
                             ",\"x, y\",,,\n"
                             ",,,,\n"
                             ",,,,7\n"
                             "1,#DIV/0!,ab,line1 line2 line3,\n");
}

/* fixtures/formats/tax_05-1_tt80_a.csv as an Excel sheet: row k is line k. */
static void
test_tax_05_1(void **state)
{
    fixture_csv("tax_05-1_tt80_a.xlsx",
                "05-1/BK-QTT-TNCN,,,,,,\n"
                "BẢNG KÊ CHI TIẾT CÁ NHÂN THUỘC DIỆN TÍNH THUẾ THEO BIỂU THUẾ LŨY TIẾN "
                "TỪNG PHẦN,,,,,,\n"
                "(Kèm theo tờ khai quyết toán thuế thu nhập cá nhân mẫu số "
                "05/QTT-TNCN),,,,,,\n"
                "[01] Kỳ tính thuế: Năm 2025,,,,,,\n"
                "[04] Tên người nộp thuế: Công ty TNHH Minh Phát,,,,,,\n"
                "[05] Mã số thuế: 0100233488,,,,,,\n"
                ",,,,,,\n"
                "STT,Họ và tên,Mã số thuế,Số CMND/CCCD/Hộ chiếu,Thu nhập chịu thuế,,"
                "Bảo hiểm được trừ\n"
                ",,,,Tổng số,Trong đó: TNCT được miễn giảm,\n"
                "[06],[07],[08],[09],[12],[13],[19]\n"
                "1,Nguyễn Văn An,,34085001111,120000000,0,10500000\n"
                "2,Trần Thị Bình,,34190002222,98400000,0,8610000\n"
                "3,Lê Hoàng Cường,,36088003333,150000000,0,0\n"
                "4,Đỗ Thị Dung,8012345677,,86000000,0,7350000\n"
                "5,Phạm Văn Đức,,34087005555,132000000,0,7560000\n"
                "6,Vũ Thị Thuỷ,8024681352,,91000000,0,7350000\n"
                "7,Hoàng Minh Hải,,34086007777,180000000,0,10080000\n"
                "Tổng cộng,,,,857400000,0,51450000\n");
}

/* ---- hand-made sheets ------------------------------------------------------ */

static void
test_cells_out_of_order(void **state)
{
    /* cells out of order and twice (the later wins), rows and cells without
     * r, a shared string with rich runs, a phonetic run and _x escapes */
    sheet_csv(SHEET("<row r=\"2\"><c r=\"C2\"><v>3</v></c><c r=\"A2\"><v>1</v></c>"
                    "<c r=\"C2\"><v>4</v></c></row>"
                    "<row><c><v>5</v></c><c t=\"s\"><v>1</v></c><c><v>6</v></c></row>"),
              SST("<si><t>unused</t></si>"
                  "<si><r><t>Ph</t></r><r><rPr><b/></rPr><t>ạm_x000D_\n</t></r>"
                  "<rPh sb=\"0\" eb=\"1\"><t>ignored</t></rPh><r><t>Đức_x005F_</t></r></si>"),
              ",,\n1,,4\n5,Phạm Đức_,6\n"); /* blank row 1 padded, as Excel's CSV */
}

static void
test_prefixed_namespace(void **state)
{
    /* some writers prefix every element: x:row, x:c, x:v */
    static const char sheet[] =
        "<x:worksheet xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
        "<x:sheetData><x:row r=\"1\"><x:c r=\"A1\" t=\"inlineStr\"><x:is><x:t>a;b</x:t>"
        "</x:is></x:c><x:c r=\"B1\"><x:v>1.2345678901234E+3</x:v></x:c></x:row>"
        "</x:sheetData></x:worksheet>";
    sheet_csv(sheet, NULL, "\"a;b\",1234.5678901234\n");
}

static void
test_empty_sheet(void **state)
{
    sheet_csv(SHEET(""), NULL, "");
    sheet_csv(SHEET("<row r=\"3\"><c r=\"B3\" s=\"1\"/></row>"), NULL, "");
    /* an empty shared string is an empty cell */
    sheet_csv(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>2</v></c>"
                    "</row>"),
              SST("<si><t/></si>"), ",2\n");
}

static void
test_shared_string_range(void **state)
{
    sheet_err(SHEET("<row r=\"7\"><c r=\"B7\" t=\"s\"><v>2</v></c></row>"),
              SST("<si><t>a</t></si><si><t>b</t></si>"), 7,
              "cell B7 refers to shared string 2, the workbook has 2");
    sheet_err(SHEET("<row r=\"4\"><c r=\"A4\" t=\"s\"><v>0</v></c></row>"), NULL, 4,
              "refers to shared string 0, the workbook has 0");
    sheet_err(SHEET("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>-1</v></c></row>"),
              SST("<si><t>a</t></si>"), 1, "bad shared-string index");
}

static void
test_limits(void **state)
{
    sheet_err(SHEET("<row r=\"3\"><c r=\"XFE3\"><v>1</v></c></row>"), NULL, 3,
              "more columns than Excel allows (16384): cell XFE3");
    sheet_err(SHEET("<row r=\"1048577\"><c r=\"A1048577\"><v>1</v></c></row>"), NULL,
              -1, "more rows than Excel allows (1048576)");
    /* the last cell Excel has is fine, but A1 + XFD1048576 padded is 16 GiB */
    sheet_err(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"
                    "<row r=\"1048576\"><c r=\"XFD1048576\"><v>1</v></c></row>"),
              NULL, -1, "too big to read");
    sheet_err(SHEET("<row r=\"5\"/><row r=\"4\"/>"), NULL, 4,
              "row 4 comes after row 5");
    sheet_err(SHEET("<row r=\"1\"><c r=\"1A\"><v>1</v></c></row>"), NULL, 1,
              "bad cell reference \"1A\"");
}

static void
test_part_too_big(void **state)
{
    /* over the part limit (1 MiB under SIRECON_TEST_LIMITS, 2 GiB for real) */
    size_t big = (1u << 20) + 10, n;
    char *sheet = malloc(big + 256);
    unsigned char *z;

    strcpy(sheet, "<worksheet " NS "><sheetData>");
    size_t k = strlen(sheet);
    memset(sheet + k, ' ', big);
    strcpy(sheet + k + big, "</sheetData></worksheet>");
    z = book(sheet, NULL, &n);
    expect_err(z, n, 0, "xl/worksheets/sheet1.xml is over 1 MiB uncompressed");
    free(z);
    free(sheet);
}

static void
test_broken(void **state)
{
    static const char *const no_wb[] = {"tax.csv", "a,b\n1,2\n", NULL};
    static const char *const no_rels[] = {"xl/workbook.xml", WB, NULL};
    static const char *const no_sheet[] = {"xl/workbook.xml", "<workbook " NS "/>",
                                           NULL};
    static const char *const chart[] = {
        "xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels",
        RELS_HEAD "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "chartsheet\" "
                  "Target=\"chartsheets/sheet1.xml\"/></Relationships>",
        NULL};
    static const char *const abs_target[] = {
        "xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels",
        RELS_HEAD "<Relationship Id=\"rId1\" Type=\"" REL_TYPE "worksheet\" "
                  "Target=\"/xl/worksheets/other.xml\"/></Relationships>",
        "xl/worksheets/other.xml", SHEET("<row r=\"1\"><c r=\"A1\"><v>9</v></c></row>"),
        NULL};
    static const unsigned char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest";
    static const unsigned char text[] = "employer_tax_id,full_name\n";
    size_t n;
    unsigned char *z;

    z = mkzip(no_wb, &n);
    expect_err(z, n, 0, "not a readable .xlsx workbook: a zip archive without "
                        "xl/workbook.xml");
    free(z);
    z = mkzip(no_rels, &n);
    expect_err(z, n, 0, "no xl/_rels/workbook.xml.rels in the zip");
    free(z);
    z = mkzip(no_sheet, &n);
    expect_err(z, n, 0, "xl/workbook.xml lists no sheet");
    free(z);
    z = mkzip(chart, &n);
    expect_err(z, n, 0, "the first sheet of the workbook is a chart");
    free(z);
    z = mkzip(abs_target, &n);
    expect_csv(z, n, "9\n");
    /* cut short: the central directory is gone */
    expect_err(z, n / 2, 0, "damaged zip archive");
    free(z);
    expect_err(ole, sizeof ole - 1, 0, "Excel 97-2003 .xls");
    assert_int_equal(xlsx_sniff(ole, sizeof ole - 1), XLSX_OLE);
    expect_err(text, sizeof text - 1, 0, "not a readable .xlsx workbook: not a zip");
    assert_int_equal(xlsx_sniff(text, sizeof text - 1), XLSX_NONE);
    sheet_err(SHEET("<row r=\"1\"><c r=\"A1\"><v>1</v></row>"), NULL, 0,
              "not a readable .xlsx workbook: broken XML in xl/worksheets/sheet1.xml, "
              "line 1: mismatched tag");
    sheet_err("<!DOCTYPE x [<!ENTITY a \"aaaa\">]><worksheet/>", NULL, 0,
              "declares a DTD");
}

/* ---- helpers ---------------------------------------------------------------- */

static void
test_numbers(void **state)
{
    static const char *const cases[][2] = {
        {"120000000", "120000000"},
        {"3.4085001111E+10", "34085001111"},
        {"3.4085001111e10", "34085001111"},
        {"34085001111.0", "34085001111"},
        {"12345.000", "12345"},
        {"1.5", "1.5"},
        {"-7350000", "-7350000"},
        {"0.30000000000000004", "0.3"},
        {"10500000.000000002", "10500000"},
        {"99999999999999.99", "100000000000000"},   /* 16 digits: Excel shows 15 */
        {"9999999999999.99", "9999999999999.99"},
        {"999999999999999.9", "999999999999999.9"}, /* rounds to 10^15: as written */
        {"0", "0"},
        {"-0", "0"},
        {"0.000", "0"},
        {"45658", "45658"},
        {"45658.5", "45658.5"},
        {"1E-3", "0.001"},
        {"1.25E-2", "0.0125"},
        {"  42 ", "42"},
        {"+7", "7"},
        {"100000000000000", "100000000000000"},      /* 10^14 */
        {"1E+15", "1E+15"},                          /* 10^15: kept as written */
        {"1.2345678901234567E+20", "1.2345678901234567E+20"},
        {"1E-40", "1E-40"},
        {"abc", "abc"},
        {"1.2.3", "1.2.3"},
        {"1E", "1E"},
        {".5", "0.5"},
    };

    for (size_t i = 0; i < N_OF(cases); i++) {
        struct buf b = {0};
        xlsx_put_number(&b, cases[i][0], strlen(cases[i][0]));
        if (strcmp(b.s ? b.s : "", cases[i][1]) != 0)
            fail_msg("\"%s\" -> \"%s\", want \"%s\"", cases[i][0], b.s ? b.s : "",
                     cases[i][1]);
        free(b.s);
    }
}

static void
test_text(void **state)
{
    static const char *const cases[][2] = {
        {"a\r\nb", "a b"},
        {"a_x000D_\nb", "a b"},
        {"a_x000D__x000A_b", "a b"},
        {"a\n\nb", "a  b"},
        {"a\tb", "a\tb"},
        {"_x005F_x0041_", "_x0041_"},
        {"_x0041_BC", "ABC"},
        {"_x00e9_", "é"},
        {"_x1EA1_", "ạ"},
        {"_xD83D_", ""},
        {"_x12_", "_x12_"},
        {"_xZZZZ_", "_xZZZZ_"},
        {"Nguyễn", "Nguyễn"},
    };

    for (size_t i = 0; i < N_OF(cases); i++) {
        struct buf b = {0};
        xlsx_put_text(&b, cases[i][0], strlen(cases[i][0]));
        if (strcmp(b.s ? b.s : "", cases[i][1]) != 0)
            fail_msg("\"%s\" -> \"%s\", want \"%s\"", cases[i][0], b.s ? b.s : "",
                     cases[i][1]);
        free(b.s);
    }
}

static void
test_cell_ref(void **state)
{
    static const struct {
        const char *ref;
        long col, row;
    } ok[] = {{"A1", 0, 1}, {"B7", 1, 7}, {"Z9", 25, 9}, {"AA10", 26, 10},
              {"AZ1", 51, 1}, {"BA1", 52, 1}, {"xfd1048576", 16383, 1048576}};
    static const char *const bad[] = {"", "A", "7", "1A", "A0", "A1B", "A-1", "$A$1"};
    long c, r;

    for (size_t i = 0; i < N_OF(ok); i++) {
        assert_true(xlsx_cell_ref(ok[i].ref, &c, &r));
        assert_int_equal(c, ok[i].col);
        assert_int_equal(r, ok[i].row);
    }
    for (size_t i = 0; i < N_OF(bad); i++)
        if (xlsx_cell_ref(bad[i], &c, &r))
            fail_msg("\"%s\" accepted", bad[i]);
    assert_true(xlsx_cell_ref("XFE1", &c, &r));
    assert_true(c >= 16384);
}

static void
test_resolve(void **state)
{
    static const char *const cases[][2] = {
        {"worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"},
        {"/xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"},
        {"./sharedStrings.xml", "xl/sharedStrings.xml"},
        {"../xl/worksheets/s.xml", "xl/worksheets/s.xml"},
        {"worksheets/../sharedStrings.xml", "xl/sharedStrings.xml"},
    };

    for (size_t i = 0; i < N_OF(cases); i++) {
        char *p = xlsx_resolve(cases[i][0]);
        assert_string_equal(p, cases[i][1]);
        free(p);
    }
}

/* Every worksheet by its tab's name, in workbook order; a chart sheet is
 * not listed; a sheet named converts on its own; an unknown name fails. */
static void
test_sheets(void **state)
{
    static const char wb[] =
        "<workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships\"><sheets>"
        "<sheet name=\"05-1-BK-QTT\" sheetId=\"1\" r:id=\"rId1\"/>"
        "<sheet name=\"Biểu đồ\" sheetId=\"2\" r:id=\"rId2\"/>"
        "<sheet name=\"05-2-BK-QTT\" sheetId=\"3\" r:id=\"rId3\"/>"
        "</sheets></workbook>";
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
        "relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/chartsheet\" Target=\"chartsheets/c1.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/"
        "officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet3.xml\"/>"
        "</Relationships>";
    const char *parts[] = {
        "xl/workbook.xml", wb, "xl/_rels/workbook.xml.rels", rels,
        "xl/worksheets/sheet1.xml",
        SHEET("<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>one</t></is></c></row>"),
        "xl/chartsheets/c1.xml", "<chartsheet " NS "/>",
        "xl/worksheets/sheet3.xml",
        SHEET("<row r=\"1\"><c r=\"B1\"><v>3</v></c></row>"), NULL};
    size_t n, count;
    char **names, *out;
    struct diag d;
    unsigned char *z = mkzip(parts, &n);
    (void)state;

    memset(&d, 0, sizeof d);
    assert_int_equal(xlsx_sheet_names(z, n, &names, &count, &d), SIRECON_OK);
    assert_int_equal(count, 2);
    assert_string_equal(names[0], "05-1-BK-QTT");
    assert_string_equal(names[1], "05-2-BK-QTT");
    for (size_t i = 0; i < count; i++)
        free(names[i]);
    free(names);
    assert_int_equal(xlsx_sheet_to_csv(z, n, "05-2-BK-QTT", &out, &n, &d), SIRECON_OK);
    assert_string_equal(out, ",3\n");
    free(out);
    n = 0;
    free(z);
    z = mkzip(parts, &n);
    assert_int_equal(xlsx_sheet_to_csv(z, n, NULL, &out, &count, &d), SIRECON_OK);
    assert_string_equal(out, "one\n");
    free(out);
    assert_int_equal(xlsx_sheet_to_csv(z, n, "Biểu đồ", &out, &count, &d), SIRECON_ERR_DATA);
    assert_non_null(strstr(d.msg, "chart"));
    free(out);
    assert_int_equal(xlsx_sheet_to_csv(z, n, "Sheet9", &out, &count, &d), SIRECON_ERR_DATA);
    assert_non_null(strstr(d.msg, "no sheet named"));
    free(out);
    free(z);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_features),
        cmocka_unit_test(test_gaps),
        cmocka_unit_test(test_tax_05_1),
        cmocka_unit_test(test_cells_out_of_order),
        cmocka_unit_test(test_prefixed_namespace),
        cmocka_unit_test(test_empty_sheet),
        cmocka_unit_test(test_shared_string_range),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_part_too_big),
        cmocka_unit_test(test_broken),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_cell_ref),
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_sheets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
