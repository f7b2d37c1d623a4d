/*
 * fuzz_xls.c - libFuzzer harness for the .xls reader (FreeXL reads by path:
 * each input is written to a private temporary file first).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "sirecon/xls.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[] = "/tmp/sirecon-fuzz-xls-XXXXXX";
    int fd = mkstemp(path);
    char *out = NULL;
    size_t n = 0;
    struct diag d;

    if (fd < 0)
        return 0;
    if (write(fd, data, size) == (ssize_t)size) {
        (void)xls_to_csv(path, &out, &n, &d);
        free(out);
    }
    close(fd);
    unlink(path);
    return 0;
}
