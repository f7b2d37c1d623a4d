/*
 * test_encoding.c - encodings -> UTF-8 NFC, and detection.
 *
 * The TCVN3 and VNI tables are checked against byte values read off the
 * published code charts (typed in here by hand, never generated from the
 * decoder's own table); Windows-1258 and VISCII against their charts for a
 * subset, through glibc iconv.  Detection runs on the fixture files in
 * fixtures/encodings/, one short CSV in each encoding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/encoding.h"

/* STATIC helpers of encoding.c */
bool enc_byte_defined(enc_id e, unsigned char b);
size_t enc_utf8_valid(const unsigned char *s, size_t n, bool *trunc);
size_t enc_utf8_valid_scalar(const unsigned char *s, size_t n, bool *trunc);
bool enc_syllable_ok(const char *s, size_t n);
int enc_score_text(const char *s, size_t n);
bool enc_nfc_safe(const unsigned char *s, size_t n);

/* A byte string and the letter it must decode to. */
struct chart {
    const char *in;
    const char *want;
};

/* Convert a NUL-terminated byte string, expecting success. */
static char *
conv(enc_id e, const char *in, size_t *outn)
{
    char *out = NULL;
    size_t n = 0;
    struct diag d;

    memset(&d, 0, sizeof d);
    assert_int_equal(encoding_to_utf8(e, (const unsigned char *)in, strlen(in), &out,
                                      &n, &d),
                     SIRECON_OK);
    assert_non_null(out);
    assert_int_equal(out[n], '\0');
    if (outn != NULL)
        *outn = n;
    return out;
}

static void
expect_conv(enc_id e, const char *in, const char *want)
{
    char *out = conv(e, in, NULL);

    if (strcmp(out, want) != 0)
        fail_msg("%s: bytes \"%s\" gave \"%s\", chart says \"%s\"", encoding_name(e),
                 in, out, want);
    free(out);
}

static void
expect_chart(enc_id e, const struct chart *c, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        expect_conv(e, c[i].in, c[i].want);
}

/* Conversion that must fail with SIRECON_ERR_DATA at the given line. */
static void
expect_bad(enc_id e, const void *in, size_t n, long line)
{
    char *out = (char *)"untouched";
    size_t outn = 99;
    struct diag d;

    memset(&d, 0, sizeof d);
    assert_int_equal(encoding_to_utf8(e, in, n, &out, &outn, &d), SIRECON_ERR_DATA);
    assert_null(out);
    assert_int_equal(outn, 0);
    assert_true(d.msg[0] != '\0');
    if (line >= 0)
        assert_int_equal(d.line, line);
}

