/*
 * test_match.c - the decision for every tax record (docs/matching.md; docs/architecture.md, "Determinism"):
 * rules R1-R4, name keys and their folded form, ambiguity, coverage in the
 * period, the REVIEW cases, flags, duplicates, branches, determinism under
 * shuffled input, and --period parsing.  Records are built in memory.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "sirecon/match.h"
#include "sirecon/names.h"
#include "sirecon/profile.h"
#include "sirecon/records.h"
#include "sirecon/ids.h"
#include "idt.h"

#define M(y, m) ((y) * 12 + (m) - 1)

/* Employer codes (real, valid check digits; docs/inputs.md). */
#define EA "0100233488"
#define EB "0300588569"
#define EC "0101248141"
#define ED "0100684378"
#define EE "0100107370"
#define EF "0100109106"

struct fx {
    struct dataset ds;
    struct profile pf;
    struct match_opts mo;
    struct diag d;
};

static void
fx_init(struct fx *f)
{
    struct input_file *in;

    memset(f, 0, sizeof *f);
    dataset_init(&f->ds);
    profile_defaults(&f->pf);
    f->mo.period.first = M(2025, 1);
    f->mo.period.last = M(2025, 12);
    in = dataset_add_file(&f->ds);
    in->path = "tax.csv";
    in->kind = KIND_TAX;
    in = dataset_add_file(&f->ds);
    in->path = "si.csv";
    in->kind = KIND_SI;
}

static void
fx_run(struct fx *f)
{
    assert_int_equal(match_run(&f->ds, &f->mo, &f->pf, &f->d), SIRECON_OK);
}

static void
fx_free(struct fx *f)
{
    dataset_free(&f->ds);
    profile_free(&f->pf);
}

/* A 05-1 tax record of 2025 with 120,000,000 taxable income; one id of
 * kind k (or none when id is NULL).  Returns its index. */
static size_t
add_tax(struct fx *f, const char *emp, const char *name, id_kind k, const char *id)
{
    struct tax_rec *t = dataset_add_tax(&f->ds);
    size_t i = f->ds.ntax - 1;

    t->emp = arena_strdup(&f->ds.a, emp);
    t->emp_name = "";
    t->name = names_pname(&f->ds.a, name, strlen(name));
    t->pid_kind = IDK_NONE;
    if (id != NULL) {
        ids_put(&f->ds.a, &t->ids, ids_key(k, id));
        t->pid_kind = k;
    }
    t->tax_year = 2025;
    t->taxable_income = 120000000;
    t->schedule = 1;
    t->file = 0;
    t->line = (uint32_t)(i + 2);
    t->person = PERSON_NONE;
    return i;
}

/* An SI span [from, to] at emp. */
static size_t
add_si(struct fx *f, const char *emp, const char *name, id_kind k, const char *id,
       int from, int to)
{
    struct si_rec *s = dataset_add_si(&f->ds);
    size_t i = f->ds.nsi - 1;

    s->emp = arena_strdup(&f->ds.a, emp);
    s->unit_code = "";
    s->name = names_pname(&f->ds.a, name, strlen(name));
    if (id != NULL)
        ids_put(&f->ds.a, &s->ids, ids_key(k, id));
    s->from_month = from;
    s->to_month = to;
    s->file = 1;
    s->line = (uint32_t)(i + 2);
    s->person = PERSON_NONE;
    return i;
}

static void
add_ident(struct fx *f, id_kind k1, const char *v1, id_kind k2, const char *v2)
{
    struct identity_rec *r = dataset_add_identity(&f->ds);

    ids_put(&f->ds.a, &r->ids, ids_key(k1, v1));
    ids_put(&f->ds.a, &r->ids, ids_key(k2, v2));
}

#define T(f, i) (&(f).ds.tax[(i)])

static void
assert_decision(const struct tax_rec *t, rec_status st, rec_reason rs, rec_rule ru,
                char conf)
{
    if (t->status != st || t->reason != rs || t->rule != ru || t->confidence != conf)
        print_error("%s: got %s/%s/%s/%c, want %s/%s/%s/%c\n", t->name->full,
                    records_status_name(t->status), records_reason_name(t->reason),
                    records_rule_name(t->rule), t->confidence ? t->confidence : '-',
                    records_status_name(st), records_reason_name(rs),
                    records_rule_name(ru), conf ? conf : '-');
    assert_int_equal(t->status, st);
    assert_int_equal(t->reason, rs);
    assert_int_equal(t->rule, ru);
    assert_int_equal(t->confidence, conf);
}

/* ---- R1 ---- */

