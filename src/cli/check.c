/*
 * check.c - `sirecon check FILE...`: how each file would be read (kind,
 * encoding, header, columns and how they were recognised, rows loaded,
 * skipped and rejected, ID repairs), without running anything else.  An
 * HTKK XML declaration is described as a declaration (form, payer, year,
 * appendices, elements ignored), not as the CSV text it is read through.
 * Exit 0 when every file is usable, 65 when one is not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "sirecon/encoding.h"
#include "sirecon/fields.h"
#include "sirecon/forms.h"
#include "sirecon/header.h"
#include "sirecon/htkk.h"
#include "sirecon/ids.h"
#include "sirecon/source.h"

static void
usage(FILE *f)
{
    fputs(
"usage: sirecon check [options] FILE...\n"
"\n"
"  --as tax|si|employers|identities  read every FILE as this kind (default: guess)\n"
"  --encoding NAME           input encoding when it cannot be detected\n"
"  --profile FILE            INI profile (extra column labels)\n"
"  --max-reject-rate R       call a file unusable above this reject rate (0.05)\n"
"  --default-employer CODE   employer tax code of a file that names none (no\n"
"                            column, title, other sheet or file name)\n"
"  -q, --quiet / -v, --verbose\n",
        f);
}

enum { OPT_AS = CLI_OPT_COMMAND };

static const struct option long_opts[] = {
    {"as", required_argument, NULL, OPT_AS},
    {"encoding", required_argument, NULL, CLI_OPT_ENCODING},
    {"profile", required_argument, NULL, CLI_OPT_PROFILE},
    {"max-reject-rate", required_argument, NULL, CLI_OPT_MAX_REJECT},
    {"default-employer", required_argument, NULL, CLI_OPT_DEFAULT_EMPLOYER},
    {"quiet", no_argument, NULL, 'q'},
    {"verbose", no_argument, NULL, 'v'},
    {"help", no_argument, NULL, CLI_OPT_HELP},
    {NULL, 0, NULL, 0},
};

struct copts {
    const char *as, *encoding, *profile;
    double max_reject;
    char default_employer[32];
};

static const char *
plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* The declaration behind an HTKK XML file: its header, its appendices and
 * the elements sirecon skipped.  The file is read again for it (the loader
 * keeps only records); standard input cannot be, and says so. */
static void
print_htkk(const char *path, enc_id forced)
{
    struct source src;
    struct diag d = {0};
    const struct htkk_info *in = &src.htkk;
    static const char *const where[2] = {"05-1", "05-2"};

    if (strcmp(path, "-") == 0) {
        printf("  declaration: an HTKK XML declaration read from standard input; name "
               "the file to see its form, payer and appendices\n");
        return;
    }
    if (source_open(&src, path, forced, &d) != SIRECON_OK || src.enc != ENC_HTKK_XML) {
        source_close(&src);
        printf("  declaration: could not be read a second time (%s)\n",
               d.msg[0] ? d.msg : "the file changed");
        return;
    }
    printf("  form: %s%s%s (HTKK XML, %s%s)\n", in->form_name,
           in->circular[0] ? ", Circular " : "", in->circular,
           in->form[0] ? "maTKhai " : "no maTKhai", in->form);
    printf("  payer: %s %s\n", in->payer_tax_id, in->payer_name);
    printf("  year: %s\n", in->year);
    printf("  appendices:\n");
    for (int a = 0; a < 2; a++)
        if (in->appendix[a])
            printf("    %s/BK-QTT-TNCN: %llu %s\n", where[a],
                   (unsigned long long)in->persons_by[a],
                   plural(in->persons_by[a], "person", "persons"));
    if (in->appendix[2])
        printf("    05-3/BK-QTT-TNCN: %llu %s, not read (dependants are not earners)\n",
               (unsigned long long)in->dependants,
               plural(in->dependants, "dependant", "dependants"));
    for (size_t i = 0; i < in->nign; i++) {
        const struct htkk_ignored *g = &in->ign[i];
        if (g->in_person)
            printf("  ignored: <%s> in a person of %s: %llu (first at line %u)\n", g->name,
                   where[g->appendix - 1], (unsigned long long)g->count, g->line);
        else if (g->appendix)
            printf("  ignored: <%s> in appendix %s, neither a person nor a total: %llu "
                   "(first at line %u)\n", g->name, where[g->appendix - 1],
                   (unsigned long long)g->count, g->line);
        else
            printf("  ignored: <%s>, an appendix sirecon does not read: %llu "
                   "(first at line %u)\n", g->name, (unsigned long long)g->count, g->line);
    }
    uint64_t listed = 0;
    for (size_t i = 0; i < in->nign; i++)
        listed += in->ign[i].count;
    if (in->ignored > listed)
        printf("  ignored: %llu more elements of other names\n",
               (unsigned long long)(in->ignored - listed));
    source_close(&src);
}

