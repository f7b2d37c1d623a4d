/*
 * explain.c - `sirecon explain` (see explain.h, docs/matching.md).
 *
 * The queries pick their tax records once the person clusters are known
 * (the match trace's select hook), the matcher notes what each rule saw
 * for those records only, and this file lays the notes out.  Nothing here
 * decides: statuses, reasons, flags and arrears are the run's own.
 */
#define _GNU_SOURCE /* qsort_r (glibc; POSIX.1-2024) */
#include <ctype.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sirecon/explain.h"
#include "sirecon/source.h"
#include "sirecon/employers.h"
#include "sirecon/i18n.h"
#include "sirecon/ids.h"
#include "sirecon/json.h"
#include "sirecon/names.h"

/* ---- what the queries name ---- */

/* An identifier compared loosely: letters and digits only, upper-cased,
 * leading zeros dropped, so a CCCD that lost its zero in Excel, or one
 * typed with spaces, still finds its person. */
static void
id_loose(const char *s, char *out, size_t n)
{
    size_t k = 0;
    bool lead = true;

    for (; *s && k + 1 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (!isalnum(c) || (lead && c == '0'))
            continue;
        lead = false;
        out[k++] = (char)toupper(c);
    }
    out[k] = '\0';
}

static bool
ids_hit(const struct person_ids *p, const char *loose)
{
    char b[IDS_MAX + 8], t[IDS_MAX];

    for (int k = 0; k < IDK_COUNT && loose[0]; k++) {
        if (ids_get(p, (id_kind)k) == 0)
            continue;
        id_loose(ids_key_text(ids_get(p, (id_kind)k), t), b, sizeof b);
        if (strcmp(b, loose) == 0)
            return true;
    }
    return false;
}

/* Digits of an employer code as typed ("0100233488-001" -> 13 digits). */
static void
emp_digits(const char *s, char *out, size_t n)
{
    size_t k = 0;

    for (; s && *s && k + 1 < n; s++)
        if (*s >= '0' && *s <= '9')
            out[k++] = *s;
    out[k] = '\0';
}

static bool
emp_is(const char *emp, const char *filed, const char *code)
{
    return (emp && strcmp(emp, code) == 0) || (filed && strcmp(filed, code) == 0);
}

bool
explain_is_identifier(const char *s)
{
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return true;
    return false;
}

static void
add_rec(struct explain *x, size_t qi, size_t ti)
{
    size_t cap = x->nrecs[qi];

    for (size_t k = 0; k < x->nrecs[qi]; k++)
        if (x->recs[qi][k] == ti)
            return;
    x->recs[qi] = xgrow(x->recs[qi], &cap, x->nrecs[qi] + 1, sizeof **x->recs);
    x->recs[qi][x->nrecs[qi]++] = ti;
}

static bool
has_person(const struct explain *x, size_t qi, uint32_t p)
{
    for (size_t k = 0; k < x->npersons[qi]; k++)
        if (x->persons[qi][k] == p)
            return true;
    return false;
}

static void
add_person(struct explain *x, size_t qi, uint32_t p)
{
    size_t cap = x->npersons[qi];

    if (p == PERSON_NONE || has_person(x, qi, p))
        return;
    x->persons[qi] = xgrow(x->persons[qi], &cap, x->npersons[qi] + 1, sizeof **x->persons);
    x->persons[qi][x->npersons[qi]++] = p;
}

