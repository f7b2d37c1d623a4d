/*
 * manifest.c - run.json, written last so it can carry the SHA-256 of every
 * other output (computed by the writers as they wrote, report.h).  A minimal JSON writer: strings escaped per RFC 8259,
 * numbers printed locale-free.  Times honour SOURCE_DATE_EPOCH (the caller
 * passes them), so identical inputs give identical manifests apart from the
 * measured timings and memory, which live under "measured".
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include "sirecon/manifest.h"
#include "sirecon/outdir.h"
#include "sirecon/fields.h"
#include "sirecon/json.h"

static void
iso_time(time_t t, char buf[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

long
manifest_peak_rss_kib(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : 0;
}

sirecon_status
manifest_write(const struct manifest_info *mi, struct diag *d)
{
    const struct run_info *ri = mi->ri;
    const struct dataset *ds = ri->ds;
    const struct result *r = ri->res;
    const struct profile *pf = ri->pf;
    char path[4096], tbuf[32], pbuf[16];
    FILE *f;
    struct js j = {NULL, 0, true};
    sirecon_status rc;

    if ((rc = outdir_create(mi->dir, "run.json", &f, d)) != SIRECON_OK)
        return rc;
    snprintf(path, sizeof path, "%s/run.json", mi->dir);
    j.f = f;
    fputc('{', f);
    j.depth = 1;
    js_s(&j, "tool", "sirecon");
    js_s(&j, "version", SIRECON_VERSION);
    iso_time(ri->started, tbuf);
    js_s(&j, "started", tbuf);
    iso_time(mi->ended, tbuf);
    js_s(&j, "ended", tbuf);
    js_i(&j, "exit_status", mi->exit_status);

    js_open(&j, "options", '{');
    snprintf(pbuf, sizeof pbuf, "%04d-%02d", r->period.first / 12, r->period.first % 12 + 1);
    js_s(&j, "period_first", pbuf);
    snprintf(pbuf, sizeof pbuf, "%04d-%02d", r->period.last / 12, r->period.last % 12 + 1);
    js_s(&j, "period_last", pbuf);
    js_i(&j, "period_months", match_period_months(&r->period));
    js_s(&j, "lang", ri->lang == LANG_VI ? "vi" : "en");
    js_i(&j, "min_missing", ri->min_missing);
    js_f3(&j, "max_reject_rate", ri->max_reject_rate);
    js_b(&j, "include_short_contracts", ri->mo->include_short_contracts);
    js_b(&j, "branch_level", ri->mo->branch_level);
    js_b(&j, "mask_ids", ri->mask_ids);
    js_s(&j, "formats", mi->formats);
    js_s(&j, "encoding", mi->encoding ? mi->encoding : "");
    js_s(&j, "previous", mi->previous ? mi->previous : "");
    js_close(&j, '}');

    js_open(&j, "profile", '{');
    js_s(&j, "name", pf->name);
    js_s(&j, "sha256", ri->profile_hash);
    js_f3(&j, "employer_rate", pf->employer_rate);
    js_f3(&j, "employee_rate", pf->employee_rate);
    js_i(&j, "base_cap", pf->base_cap);
    js_open(&j, "min_wage", '[');
    for (int i = 0; i < 4; i++)
        js_i(&j, NULL, pf->min_wage[i]);
    js_close(&j, ']');
    js_f3(&j, "low_base_ratio", pf->low_base_ratio);
    js_i(&j, "retire_male_months", pf->retire_male_months);
    js_i(&j, "retire_female_months", pf->retire_female_months);
    js_close(&j, '}');

    js_open(&j, "inputs", '[');
    for (size_t i = 0; i < ds->nfiles; i++) {
        const struct input_file *in = &ds->files[i];
        char delim[3] = {in->delimiter, 0, 0};
        if (in->delimiter == '\t')
            strcpy(delim, "\\t");
        js_open(&j, NULL, '{');
        js_s(&j, "path", in->path);
        js_s(&j, "kind", fields_kind_name(in->kind));
        js_s(&j, "sha256", in->sha256);
        js_u(&j, "bytes", in->bytes);
        js_s(&j, "encoding", in->encoding ? in->encoding : "");
        js_s(&j, "delimiter", in->delimiter == '\t' ? "\t" : delim);
        js_i(&j, "header_first_line", in->header_first);
        js_i(&j, "header_last_line", in->header_last);
        js_u(&j, "rows_read", in->read);
        js_u(&j, "loaded", in->loaded);
        js_u(&j, "skipped", in->skipped);
        js_u(&j, "rejected", in->rejected);
        js_u(&j, "duplicate", in->duplicate);
        js_open(&j, "skipped_by", '{');
        js_u(&j, "blank", in->skipped_by[1]);
        js_u(&j, "column_numbers", in->skipped_by[2]);
        js_u(&j, "repeated_header", in->skipped_by[3]);
        js_u(&j, "totals", in->skipped_by[4]);
        js_u(&j, "other_tax_year", in->skipped_by[SKIP_OTHER_YEAR]);
        js_u(&j, "title_or_note", in->skipped_by[SKIP_NOTE]);
        js_close(&j, '}');
        js_open(&j, "id_quality", '{');
        js_u(&j, "leading_zero_restored", in->id_restored);
        js_u(&j, "corrupted", in->id_corrupted);
        js_u(&j, "tax_id_check_digit", in->id_check_digit);
        js_u(&j, "placeholder", in->id_placeholder);
        js_close(&j, '}');
        /* how columns were found, when not all by known labels */
        for (int how = 0; how < 2; how++) {
            unsigned long bits = how == 0 ? in->by_meaning : in->by_content;
            if (bits == 0)
                continue;
            js_open(&j, how == 0 ? "columns_by_meaning" : "columns_by_content", '[');
            for (int fld = 0; fld < F_COUNT; fld++)
                if (bits & (1ul << fld))
                    js_s(&j, NULL, fields_name((field_id)fld));
            js_close(&j, ']');
        }
        if (in->changes[0] + in->changes[1] + in->changes[2] > 0) {
            js_open(&j, "change_rows", '{');
            js_u(&j, "increase", in->changes[0]);
            js_u(&j, "decrease", in->changes[1]);
            js_u(&j, "adjustment", in->changes[2]);
            js_close(&j, '}');
        }
        if (in->nunread > 0) {
            js_open(&j, "unread_id_columns", '[');
            for (int u = 0; u < in->nunread; u++) {
                js_open(&j, NULL, '{');
                js_i(&j, "column", in->unread_col[u] + 1);
                js_s(&j, "label", in->unread_label[u]);
                js_close(&j, '}');
            }
            js_close(&j, ']');
        }
        js_close(&j, '}');
    }
    js_close(&j, ']');

    js_open(&j, "counts", '{');
    js_u(&j, "tax_records", ds->ntax);
    js_u(&j, "si_records", ds->nsi);
    js_u(&j, "duplicates", r->duplicates);
    js_u(&j, "rejected", ds->nrejects);
    js_u(&j, "employers_with_tax_records", r->nemps);
    js_u(&j, "employers_listed", r->nlisted);
    js_open(&j, "by_status", '{');
    for (int s = 0; s < ST_COUNT; s++)
        js_u(&j, records_status_name((rec_status)s), r->by_status[s]);
    js_close(&j, '}');
    js_open(&j, "by_rule", '{');
    for (int s = 0; s < RULE_COUNT; s++)
        js_u(&j, s == 0 ? "NONE" : records_rule_name((rec_rule)s), r->by_rule[s]);
    js_close(&j, '}');
    js_open(&j, "by_finding", '{');
    for (int s = 1; s < FIND_COUNT; s++)
        js_u(&j, employers_finding_name((finding)s), r->by_finding[s]);
    js_close(&j, '}');
    js_open(&j, "by_flag", '{');
    uint64_t nflag[RF_FLAG_COUNT] = {0};
    for (size_t i = 0; i < ds->ntax; i++) /* one walk over the records, not one a flag */
        for (uint32_t fl = ds->tax[i].duplicate ? 0 : ds->tax[i].flags; fl != 0; fl &= fl - 1) {
            unsigned b = (unsigned)__builtin_ctz(fl);
            if (b < RF_FLAG_COUNT)
                nflag[b]++;
        }
    for (unsigned b = 0; b < RF_FLAG_COUNT; b++)
        js_u(&j, records_flag_name(b), nflag[b]);
    js_close(&j, '}');
    int64_t arrears = 0;
    for (size_t k = 0; k < r->nlisted; k++)
        arrears += r->emps[k].est_arrears;
    js_i(&j, "est_arrears_total", arrears);
    js_close(&j, '}');

    js_open(&j, "outputs", '[');
    for (size_t i = 0; i < mi->noutputs; i++) {
        js_open(&j, NULL, '{');
        js_s(&j, "file", mi->outputs[i].name);
        js_s(&j, "sha256", mi->outputs[i].sha256);
        js_close(&j, '}');
    }
    js_close(&j, ']');

    /* Measured values change from run to run; they stay together here. */
    js_open(&j, "measured", '{');
    js_open(&j, "stage_seconds", '{');
    for (size_t i = 0; i < mi->nstages; i++)
        js_f3(&j, mi->stages[i].name, getenv("SOURCE_DATE_EPOCH") ? 0.0 : mi->stages[i].seconds);
    js_close(&j, '}');
    js_i(&j, "peak_rss_kib", getenv("SOURCE_DATE_EPOCH") ? 0 : manifest_peak_rss_kib());
    /* what the records hold, in bytes: the arrays of records and the strings
     * they point to (deterministic for given inputs: tests/bench/guard.sh
     * bounds it per record) */
    {
        const struct dataset *rd = mi->ri->ds;
        bool sde = getenv("SOURCE_DATE_EPOCH") != NULL;
        js_u(&j, "record_bytes", sde ? 0 : (uint64_t)(rd->ntax * sizeof *rd->tax +
                                                      rd->nsi * sizeof *rd->si +
                                                      rd->nemps * sizeof *rd->emps +
                                                      rd->nidents * sizeof *rd->idents));
        js_u(&j, "string_bytes", sde ? 0 : (uint64_t)rd->a.used);
    }
    js_close(&j, '}');
    j.depth = 0;
    fputs("\n}\n", f);
    return outdir_fclose(f, path, d);
}