static unsigned char *
read_fixture(const char *name, size_t *n)
{
    static const char *const dirs[] = {"fixtures/encodings/", "../fixtures/encodings/",
                                       "../../fixtures/encodings/"};
    char path[256];
    FILE *f = NULL;
    unsigned char *buf;
    long len;
    size_t i;

    for (i = 0; i < sizeof dirs / sizeof dirs[0] && f == NULL; i++) {
        snprintf(path, sizeof path, "%s%s", dirs[i], name);
        f = fopen(path, "rb");
    }
    if (f == NULL)
        fail_msg("fixture %s not found (run from the repository root)", name);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    len = ftell(f);
    assert_true(len > 0 && len < 2048);
    rewind(f);
    buf = malloc((size_t)len);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* ---------------------------------------------------------------- names */

static void
test_names(void **state)
{
    static const struct {
        const char *name;
        enc_id e;
    } alias[] = {
        {"UTF-8", ENC_UTF8},         {"utf8", ENC_UTF8},
        {"UTF-8-BOM", ENC_UTF8_BOM}, {"utf-8-sig", ENC_UTF8_BOM},
        {"UTF-16LE", ENC_UTF16LE},   {"utf-16", ENC_UTF16LE},
        {"UTF-16BE", ENC_UTF16BE},   {"WINDOWS-1258", ENC_CP1258},
        {"cp1258", ENC_CP1258},      {"Cp1258", ENC_CP1258},
        {"VISCII", ENC_VISCII},      {"viscii", ENC_VISCII},
        {"TCVN3", ENC_TCVN3},        {"abc", ENC_TCVN3},
        {"ABC", ENC_TCVN3},          {"tcvn", ENC_TCVN3},
        {"tcvn5712-3", ENC_TCVN3},   {"VNI", ENC_VNI},
        {"vni-windows", ENC_VNI},    {"VNI-Windows", ENC_VNI},
    };
    enc_id e;
    size_t i;

    (void)state;
    assert_string_equal(encoding_name(ENC_UTF8), "UTF-8");
    assert_string_equal(encoding_name(ENC_UTF8_BOM), "UTF-8-BOM");
    assert_string_equal(encoding_name(ENC_UTF16LE), "UTF-16LE");
    assert_string_equal(encoding_name(ENC_UTF16BE), "UTF-16BE");
    assert_string_equal(encoding_name(ENC_CP1258), "WINDOWS-1258");
    assert_string_equal(encoding_name(ENC_VISCII), "VISCII");
    assert_string_equal(encoding_name(ENC_TCVN3), "TCVN3");
    assert_string_equal(encoding_name(ENC_VNI), "VNI");
    assert_non_null(encoding_name((enc_id)99));
    for (i = 0; i < sizeof alias / sizeof alias[0]; i++)
        assert_int_equal(encoding_from_name(alias[i].name), alias[i].e);
    for (e = ENC_UTF8; e <= ENC_VNI; e++)
        assert_int_equal(encoding_from_name(encoding_name(e)), e);
    assert_int_equal(encoding_from_name("latin1"), ENC_UNKNOWN);
    assert_int_equal(encoding_from_name(""), ENC_UNKNOWN);
    assert_int_equal(encoding_from_name(NULL), ENC_UNKNOWN);
}

/* ---------------------------------------------------------------- TCVN3 */

/*
 * TCVN 5712:1993 VN3, from the published chart: every vowel with the six
 * tones (level, sắc, huyền, hỏi, ngã, nặng) in lower case, đ, and the seven
 * capitals the chart has.
 */
static const struct chart tcvn3_chart[] = {
    {"a", "a"},    {"\xB8", "á"}, {"\xB5", "à"}, {"\xB6", "ả"}, {"\xB7", "ã"}, {"\xB9", "ạ"},
    {"\xA8", "ă"}, {"\xBE", "ắ"}, {"\xBB", "ằ"}, {"\xBC", "ẳ"}, {"\xBD", "ẵ"}, {"\xC6", "ặ"},
    {"\xA9", "â"}, {"\xCA", "ấ"}, {"\xC7", "ầ"}, {"\xC8", "ẩ"}, {"\xC9", "ẫ"}, {"\xCB", "ậ"},
    {"e", "e"},    {"\xD0", "é"}, {"\xCC", "è"}, {"\xCE", "ẻ"}, {"\xCF", "ẽ"}, {"\xD1", "ẹ"},
    {"\xAA", "ê"}, {"\xD5", "ế"}, {"\xD2", "ề"}, {"\xD3", "ể"}, {"\xD4", "ễ"}, {"\xD6", "ệ"},
    {"i", "i"},    {"\xDD", "í"}, {"\xD7", "ì"}, {"\xD8", "ỉ"}, {"\xDC", "ĩ"}, {"\xDE", "ị"},
    {"o", "o"},    {"\xE3", "ó"}, {"\xDF", "ò"}, {"\xE1", "ỏ"}, {"\xE2", "õ"}, {"\xE4", "ọ"},
    {"\xAB", "ô"}, {"\xE8", "ố"}, {"\xE5", "ồ"}, {"\xE6", "ổ"}, {"\xE7", "ỗ"}, {"\xE9", "ộ"},
    {"\xAC", "ơ"}, {"\xED", "ớ"}, {"\xEA", "ờ"}, {"\xEB", "ở"}, {"\xEC", "ỡ"}, {"\xEE", "ợ"},
    {"u", "u"},    {"\xF3", "ú"}, {"\xEF", "ù"}, {"\xF1", "ủ"}, {"\xF2", "ũ"}, {"\xF4", "ụ"},
    {"\xAD", "ư"}, {"\xF8", "ứ"}, {"\xF5", "ừ"}, {"\xF6", "ử"}, {"\xF7", "ữ"}, {"\xF9", "ự"},
    {"y", "y"},    {"\xFD", "ý"}, {"\xFA", "ỳ"}, {"\xFB", "ỷ"}, {"\xFC", "ỹ"}, {"\xFE", "ỵ"},
    {"\xAE", "đ"},
    {"\xA1", "Ă"}, {"\xA2", "Â"}, {"\xA3", "Ê"}, {"\xA4", "Ô"}, {"\xA5", "Ơ"}, {"\xA6", "Ư"},
    {"\xA7", "Đ"}, {"\xA0", "\xC2\xA0"},
};

static void
test_tcvn3_chart(void **state)
{
    (void)state;
    assert_int_equal(sizeof tcvn3_chart / sizeof tcvn3_chart[0], 12 * 6 + 1 + 7 + 1);
    expect_chart(ENC_TCVN3, tcvn3_chart, sizeof tcvn3_chart / sizeof tcvn3_chart[0]);
    /* in words, with ASCII around */
    expect_conv(ENC_TCVN3, "Nguy\xD4n Th\xDE Thu\xFB", "Nguyễn Thị Thuỷ");
    expect_conv(ENC_TCVN3, "Tr\xC7n V\xA8n \xA7\xF8" "c", "Trần Văn Đức");
    expect_conv(ENC_TCVN3, "D\xAD\xACng Th\xDE \xA6\xEE" "c", "Dương Thị Ược");
}

static void
test_tcvn3_capitals_font(void **state)
{
    (void)state;
    /* Text typed in a capitals font (.VnTimeH) uses the lower-case bytes:
     * decoded by the chart, as documented, not guessed. */
    expect_conv(ENC_TCVN3, "NGUY\xD4N", "NGUYễN");
}

static void
test_tcvn3_undefined(void **state)
{
    static const unsigned char undef[] = {0x80, 0x93, 0x9F, 0xAF, 0xB0, 0xB4,
                                          0xBA, 0xBF, 0xC0, 0xCD, 0xE0, 0xFF};
    unsigned char buf[8] = {'a', 'b', '\n', 'c', 'd', 0, 'e', '\n'};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof undef; i++) {
        assert_false(enc_byte_defined(ENC_TCVN3, undef[i]));
        buf[5] = undef[i];
        expect_bad(ENC_TCVN3, buf, sizeof buf, 2);
    }
}

