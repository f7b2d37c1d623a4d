/*
 * explain.c - `sirecon explain` (see explain.h, docs/matching.md).
 *
 * The queries pick their tax records once the person clusters are known
 * (the match trace's select hook), the matcher notes what each rule saw
 * for those records only, and this file lays the notes out.  Nothing here
 * decides: statuses, reasons, flags and arrears are the run's own.
 */
#include <ctype.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "sirecon/explain.h"
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

static const struct dataset *g_ds; /* qsort context */

static int
cmp_pos(const void *pa, const void *pb)
{
    const struct tax_rec *a = &g_ds->tax[*(const size_t *)pa];
    const struct tax_rec *b = &g_ds->tax[*(const size_t *)pb];

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
        g_ds = ds;
        if (x->nrecs[qi] > 1)
            qsort(x->recs[qi], x->nrecs[qi], sizeof **x->recs, cmp_pos);
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

/* ---- writing ---- */

struct out {
    FILE *f;
    bool json;
    struct js j;
    lang l;
    bool mask;
    const struct run *r;
    const struct dataset *ds;
};

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
static void
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

static void
line(const struct out *o, int indent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
line(const struct out *o, int indent, const char *fmt, ...)
{
    va_list ap;

    for (int i = 0; i < indent; i++)
        fputs("  ", o->f);
    va_start(ap, fmt);
    vfprintf(o->f, fmt, ap);
    va_end(ap);
    fputc('\n', o->f);
}

/* One SI record in a sentence: where, at which employer, which months,
 * salary and plan. */
static void
si_text(const struct out *o, const struct si_rec *s, char *buf, size_t n)
{
    char src[640], a[16], b[16], sal[32], code[64];

    if (s->emp_filed && s->emp && strcmp(s->emp_filed, s->emp) != 0)
        snprintf(code, sizeof code, "%s (%s)", s->emp, s->emp_filed);
    else
        snprintf(code, sizeof code, "%s", s->emp ? s->emp : "");
    snprintf(buf, n, T(o, s->decrease ? "explain.si_decrease" : "explain.si"),
             src_s(o, s->file, s->line, src, sizeof src), s->name->full, code,
             month_s(o, s->from_month, a, sizeof a), month_s(o, s->to_month, b, sizeof b),
             s->salary > 0 ? money(o, s->salary, sal) : T(o, "explain.unknown"),
             s->plan_code && s->plan_code[0] ? s->plan_code : "-");
}

static void
js_si(struct out *o, const char *key, const struct si_rec *s)
{
    char src[640];

    js_open(&o->j, key, '{');
    js_s(&o->j, "source", src_s(o, s->file, s->line, src, sizeof src));
    js_s(&o->j, "employer_tax_id", s->emp);
    js_s(&o->j, "employer_filed", s->emp_filed ? s->emp_filed : s->emp);
    js_s(&o->j, "unit_code", s->unit_code ? s->unit_code : "");
    js_s(&o->j, "full_name", s->name->full);
    js_ids(o, "ids", &s->ids);
    if (s->from_month != MONTH_OPEN)
        js_i(&o->j, "from_month", s->from_month / 12 * 100 + s->from_month % 12 + 1);
    if (s->to_month != MONTH_OPEN)
        js_i(&o->j, "to_month", s->to_month / 12 * 100 + s->to_month % 12 + 1);
    else
        js_s(&o->j, "to_month", "open");
    js_i(&o->j, "salary", s->salary);
    js_s(&o->j, "plan_code", s->plan_code ? s->plan_code : "");
    js_b(&o->j, "decrease", s->decrease);
    js_close(&o->j, '}');
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

/* One note of the matcher, as a line of text or a JSON object. */
static void
write_note(struct out *o, const struct tax_rec *t, const struct match_note *n)
{
    const struct dataset *ds = o->ds;
    const struct si_rec *s = n->si != UINT32_MAX ? &ds->si[n->si] : NULL;
    char buf[1400], src[640], m1[32], m2[32];

    if (o->json) {
        js_open(&o->j, NULL, '{');
        js_s(&o->j, "step", note_code[n->kind]);
        switch ((match_note_kind)n->kind) {
        case MN_DUPLICATE:
            js_s(&o->j, "merged_into", src_s(o, ds->tax[n->other].file, ds->tax[n->other].line,
                                              src, sizeof src));
            break;
        case MN_R1_HIT: js_s(&o->j, "result", "match"); js_si(o, "si_record", s); break;
        case MN_R1_MISS:
            js_s(&o->j, "result", n->b ? "no_match" : "not_tried_no_identifier");
            js_i(&o->j, "si_records_at_employer", n->a);
            break;
        case MN_NAME_NONE:
            js_s(&o->j, "result", "no_candidate");
            js_i(&o->j, "si_persons_left_at_employer", n->a);
            break;
        case MN_NAME_CAND:
            js_s(&o->j, "result", why_code[n->a]);
            js_i(&o->j, "birth_compare", n->b);
            js_b(&o->j, "folded_name", n->c != 0);
            js_si(o, "si_record", s);
            break;
        case MN_NAME_PICK:
            js_s(&o->j, "result", records_rule_name((rec_rule)n->a));
            js_i(&o->j, "tax_records_compatible", n->b);
            js_si(o, "si_record", s);
            break;
        case MN_NAME_AMBIG:
            js_s(&o->j, "result", "AMBIGUOUS");
            js_i(&o->j, "compatible", n->a);
            js_i(&o->j, "same_birth_date", n->b);
            js_i(&o->j, "tax_records_compatible", n->c);
            break;
        case MN_COVER_SI:
            js_i(&o->j, "months_in_period", n->a);
            js_si(o, "si_record", s);
            break;
        case MN_COVERED:
            js_i(&o->j, "covered_months", n->a);
            js_i(&o->j, "months_needed", n->b);
            js_i(&o->j, "period_months", n->c);
            break;
        case MN_BASE:
            js_b(&o->j, "known", n->a > 0);
            js_b(&o->j, "low_base", n->a == 2);
            js_i(&o->j, "base_sum", n->v);
            js_i(&o->j, "monthly_taxable_income", n->w);
            js_f3(&o->j, "low_base_ratio", o->r->pf->low_base_ratio);
            break;
        case MN_ELSE_SI:
            js_s(&o->j, "result", else_code[n->a]);
            js_si(o, "si_record", s);
            break;
        case MN_SHORT:
            js_i(&o->j, "schedule", n->a);
            js_b(&o->j, "non_resident", n->b != 0);
            js_b(&o->j, "include_short_contracts", n->c != 0);
            break;
        case MN_AGE:
            js_i(&o->j, "age_months", n->a);
            js_i(&o->j, "limit_months", n->b);
            js_i(&o->j, "sex", n->c);
            break;
        case MN_UNREAD:
            js_s(&o->j, "where", n->a == 1 ? "tax_file" : "si_file_of_employer");
            break;
        case MN_R4:
            js_s(&o->j, "result", n->a ? "COVERED_ELSEWHERE" : "NOT_COVERED_ELSEWHERE");
            if (s)
                js_si(o, "si_record", s);
            break;
        default: break;
        }
        js_close(&o->j, '}');
        return;
    }
    switch ((match_note_kind)n->kind) {
    case MN_DUPLICATE:
        line(o, 2, T(o, "explain.duplicate"),
             src_s(o, ds->tax[n->other].file, ds->tax[n->other].line, src, sizeof src));
        break;
    case MN_R1_HIT:
        si_text(o, s, buf, sizeof buf);
        line(o, 2, T(o, "explain.r1_hit"), buf);
        break;
    case MN_R1_MISS:
        if (n->a == 0)
            line(o, 2, T(o, "explain.r1_no_si"), t->emp);
        else
            line(o, 2, T(o, n->b ? "explain.r1_miss" : "explain.r1_no_id"), t->emp, n->a);
        break;
    case MN_NAME_NONE:
        line(o, 2, T(o, "explain.name_none"), t->name->full, n->a);
        break;
    case MN_NAME_CAND:
        si_text(o, s, buf, sizeof buf);
        line(o, 2, T(o, "explain.name_cand"), buf, date_s(o, (sdate)n->v, m1, sizeof m1),
             T(o, why_key[n->a]),
             n->a == MW_OK ? T(o, n->b == 1 ? "explain.birth_same" : "explain.birth_unknown")
                           : "");
        break;
    case MN_NAME_PICK:
        line(o, 2, T(o, "explain.name_pick"), records_rule_name((rec_rule)n->a),
             src_s(o, s->file, s->line, src, sizeof src));
        break;
    case MN_NAME_AMBIG:
        line(o, 2, T(o, "explain.name_ambig"), n->a, n->b, n->c);
        break;
    case MN_COVER_SI:
        si_text(o, s, buf, sizeof buf);
        line(o, 2, T(o, "explain.cover_si"), buf, n->a);
        break;
    case MN_COVERED:
        line(o, 2, T(o, "explain.covered"), n->a, n->c, n->b);
        break;
    case MN_BASE:
        if (n->a == 0) {
            line(o, 2, "%s", T(o, "explain.base_unknown"));
            break;
        }
        line(o, 2, T(o, "explain.base"), money(o, n->v, m1), t->covered_months,
             money(o, n->w, m2), o->r->pf->low_base_ratio * 100.0,
             T(o, n->a == 2 ? "explain.base_low" : "explain.base_ok"));
        break;
    case MN_ELSE_SI:
        si_text(o, s, buf, sizeof buf);
        line(o, 2, T(o, "explain.else"), buf, T(o, else_key[n->a]));
        break;
    case MN_SHORT:
        line(o, 2, T(o, "explain.short"), n->a, T(o, n->b ? "sum.yes" : "sum.no"),
             T(o, n->c ? "explain.short_counted" : "explain.short_review"));
        break;
    case MN_AGE:
        if (n->a < 0)
            line(o, 2, "%s", T(o, "explain.age_unknown"));
        else
            line(o, 2, T(o, "explain.age"), n->a / 12, n->a % 12, n->b / 12, n->b % 12);
        break;
    case MN_UNREAD:
        line(o, 2, "%s", T(o, n->a == 1 ? "explain.unread_tax" : "explain.unread_si"));
        break;
    case MN_R4:
        if (n->a)
            line(o, 2, T(o, "explain.r4_yes"), s->emp);
        else
            line(o, 2, "%s", T(o, "explain.r4_no"));
        break;
    default: break;
    }
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
    int64_t a = employers_arrears(t, pf, region, pm);
    char b1[32], b2[32], b3[32], b4[32];

    if (o->json) {
        js_open(&o->j, "arrears", '{');
        js_s(&o->j, "from", by_deduction ? "insurance_deduction" : "taxable_income");
        js_i(&o->j, "total", (int64_t)total);
        js_i(&o->j, "months", months);
        js_i(&o->j, "wage_region", region);
        js_i(&o->j, "minimum_wage", pf->min_wage[region - 1]);
        js_i(&o->j, "base_cap", pf->base_cap);
        js_f3(&o->j, "employer_rate", pf->employer_rate);
        js_f3(&o->j, "employee_rate", pf->employee_rate);
        js_i(&o->j, "est_arrears", a);
        js_close(&o->j, '}');
        return;
    }
    line(o, 2, T(o, by_deduction ? "explain.arrears_deduction" : "explain.arrears_income"),
         money(o, (int64_t)total, b1), months, region,
         money(o, pf->min_wage[region - 1], b2), money(o, pf->base_cap, b3),
         months, pf->employer_rate * 100.0, pf->employee_rate * 100.0,
         money(o, a, b4));
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
    char src[640], buf[1400], b1[32], b2[32], fl[256];
    const char *filed = t->emp_filed && strcmp(t->emp_filed, t->emp) ? t->emp_filed : NULL;
    bool decided_here = !t->duplicate;

    flags_text(t->flags, fl, sizeof fl);
    if (o->json) {
        js_open(&o->j, NULL, '{');
        js_s(&o->j, "source", src_s(o, t->file, t->line, src, sizeof src));
        js_s(&o->j, "employer_tax_id", t->emp);
        js_s(&o->j, "employer_filed", t->emp_filed ? t->emp_filed : t->emp);
        js_s(&o->j, "full_name", t->name->full);
        js_ids(o, "ids", &t->ids);
        js_s(&o->j, "birth_date", t->birth ? date_s(o, t->birth, b1, sizeof b1) : "");
        js_i(&o->j, "tax_year", t->tax_year);
        js_i(&o->j, "schedule", t->schedule);
        js_i(&o->j, "income_months", t->income_months);
        js_i(&o->j, "taxable_income", t->taxable_income);
        js_i(&o->j, "insurance_deduction", t->insurance_deduction);
        js_b(&o->j, "duplicate", t->duplicate);
    } else {
        line(o, 0, T(o, "explain.record"), src_s(o, t->file, t->line, src, sizeof src),
             t->name->full, t->emp, filed ? T(o, "explain.filed_as") : "", filed ? filed : "");
        ids_text(o, &t->ids, buf, sizeof buf);
        line(o, 1, T(o, "explain.ids"), buf, date_s(o, t->birth, b1, sizeof b1));
        if (t->income_months > 0)
            line(o, 1, T(o, "explain.amounts"), money(o, t->taxable_income, b1),
                 money(o, t->insurance_deduction, b2), t->schedule, t->tax_year,
                 t->income_months);
        else
            line(o, 1, T(o, "explain.amounts_nomonths"),
                 money(o, t->taxable_income, b1),
                 money(o, t->insurance_deduction, b2), t->schedule, t->tax_year);
    }
    /* the identity cluster: every record that shares an identifier with it */
    if (o->json)
        js_open(&o->j, "identity", '[');
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
            if (!o->json && nclu == 0)
                line(o, 1, "%s", T(o, "explain.cluster"));
            nclu++;
            if (o->json) {
                js_open(&o->j, NULL, '{');
                js_s(&o->j, "source", src_s(o, f, l, src, sizeof src));
                js_s(&o->j, "side", side == 0 ? "tax" : "si");
                js_s(&o->j, "employer_tax_id", emp ? emp : "");
                js_ids(o, "ids", ids);
                js_close(&o->j, '}');
            } else {
                ids_text(o, ids, buf, sizeof buf);
                line(o, 2, T(o, side == 0 ? "explain.cluster_tax" : "explain.cluster_si"),
                     src_s(o, f, l, src, sizeof src), emp ? emp : "", buf);
            }
        }
    }
    if (o->json)
        js_close(&o->j, ']');
    else if (t->person == PERSON_NONE)
        line(o, 1, "%s", T(o, "explain.no_id"));
    else if (nclu == 0)
        line(o, 1, "%s", T(o, "explain.cluster_alone"));
    /* the rules, in the order they were tried */
    if (o->json)
        js_open(&o->j, "steps", '[');
    else
        line(o, 1, T(o, "explain.period"), month_s(o, o->r->mo.period.first, b1, sizeof b1),
             month_s(o, o->r->mo.period.last, b2, sizeof b2));
    for (size_t k = 0; k < x->trace.nnotes; k++)
        if (x->trace.notes[k].tax == ti)
            write_note(o, t, &x->trace.notes[k]);
    if (o->json)
        js_close(&o->j, ']');
    /* the decision */
    if (o->json) {
        if (decided_here) {
            js_s(&o->j, "status", records_status_name(t->status));
            js_s(&o->j, "reason", records_reason_name(t->reason));
            js_s(&o->j, "rule", records_rule_name(t->rule));
            js_s(&o->j, "confidence", t->confidence ? (char[2]){t->confidence, 0} : "");
            js_i(&o->j, "covered_months", t->covered_months);
            const char *other = records_other_emp(o->ds, t);
            js_s(&o->j, "other_employer_tax_id", other ? other : "");
            js_s(&o->j, "flags", fl);
            if (t->status == ST_NOT_ENROLLED)
                write_arrears(o, t);
        }
        js_close(&o->j, '}');
        return;
    }
    if (!decided_here) {
        line(o, 1, "%s", T(o, "explain.decision_duplicate"));
    } else {
        char key[80], conf[2] = {t->confidence, 0};
        snprintf(key, sizeof key, "status.%s", records_status_name(t->status));
        const char *st = T(o, key);
        char why[300] = "-";
        snprintf(key, sizeof key, "reason.%s", records_reason_name(t->reason));
        if (t->reason)
            snprintf(why, sizeof why, "%s (%s)", T(o, key), records_reason_name(t->reason));
        line(o, 1, T(o, "explain.decision"), st, records_status_name(t->status), why,
             t->rule ? records_rule_name(t->rule) : "-", conf[0] ? conf : "-",
             fl[0] ? fl : "-");
        if (t->status == ST_NOT_ENROLLED)
            write_arrears(o, t);
    }
    fputc('\n', o->f);
}

static const char *const status_keys[ST_COUNT] = {
    "enrolled", "partial", "not_enrolled", "covered_elsewhere", "review",
};

static bool
write_employer(struct out *o, const char *query)
{
    const struct dataset *ds = o->ds;
    const struct run *r = o->r;
    char code[32], src[640], b1[32], key[80];
    const struct employer_sum *e;

    emp_digits(query, code, sizeof code);
    e = find_employer(r, code);
    if (e == NULL && strlen(code) == 13 && !r->mo.branch_level) {
        code[10] = '\0'; /* a branch reconciles under its parent */
        e = find_employer(r, code);
    }
    if (e == NULL)
        return false;
    if (o->json) {
        js_s(&o->j, "employer_tax_id", e->emp);
        js_s(&o->j, "employer_name", e->name ? e->name : "");
        js_s(&o->j, "area", e->area ? e->area : "");
        js_i(&o->j, "wage_region", e->wage_region);
        js_s(&o->j, "finding", employers_finding_name(e->finding));
        js_b(&o->j, "listed", e->listed);
        js_i(&o->j, "rank", e->rank);
        js_u(&o->j, "taxed", e->taxed);
        js_u(&o->j, "enrolled", e->enrolled);
        js_u(&o->j, "not_enrolled", e->not_enrolled);
        js_u(&o->j, "partial", e->partial);
        js_u(&o->j, "covered_elsewhere", e->covered_elsewhere);
        js_u(&o->j, "review", e->review);
        js_b(&o->j, "has_si", e->has_si);
        js_i(&o->j, "est_arrears", e->est_arrears);
        js_s(&o->j, "trend", e->trend ? e->trend : "");
        js_open(&o->j, "records", '{');
    } else {
        line(o, 0, T(o, "explain.employer"), e->emp, e->name ? e->name : "",
             e->area && e->area[0] ? e->area : "-", e->wage_region);
        snprintf(key, sizeof key, "finding.%s", employers_finding_name(e->finding));
        if (e->listed)
            line(o, 1, T(o, "explain.emp_listed"), T(o, key),
                 employers_finding_name(e->finding), e->rank, r->res.nlisted);
        else
            line(o, 1, T(o, "explain.emp_not_listed"), e->not_enrolled, e->partial,
                 r->min_missing);
        line(o, 1, T(o, "explain.emp_counts"), e->taxed, e->enrolled, e->not_enrolled,
             e->partial, e->covered_elsewhere, e->review);
        if (e->trend && e->trend[0])
            line(o, 1, T(o, "explain.emp_trend"), e->trend);
    }
    for (int st = 0; st < ST_COUNT; st++) {
        bool any = false;
        for (size_t k = 0; k < e->nrecs; k++) {
            const struct tax_rec *t = &ds->tax[e->recs[k]];
            char pid[IDS_MAX];
            id_kind kind;
            if ((int)t->status != st)
                continue;
            uint64_t id = records_person_id(&t->ids, &kind);
            if (o->json) {
                if (!any)
                    js_open(&o->j, status_keys[st], '[');
                js_open(&o->j, NULL, '{');
                js_s(&o->j, "source", src_s(o, t->file, t->line, src, sizeof src));
                js_s(&o->j, "full_name", t->name->full);
                js_s(&o->j, "person_id", id ? key_s(o, id, pid) : "");
                js_s(&o->j, "reason", records_reason_name(t->reason));
                js_s(&o->j, "rule", records_rule_name(t->rule));
                if (st == ST_NOT_ENROLLED)
                    js_i(&o->j, "est_arrears",
                         employers_arrears(t, r->pf, e->wage_region,
                                           match_period_months(&r->mo.period)));
                js_close(&o->j, '}');
            } else {
                if (!any) {
                    snprintf(key, sizeof key, "status.%s",
                             records_status_name((rec_status)st));
                    line(o, 1, "%s:", T(o, key));
                }
                line(o, 2, "%s  %s  %s%s%s", src_s(o, t->file, t->line, src, sizeof src),
                     t->name->full, t->reason ? records_reason_name(t->reason) : "",
                     t->reason && t->rule ? " " : "", t->rule ? records_rule_name(t->rule) : "");
            }
            any = true;
        }
        if (any && o->json)
            js_close(&o->j, ']');
    }
    if (o->json)
        js_close(&o->j, '}');
    /* where it came from: tax files, SI files with unit codes, registry rows */
    if (o->json)
        js_open(&o->j, "sources", '[');
    else
        line(o, 1, "%s", T(o, "explain.emp_sources"));
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
            for (size_t i = 0; i < ds->nemps; i++)
                if (ds->emps[i].file == f && strcmp(ds->emps[i].emp, e->emp) == 0) {
                    n++;
                    if (o->json)
                        continue;
                    line(o, 2, T(o, "explain.emp_registry"),
                         src_s(o, ds->emps[i].file, ds->emps[i].line, src, sizeof src),
                         ds->emps[i].unit_code && ds->emps[i].unit_code[0]
                             ? ds->emps[i].unit_code : "-");
                }
            if (o->json && n) {
                js_open(&o->j, NULL, '{');
                js_s(&o->j, "file", in->path);
                js_s(&o->j, "kind", "employers");
                js_u(&o->j, "rows", n);
                js_close(&o->j, '}');
            }
            continue;
        } else {
            continue;
        }
        if (n == 0)
            continue;
        if (o->json) {
            js_open(&o->j, NULL, '{');
            js_s(&o->j, "file", in->path);
            js_s(&o->j, "kind", fields_kind_name(in->kind));
            js_u(&o->j, "rows", n);
            if (in->kind == KIND_SI)
                js_s(&o->j, "unit_codes", units);
            js_close(&o->j, '}');
        } else {
            line(o, 2, T(o, in->kind == KIND_TAX ? "explain.emp_tax_file" : "explain.emp_si_file"),
                 in->path, n, units[0] ? units : "-");
        }
    }
    if (o->json) {
        js_close(&o->j, ']');
    } else {
        line(o, 1, T(o, "explain.emp_arrears"), money(o, e->est_arrears, b1),
             e->not_enrolled);
        fputc('\n', o->f);
    }
    return true;
}

