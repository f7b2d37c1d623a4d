/*
 * fuzz_table.c - libFuzzer harness for the read stage: encoding detection
 * and conversion, delimiter sniffing, libcsv rows with line numbers, header
 * detection over the first rows and row classification after it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sirecon/encoding.h"
#include "sirecon/header.h"
#include "sirecon/table.h"

struct fz {
    struct cellref *cells[HEADER_SCAN_ROWS];
    struct hrow rows[HEADER_SCAN_ROWS];
    size_t n;
    struct header_map map;
    int have;
};

static int
on_row(void *ctx, const struct table_row *r)
{
    struct fz *f = ctx;

    if (f->have) {
        struct hrow h = {r->cells, r->ncells, r->line};
        (void)header_classify(&f->map, &h);
        return 0;
    }
    if (f->n < HEADER_SCAN_ROWS) {
        struct cellref *c = xcalloc(r->ncells, sizeof *c);
        for (size_t i = 0; i < r->ncells; i++) {
            c[i].s = xstrndup(r->cells[i].s, r->cells[i].n);
            c[i].n = r->cells[i].n;
        }
        f->cells[f->n] = c;
        f->rows[f->n] = (struct hrow){c, r->ncells, r->line};
        f->n++;
    }
    if (f->n == HEADER_SCAN_ROWS) {
        struct diag d;
        for (int k = 0; k < KIND_COUNT && !f->have; k++)
            f->have = header_detect((file_kind)k, f->rows, f->n, NULL, 0, "fuzz",
                                    &f->map, &d) == SIRECON_OK;
        (void)header_guess_kind(f->rows, f->n, NULL, 0);
    }
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fz f;
    struct diag d;
    char *text = NULL;
    size_t n = 0;
    enc_id e = encoding_detect(data, size);

    if (e == ENC_UNKNOWN || encoding_to_utf8(e, data, size, &text, &n, &d) != SIRECON_OK) {
        free(text);
        return 0;
    }
    memset(&f, 0, sizeof f);
    table_parse(text, n, table_sniff_delim(text, n), on_row, &f, &d);
    if (f.have)
        header_map_free(&f.map);
    for (size_t i = 0; i < f.n; i++) {
        for (size_t c = 0; c < f.rows[i].ncells; c++)
            free((char *)f.cells[i][c].s);
        free(f.cells[i]);
    }
    free(text);
    return 0;
}
