/*
 * fuzz_htkk.c - libFuzzer harness for the HTKK XML reader: any bytes ->
 * a 05/QTT-TNCN declaration's persons as CSV text, or a clean error.
 */
#include <stdint.h>
#include <stdlib.h>
#include "sirecon/htkk.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    uint32_t *lines = NULL;
    size_t n = 0, nl = 0;
    struct htkk_info info;
    struct diag d;

    (void)htkk_sniff(data, size);
    (void)htkk_to_csv((const char *)data, size, &out, &n, &lines, &nl, &info, &d);
    free(out);
    free(lines);
    return 0;
}
