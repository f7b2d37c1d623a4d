/*
 * fuzz_xlsx.c - libFuzzer harness for the workbook reader: zip container,
 * workbook relationships, shared strings and sheet XML -> CSV text.
 */
#include <stdint.h>
#include <stdlib.h>
#include "sirecon/xlsx.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL;
    size_t n = 0;
    struct diag d;

    (void)xlsx_sniff(data, size);
    (void)xlsx_to_csv(data, size, &out, &n, &d);
    free(out); /* NULL or the text, whatever the status */
    return 0;
}
