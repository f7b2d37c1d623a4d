/*
 * digits.h - strings of n decimal digits for the unit tests of the readers'
 * short paths (a cell of digits alone), from a caller's seed: the same
 * strings on every run.  run_of_zeros: all '0' (a filler ID).
 */
#ifndef TEST_DIGITS_H
#define TEST_DIGITS_H

#include <stdbool.h>
#include <stddef.h>

static inline void
test_digits(char *out, size_t n, unsigned *seed, bool run_of_zeros)
{
    for (size_t i = 0; i < n; i++) {
        *seed = *seed * 1103515245u + 12345u;
        out[i] = (char)('0' + (run_of_zeros ? 0 : (*seed >> 16) % 10));
    }
    out[n] = '\0';
}

#endif
