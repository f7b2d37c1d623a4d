/*
 * outdir.h - the output folder, built atomically (docs/architecture.md, "Outputs").
 *
 * Writers put their files into a temporary sibling of the final folder
 * (".<base>.sirecon-tmp.<pid>.XXXXXX", mode 0700, same parent so rename is
 * atomic).  outdir_commit() fsyncs everything and renames it into place (or
 * swaps it with the old folder under --force); a failed or killed run leaves
 * the final folder untouched.  Stale siblings of dead runs are removed by the
 * next outdir_begin().
 *
 * Lifecycle: outdir_begin(); writers use outdir_tmp()/outdir_fopen(); then
 * outdir_commit() on success, or outdir_abort() on any failure (also after a
 * failed commit).  outdir_abort() is idempotent and safe after a successful
 * commit, so callers may always end with it.
 */
#ifndef SIRECON_OUTDIR_H
#define SIRECON_OUTDIR_H

#include <stdbool.h>
#include <stdio.h>
#include "sirecon/common.h"

struct outdir {
    char *final;  /* the output folder as given, trailing '/' removed */
    char *parent; /* its parent folder ("." when final has no '/') */
    char *base;   /* its last component */
    char *tmp;    /* the temporary sibling; NULL when none */
    bool force;   /* replace an existing final folder */
};

/*
 * Prepare an output folder: refuse when final exists and !force
 * (SIRECON_ERR_CANTCREAT, "output folder exists; use --force to replace
 * it"), remove stale temporary siblings whose process is gone, and create
 * a new temporary sibling (0700).  Missing or unwritable parent, a final
 * that is not a folder: SIRECON_ERR_CANTCREAT with the path in d->file.
 */
sirecon_status outdir_begin(struct outdir *o, const char *final, bool force,
                            struct diag *d);

/* The temporary folder where writers put their files. */
const char *outdir_tmp(const struct outdir *o);

/*
 * fsync every file in the temporary folder and the folder itself, then move
 * it into place: rename() when final does not exist, an atomic exchange
 * (renameat2 RENAME_EXCHANGE, or a rename-aside fallback) when it does
 * (force), removing the old contents afterwards; fsync the parent.
 * ENOSPC/EIO: SIRECON_ERR_IO; anything else: SIRECON_ERR_CANTCREAT.  On
 * success o is released; on failure call outdir_abort().
 */
sirecon_status outdir_commit(struct outdir *o, struct diag *d);

/* Remove the temporary folder and everything in it; release o. */
void outdir_abort(struct outdir *o);

/*
 * True when path is dir itself or lies inside it, comparing real paths.
 * Either may not exist yet (its parent is resolved then).  Used to refuse an
 * output folder that is, or contains, an input.  "-" (stdin) is never inside.
 */
bool outdir_contains_path(const char *dir, const char *path);

/*
 * Create name inside the temporary folder (O_EXCL, mode 0600) as a stream
 * with a large buffer, hashing what goes through it (outdir_fclose_sha256).
 * NULL on failure with d filled (CANTCREAT, or IO for
 * ENOSPC/EIO).  Close it with outdir_fclose().
 */
FILE *outdir_fopen(const struct outdir *o, const char *name, struct diag *d);
/* The same inside any folder dir (for writers given a plain folder), with
 * the status: SIRECON_ERR_CANTCREAT (exists, permission) or SIRECON_ERR_IO. */
sirecon_status outdir_create(const char *dir, const char *name, FILE **fp,
                             struct diag *d);

/*
 * Close a written stream for good: check ferror, fflush, fsync, fclose, and
 * release the buffer outdir_fopen() gave it.  A failure is SIRECON_ERR_IO
 * with path in d->file and the cause in d->msg ("No space left on device").
 * f may be any stream (for one not from outdir_fopen nothing else is freed).
 * Call it right after the last write so errno still tells a failed write's
 * cause.
 */
sirecon_status outdir_fclose(FILE *f, const char *path, struct diag *d);
/* The same, and the lower-case hex SHA-256 of every byte written to a
 * stream of outdir_create()/outdir_fopen(), hashed as it was written (hex
 * may be NULL; "" for another stream or on failure). */
sirecon_status outdir_fclose_sha256(FILE *f, const char *path, char hex[65],
                                    struct diag *d);

/* Lower-case hex SHA-256 of a file's bytes, for a file another library
 * wrote (libxlsxwriter seeks back to patch its zip headers, so its bytes
 * cannot be hashed in passing).  SIRECON_ERR_IO (errno kept) when it
 * cannot be opened or read. */
sirecon_status outdir_sha256_file(const char *path, char hex[65]);

#endif
