/*
 * report_table.c - the columns of employers, employees and rejects (see
 * report_table.h).  A getter reads what the run decided and shows it: no
 * getter decides anything.
 */
#include <stdio.h>
#include <string.h>
#include "sirecon/report_table.h"
#include "sirecon/ids.h"

#define EMP(ri, row) (&(ri)->res->emps[row])
#define TAX(ri, row) (&(ri)->ds->tax[row])
#define REJ(ri, row) (&(ri)->ds->rejects[row])

/* ---- employers ---- */

static void e_rank(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->rank; }
static void e_emp(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = EMP(ri, r)->emp; }
static void e_name(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = EMP(ri, r)->name; }
static void e_area(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = EMP(ri, r)->area; }
static void e_finding(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = employers_finding_name(EMP(ri, r)->finding); }
static void e_taxed(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->taxed; }
static void e_enrolled(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->enrolled; }
static void e_not_enrolled(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->not_enrolled; }
static void e_partial(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->partial; }
static void e_elsewhere(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->covered_elsewhere; }
static void e_review(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->review; }
static void e_dne(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->deducted_not_enrolled; }
static void e_coverage(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->d = EMP(ri, r)->coverage_pct; }
static void e_income(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->unenrolled_income; }
static void e_arrears(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = EMP(ri, r)->est_arrears; }
static void e_trend(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = EMP(ri, r)->trend; }

static const struct report_col employer_cols[] = {
    {"rank", RC_INT, NULL, e_rank},
    {"employer_tax_id", RC_ID, NULL, e_emp},
    {"employer_name", RC_TEXT, NULL, e_name},
    {"area", RC_TEXT, NULL, e_area},
    {"finding", RC_CODE, "finding.", e_finding},
    {"taxed", RC_INT, NULL, e_taxed},
    {"enrolled", RC_INT, NULL, e_enrolled},
    {"not_enrolled", RC_INT, NULL, e_not_enrolled},
    {"partial", RC_INT, NULL, e_partial},
    {"covered_elsewhere", RC_INT, NULL, e_elsewhere},
    {"review", RC_INT, NULL, e_review},
    {"deducted_not_enrolled", RC_INT, NULL, e_dne},
    {"coverage_pct", RC_DEC1, NULL, e_coverage},
    {"unenrolled_income", RC_MONEY, NULL, e_income},
    {"est_arrears", RC_MONEY, NULL, e_arrears},
    {"trend", RC_TREND, NULL, e_trend},
};

/* ---- employees ---- */

/* The identifier a record shows and its kind, which always agree: the one
 * pid_kind names when the record has it, else the strongest present. */
static uint64_t
shown_id(const struct tax_rec *t, id_kind *kind)
{
    uint64_t v = t->pid_kind < IDK_COUNT ? ids_get(&t->ids, (id_kind)t->pid_kind) : 0;

    if (v != 0) {
        *kind = t->pid_kind;
        return v;
    }
    return records_person_id(&t->ids, kind);
}

const char *
report_person_id(const struct run_info *ri, const struct tax_rec *t, char buf[IDS_MAX])
{
    id_kind kind;
    char text[IDS_MAX];
    uint64_t id = shown_id(t, &kind);

    if (id == 0)
        return "";
    ids_key_text(id, text);
    if (ri->mask_ids)
        ids_mask(text, buf); /* all but the last 4 characters */
    else
        memcpy(buf, text, sizeof text);
    return buf;
}

const char *
report_source(const struct run_info *ri, uint32_t file, uint32_t line, char *buf, size_t n)
{
    const char *path = file < ri->ds->nfiles && ri->ds->files[file].path
                           ? ri->ds->files[file].path : "";

    snprintf(buf, n, "%s:%lu", path, (unsigned long)line);
    return buf;
}

static void t_emp(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = TAX(ri, r)->emp; }
static void t_emp_name(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = TAX(ri, r)->emp_name; }
static void t_name(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = TAX(ri, r)->name->full; }
static void t_pid(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ c->s = report_person_id(ri, TAX(ri, r), b); }
static void
t_id_kind(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    id_kind kind = IDK_NONE;
    uint64_t id = shown_id(TAX(ri, r), &kind);

    (void)b;
    c->s = id != 0 && kind < IDK_COUNT ? ids_kind_name(kind) : "";
}
static void t_birth(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->date = TAX(ri, r)->birth; }
static void
t_schedule(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    uint8_t s = TAX(ri, r)->schedule;

    (void)b;
    c->s = s == 1 ? "05-1" : s == 2 ? "05-2" : "";
}
static void t_income(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = TAX(ri, r)->taxable_income; }
static void t_deduction(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = TAX(ri, r)->insurance_deduction; }
static void t_status(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = records_status_name(TAX(ri, r)->status); }
static void
t_reason(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    rec_reason rs = TAX(ri, r)->reason;

    (void)b;
    c->s = rs == RS_NONE ? "" : records_reason_name(rs);
}
static void
t_rule(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    rec_rule ru = TAX(ri, r)->rule;

    (void)b;
    c->s = ru == RULE_NONE ? "" : records_rule_name(ru);
}
static void
t_conf(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    b[0] = TAX(ri, r)->confidence;
    b[1] = '\0';
    c->s = b;
}
static void t_covered(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = TAX(ri, r)->covered_months; }
static void t_other(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    const char *o = records_other_emp(ri->ds, TAX(ri, r));

    (void)b;
    c->s = o ? o : "";
}
/* Names of the set RF_* bits, in bit order, joined with '|'. */
static void
t_flags(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    uint32_t flags = TAX(ri, r)->flags;
    size_t len = 0;

    b[0] = '\0';
    for (unsigned bit = 0; bit < RF_FLAG_COUNT; bit++) {
        if (!(flags & (1u << bit)))
            continue;
        int w = snprintf(b + len, REPORT_CELL_BUF - len, "%s%s", len ? "|" : "",
                         records_flag_name(bit));
        if (w < 0 || (size_t)w >= REPORT_CELL_BUF - len)
            break; /* cannot happen: nine names */
        len += (size_t)w;
    }
    c->s = b;
}
static void
t_source(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    c->s = report_source(ri, TAX(ri, r)->file, TAX(ri, r)->line, b, REPORT_CELL_BUF);
}