/* How a text table was read: delimiter, header, columns, rows. */
static void
print_table(const struct input_file *f, const struct header_map *map)
{
    printf("  delimiter: %s\n", f->delimiter == '\t' ? "tab" : f->delimiter == ',' ? "comma"
                               : f->delimiter == ';' ? "semicolon" : "pipe");
    if (f->header_first == f->header_last)
        printf("  header: line %d\n", f->header_first);
    else
        printf("  header: lines %d-%d\n", f->header_first, f->header_last);
    if (map->catalogued != NULL) {
        char name[128];
        const struct form_def *fd = map->catalogued;
        printf("  form: %s (official layout, mapped by its definition)\n",
               forms_name(fd, name, sizeof name));
        if (map->nform_missing > 0) {
            printf("    columns of the form missing here:");
            for (int k = 0; k < map->nform_missing && k < 16; k++) {
                const struct form_col *fc = &fd->cols[map->form_missing[k]];
                printf(" %s%s%s", fc->ind ? "[" : "", fc->ind ? fc->ind : fc->code,
                       fc->ind ? "]" : "");
            }
            printf("%s\n", map->nform_missing > 16 ? " ..." : "");
        }
        for (int k = 0; k < map->nform_added && k < 16; k++)
            printf("    column added to the form: column %d \"%s\"\n", map->form_added[k] + 1,
                   map->header_cells[map->form_added[k]]);
    } else if (map->form != NULL) {
        printf("  form: %s (named in the title; columns read by their labels)\n", map->form);
    }
    printf("  columns:\n");
    for (int fl = 0; fl < F_COUNT; fl++) {
        if (map->col[fl] < 0)
            continue;
        printf("    %-20s <- column %d \"%s\"%s\n", fields_name((field_id)fl),
               map->col[fl] + 1, map->label[fl] ? map->label[fl] : "",
               map->how[fl] == HOW_MEANING ? " (by meaning)"
               : map->how[fl] == HOW_CONTENT ? " (by content)" : "");
        if (map->alt[fl] >= 0)
            printf("    %-20s <- column %d \"%s\" (second column)\n",
                   fields_name((field_id)fl), map->alt[fl] + 1,
                   map->header_cells[map->alt[fl]]);
    }
    for (int fl = 0; fl < F_COUNT; fl++)
        if (map->title[fl] && map->col[fl] < 0)
            printf("    %-20s <- %s \"%s\"\n", fields_name((field_id)fl),
                   fl != F_EMPLOYER_TAX_ID ? "title block"
                   : map->emp_source == EMP_FROM_FILE_NAME ? "file name"
                   : map->emp_source == EMP_FROM_WORKBOOK ? "another sheet's title block"
                   : map->emp_source == EMP_FROM_OPTION ? "--default-employer"
                   : "title block",
                   fl == F_EMPLOYER_TAX_ID || fl == F_UNIT_CODE || fl == F_TAX_YEAR ||
                   fl == F_EMPLOYER_NAME ? map->title[fl] : "...");
    if (map->schedule)
        printf("  schedule: 05-%d\n", map->schedule);
    printf("  rows: %llu data, %llu loaded, %llu skipped (blank %llu, column numbers %llu, "
           "repeated header %llu, totals %llu, title or footer lines %llu), %llu rejected\n",
           (unsigned long long)f->read, (unsigned long long)f->loaded,
           (unsigned long long)f->skipped, (unsigned long long)f->skipped_by[1],
           (unsigned long long)f->skipped_by[2], (unsigned long long)f->skipped_by[3],
           (unsigned long long)f->skipped_by[4],
           (unsigned long long)f->skipped_by[SKIP_NOTE], (unsigned long long)f->rejected);
}