/* Tax records by position (ctx: the dataset). */
static int
cmp_pos(const void *pa, const void *pb, void *ctx)
{
    const struct dataset *ds = ctx;
    const struct tax_rec *a = &ds->tax[*(const size_t *)pa];
    const struct tax_rec *b = &ds->tax[*(const size_t *)pb];

    if (a->file != b->file)
        return a->file < b->file ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static void
select_person(struct explain *x, size_t qi, const struct dataset *ds)
{
    const struct explain_query *q = &x->q[qi];
    char loose[128], code[32];

    if (explain_is_identifier(q->value)) {
        id_loose(q->value, loose, sizeof loose);
        for (size_t i = 0; i < ds->ntax; i++)
            if (ids_hit(&ds->tax[i].ids, loose)) {
                add_rec(x, qi, i);
                add_person(x, qi, ds->tax[i].person);
            }
        for (size_t i = 0; i < ds->nsi; i++)
            if (ids_hit(&ds->si[i].ids, loose))
                add_person(x, qi, ds->si[i].person);
        for (size_t i = 0; i < ds->ntax; i++)
            if (ds->tax[i].person != PERSON_NONE && has_person(x, qi, ds->tax[i].person))
                add_rec(x, qi, i);
        return;
    }
    /* a name, at one employer */
    arena a;
    name_keys nk;
    arena_init(&a);
    names_keys(&a, q->value, strlen(q->value), &nk);
    emp_digits(q->employer, code, sizeof code);
    for (size_t i = 0; i < ds->ntax; i++) {
        const struct tax_rec *t = &ds->tax[i];
        if (nk.folded[0] && strcmp(t->name->fold, nk.folded) == 0 &&
            emp_is(t->emp, t->emp_filed, code)) {
            add_rec(x, qi, i);
            add_person(x, qi, t->person);
        }
    }
    arena_free(&a);
}

bool
explain_same_file(const char *given, size_t n, const char *path)
{
    struct stat a, b;
    char *g;
    bool same;

    if (strlen(path) == n && strncmp(path, given, n) == 0)
        return true;
    if (strcmp(path, "-") == 0 || (n == 1 && given[0] == '-'))
        return false; /* standard input is no file to find again */
    g = xmalloc(n + 1);
    memcpy(g, given, n);
    g[n] = '\0';
    {
        /* a workbook's sheet, "book.xlsx[05-2]": the same workbook file
         * however written, and the same sheet */
        char *gb, *gs, *pb, *ps;
        bool gsheet = source_sheet_path(g, &gb, &gs), psheet = source_sheet_path(path, &pb, &ps);
        if (gsheet || psheet) {
            same = gsheet && psheet && strcmp(gs, ps) == 0 && stat(gb, &a) == 0 &&
                   stat(pb, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
            if (gsheet)
                free(gb), free(gs);
            if (psheet)
                free(pb), free(ps);
            free(g);
            return same;
        }
    }
    same = stat(g, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
           a.st_ino == b.st_ino;
    free(g);
    return same;
}

static void
select_row(struct explain *x, size_t qi, const struct dataset *ds)
{
    const char *v = x->q[qi].value, *colon = strrchr(v, ':');
    char *end;
    unsigned long line;

    if (colon == NULL)
        return;
    line = strtoul(colon + 1, &end, 10);
    if (*end != '\0' || end == colon + 1)
        return;
    /* the files it names, once each (a stat per file, not per record) */
    unsigned char *named = xcalloc(ds->nfiles ? ds->nfiles : 1, 1);
    bool any = false;
    for (size_t f = 0; f < ds->nfiles; f++)
        if (ds->files[f].kind == KIND_TAX &&
            explain_same_file(v, (size_t)(colon - v), ds->files[f].path)) {
            named[f] = 1;
            any = true;
        }
    for (size_t i = 0; any && i < ds->ntax; i++) {
        const struct tax_rec *t = &ds->tax[i];
        if (t->line == line && named[t->file]) {
            add_rec(x, qi, i);
            add_person(x, qi, t->person);
        }
    }
    free(named);
}

static void
select_records(void *ctx, const struct dataset *ds, unsigned char *want)
{
    struct explain *x = ctx;

    for (size_t qi = 0; qi < x->nq; qi++) {
        if (x->q[qi].by == EXPLAIN_PERSON)
            select_person(x, qi, ds);
        else if (x->q[qi].by == EXPLAIN_ROW)
            select_row(x, qi, ds);
        if (x->nrecs[qi] > 1)
            qsort_r(x->recs[qi], x->nrecs[qi], sizeof **x->recs, cmp_pos, (void *)ds);
        for (size_t k = 0; k < x->nrecs[qi]; k++)
            want[x->recs[qi][k]] = 1;
    }
}

void
explain_init(struct explain *x, const struct explain_query *q, size_t nq)
{
    memset(x, 0, sizeof *x);
    x->q = q;
    x->nq = nq;
    x->recs = xcalloc(nq ? nq : 1, sizeof *x->recs);
    x->nrecs = xcalloc(nq ? nq : 1, sizeof *x->nrecs);
    x->persons = xcalloc(nq ? nq : 1, sizeof *x->persons);
    x->npersons = xcalloc(nq ? nq : 1, sizeof *x->npersons);
    x->found = xcalloc(nq ? nq : 1, sizeof *x->found);
    x->trace.select = select_records;
    x->trace.ctx = x;
}

struct match_trace *
explain_trace(struct explain *x)
{
    return &x->trace;
}

void
explain_free(struct explain *x)
{
    for (size_t qi = 0; qi < x->nq; qi++) {
        free(x->recs[qi]);
        free(x->persons[qi]);
    }
    free(x->recs);
    free(x->nrecs);
    free(x->persons);
    free(x->npersons);
    free(x->found);
    match_trace_free(&x->trace);
    memset(x, 0, sizeof *x);
}

/* ---- writing: one walk, two emitters ----
 *
 * The walk below states each piece of evidence once, as a line: a text
 * template (already translated; NULL when the line is JSON only) and its
 * fields.  A field has a JSON key (NULL: text only; "" an array element),
 * a value, and the template argument it fills (1.., 0: JSON only), with a
 * text of its own when the sentence shows it otherwise (a localized word
 * for a code, "-" for nothing).  The text emitter fills the template; the
 * JSON emitter writes the keyed fields, in their order, into the object
 * open.  Objects and arrays are opened and closed through the same
 * emitter; text has none.  Adding a line is adding one call. */

typedef enum fk {
    FK_STR,   /* s */
    FK_INT,   /* i */
    FK_UINT,  /* i, written unsigned */
    FK_BOOL,  /* i */
    FK_MONEY, /* i: a number in JSON, "1,234,567" in text */
    FK_RATE,  /* f: 3 decimals in JSON, a percentage in text */
    FK_IDS,   /* p: struct person_ids */
    FK_SI,    /* p: struct si_rec */
} fk;

struct fld {
    const char *key; /* JSON key: NULL text only, "" an array element */
    int arg;         /* template argument it fills (1..), 0 none */
    fk kind;
    const char *s;
    int64_t i;
    double f;
    const void *p;
    const char *ts;  /* its text, when other than the value's */
};

/* F_X(key, arg, value[, .ts = text]) */
#define F_S(k, a, ...)   {.key = (k), .arg = (a), .kind = FK_STR, .s = __VA_ARGS__}
#define F_I(k, a, ...)   {.key = (k), .arg = (a), .kind = FK_INT, .i = __VA_ARGS__}
#define F_U(k, a, ...)   {.key = (k), .arg = (a), .kind = FK_UINT, .i = __VA_ARGS__}
#define F_B(k, a, ...)   {.key = (k), .arg = (a), .kind = FK_BOOL, .i = __VA_ARGS__}
#define F_M(k, a, ...)   {.key = (k), .arg = (a), .kind = FK_MONEY, .i = __VA_ARGS__}
#define F_R(k, a, ...)   {.key = (k), .arg = (a), .kind = FK_RATE, .f = __VA_ARGS__}
#define F_IDS(k, a, ...) {.key = (k), .arg = (a), .kind = FK_IDS, .p = __VA_ARGS__}
#define F_SI(k, a, ...)  {.key = (k), .arg = (a), .kind = FK_SI, .p = __VA_ARGS__}

struct out;

struct emitter {
    void (*line)(struct out *o, int indent, const char *tmpl, const struct fld *f, size_t n);
    void (*open)(struct out *o, const char *key, char c); /* '{' or '[' */
    void (*close)(struct out *o, char c);
    void (*gap)(struct out *o);  /* between records and queries */
    void (*done)(struct out *o); /* after the last query */
};

struct out {
    FILE *f;
    const struct emitter *em;
    struct js j;
    lang l;
    bool mask;
    const struct run *r;
    const struct dataset *ds;
};

/* One line: LINE(o, indent, template or NULL, fields...). */
#define LINE(o, indent, tmpl, ...)                                                   \
    do {                                                                             \
        const struct fld f_[] = {__VA_ARGS__};                                       \
        (o)->em->line((o), (indent), (tmpl), f_, sizeof f_ / sizeof f_[0]);          \
    } while (0)
/* A line of text alone (no field). */
#define TLINE(o, indent, tmpl) (o)->em->line((o), (indent), (tmpl), NULL, 0)

static const char *
T(const struct out *o, const char *key)
{
    return i18n(o->l, key);
}

/* 1234567 -> "1,234,567" (en) or "1.234.567" (vi); buf >= 32. */
static const char *
money(const struct out *o, int64_t v, char *buf)
{
    values_money_str(v, o->l == LANG_VI ? '.' : ',', buf);
    return buf;
}

static const char *
month_s(const struct out *o, int m, char *buf, size_t n)
{
    if (m == MONTH_OPEN)
        return T(o, "explain.ongoing");
    snprintf(buf, n, "%02d/%04d", m % 12 + 1, m / 12);
    return buf;
}

static const char *
date_s(const struct out *o, sdate d, char *buf, size_t n)
{
    if (d == 0)
        return T(o, "explain.unknown");
    if (d % 10000 == 0)
        snprintf(buf, n, "%04d", (int)(d / 10000));
    else
        snprintf(buf, n, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100),
                 (int)(d % 100));
    return buf;
}

static const char *
src_s(const struct out *o, uint32_t file, uint32_t line, char *buf, size_t n)
{
    snprintf(buf, n, "%s:%lu", o->ds->files[file].path, (unsigned long)line);
    return buf;
}

static const char *
id_s(const struct out *o, const char *id, char buf[IDS_MAX])
{
    if (!o->mask)
        return id;
    ids_mask(id, buf);
    return buf;
}

/* The text of an identifier key, masked when asked. */
static const char *
key_s(const struct out *o, uint64_t key, char buf[IDS_MAX])
{
    char t[IDS_MAX];

    ids_key_text(key, t);
    if (o->mask)
        ids_mask(t, buf);
    else
        memcpy(buf, t, sizeof t);
    return buf;
}

/* "personal_id 001085012345, tax_code 8012345678" (kind names localized). */
static const char *
ids_text(const struct out *o, const struct person_ids *p, char *buf, size_t n)
{
    size_t k = 0;
    char m[IDS_MAX], key[48];

    buf[0] = '\0';
    for (int i = 0; i < IDK_COUNT; i++) {
        if (ids_get(p, (id_kind)i) == 0)
            continue;
        snprintf(key, sizeof key, "idkind.%s", ids_kind_name((id_kind)i));
        int w = snprintf(buf + k, n - k, "%s%s %s", k ? "; " : "", T(o, key),
                         key_s(o, ids_get(p, (id_kind)i), m));
        if (w < 0 || (size_t)w >= n - k)
            break;
        k += (size_t)w;
    }
    if (k == 0)
        snprintf(buf, n, "%s", T(o, "explain.none"));
    return buf;
}

static void
js_ids(struct out *o, const char *key, const struct person_ids *p)
{
    char m[IDS_MAX];

    js_open(&o->j, key, '{');
    for (int i = 0; i < IDK_COUNT; i++)
        if (ids_get(p, (id_kind)i))
            js_s(&o->j, ids_kind_name((id_kind)i), key_s(o, ids_get(p, (id_kind)i), m));
    js_close(&o->j, '}');
}

static const char *si_fields(struct out *o, const struct si_rec *s, const char *key,
                             char *buf, size_t n);

/* ---- the text emitter ---- */

static const struct fld *
arg_fld(const struct fld *f, size_t n, int arg)
{
    for (size_t k = 0; k < n; k++)
        if (f[k].arg == arg)
            return &f[k];
    return NULL;
}

/* One conversion of a template (spec: "%.1f", "%zu", ...) filled with a
 * field, as printf would have filled it from an argument list. */
static void
text_arg(struct out *o, FILE *to, const char *spec, char conv, char len,
         const struct fld *a)
{
    char b[1400], m[32];
    const char *s = "";

    if (conv == 's') {
        if (a == NULL)
            s = "";
        else if (a->ts)
            s = a->ts;
        else if (a->kind == FK_STR)
            s = a->s ? a->s : "";
        else if (a->kind == FK_MONEY)
            s = money(o, a->i, m);
        else if (a->kind == FK_IDS)
            s = ids_text(o, a->p, b, sizeof b);
        else if (a->kind == FK_SI)
            s = si_fields(o, a->p, NULL, b, sizeof b);
        fprintf(to, spec, s);
    } else if (conv == 'f') {
        double v = a ? (a->kind == FK_RATE ? a->f * 100.0 : a->f) : 0.0;
        fprintf(to, spec, v);
    } else {
        int64_t v = a ? a->i : 0;
        if (len == 'z')
            fprintf(to, spec, (size_t)v);
        else if (len == 'l')
            fprintf(to, spec, (long)v);
        else if (conv == 'u')
            fprintf(to, spec, (unsigned)v);
        else
            fprintf(to, spec, (int)v);
    }
}

/* The template filled with the fields into to. */
static void
fill(struct out *o, FILE *to, const char *tmpl, const struct fld *f, size_t n)
{
    int arg = 0;

    for (const char *p = tmpl; *p; p++) {
        if (*p != '%') {
            fputc(*p, to);
            continue;
        }
        if (p[1] == '%') {
            fputc('%', to);
            p++;
            continue;
        }
        const char *q = p + 1 + strspn(p + 1, "-+ #0123456789.");
        char len = (*q == 'z' || *q == 'l') ? *q++ : '\0';
        char spec[32];
        size_t sl = (size_t)(q - p) + 1;
        if (*q == '\0' || sl >= sizeof spec)
            break; /* not a template of ours */
        memcpy(spec, p, sl);
        spec[sl] = '\0';
        text_arg(o, to, spec, *q, len, arg_fld(f, n, ++arg));
        p = q;
    }
}

static void
text_line(struct out *o, int indent, const char *tmpl, const struct fld *f, size_t n)
{
    if (tmpl == NULL)
        return;
    for (int i = 0; i < indent; i++)
        fputs("  ", o->f);
    fill(o, o->f, tmpl, f, n);
    fputc('\n', o->f);
}

static void
text_open(struct out *o, const char *key, char c)
{
    (void)o, (void)key, (void)c;
}

static void
text_close(struct out *o, char c)
{
    (void)o, (void)c;
}

static void
text_gap(struct out *o)
{
    fputc('\n', o->f);
}

static void
text_done(struct out *o)
{
    (void)o;
}

static const struct emitter text_emitter = {text_line, text_open, text_close, text_gap,
                                             text_done};

/* ---- the JSON emitter ---- */

static void
json_line(struct out *o, int indent, const char *tmpl, const struct fld *f, size_t n)
{
    (void)indent, (void)tmpl;
    for (size_t k = 0; k < n; k++) {
        const char *key = f[k].key;
        if (key == NULL)
            continue;
        if (key[0] == '\0')
            key = NULL; /* an array element */
        switch (f[k].kind) {
        case FK_STR: js_s(&o->j, key, f[k].s); break;
        case FK_INT:
        case FK_MONEY: js_i(&o->j, key, f[k].i); break;
        case FK_UINT: js_u(&o->j, key, (uint64_t)f[k].i); break;
        case FK_BOOL: js_b(&o->j, key, f[k].i != 0); break;
        case FK_RATE: js_f3(&o->j, key, f[k].f); break;
        case FK_IDS: js_ids(o, key, f[k].p); break;
        case FK_SI: si_fields(o, f[k].p, key, NULL, 0); break;
        }
    }
}

static void
json_open(struct out *o, const char *key, char c)
{
    js_open(&o->j, key, c);
}

static void
json_close(struct out *o, char c)
{
    js_close(&o->j, c);
}

static void
json_gap(struct out *o)
{
    (void)o;
}

static void
json_done(struct out *o)
{
    fputc('\n', o->f);
}

static const struct emitter json_emitter = {json_line, json_open, json_close, json_gap,
                                            json_done};

/* ---- the walk ---- */

/* One SI record: where, at which employer, which months, salary and plan.
 * With buf, its sentence there (text); else its object under key (JSON). */
static const char *
si_fields(struct out *o, const struct si_rec *s, const char *key, char *buf, size_t n)
{
    char src[640], a[16], b[16], code[64];
    const char *tmpl = T(o, s->decrease ? "explain.si_decrease" : "explain.si");
    const char *plan = records_plan_code(o->ds, s);

    if (s->emp_filed && s->emp && strcmp(s->emp_filed, s->emp) != 0)
        snprintf(code, sizeof code, "%s (%s)", s->emp, s->emp_filed);
    else
        snprintf(code, sizeof code, "%s", s->emp ? s->emp : "");
    const struct fld f[] = {
        F_S("source", 1, src_s(o, s->file, s->line, src, sizeof src)),
        F_S("employer_tax_id", 3, s->emp, .ts = code),
        F_S("employer_filed", 0, s->emp_filed ? s->emp_filed : s->emp),
        F_S("unit_code", 0, s->unit_code ? s->unit_code : ""),
        F_S("full_name", 2, s->name->full),
        F_IDS("ids", 0, &s->ids),
        F_I(s->from_month != MONTH_OPEN ? "from_month" : NULL, 4,
            s->from_month != MONTH_OPEN ? s->from_month / 12 * 100 + s->from_month % 12 + 1
                                        : 0,
            .ts = month_s(o, s->from_month, a, sizeof a)),
        F_I(s->to_month != MONTH_OPEN ? "to_month" : NULL, 0,
            s->to_month != MONTH_OPEN ? s->to_month / 12 * 100 + s->to_month % 12 + 1 : 0),
        F_S(s->to_month == MONTH_OPEN ? "to_month" : NULL, 5, "open",
            .ts = month_s(o, s->to_month, b, sizeof b)),
        F_M("salary", 6, s->salary, .ts = s->salary > 0 ? NULL : T(o, "explain.unknown")),
        F_S("plan_code", 7, plan, .ts = plan[0] ? plan : "-"),
        F_B("decrease", 0, s->decrease),
    };
    if (buf) {
        FILE *m = fmemopen(buf, n, "w");
        buf[0] = '\0';
        if (m) {
            fill(o, m, tmpl, f, sizeof f / sizeof f[0]);
            fputc('\0', m);
            fclose(m);
        }
        buf[n - 1] = '\0';
        return buf;
    }
    js_open(&o->j, key, '{');
    json_line(o, 0, NULL, f, sizeof f / sizeof f[0]);
    js_close(&o->j, '}');
    return NULL;
}

static const char *const why_key[] = {
    "explain.why_ok", "explain.why_name", "explain.why_id", "explain.why_birth",
};
static const char *const why_code[] = {"COMPATIBLE", "NAME_DIACRITICS", "ID_CONFLICT",
                                       "BIRTH_DATE"};
static const char *const else_key[] = {
    "explain.else_outside", "explain.else_covered", "explain.else_decreased",
    "explain.else_decrease_row",
};
static const char *const else_code[] = {"OUTSIDE_PERIOD", "COVERED", "TAKEN_AWAY_BY_DECREASE",
                                        "DECREASE_ROW"};
static const char *const note_code[MN_COUNT] = {
    "DUPLICATE", "R1_ID", "R1_ID", "NAME", "NAME_CANDIDATE", "NAME", "NAME",
    "COVERAGE_RECORD", "COVERAGE", "CONTRIBUTION_BASE", "R4_ELSEWHERE",
    "SHORT_CONTRACT_OR_NON_RESIDENT", "RETIREMENT_AGE", "UNREAD_ID_COLUMN", "R4_ELSEWHERE",
};

/* One note of the matcher. */
static void
write_note(struct out *o, const struct tax_rec *t, const struct match_note *n)
{
    const struct dataset *ds = o->ds;
    const struct si_rec *s = n->si != UINT32_MAX ? &ds->si[n->si] : NULL;
    char src[640], m1[32];

    o->em->open(o, NULL, '{');
    LINE(o, 0, NULL, F_S("step", 0, note_code[n->kind]));
    switch ((match_note_kind)n->kind) {
    case MN_DUPLICATE:
        LINE(o, 2, T(o, "explain.duplicate"),
             F_S("merged_into", 1, src_s(o, ds->tax[n->other].file, ds->tax[n->other].line,
                                         src, sizeof src)));
        break;
    case MN_R1_HIT:
        LINE(o, 2, T(o, "explain.r1_hit"), F_S("result", 0, "match"), F_SI("si_record", 1, s));
        break;
    case MN_R1_MISS:
        LINE(o, 2,
             T(o, n->a == 0 ? "explain.r1_no_si" : n->b ? "explain.r1_miss" : "explain.r1_no_id"),
             F_S("result", 0, n->b ? "no_match" : "not_tried_no_identifier"),
             F_S(NULL, 1, t->emp),
             F_I("si_records_at_employer", 2, n->a));
        break;
    case MN_NAME_NONE:
        LINE(o, 2, T(o, "explain.name_none"), F_S("result", 0, "no_candidate"),
             F_S(NULL, 1, t->name->full), F_I("si_persons_left_at_employer", 2, n->a));
        break;
    case MN_NAME_CAND:
        LINE(o, 2, T(o, "explain.name_cand"),
             F_S("result", 3, why_code[n->a], .ts = T(o, why_key[n->a])),
             F_I("birth_compare", 4, n->b,
                 .ts = n->a != MW_OK ? ""
                       : T(o, n->b == 1 ? "explain.birth_same" : "explain.birth_unknown")),
             F_B("folded_name", 0, n->c),
             F_SI("si_record", 1, s),
             F_S(NULL, 2, date_s(o, (sdate)n->v, m1, sizeof m1)));
        break;
    case MN_NAME_PICK:
        LINE(o, 2, T(o, "explain.name_pick"),
             F_S("result", 1, records_rule_name((rec_rule)n->a)),
             F_I("tax_records_compatible", 0, n->b),
             F_SI("si_record", 2, s, .ts = src_s(o, s->file, s->line, src, sizeof src)));
        break;
    case MN_NAME_AMBIG:
        LINE(o, 2, T(o, "explain.name_ambig"), F_S("result", 0, "AMBIGUOUS"),
             F_I("compatible", 1, n->a), F_I("same_birth_date", 2, n->b),
             F_I("tax_records_compatible", 3, n->c));
        break;
    case MN_COVER_SI:
        LINE(o, 2, T(o, "explain.cover_si"), F_I("months_in_period", 2, n->a),
             F_SI("si_record", 1, s));
        break;
    case MN_COVERED:
        LINE(o, 2, T(o, "explain.covered"), F_I("covered_months", 1, n->a),
             F_I("months_needed", 3, n->b), F_I("period_months", 2, n->c));
        break;
    case MN_BASE:
        LINE(o, 2, T(o, n->a == 0 ? "explain.base_unknown" : "explain.base"),
             F_B("known", 0, n->a > 0),
             F_B("low_base", 5, n->a == 2,
                 .ts = T(o, n->a == 2 ? "explain.base_low" : "explain.base_ok")),
             F_M("base_sum", 1, n->v),
             F_I(NULL, 2, t->covered_months),
             F_M("monthly_taxable_income", 3, n->w),
             F_R("low_base_ratio", 4, o->r->pf->low_base_ratio));
        break;
    case MN_ELSE_SI:
        LINE(o, 2, T(o, "explain.else"),
             F_S("result", 2, else_code[n->a], .ts = T(o, else_key[n->a])),
             F_SI("si_record", 1, s));
        break;
    case MN_SHORT:
        LINE(o, 2, T(o, "explain.short"), F_I("schedule", 1, n->a),
             F_B("non_resident", 2, n->b, .ts = T(o, n->b ? "sum.yes" : "sum.no")),
             F_B("include_short_contracts", 3, n->c,
                 .ts = T(o, n->c ? "explain.short_counted" : "explain.short_review")));
        break;
    case MN_AGE:
        LINE(o, 2, T(o, n->a < 0 ? "explain.age_unknown" : "explain.age"),
             F_I("age_months", 0, n->a), F_I("limit_months", 0, n->b), F_I("sex", 0, n->c),
             F_I(NULL, 1, n->a / 12), F_I(NULL, 2, n->a % 12), F_I(NULL, 3, n->b / 12),
             F_I(NULL, 4, n->b % 12));
        break;
    case MN_UNREAD:
        LINE(o, 2, T(o, n->a == 1 ? "explain.unread_tax" : "explain.unread_si"),
             F_S("where", 0, n->a == 1 ? "tax_file" : "si_file_of_employer"));
        break;
    case MN_R4:
        LINE(o, 2, T(o, n->a ? "explain.r4_yes" : "explain.r4_no"),
             F_S("result", 0, n->a ? "COVERED_ELSEWHERE" : "NOT_COVERED_ELSEWHERE"),
             F_SI(s ? "si_record" : NULL, 1, s, .ts = s ? s->emp : ""));
        break;
    default: break;
    }
    o->em->close(o, '}');
}

static const struct employer_sum *
find_employer(const struct run *r, const char *code)
{
    for (size_t i = 0; i < r->res.nemps; i++)
        if (strcmp(r->res.emps[i].emp, code) == 0)
            return &r->res.emps[i];
    return NULL;
}

/* The arrears of a NOT_ENROLLED record with the formula's numbers
 * (employers_arrears gives the figure; this shows how it is made). */
static void
write_arrears(struct out *o, const struct tax_rec *t)
{
    const struct profile *pf = o->r->pf;
    const struct employer_sum *e = find_employer(o->r, t->emp);
    int region = e && e->wage_region >= 1 && e->wage_region <= 4 ? e->wage_region : 1;
    int pm = match_period_months(&o->r->mo.period);
    int months = t->income_months > 0 ? t->income_months : pm;
    bool by_deduction = t->insurance_deduction > 0 && pf->employee_rate > 0;
    double total = by_deduction ? (double)t->insurance_deduction / pf->employee_rate
                                : (double)t->taxable_income;

    o->em->open(o, "arrears", '{');
    LINE(o, 2, T(o, by_deduction ? "explain.arrears_deduction" : "explain.arrears_income"),
         F_S("from", 0, by_deduction ? "insurance_deduction" : "taxable_income"),
         F_M("total", 1, (int64_t)total),
         F_I("months", 2, months),
         F_I("wage_region", 3, region),
         F_M("minimum_wage", 4, pf->min_wage[region - 1]),
         F_M("base_cap", 5, pf->base_cap),
         F_I(NULL, 6, months),
         F_R("employer_rate", 7, pf->employer_rate),
         F_R("employee_rate", 8, pf->employee_rate),
         F_M("est_arrears", 9, employers_arrears(t, pf, region, pm)));
    o->em->close(o, '}');
}

static void
flags_text(uint32_t flags, char *buf, size_t n)
{
    size_t k = 0;

    buf[0] = '\0';
    for (unsigned bit = 0; bit < RF_FLAG_COUNT; bit++)
        if (flags & (1u << bit)) {
            int w = snprintf(buf + k, n - k, "%s%s", k ? "|" : "", records_flag_name(bit));
            if (w < 0 || (size_t)w >= n - k)
                break;
            k += (size_t)w;
        }
}

static void
write_record(struct out *o, const struct explain *x, size_t ti)
{
    const struct dataset *ds = o->ds;
    const struct tax_rec *t = &ds->tax[ti];
    char src[640], b1[32], b2[32], fl[256];
    const char *filed = t->emp_filed && strcmp(t->emp_filed, t->emp) ? t->emp_filed : NULL;

    flags_text(t->flags, fl, sizeof fl);
    o->em->open(o, NULL, '{');
    LINE(o, 0, T(o, "explain.record"),
         F_S("source", 1, src_s(o, t->file, t->line, src, sizeof src)),
         F_S("employer_tax_id", 3, t->emp),
         F_S("employer_filed", 5, t->emp_filed ? t->emp_filed : t->emp,
             .ts = filed ? filed : ""),
         F_S("full_name", 2, t->name->full),
         F_S(NULL, 4, filed ? T(o, "explain.filed_as") : ""));
    LINE(o, 1, T(o, "explain.ids"), F_IDS("ids", 1, &t->ids),
         F_S("birth_date", 2, t->birth ? date_s(o, t->birth, b1, sizeof b1) : "",
             .ts = date_s(o, t->birth, b2, sizeof b2)));
    LINE(o, 1, T(o, t->income_months > 0 ? "explain.amounts" : "explain.amounts_nomonths"),
         F_I("tax_year", 4, t->tax_year), F_I("schedule", 3, t->schedule),
         F_I("income_months", 5, t->income_months),
         F_M("taxable_income", 1, t->taxable_income),
         F_M("insurance_deduction", 2, t->insurance_deduction),
         F_B("duplicate", 0, t->duplicate));
    /* the identity cluster: every record that shares an identifier with it */
    o->em->open(o, "identity", '[');
    size_t nclu = 0;
    for (int side = 0; side < 2 && t->person != PERSON_NONE; side++) {
        size_t n = side == 0 ? ds->ntax : ds->nsi;
        for (size_t i = 0; i < n; i++) {
            const struct person_ids *ids = side == 0 ? &ds->tax[i].ids : &ds->si[i].ids;
            uint32_t p = side == 0 ? ds->tax[i].person : ds->si[i].person;
            uint32_t f = side == 0 ? ds->tax[i].file : ds->si[i].file;
            uint32_t l = side == 0 ? ds->tax[i].line : ds->si[i].line;
            const char *emp = side == 0 ? ds->tax[i].emp : ds->si[i].emp;
            if (p != t->person || (side == 0 && i == ti))
                continue;
            if (nclu++ == 0)
                TLINE(o, 1, T(o, "explain.cluster"));
            o->em->open(o, NULL, '{');
            LINE(o, 2, T(o, side == 0 ? "explain.cluster_tax" : "explain.cluster_si"),
                 F_S("source", 1, src_s(o, f, l, src, sizeof src)),
                 F_S("side", 0, side == 0 ? "tax" : "si"),
                 F_S("employer_tax_id", 2, emp ? emp : ""),
                 F_IDS("ids", 3, ids));
            o->em->close(o, '}');
        }
    }
    o->em->close(o, ']');
    if (t->person == PERSON_NONE)
        TLINE(o, 1, T(o, "explain.no_id"));
    else if (nclu == 0)
        TLINE(o, 1, T(o, "explain.cluster_alone"));
    /* the rules, in the order they were tried */
    o->em->open(o, "steps", '[');
    LINE(o, 1, T(o, "explain.period"),
         F_S(NULL, 1, month_s(o, o->r->mo.period.first, b1, sizeof b1)),
         F_S(NULL, 2, month_s(o, o->r->mo.period.last, b2, sizeof b2)));
    for (size_t k = 0; k < x->trace.nnotes; k++)
        if (x->trace.notes[k].tax == ti)
            write_note(o, t, &x->trace.notes[k]);
    o->em->close(o, ']');
    /* the decision */
    if (t->duplicate) {
        TLINE(o, 1, T(o, "explain.decision_duplicate"));
    } else {
        char key[80], conf[2] = {t->confidence, 0}, why[300] = "-";
        const char *other = records_other_emp(o->ds, t);
        snprintf(key, sizeof key, "reason.%s", records_reason_name(t->reason));
        if (t->reason)
            snprintf(why, sizeof why, "%s (%s)", T(o, key), records_reason_name(t->reason));
        snprintf(key, sizeof key, "status.%s", records_status_name(t->status));
        LINE(o, 1, T(o, "explain.decision"),
             F_S(NULL, 1, T(o, key)),
             F_S("status", 2, records_status_name(t->status)),
             F_S("reason", 3, records_reason_name(t->reason), .ts = why),
             F_S("rule", 4, records_rule_name(t->rule),
                 .ts = t->rule ? records_rule_name(t->rule) : "-"),
             F_S("confidence", 5, conf, .ts = conf[0] ? conf : "-"),
             F_I("covered_months", 0, t->covered_months),
             F_S("other_employer_tax_id", 0, other ? other : ""),
             F_S("flags", 6, fl, .ts = fl[0] ? fl : "-"));
        if (t->status == ST_NOT_ENROLLED)
            write_arrears(o, t);
    }
    o->em->close(o, '}');
    o->em->gap(o);
}

static const char *const status_keys[ST_COUNT] = {
    "enrolled", "partial", "not_enrolled", "covered_elsewhere", "review",
};

/* The employer's source files: tax files, SI files with unit codes,
 * registry rows. */
static void
write_sources(struct out *o, const struct employer_sum *e)
{
    const struct dataset *ds = o->ds;
    char src[640];

    o->em->open(o, "sources", '[');
    TLINE(o, 1, T(o, "explain.emp_sources"));
    for (size_t f = 0; f < ds->nfiles; f++) {
        size_t n = 0;
        char units[256] = "";
        size_t ul = 0;
        const struct input_file *in = &ds->files[f];
        if (in->kind == KIND_TAX) {
            for (size_t k = 0; k < e->nrecs; k++)
                n += ds->tax[e->recs[k]].file == f;
        } else if (in->kind == KIND_SI) {
            for (size_t i = 0; i < ds->nsi; i++) {
                const struct si_rec *s = &ds->si[i];
                if (s->file != f || s->emp == NULL || strcmp(s->emp, e->emp) != 0)
                    continue;
                n++;
                if (s->unit_code && s->unit_code[0] && strstr(units, s->unit_code) == NULL &&
                    ul + strlen(s->unit_code) + 3 < sizeof units)
                    ul += (size_t)snprintf(units + ul, sizeof units - ul, "%s%s",
                                           ul ? ", " : "", s->unit_code);
            }
        } else if (in->kind == KIND_EMPLOYERS) {
            /* every row of its code, in text; a count per file, in JSON */
            for (size_t i = 0; i < ds->nemps; i++) {
                const struct employer_rec *er = &ds->emps[i];
                if (er->file != f || strcmp(er->emp, e->emp) != 0)
                    continue;
                n++;
                LINE(o, 2, T(o, "explain.emp_registry"),
                     F_S(NULL, 1, src_s(o, er->file, er->line, src, sizeof src)),
                     F_S(NULL, 2, er->unit_code && er->unit_code[0] ? er->unit_code : "-"));
            }
            if (n) {
                o->em->open(o, NULL, '{');
                LINE(o, 2, NULL, F_S("file", 0, in->path), F_S("kind", 0, "employers"),
                     F_U("rows", 0, n));
                o->em->close(o, '}');
            }
            continue;
        }
        if (n == 0 || (in->kind != KIND_TAX && in->kind != KIND_SI))
            continue;
        o->em->open(o, NULL, '{');
        LINE(o, 2, T(o, in->kind == KIND_TAX ? "explain.emp_tax_file" : "explain.emp_si_file"),
             F_S("file", 1, in->path), F_S("kind", 0, fields_kind_name(in->kind)),
             F_U("rows", 2, n),
             F_S(in->kind == KIND_SI ? "unit_codes" : NULL, 3, units,
                 .ts = units[0] ? units : "-"));
        o->em->close(o, '}');
    }
    o->em->close(o, ']');
}

static bool
write_employer(struct out *o, const char *query)
{
    const struct dataset *ds = o->ds;
    const struct run *r = o->r;
    char code[32], src[640], key[80], fkey[80];
    const struct employer_sum *e;
    int pm = match_period_months(&r->mo.period);

    emp_digits(query, code, sizeof code);
    e = find_employer(r, code);
    if (e == NULL && strlen(code) == 13 && !r->mo.branch_level) {
        code[10] = '\0'; /* a branch reconciles under its parent */
        e = find_employer(r, code);
    }
    if (e == NULL)
        return false;
    snprintf(fkey, sizeof fkey, "finding.%s", employers_finding_name(e->finding));
    LINE(o, 0, T(o, "explain.employer"), F_S("employer_tax_id", 1, e->emp),
         F_S("employer_name", 2, e->name ? e->name : ""),
         F_S("area", 3, e->area ? e->area : "", .ts = e->area && e->area[0] ? e->area : "-"),
         F_I("wage_region", 4, e->wage_region));
    if (e->listed)
        LINE(o, 1, T(o, "explain.emp_listed"), F_S(NULL, 1, T(o, fkey)),
             F_S("finding", 2, employers_finding_name(e->finding)), F_B("listed", 0, true),
             F_I("rank", 3, e->rank), F_U(NULL, 4, r->res.nlisted));
    else
        LINE(o, 1, T(o, "explain.emp_not_listed"),
             F_S("finding", 0, employers_finding_name(e->finding)), F_B("listed", 0, false),
             F_I("rank", 0, e->rank), F_U(NULL, 1, e->not_enrolled),
             F_U(NULL, 2, e->partial), F_I(NULL, 3, r->min_missing));
    LINE(o, 1, T(o, "explain.emp_counts"), F_U("taxed", 1, e->taxed),
         F_U("enrolled", 2, e->enrolled), F_U("not_enrolled", 3, e->not_enrolled),
         F_U("partial", 4, e->partial), F_U("covered_elsewhere", 5, e->covered_elsewhere),
         F_U("review", 6, e->review));
    LINE(o, 1, e->trend && e->trend[0] ? T(o, "explain.emp_trend") : NULL,
         F_B("has_si", 0, e->has_si), F_I("est_arrears", 0, e->est_arrears),
         F_S("trend", 1, e->trend ? e->trend : ""));
    o->em->open(o, "records", '{');
    for (int st = 0; st < ST_COUNT; st++) {
        bool any = false;
        for (size_t k = 0; k < e->nrecs; k++) {
            const struct tax_rec *t = &ds->tax[e->recs[k]];
            char pid[IDS_MAX];
            id_kind kind;
            if ((int)t->status != st)
                continue;
            uint64_t id = records_person_id(&t->ids, &kind);
            if (!any) {
                snprintf(key, sizeof key, "status.%s", records_status_name((rec_status)st));
                o->em->open(o, status_keys[st], '[');
                LINE(o, 1, "%s:", F_S(NULL, 1, T(o, key)));
            }
            any = true;
            o->em->open(o, NULL, '{');
            LINE(o, 2, "%s  %s  %s%s%s",
                 F_S("source", 1, src_s(o, t->file, t->line, src, sizeof src)),
                 F_S("full_name", 2, t->name->full),
                 F_S("person_id", 0, id ? key_s(o, id, pid) : ""),
                 F_S("reason", 3, records_reason_name(t->reason),
                     .ts = t->reason ? records_reason_name(t->reason) : ""),
                 F_S(NULL, 4, t->reason && t->rule ? " " : ""),
                 F_S("rule", 5, records_rule_name(t->rule),
                     .ts = t->rule ? records_rule_name(t->rule) : ""),
                 F_M(st == ST_NOT_ENROLLED ? "est_arrears" : NULL, 0,
                     st == ST_NOT_ENROLLED ? employers_arrears(t, r->pf, e->wage_region, pm)
                                           : 0));
            o->em->close(o, '}');
        }
        if (any)
            o->em->close(o, ']');
    }
    o->em->close(o, '}');
    write_sources(o, e);
    LINE(o, 1, T(o, "explain.emp_arrears"), F_M(NULL, 1, e->est_arrears),
         F_U(NULL, 2, e->not_enrolled));
    o->em->gap(o);
    return true;
}

size_t
explain_write(struct explain *x, const struct run *r, FILE *f, bool json, lang l,
              bool mask_ids)
{
    static const char *const by_name[] = {"person", "row", "employer"};
    struct out o;
    size_t missing = 0;

    memset(&o, 0, sizeof o);
    o.f = f;
    o.em = json ? &json_emitter : &text_emitter;
    o.l = l;
    o.mask = mask_ids;
    o.r = r;
    o.ds = &r->ds;
    o.j.f = f;
    o.j.first = true;
    o.em->open(&o, NULL, '[');
    for (size_t qi = 0; qi < x->nq; qi++) {
        const struct explain_query *q = &x->q[qi];
        char mv[IDS_MAX];
        bool found;
        bool id = q->by == EXPLAIN_PERSON && explain_is_identifier(q->value) &&
                  strlen(q->value) < IDS_MAX;
        o.em->open(&o, NULL, '{');
        LINE(&o, 0, NULL, F_S("query", 0, by_name[q->by]),
             F_S("value", 0, id ? id_s(&o, q->value, mv) : q->value),
             F_S(q->employer ? "employer" : NULL, 0, q->employer));
        if (q->by == EXPLAIN_EMPLOYER) {
            o.em->open(&o, "employer_view", '{');
            found = write_employer(&o, q->value);
            o.em->close(&o, '}');
        } else {
            found = x->nrecs[qi] > 0;
            o.em->open(&o, "records", '[');
            for (size_t k = 0; k < x->nrecs[qi]; k++)
                write_record(&o, x, x->recs[qi][k]);
            o.em->close(&o, ']');
            /* the person's SI records, when they are known by ID */
            if (q->by == EXPLAIN_PERSON) {
                bool any = false;
                o.em->open(&o, "si_records", '[');
                for (size_t i = 0; i < r->ds.nsi; i++) {
                    if (!has_person(x, qi, r->ds.si[i].person))
                        continue;
                    if (!any)
                        TLINE(&o, 0, T(&o, "explain.person_si"));
                    any = true;
                    LINE(&o, 1, "%s", F_SI("", 1, &r->ds.si[i]));
                }
                o.em->close(&o, ']');
                if (any)
                    o.em->gap(&o);
                found = found || any;
            }
        }
        LINE(&o, 0, NULL, F_B("found", 0, found));
        o.em->close(&o, '}');
        x->found[qi] = found;
        if (!found)
            missing++;
    }
    o.em->close(&o, ']');
    o.em->done(&o);
    return missing;
}