/* ------------------------------------------------------------------ VNI */

/* VNI-Windows, from the published chart: base letter + mark byte, or a
 * byte of its own (i and ỵ with tones, ơ, ư, đ), in both cases. */
static const struct chart vni_lower[] = {
    {"a", "a"},        {"a\xF9", "á"},     {"a\xF8", "à"},     {"a\xFB", "ả"},     {"a\xF5", "ã"},     {"a\xEF", "ạ"},
    {"a\xEA", "ă"},    {"a\xE9", "ắ"},     {"a\xE8", "ằ"},     {"a\xFA", "ẳ"},     {"a\xFC", "ẵ"},     {"a\xEB", "ặ"},
    {"a\xE2", "â"},    {"a\xE1", "ấ"},     {"a\xE0", "ầ"},     {"a\xE5", "ẩ"},     {"a\xE3", "ẫ"},     {"a\xE4", "ậ"},
    {"e", "e"},        {"e\xF9", "é"},     {"e\xF8", "è"},     {"e\xFB", "ẻ"},     {"e\xF5", "ẽ"},     {"e\xEF", "ẹ"},
    {"e\xE2", "ê"},    {"e\xE1", "ế"},     {"e\xE0", "ề"},     {"e\xE5", "ể"},     {"e\xE3", "ễ"},     {"e\xE4", "ệ"},
    {"i", "i"},        {"\xED", "í"},      {"\xEC", "ì"},      {"\xE6", "ỉ"},      {"\xF3", "ĩ"},      {"\xF2", "ị"},
    {"o", "o"},        {"o\xF9", "ó"},     {"o\xF8", "ò"},     {"o\xFB", "ỏ"},     {"o\xF5", "õ"},     {"o\xEF", "ọ"},
    {"o\xE2", "ô"},    {"o\xE1", "ố"},     {"o\xE0", "ồ"},     {"o\xE5", "ổ"},     {"o\xE3", "ỗ"},     {"o\xE4", "ộ"},
    {"\xF4", "ơ"},     {"\xF4\xF9", "ớ"},  {"\xF4\xF8", "ờ"},  {"\xF4\xFB", "ở"},  {"\xF4\xF5", "ỡ"},  {"\xF4\xEF", "ợ"},
    {"u", "u"},        {"u\xF9", "ú"},     {"u\xF8", "ù"},     {"u\xFB", "ủ"},     {"u\xF5", "ũ"},     {"u\xEF", "ụ"},
    {"\xF6", "ư"},     {"\xF6\xF9", "ứ"},  {"\xF6\xF8", "ừ"},  {"\xF6\xFB", "ử"},  {"\xF6\xF5", "ữ"},  {"\xF6\xEF", "ự"},
    {"y", "y"},        {"y\xF9", "ý"},     {"y\xF8", "ỳ"},     {"y\xFB", "ỷ"},     {"y\xF5", "ỹ"},     {"\xEE", "ỵ"},
    {"\xF1", "đ"},
};

static const struct chart vni_upper[] = {
    {"A", "A"},        {"A\xD9", "Á"},     {"A\xD8", "À"},     {"A\xDB", "Ả"},     {"A\xD5", "Ã"},     {"A\xCF", "Ạ"},
    {"A\xCA", "Ă"},    {"A\xC9", "Ắ"},     {"A\xC8", "Ằ"},     {"A\xDA", "Ẳ"},     {"A\xDC", "Ẵ"},     {"A\xCB", "Ặ"},
    {"A\xC2", "Â"},    {"A\xC1", "Ấ"},     {"A\xC0", "Ầ"},     {"A\xC5", "Ẩ"},     {"A\xC3", "Ẫ"},     {"A\xC4", "Ậ"},
    {"E", "E"},        {"E\xD9", "É"},     {"E\xD8", "È"},     {"E\xDB", "Ẻ"},     {"E\xD5", "Ẽ"},     {"E\xCF", "Ẹ"},
    {"E\xC2", "Ê"},    {"E\xC1", "Ế"},     {"E\xC0", "Ề"},     {"E\xC5", "Ể"},     {"E\xC3", "Ễ"},     {"E\xC4", "Ệ"},
    {"I", "I"},        {"\xCD", "Í"},      {"\xCC", "Ì"},      {"\xC6", "Ỉ"},      {"\xD3", "Ĩ"},      {"\xD2", "Ị"},
    {"O", "O"},        {"O\xD9", "Ó"},     {"O\xD8", "Ò"},     {"O\xDB", "Ỏ"},     {"O\xD5", "Õ"},     {"O\xCF", "Ọ"},
    {"O\xC2", "Ô"},    {"O\xC1", "Ố"},     {"O\xC0", "Ồ"},     {"O\xC5", "Ổ"},     {"O\xC3", "Ỗ"},     {"O\xC4", "Ộ"},
    {"\xD4", "Ơ"},     {"\xD4\xD9", "Ớ"},  {"\xD4\xD8", "Ờ"},  {"\xD4\xDB", "Ở"},  {"\xD4\xD5", "Ỡ"},  {"\xD4\xCF", "Ợ"},
    {"U", "U"},        {"U\xD9", "Ú"},     {"U\xD8", "Ù"},     {"U\xDB", "Ủ"},     {"U\xD5", "Ũ"},     {"U\xCF", "Ụ"},
    {"\xD6", "Ư"},     {"\xD6\xD9", "Ứ"},  {"\xD6\xD8", "Ừ"},  {"\xD6\xDB", "Ử"},  {"\xD6\xD5", "Ữ"},  {"\xD6\xCF", "Ự"},
    {"Y", "Y"},        {"Y\xD9", "Ý"},     {"Y\xD8", "Ỳ"},     {"Y\xDB", "Ỷ"},     {"Y\xD5", "Ỹ"},     {"\xCE", "Ỵ"},
    {"\xD1", "Đ"},
};

