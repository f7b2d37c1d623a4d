/*
 * test_records.c - the dataset that owns a run's records: code names shared
 * by every output, zeroed growable arrays, rejects counted against their
 * file, the displayed person ID, and merging per-thread datasets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "sirecon/records.h"
#include "sirecon/ids.h"
#include "idt.h"

static void
check_names(const char *(*name)(unsigned), unsigned n, unsigned first)
{
    for (unsigned i = first; i < n; i++) {
        const char *s = name(i);
        assert_non_null(s);
        assert_true(s[0] != '\0');
        assert_string_not_equal(s, "?");
        /* upper case, digits and '_' only: they are column values */
        for (const char *p = s; *p; p++)
            assert_true((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_');
        for (unsigned j = first; j < i; j++)
            assert_string_not_equal(s, name(j));
    }
    assert_string_equal(name(n), "?");
    assert_string_equal(name(n + 100), "?");
}

static const char *st_name(unsigned i) { return records_status_name((rec_status)i); }
static const char *ru_name(unsigned i) { return records_rule_name((rec_rule)i); }
static const char *rs_name(unsigned i) { return records_reason_name((rec_reason)i); }
static const char *fl_name(unsigned i) { return records_flag_name(i); }

static unsigned
bit_of(unsigned flag)
{
    unsigned b = 0;

    assert_int_equal(flag & (flag - 1), 0); /* one bit */
    while ((1u << b) != flag)
        b++;
    return b;
}

static void
test_names(void **state)
{
    check_names(st_name, ST_COUNT, 0);
    check_names(ru_name, RULE_COUNT, 1);
    check_names(rs_name, RS_COUNT, 1);
    check_names(fl_name, RF_FLAG_COUNT, 0);
    /* "no rule" and "no reason" print as empty cells */
    assert_string_equal(records_rule_name(RULE_NONE), "");
    assert_string_equal(records_reason_name(RS_NONE), "");
    /* the names the outputs and the e2e goldens use */
    assert_string_equal(records_status_name(ST_ENROLLED), "ENROLLED");
    assert_string_equal(records_status_name(ST_PARTIAL), "PARTIAL");
    assert_string_equal(records_status_name(ST_NOT_ENROLLED), "NOT_ENROLLED");
    assert_string_equal(records_status_name(ST_COVERED_ELSEWHERE), "COVERED_ELSEWHERE");
    assert_string_equal(records_status_name(ST_REVIEW), "REVIEW");
    assert_string_equal(records_rule_name(RULE_R1_ID), "R1_ID");
    assert_string_equal(records_rule_name(RULE_R2_NAME_DOB), "R2_NAME_DOB");
    assert_string_equal(records_rule_name(RULE_R3_NAME), "R3_NAME");
    assert_string_equal(records_rule_name(RULE_R4_ELSEWHERE), "R4_ELSEWHERE");
    assert_string_equal(records_reason_name(RS_AMBIGUOUS_NAME), "AMBIGUOUS_NAME");
    assert_string_equal(records_reason_name(RS_ID_CORRUPTED), "ID_CORRUPTED");
    assert_string_equal(records_reason_name(RS_SHORT_CONTRACT_OR_NON_RESIDENT),
                        "SHORT_CONTRACT_OR_NON_RESIDENT");
    /* a flag's name belongs to its bit */
    assert_string_equal(records_flag_name(bit_of(RF_LEADING_ZERO_RESTORED)),
                        "LEADING_ZERO_RESTORED");
    assert_string_equal(records_flag_name(bit_of(RF_ID_CORRUPTED)), "ID_CORRUPTED");
    assert_string_equal(records_flag_name(bit_of(RF_TAX_ID_CHECK_DIGIT)), "TAX_ID_CHECK_DIGIT");
    assert_string_equal(records_flag_name(bit_of(RF_ID_PLACEHOLDER)), "ID_PLACEHOLDER");
    assert_string_equal(records_flag_name(bit_of(RF_ID_MALFORMED)), "ID_MALFORMED");
    assert_string_equal(records_flag_name(bit_of(RF_ID_BIRTH_YEAR_MISMATCH)),
                        "ID_BIRTH_YEAR_MISMATCH");
    assert_string_equal(records_flag_name(bit_of(RF_DEDUCTED_NOT_ENROLLED)),
                        "DEDUCTED_NOT_ENROLLED");
    assert_string_equal(records_flag_name(bit_of(RF_LOW_BASE)), "LOW_BASE");
    assert_non_null(strstr(records_flag_name(bit_of(RF_FOLDED_NAME)), "FOLDED"));
    /* every flag bit is below RF_FLAG_COUNT */
    assert_true(bit_of(RF_FOLDED_NAME) < RF_FLAG_COUNT);
    /* ID quality bits of ids.h are the record's bits */
    assert_int_equal(RF_LEADING_ZERO_RESTORED, IDF_LEADING_ZERO_RESTORED);
    assert_int_equal(RF_ID_CORRUPTED, IDF_CORRUPTED);
    assert_int_equal(RF_TAX_ID_CHECK_DIGIT, IDF_TAX_CHECK_DIGIT);
    assert_int_equal(RF_ID_PLACEHOLDER, IDF_PLACEHOLDER);
    assert_int_equal(RF_ID_MALFORMED, IDF_MALFORMED);
}