static const struct report_col employee_cols[] = {
    {"employer_tax_id", RC_ID, NULL, t_emp},
    {"employer_name", RC_TEXT, NULL, t_emp_name},
    {"full_name", RC_TEXT, NULL, t_name},
    {"person_id", RC_ID, NULL, t_pid},
    {"id_kind", RC_CODE, "idkind.", t_id_kind},
    {"birth_date", RC_DATE, NULL, t_birth},
    {"schedule", RC_TEXT, NULL, t_schedule},
    {"taxable_income", RC_MONEY, NULL, t_income},
    {"insurance_deduction", RC_MONEY, NULL, t_deduction},
    {"status", RC_CODE, "status.", t_status},
    {"reason", RC_CODE, "reason.", t_reason},
    {"rule", RC_TEXT, NULL, t_rule},
    {"confidence", RC_TEXT, NULL, t_conf},
    {"covered_months", RC_INT, NULL, t_covered},
    {"other_employer_tax_id", RC_ID, NULL, t_other},
    {"flags", RC_TEXT, NULL, t_flags},
    {"source", RC_TEXT, NULL, t_source},
};

/* ---- rejects ---- */

static const struct input_file *
rej_file(const struct run_info *ri, size_t r)
{
    uint32_t f = REJ(ri, r)->file;

    return f < ri->ds->nfiles ? &ri->ds->files[f] : NULL;
}
static void
j_file(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    const struct input_file *in = rej_file(ri, r);

    (void)b;
    c->s = in ? in->path : "";
}
static void j_line(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->i = REJ(ri, r)->line; }
static void
j_kind(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{
    const struct input_file *in = rej_file(ri, r);

    (void)b;
    c->s = in ? fields_kind_name(in->kind) : "";
}
static void j_reason(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = REJ(ri, r)->reason; }
static void j_column(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = REJ(ri, r)->column; }
static void j_detail(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ (void)b; c->s = REJ(ri, r)->detail; }

static const struct report_col reject_cols[] = {
    {"file", RC_TEXT, NULL, j_file},
    {"line", RC_INT, NULL, j_line},
    {"kind", RC_CODE, "kind.", j_kind},
    {"reason", RC_TEXT, NULL, j_reason},
    {"column", RC_TEXT, NULL, j_column},
    {"detail", RC_TEXT, NULL, j_detail},
};

#define NCOLS(a) ((int)(sizeof(a) / sizeof((a)[0])))
/* ---- notices.csv: one row per listed employer, the notice beside it ---- */

const struct employer_rec *
report_registry_row(const struct dataset *ds, const struct employer_sum *e)
{
    return e->registry >= 0 && (size_t)e->registry < ds->nemps ? &ds->emps[e->registry] : NULL;
}
static void n_file(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ report_notice_name(EMP(ri, r), b, REPORT_CELL_BUF); c->s = b; }
static void n_unit(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ const struct employer_rec *g = report_registry_row(ri->ds, EMP(ri, r)); (void)b;
  c->s = g && g->unit_code ? g->unit_code : ""; }
static void n_address(const struct run_info *ri, size_t r, struct report_cell *c, char *b)
{ const struct employer_rec *g = report_registry_row(ri->ds, EMP(ri, r)); (void)b;
  c->s = g && g->address ? g->address : ""; }

static const struct report_col notice_cols[] = {
    {"file", RC_TEXT, NULL, n_file},
    {"employer_name", RC_TEXT, NULL, e_name},
    {"employer_tax_id", RC_ID, NULL, e_emp},
    {"unit_code", RC_TEXT, NULL, n_unit},
    {"address", RC_TEXT, NULL, n_address},
    {"area", RC_TEXT, NULL, e_area},
    {"not_enrolled", RC_INT, NULL, e_not_enrolled},
    {"partial", RC_INT, NULL, e_partial},
    {"deducted_not_enrolled", RC_INT, NULL, e_dne},
    {"est_arrears", RC_MONEY, NULL, e_arrears},
};

const struct report_table report_employers_table = {employer_cols, NCOLS(employer_cols)};
const struct report_table report_notices_table = {notice_cols, NCOLS(notice_cols)};
const struct report_table report_employees_table = {employee_cols, NCOLS(employee_cols)};
const struct report_table report_rejects_table = {reject_cols, NCOLS(reject_cols)};