static void
test_vni_chart(void **state)
{
    (void)state;
    assert_int_equal(sizeof vni_lower / sizeof vni_lower[0], 12 * 6 + 1);
    assert_int_equal(sizeof vni_upper / sizeof vni_upper[0], 12 * 6 + 1);
    expect_chart(ENC_VNI, vni_lower, sizeof vni_lower / sizeof vni_lower[0]);
    expect_chart(ENC_VNI, vni_upper, sizeof vni_upper / sizeof vni_upper[0]);
    expect_conv(ENC_VNI, "Nguye\xE3n Th\xF2 Thuy\xFB", "Nguyễn Thị Thuỷ");
    expect_conv(ENC_VNI, "NGUYE\xC3N V\xD6\xD4NG", "NGUYỄN VƯƠNG");
    expect_conv(ENC_VNI, "ng\xF6\xF4\xF8i", "người");
    /* the letter's case comes from the base, whatever the mark's case */
    expect_conv(ENC_VNI, "A\xF9" "a\xD9", "Áá");
    /* a mark with no letter before it stays a combining mark */
    expect_conv(ENC_VNI, "\xF9" "x\n\xF8", "\xCC\x81x\n\xCC\x80");
    expect_conv(ENC_VNI, "1\xEF", "1\xCC\xA3");
}

static void
test_vni_undefined(void **state)
{
    static const unsigned char undef[] = {0x80, 0x93, 0xA0, 0xB8, 0xC7, 0xD0,
                                          0xD7, 0xDF, 0xE7, 0xF0, 0xF7, 0xFF};
    unsigned char buf[6] = {'x', '\n', '\n', 'a', 0, '\n'};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof undef; i++) {
        assert_false(enc_byte_defined(ENC_VNI, undef[i]));
        buf[4] = undef[i];
        expect_bad(ENC_VNI, buf, sizeof buf, 3);
    }
}

/* ------------------------------------------------------ CP1258 / VISCII */

static void
test_cp1258(void **state)
{
    /* Windows-1258 chart: letters with their own byte, and the five
     * combining tone marks (0xCC 0xEC 0xD2 0xDE 0xF2). */
    static const struct chart c[] = {
        {"\xC3", "Ă"},   {"\xE3", "ă"},   {"\xC2", "Â"},   {"\xE2", "â"},
        {"\xCA", "Ê"},   {"\xEA", "ê"},   {"\xD4", "Ô"},   {"\xF4", "ô"},
        {"\xD5", "Ơ"},   {"\xF5", "ơ"},   {"\xDD", "Ư"},   {"\xFD", "ư"},
        {"\xD0", "Đ"},   {"\xF0", "đ"},   {"a\xCC", "à"},  {"a\xEC", "á"},
        {"a\xD2", "ả"},  {"a\xDE", "ã"},  {"a\xF2", "ạ"},  {"\xE2\xEC", "ấ"},
        {"\xE3\xF2", "ặ"}, {"\xF5\xCC", "ờ"}, {"\xFD\xF2", "ự"}, {"\xEA\xDE", "ễ"},
        {"y\xD2", "ỷ"},  {"\xE1", "á"},   {"\xE0", "à"},
    };
    size_t i;
    iconv_t cd;

    (void)state;
    expect_chart(ENC_CP1258, c, sizeof c / sizeof c[0]);
    /* NFC: a CP1258 "Thuỷ" is y + combining hook; it comes out precomposed */
    expect_conv(ENC_CP1258, "Thuy\xD2", "Thu\xE1\xBB\xB7");
    expect_conv(ENC_CP1258, "Nguy\xEA\xDEn Thi\xF2", "Nguyễn Thị");
    /* the undefined bytes we reject up front are those glibc rejects */
    cd = iconv_open("UTF-8", "WINDOWS-1258");
    assert_true(cd != (iconv_t)-1);
    for (i = 0x80; i < 0x100; i++) {
        char in[2] = {(char)i, 'a'}, outb[16], *ip = in, *op = outb;
        size_t il = 2, ol = sizeof outb;
        bool ok = iconv(cd, &ip, &il, &op, &ol) != (size_t)-1;

        iconv(cd, NULL, NULL, NULL, NULL);
        assert_int_equal(enc_byte_defined(ENC_CP1258, (unsigned char)i), ok);
    }
    iconv_close(cd);
    expect_bad(ENC_CP1258, "ab\ncd\x81", 6, 2);
}