static void
test_add_zeroed_and_growth(void **state)
{
    struct dataset ds;

    dataset_init(&ds);
    assert_int_equal(ds.ntax + ds.nsi + ds.nemps + ds.nidents + ds.nrejects + ds.nfiles, 0);
    for (int i = 0; i < 5000; i++) {
        struct tax_rec *t = dataset_add_tax(&ds);
        /* every field zero: no stale decision, no stray flag */
        assert_int_equal(t->status, 0);
        assert_int_equal(t->flags, 0);
        assert_null(t->emp);
        assert_null(records_other_emp(&ds, t));
        assert_false(t->duplicate);
        t->line = (uint32_t)i;
        t->emp = arena_strdup(&ds.a, i % 2 ? "0100233488" : "0300588569");
        struct si_rec *s = dataset_add_si(&ds);
        assert_int_equal(s->salary, 0);
        assert_false(s->matched);
        s->line = (uint32_t)(i * 3);
    }
    assert_int_equal(ds.ntax, 5000);
    assert_int_equal(ds.nsi, 5000);
    assert_true(ds.captax >= 5000);
    for (int i = 0; i < 5000; i++) {
        assert_int_equal(ds.tax[i].line, (uint32_t)i);
        assert_string_equal(ds.tax[i].emp, i % 2 ? "0100233488" : "0300588569");
        assert_int_equal(ds.si[i].line, (uint32_t)(i * 3));
    }
    /* the other employer of a COVERED_ELSEWHERE record is its SI record's */
    ds.si[4].emp = "0101248141";
    ds.tax[7].other_si = 4 + 1;
    assert_string_equal(records_other_emp(&ds, &ds.tax[7]), "0101248141");
    ds.tax[7].other_si = 5000 + 1; /* past the SI records: none */
    assert_null(records_other_emp(&ds, &ds.tax[7]));
    struct employer_rec *e = dataset_add_employer(&ds);
    assert_int_equal(e->wage_region, 0);
    assert_int_equal(ds.nemps, 1);
    struct identity_rec *r = dataset_add_identity(&ds);
    assert_false(ids_any(&r->ids));
    assert_int_equal(ds.nidents, 1);
    dataset_free(&ds);
    assert_null(ds.tax);
    assert_int_equal(ds.ntax, 0);
}

static void
test_rejects(void **state)
{
    struct dataset ds;
    char detail[] = "value '12,34.5'";

    dataset_init(&ds);
    dataset_add_file(&ds)->path = "a.csv";
    dataset_add_file(&ds)->path = "b.csv";
    dataset_add_reject(&ds, 1, 17, "BAD_MONEY", "taxable_income", detail);
    dataset_add_reject(&ds, 1, 18, "BAD_DATE", NULL, NULL);
    dataset_add_reject(&ds, 0, 3, "MISSING_NAME", "full_name", "");
    /* a file index out of range is recorded, and counted nowhere */
    dataset_add_reject(&ds, 7, 1, "X", "", "");
    assert_int_equal(ds.nrejects, 4);
    assert_int_equal(ds.files[0].rejected, 1);
    assert_int_equal(ds.files[1].rejected, 2);
    const struct reject *r = &ds.rejects[0];
    assert_int_equal(r->file, 1);
    assert_int_equal(r->line, 17);
    assert_string_equal(r->reason, "BAD_MONEY");
    assert_string_equal(r->column, "taxable_income");
    /* the detail is a copy owned by the dataset */
    detail[0] = 'X';
    assert_string_equal(r->detail, "value '12,34.5'");
    assert_string_equal(ds.rejects[1].column, "");
    assert_string_equal(ds.rejects[1].detail, "");
    dataset_free(&ds);
}

