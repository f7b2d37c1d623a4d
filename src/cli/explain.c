/*
 * explain.c - `sirecon explain`: run the pipeline with a match trace on
 * the records asked about and print why each got its decision (explain.h).
 * Exit 0 when every query was found, 65 when one was not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "sirecon/explain.h"
#include "sirecon/i18n.h"

static void
usage(FILE *f)
{
    fputs(
"usage: sirecon explain -t TAX... -s SI... [-e REG] [--identities F] [options]\n"
"                       (--person ID | --row FILE:LINE | --employer CODE)...\n"
"\n"
"Why a person, a tax row or an employer got its decision: the records behind\n"
"it, the identity cluster, every rule tried and what it saw, covered months,\n"
"the status, reason and flags, and the arrears arithmetic.  The decision is\n"
"the one `reconcile` makes with the same inputs and options.\n"
"\n"
"  --person ID               any of the person's identifiers (personal ID, tax\n"
"                            code, CMND, SI number); with --employer, a name\n"
"  --row FILE:LINE           a tax row, as in the source column of employees.csv\n"
"  --employer CODE           an employer: finding, rank, records by status,\n"
"                            source files, arrears (alone, or with --person NAME)\n"
"  --format text|json        human text (default, in --lang) or JSON for scripts\n"
"  --mask-ids                mask personal IDs (last 4 kept)\n"
"  -t, -s, -e, --identities, -p, --profile, --lang, --min-missing,\n"
"  --include-short-contracts, --branch-level, --previous, --max-reject-rate,\n"
"  --default-employer,\n"
"  --encoding, --progress, -q, -v: as for reconcile\n",
        f);
}

enum { OPT_PERSON = CLI_OPT_COMMAND, OPT_ROW, OPT_EMPLOYER_Q, OPT_FORMAT, OPT_MASK };

static const struct option long_opts[] = {
    CLI_INPUT_OPTIONS,
    {"person", required_argument, NULL, OPT_PERSON},
    {"row", required_argument, NULL, OPT_ROW},
    {"employer", required_argument, NULL, OPT_EMPLOYER_Q},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"mask-ids", no_argument, NULL, OPT_MASK},
    {NULL, 0, NULL, 0},
};

struct xopts {
    struct cli_inputs in;
    struct explain_query *q; size_t nq, capq;
    const char *employer;   /* the last --employer */
    size_t nemployer;
    bool json, mask;
};

static void
add_query(struct xopts *o, explain_by by, const char *v)
{
    o->q = xgrow(o->q, &o->capq, o->nq + 1, sizeof *o->q);
    memset(&o->q[o->nq], 0, sizeof o->q[o->nq]);
    o->q[o->nq].by = by;
    o->q[o->nq].value = v;
    o->nq++;
}

/* 0, -1 after --help, or an exit code. */
static int
parse(int argc, char **argv, struct xopts *o)
{
    int c, rc;
    bool by_name = false;

    cli_inputs_init(&o->in);
    optind = 1;
    while ((c = getopt_long(argc, argv, CLI_INPUT_SHORT, long_opts, NULL)) != -1) {
        if ((rc = cli_inputs_option(&o->in, c, optarg)) != 1) {
            if (rc != 0)
                return rc;
            continue;
        }
        switch (c) {
        case OPT_PERSON:
            if (!optarg[0])
                return cli_usage_error("explain", "--person needs an identifier or a name");
            add_query(o, EXPLAIN_PERSON, optarg);
            by_name |= !explain_is_identifier(optarg);
            break;
        case OPT_ROW: {
            const char *colon = strrchr(optarg, ':');
            if (colon == NULL || colon == optarg || colon[1] == '\0' ||
                strspn(colon + 1, "0123456789") != strlen(colon + 1))
                return cli_usage_error("explain", "--row takes FILE:LINE, not '%s'", optarg);
            add_query(o, EXPLAIN_ROW, optarg);
            break;
        }
        case OPT_EMPLOYER_Q:
            if (!explain_is_identifier(optarg))
                return cli_usage_error("explain", "--employer takes a tax code, not '%s'",
                                       optarg);
            o->employer = optarg;
            o->nemployer++;
            break;
        case OPT_FORMAT:
            if (strcmp(optarg, "json") == 0) o->json = true;
            else if (strcmp(optarg, "text") == 0) o->json = false;
            else return cli_usage_error("explain", "--format takes text or json, not '%s'", optarg);
            break;
        case OPT_MASK: o->mask = true; break;
        case CLI_OPT_HELP: usage(stdout); return -1;
        default:
            fputs("Try 'sirecon explain --help'.\n", stderr);
            return 64;
        }
    }
    if (optind < argc)
        return cli_usage_error("explain", "unexpected argument '%s'", argv[optind]);
    if (by_name) {
        /* --person NAME --employer CODE: the name at that employer */
        if (o->nemployer != 1)
            return cli_usage_error("explain", "--person with a name needs one --employer");
        for (size_t i = 0; i < o->nq; i++)
            if (o->q[i].by == EXPLAIN_PERSON && !explain_is_identifier(o->q[i].value))
                o->q[i].employer = o->employer;
    } else if (o->nemployer > 0) {
        /* every --employer is an employer query */
        for (int i = 1; i < argc; i++)
            if (strcmp(argv[i], "--employer") == 0 && i + 1 < argc)
                add_query(o, EXPLAIN_EMPLOYER, argv[++i]);
            else if (strncmp(argv[i], "--employer=", 11) == 0)
                add_query(o, EXPLAIN_EMPLOYER, argv[i] + 11);
    }
    if (o->nq == 0)
        return cli_usage_error("explain", "explain needs --person, --row or --employer");
    return cli_inputs_check(&o->in, "explain");
}

