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
 * payer and year on each.
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
    int field;                 /* 1 mst, 2 tenNNT, 3 kyKKhai, 4 maTKhai, 0 none */
    char mst[32], name[HTKK_VAL], year[16], form[16];
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
    if (strcmp(n, "PLuc_05_1_BK_QTT") == 0) {
        h->appendix = 1;
        h->saw_appendix = true;
    } else if (strcmp(n, "PLuc_05_2_BK_QTT") == 0) {
        h->appendix = 2;
        h->saw_appendix = true;
    } else if (strcmp(n, "PLuc_05_3_BK_QTT") == 0) {
        h->appendix = 3;
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
        if (h->col < 0)
            h->info->ignored++;
    } else if (strcmp(n, "mst") == 0 && under(h, "NNT")) {
        h->field = 1;
    } else if (strcmp(n, "tenNNT") == 0 && under(h, "NNT")) {
        h->field = 2;
    } else if (strcmp(n, "kyKKhai") == 0 && under(h, "KyKKhaiThue")) {
        h->field = 3;
    } else if (strcmp(n, "maTKhai") == 0 && under(h, "TKhaiThue")) {
        h->field = 4;
    }
}

static void XMLCALL
on_text(void *ud, const XML_Char *s, int len)
{
    struct hx *h = ud;

    if (h->col < 0 && h->field == 0)
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

    if (h->col >= 0 && h->in_person) {
        free(h->cur.v[h->col]);
        h->cur.v[h->col] = trimmed(h->text, h->textn);
    } else if (h->field != 0) {
        char *v = trimmed(h->text, h->textn);
        char *dst = h->field == 1 ? h->mst : h->field == 2 ? h->name
                  : h->field == 3 ? h->year : h->form;
        size_t cap = h->field == 1 ? sizeof h->mst : h->field == 2 ? sizeof h->name
                   : h->field == 3 ? sizeof h->year : sizeof h->form;
        snprintf(dst, cap, "%s", v);
        free(v);
    }
    h->col = -1;
    h->field = 0;
    h->textn = 0;
    if (strcmp(n, "BKeCTietCNhan") == 0 && h->in_person) {
        h->ps = xgrow(h->ps, &h->capps, h->nps + 1, sizeof *h->ps);
        h->ps[h->nps++] = h->cur;
        memset(&h->cur, 0, sizeof h->cur);
        h->in_person = false;
        h->info->persons++;
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
    if (rc == SIRECON_OK && h.form[0] && strcmp(h.form, "953") != 0)
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      "an HTKK declaration of form %s, not 05/QTT-TNCN (953)", h.form);
    if (rc == SIRECON_OK && !h.saw_appendix)
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      "the HTKK declaration has no 05-1 or 05-2 appendix (PLuc_05_1_BK_QTT, "
                      "PLuc_05_2_BK_QTT)");
    if (rc == SIRECON_OK && h.mst[0] == '\0')
        rc = diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                      "the HTKK declaration names no payer tax code (NNT/mst)");
    if (rc == SIRECON_OK && h.year[0] == '\0')
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
        put_field(&b, h.mst, false);
        put(&b, ",");
        put_field(&b, h.name, false);
        put(&b, ",");
        put_field(&b, h.year, false);
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
