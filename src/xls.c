/*
 * xls.c - the first worksheet of a legacy .xls workbook as CSV text
 * (xls.h).  FreeXL parses the BIFF records and hands out cells by
 * (row, column): integers and doubles, text (UTF-8, shared strings
 * resolved), and dates it has already decoded as "YYYY-MM-DD" (with a time
 * for date-times: the date is kept, as the date columns want).  Each sheet
 * row becomes one CSV line so that FILE:LINE is the Excel row.
 *
 * FreeXL 1.0.6 (Debian 12) crashes or reads out of bounds on some crafted
 * or damaged files (found by fuzz_xls), so it runs in a child process: the
 * child converts and writes a status byte and the CSV (or the message) to
 * a pipe; a child that dies is a clean "not readable" error, never a crash
 * of the run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <freexl.h>
#include "sirecon/encoding.h"
#include "sirecon/xls.h"

#define XLS_BAD "not a readable .xls workbook: "
#define XLS_MAX_ROWS 65536u  /* BIFF8 */
#define XLS_MAX_COLS 256u

void
xls_number_text(double v, char *buf, size_t bufsz)
{
    if (!isfinite(v)) {
        snprintf(buf, bufsz, "%s", "");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15)
        snprintf(buf, bufsz, "%.0f", v);
    else
        snprintf(buf, bufsz, "%.15g", v);
}

static sirecon_status
convert(const char *path, char **out, size_t *outn, struct diag *d)
{
    const void *h = NULL;
    unsigned int rows = 0, sheets = 0;
    unsigned short cols = 0;
    unsigned int info;
    struct sbuf b = {NULL, 0, 0};
    size_t keep = 0; /* bytes up to the last non-empty row */
    int ret;

    *out = NULL;
    *outn = 0;
    ret = freexl_open(path, &h);
    if (ret != FREEXL_OK) {
        if (h != NULL)
            freexl_close(h);
        if (ret == FREEXL_BIFF_WORKBOOK_NOT_FOUND)
            return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                            "an OLE file with no Excel 97-2003 workbook inside (a "
                            "password-protected workbook?): save it in Excel without a "
                            "password, as .xlsx or CSV UTF-8");
        if (ret == FREEXL_INSUFFICIENT_MEMORY)
            return diag_set(d, SIRECON_ERR_NOMEM, NULL, 0, "out of memory reading the workbook");
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0, XLS_BAD "FreeXL error %d", ret);
    }
    if (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &info) == FREEXL_OK &&
        info == FREEXL_BIFF_OBFUSCATED) {
        freexl_close(h);
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                        "a password-protected .xls workbook: save it without a "
                        "password, or as CSV UTF-8");
    }
    if (freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &sheets) != FREEXL_OK || sheets == 0 ||
        freexl_select_active_worksheet(h, 0) != FREEXL_OK ||
        freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK) {
        freexl_close(h);
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0, XLS_BAD "no worksheet");
    }
    if (rows > XLS_MAX_ROWS || cols > XLS_MAX_COLS) {
        freexl_close(h);
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                        XLS_BAD "a sheet of %u rows and %u columns", rows, (unsigned)cols);
    }
    sbuf_put(&b, "", 0);
    for (unsigned int r = 0; r < rows; r++) {
        bool any = false;
        for (unsigned short c = 0; c < cols; c++) {
            FreeXL_CellValue v;
            char num[40];
            const char *t = "";
            size_t tn = 0;
            if (c > 0)
                sbuf_putc(&b, ',');
            if (freexl_get_cell_value(h, r, c, &v) != FREEXL_OK)
                continue;
            switch (v.type) {
            case FREEXL_CELL_INT:
                snprintf(num, sizeof num, "%d", v.value.int_value);
                t = num;
                break;
            case FREEXL_CELL_DOUBLE:
                xls_number_text(v.value.double_value, num, sizeof num);
                t = num;
                break;
            case FREEXL_CELL_TEXT:
            case FREEXL_CELL_SST_TEXT:
            case FREEXL_CELL_TIME:
                t = v.value.text_value ? v.value.text_value : "";
                break;
            case FREEXL_CELL_DATE:
            case FREEXL_CELL_DATETIME:
                t = v.value.text_value ? v.value.text_value : "";
                tn = strlen(t) > 10 ? 10 : strlen(t); /* the date of a date-time */
                break;
            default:
                break;
            }
            if (tn == 0)
                tn = strlen(t);
            if (tn > 0) {
                any = true;
                sbuf_csv_field(&b, t, tn);
            }
        }
        sbuf_putc(&b, '\n');
        if (any)
            keep = b.n;
    }
    freexl_close(h);
    b.n = keep; /* trailing empty rows dropped */
    b.s[b.n] = '\0';
    *out = b.s;
    *outn = b.n;
    return SIRECON_OK;
}

