/*
 * idt.h - the text of an identifier key in the unit tests (records hold
 * ids_key() keys): rotating buffers, so one assert may hold several.
 */
#ifndef TEST_IDT_H
#define TEST_IDT_H

#include "sirecon/ids.h"

static inline const char *
idt(uint64_t key)
{
    static char b[4][IDS_MAX];
    static int i;

    i = (i + 1) % 4;
    return ids_key_text(key, b[i]);
}

#endif
