/*
 * profile.h - every number of the law and the method (rates, cap, minimum
 * wages, retirement ages, low-base ratio) and extra column aliases.  Built-in
 * defaults are Vietnam 2026 (docs/inputs.md, "Fields"); an INI file (inih) overrides them.
 */
#ifndef SIRECON_PROFILE_H
#define SIRECON_PROFILE_H

#include <stdint.h>
#include <stdio.h>
#include "sirecon/common.h"
#include "sirecon/fields.h"

struct profile {
    char name[64];             /* [profile] name */
    double employer_rate;      /* 0.215 */
    double employee_rate;      /* 0.105 */
    int64_t base_cap;          /* 46,800,000 VND / month */
    int64_t min_wage[4];       /* regions I..IV, VND / month */
    double low_base_ratio;     /* 0.5 */
    int retire_male_months;    /* age at retirement, in months (61y6m = 738) */
    int retire_female_months;  /* 57y = 684 */
    char office_name[256];     /* [office] name: heading of the notices */
    char office_address[256];  /* [office] address */
    char notice_request[1024]; /* [notice] request: the request text of a
                                  notice; "" the built-in one of --lang */
    struct alias_extra *aliases; /* [aliases.tax] field = label | label ... */
    size_t naliases;
};

/* Fill p with the built-in defaults. */
void profile_defaults(struct profile *p);
/* Override p from an INI file; SIRECON_ERR_NOINPUT / SIRECON_ERR_DATA with d
 * (FILE:LINE) on failure. */
sirecon_status profile_load(struct profile *p, const char *path, struct diag *d);
void profile_free(struct profile *p);
/* Write the effective profile as INI (what `sirecon profile` prints). */
void profile_write(const struct profile *p, FILE *f);
/* sha256 (hex) of profile_write()'s text: the manifest's profile hash. */
void profile_hash(const struct profile *p, char out[65]);

#endif
