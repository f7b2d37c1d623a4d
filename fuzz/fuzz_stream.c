/*
 * fuzz_stream.c - libFuzzer harness for the streamed path: bytes -> a .gz
 * file (the input as is when it starts with the gzip magic, else
 * compressed here) -> source_open_stream() with a 64-byte prefix, so even
 * short inputs stream -> table_parse_stream() in chunks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "sirecon/source.h"
#include "sirecon/table.h"

extern size_t source_prefix_size;

static int
count_row(void *ctx, const struct table_row *r)
{
    (*(size_t *)ctx) += r->ncells;
    return 0;
}

static sirecon_status
rd(void *ctx, char *buf, size_t cap, size_t *got, struct diag *d)
{
    return source_read(ctx, buf, cap, got, d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/sirecon-fuzz-gz-XXXXXX";
    int fd = mkstemp(path);
    struct source s;
    struct diag d;
    size_t cells = 0;

    if (fd < 0)
        return 0;
    close(fd);
    if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
        FILE *f = fopen(path, "wb");
        if (f != NULL) {
            fwrite(data, 1, size, f);
            fclose(f);
        }
    } else {
        gzFile g = gzopen(path, "wb");
        if (g != NULL) {
            if (size > 0)
                gzwrite(g, data, (unsigned)size);
            gzclose(g);
        }
    }
    source_prefix_size = 64;
    if (source_open_stream(&s, path, ENC_UNKNOWN, true, &d) == SIRECON_OK) {
        char delim = table_sniff_delim(s.text, s.textn);
        if (s.stream)
            (void)table_parse_stream(rd, &s, delim, count_row, &cells, &d);
        else
            (void)table_parse(s.text, s.textn, delim, count_row, &cells, &d);
    }
    source_close(&s);
    unlink(path);
    return 0;
}
