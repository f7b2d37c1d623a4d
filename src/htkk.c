/*
 * htkk.c - an HTKK 05/QTT-TNCN declaration as CSV (htkk.h).
 *
 * expat walks the XML once; element names are compared without a
 * namespace prefix.  The path of open elements decides what a text node
 * is: HSoThueDTu/HSoKhaiThue/TTinChung/TTinTKhaiThue/NNT/mst is the payer,
 * .../TKhaiThue/KyKKhaiThue/kyKKhai the year, .../TKhaiThue/maTKhai the
 * form (953 for 05/QTT-TNCN); inside PLuc/PLuc_05_x_BK_QTT/BKeCTietCNhan
 * each child ctNN is an indicator of that person, read by name through the
 * appendix's own table.  Persons are kept until the end (the header may in
 * principle come after the appendices) and written as CSV lines with the
 * payer and year on each.  On the way the header and the appendices are
 * described in struct htkk_info (for `check`): an element of an appendix
 * that is neither a person, one of the form's indicators nor a total, or an
 * appendix other than 05-1/05-2/05-3, is counted as ignored by name.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <expat.h>
#include "sirecon/htkk.h"

#define HTKK_DEPTH 16
#define HTKK_VAL 256   /* bytes of one indicator kept */
#define HTKK_CHUNK (64 * 1024)

enum { C_NAME, C_TAXCODE, C_ID, C_INCOME, C_INSURANCE, C_WITHHELD, C_NONRES, C_COUNT };

/* Indicator -> column, per appendix (TT80 numbering; docs/inputs.md, "Formats"). */
struct ind {
    const char *ct;
    int col;
};
static const struct ind ind_05_1[] = {
    {"ct07", C_NAME}, {"ct08", C_TAXCODE}, {"ct09", C_ID}, {"ct12", C_INCOME},
    {"ct19", C_INSURANCE}, {"ct22", C_WITHHELD},
};
static const struct ind ind_05_2[] = {
    {"ct07", C_NAME}, {"ct08", C_TAXCODE}, {"ct09", C_ID}, {"ct10", C_NONRES},
    {"ct11", C_INCOME}, {"ct15", C_WITHHELD},
};

/* The rest of each appendix's layout (docs/inputs.md, "Formats"): a person's
 * indicators ct07..(last), with sub-indicators such as ct15.1, and the
 * appendix's totals; sirecon reads only those above. */
struct layout {
    int person_first, person_last, total_first, total_last;
};
static const struct layout layout_05[2] = {
    {7, 27, 28, 43}, /* 05-1 */
    {7, 16, 17, 22}, /* 05-2 */
};
static const char *const person_named[] = {
    "coDieuChinhSoLieu", "nguoiVNSongNN_NguoiNN", "ct09a_ma", "ct09a_ten",
};

struct person {
    int schedule;              /* 1 or 2 */
    uint32_t line;
    char *v[C_COUNT];
};

struct hx {
    XML_Parser p;
    const char *stack[HTKK_DEPTH];
    char names[HTKK_DEPTH][48];
    int depth;
    int appendix;              /* 1, 2 inside PLuc_05_1/05_2; 3 inside 05_3; 0 none */
    int col;                   /* column of the indicator being read, -1 none */
    struct person cur;
    bool in_person;
    char text[HTKK_VAL];
    size_t textn;
    int field;                 /* 1 mst, 2 tenNNT, 3 kyKKhai, 4 maTKhai, 5 moTaBMau,
                                  0 none */
    int skip;                  /* depth of an ignored element being skipped, 0 none */
    bool saw_appendix;
    struct person *ps;
    size_t nps, capps;
    struct htkk_info *info;
};

static const char *
local(const char *n)
{
    const char *c = strrchr(n, ':');
    return c ? c + 1 : n;
}

static bool
under(const struct hx *h, const char *name)
{
    for (int i = 0; i < h->depth && i < HTKK_DEPTH; i++)
        if (strcmp(h->names[i], name) == 0)
            return true;
    return false;
}

/* The parent of the element just opened, "" when unknown. */
static const char *
parent(const struct hx *h)
{
    return h->depth >= 2 && h->depth - 2 < HTKK_DEPTH ? h->names[h->depth - 2] : "";
}

