/*
 * header_aliases.c - the labels each kind's columns go by, verbatim: the
 * alias tables and their folded, sorted set.
 *
 * Decides: which field a label names by its exact (folded) wording, for a
 * kind, with the profile's extra labels.  Never decides: what a label means
 * when no alias names it (labels.c), which column feeds a field (header.c),
 * an official form's columns (forms.c).  The title block's labels are in
 * header_title.c.
 *
 * The alias tables are static data; each call folds them into its own
 * sorted array (hdr_aset_build), so loader threads may call this
 * concurrently.
 */
#include <stdlib.h>
#include <string.h>
#include "sirecon/labels.h"
#include "header_int.h"

/* Labels every kind shares for the person's name and birth date. */
#define NAME_ALIASES                                                          \
    {F_FULL_NAME, "Họ và tên"}, {F_FULL_NAME, "Họ tên"},                      \
    {F_FULL_NAME, "Họ và tên người lao động"}, {F_FULL_NAME, "Họ tên NLĐ"},   \
    {F_FULL_NAME, "Họ và tên NLĐ"}, {F_FULL_NAME, "Tên NLĐ"},                 \
    {F_FULL_NAME, "Tên người lao động"}, {F_FULL_NAME, "Họ và tên cá nhân"},  \
    {F_FULL_NAME, "Tên cá nhân"}, {F_FULL_NAME, "Họ tên nhân viên"},          \
    {F_FULL_NAME, "Tên nhân viên"}, {F_FULL_NAME, "Họ và tên người tham gia"},\
    {F_FULL_NAME, "Name"}, {F_FULL_NAME, "Full name"},                        \
    {F_BIRTH_DATE, "Ngày sinh"}, {F_BIRTH_DATE, "Ngày tháng năm sinh"},       \
    {F_BIRTH_DATE, "Năm sinh"}, {F_BIRTH_DATE, "Date of birth"},              \
    {F_BIRTH_DATE, "DOB"},                                                    \
    {IGN, "STT"}, {IGN, "Số thứ tự"}, {IGN, "TT"}, {IGN, "No"}

/* Tax: 05-1 / 05-2/BK-QTT-TNCN of Circular 80/2021 and 92/2015, and
 * consolidated exports.  A "Mã số thuế" column is the person's. */