size_t
explain_write(struct explain *x, const struct run *r, FILE *f, bool json, lang l,
              bool mask_ids)
{
    struct out o;
    size_t missing = 0;

    memset(&o, 0, sizeof o);
    o.f = f;
    o.json = json;
    o.l = l;
    o.mask = mask_ids;
    o.r = r;
    o.ds = &r->ds;
    o.j.f = f;
    o.j.first = true;
    if (json)
        js_open(&o.j, NULL, '[');
    for (size_t qi = 0; qi < x->nq; qi++) {
        const struct explain_query *q = &x->q[qi];
        static const char *const by_name[] = {"person", "row", "employer"};
        bool found;
        if (json) {
            js_open(&o.j, NULL, '{');
            js_s(&o.j, "query", by_name[q->by]);
            char mv[IDS_MAX];
            js_s(&o.j, "value", q->by == EXPLAIN_PERSON && mask_ids && explain_is_identifier(q->value) &&
                                        strlen(q->value) < IDS_MAX
                                    ? id_s(&o, q->value, mv) : q->value);
            if (q->employer)
                js_s(&o.j, "employer", q->employer);
        }
        if (q->by == EXPLAIN_EMPLOYER) {
            if (json)
                js_open(&o.j, "employer_view", '{');
            found = write_employer(&o, q->value);
            if (json)
                js_close(&o.j, '}');
        } else {
            found = x->nrecs[qi] > 0;
            if (json)
                js_open(&o.j, "records", '[');
            for (size_t k = 0; k < x->nrecs[qi]; k++)
                write_record(&o, x, x->recs[qi][k]);
            if (json)
                js_close(&o.j, ']');
            /* the person's SI records, when they are known by ID */
            if (q->by == EXPLAIN_PERSON) {
                bool any = false;
                char buf[1400];
                if (json)
                    js_open(&o.j, "si_records", '[');
                for (size_t i = 0; i < r->ds.nsi; i++) {
                    if (!has_person(x, qi, r->ds.si[i].person))
                        continue;
                    if (json) {
                        js_si(&o, NULL, &r->ds.si[i]);
                    } else {
                        if (!any)
                            line(&o, 0, "%s", T(&o, "explain.person_si"));
                        si_text(&o, &r->ds.si[i], buf, sizeof buf);
                        line(&o, 1, "%s", buf);
                    }
                    any = true;
                }
                if (json)
                    js_close(&o.j, ']');
                else if (any)
                    fputc('\n', f);
                found = found || any;
            }
        }
        if (json) {
            js_b(&o.j, "found", found);
            js_close(&o.j, '}');
        }
        x->found[qi] = found;
        if (!found)
            missing++;
    }
    if (json) {
        js_close(&o.j, ']');
        fputc('\n', f);
    }
    return missing;
}