static void
test_person_id(void **state)
{
    struct person_ids p;
    struct person_ids_all all;
    id_kind k = IDK_PASSPORT;
    arena a;

    arena_init(&a);
    memset(&p, 0, sizeof p);
    assert_int_equal(records_person_id(&p, &k), 0);
    assert_int_equal(k, IDK_NONE);
    assert_int_equal(records_person_id(&p, NULL), 0);
    ids_put(&a, &p, ids_key(IDK_PASSPORT, "B1234567"));
    assert_string_equal(idt(records_person_id(&p, &k)), "B1234567");
    assert_int_equal(k, IDK_PASSPORT);
    ids_put(&a, &p, ids_key(IDK_SI, "0112345678"));
    assert_string_equal(idt(records_person_id(&p, &k)), "0112345678");
    assert_int_equal(k, IDK_SI);
    ids_put(&a, &p, ids_key(IDK_CMND, "123456789")); /* a third kind: held aside */
    assert_int_equal(p.k[0], IDS_MORE);
    assert_string_equal(idt(records_person_id(&p, &k)), "123456789");
    assert_int_equal(k, IDK_CMND);
    ids_put(&a, &p, ids_key(IDK_TAXCODE, "8012345678"));
    assert_string_equal(idt(records_person_id(&p, &k)), "8012345678");
    assert_int_equal(k, IDK_TAXCODE);
    ids_put(&a, &p, ids_key(IDK_PERSONAL, "034090000001"));
    assert_string_equal(idt(records_person_id(&p, &k)), "034090000001");
    assert_int_equal(k, IDK_PERSONAL);
    assert_string_equal(idt(records_person_id(&p, NULL)), "034090000001");
    /* the tax code beats the CMND even when the personal ID is absent */
    ids_unpack(&p, &all);
    all.id[IDK_PERSONAL] = 0;
    ids_pack(&a, &all, &p);
    assert_string_equal(idt(records_person_id(&p, &k)), "8012345678");
    arena_free(&a);
}

/* Every set of kinds packs and reads back the same: up to two keys
 * inline (nothing allocated), three or more aside; no key of one kind is
 * read as another's. */
static void
test_ids_pack(void **state)
{
    static const char *const val[IDK_COUNT] = {"034090000001", "8012345678", "123456789",
                                               "0112345678", "B1234567"};
    arena a;

    arena_init(&a);
    for (unsigned set = 0; set < (1u << IDK_COUNT); set++) {
        struct person_ids_all all = {{0}}, back;
        struct person_ids p;
        int n = 0;
        for (int k = 0; k < IDK_COUNT; k++)
            if (set & (1u << k)) {
                all.id[k] = ids_key((id_kind)k, val[k]);
                n++;
            }
        size_t used = a.used;
        ids_pack(&a, &all, &p);
        assert_int_equal(p.k[0] == IDS_MORE, n > 2);
        if (n <= 2)
            assert_int_equal(a.used, used);
        assert_int_equal(ids_any(&p), n > 0);
        for (int k = 0; k < IDK_COUNT; k++)
            assert_true(ids_get(&p, (id_kind)k) == all.id[k]);
        ids_unpack(&p, &back);
        assert_memory_equal(&back, &all, sizeof all);
        /* the keys it holds, lowest kind first */
        uint64_t keys[IDK_COUNT];
        int nk = ids_list(&p, keys), j = 0;
        assert_int_equal(nk, n);
        for (int k = 0; k < IDK_COUNT; k++)
            if (all.id[k] != 0)
                assert_true(keys[j++] == all.id[k]);
        /* compared kind by kind: equal to itself, and against no identifier
         * at all as its lowest kind's key is against none */
        struct person_ids none = {{0, 0}};
        assert_int_equal(ids_cmp(&p, &p), 0);
        if (n > 0)
            assert_int_equal(ids_cmp(&p, &none) > 0, ids_key_cmp(keys[0], 0) > 0);
    }
    arena_free(&a);
}