static void
test_viscii(void **state)
{
    /* VISCII chart (RFC 1456, Viet-Std): the six C0 positions it uses for capitals,
     * and row 8x / start of 9x. */
    static const struct chart c[] = {
        {"\x02", "Ẳ"}, {"\x05", "Ẵ"}, {"\x06", "Ẫ"}, {"\x14", "Ỷ"}, {"\x19", "Ỹ"},
        {"\x1E", "Ỵ"}, {"\x80", "Ạ"}, {"\x81", "Ắ"}, {"\x82", "Ằ"}, {"\x83", "Ặ"},
        {"\x84", "Ấ"}, {"\x85", "Ầ"}, {"\x86", "Ẩ"}, {"\x87", "Ậ"}, {"\x88", "Ẽ"},
        {"\x89", "Ẹ"}, {"\x8A", "Ế"}, {"\x8B", "Ề"}, {"\x8C", "Ể"}, {"\x8D", "Ễ"},
        {"\x8E", "Ệ"}, {"\x8F", "Ố"}, {"\x90", "Ồ"}, {"\x91", "Ổ"}, {"\x92", "Ỗ"},
        {"\x93", "Ộ"},
    };

    (void)state;
    expect_chart(ENC_VISCII, c, sizeof c / sizeof c[0]);
}

/* ---------------------------------------------------------------- UTF-8 */

static void
test_utf8_valid(void **state)
{
    bool t;

    (void)state;
    assert_int_equal(enc_utf8_valid((const unsigned char *)"", 0, &t), 0);
    assert_int_equal(enc_utf8_valid((const unsigned char *)"plain ascii text", 16, &t), 16);
    assert_int_equal(enc_utf8_valid((const unsigned char *)"Đức", 5, &t), 5);
    assert_int_equal(enc_utf8_valid((const unsigned char *)"\xF0\x9F\x98\x80", 4, &t), 4);
    /* overlong, surrogate, past U+10FFFF, stray continuation, bad lead */
    assert_int_equal(enc_utf8_valid((const unsigned char *)"ab\xC0\x80", 4, &t), 2);
    assert_int_equal(enc_utf8_valid((const unsigned char *)"ab\xE0\x80\x80", 5, &t), 2);
    assert_int_equal(enc_utf8_valid((const unsigned char *)"\xED\xA0\x80", 3, &t), 0);
    assert_int_equal(enc_utf8_valid((const unsigned char *)"\xF4\x90\x80\x80", 4, &t), 0);
    assert_int_equal(enc_utf8_valid((const unsigned char *)"abcdefghij\x80", 11, &t), 10);
    assert_false(t);
    assert_int_equal(enc_utf8_valid((const unsigned char *)"\xFF", 1, &t), 0);
    /* cut at the end */
    assert_int_equal(enc_utf8_valid((const unsigned char *)"ab\xE1\xBB", 4, &t), 2);
    assert_true(t);
}

/* The vector check skips only what the byte-by-byte loop accepts: both
 * agree on the valid prefix and on *trunc, for text of every length with
 * faults of every kind at every place (and at block edges). */
static void
test_utf8_valid_agree(void **state)
{
    static const char *const piece[] = {
        "a", ",", "\n", "0123456789", "\xC3\xA9", "\xC4\x90", "\xE1\xBB\x85",
        "\xE1\xBA\xA1", "\xF0\x9F\x98\x80", "\xEF\xBF\xBD", "\xF4\x8F\xBF\xBF",
        "\xE0\xA0\x80", "\xED\x9F\xBF", "\xEE\x80\x80", "\xC2\x80", "\xDF\xBF",
        /* faults */
        "\x80", "\xBF", "\xC0\x80", "\xC1\xBF", "\xE0\x80\x80", "\xED\xA0\x80",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xF8", "\xFF", "\xC3", "\xE1\xBB",
        "\xF0\x9F\x98", "\xF0\x80\x80\x80", "\xE1\x41", "\xC3\xC3\xA9",
    };
    enum { NGOOD = 16, NALL = sizeof piece / sizeof piece[0] };
    unsigned char buf[400];
    uint32_t seed = 12345;

    (void)state;
    for (int iter = 0; iter < 40000; iter++) {
        size_t n = 0, want;
        seed = seed * 1103515245u + 12345u;
        size_t len = (seed >> 8) % 300;
        int bad_every = 1 + (int)((seed >> 20) % 8); /* 1: many faults; 8: rare */
        while (n < len) {
            seed = seed * 1103515245u + 12345u;
            uint32_t r = seed >> 8;
            const char *p = r % 64 < (uint32_t)bad_every * 2 ? piece[NGOOD + (r >> 6) % (NALL - NGOOD)]
                                                             : piece[(r >> 6) % NGOOD];
            size_t k = strlen(p);
            if (n + k > sizeof buf)
                break;
            memcpy(buf + n, p, k);
            n += k;
        }
        if (iter % 3 == 0) /* a cut anywhere, also inside a character */
            n = n ? (seed >> 4) % n : 0;
        bool t1 = false, t2 = false;
        want = enc_utf8_valid_scalar(buf, n, &t1);
        assert_int_equal(enc_utf8_valid(buf, n, &t2), want);
        assert_int_equal(t1, t2);
    }
}