/* Why a query found nothing: a row that was rejected says so.  Personal
 * identifiers are never echoed (stderr ends up in logs). */
static void
not_found(const struct dataset *ds, const struct explain_query *q, size_t nth)
{
    if (q->by == EXPLAIN_ROW) {
        const char *colon = strrchr(q->value, ':');
        size_t n = (size_t)(colon - q->value);
        unsigned long line = strtoul(colon + 1, NULL, 10);
        bool named = false;
        for (size_t f = 0; f < ds->nfiles && !named; f++)
            named = explain_same_file(q->value, n, ds->files[f].path);
        if (!named) {
            /* say which inputs there are: the path may be written otherwise */
            char list[1024];
            size_t k = 0, ntax = 0;
            list[0] = '\0';
            for (size_t f = 0; f < ds->nfiles; f++) {
                if (ds->files[f].kind != KIND_TAX)
                    continue;
                if (ntax++ < 8 && k < sizeof list) {
                    int w = snprintf(list + k, sizeof list - k, "%s%s", k ? ", " : "",
                                     ds->files[f].path);
                    k += w > 0 ? (size_t)w : 0;
                }
            }
            if (ntax > 8 && k < sizeof list)
                snprintf(list + k, sizeof list - k, " and %zu more", ntax - 8);
            cli_msg("%s: %.*s is none of the inputs; the tax inputs are: %s", q->value,
                    (int)n, q->value, ntax ? list : "(none)");
            return;
        }
        for (size_t i = 0; i < ds->nrejects; i++) {
            const struct reject *rj = &ds->rejects[i];
            if (rj->line == line && explain_same_file(q->value, n, ds->files[rj->file].path)) {
                cli_msg("%s: rejected (%s%s%s), not a tax record; see rejects.csv", q->value,
                        rj->reason, rj->column[0] ? " in " : "", rj->column);
                return;
            }
        }
        cli_msg("%s: no tax record there (a header, a skipped line, or not a tax input)",
                q->value);
    } else if (q->by == EXPLAIN_EMPLOYER) {
        cli_msg("--employer %s: no tax record of this employer", q->value);
    } else {
        cli_msg("query %zu (--person): no tax or SI record of this person%s", nth,
                q->employer ? " at that employer" : "");
    }
}

int
cmd_explain(int argc, char **argv)
{
    struct xopts o;
    struct profile pf;
    struct run r;
    struct run_opts ro;
    struct explain x;
    struct diag d = {0};
    sirecon_status st;
    int rc;

    memset(&o, 0, sizeof o);
    if ((rc = parse(argc, argv, &o)) != 0) {
        cli_inputs_free(&o.in);
        free(o.q);
        return rc < 0 ? 0 : rc;
    }
    if ((rc = cli_profile(&pf, o.in.profile)) != 0) {
        cli_inputs_free(&o.in);
        free(o.q);
        return rc;
    }
    run_init(&r, &pf);
    cli_inputs_run_opts(&o.in, &ro);
    explain_init(&x, o.q, o.nq);
    st = run_load(&r, &ro, &d);
    cli_end_progress();
    if (st == SIRECON_OK)
        st = run_decide(&r, &ro, explain_trace(&x), &d);
    if (st != SIRECON_OK) {
        rc = cli_report(st, &d);
    } else {
        lang l = o.in.lang >= 0 ? (lang)o.in.lang : i18n_from_env();
        size_t missing = explain_write(&x, &r, stdout, o.json, l, o.mask);
        rc = 0;
        if (fflush(stdout) != 0 || ferror(stdout)) {
            cli_msg("cannot write the explanation to standard output");
            rc = 74;
        } else if (missing > 0) {
            for (size_t i = 0; i < o.nq; i++)
                if (!x.found[i])
                    not_found(&r.ds, &o.q[i], i + 1);
            rc = 65;
        }
    }
    explain_free(&x);
    run_free(&r);
    profile_free(&pf);
    cli_inputs_free(&o.in);
    free(o.q);
    return rc;
}