/* Whether n is "ctNN" (or "ctNN.k", "ctNN_k") with first <= NN <= last. */
static bool
ct_in(const char *n, int first, int last)
{
    int v = 0, k = 0;

    if (strncmp(n, "ct", 2) != 0)
        return false;
    for (n += 2; *n >= '0' && *n <= '9' && k < 3; n++, k++)
        v = v * 10 + (*n - '0');
    if (k == 0 || v < first || v > last)
        return false;
    if (*n == '.' || *n == '_') {
        n++;
        if (!(*n >= '0' && *n <= '9'))
            return false;
        while (*n >= '0' && *n <= '9')
            n++;
    }
    return *n == '\0';
}

/* Whether n is part of a person's layout in appendix a (1 or 2). */
static bool
person_known(const char *n, int a)
{
    for (size_t i = 0; i < sizeof person_named / sizeof *person_named; i++)
        if (strcmp(n, person_named[i]) == 0)
            return true;
    return ct_in(n, layout_05[a - 1].person_first, layout_05[a - 1].person_last);
}

/* Count an element that is not part of the layout; its content is skipped. */
static void
ignore(struct hx *h, const char *n, bool in_person)
{
    struct htkk_info *in = h->info;
    int a = h->appendix == 1 || h->appendix == 2 ? h->appendix : 0;
    size_t i;

    in->ignored++;
    h->skip = h->depth;
    for (i = 0; i < in->nign; i++)
        if (in->ign[i].appendix == a && in->ign[i].in_person == in_person &&
            strcmp(in->ign[i].name, n) == 0)
            break;
    if (i == in->nign) {
        if (i == HTKK_IGNORED_MAX)
            return;
        memset(&in->ign[i], 0, sizeof in->ign[i]);
        snprintf(in->ign[i].name, sizeof in->ign[i].name, "%s", n);
        in->ign[i].appendix = a;
        in->ign[i].in_person = in_person;
        in->ign[i].line = (uint32_t)XML_GetCurrentLineNumber(h->p);
        in->nign++;
    }
    in->ign[i].count++;
}

static void XMLCALL
on_start(void *ud, const XML_Char *el, const XML_Char **attr)
{
    struct hx *h = ud;
    const char *n = local(el);

    (void)attr;
    if (h->depth < HTKK_DEPTH)
        snprintf(h->names[h->depth], sizeof h->names[0], "%s", n);
    h->depth++;
    h->textn = 0;
    h->field = 0;
    h->col = -1;
    if (h->skip)
        return;
    if (strcmp(n, "PLuc_05_1_BK_QTT") == 0) {
        h->appendix = 1;
        h->saw_appendix = true;
        h->info->appendix[0] = true;
    } else if (strcmp(n, "PLuc_05_2_BK_QTT") == 0) {
        h->appendix = 2;
        h->saw_appendix = true;
        h->info->appendix[1] = true;
    } else if (strcmp(n, "PLuc_05_3_BK_QTT") == 0) {
        h->appendix = 3;
        h->info->appendix[2] = true;
    } else if (strcmp(parent(h), "PLuc") == 0) {
        ignore(h, n, false); /* an appendix sirecon does not know */
    } else if (strcmp(n, "BKeCTietCNhan") == 0 && (h->appendix == 1 || h->appendix == 2)) {
        for (int c = 0; c < C_COUNT; c++) /* a person left open: dropped */
            free(h->cur.v[c]);
        memset(&h->cur, 0, sizeof h->cur);
        h->cur.schedule = h->appendix;
        h->cur.line = (uint32_t)XML_GetCurrentLineNumber(h->p);
        h->in_person = true;
    } else if (strcmp(n, "BKeTTinNPT") == 0) {
        h->info->dependants++;
    } else if (h->in_person && h->depth >= 2 && h->depth - 2 < HTKK_DEPTH &&
               strcmp(h->names[h->depth - 2], "BKeCTietCNhan") == 0) {
        const struct ind *t = h->cur.schedule == 1 ? ind_05_1 : ind_05_2;
        size_t nt = h->cur.schedule == 1 ? sizeof ind_05_1 / sizeof *ind_05_1
                                         : sizeof ind_05_2 / sizeof *ind_05_2;
        for (size_t i = 0; i < nt; i++)
            if (strcmp(n, t[i].ct) == 0)
                h->col = t[i].col;
        if (h->col < 0 && !person_known(n, h->cur.schedule))
            ignore(h, n, true);
    } else if ((h->appendix == 1 || h->appendix == 2) &&
               strncmp(parent(h), "PLuc_05_", 8) == 0) {
        /* directly in 05-1/05-2: a person (above) or a total */
        if (!ct_in(n, layout_05[h->appendix - 1].total_first,
                   layout_05[h->appendix - 1].total_last))
            ignore(h, n, false);
    } else if (strcmp(n, "mst") == 0 && under(h, "NNT")) {
        h->field = 1;
    } else if (strcmp(n, "tenNNT") == 0 && under(h, "NNT")) {
        h->field = 2;
    } else if (strcmp(n, "kyKKhai") == 0 && under(h, "KyKKhaiThue")) {
        h->field = 3;
    } else if (strcmp(n, "maTKhai") == 0 && under(h, "TKhaiThue")) {
        h->field = 4;
    } else if (strcmp(n, "moTaBMau") == 0 && under(h, "TKhaiThue")) {
        h->field = 5;
    }
}