static void
test_r1_shared_id(void **state)
{
    struct fx f;
    size_t a, b, c, s1, s2;

    fx_init(&f);
    /* names differ on purpose: R1 looks at identifiers only */
    a = add_tax(&f, EA, "Nguy\xe1\xbb\x85n V\xc4\x83n An", IDK_PERSONAL, "034090000001");
    s1 = add_si(&f, EA, "Nguyen Van Binh", IDK_PERSONAL, "034090000001", M(2024, 1), MONTH_OPEN);
    /* a second identifier kind on each side, the personal ID shared */
    b = add_tax(&f, EA, "L\xc3\xaa Th\xe1\xbb\x8b Hoa", IDK_TAXCODE, "8012345678");
    ids_put(&f.ds.a, &f.ds.tax[b].ids, ids_key(IDK_PERSONAL, "034190000002"));
    s2 = add_si(&f, EA, "Le Thi Hoa", IDK_SI, "0112345678", M(2025, 1), M(2025, 12));
    ids_put(&f.ds.a, &f.ds.si[s2].ids, ids_key(IDK_PERSONAL, "034190000002"));
    /* same ID, other employer: never R1 here */
    c = add_tax(&f, EB, "Tr\xe1\xba\xa7n V\xc4\x83n C\xc6\xb0\xe1\xbb\x9dng", IDK_PERSONAL,
                "034090000001");
    fx_run(&f);

    assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
    assert_int_equal(T(f, a)->covered_months, 12);
    assert_null(records_other_emp(&f.ds, T(f, a)));
    assert_int_equal(T(f, a)->flags, 0);
    assert_true(f.ds.si[s1].matched);
    assert_decision(T(f, b), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
    assert_int_equal(T(f, b)->covered_months, 12);
    assert_true(f.ds.si[s2].matched);
    /* c's person is enrolled at EA only: covered elsewhere */
    assert_decision(T(f, c), ST_COVERED_ELSEWHERE, RS_ENROLLED_AT_OTHER_EMPLOYER,
                    RULE_R4_ELSEWHERE, 0);
    assert_string_equal(records_other_emp(&f.ds, T(f, c)), EA);
    fx_free(&f);
}

static void
test_r1_crosswalk(void **state)
{
    for (int with = 0; with <= 1; with++) {
        struct fx f;
        size_t a;

        fx_init(&f);
        /* legacy tax code on the tax side, CCCD on the SI side, different
         * written names so that no name rule can join them */
        a = add_tax(&f, EA, "Ph\xe1\xba\xa1m Minh \xc4\x90\xe1\xbb\xa9" "c", IDK_TAXCODE,
                    "8012345678");
        add_si(&f, EA, "Ph\xe1\xba\xa1m \xc4\x90\xe1\xbb\xa9" "c Minh", IDK_PERSONAL,
               "034090000003", M(2025, 1), MONTH_OPEN);
        if (with) {
            add_ident(&f, IDK_PERSONAL, "034090000003", IDK_TAXCODE, "8012345678");
            /* an unrelated crosswalk row does not disturb */
            add_ident(&f, IDK_CMND, "123456789", IDK_SI, "0199999999");
        }
        fx_run(&f);
        if (with) {
            assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
            assert_int_equal(T(f, a)->covered_months, 12);
            assert_int_equal(T(f, a)->person, f.ds.si[0].person);
        } else {
            assert_decision(T(f, a), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER,
                            RULE_NONE, 0);
            assert_true(T(f, a)->person != f.ds.si[0].person);
        }
        fx_free(&f);
    }
}

/* A crosswalk chain: tax code -- CCCD on one row, CCCD -- SI number on
 * another; the tax side holds the tax code, the SI side the SI number. */
static void
test_r1_crosswalk_chain(void **state)
{
    struct fx f;
    size_t a;

    fx_init(&f);
    a = add_tax(&f, EA, "Ho\xc3\xa0ng V\xc4\x83n Nam", IDK_TAXCODE, "8098765432");
    add_si(&f, EA, "Hoang Van Bac", IDK_SI, "3412345678", M(2025, 3), MONTH_OPEN);
    add_ident(&f, IDK_TAXCODE, "8098765432", IDK_PERSONAL, "034088000004");
    add_ident(&f, IDK_SI, "3412345678", IDK_PERSONAL, "034088000004");
    fx_run(&f);
    assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
    assert_int_equal(T(f, a)->covered_months, 10);
    fx_free(&f);
}

/* ---- R2 / R3 ---- */

static void
test_r2_name_dob(void **state)
{
    static const struct {
        const char *emp;
        sdate tb, sb;
        rec_status st;
        rec_rule ru;
    } c[] = {
        {EA, 19900515, 19900515, ST_ENROLLED, RULE_R2_NAME_DOB},     /* equal dates */
        {EB, 19900000, 19900515, ST_ENROLLED, RULE_R2_NAME_DOB},     /* year only, tax side */
        {EC, 19900515, 19900000, ST_ENROLLED, RULE_R2_NAME_DOB},     /* year only, SI side */
        {ED, 19900516, 19900515, ST_NOT_ENROLLED, RULE_NONE},        /* another day */
        {EE, 19910000, 19900515, ST_NOT_ENROLLED, RULE_NONE},        /* another year */
    };
    struct fx f;
    size_t idx[5];

    fx_init(&f);
    for (size_t i = 0; i < 5; i++) {
        size_t s;
        idx[i] = add_tax(&f, c[i].emp, "Ph\xe1\xba\xa1m Th\xe1\xbb\x8b Lan", IDK_TAXCODE,
                         "8011111111");
        f.ds.tax[idx[i]].birth = c[i].tb;
        s = add_si(&f, c[i].emp, "PH\xe1\xba\xa0M TH\xe1\xbb\x8a LAN", IDK_SI, "0122222222",
                   M(2025, 1), MONTH_OPEN);
        f.ds.si[s].birth = c[i].sb;
    }
    fx_run(&f);
    for (size_t i = 0; i < 5; i++) {
        const struct tax_rec *t = T(f, idx[i]);
        if (c[i].st == ST_ENROLLED) {
            assert_decision(t, ST_ENROLLED, RS_NONE, RULE_R2_NAME_DOB, 'B');
            assert_int_equal(t->covered_months, 12);
            assert_int_equal(t->flags & RF_FOLDED_NAME, 0);
        } else {
            /* the SI number is at every employer, but the tax side does not
             * carry it: no R1 and no R4 */
            assert_decision(t, ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
            assert_int_equal(t->covered_months, 0);
        }
    }
    fx_free(&f);
}

static void
test_r3_name(void **state)
{
    struct fx f;
    size_t a, b, s;

    fx_init(&f);
    /* no birth date on the tax side */
    a = add_tax(&f, EA, "\xc4\x90\xe1\xbb\x97 Th\xe1\xbb\x8b Thu", IDK_TAXCODE, "8033333333");
    s = add_si(&f, EA, "\xc4\x90\xe1\xbb\x97 Th\xe1\xbb\x8b Thu", IDK_SI, "0133333333",
               M(2025, 4), M(2025, 9));
    f.ds.si[s].birth = 19850302;
    /* no birth date on the SI side */
    b = add_tax(&f, EB, "V\xc5\xa9 V\xc4\x83n Long", IDK_PERSONAL, "034085000005");
    f.ds.tax[b].birth = 19850302;
    add_si(&f, EB, "V\xc5\xa9 V\xc4\x83n Long", IDK_SI, "0144444444", M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    assert_int_equal(T(f, a)->covered_months, 6);
    assert_decision(T(f, b), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    assert_int_equal(T(f, b)->covered_months, 12);
    fx_free(&f);
}

/* The name rules take a person's whole entity at the employer, every
 * record of it, even one under another name: here the person's second
 * span is filed as "Nguyen Van Anh".  The entity's name is its record with
 * diacritics ("Nguyễn Văn An"), which the tax record has, so R3 matches it
 * and both spans count (twelve months, not six). */
static void
test_r3_whole_entity(void **state)
{
    struct fx f;
    size_t a;

    fx_init(&f);
    a = add_tax(&f, EA, "Nguy\xe1\xbb\x85n V\xc4\x83n An", IDK_TAXCODE, "8011111111");
    add_si(&f, EA, "Nguyen Van Anh", IDK_SI, "0111111111", M(2025, 7), M(2025, 12));
    add_si(&f, EA, "Nguy\xe1\xbb\x85n V\xc4\x83n An", IDK_SI, "0111111111", M(2025, 1),
           M(2025, 6));
    /* someone else at the employer, of another name */
    add_si(&f, EA, "Tr\xe1\xba\xa7n B\xc3\xacnh", IDK_SI, "0122222222", M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    assert_int_equal(T(f, a)->covered_months, 12);
    fx_free(&f);
}

/* Past a few records left at an employer, or a few persons of their
 * names, the name rules build every entity there: the same decisions.
 * 20 records left at EA, each with its one SI person of that name; at EB
 * a record left with 20 SI persons of its name (ambiguous), and one with a
 * single person of its name, filed after those 20. */
static void
test_name_rules_many(void **state)
{
    struct fx f;
    size_t a[20], b, c;
    char name[48], id[32];

    fx_init(&f);
    for (int k = 0; k < 20; k++) {
        snprintf(name, sizeof name, "Nguyen Van %c%c", 'A' + k, 'a' + k);
        snprintf(id, sizeof id, "80100000%02d", k);
        a[k] = add_tax(&f, EA, name, IDK_TAXCODE, id);
        snprintf(id, sizeof id, "01100000%02d", k);
        add_si(&f, EA, name, IDK_SI, id, M(2025, 1), MONTH_OPEN);
    }
    b = add_tax(&f, EB, "Tran Van Binh", IDK_TAXCODE, "8020000000");
    c = add_tax(&f, EB, "Le Thi Hoa", IDK_TAXCODE, "8020000001");
    for (int k = 0; k < 20; k++) {
        snprintf(id, sizeof id, "01200000%02d", k);
        add_si(&f, EB, "Tran Van Binh", IDK_SI, id, M(2025, 1), MONTH_OPEN);
    }
    add_si(&f, EB, "Le Thi Hoa", IDK_SI, "0130000000", M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    for (int k = 0; k < 20; k++) {
        assert_decision(T(f, a[k]), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
        assert_int_equal(T(f, a[k])->covered_months, 12);
    }
    assert_int_equal(T(f, b)->status, ST_REVIEW);
    assert_int_equal(T(f, b)->reason, RS_AMBIGUOUS_NAME);
    assert_decision(T(f, c), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    fx_free(&f);
}

static void
test_tone_variants(void **state)
{
    struct fx f;
    size_t a, b;

    fx_init(&f);
    /* old / new tone placement: Hoà / Hòa, Thuỷ / Thủy (NFD on the SI side) */
    a = add_tax(&f, EA, "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Ho\xc3\xa0", IDK_NONE, NULL);
    add_si(&f, EA, "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b H\xc3\xb2" "a", IDK_NONE, NULL,
           M(2025, 1), MONTH_OPEN);
    b = add_tax(&f, EB, "L\xc3\xaa Thu\xe1\xbb\xb7", IDK_NONE, NULL);
    add_si(&f, EB, "Le\xcc\x82 Thu\xcc\x89y", IDK_NONE, NULL, M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    assert_int_equal(T(f, a)->flags & RF_FOLDED_NAME, 0); /* exact keys agree */
    assert_decision(T(f, b), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    assert_int_equal(T(f, b)->flags & RF_FOLDED_NAME, 0);
    fx_free(&f);
}

static void
test_folded_key(void **state)
{
    struct fx f;
    size_t a, b, c, d, e;

    fx_init(&f);
    /* ASCII on the tax side */
    a = add_tax(&f, EA, "Tran Thi Ha", IDK_NONE, NULL);
    add_si(&f, EA, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0", IDK_SI, "0155555555",
           M(2025, 1), MONTH_OPEN);
    /* ASCII on the SI side, with a birth date on both: R2 */
    b = add_tax(&f, EB, "\xc4\x90\xe1\xba\xb7ng V\xc4\x83n \xc4\x90\xe1\xbb\xa9" "c",
                IDK_TAXCODE, "8066666666");
    f.ds.tax[b].birth = 19800101;
    add_si(&f, EB, "DANG VAN DUC", IDK_SI, "0166666666", M(2025, 1), MONTH_OPEN);
    f.ds.si[f.ds.nsi - 1].birth = 19800101;
    /* both with diacritics, different names: two people */
    c = add_tax(&f, EC, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0", IDK_NONE, NULL);
    add_si(&f, EC, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xe1\xba\xa1", IDK_NONE, NULL,
           M(2025, 1), MONTH_OPEN);
    /* ... even with equal birth dates */
    d = add_tax(&f, ED, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xe1\xba\xa3", IDK_NONE, NULL);
    f.ds.tax[d].birth = 19900101;
    add_si(&f, ED, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xe1\xba\xa1", IDK_NONE, NULL,
           M(2025, 1), MONTH_OPEN);
    f.ds.si[f.ds.nsi - 1].birth = 19900101;
    /* ASCII tax name, two SI people who differ only by a tone: ambiguous */
    e = add_tax(&f, EE, "Tran Thi Ha", IDK_NONE, NULL);
    add_si(&f, EE, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0", IDK_SI, "0177777771",
           M(2025, 1), MONTH_OPEN);
    add_si(&f, EE, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xe1\xba\xa1", IDK_SI, "0177777772",
           M(2025, 1), MONTH_OPEN);
    fx_run(&f);

    assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    assert_true(T(f, a)->flags & RF_FOLDED_NAME);
    assert_decision(T(f, b), ST_ENROLLED, RS_NONE, RULE_R2_NAME_DOB, 'B');
    assert_true(T(f, b)->flags & RF_FOLDED_NAME);
    assert_decision(T(f, c), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    assert_int_equal(T(f, c)->flags & RF_FOLDED_NAME, 0);
    assert_decision(T(f, d), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    assert_decision(T(f, e), ST_REVIEW, RS_AMBIGUOUS_NAME, RULE_NONE, 0);
    fx_free(&f);
}

static void
test_ambiguous_two_si(void **state)
{
    struct fx f;
    size_t a, b;

    fx_init(&f);
    /* two SI people of one name, tax record without birth date */
    a = add_tax(&f, EA, "Nguy\xe1\xbb\x85n V\xc4\x83n Minh", IDK_TAXCODE, "8011112222");
    add_si(&f, EA, "Nguy\xe1\xbb\x85n V\xc4\x83n Minh", IDK_SI, "0111110001", M(2025, 1),
           MONTH_OPEN);
    f.ds.si[f.ds.nsi - 1].birth = 19800101;
    add_si(&f, EA, "Nguy\xe1\xbb\x85n V\xc4\x83n Minh", IDK_SI, "0111110002", M(2025, 1),
           MONTH_OPEN);
    f.ds.si[f.ds.nsi - 1].birth = 19920202;
    /* the same set-up with the birth date that singles one out: R2 */
    b = add_tax(&f, EB, "Nguy\xe1\xbb\x85n V\xc4\x83n Minh", IDK_TAXCODE, "8011113333");
    f.ds.tax[b].birth = 19920202;
    add_si(&f, EB, "Nguy\xe1\xbb\x85n V\xc4\x83n Minh", IDK_SI, "0111110003", M(2025, 1),
           MONTH_OPEN);
    f.ds.si[f.ds.nsi - 1].birth = 19800101;
    add_si(&f, EB, "Nguy\xe1\xbb\x85n V\xc4\x83n Minh", IDK_SI, "0111110004", M(2025, 7),
           MONTH_OPEN);
    f.ds.si[f.ds.nsi - 1].birth = 19920202;
    fx_run(&f);
    assert_decision(T(f, a), ST_REVIEW, RS_AMBIGUOUS_NAME, RULE_NONE, 0);
    assert_int_equal(T(f, a)->covered_months, 0);
    assert_decision(T(f, b), ST_ENROLLED, RS_NONE, RULE_R2_NAME_DOB, 'B');
    assert_int_equal(T(f, b)->covered_months, 6); /* the 1992 person's span */
    fx_free(&f);
}

/* Two SI spans of one person (same SI number) are one candidate, not two. */
static void
test_one_person_two_spans(void **state)
{
    struct fx f;
    size_t a;

    fx_init(&f);
    a = add_tax(&f, EA, "B\xc3\xb9i Th\xe1\xbb\x8b Nga", IDK_TAXCODE, "8012121212");
    add_si(&f, EA, "B\xc3\xb9i Th\xe1\xbb\x8b Nga", IDK_SI, "0121212121", M(2025, 1), M(2025, 3));
    add_si(&f, EA, "B\xc3\xb9i Th\xe1\xbb\x8b Nga", IDK_SI, "0121212121", M(2025, 8), MONTH_OPEN);
    fx_run(&f);
    assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    assert_int_equal(T(f, a)->covered_months, 8);
    fx_free(&f);
}

static void
test_ambiguous_two_tax(void **state)
{
    struct fx f;
    size_t a, b;

    fx_init(&f);
    a = add_tax(&f, EA, "\xc4\x90\xe1\xbb\x97 V\xc4\x83n H\xc3\xb9ng", IDK_TAXCODE, "8010000001");
    b = add_tax(&f, EA, "\xc4\x90\xe1\xbb\x97 V\xc4\x83n H\xc3\xb9ng", IDK_TAXCODE, "8010000002");
    f.ds.tax[b].taxable_income = 90000000;
    add_si(&f, EA, "\xc4\x90\xe1\xbb\x97 V\xc4\x83n H\xc3\xb9ng", IDK_SI, "0110000001",
           M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    assert_decision(T(f, a), ST_REVIEW, RS_AMBIGUOUS_NAME, RULE_NONE, 0);
    assert_decision(T(f, b), ST_REVIEW, RS_AMBIGUOUS_NAME, RULE_NONE, 0);
    assert_false(f.ds.tax[a].duplicate || f.ds.tax[b].duplicate);
    fx_free(&f);
}

static void
test_id_conflict_blocks_name(void **state)
{
    struct fx f;
    size_t a, b;

    fx_init(&f);
    /* same name, personal IDs of the same kind that differ: two people */
    a = add_tax(&f, EA, "V\xc5\xa9 Th\xe1\xbb\x8b Mai", IDK_PERSONAL, "034195000011");
    add_si(&f, EA, "V\xc5\xa9 Th\xe1\xbb\x8b Mai", IDK_PERSONAL, "034195000022", M(2025, 1),
           MONTH_OPEN);
    /* control: IDs of different kinds do not conflict */
    b = add_tax(&f, EB, "V\xc5\xa9 Th\xe1\xbb\x8b Mai", IDK_PERSONAL, "034195000033");
    add_si(&f, EB, "V\xc5\xa9 Th\xe1\xbb\x8b Mai", IDK_SI, "0195000033", M(2025, 1),
           MONTH_OPEN);
    fx_run(&f);
    assert_decision(T(f, a), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    assert_decision(T(f, b), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    fx_free(&f);
}

/* An SI record claimed by R1 is not a name candidate for someone else. */
static void
test_r1_claims_before_names(void **state)
{
    struct fx f;
    size_t a, b;

    fx_init(&f);
    a = add_tax(&f, EA, "L\xc3\xbd V\xc4\x83n T\xc3\xa1m", IDK_PERSONAL, "034077000001");
    b = add_tax(&f, EA, "L\xc3\xbd V\xc4\x83n T\xc3\xa1m", IDK_TAXCODE, "8077000002");
    add_si(&f, EA, "L\xc3\xbd V\xc4\x83n T\xc3\xa1m", IDK_PERSONAL, "034077000001", M(2025, 1),
           MONTH_OPEN);
    fx_run(&f);
    assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
    assert_decision(T(f, b), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    fx_free(&f);
}

/* ---- R4 and NOT_ENROLLED ---- */

static void
test_r4_elsewhere(void **state)
{
    struct fx f;
    size_t a;

    fx_init(&f);
    a = add_tax(&f, EA, "Tr\xe1\xbb\x8bnh V\xc4\x83n S\xc6\xa1n", IDK_PERSONAL, "034091000007");
    add_si(&f, EA, "Someone Else", IDK_PERSONAL, "034091000099", M(2025, 1), MONTH_OPEN);
    add_si(&f, EB, "Trinh Van Son", IDK_PERSONAL, "034091000007", M(2025, 2), MONTH_OPEN);
    add_si(&f, EF, "Trinh Van Son", IDK_PERSONAL, "034091000007", M(2025, 5), M(2025, 8));
    /* smaller codes, but outside the period: not "elsewhere" */
    add_si(&f, EE, "Trinh Van Son", IDK_PERSONAL, "034091000007", M(2024, 1), M(2024, 12));
    add_si(&f, ED, "Trinh Van Son", IDK_PERSONAL, "034091000007", M(2026, 1), MONTH_OPEN);
    fx_run(&f);
    assert_decision(T(f, a), ST_COVERED_ELSEWHERE, RS_ENROLLED_AT_OTHER_EMPLOYER,
                    RULE_R4_ELSEWHERE, 0);
    assert_string_equal(records_other_emp(&f.ds, T(f, a)), EF); /* 0100109106 < 0300588569 */
    assert_int_equal(T(f, a)->flags & RF_DEDUCTED_NOT_ENROLLED, 0);
    fx_free(&f);
}

static void
test_not_enrolled_reasons(void **state)
{
    struct fx f;
    size_t a, b, c;

    fx_init(&f);
    a = add_tax(&f, EA, "Mai V\xc4\x83n Ti\xe1\xba\xbfn", IDK_PERSONAL, "034092000001");
    b = add_tax(&f, EB, "Mai V\xc4\x83n H\xe1\xba\xadu", IDK_PERSONAL, "034092000002");
    add_si(&f, EB, "Mai V\xc4\x83n Kh\xc3\xa1" "c", IDK_PERSONAL, "034092000003", M(2025, 1),
           MONTH_OPEN);
    /* in the registry, but no SI record: still not registered with SI */
    c = add_tax(&f, EC, "Mai V\xc4\x83n Ph\xc3\xba", IDK_PERSONAL, "034092000004");
    {
        struct employer_rec *e = dataset_add_employer(&f.ds);
        e->emp = EC;
        e->name = "C\xc3\xb4ng ty C";
        e->unit_code = e->area = e->address = "";
    }
    fx_run(&f);
    assert_decision(T(f, a), ST_NOT_ENROLLED, RS_EMPLOYER_NOT_REGISTERED, RULE_NONE, 0);
    assert_decision(T(f, b), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    assert_decision(T(f, c), ST_NOT_ENROLLED, RS_EMPLOYER_NOT_REGISTERED, RULE_NONE, 0);
    assert_int_equal(T(f, a)->covered_months, 0);
    assert_null(records_other_emp(&f.ds, T(f, a)));
    assert_int_equal(T(f, a)->flags, 0);
    fx_free(&f);
}

static void
test_coverage_in_period(void **state)
{
    struct fx f;
    size_t out, part, full6, uni, unknown, prior;

    fx_init(&f);
    /* span ends 2024-12: matched, but not in the period */
    out = add_tax(&f, EA, "A", IDK_PERSONAL, "034090000101");
    add_si(&f, EA, "A", IDK_PERSONAL, "034090000101", M(2023, 6), M(2024, 12));
    /* income in 12 months, covered 6 */
    part = add_tax(&f, EA, "B", IDK_PERSONAL, "034090000102");
    f.ds.tax[part].income_months = 12;
    add_si(&f, EA, "B", IDK_PERSONAL, "034090000102", M(2025, 7), MONTH_OPEN);
    /* income in 6 months, covered 6 */
    full6 = add_tax(&f, EA, "C", IDK_PERSONAL, "034090000103");
    f.ds.tax[full6].income_months = 6;
    add_si(&f, EA, "C", IDK_PERSONAL, "034090000103", M(2025, 1), M(2025, 6));
    /* overlapping spans count once: 01-03 and 02-05 -> 5 months */
    uni = add_tax(&f, EA, "D", IDK_PERSONAL, "034090000104");
    f.ds.tax[uni].income_months = 6;
    add_si(&f, EA, "D", IDK_PERSONAL, "034090000104", M(2025, 1), M(2025, 3));
    add_si(&f, EA, "D", IDK_PERSONAL, "034090000104", M(2025, 2), M(2025, 5));
    /* income months unknown: any covered month is enough */
    unknown = add_tax(&f, EA, "E", IDK_PERSONAL, "034090000105");
    add_si(&f, EA, "E", IDK_PERSONAL, "034090000105", M(2025, 12), M(2025, 12));
    /* a span from before the period into it */
    prior = add_tax(&f, EA, "F", IDK_PERSONAL, "034090000106");
    f.ds.tax[prior].income_months = 12;
    add_si(&f, EA, "F", IDK_PERSONAL, "034090000106", M(2019, 1), M(2025, 3));
    fx_run(&f);

    assert_decision(T(f, out), ST_NOT_ENROLLED, RS_COVERAGE_OUTSIDE_PERIOD, RULE_R1_ID, 'A');
    assert_int_equal(T(f, out)->covered_months, 0);
    assert_decision(T(f, part), ST_PARTIAL, RS_FEWER_MONTHS_THAN_INCOME, RULE_R1_ID, 'A');
    assert_int_equal(T(f, part)->covered_months, 6);
    assert_decision(T(f, full6), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
    assert_int_equal(T(f, full6)->covered_months, 6);
    assert_decision(T(f, uni), ST_PARTIAL, RS_FEWER_MONTHS_THAN_INCOME, RULE_R1_ID, 'A');
    assert_int_equal(T(f, uni)->covered_months, 5);
    assert_decision(T(f, unknown), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
    assert_int_equal(T(f, unknown)->covered_months, 1);
    assert_decision(T(f, prior), ST_PARTIAL, RS_FEWER_MONTHS_THAN_INCOME, RULE_R1_ID, 'A');
    assert_int_equal(T(f, prior)->covered_months, 3);
    fx_free(&f);
}

/* A shorter review period: covered months count inside it only. */
static void
test_short_period(void **state)
{
    struct fx f;
    size_t a, b;

    fx_init(&f);
    f.mo.period.first = M(2025, 1);
    f.mo.period.last = M(2025, 6);
    a = add_tax(&f, EA, "A", IDK_PERSONAL, "034090000201");
    add_si(&f, EA, "A", IDK_PERSONAL, "034090000201", M(2025, 4), MONTH_OPEN);
    b = add_tax(&f, EA, "B", IDK_PERSONAL, "034090000202");
    add_si(&f, EA, "B", IDK_PERSONAL, "034090000202", M(2025, 7), MONTH_OPEN);
    fx_run(&f);
    assert_int_equal(T(f, a)->covered_months, 3);
    assert_int_equal(T(f, a)->status, ST_ENROLLED);
    assert_decision(T(f, b), ST_NOT_ENROLLED, RS_COVERAGE_OUTSIDE_PERIOD, RULE_R1_ID, 'A');
    fx_free(&f);
}

/* ---- REVIEW cases ---- */

static void
test_short_contract(void **state)
{
    for (int inc = 0; inc <= 1; inc++) {
        struct fx f;
        size_t a, b, c;

        fx_init(&f);
        f.mo.include_short_contracts = inc;
        a = add_tax(&f, EA, "A", IDK_PERSONAL, "034090000301");
        f.ds.tax[a].schedule = 2;
        b = add_tax(&f, EA, "B", IDK_PASSPORT, "C1234567");
        f.ds.tax[b].non_resident = true;
        /* a matched 05-2 record is simply enrolled */
        c = add_tax(&f, EA, "C", IDK_PERSONAL, "034090000303");
        f.ds.tax[c].schedule = 2;
        add_si(&f, EA, "C", IDK_PERSONAL, "034090000303", M(2025, 1), MONTH_OPEN);
        fx_run(&f);
        if (inc) {
            assert_decision(T(f, a), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
            assert_decision(T(f, b), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
        } else {
            assert_decision(T(f, a), ST_REVIEW, RS_SHORT_CONTRACT_OR_NON_RESIDENT, RULE_NONE, 0);
            assert_decision(T(f, b), ST_REVIEW, RS_SHORT_CONTRACT_OR_NON_RESIDENT, RULE_NONE, 0);
        }
        assert_decision(T(f, c), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
        fx_free(&f);
    }
}

static void
test_retirement_age(void **state)
{
    struct fx f;
    size_t m58, m66, f66, any63, young, m64a, m64b;

    fx_init(&f);
    add_si(&f, EA, "Foil", IDK_PERSONAL, "034090000999", M(2025, 1), MONTH_OPEN);
    /* century digit 0 = male 1900s, 1 = female 1900s; limits 61y6m / 57y */
    m58 = add_tax(&f, EA, "Male 1958", IDK_PERSONAL, "034058000401");
    m66 = add_tax(&f, EA, "Male 1966", IDK_PERSONAL, "034066000402");
    f66 = add_tax(&f, EA, "Female 1966", IDK_PERSONAL, "034166000403");
    /* sex unknown (no CCCD), born Dec 1963 by date: past the lower limit */
    any63 = add_tax(&f, EA, "Unknown sex 1963", IDK_TAXCODE, "8063000404");
    f.ds.tax[any63].birth = 19631201;
    young = add_tax(&f, EA, "Unknown sex 1990", IDK_TAXCODE, "8090000405");
    f.ds.tax[young].birth = 19900101;
    /* the month of the birth date counts: a man born 1964-07 is 61y5m at the
     * end of 2025, one born 1964-06 is 61y6m */
    m64a = add_tax(&f, EA, "Male 1964-07", IDK_PERSONAL, "034064000406");
    f.ds.tax[m64a].birth = 19640701;
    m64b = add_tax(&f, EA, "Male 1964-06", IDK_PERSONAL, "034064000407");
    f.ds.tax[m64b].birth = 19640601;
    fx_run(&f);
    assert_decision(T(f, m58), ST_REVIEW, RS_PAST_RETIREMENT_AGE, RULE_NONE, 0);
    assert_decision(T(f, m66), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    assert_decision(T(f, f66), ST_REVIEW, RS_PAST_RETIREMENT_AGE, RULE_NONE, 0);
    assert_decision(T(f, any63), ST_REVIEW, RS_PAST_RETIREMENT_AGE, RULE_NONE, 0);
    assert_decision(T(f, young), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    assert_decision(T(f, m64a), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    assert_decision(T(f, m64b), ST_REVIEW, RS_PAST_RETIREMENT_AGE, RULE_NONE, 0);
    fx_free(&f);
}

static void
test_id_corrupted(void **state)
{
    struct fx f;
    size_t a, b, c;

    fx_init(&f);
    add_si(&f, EA, "Foil", IDK_PERSONAL, "034090000998", M(2025, 1), MONTH_OPEN);
    /* corrupted ID, no other key, nobody of that name: REVIEW */
    a = add_tax(&f, EA, "Cao V\xc4\x83n B\xe1\xba\xa3o", IDK_NONE, NULL);
    f.ds.tax[a].flags = RF_ID_CORRUPTED;
    /* corrupted ID, but the name finds the person: matched */
    b = add_tax(&f, EA, "Cao Th\xe1\xbb\x8b Y\xe1\xba\xbfn", IDK_NONE, NULL);
    f.ds.tax[b].flags = RF_ID_CORRUPTED;
    add_si(&f, EA, "Cao Th\xe1\xbb\x8b Y\xe1\xba\xbfn", IDK_PERSONAL, "034090000997",
           M(2025, 1), MONTH_OPEN);
    /* corrupted personal ID but a legacy tax code: an ordinary not-enrolled */
    c = add_tax(&f, EA, "Cao V\xc4\x83n Kh\xe1\xba\xa3i", IDK_TAXCODE, "8090000406");
    f.ds.tax[c].flags = RF_ID_CORRUPTED;
    fx_run(&f);
    assert_decision(T(f, a), ST_REVIEW, RS_ID_CORRUPTED, RULE_NONE, 0);
    assert_true(T(f, a)->flags & RF_ID_CORRUPTED);
    assert_decision(T(f, b), ST_ENROLLED, RS_NONE, RULE_R3_NAME, 'C');
    assert_decision(T(f, c), ST_NOT_ENROLLED, RS_NO_SI_RECORD_AT_EMPLOYER, RULE_NONE, 0);
    fx_free(&f);
}

/* ---- flags ---- */

static void
test_deducted_not_enrolled(void **state)
{
    struct fx f;
    size_t a, b, c, d;

    fx_init(&f);
    a = add_tax(&f, EA, "A", IDK_PERSONAL, "034090000501");
    f.ds.tax[a].insurance_deduction = 10500000;
    b = add_tax(&f, EA, "B", IDK_PERSONAL, "034090000502");
    c = add_tax(&f, EA, "C", IDK_PERSONAL, "034090000503");
    f.ds.tax[c].insurance_deduction = 10500000;
    add_si(&f, EA, "C", IDK_PERSONAL, "034090000503", M(2025, 1), MONTH_OPEN);
    d = add_tax(&f, EA, "D", IDK_PERSONAL, "034090000504");
    f.ds.tax[d].insurance_deduction = 10500000;
    add_si(&f, EB, "D", IDK_PERSONAL, "034090000504", M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    assert_int_equal(T(f, a)->status, ST_NOT_ENROLLED);
    assert_true(T(f, a)->flags & RF_DEDUCTED_NOT_ENROLLED);
    assert_int_equal(T(f, b)->status, ST_NOT_ENROLLED);
    assert_int_equal(T(f, b)->flags & RF_DEDUCTED_NOT_ENROLLED, 0);
    assert_int_equal(T(f, c)->status, ST_ENROLLED);
    assert_int_equal(T(f, c)->flags & RF_DEDUCTED_NOT_ENROLLED, 0);
    assert_int_equal(T(f, d)->status, ST_COVERED_ELSEWHERE);
    assert_int_equal(T(f, d)->flags & RF_DEDUCTED_NOT_ENROLLED, 0);
    fx_free(&f);
}

static void
test_low_base(void **state)
{
    struct fx f;
    size_t lo, hi, unknown;

    fx_init(&f);
    /* 240,000,000 a year = 20,000,000 a month; a base of 5,000,000 is low */
    lo = add_tax(&f, EA, "A", IDK_PERSONAL, "034090000601");
    f.ds.tax[lo].taxable_income = 240000000;
    add_si(&f, EA, "A", IDK_PERSONAL, "034090000601", M(2025, 1), MONTH_OPEN);
    f.ds.si[f.ds.nsi - 1].salary = 5000000;
    hi = add_tax(&f, EA, "B", IDK_PERSONAL, "034090000602");
    f.ds.tax[hi].taxable_income = 240000000;
    add_si(&f, EA, "B", IDK_PERSONAL, "034090000602", M(2025, 1), MONTH_OPEN);
    f.ds.si[f.ds.nsi - 1].salary = 15000000;
    /* no salary on the SI side: nothing to compare */
    unknown = add_tax(&f, EA, "C", IDK_PERSONAL, "034090000603");
    f.ds.tax[unknown].taxable_income = 240000000;
    add_si(&f, EA, "C", IDK_PERSONAL, "034090000603", M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    assert_int_equal(T(f, lo)->status, ST_ENROLLED);
    assert_true(T(f, lo)->flags & RF_LOW_BASE);
    assert_int_equal(T(f, hi)->status, ST_ENROLLED);
    assert_int_equal(T(f, hi)->flags & RF_LOW_BASE, 0);
    assert_int_equal(T(f, unknown)->flags & RF_LOW_BASE, 0);
    fx_free(&f);
}

/* ---- duplicates and branches ---- */

static void
test_duplicates(void **state)
{
    struct fx f;
    size_t a, b, c, d;

    fx_init(&f);
    a = add_tax(&f, EA, "Ng\xc3\xb4 V\xc4\x83n Tu\xe1\xba\xa5n", IDK_PERSONAL, "034090000701");
    b = add_tax(&f, EA, "Ng\xc3\xb4 V\xc4\x83n Tu\xe1\xba\xa5n", IDK_PERSONAL, "034090000701");
    /* same person, employer and year, other amount (a supplementary
     * declaration): merged too (docs/matching.md, "Duplicates"), the larger income is kept */
    c = add_tax(&f, EA, "Ng\xc3\xb4 V\xc4\x83n Tu\xe1\xba\xa5n", IDK_PERSONAL, "034090000701");
    f.ds.tax[c].taxable_income = 500000000;
    /* same everything at another employer: not a duplicate */
    d = add_tax(&f, EB, "Ng\xc3\xb4 V\xc4\x83n Tu\xe1\xba\xa5n", IDK_PERSONAL, "034090000701");
    /* two people of one name without any ID and other amounts: both kept */
    size_t e1 = add_tax(&f, EA, "L\xc3\xaa V\xc4\x83n Hai", IDK_NONE, NULL);
    size_t e2 = add_tax(&f, EA, "L\xc3\xaa V\xc4\x83n Hai", IDK_NONE, NULL);
    f.ds.tax[e2].taxable_income = 7000000;
    add_si(&f, EA, "Ngo Van Tuan", IDK_PERSONAL, "034090000701", M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    assert_false(f.ds.tax[c].duplicate); /* the larger income is the one kept */
    assert_true(f.ds.tax[a].duplicate);
    assert_true(f.ds.tax[b].duplicate);
    assert_decision(T(f, c), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
    assert_false(f.ds.tax[d].duplicate);
    assert_int_equal(T(f, d)->status, ST_COVERED_ELSEWHERE);
    assert_false(f.ds.tax[e1].duplicate);
    assert_false(f.ds.tax[e2].duplicate);
    fx_free(&f);
}

static void
test_branch(void **state)
{
    for (int lvl = 0; lvl <= 1; lvl++) {
        struct fx f;
        size_t a, b;

        fx_init(&f);
        f.mo.branch_level = lvl;
        a = add_tax(&f, EA "001", "A", IDK_PERSONAL, "034090000801");
        add_si(&f, EA, "A", IDK_PERSONAL, "034090000801", M(2025, 1), MONTH_OPEN);
        /* a branch's SI record covers a parent's tax record */
        b = add_tax(&f, EB, "B", IDK_PERSONAL, "034090000802");
        add_si(&f, EB "002", "B", IDK_PERSONAL, "034090000802", M(2025, 1), MONTH_OPEN);
        fx_run(&f);
        if (!lvl) {
            assert_string_equal(T(f, a)->emp, EA);
            assert_decision(T(f, a), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
            assert_decision(T(f, b), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
            assert_string_equal(f.ds.si[1].emp, EB);
        } else {
            assert_string_equal(T(f, a)->emp, EA "001");
            assert_decision(T(f, a), ST_COVERED_ELSEWHERE, RS_ENROLLED_AT_OTHER_EMPLOYER,
                            RULE_R4_ELSEWHERE, 0);
            assert_string_equal(records_other_emp(&f.ds, T(f, a)), EA);
            assert_decision(T(f, b), ST_COVERED_ELSEWHERE, RS_ENROLLED_AT_OTHER_EMPLOYER,
                            RULE_R4_ELSEWHERE, 0);
            assert_string_equal(records_other_emp(&f.ds, T(f, b)), EB "002");
        }
        fx_free(&f);
    }
}

/* ---- determinism (docs/architecture.md, "Determinism") ---- */

struct tspec {
    const char *emp, *name;
    id_kind k;
    const char *id;
    sdate birth;
    int months;
    int64_t income, ded;
    int sched;
};

struct sspec {
    const char *emp, *name;
    id_kind k;
    const char *id;
    sdate birth;
    int from, to;
    int64_t salary;
};

static const struct tspec det_tax[] = {
    {EA, "Nguy\xe1\xbb\x85n V\xc4\x83n An", IDK_PERSONAL, "034090000001", 0, 0, 120000000, 0, 1},
    {EA, "Nguy\xe1\xbb\x85n V\xc4\x83n An", IDK_PERSONAL, "034090000001", 0, 0, 120000000, 0, 1},
    {EA, "Tran Thi Ha", IDK_NONE, NULL, 0, 12, 80000000, 0, 1},
    {EA, "L\xc3\xaa V\xc4\x83n B", IDK_TAXCODE, "8012345678", 0, 12, 90000000, 0, 1},
    {EA, "\xc4\x90\xe1\xbb\x97 V\xc4\x83n H\xc3\xb9ng", IDK_TAXCODE, "8010000001", 0, 0, 1, 0, 1},
    {EA, "\xc4\x90\xe1\xbb\x97 V\xc4\x83n H\xc3\xb9ng", IDK_TAXCODE, "8010000002", 0, 0, 2, 0, 1},
    {EA, "Ph\xe1\xba\xa1m Th\xe1\xbb\x8b Lan", IDK_TAXCODE, "8011111111", 19900515, 0, 3, 0, 1},
    {EB, "Tr\xe1\xbb\x8bnh V\xc4\x83n S\xc6\xa1n", IDK_PERSONAL, "034091000007", 0, 0, 4, 10500000, 1},
    {EB, "Kh\xc3\xa1" "ch Ng\xe1\xba\xafn", IDK_PERSONAL, "034090000009", 0, 0, 5, 0, 2},
    {EB, "Male 1958", IDK_PERSONAL, "034058000401", 0, 0, 6, 0, 1},
    {EB, "Not Enrolled", IDK_PERSONAL, "034090000010", 0, 0, 7, 10500000, 1},
    {EC "001", "Branch Person", IDK_PERSONAL, "034090000011", 0, 6, 8, 0, 1},
    {EC, "Partial Person", IDK_PERSONAL, "034090000012", 0, 12, 9, 0, 1},
    {ED, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0", IDK_NONE, NULL, 0, 0, 10, 0, 1},
    {ED, "Nobody", IDK_PASSPORT, "B7654321", 0, 0, 11, 0, 1},
};

static const struct sspec det_si[] = {
    {EA, "Nguyen Van An", IDK_PERSONAL, "034090000001", 0, M(2024, 1), MONTH_OPEN, 9000000},
    {EA, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0", IDK_SI, "0155555555", 0, M(2025, 1), M(2025, 6), 0},
    {EA, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xc3\xa0", IDK_SI, "0155555555", 0, M(2025, 5), M(2025, 12), 0},
    {EA, "L\xc3\xaa V\xc4\x83n B", IDK_PERSONAL, "034090000002", 0, M(2025, 1), MONTH_OPEN, 0},
    {EA, "\xc4\x90\xe1\xbb\x97 V\xc4\x83n H\xc3\xb9ng", IDK_SI, "0110000001", 0, M(2025, 1), MONTH_OPEN, 0},
    {EA, "Ph\xe1\xba\xa1m Th\xe1\xbb\x8b Lan", IDK_SI, "0122222221", 19900515, M(2025, 3), MONTH_OPEN, 0},
    {EA, "Ph\xe1\xba\xa1m Th\xe1\xbb\x8b Lan", IDK_SI, "0122222222", 19880101, M(2025, 1), MONTH_OPEN, 0},
    {EB, "Other", IDK_PERSONAL, "034090000099", 0, M(2025, 1), MONTH_OPEN, 0},
    {EF, "Trinh Van Son", IDK_PERSONAL, "034091000007", 0, M(2025, 5), M(2025, 8), 0},
    {EE, "Trinh Van Son", IDK_PERSONAL, "034091000007", 0, M(2025, 2), MONTH_OPEN, 0},
    {EC "002", "Branch Person", IDK_PERSONAL, "034090000011", 0, M(2025, 1), MONTH_OPEN, 0},
    {EC, "Partial Person", IDK_PERSONAL, "034090000012", 0, M(2025, 7), MONTH_OPEN, 0},
    {ED, "Tr\xe1\xba\xa7n Th\xe1\xbb\x8b H\xe1\xba\xa1", IDK_NONE, NULL, 0, M(2025, 1), MONTH_OPEN, 0},
};

#define NDT (sizeof det_tax / sizeof det_tax[0])
#define NDS (sizeof det_si / sizeof det_si[0])

static uint32_t
lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

static void
shuffle(size_t *p, size_t n, uint32_t *seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = i;
    for (size_t i = n; i > 1; i--) {
        size_t j = lcg(seed) % i, t = p[i - 1];
        p[i - 1] = p[j];
        p[j] = t;
    }
}

static int
cmp_strp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Build the determinism data set in the given orders, run, and return one
 * sorted line per tax record: its content, then its decision. */
static void
det_run(const size_t *tord, const size_t *sord, char out[NDT][256])
{
    struct fx f;
    char *rows[NDT];

    fx_init(&f);
    add_ident(&f, IDK_TAXCODE, "8012345678", IDK_PERSONAL, "034090000002");
    for (size_t i = 0; i < NDS; i++) {
        const struct sspec *s = &det_si[sord[i]];
        size_t k = add_si(&f, s->emp, s->name, s->k, s->id, s->from, s->to);
        f.ds.si[k].birth = s->birth;
        f.ds.si[k].salary = s->salary;
    }
    for (size_t i = 0; i < NDT; i++) {
        const struct tspec *t = &det_tax[tord[i]];
        size_t k = add_tax(&f, t->emp, t->name, t->k, t->id);
        f.ds.tax[k].birth = t->birth;
        f.ds.tax[k].income_months = t->months;
        f.ds.tax[k].taxable_income = t->income;
        f.ds.tax[k].insurance_deduction = t->ded;
        f.ds.tax[k].schedule = (uint8_t)t->sched;
    }
    fx_run(&f);
    for (size_t i = 0; i < NDT; i++) {
        const struct tax_rec *t = &f.ds.tax[i];
        const char *pid = idt(records_person_id(&t->ids, NULL));
        const char *oe = records_other_emp(&f.ds, t);
        rows[i] = out[i];
        snprintf(out[i], 256, "%s|%s|%s|%d|%lld|%s|%s|%s|%c|%d|%s|%x|%d", t->emp,
                 t->name->full, pid ? pid : "", (int)t->birth, (long long)t->taxable_income,
                 records_status_name(t->status), records_reason_name(t->reason),
                 records_rule_name(t->rule), t->confidence ? t->confidence : '-',
                 t->covered_months, oe ? oe : "", (unsigned)t->flags,
                 (int)t->duplicate);
    }
    qsort(rows, NDT, sizeof rows[0], cmp_strp);
    /* rows point into out: copy back in sorted order */
    char tmp[NDT][256];
    for (size_t i = 0; i < NDT; i++)
        memcpy(tmp[i], rows[i], 256);
    memcpy(out, tmp, sizeof tmp);
    fx_free(&f);
}

static void
test_determinism(void **state)
{
    size_t tord[NDT], sord[NDS];
    static char base[NDT][256], got[NDT][256];
    uint32_t seed = 20250101u;

    for (size_t i = 0; i < NDT; i++)
        tord[i] = i;
    for (size_t i = 0; i < NDS; i++)
        sord[i] = i;
    det_run(tord, sord, base);
    /* sanity: the set-up exercises every status */
    {
        int seen[ST_COUNT] = {0};
        for (size_t i = 0; i < NDT; i++)
            for (int s = 0; s < ST_COUNT; s++)
            {
                char pat[32];
                snprintf(pat, sizeof pat, "|%s|", records_status_name((rec_status)s));
                if (strstr(base[i], pat))
                    seen[s] = 1;
            }
        for (int s = 0; s < ST_COUNT; s++)
            assert_true(seen[s]);
    }
    for (int round = 0; round < 40; round++) {
        shuffle(tord, NDT, &seed);
        shuffle(sord, NDS, &seed);
        det_run(tord, sord, got);
        for (size_t i = 0; i < NDT; i++) {
            if (strcmp(base[i], got[i]) != 0)
                print_error("round %d:\n  want %s\n  got  %s\n", round, base[i], got[i]);
            assert_string_equal(base[i], got[i]);
        }
    }
}

/* One SI person, two spans written differently (an ASCII export and one
 * with diacritics): whether a tax record matches them by name must not
 * depend on which span comes first. */
static void
test_determinism_entity_name(void **state)
{
    int status[2];

    for (int order = 0; order < 2; order++) {
        struct fx f;
        size_t a;

        fx_init(&f);
        a = add_tax(&f, EA, "Nguy\xe1\xbb\x85n V\xc4\x83n \xc3\x82n", IDK_TAXCODE, "8055555555");
        for (int i = 0; i < 2; i++) {
            if ((i ^ order) == 0)
                add_si(&f, EA, "Nguyen Van An", IDK_SI, "0155500000", M(2024, 1), M(2024, 12));
            else
                add_si(&f, EA, "Nguy\xe1\xbb\x85n V\xc4\x83n An", IDK_SI, "0155500000",
                       M(2025, 1), MONTH_OPEN);
        }
        fx_run(&f);
        status[order] = (int)T(f, a)->status * 100 + (int)T(f, a)->rule;
        fx_free(&f);
    }
    assert_int_equal(status[0], status[1]);
}

/* The same for an entity's birth date (spans that disagree) and for the
 * contribution base of overlapping spans (LOW_BASE). */
static void
test_determinism_entity_birth_base(void **state)
{
    int got[2][2];

    for (int order = 0; order < 2; order++) {
        struct fx f;
        size_t a, b;

        fx_init(&f);
        a = add_tax(&f, EA, "Ph\xe1\xba\xa1m V\xc4\x83n Kh\xc3\xa1nh", IDK_TAXCODE,
                    "8055555556");
        f.ds.tax[a].birth = 19900515;
        b = add_tax(&f, EA, "Low Base", IDK_PERSONAL, "034090000901");
        f.ds.tax[b].taxable_income = 240000000;
        for (int i = 0; i < 2; i++) {
            size_t s;
            if ((i ^ order) == 0) {
                s = add_si(&f, EA, "Ph\xe1\xba\xa1m V\xc4\x83n Kh\xc3\xa1nh", IDK_SI,
                           "0155500001", M(2025, 1), MONTH_OPEN);
                f.ds.si[s].birth = 19900000;
                s = add_si(&f, EA, "Low Base", IDK_PERSONAL, "034090000901", M(2025, 1),
                           MONTH_OPEN);
                f.ds.si[s].salary = 5000000;
            } else {
                s = add_si(&f, EA, "Ph\xe1\xba\xa1m V\xc4\x83n Kh\xc3\xa1nh", IDK_SI,
                           "0155500001", M(2024, 1), M(2024, 12));
                f.ds.si[s].birth = 19850101;
                s = add_si(&f, EA, "Low Base", IDK_PERSONAL, "034090000901", M(2025, 1),
                           MONTH_OPEN);
                f.ds.si[s].salary = 15000000;
            }
        }
        fx_run(&f);
        got[order][0] = (int)T(f, a)->status * 100 + (int)T(f, a)->rule;
        got[order][1] = (int)(T(f, b)->flags & RF_LOW_BASE);
        assert_int_equal(T(f, b)->status, ST_ENROLLED);
        fx_free(&f);
    }
    assert_int_equal(got[0][0], got[1][0]);
    assert_int_equal(got[0][1], got[1][1]);
}

/* ---- --period ---- */

static void
test_parse_period(void **state)
{
    struct period p;
    struct diag d;
    static const char *const bad[] = {
        "", "25", "2025-13", "2025-00", "2025-06..2025-01", "2025-07x", "abcd",
        "2025-01..", "20250", " 2025", "2025 ", "1800", "2025-07-01", "2025-01..2025-13",
        "2025..2026", "-2025",
    };

    assert_int_equal(match_parse_period("2025", &p, &d), SIRECON_OK);
    assert_int_equal(p.first, 2025 * 12);
    assert_int_equal(p.last, 2025 * 12 + 11);
    assert_int_equal(match_period_months(&p), 12);
    assert_int_equal(match_parse_period("2025-07", &p, &d), SIRECON_OK);
    assert_int_equal(p.first, 2025 * 12 + 6);
    assert_int_equal(p.last, 2025 * 12 + 6);
    assert_int_equal(match_period_months(&p), 1);
    assert_int_equal(match_parse_period("2025-01..2025-06", &p, &d), SIRECON_OK);
    assert_int_equal(p.first, 2025 * 12);
    assert_int_equal(p.last, 2025 * 12 + 5);
    assert_int_equal(match_period_months(&p), 6);
    assert_int_equal(match_parse_period("2024-11..2025-02", &p, &d), SIRECON_OK);
    assert_int_equal(p.first, 2024 * 12 + 10);
    assert_int_equal(p.last, 2025 * 12 + 1);
    assert_int_equal(match_period_months(&p), 4);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&d, 0, sizeof d);
        p.first = p.last = -1;
        if (match_parse_period(bad[i], &p, &d) != SIRECON_ERR_USAGE)
            print_error("accepted '%s'\n", bad[i]);
        assert_int_equal(match_parse_period(bad[i], &p, &d), SIRECON_ERR_USAGE);
        assert_true(d.msg[0] != '\0');
        assert_non_null(strstr(d.msg, "period"));
        assert_int_equal(p.first, -1);
    }
}

/* No records at all is a valid run. */
static void
test_empty(void **state)
{
    struct fx f;

    fx_init(&f);
    fx_run(&f);
    add_si(&f, EA, "A", IDK_PERSONAL, "034090000001", M(2025, 1), MONTH_OPEN);
    fx_run(&f);
    fx_free(&f);
}

/* ---- change reports: decrease rows take coverage away ---- */

static void
test_decrease_rows(void **state)
{
    struct fx f;
    size_t a, b, c, d, s;

    (void)state;
    fx_init(&f);
    /* left for good before the period */
    a = add_tax(&f, EA, "Tran Thi Binh", IDK_SI, "0112345601");
    add_si(&f, EA, "Tran Thi Binh", IDK_SI, "0112345601", M(2023, 1), MONTH_OPEN);
    s = add_si(&f, EA, "Tran Thi Binh", IDK_SI, "0112345601", M(2024, 6), MONTH_OPEN);
    f.ds.si[s].decrease = true;
    f.ds.ndecrease++;
    /* three months of unpaid leave inside the period */
    b = add_tax(&f, EA, "Le Van Cuong", IDK_SI, "0112345602");
    f.ds.tax[b].income_months = 12;
    add_si(&f, EA, "Le Van Cuong", IDK_SI, "0112345602", M(2023, 1), MONTH_OPEN);
    s = add_si(&f, EA, "Le Van Cuong", IDK_SI, "0112345602", M(2025, 3), M(2025, 5));
    f.ds.si[s].decrease = true;
    f.ds.ndecrease++;
    /* a decrease, then enrolled again later: the later span stands */
    c = add_tax(&f, EA, "Pham Van Dung", IDK_SI, "0112345603");
    add_si(&f, EA, "Pham Van Dung", IDK_SI, "0112345603", M(2023, 1), MONTH_OPEN);
    s = add_si(&f, EA, "Pham Van Dung", IDK_SI, "0112345603", M(2024, 1), MONTH_OPEN);
    f.ds.si[s].decrease = true;
    f.ds.ndecrease++;
    add_si(&f, EA, "Pham Van Dung", IDK_SI, "0112345603", M(2025, 4), MONTH_OPEN);
    /* enrolled at EB only until a decrease before the period: not elsewhere */
    d = add_tax(&f, EA, "Ho Van Em", IDK_SI, "0112345604");
    add_si(&f, EB, "Ho Van Em", IDK_SI, "0112345604", M(2022, 1), MONTH_OPEN);
    s = add_si(&f, EB, "Ho Van Em", IDK_SI, "0112345604", M(2024, 12), MONTH_OPEN);
    f.ds.si[s].decrease = true;
    f.ds.ndecrease++;
    fx_run(&f);

    assert_decision(T(f, a), ST_NOT_ENROLLED, RS_COVERAGE_OUTSIDE_PERIOD, RULE_R1_ID, 'A');
    assert_decision(T(f, b), ST_PARTIAL, RS_FEWER_MONTHS_THAN_INCOME, RULE_R1_ID, 'A');
    assert_int_equal(T(f, b)->covered_months, 9);
    assert_decision(T(f, c), ST_ENROLLED, RS_NONE, RULE_R1_ID, 'A');
    assert_int_equal(T(f, c)->covered_months, 9);
    assert_int_equal(T(f, d)->status, ST_NOT_ENROLLED);
    fx_free(&f);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decrease_rows),
        cmocka_unit_test(test_r1_shared_id),
        cmocka_unit_test(test_r1_crosswalk),
        cmocka_unit_test(test_r1_crosswalk_chain),
        cmocka_unit_test(test_r2_name_dob),
        cmocka_unit_test(test_r3_name),
        cmocka_unit_test(test_r3_whole_entity),
        cmocka_unit_test(test_name_rules_many),
        cmocka_unit_test(test_tone_variants),
        cmocka_unit_test(test_folded_key),
        cmocka_unit_test(test_ambiguous_two_si),
        cmocka_unit_test(test_one_person_two_spans),
        cmocka_unit_test(test_ambiguous_two_tax),
        cmocka_unit_test(test_id_conflict_blocks_name),
        cmocka_unit_test(test_r1_claims_before_names),
        cmocka_unit_test(test_r4_elsewhere),
        cmocka_unit_test(test_not_enrolled_reasons),
        cmocka_unit_test(test_coverage_in_period),
        cmocka_unit_test(test_short_period),
        cmocka_unit_test(test_short_contract),
        cmocka_unit_test(test_retirement_age),
        cmocka_unit_test(test_id_corrupted),
        cmocka_unit_test(test_deducted_not_enrolled),
        cmocka_unit_test(test_low_base),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_branch),
        cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_determinism_entity_name),
        cmocka_unit_test(test_determinism_entity_birth_base),
        cmocka_unit_test(test_parse_period),
        cmocka_unit_test(test_empty),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
