/*
 * manifest.h - run.json: what was read, what was decided, what was
 * written, how long it took (docs/architecture.md, "Outputs").
 */
#ifndef SIRECON_MANIFEST_H
#define SIRECON_MANIFEST_H

#include <time.h>
#include "sirecon/report.h"

struct stage_time {
    const char *name;  /* "load", "match", "report" */
    double seconds;
};

struct manifest_info {
    const struct run_info *ri;
    const char *dir;              /* folder the outputs are in (the temp sibling) */
    const struct report_file *outputs; /* the files inside dir, hashed as written */
    size_t noutputs;
    const struct stage_time *stages;
    size_t nstages;
    time_t ended;
    int exit_status;              /* the status the run ends with */
    const char *formats;          /* "xlsx,csv" ... */
    const char *encoding;         /* --encoding, or NULL */
    const char *previous;         /* --previous, or NULL */
};

/* Write dir/run.json (mode 0600). */
sirecon_status manifest_write(const struct manifest_info *mi, struct diag *d);

/* Peak resident set size of this process, in KiB. */
long manifest_peak_rss_kib(void);

#endif