static void
test_utf8_convert(void **state)
{
    size_t n;
    char *out;

    (void)state;
    /* ASCII as is, BOM dropped (both ids), NFD -> NFC */
    expect_conv(ENC_UTF8, "a,b\r\n1,2\n", "a,b\r\n1,2\n");
    expect_conv(ENC_UTF8_BOM, "\xEF\xBB\xBF" "a,b\n", "a,b\n");
    expect_conv(ENC_UTF8, "\xEF\xBB\xBF" "Đức\n", "Đức\n");
    expect_conv(ENC_UTF8, "Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3", "Nguyễn Thị");
    expect_conv(ENC_UTF8, "Thu\xE1\xBB\xB7", "Thuỷ"); /* already NFC */
    out = conv(ENC_UTF8, "", &n);
    assert_int_equal(n, 0);
    free(out);
    expect_bad(ENC_UTF8, "ok\nok\nbad \xC3(", 12, 3);
    expect_bad(ENC_UTF8, "trunc \xE1\xBB", 8, 1);
    expect_bad(ENC_UTF8_BOM, "\xEF\xBB\xBF\xFF", 4, 1);
}

/* Build n lines of pattern; the unit-test build normalizes in chunks of 64
 * bytes, so these cross many chunk boundaries. */
static char *
repeat(const char *line, size_t n)
{
    size_t l = strlen(line), i;
    char *s = malloc(l * n + 1);

    assert_non_null(s);
    for (i = 0; i < n; i++)
        memcpy(s + i * l, line, l);
    s[l * n] = '\0';
    return s;
}

static void
test_nfc_quick_check(void **state)
{
    (void)state;
    assert_true(enc_nfc_safe((const unsigned char *)"", 0));
    assert_true(enc_nfc_safe((const unsigned char *)"plain, ASCII 123\n", 17));
    assert_true(enc_nfc_safe((const unsigned char *)"Nguyễn Thị Thuỷ Đức Ân ươ",
                             strlen("Nguyễn Thị Thuỷ Đức Ân ươ")));
    /* combining marks, Greek (U+0390 decomposes), CJK: normalized */
    assert_false(enc_nfc_safe((const unsigned char *)"Thuy\xCC\x89", 6));
    assert_false(enc_nfc_safe((const unsigned char *)"\xCE\x90", 2));
    assert_false(enc_nfc_safe((const unsigned char *)"\xE4\xB8\xAD", 3));
    /* the slow path still gives NFC for such lines amid safe ones */
    expect_conv(ENC_UTF8, "ok\n\xE1\xBD\xB1\nThuy\xCC\x89\nok\n",
                "ok\n\xCE\xAC\nThuỷ\nok\n"); /* U+1F71 -> U+03AC */
}

static void
test_utf8_chunks(void **state)
{
    char *in, *want, *out;

    (void)state;
    in = repeat("0101234567,Nguye\xCC\x82\xCC\x83n Thi\xCC\xA3 Thuy\xCC\x89,1\n", 200);
    want = repeat("0101234567,Nguyễn Thị Thuỷ,1\n", 200);
    out = conv(ENC_UTF8, in, NULL);
    assert_string_equal(out, want);
    free(in), free(want), free(out);
    /* one long line (no line end to cut at) */
    in = repeat("Thuy\xCC\x89 ", 300);
    want = repeat("Thuỷ ", 300);
    out = conv(ENC_UTF8, in, NULL);
    assert_string_equal(out, want);
    free(in), free(want), free(out);
}

static void
test_legacy_chunks(void **state)
{
    char *in, *want, *out;

    (void)state;
    in = repeat("0101,Nguy\xD4n Th\xDE Thu\xFB\r\n", 150);
    want = repeat("0101,Nguyễn Thị Thuỷ\r\n", 150);
    out = conv(ENC_TCVN3, in, NULL);
    assert_string_equal(out, want);
    free(in), free(out);
    in = repeat("0101,Nguye\xE3n Th\xF2 Thuy\xFB\r\n", 150);
    out = conv(ENC_VNI, in, NULL);
    assert_string_equal(out, want);
    free(in), free(out);
    in = repeat("0101,Nguy\xEA\xDEn Thi\xF2 Thuy\xD2\r\n", 150);
    out = conv(ENC_CP1258, in, NULL);
    assert_string_equal(out, want);
    free(in), free(out), free(want);
}

static void
test_cp1258_block_boundary(void **state)
{
    /* iconv is fed 64 KiB at a time: a base letter last in one block and
     * its tone mark first in the next must still combine. */
    size_t n = 65536 * 2 + 10, i;
    char *in = malloc(n + 1), *out;
    size_t outn;

    (void)state;
    assert_non_null(in);
    for (i = 0; i < n; i++)
        in[i] = (i % 50 == 49) ? '\n' : 'x';
    in[65535] = 'y';
    in[65536] = '\xD2';
    in[n] = '\0';
    out = conv(ENC_CP1258, in, &outn);
    assert_int_equal(outn, n + 1); /* y + 0xD2 (2 bytes) -> U+1EF7 (3) */
    assert_memory_equal(out + 65535, "\xE1\xBB\xB7", 3);
    assert_int_equal(out[65538], 'x');
    free(in), free(out);
}