/* 0, -1 after --help, or an exit code. */
static int
parse(int argc, char **argv, struct copts *o)
{
    struct cli_inputs in;
    int c, rc;

    memset(o, 0, sizeof *o);
    cli_inputs_init(&in);
    optind = 1;
    while ((c = getopt_long(argc, argv, "qv", long_opts, NULL)) != -1) {
        switch (c) {
        case OPT_AS:
            if (fields_kind_from_name(optarg) == KIND_COUNT) {
                cli_msg("--as takes tax, si, employers or identities, not '%s'", optarg);
                return 64;
            }
            o->as = optarg;
            break;
        case CLI_OPT_HELP: usage(stdout); return -1;
        case CLI_OPT_ENCODING: case CLI_OPT_PROFILE: case CLI_OPT_MAX_REJECT:
        case CLI_OPT_DEFAULT_EMPLOYER: case 'q': case 'v':
            if ((rc = cli_inputs_option(&in, c, optarg)) != 0)
                return rc;
            break;
        default:
            fputs("Try 'sirecon check --help'.\n", stderr);
            return 64;
        }
    }
    o->encoding = in.encoding;
    o->profile = in.profile;
    o->max_reject = in.max_reject;
    memcpy(o->default_employer, in.default_employer, sizeof o->default_employer);
    if (optind >= argc) {
        cli_msg("check needs at least one FILE");
        return 64;
    }
    return 0;
}

