/*
 * fuzz_values.c - libFuzzer harness for the normalizers: every ID column
 * kind, employer codes, dates, months, money, name keys and label folding
 * on the same bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/arena.h"
#include "sirecon/ids.h"
#include "sirecon/names.h"
#include "sirecon/values.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    char out[IDS_MAX], fold[128], mask[IDS_MAX];
    unsigned fl;
    sdate dt;
    int m, k;
    int64_t money;
    arena a;
    name_keys nk;

    for (int c = IDCOL_TAXCODE; c <= IDCOL_CMND; c++) {
        id_kind kind = ids_person((id_column)c, s, size, out, &fl);
        if (kind != IDK_NONE) {
            ids_mask(out, mask);
            (void)ids_cccd_birth_year(out);
            (void)ids_cccd_sex(out);
        }
    }
    if (ids_employer(s, size, out, &fl))
        (void)ids_tax_check(out);
    if (values_date(s, size, &dt) == VAL_OK) {
        char b[16];
        values_date_str(dt, b);
    }
    if (values_month(s, size, &m) == VAL_OK) {
        char b[16];
        values_month_str(m, b);
    }
    (void)values_money(s, size, &money);
    (void)values_int(s, size, &k);
    (void)names_fold_label(s, size, fold, sizeof fold);
    arena_init(&a);
    names_keys(&a, s, size, &nk);
    size_t n;
    free(names_nfc(s, size, &n));
    arena_free(&a);
    names_cache_clear();
    return 0;
}