/* The circular a form description names: "(Ban hành kèm theo Thông tư số
 * 80/2021/TT-BTC ...)" gives "80/2021/TT-BTC"; "" when it names none. */
static void
circular_of(const char *desc, char *out, size_t cap)
{
    static const char *const marks[] = {"Th\xc3\xb4ng t\xc6\xb0", "Thong tu", "TT"};
    const char *p = NULL;
    size_t n = 0;

    out[0] = '\0';
    for (size_t i = 0; i < sizeof marks / sizeof *marks && p == NULL; i++)
        if ((p = strstr(desc, marks[i])) != NULL)
            p += strlen(marks[i]);
    if (p == NULL)
        return;
    while (*p == ' ')
        p++;
    if (strncmp(p, "s\xe1\xbb\x91", 4) == 0) /* "số" */
        p += 4;
    else if (strncmp(p, "so ", 3) == 0)
        p += 2;
    while (*p == ' ')
        p++;
    if (!(*p >= '0' && *p <= '9'))
        return;
    while (p[n] && (isalnum((unsigned char)p[n]) || p[n] == '/' || p[n] == '-'))
        n++;
    while (n > 0 && (p[n - 1] == '/' || p[n - 1] == '-'))
        n--;
    snprintf(out, cap, "%.*s", (int)n, p);
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
    struct hx *h = ud;

    if (h->skip || (h->col < 0 && h->field == 0))
        return;
    for (int i = 0; i < len && h->textn + 1 < sizeof h->text; i++)
        h->text[h->textn++] = s[i];
}

static char *
trimmed(const char *s, size_t n)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    return xstrndup(s, n);
}

static void XMLCALL
on_end(void *ud, const XML_Char *el)
{
    struct hx *h = ud;
    const char *n = local(el);
    struct htkk_info *in = h->info;

    if (h->skip) {
        if (h->depth == h->skip)
            h->skip = 0;
        if (h->depth > 0)
            h->depth--;
        return;
    }
    if (h->col >= 0 && h->in_person) {
        free(h->cur.v[h->col]);
        h->cur.v[h->col] = trimmed(h->text, h->textn);
    } else if (h->field != 0) {
        char *v = trimmed(h->text, h->textn);
        char *dst = h->field == 1 ? in->payer_tax_id : h->field == 2 ? in->payer_name
                  : h->field == 3 ? in->year : in->form;
        size_t cap = h->field == 1 ? sizeof in->payer_tax_id
                   : h->field == 2 ? sizeof in->payer_name
                   : h->field == 3 ? sizeof in->year : sizeof in->form;
        if (h->field == 5)
            circular_of(v, in->circular, sizeof in->circular);
        else
            snprintf(dst, cap, "%s", v);
        free(v);
    }
    h->col = -1;
    h->field = 0;
    h->textn = 0;
    if (strcmp(n, "BKeCTietCNhan") == 0 && h->in_person) {
        h->ps = xgrow(h->ps, &h->capps, h->nps + 1, sizeof *h->ps);
        in->persons++;
        in->persons_by[h->cur.schedule - 1]++;
        h->ps[h->nps++] = h->cur;
        memset(&h->cur, 0, sizeof h->cur);
        h->in_person = false;
    } else if (strncmp(n, "PLuc_05_", 8) == 0) {
        h->appendix = 0;
    }
    if (h->depth > 0)
        h->depth--;
}

static void
put(struct sbuf *b, const char *s)
{
    sbuf_put(b, s, strlen(s));
}

/* A CSV field; an amount written "120000000.00" loses its zero decimals
 * (HTKK writes whole VND). */
