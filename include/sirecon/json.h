/*
 * json.h - a small streaming JSON writer, indented two spaces, keys in the
 * order written.  Strings are UTF-8 and escaped; numbers never go through
 * the locale.
 */
#ifndef SIRECON_JSON_H
#define SIRECON_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

struct js {
    FILE *f;
    int depth;
    bool first;     /* nothing written yet at this depth (start: true) */
};

void js_str(FILE *f, const char *s);          /* a quoted, escaped string */
void js_nl(struct js *j);
void js_key(struct js *j, const char *k);     /* k NULL: an array element */
void js_open(struct js *j, const char *k, char c); /* '{' or '[' */
void js_close(struct js *j, char c);
void js_s(struct js *j, const char *k, const char *v);
void js_u(struct js *j, const char *k, uint64_t v);
void js_i(struct js *j, const char *k, int64_t v);
void js_b(struct js *j, const char *k, bool v);
void js_f3(struct js *j, const char *k, double v); /* 3 decimals */

#endif