int
cmd_check(int argc, char **argv)
{
    struct copts o;
    struct profile pf;
    int worst = 0, rc;
    char **files = NULL;
    size_t nfiles = 0, capf = 0;

    if ((rc = parse(argc, argv, &o)) != 0)
        return rc < 0 ? 0 : rc;
    for (int i = optind; i < argc; i++) {
        struct diag d = {0};
        sirecon_status st = source_expand(argv[i], &files, &nfiles, &capf, &d);
        if (st != SIRECON_OK) {
            cli_free_list(files, nfiles);
            return cli_report(st, &d);
        }
    }
    if ((rc = cli_profile(&pf, o.profile)) != 0) {
        cli_free_list(files, nfiles);
        return rc;
    }
    char lastbook[1024] = "";
    size_t nbook = 0;
    bool book_list = true;
    for (size_t i = 0; i < nfiles; i++) {
        struct dataset ds;
        struct header_map map;
        struct diag d = {0};
        file_kind kind = o.as ? fields_kind_from_name(o.as) : KIND_COUNT;

        dataset_init(&ds);
        memset(&map, 0, sizeof map);
        sirecon_status st = run_inspect_file(&ds, files[i], kind,
                                             o.encoding ? encoding_from_name(o.encoding)
                                                        : ENC_UNKNOWN,
                                             &pf, o.default_employer[0] ? o.default_employer
                                                                        : NULL,
                                             &map, &d);
        const struct input_file *f = &ds.files[0];
        printf("%s:\n", files[i]);
        char *book = NULL, *sheet = NULL;
        if (source_sheet_path(files[i], &book, &sheet)) {
            /* a workbook's sheets: one without a list (notes, lookups) is
             * skipped, as reconcile skips it; a workbook none of whose
             * sheets holds a list is not usable */
            if (nbook == 0 || strcmp(lastbook, book) != 0) {
                if (nbook > 0 && !book_list) {
                    fprintf(stderr, "sirecon: %s: no sheet of the workbook holds a list\n",
                            lastbook);
                    if (worst < 65)
                        worst = 65;
                }
                snprintf(lastbook, sizeof lastbook, "%s", book);
                nbook++;
                book_list = false;
            }
            bool skip = st == SIRECON_ERR_DATA && ds.nfiles > 0 && ds.files[0].no_table;
            book_list |= !skip;
            free(book);
            free(sheet);
            if (skip) {
                printf("  skipped: this sheet holds no list (notes, lookups, parameters)\n");
                dataset_free(&ds);
                continue;
            }
        }
        if (st != SIRECON_OK) {
            printf("  usable: no\n");
            fflush(stdout);
            int e = cli_report(st, &d);
            if (e > worst)
                worst = e;
            dataset_free(&ds);
            continue;
        }
        if (f->empty) {
            printf("  usable: no (empty file)\n");
            if (worst < 65)
                worst = 65;
            dataset_free(&ds);
            continue;
        }
        bool xml = strcmp(f->encoding, encoding_name(ENC_HTKK_XML)) == 0;
        printf("  kind: %s%s\n", fields_kind_name(f->kind), o.as ? " (forced)" : "");
        printf("  encoding: %s\n", f->encoding);
        if (xml) {
            print_htkk(files[i], o.encoding ? encoding_from_name(o.encoding) : ENC_UNKNOWN);
            printf("  persons: %llu read, %llu loaded, %llu skipped, %llu rejected\n",
                   (unsigned long long)f->read, (unsigned long long)f->loaded,
                   (unsigned long long)f->skipped, (unsigned long long)f->rejected);
        } else {
            print_table(f, &map);
        }
        for (size_t r = 0; r < ds.nrejects; r++) {
            size_t cnt = 0;
            bool seen = false;
            for (size_t q = 0; q < r && !seen; q++)
                seen = strcmp(ds.rejects[q].reason, ds.rejects[r].reason) == 0;
            if (seen)
                continue;
            for (size_t q = r; q < ds.nrejects; q++)
                cnt += strcmp(ds.rejects[q].reason, ds.rejects[r].reason) == 0;
            printf("    rejected %s: %zu (first at line %u)\n", ds.rejects[r].reason, cnt,
                   ds.rejects[r].line);
        }
        printf("  ids: %llu leading zeros restored, %llu corrupted, %llu bad check digits, "
               "%llu placeholders\n",
               (unsigned long long)f->id_restored, (unsigned long long)f->id_corrupted,
               (unsigned long long)f->id_check_digit, (unsigned long long)f->id_placeholder);
        if (f->changes[0] + f->changes[1] + f->changes[2] > 0)
            printf("  change report: %llu increase, %llu decrease, %llu adjustment rows "
                   "(from the %s)\n", (unsigned long long)f->changes[0],
                   (unsigned long long)f->changes[1], (unsigned long long)f->changes[2],
                   map.col[F_CHANGE_TYPE] >= 0 ? "change-type column" : "section rows");
        for (int fl = 0; fl < F_COUNT; fl++)
            if (map.refused[fl] >= 0)
                printf("  note: column %d \"%s\" was named like %s but its values are "
                       "not; not read as %s\n", map.refused[fl] + 1,
                       map.header_cells[map.refused[fl]], fields_name((field_id)fl),
                       fields_name((field_id)fl));
        for (int u = 0; u < f->nunread; u++)
            printf("  warning: column %d \"%s\" holds values that look like personal "
                   "identifiers but feeds no field; records that would be NOT_ENROLLED "
                   "go to REVIEW (UNREAD_ID_COLUMN)\n", f->unread_col[u] + 1,
                   f->unread_label[u]);
        /* SI rows that name their employer by a unit code only: reconcile
         * finds it in the registry (-e), which check is not given */
        uint64_t by_unit = 0;
        const char *unit = NULL;
        bool several = false;
        for (size_t k = 0; k < ds.nsi; k++) {
            const struct si_rec *s = &ds.si[k];
            char buf[IDS_MAX];
            unsigned fl = 0;
            if (s->emp != NULL || s->unit_code == NULL || s->unit_code[0] == '\0' ||
                (ids_employer(s->unit_code, strlen(s->unit_code), buf, &fl) &&
                 !(fl & IDF_TAX_CHECK_DIGIT)))
                continue; /* as load_resolve_units: a unit code that is a tax code */
            if (unit == NULL)
                unit = s->unit_code;
            several |= strcmp(unit, s->unit_code) != 0;
            by_unit++;
        }
        if (by_unit > 0)
            printf("  note: %llu %s name the employer only by SI unit code %s%s; reconcile "
                   "needs the employer registry (-e) for %s\n", (unsigned long long)by_unit,
                   plural(by_unit, "row", "rows"), unit,
                   several ? " and others" : "", plural(by_unit, "it", "them"));
        /* the rule reconcile applies (run.c), with the same cause */
        char why[512];
        bool usable = run_file_usable(&ds, 0, &map, NULL, o.max_reject, why, sizeof why);
        if (usable && f->read == 0) { /* a header alone: nothing to reconcile */
            usable = false;
            snprintf(why, sizeof why, "no data row loads");
        }
        printf("  usable: %s%s%s\n", usable ? "yes" : "no (", usable ? "" : why,
               usable ? "" : ")");
        if (!usable && worst < 65)
            worst = 65;
        header_map_free(&map);
        dataset_free(&ds);
    }
    if (nbook > 0 && !book_list) {
        fprintf(stderr, "sirecon: %s: no sheet of the workbook holds a list\n", lastbook);
        if (worst < 65)
            worst = 65;
    }
    cli_free_list(files, nfiles);
    profile_free(&pf);
    return worst;
}