static void
put_field(struct sbuf *b, const char *s, bool amount)
{
    size_t n = strlen(s);
    const char *dot = amount ? strchr(s, '.') : NULL;

    if (dot != NULL && strspn(dot + 1, "0") == strlen(dot + 1))
        n = (size_t)(dot - s);
    sbuf_csv_field(b, s, n);
}

static void
free_people(struct hx *h)
{
    for (size_t i = 0; i < h->nps; i++)
        for (int c = 0; c < C_COUNT; c++)
            free(h->ps[i].v[c]);
    for (int c = 0; c < C_COUNT; c++)
        free(h->cur.v[c]);
    free(h->ps);
}

bool
htkk_sniff(const unsigned char *buf, size_t n)
{
    size_t lim = n < 4096 ? n : 4096;

    /* "<HSoThueDTu", or "<ns:HSoThueDTu" */
    for (size_t i = 0; i + 11 <= lim; i++)
        if ((buf[i] == '<' || buf[i] == ':') && memcmp(buf + i + 1, "HSoThueDTu", 10) == 0)
            return true;
    return false;
}

sirecon_status
htkk_to_csv(const char *xml, size_t n, char **out, size_t *outn, uint32_t **lines,
            size_t *nlines, struct htkk_info *info, struct diag *d)
{
    struct hx h;
    struct sbuf b = {NULL, 0, 0};
    sirecon_status rc = SIRECON_OK;
    size_t off = 0;

    *out = NULL;
    *outn = 0;
    *lines = NULL;
    *nlines = 0;
    memset(info, 0, sizeof *info);
    info->form_name = "05/QTT-TNCN";
    memset(&h, 0, sizeof h);
    h.info = info;
    h.col = -1;
    h.p = XML_ParserCreate("UTF-8");
    if (h.p == NULL)
        return diag_set(d, SIRECON_ERR_NOMEM, NULL, 0, "out of memory (XML parser)");
    XML_SetUserData(h.p, &h);
    XML_SetElementHandler(h.p, on_start, on_end);
    XML_SetCharacterDataHandler(h.p, on_text);
    do {
        size_t k = n - off > HTKK_CHUNK ? HTKK_CHUNK : n - off;
        if (XML_Parse(h.p, xml + off, (int)k, off + k == n) == XML_STATUS_ERROR) {
            rc = diag_set(d, SIRECON_ERR_DATA, NULL, (long)XML_GetCurrentLineNumber(h.p),
                          "not a readable HTKK XML declaration: %s",
                          XML_ErrorString(XML_GetErrorCode(h.p)));
            break;
        }
        off += k;
    } while (off < n);
    XML_ParserFree(h.p);
    if (rc == SIRECON_OK && info->form[0] && strcmp(info->form, "953") != 0)
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      "an HTKK declaration of form %s, not 05/QTT-TNCN (953)", info->form);
    if (rc == SIRECON_OK && !h.saw_appendix)
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      "the HTKK declaration has no 05-1 or 05-2 appendix (PLuc_05_1_BK_QTT, "
                      "PLuc_05_2_BK_QTT)");
    if (rc == SIRECON_OK && info->payer_tax_id[0] == '\0')
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      "the HTKK declaration names no payer tax code (NNT/mst)");
    if (rc == SIRECON_OK && info->year[0] == '\0')
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      "the HTKK declaration names no tax year (KyKKhaiThue/kyKKhai)");
    if (rc != SIRECON_OK) {
        free_people(&h);
        return rc;
    }
    *lines = xmalloc((h.nps + 1) * sizeof **lines);
    (*lines)[0] = 1;
    put(&b, "employer_tax_id,employer_name,tax_year,schedule,full_name,employee_tax_id,"
            "id_number,taxable_income,insurance_deduction,tax_withheld,non_resident\n");
    for (size_t i = 0; i < h.nps; i++) {
        const struct person *p = &h.ps[i];
        put_field(&b, info->payer_tax_id, false);
        put(&b, ",");
        put_field(&b, info->payer_name, false);
        put(&b, ",");
        put_field(&b, info->year, false);
        put(&b, p->schedule == 2 ? ",05-2" : ",05-1");
        for (int c = 0; c < C_COUNT; c++) {
            put(&b, ",");
            put_field(&b, p->v[c] ? p->v[c] : "", c == C_INCOME || c == C_INSURANCE ||
                                                      c == C_WITHHELD);
        }
        put(&b, "\n");
        (*lines)[i + 1] = p->line;
    }
    *nlines = h.nps + 1;
    *out = b.s;
    *outn = b.n;
    free_people(&h);
    return SIRECON_OK;
}