static bool
write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

sirecon_status
xls_to_csv(const char *path, char **out, size_t *outn, struct diag *d)
{
    int pfd[2], ws = 0;
    pid_t pid;
    struct sbuf b = {NULL, 0, 0};
    char chunk[1 << 16];

    *out = NULL;
    *outn = 0;
    if (pipe(pfd) != 0)
        return diag_set(d, SIRECON_ERR_IO, NULL, 0, "pipe: %s", strerror(errno));
    encoding_gconv_lock(); /* no thread inside iconv_open while forking */
    pid = fork();
    if (pid == 0) {
        char *csv = NULL;
        size_t n = 0;
        struct diag cd;
        unsigned char st;
        close(pfd[0]);
        encoding_gconv_unlock();
        /* a crash report (a sanitizer's) is not the user's business */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0)
            dup2(null, STDERR_FILENO);
        memset(&cd, 0, sizeof cd);
        st = (unsigned char)convert(path, &csv, &n, &cd);
        /* status, payload length, payload: the parent takes a complete
         * message whatever the exit status (a memory checker's, in a child
         * forked from one thread of a threaded process, is not ours) */
        const char *pay = st == SIRECON_OK ? csv : cd.msg;
        uint64_t len = st == SIRECON_OK ? (uint64_t)n : (uint64_t)strlen(cd.msg);
        if (write_all(pfd[1], &st, 1) && write_all(pfd[1], &len, sizeof len))
            (void)write_all(pfd[1], pay ? pay : "", (size_t)len);
        _exit(0);
    }
    encoding_gconv_unlock();
    close(pfd[1]);
    if (pid < 0) {
        close(pfd[0]);
        return diag_set(d, SIRECON_ERR_IO, NULL, 0, "fork: %s", strerror(errno));
    }
    for (;;) {
        ssize_t r = read(pfd[0], chunk, sizeof chunk);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        sbuf_put(&b, chunk, (size_t)r);
    }
    close(pfd[0]);
    while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
        ;
    (void)ws;
    uint64_t len = 0;
    const size_t head = 1 + sizeof len;
    if (b.n >= head)
        memcpy(&len, b.s + 1, sizeof len);
    if (b.n < head || len != b.n - head) {
        /* the child died before its message was whole */
        free(b.s);
        return diag_set(d, SIRECON_ERR_DATA, NULL, 0,
                        XLS_BAD "the reader stopped on it (a damaged or crafted file)");
    }
    if ((unsigned char)b.s[0] != SIRECON_OK) {
        sirecon_status st = (sirecon_status)(unsigned char)b.s[0];
        diag_set(d, st, NULL, 0, "%.*s", (int)(b.n - head), b.s + head);
        free(b.s);
        return st;
    }
    memmove(b.s, b.s + head, b.n - head);
    b.n -= head;
    b.s[b.n] = '\0';
    *out = b.s;
    *outn = b.n;
    return SIRECON_OK;
}