/* Per-thread datasets merged into one: records keep their strings, file
 * indices shift, rejects count against the right file. */
static void
test_merge(void **state)
{
    struct dataset a, b;

    dataset_init(&a);
    dataset_init(&b);
    dataset_add_file(&a)->path = "a.csv";
    struct tax_rec *t = dataset_add_tax(&a);
    t->name = names_pname(&a.a, "A", 1);
    t->file = 0;
    dataset_add_file(&b)->path = "b1.csv";
    dataset_add_file(&b)->path = "b2.csv";
    t = dataset_add_tax(&b);
    t->name = names_pname(&b.a, "B", 1);
    t->file = 1;
    struct si_rec *s = dataset_add_si(&b);
    s->name = names_pname(&b.a, "S", 1);
    s->file = 0;
    dataset_add_reject(&b, 1, 5, "BAD", "", "detail in b");
    size_t used = a.a.used + b.a.used;

    dataset_merge(&a, &b);
    assert_int_equal(a.nfiles, 3);
    assert_string_equal(a.files[2].path, "b2.csv");
    assert_int_equal(a.files[2].rejected, 1);
    assert_int_equal(a.ntax, 2);
    assert_string_equal(a.tax[0].name->full, "A");
    assert_int_equal(a.tax[0].file, 0);
    assert_string_equal(a.tax[1].name->full, "B");
    assert_int_equal(a.tax[1].file, 2);
    assert_int_equal(a.nsi, 1);
    assert_int_equal(a.si[0].file, 1);
    assert_string_equal(a.si[0].name->full, "S");
    assert_int_equal(a.nrejects, 1);
    assert_int_equal(a.rejects[0].file, 2);
    assert_string_equal(a.rejects[0].detail, "detail in b");
    assert_int_equal(a.a.used, used);
    assert_int_equal(b.ntax + b.nsi + b.nfiles + b.nrejects, 0);
    /* the merged arena keeps allocating */
    assert_string_equal(arena_strdup(&a.a, "more"), "more");
    dataset_free(&b);
    dataset_free(&a);
}

/* Reject details never carry a long digit run (a personal ID typed into
 * an amount or month column): all but its last 4 digits are masked. */
static void
test_reject_detail_masked(void **state)
{
    struct dataset ds;

    dataset_init(&ds);
    dataset_add_file(&ds);
    dataset_add_reject(&ds, 0, 7, "BAD_AMOUNT", "taxable_income",
                       "not an amount \"CCCD 034190001112\"");
    dataset_add_reject(&ds, 0, 8, "BAD_AMOUNT", "taxable_income",
                       "not an amount \"12.345.67\" (12345678)");
    assert_string_equal(ds.rejects[0].detail, "not an amount \"CCCD ********1112\"");
    assert_string_equal(ds.rejects[1].detail, "not an amount \"12.345.67\" (12345678)");
    dataset_free(&ds);
}

/* Rejects come out by file path, then line, whatever the load order. */
static void
test_sort_rejects(void **state)
{
    struct dataset ds;
    (void)state;
    dataset_init(&ds);
    dataset_add_file(&ds)->path = "z/tax.csv";
    dataset_add_file(&ds)->path = "a/si.csv";
    dataset_add_reject(&ds, 0, 9, "BAD_AMOUNT", "taxable_income", "");
    dataset_add_reject(&ds, 0, 3, "MISSING_NAME", "full_name", "");
    dataset_add_reject(&ds, 1, 12, "BAD_MONTH", "from_month", "");
    dataset_add_reject(&ds, 1, 12, "BAD_AMOUNT", "salary", "");
    dataset_sort_rejects(&ds);
    assert_int_equal(ds.rejects[0].file, 1);
    assert_string_equal(ds.rejects[0].reason, "BAD_AMOUNT");
    assert_string_equal(ds.rejects[1].reason, "BAD_MONTH");
    assert_int_equal(ds.rejects[2].line, 3);
    assert_int_equal(ds.rejects[3].line, 9);
    assert_int_equal(ds.files[0].rejected, 2);
    dataset_free(&ds);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_add_zeroed_and_growth),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_person_id),
        cmocka_unit_test(test_ids_pack),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_reject_detail_masked),
        cmocka_unit_test(test_sort_rejects),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