/* --------------------------------------------------------------- UTF-16 */

static void
expect_bytes(enc_id e, const void *in, size_t n, const char *want)
{
    char *out = NULL;
    size_t outn = 0;
    struct diag d;

    assert_int_equal(encoding_to_utf8(e, in, n, &out, &outn, &d), SIRECON_OK);
    assert_int_equal(outn, strlen(want));
    assert_string_equal(out, want);
    free(out);
}

static void
test_utf16(void **state)
{
    /* "Đức\n" and U+1F600 as a surrogate pair */
    static const unsigned char le[] = {0xFF, 0xFE, 0x10, 0x01, 0xE9, 0x1E, 'c', 0,
                                       '\n', 0,    0x3D, 0xD8, 0x00, 0xDE};
    static const unsigned char be[] = {0xFE, 0xFF, 0x01, 0x10, 0x1E, 0xE9, 0, 'c',
                                       0,    '\n', 0xD8, 0x3D, 0xDE, 0x00};
    /* NFD in UTF-16: y + U+0309 */
    static const unsigned char nfd[] = {0xFF, 0xFE, 'y', 0, 0x09, 0x03};
    static const unsigned char lone_hi[] = {0xFF, 0xFE, 'a', 0, '\n', 0, 0x3D, 0xD8, 'b', 0};
    static const unsigned char end_hi[] = {0xFF, 0xFE, 'a', 0, 0x3D, 0xD8};
    static const unsigned char lone_lo[] = {0xFF, 0xFE, 0x00, 0xDE};
    static const unsigned char odd[] = {0xFF, 0xFE, 'a', 0, 'b'};
    static const unsigned char nobom[] = {'a', 0, 'b', 0};

    (void)state;
    expect_bytes(ENC_UTF16LE, le, sizeof le, "Đức\n\xF0\x9F\x98\x80");
    expect_bytes(ENC_UTF16BE, be, sizeof be, "Đức\n\xF0\x9F\x98\x80");
    /* a BOM decides the byte order even when the other one was named */
    expect_bytes(ENC_UTF16LE, be, sizeof be, "Đức\n\xF0\x9F\x98\x80");
    expect_bytes(ENC_UTF16LE, nobom, sizeof nobom, "ab");
    expect_bytes(ENC_UTF16LE, nfd, sizeof nfd, "ỷ");
    expect_bytes(ENC_UTF16LE, le, 2, "");
    expect_bad(ENC_UTF16LE, lone_hi, sizeof lone_hi, 2);
    expect_bad(ENC_UTF16LE, end_hi, sizeof end_hi, 1);
    expect_bad(ENC_UTF16LE, lone_lo, sizeof lone_lo, 1);
    expect_bad(ENC_UTF16LE, odd, sizeof odd, -1);
    expect_bad(ENC_UTF16BE, be, sizeof be - 1, -1);
}

static void
test_utf16_chunks(void **state)
{
    char *want = repeat("Thuỷ,1\n", 100), *out;
    unsigned char *in = malloc(2 + 100 * 8 * 2);
    size_t i, j, n = 2, outn;
    static const uint16_t line[] = {'T', 'h', 'u', 'y', 0x0309, ',', '1', '\n'};
    struct diag d;

    (void)state;
    assert_non_null(in);
    in[0] = 0xFF, in[1] = 0xFE;
    for (i = 0; i < 100; i++)
        for (j = 0; j < 8; j++) {
            in[n++] = (unsigned char)(line[j] & 0xFF);
            in[n++] = (unsigned char)(line[j] >> 8);
        }
    assert_int_equal(encoding_to_utf8(ENC_UTF16LE, in, n, &out, &outn, &d), SIRECON_OK);
    assert_string_equal(out, want);
    free(in), free(out), free(want);
}

/* ------------------------------------------------------------ detection */

static void
test_detect_unicode(void **state)
{
    (void)state;
    assert_int_equal(encoding_detect((const unsigned char *)"", 0), ENC_UTF8);
    assert_int_equal(encoding_detect((const unsigned char *)"a,b\r\n1,2\r\n", 10), ENC_UTF8);
    assert_int_equal(encoding_detect((const unsigned char *)"Đức", 5), ENC_UTF8);
    assert_int_equal(encoding_detect((const unsigned char *)"\xEF\xBB\xBF" "a", 4),
                     ENC_UTF8_BOM);
    assert_int_equal(encoding_detect((const unsigned char *)"\xFF\xFE" "a\0", 4),
                     ENC_UTF16LE);
    assert_int_equal(encoding_detect((const unsigned char *)"\xFE\xFF\0a", 4),
                     ENC_UTF16BE);
    /* a prefix cut inside the last character is still UTF-8 */
    assert_int_equal(encoding_detect((const unsigned char *)"Nguy\xE1\xBB", 6), ENC_UTF8);
}