static const struct alias tax_aliases[] = {
    NAME_ALIASES,
    {IGN, "Loại giấy tờ"}, {IGN, "Ghi chú"},
    {F_EMPLOYEE_TAX_ID | WEAK, "Mã số thuế"}, {F_EMPLOYEE_TAX_ID | WEAK, "MST"},
    {F_EMPLOYEE_TAX_ID, "MST cá nhân"}, {F_EMPLOYEE_TAX_ID, "Mã số thuế cá nhân"},
    {F_EMPLOYEE_TAX_ID, "Mã số thuế của cá nhân"}, {F_EMPLOYEE_TAX_ID, "MSTCN"},
    {F_EMPLOYEE_TAX_ID, "MST NLĐ"}, {F_EMPLOYEE_TAX_ID, "Mã số thuế người lao động"},
    {F_EMPLOYEE_TAX_ID, "Mã số thuế TNCN"}, {F_EMPLOYEE_TAX_ID, "MST TNCN"},
    {F_EMPLOYEE_TAX_ID, "Tax code"}, {F_EMPLOYEE_TAX_ID, "Personal tax code"},
    {F_ID_NUMBER, "Số CMND/CCCD/Hộ chiếu"}, {F_ID_NUMBER, "Số CCCD/CMND/Hộ chiếu"},
    {F_ID_NUMBER, "Số CMND/Hộ chiếu"}, {F_ID_NUMBER, "Số CCCD/Hộ chiếu"},
    {F_ID_NUMBER, "Số CMND/CCCD"}, {F_ID_NUMBER, "Số CCCD/CMND"},
    {F_ID_NUMBER, "CMND/CCCD"}, {F_ID_NUMBER, "CCCD/CMND"},
    {F_ID_NUMBER, "Số CCCD"}, {F_ID_NUMBER, "CCCD"}, {F_ID_NUMBER, "Số CMND"},
    {F_ID_NUMBER, "CMND"}, {F_ID_NUMBER, "Số định danh cá nhân"},
    {F_ID_NUMBER, "Số định danh"}, {F_ID_NUMBER, "Số CMND/CCCD/Hộ chiếu/Số định danh"},
    {F_ID_NUMBER, "Số giấy tờ"}, {F_ID_NUMBER, "Số giấy tờ tùy thân"},
    {F_ID_NUMBER, "Số hộ chiếu"},
    {F_TAXABLE_INCOME, "Tổng thu nhập chịu thuế"},
    {F_TAXABLE_INCOME, "Thu nhập chịu thuế Tổng số"},
    {F_TAXABLE_INCOME, "Thu nhập chịu thuế"},
    {F_TAXABLE_INCOME, "Tổng thu nhập chịu thuế (TNCT)"},
    {F_TAXABLE_INCOME, "Tổng TNCT"}, {F_TAXABLE_INCOME, "TNCT"},
    {F_TAXABLE_INCOME, "Tổng thu nhập chịu thuế trả cho cá nhân"},
    {F_TAXABLE_INCOME, "Taxable income"},
    {F_INSURANCE_DEDUCTION, "Bảo hiểm được trừ"},
    {F_INSURANCE_DEDUCTION, "Các khoản bảo hiểm được trừ"},
    {F_INSURANCE_DEDUCTION, "Bảo hiểm bắt buộc được trừ"},
    {F_INSURANCE_DEDUCTION, "Các khoản bảo hiểm bắt buộc được trừ"},
    {F_INSURANCE_DEDUCTION, "BH được trừ"}, {F_INSURANCE_DEDUCTION, "BHXH được trừ"},
    {F_INSURANCE_DEDUCTION, "BHXH, BHYT, BHTN được trừ"},
    {F_INSURANCE_DEDUCTION, "Bảo hiểm bắt buộc"},
    {F_INSURANCE_DEDUCTION, "Insurance deduction"},
    {F_TAX_WITHHELD, "Số thuế TNCN đã khấu trừ"}, {F_TAX_WITHHELD, "Số thuế đã khấu trừ"},
    {F_TAX_WITHHELD, "Thuế TNCN đã khấu trừ"}, {F_TAX_WITHHELD, "Thuế đã khấu trừ"},
    {F_TAX_WITHHELD, "Số thuế TNCN đã khấu trừ, tạm nộp"},
    {F_TAX_WITHHELD, "Tax withheld"},
    {F_NON_RESIDENT, "Cá nhân không cư trú"}, {F_NON_RESIDENT, "Không cư trú"},
    {F_NON_RESIDENT, "Non resident"},
    {F_INCOME_MONTHS, "Số tháng"}, {F_INCOME_MONTHS, "Số tháng có thu nhập"},
    {F_INCOME_MONTHS, "Số tháng làm việc"}, {F_INCOME_MONTHS, "Income months"},
    {F_TAX_YEAR, "Năm quyết toán"}, {F_TAX_YEAR, "Năm"}, {F_TAX_YEAR, "Kỳ tính thuế"},
    {F_TAX_YEAR, "Năm tính thuế"}, {F_TAX_YEAR, "Year"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế đơn vị"}, {F_EMPLOYER_TAX_ID, "MST đơn vị"},
    {F_EMPLOYER_TAX_ID, "MST doanh nghiệp"}, {F_EMPLOYER_TAX_ID, "Mã số thuế doanh nghiệp"},
    {F_EMPLOYER_TAX_ID, "MST DN"}, {F_EMPLOYER_TAX_ID, "Mã số thuế tổ chức trả thu nhập"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế của tổ chức trả thu nhập"},
    {F_EMPLOYER_TAX_ID, "MST tổ chức trả thu nhập"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế tổ chức"}, {F_EMPLOYER_TAX_ID, "MST tổ chức"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế người nộp thuế"}, {F_EMPLOYER_TAX_ID, "MST người nộp thuế"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế công ty"}, {F_EMPLOYER_TAX_ID, "MST công ty"},
    {F_EMPLOYER_TAX_ID, "Employer tax code"},
    {F_EMPLOYER_NAME, "Tên đơn vị"}, {F_EMPLOYER_NAME, "Tên doanh nghiệp"},
    {F_EMPLOYER_NAME, "Tên tổ chức trả thu nhập"}, {F_EMPLOYER_NAME, "Tên người nộp thuế"},
    {F_EMPLOYER_NAME, "Tên tổ chức"}, {F_EMPLOYER_NAME, "Tên công ty"},
    {F_EMPLOYER_NAME, "Tên DN"}, {F_EMPLOYER_NAME, "Đơn vị"},
    {F_EMPLOYER_NAME, "Doanh nghiệp"}, {F_EMPLOYER_NAME, "Employer"},
    {F_SCHEDULE, "Mẫu"}, {F_SCHEDULE, "Mẫu số"}, {F_SCHEDULE, "Mẫu biểu"},
    {F_SCHEDULE, "Phụ lục"}, {F_SCHEDULE, "Bảng kê"}, {F_SCHEDULE, "Loại bảng kê"},
};

/* SI: D02-LT (Decision 595 and its amendments) and the SI software export.
 * A "Mã số thuế" column is the employer's. */
static const struct alias si_aliases[] = {
    NAME_ALIASES,
    {IGN, "Giới tính"}, {IGN, "Ghi chú"},
    {F_SI_NUMBER, "Mã số BHXH"}, {F_SI_NUMBER, "Mã BHXH"}, {F_SI_NUMBER, "MS BHXH"},
    {F_SI_NUMBER, "Số sổ BHXH"}, {F_SI_NUMBER, "Số BHXH"}, {F_SI_NUMBER, "BHXH"},
    {F_SI_NUMBER, "Số sổ"}, {F_SI_NUMBER, "Mã số bảo hiểm xã hội"},
    {F_SI_NUMBER, "Mã số BHXH/Số định danh"}, {F_SI_NUMBER, "SI number"},
    {F_ID_NUMBER, "Số CCCD/CMND/Hộ chiếu"}, {F_ID_NUMBER, "Số CMND/CCCD/Hộ chiếu"},
    {F_ID_NUMBER, "Số CMND/Hộ chiếu"}, {F_ID_NUMBER, "Số CCCD/Hộ chiếu"},
    {F_ID_NUMBER, "Số CCCD/CMND"}, {F_ID_NUMBER, "Số CMND/CCCD"},
    {F_ID_NUMBER, "CCCD/CMND"}, {F_ID_NUMBER, "CMND/CCCD"},
    {F_ID_NUMBER, "Số CCCD"}, {F_ID_NUMBER, "CCCD"}, {F_ID_NUMBER, "Số CMND"},
    {F_ID_NUMBER, "CMND"}, {F_ID_NUMBER, "Số định danh cá nhân"},
    {F_ID_NUMBER, "Số định danh"}, {F_ID_NUMBER, "Số giấy tờ tùy thân"},
    {F_SALARY, "Hệ số/Mức lương"}, {F_SALARY, "Mức lương"}, {F_SALARY, "Tiền lương"},
    {F_SALARY, "Lương đóng BHXH"}, {F_SALARY, "Mức lương đóng"},
    {F_SALARY, "Mức lương đóng BHXH"}, {F_SALARY, "Tiền lương đóng BHXH"},
    {F_SALARY, "Tiền lương tháng đóng BHXH"}, {F_SALARY, "Lương"},
    {F_SALARY, "Hệ số lương/Mức lương"}, {F_SALARY, "Salary"},
    {F_FROM_MONTH, "Thời điểm bắt đầu đóng"}, {F_FROM_MONTH, "Thời điểm bắt đầu đóng BHXH"},
    {F_FROM_MONTH, "Thời điểm đơn vị bắt đầu đóng BHXH"},
    {F_FROM_MONTH, "Thời điểm bắt đầu"}, {F_FROM_MONTH, "Từ tháng"},
    {F_FROM_MONTH, "Từ tháng năm"}, {F_FROM_MONTH, "Tháng năm bắt đầu"},
    {F_FROM_MONTH, "Tháng bắt đầu"}, {F_FROM_MONTH, "From month"},
    {F_TO_MONTH, "Thời điểm kết thúc đóng"}, {F_TO_MONTH, "Thời điểm kết thúc đóng BHXH"},
    {F_TO_MONTH, "Thời điểm đơn vị kết thúc đóng BHXH"},
    {F_TO_MONTH, "Thời điểm kết thúc"}, {F_TO_MONTH, "Đến tháng"},
    {F_TO_MONTH, "Đến tháng năm"}, {F_TO_MONTH, "Tháng năm kết thúc"},
    {F_TO_MONTH, "Tháng kết thúc"}, {F_TO_MONTH, "To month"},
    {F_PLAN_CODE, "Phương án"}, {F_PLAN_CODE, "Mã phương án"}, {F_PLAN_CODE, "PA"},
    {F_PLAN_CODE, "Phương án đóng"}, {F_PLAN_CODE, "Plan"},
    {F_CHANGE_TYPE, "Phân loại"}, {F_CHANGE_TYPE, "Tăng/Giảm"},
    {F_CHANGE_TYPE, "Loại biến động"}, {F_CHANGE_TYPE, "Tăng/Giảm/Điều chỉnh"},
    {F_CHANGE_TYPE, "Phân loại (Tăng/Giảm/Điều chỉnh)"},
    {F_UNIT_CODE, "Mã đơn vị"}, {F_UNIT_CODE, "Mã ĐV"}, {F_UNIT_CODE, "Mã đơn vị BHXH"},
    {F_UNIT_CODE, "Unit code"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế"}, {F_EMPLOYER_TAX_ID, "MST"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế đơn vị"}, {F_EMPLOYER_TAX_ID, "MST đơn vị"},
    {F_EMPLOYER_TAX_ID, "MST doanh nghiệp"}, {F_EMPLOYER_TAX_ID, "Mã số thuế doanh nghiệp"},
    {F_EMPLOYER_TAX_ID, "MST DN"}, {F_EMPLOYER_TAX_ID, "Employer tax code"},
    {F_EMPLOYER_NAME, "Tên đơn vị"}, {F_EMPLOYER_NAME, "Tên doanh nghiệp"},
    {F_EMPLOYER_NAME, "Tên công ty"}, {F_EMPLOYER_NAME, "Tên DN"},
    {F_EMPLOYER_NAME, "Đơn vị"}, {F_EMPLOYER_NAME, "Employer"},
};

/* Employer registry. */
static const struct alias employer_aliases[] = {
    {IGN, "STT"}, {IGN, "Số thứ tự"}, {IGN, "TT"}, {IGN, "Ghi chú"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế"}, {F_EMPLOYER_TAX_ID, "MST"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế đơn vị"}, {F_EMPLOYER_TAX_ID, "MST đơn vị"},
    {F_EMPLOYER_TAX_ID, "MST doanh nghiệp"}, {F_EMPLOYER_TAX_ID, "Mã số thuế doanh nghiệp"},
    {F_EMPLOYER_TAX_ID, "Mã số doanh nghiệp"}, {F_EMPLOYER_TAX_ID, "Mã số DN"},
    {F_EMPLOYER_TAX_ID, "MST DN"}, {F_EMPLOYER_TAX_ID, "Tax code"},
    {F_EMPLOYER_NAME, "Tên đơn vị"}, {F_EMPLOYER_NAME, "Tên doanh nghiệp"},
    {F_EMPLOYER_NAME, "Tên công ty"}, {F_EMPLOYER_NAME, "Tên người nộp thuế"},
    {F_EMPLOYER_NAME, "Tên tổ chức"}, {F_EMPLOYER_NAME, "Tên DN"},
    {F_EMPLOYER_NAME, "Đơn vị"}, {F_EMPLOYER_NAME, "Tên"}, {F_EMPLOYER_NAME, "Name"},
    {F_UNIT_CODE, "Mã đơn vị"}, {F_UNIT_CODE, "Mã ĐV"}, {F_UNIT_CODE, "Mã đơn vị BHXH"},
    {F_AREA, "Địa bàn"}, {F_AREA, "Địa bàn quản lý"}, {F_AREA, "Xã/Phường"},
    {F_AREA, "Phường/Xã"}, {F_AREA, "Xã"}, {F_AREA, "Phường"}, {F_AREA, "Huyện"},
    {F_AREA, "Quận/Huyện"}, {F_AREA, "Huyện/Thành phố"}, {F_AREA, "Khu vực"},
    {F_AREA, "Area"},
    {F_WAGE_REGION, "Vùng"}, {F_WAGE_REGION, "Vùng lương tối thiểu"},
    {F_WAGE_REGION, "Vùng lương"}, {F_WAGE_REGION, "Vùng LTT"},
    {F_WAGE_REGION, "Region"},
    {F_ADDRESS, "Địa chỉ"}, {F_ADDRESS, "Địa chỉ trụ sở"},
    {F_ADDRESS, "Địa chỉ doanh nghiệp"}, {F_ADDRESS, "Address"},
};

/* Identities crosswalk: a "Mã số thuế" column is the person's. */
static const struct alias identity_aliases[] = {
    NAME_ALIASES,
    {F_ID_NUMBER, "Số CCCD"}, {F_ID_NUMBER, "CCCD"}, {F_ID_NUMBER, "Số định danh cá nhân"},
    {F_ID_NUMBER, "Số định danh"}, {F_ID_NUMBER, "Căn cước công dân"},
    {F_ID_NUMBER, "Số căn cước công dân"}, {F_ID_NUMBER, "Số căn cước"},
    {F_ID_NUMBER, "Personal ID"},
    {F_EMPLOYEE_TAX_ID, "Mã số thuế"}, {F_EMPLOYEE_TAX_ID, "MST"},
    {F_EMPLOYEE_TAX_ID, "MST cá nhân"}, {F_EMPLOYEE_TAX_ID, "Mã số thuế cá nhân"},
    {F_EMPLOYEE_TAX_ID, "MSTCN"}, {F_EMPLOYEE_TAX_ID, "MST NLĐ"},
    {F_EMPLOYEE_TAX_ID, "Tax code"},
    {F_CMND, "Số CMND"}, {F_CMND, "CMND"}, {F_CMND, "Chứng minh nhân dân"},
    {F_CMND, "Số chứng minh nhân dân"}, {F_CMND, "CMT"}, {F_CMND, "Số CMT"},
    {F_SI_NUMBER, "Mã số BHXH"}, {F_SI_NUMBER, "Mã BHXH"}, {F_SI_NUMBER, "MS BHXH"},
    {F_SI_NUMBER, "Số sổ BHXH"}, {F_SI_NUMBER, "Số BHXH"}, {F_SI_NUMBER, "BHXH"},
    {F_SI_NUMBER, "Mã số bảo hiểm xã hội"},
};

static const struct {
    const struct alias *a;
    size_t n;
} kind_aliases[KIND_COUNT] = {
    [KIND_TAX] = {tax_aliases, NELEM(tax_aliases)},
    [KIND_SI] = {si_aliases, NELEM(si_aliases)},
    [KIND_EMPLOYERS] = {employer_aliases, NELEM(employer_aliases)},
    [KIND_IDENTITIES] = {identity_aliases, NELEM(identity_aliases)},
};

/* ---- the folded set ----------------------------------------------------- */

static void
aset_add(struct aset *as, const char *label, int field, int prio, int weak)
{
    char f[FOLD_MAX];
    size_t n = header_fold(label, strlen(label), f, sizeof f);

    if (n == 0)
        return;
    as->k = xgrow(as->k, &as->cap, as->n + 1, sizeof *as->k);
    as->k[as->n].fold = xstrdup(f);
    as->k[as->n].field = field;
    as->k[as->n].prio = prio;
    as->k[as->n].weak = weak;
    as->n++;
}

static int
akey_cmp(const void *a, const void *b)
{
    const struct akey *x = a, *y = b;
    int c = strcmp(x->fold, y->fold);

    if (c)
        return c;
    if (x->prio != y->prio)
        return x->prio - y->prio;
    return x->field - y->field;
}

void
hdr_aset_build(struct aset *as, file_kind kind, const struct alias_extra *extra,
               size_t nextra)
{
    memset(as, 0, sizeof *as);
    for (int f = 0; f < F_COUNT; f++)
        if (fields_in_kind(kind, (field_id)f))
            aset_add(as, fields_name((field_id)f), f, 1, 0);
    for (size_t i = 0; i < kind_aliases[kind].n; i++)
        aset_add(as, kind_aliases[kind].a[i].label, kind_aliases[kind].a[i].field & ~WEAK,
                 1, (kind_aliases[kind].a[i].field & WEAK) != 0);
    for (size_t i = 0; i < nextra; i++)
        if (extra[i].kind == kind && extra[i].label != NULL &&
            fields_in_kind(kind, extra[i].field))
            aset_add(as, extra[i].label, extra[i].field, 0, 0);
    if (as->n)
        qsort(as->k, as->n, sizeof *as->k, akey_cmp);
}

void
hdr_aset_free(struct aset *as)
{
    for (size_t i = 0; i < as->n; i++)
        free(as->k[i].fold);
    free(as->k);
    memset(as, 0, sizeof *as);
}

/* The alias of a folded label, NULL for none. */
const struct akey *
hdr_aset_key(const struct aset *as, const char *fold)
{
    size_t lo = 0, hi = as->n;

    if (fold[0] == '\0')
        return NULL;
    while (lo < hi) { /* first key >= fold */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(as->k[mid].fold, fold) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < as->n && strcmp(as->k[lo].fold, fold) == 0)
        return &as->k[lo];
    return NULL;
}

#ifdef TESTING
/* Field of a label for a kind as a header cell alone would be read: the
 * built-in alias table, else by meaning (labels.c); -1 none, F_COUNT
 * ignored.  For the tests (and the label corpus). */
STATIC int
header_alias_lookup(file_kind kind, const char *label)
{
    struct aset as;
    const struct akey *k;
    char f[FOLD_MAX];
    int r;

    if ((unsigned)kind >= KIND_COUNT)
        return -1;
    hdr_aset_build(&as, kind, NULL, 0);
    header_fold(label, strlen(label), f, sizeof f);
    k = hdr_aset_key(&as, f);
    if (k == NULL && hdr_fold_short(label, strlen(label), f, sizeof f) > 0) {
        int m = labels_classify(kind, label, strlen(label), NULL);
        k = hdr_aset_key(&as, f);
        if (k != NULL && k->field != IGN && m >= 0 && m != LABELS_OTHER && m != k->field)
            k = NULL; /* as form_key: the suffix says otherwise */
    }
    r = k ? k->field : -1;
    hdr_aset_free(&as);
    if (k == NULL) { /* what a header cell alone is read as: by meaning */
        r = labels_classify(kind, label, strlen(label), NULL);
        if (r == LABELS_OTHER)
            r = F_COUNT;
    }
    return r;
}

/* Number of folded labels of a kind's table that map to two fields. */
STATIC int
header_alias_conflicts(file_kind kind)
{
    struct aset as;
    int bad = 0;

    hdr_aset_build(&as, kind, NULL, 0);
    for (size_t i = 1; i < as.n; i++)
        if (strcmp(as.k[i].fold, as.k[i - 1].fold) == 0 &&
            as.k[i].field != as.k[i - 1].field)
            bad++;
    hdr_aset_free(&as);
    return bad;
}
#endif