static void
test_detect_fixtures(void **state)
{
    static const struct {
        const char *file;
        enc_id e;
    } fx[] = {
        {"names.utf8.csv", ENC_UTF8},     {"names.utf16le.csv", ENC_UTF16LE},
        {"names.cp1258.csv", ENC_CP1258}, {"names.viscii.csv", ENC_VISCII},
        {"names.tcvn3.csv", ENC_TCVN3},   {"names.vni.csv", ENC_VNI},
    };
    size_t refn, i, n, outn;
    unsigned char *ref = read_fixture("names.utf8.csv", &refn), *buf;
    char *out;
    struct diag d;

    (void)state;
    for (i = 0; i < sizeof fx / sizeof fx[0]; i++) {
        enc_id got;

        buf = read_fixture(fx[i].file, &n);
        got = encoding_detect(buf, n);
        if (got != fx[i].e)
            fail_msg("%s detected as %s", fx[i].file, encoding_name(got));
        assert_int_equal(encoding_to_utf8(got, buf, n, &out, &outn, &d), SIRECON_OK);
        assert_int_equal(outn, refn);
        assert_memory_equal(out, ref, refn);
        free(out);
        free(buf);
    }
    free(ref);
}

static void
test_detect_unknown(void **state)
{
    /* 0x81 0x8D 0x90: undefined in Windows-1258, TCVN3 and VNI; VISCII
     * reads "ẮỄỒ" inside a word, no Vietnamese syllable */
    static const unsigned char none[] = "ab\x81\x8D\x90" "cd\n";
    /* one byte that is "à" in both Windows-1258 and VISCII: a tie */
    static const unsigned char tie[] = "x \xE0 y\n";
    /* only a non-breaking space: nothing to judge */
    static const unsigned char nbsp[] = "a\xA0" "b\n";

    (void)state;
    assert_int_equal(encoding_detect(none, sizeof none - 1), ENC_UNKNOWN);
    assert_int_equal(encoding_detect(tie, sizeof tie - 1), ENC_UNKNOWN);
    assert_int_equal(encoding_detect(nbsp, sizeof nbsp - 1), ENC_UNKNOWN);
}

static enc_id
detect_str(const char *s)
{
    return encoding_detect((const unsigned char *)s, strlen(s));
}

static void
test_detect_text(void **state)
{
    /* "Công ty TNHH Thương mại Việt Nam đóng bảo hiểm" in each encoding */
    (void)state;
    assert_int_equal(detect_str("C\xABng ty TNHH Th\xAD\xACng m\xB9i Vi\xD6t Nam "
                                "\xAE\xE3ng b\xB6o hi\xD3m"),
                     ENC_TCVN3);
    assert_int_equal(detect_str("Co\xE2ng ty TNHH Th\xF6\xF4ng ma\xEFi Vie\xE4t Nam "
                                "\xF1o\xF9ng ba\xFBo hie\xE5m"),
                     ENC_VNI);
    assert_int_equal(detect_str("C\xF4ng ty TNHH Th\xFD\xF5ng ma\xF2i Vi\xEA\xF2t Nam "
                                "\xF0o\xECng ba\xD2o hi\xEA\xD2m"),
                     ENC_CP1258);
}

static void
test_syllables(void **state)
{
    static const char *const good[] = {
        "nguyễn", "Thị", "thuỷ", "thủy", "người", "khuya", "khuỷu", "giữ", "gì",
        "quý", "Đặng", "ĐỨC", "nghiêng", "xoong", "hoàng", "yến", "ước", "việt",
        "NGUYễN", "khoẻ", "tuổi", "xuân", "Ân",
    };
    static const char *const bad[] = {
        "nguyeón", "vaờn", "traàn", "Thh\xCC\xA3", "ñöùc", "ắấ", "thuỷỷ",
        "æble", "straße", "ẮỄỒ", "xyzỏ", "aaaaaaaaaaaaaaaá",
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!enc_syllable_ok(good[i], strlen(good[i])))
            fail_msg("\"%s\" should be a syllable", good[i]);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (enc_syllable_ok(bad[i], strlen(bad[i])))
            fail_msg("\"%s\" should not be a syllable", bad[i]);
    assert_int_equal(enc_score_text("Nguyễn Thị, Thuỷ", strlen("Nguyễn Thị, Thuỷ")), 100);
    assert_int_equal(enc_score_text("Nguyeón Thị", strlen("Nguyeón Thị")), 50);
    assert_int_equal(enc_score_text("plain ascii", 11), -1);
    assert_int_equal(enc_score_text("a \xC2\xB8 b", 6), 0); /* a lone symbol */
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_tcvn3_chart),
        cmocka_unit_test(test_tcvn3_capitals_font),
        cmocka_unit_test(test_tcvn3_undefined),
        cmocka_unit_test(test_vni_chart),
        cmocka_unit_test(test_vni_undefined),
        cmocka_unit_test(test_cp1258),
        cmocka_unit_test(test_viscii),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_valid_agree),
        cmocka_unit_test(test_utf8_convert),
        cmocka_unit_test(test_nfc_quick_check),
        cmocka_unit_test(test_utf8_chunks),
        cmocka_unit_test(test_legacy_chunks),
        cmocka_unit_test(test_cp1258_block_boundary),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_utf16_chunks),
        cmocka_unit_test(test_detect_unicode),
        cmocka_unit_test(test_detect_fixtures),
        cmocka_unit_test(test_detect_unknown),
        cmocka_unit_test(test_detect_text),
        cmocka_unit_test(test_syllables),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
