/*
 * header.c - find the table inside a form export (docs/inputs.md, "Finding the table").
 *
 * Every row of the first HEADER_SCAN_ROWS, alone or merged with the one or
 * two rows under it, is a candidate header.  Merging carries a merged
 * parent's label right over the blank cells under which a child label sits;
 * a column then matches a field when one of its label forms ("parent child",
 * "child", and as a fallback the parent alone at the parent's own column)
 * folds (names_fold_label, column-number markers stripped) to an alias of the
 * kind, exactly.  Two columns for one field: the first keeps it, unless it
 * matched through a generic label (WEAK) and a later one is specific.  The
 * candidate with the most distinct fields that holds the required ones wins;
 * ties go to the smaller span, then the earlier row; a row under it that only
 * refines merged groups joins it.  A label with a short bracketed suffix
 * ("Thu nhập chịu thuế (TNCT)", "Mức lương (VNĐ)") that matches nothing is
 * tried again without it.  Rows holding 6+ digits in a row (IDs,
 * amounts, title values) are never header rows.  Rows above the header are
 * the title block, scanned for "label: value" pairs, form codes and the
 * title naming a schedule; header_title_row scans one later row the same
 * way.  The alias tables are static data; each call folds them into its own
 * sorted array, and the title labels are folded once (pthread_once) and only
 * read after, so loader threads may call this concurrently.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "sirecon/header.h"
#include "sirecon/forms.h"
#include "sirecon/values.h"
#include "sirecon/names.h"
#include "sirecon/labels.h"
#include "sirecon/ids.h"
#include <utf8proc.h>

#define IGN F_COUNT /* alias of a column that is no field: "STT", "Loại giấy tờ" */
#define FOLD_MAX 512 /* folded label buffer; longer labels are cut (both sides) */
#define DIAG_CELLS 300 /* bytes of header cells quoted in a diagnostic */
#define TITLE_LABEL_MAX 120 /* bytes: the longest title label looked for */
#define TITLE_ROW_WIDE 4 /* cells of 2+ characters in a title line, at most */
#define HEADER_MAX_UNLABELLED 4 /* data columns right of the last label, at most */
#define SUFFIX_MAX 12 /* characters in a "(TNCT)" / "(VNĐ)" suffix stripped from labels */

struct alias {
    int field; /* field_id or IGN, | WEAK */
    const char *label;
};

/* A generic label: a more specific label of the same field elsewhere in the
 * header takes the field from it (see eval_block). */
#define WEAK 0x100

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

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const struct alias *a;
    size_t n;
} kind_aliases[KIND_COUNT] = {
    [KIND_TAX] = {tax_aliases, NELEM(tax_aliases)},
    [KIND_SI] = {si_aliases, NELEM(si_aliases)},
    [KIND_EMPLOYERS] = {employer_aliases, NELEM(employer_aliases)},
    [KIND_IDENTITIES] = {identity_aliases, NELEM(identity_aliases)},
};

/* Labels of the title block.  Whatever the kind, a tax code in the title
 * block is the employer's (the payer's, [05] on the tax forms). */
static const struct alias title_labels[] = {
    {F_EMPLOYER_TAX_ID, "Mã số thuế"}, {F_EMPLOYER_TAX_ID, "MST"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế đơn vị"}, {F_EMPLOYER_TAX_ID, "MST đơn vị"},
    {F_EMPLOYER_TAX_ID, "MST doanh nghiệp"}, {F_EMPLOYER_TAX_ID, "Mã số thuế doanh nghiệp"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế tổ chức trả thu nhập"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế của tổ chức trả thu nhập"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế người nộp thuế"},
    {F_EMPLOYER_TAX_ID, "Mã số thuế của người nộp thuế"},
    {F_EMPLOYER_TAX_ID, "Mã số doanh nghiệp"},
    {F_EMPLOYER_NAME, "Tên người nộp thuế"}, {F_EMPLOYER_NAME, "Tên đơn vị"},
    {F_EMPLOYER_NAME, "Tên doanh nghiệp"}, {F_EMPLOYER_NAME, "Tên tổ chức trả thu nhập"},
    {F_EMPLOYER_NAME, "Tên tổ chức, cá nhân trả thu nhập"},
    {F_EMPLOYER_NAME, "Tên tổ chức"}, {F_EMPLOYER_NAME, "Tên công ty"},
    {F_EMPLOYER_NAME, "Tên cơ quan, đơn vị"}, {F_EMPLOYER_NAME, "Đơn vị"},
    {F_UNIT_CODE, "Mã đơn vị"}, {F_UNIT_CODE, "Mã ĐV"}, {F_UNIT_CODE, "Mã đơn vị BHXH"},
    {F_TAX_YEAR, "Kỳ tính thuế"}, {F_TAX_YEAR, "Năm quyết toán"},
    {F_TAX_YEAR, "Năm tính thuế"}, {F_TAX_YEAR, "Năm"},
};

/* A required group: at least `min` of the fields (a -1 ends the list). */
struct req {
    int min;
    int f[5];
};

static const struct req tax_req[] = {
    {1, {F_FULL_NAME, -1}},
    {1, {F_TAXABLE_INCOME, -1}},
    {1, {F_EMPLOYEE_TAX_ID, F_ID_NUMBER, F_SI_NUMBER, -1}},
};
static const struct req si_req[] = {
    {1, {F_FULL_NAME, -1}},
    {1, {F_SI_NUMBER, F_ID_NUMBER, F_EMPLOYEE_TAX_ID, -1}},
    {1, {F_FROM_MONTH, -1}},
};
static const struct req employer_req[] = {
    {1, {F_EMPLOYER_TAX_ID, -1}},
};
static const struct req identity_req[] = {
    {2, {F_ID_NUMBER, F_EMPLOYEE_TAX_ID, F_CMND, F_SI_NUMBER, -1}},
};

static const struct {
    const struct req *r;
    size_t n;
} kind_req[KIND_COUNT] = {
    [KIND_TAX] = {tax_req, NELEM(tax_req)},
    [KIND_SI] = {si_req, NELEM(si_req)},
    [KIND_EMPLOYERS] = {employer_req, NELEM(employer_req)},
    [KIND_IDENTITIES] = {identity_req, NELEM(identity_req)},
};

/* The Vietnamese label named next to a missing field in a message. */
static const char *
vi_label(file_kind kind, int f)
{
    switch (f) {
    case F_FULL_NAME: return "Họ và tên";
    case F_EMPLOYEE_TAX_ID: return "Mã số thuế";
    case F_ID_NUMBER:
        return kind == KIND_IDENTITIES ? "Số CCCD" : "Số CMND/CCCD/Hộ chiếu";
    case F_TAXABLE_INCOME: return "Tổng thu nhập chịu thuế";
    case F_SI_NUMBER: return "Mã số BHXH";
    case F_FROM_MONTH: return "Từ tháng";
    case F_EMPLOYER_TAX_ID: return "Mã số thuế";
    case F_CMND: return "Số CMND";
    default: return "";
    }
}

/* ---- cells -------------------------------------------------------------- */

static int
is_space_at(const char *s, size_t n, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f')
        return 1;
    if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
        return 2; /* no-break space, common in Excel exports */
    return 0;
}


/* A column-number body: "06", "15.1", "1a", "1.", or a single letter "A". */
static bool
colnum_body(const char *s, size_t n)
{
    size_t i = 0;

    if (n == 1 && isalpha((unsigned char)s[0]))
        return true;
    if (n == 0 || n > 8 || !isdigit((unsigned char)s[0]))
        return false;
    while (i < n) {
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i < n && s[i] == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1])) {
            i++;
            continue;
        }
        break;
    }
    if (i < n && isalpha((unsigned char)s[i]))
        i++;
    if (i + 1 == n && (s[i] == '.' || s[i] == ')')) /* "1." "2)" */
        i++;
    return i == n;
}

/* Whether a cell looks like a column number: "[06]", "(1)", "1", "[15.1]",
 * "(1a)", "A". */
STATIC bool
header_is_colnum_cell(const char *s, size_t n)
{
    values_trim(&s, &n);
    if (n >= 3 && ((s[0] == '[' && s[n - 1] == ']') || (s[0] == '(' && s[n - 1] == ')'))) {
        s++;
        n -= 2;
        values_trim(&s, &n);
    }
    return colnum_body(s, n);
}

/* A marker body inside brackets: a column number, optionally dotted. */
static bool
marker_body(const char *s, size_t n)
{
    const char *p = s;
    size_t m = n;

    values_trim(&p, &m);
    return colnum_body(p, m);
}

/* A unit in parentheses after a label: "(đồng)", "(VNĐ)", "(đ)". */
static bool
unit_body(const char *s, size_t n)
{
    char f[32];
    size_t k = names_fold_label(s, n, f, sizeof f);

    return k > 0 && (strcmp(f, "dong") == 0 || strcmp(f, "vnd") == 0 ||
                     strcmp(f, "d") == 0);
}

/*
 * Strip a leading column-number marker ("[07] ", "(2) ", "7. ", "7.", "15.1) ")
 * and a trailing one or a money unit ("Họ và tên (2)", "Mức lương (đồng)")
 * from a trimmed label.  A cell that is nothing but a marker becomes empty.
 */
STATIC void
header_strip_marker(const char **sp, size_t *np)
{
    const char *s = *sp;
    size_t n = *np;

    values_trim(&s, &n);
    if (n >= 3 && (s[0] == '[' || s[0] == '(')) {
        char close = s[0] == '[' ? ']' : ')';
        for (size_t j = 1; j < n && j <= 10; j++) {
            if (s[j] == close) {
                if (marker_body(s + 1, j - 1)) {
                    s += j + 1;
                    n -= j + 1;
                    while (n > 0 && (s[0] == '.' || s[0] == ':' || s[0] == '-' ||
                                     is_space_at(s, n, 0))) {
                        int k = is_space_at(s, n, 0);
                        s += k ? k : 1;
                        n -= k ? (size_t)k : 1;
                    }
                }
                break;
            }
        }
    } else if (n >= 2 && isdigit((unsigned char)s[0])) {
        size_t i = 0;
        while (i < n && i < 8 && (isdigit((unsigned char)s[i]) ||
                                  (s[i] == '.' && i + 1 < n && isdigit((unsigned char)s[i + 1]))))
            i++;
        if (i < n && (s[i] == '.' || s[i] == ')') &&
            (i + 1 == n || !isdigit((unsigned char)s[i + 1]))) {
            s += i + 1;
            n -= i + 1;
            values_trim(&s, &n);
        }
    }
    if (n >= 3 && (s[n - 1] == ']' || s[n - 1] == ')')) {
        char open = s[n - 1] == ']' ? '[' : '(';
        for (size_t j = n - 1; j-- > 0 && n - j <= 16;) {
            if (s[j] == open) {
                if (j > 0 && (marker_body(s + j + 1, n - j - 2) ||
                              unit_body(s + j + 1, n - j - 2))) {
                    n = j;
                    values_trim(&s, &n);
                }
                break;
            }
        }
    }
    *sp = s;
    *np = n;
}

/*
 * Strip a short bracketed suffix after a label: an abbreviation, unit or
 * column number ("Thu nhập chịu thuế (TNCT)", "Mức lương (VNĐ)", "Số tiền
 * (nghìn đồng)").  The suffix holds 1..SUFFIX_MAX characters, no bracket of
 * its own, and a label stands before it (a cell that is only "(TNCT)" stays).
 * The result is trimmed either way.
 * Wider than header_strip_marker, which title values also use: alias
 * matching tries the full label first and this one only when that fails, so
 * "Mã số thuế (đơn vị)" keeps matching the longer alias.
 */
STATIC void
header_strip_suffix(const char **sp, size_t *np)
{
    const char *s = *sp;
    size_t n = *np, chars = 0, body = 0;

    values_trim(&s, &n);
    *sp = s;
    *np = n;
    if (n < 3 || (s[n - 1] != ')' && s[n - 1] != ']'))
        return;
    char open = s[n - 1] == ']' ? '[' : '(';
    for (size_t j = n - 1; j-- > 0;) {
        unsigned char b = (unsigned char)s[j];
        if (b == (unsigned char)open) {
            const char *p = s;
            size_t k = j;
            values_trim(&p, &k);
            if (body == 0 || k == 0)
                return;
            *sp = p;
            *np = k;
            return;
        }
        if (b == '(' || b == ')' || b == '[' || b == ']')
            return;
        if ((b & 0xC0) != 0x80 && ++chars > SUFFIX_MAX)
            return;
        if (!is_space_at(s, n, j) && b != 0xA0)
            body++;
    }
}

/* The fold of a label without its short suffix (header_strip_suffix) into
 * out; 0 when there is no such suffix or nothing would be left. */
static size_t
header_fold_short(const char *s, size_t n, char *out, size_t outsz)
{
    const char *p = s;
    size_t k = n;

    if (s == NULL)
        return 0;
    header_strip_marker(&p, &k);
    if (k < 3 || (p[k - 1] != ')' && p[k - 1] != ']'))
        return 0;
    size_t before = k;
    header_strip_suffix(&p, &k);
    if (k == before)
        return 0;
    header_strip_marker(&p, &k); /* "Số tiền [15] (đồng)" */
    if (k == 0)
        return 0;
    return names_fold_label(p, k, out, outsz);
}

/* Fold a header cell for comparison: trim, strip markers, names_fold_label. */
STATIC size_t
header_fold(const char *s, size_t n, char *out, size_t outsz)
{
    if (s == NULL)
        n = 0;
    header_strip_marker(&s, &n);
    if (n == 0) {
        if (outsz)
            out[0] = '\0';
        return 0;
    }
    return names_fold_label(s, n, out, outsz);
}

static bool
has_long_digits(const char *s, size_t n)
{
    size_t run = 0;

    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i])) {
            if (++run >= 6)
                return true;
        } else {
            run = 0;
        }
    }
    return false;
}

static bool
cell_blank(const struct hrow *row, size_t c)
{
    const char *s;
    size_t n;

    if (c >= row->ncells)
        return true;
    s = row->cells[c].s;
    n = row->cells[c].n;
    values_trim(&s, &n);
    return n == 0;
}

/* ---- aliases ------------------------------------------------------------ */

struct akey {
    char *fold;
    int field;
    int prio; /* 0 profile extra, 1 built in: extras win a clash */
    int weak; /* a generic label (WEAK) */
};

struct aset {
    struct akey *k;
    size_t n, cap;
};

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

static void
aset_build(struct aset *as, file_kind kind, const struct alias_extra *extra,
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

static void
aset_free(struct aset *as)
{
    for (size_t i = 0; i < as->n; i++)
        free(as->k[i].fold);
    free(as->k);
    memset(as, 0, sizeof *as);
}

/* The alias of a folded label, NULL for none. */
static const struct akey *
aset_key(const struct aset *as, const char *fold)
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
    aset_build(&as, kind, NULL, 0);
    header_fold(label, strlen(label), f, sizeof f);
    k = aset_key(&as, f);
    if (k == NULL && header_fold_short(label, strlen(label), f, sizeof f) > 0) {
        int m = labels_classify(kind, label, strlen(label), NULL);
        k = aset_key(&as, f);
        if (k != NULL && k->field != IGN && m >= 0 && m != LABELS_OTHER && m != k->field)
            k = NULL; /* as form_key: the suffix says otherwise */
    }
    r = k ? k->field : -1;
    aset_free(&as);
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

    aset_build(&as, kind, NULL, 0);
    for (size_t i = 1; i < as.n; i++)
        if (strcmp(as.k[i].fold, as.k[i - 1].fold) == 0 &&
            as.k[i].field != as.k[i - 1].field)
            bad++;
    aset_free(&as);
    return bad;
}
#endif

/* ---- scanned rows ------------------------------------------------------- */

enum { CF_LABEL = 1, CF_COLNUM = 2, CF_LETTER = 4 };

struct rowc {
    int n;           /* cells up to the last non-blank one */
    char **fold;     /* folded label (markers stripped) per cell, "" if none */
    char **sfold;    /* the fold without a "(TNCT)" suffix; == fold[c] if none */
    char *buf;       /* the folded strings */
    unsigned char *fl; /* CF_* per cell */
    int labels;      /* cells with a label: non-empty fold, not a column number */
    int colnums;     /* non-blank cells that look like column numbers */
    int others;      /* other non-blank cells (punctuation only) */
    bool longnum;    /* a cell holds 6+ digits in a row: data or title, no header */
};

struct ctx {
    file_kind kind;
    const struct hrow *rows;
    int nrows;   /* rows cached: the scan window plus the spans under it */
    int nscan;   /* rows where a header may start */
    struct rowc *rc;
    struct aset as;
    int *src;    /* per level and column: the column supplying the label */
    size_t srccap;
    unsigned short **shape; /* per cached row and cell: SH_* bits, lazily */
};

/* A candidate header: rows r..r+s-1. */
struct cand {
    int r, s, w;
    bool valid;
    int score;
    int labels;            /* non-blank label cells, for the diagnostic's choice */
    int col[F_COUNT];
    int lo[F_COUNT], hi[F_COUNT]; /* levels of the form that matched */
    bool weak[F_COUNT];    /* matched through a generic label */
    unsigned char how[F_COUNT]; /* HOW_* */
    int alt[F_COUNT];      /* second column of a person-ID field, -1 */
    int refused[F_COUNT];  /* column refused by its content, -1 */
    int unread[HEADER_MAX_UNREAD];
    int nunread;
};

static void
rowc_build(struct rowc *rc, const struct hrow *row)
{
    size_t n = row->ncells, len = 0, cap = 0;
    size_t *off, *soff;
    char f[FOLD_MAX], g[FOLD_MAX];

    memset(rc, 0, sizeof *rc);
    while (n > 0 && cell_blank(row, n - 1))
        n--;
    if (n > 1000000)
        n = 1000000;
    rc->n = (int)n;
    rc->fold = xcalloc(n ? n : 1, sizeof *rc->fold);
    rc->sfold = xcalloc(n ? n : 1, sizeof *rc->sfold);
    rc->fl = xcalloc(n ? n : 1, 1);
    off = xcalloc(n ? n : 1, sizeof *off);
    soff = xcalloc(n ? n : 1, sizeof *soff);
    for (size_t c = 0; c < n; c++) {
        const char *s = row->cells[c].s;
        size_t m = row->cells[c].n, k;

        values_trim(&s, &m);
        off[c] = len;
        k = 0;
        if (m > 0) {
            if (has_long_digits(s, m))
                rc->longnum = true;
            if (header_is_colnum_cell(s, m)) {
                rc->fl[c] |= CF_COLNUM;
                rc->colnums++;
            } else {
                k = header_fold(s, m, f, sizeof f);
                if (k > 0) {
                    rc->fl[c] |= CF_LABEL;
                    rc->labels++;
                    for (size_t i = 0; i < k; i++)
                        if (!isdigit((unsigned char)f[i]))
                            rc->fl[c] |= CF_LETTER;
                } else {
                    rc->others++;
                }
            }
        }
        rc->buf = xgrow(rc->buf, &cap, len + k + 1, 1);
        memcpy(rc->buf + len, f, k);
        rc->buf[len + k] = '\0';
        len += k + 1;
        soff[c] = off[c];
        if (k > 0 && (s[m - 1] == ')' || s[m - 1] == ']')) {
            size_t g_n = header_fold_short(s, m, g, sizeof g);
            if (g_n > 0 && (g_n != k || memcmp(f, g, k) != 0)) {
                soff[c] = len;
                rc->buf = xgrow(rc->buf, &cap, len + g_n + 1, 1);
                memcpy(rc->buf + len, g, g_n);
                rc->buf[len + g_n] = '\0';
                len += g_n + 1;
            }
        }
    }
    for (size_t c = 0; c < n; c++) {
        rc->fold[c] = rc->buf + off[c];
        rc->sfold[c] = rc->buf + soff[c];
    }
    free(off);
    free(soff);
}

static void
rowc_free(struct rowc *rc)
{
    free(rc->fold);
    free(rc->sfold);
    free(rc->buf);
    free(rc->fl);
}

static void
ctx_init(struct ctx *cx, file_kind kind, const struct hrow *rows, size_t nrows,
         const struct alias_extra *extra, size_t nextra)
{
    size_t ncache = nrows;

    memset(cx, 0, sizeof *cx);
    cx->kind = kind;
    cx->rows = rows;
    if (ncache > HEADER_SCAN_ROWS + HEADER_MAX_SPAN)
        ncache = HEADER_SCAN_ROWS + HEADER_MAX_SPAN;
    cx->nrows = (int)ncache;
    cx->nscan = cx->nrows < HEADER_SCAN_ROWS ? cx->nrows : HEADER_SCAN_ROWS;
    cx->rc = xcalloc(ncache ? ncache : 1, sizeof *cx->rc);
    for (size_t i = 0; i < ncache; i++)
        rowc_build(&cx->rc[i], &rows[i]);
    aset_build(&cx->as, kind, extra, nextra);
}

static void
ctx_free(struct ctx *cx)
{
    if (cx->shape) {
        for (int i = 0; i < cx->nrows; i++)
            free(cx->shape[i]);
        free(cx->shape);
    }
    for (int i = 0; i < cx->nrows; i++)
        rowc_free(&cx->rc[i]);
    free(cx->rc);
    free(cx->src);
    aset_free(&cx->as);
}

static bool
has_label(const struct rowc *rc, int c)
{
    return c >= 0 && c < rc->n && (rc->fl[c] & CF_LABEL);
}

/*
 * Merge rows r..r+s-1: src[l*w + c] is the column whose level-l cell labels
 * column c, -1 when none.  A blank cell takes the nearest label to its left
 * on the same row when a row below has a label in that column (the parent
 * of a horizontally merged group).
 */
static void
merge_block(struct ctx *cx, int r, int s, int w)
{
    size_t need = (size_t)s * (size_t)(w ? w : 1);

    cx->src = xgrow(cx->src, &cx->srccap, need, sizeof *cx->src);
    for (int l = 0; l < s; l++) {
        const struct rowc *rc = &cx->rc[r + l];
        int last = -1;
        for (int c = 0; c < w; c++) {
            int v = -1;
            if (has_label(rc, c)) {
                v = last = c;
            } else if (last >= 0) {
                for (int k = l + 1; k < s; k++)
                    if (has_label(&cx->rc[r + k], c)) {
                        v = last;
                        break;
                    }
            }
            cx->src[(size_t)l * (size_t)w + (size_t)c] = v;
        }
    }
}

/* Concatenate the folds (the short folds when shortf) of levels lo..hi of
 * column c: folds have no spaces, so this is the fold of the joined labels.
 * NULL when shortf and no level has a short fold of its own. */
static const char *
form_fold(const struct ctx *cx, int r, int w, int c, int lo, int hi, bool shortf,
          char *buf, size_t bufsz)
{
    size_t len = 0;
    bool differs = false;

    buf[0] = '\0';
    for (int l = lo; l <= hi; l++) {
        int sc = cx->src[(size_t)l * (size_t)w + (size_t)c];
        if (sc < 0)
            continue;
        const struct rowc *rc = &cx->rc[r + l];
        const char *f = shortf ? rc->sfold[sc] : rc->fold[sc];
        size_t k = strlen(f);
        differs |= f != rc->fold[sc];
        if (len + k >= bufsz)
            k = bufsz - 1 - len;
        memcpy(buf + len, f, k);
        len += k;
        buf[len] = '\0';
    }
    return shortf && !differs ? NULL : buf;
}

/* The alias of the label form of levels lo..hi of column c: the full labels,
 * else the labels without their "(TNCT)" suffixes; NULL for none. */
static size_t form_text(const struct ctx *cx, int r, int w, int c, int lo, int hi,
                        char *buf, size_t bufsz);

static const struct akey *
form_key(const struct ctx *cx, int r, int w, int c, int lo, int hi, char *buf,
         size_t bufsz)
{
    const struct akey *key = aset_key(&cx->as, form_fold(cx, r, w, c, lo, hi, false,
                                                         buf, bufsz));
    const char *f;

    if (key == NULL && (f = form_fold(cx, r, w, c, lo, hi, true, buf, bufsz)) != NULL) {
        key = aset_key(&cx->as, f);
        if (key != NULL && key->field != IGN) {
            /* the suffix may say whose code it is: "Mã số thuế (của đơn
             * vị)" is not the plain label's field; read it by meaning */
            size_t n = form_text(cx, r, w, c, lo, hi, buf, bufsz);
            int m = labels_classify(cx->kind, buf, n, NULL);
            if (m >= 0 && m != LABELS_OTHER && m != key->field)
                key = NULL;
        }
    }
    return key;
}

static bool
required_ok(file_kind kind, const int col[F_COUNT])
{
    for (size_t g = 0; g < kind_req[kind].n; g++) {
        const struct req *q = &kind_req[kind].r[g];
        int have = 0;
        for (int i = 0; i < 5 && q->f[i] >= 0; i++)
            if (col[q->f[i]] >= 0)
                have++;
        if (have < q->min)
            return false;
    }
    return true;
}


static bool
is_person_id_field(int f)
{
    return f == F_ID_NUMBER || f == F_EMPLOYEE_TAX_ID || f == F_SI_NUMBER || f == F_CMND;
}

/* The trimmed original text of levels lo..hi of column c, joined by
 * spaces, into buf (cut at bufsz). */
static size_t
form_text(const struct ctx *cx, int r, int w, int c, int lo, int hi, char *buf,
          size_t bufsz)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int l = lo; l <= hi; l++) {
        int sc = cx->src[(size_t)l * (size_t)w + (size_t)c];
        const char *t;
        size_t n;
        if (sc < 0 || (size_t)sc >= cx->rows[r + l].ncells)
            continue;
        t = cx->rows[r + l].cells[sc].s;
        n = cx->rows[r + l].cells[sc].n;
        values_trim(&t, &n);
        if (len + n + 2 >= bufsz)
            n = bufsz > len + 2 ? bufsz - len - 2 : 0;
        if (len && n)
            buf[len++] = ' ';
        memcpy(buf + len, t, n);
        len += n;
        buf[len] = '\0';
    }
    return len;
}

/*
 * Pass 3 of eval_block: columns no alias matched, read by meaning
 * (labels.c), the longest label form first.  Each field goes to the
 * column that names it most surely (then the leftmost); a second column of
 * a person's identifier is read as well.  Returns the fields added.
 */
static int
meaning_pass(struct ctx *cx, int r, int s, int w, struct cand *cd, bool *used)
{
    struct mc { int c, f, sc, lo, hi; } *v = xcalloc((size_t)(w ? w : 1), sizeof *v);
    int nv = 0, added = 0;
    char buf[3 * FOLD_MAX];

    for (int c = 0; c < w; c++) {
        int lv[HEADER_MAX_SPAN], k = 0;
        if (used[c])
            continue;
        for (int l = 0; l < s; l++)
            if (cx->src[(size_t)l * (size_t)w + (size_t)c] >= 0)
                lv[k++] = l;
        for (int i = 0; i < k; i++) {
            int sc, f;
            size_t n = form_text(cx, r, w, c, lv[i], lv[k - 1], buf, sizeof buf);
            f = labels_classify(cx->kind, buf, n, &sc);
            if (f == LABELS_UNKNOWN)
                continue;
            if (f != LABELS_OTHER)
                v[nv++] = (struct mc){c, f, sc, lv[i], lv[k - 1]};
            break;
        }
    }
    for (;;) {
        int b = -1;
        for (int i = 0; i < nv; i++)
            if (v[i].f >= 0 && (b < 0 || v[i].sc > v[b].sc))
                b = i;
        if (b < 0)
            break;
        int f = v[b].f, c = v[b].c;
        v[b].f = -1;
        if (cd->col[f] >= 0 && cx->kind == KIND_TAX && f == F_EMPLOYEE_TAX_ID &&
            cd->weak[f] && cd->col[F_EMPLOYER_TAX_ID] < 0) {
            /* a plain "Mã số thuế" beside one said to be the person's */
            cd->col[F_EMPLOYER_TAX_ID] = cd->col[f];
            cd->lo[F_EMPLOYER_TAX_ID] = cd->lo[f];
            cd->hi[F_EMPLOYER_TAX_ID] = cd->hi[f];
            cd->col[f] = -1;
            added++;
        }
        if (cd->col[f] < 0) {
            cd->col[f] = c;
            cd->lo[f] = v[b].lo;
            cd->hi[f] = v[b].hi;
            cd->how[f] = HOW_MEANING;
            cd->weak[f] = v[b].sc < 2;
            used[c] = true;
            added++;
        } else if (is_person_id_field(f) && cd->alt[f] < 0) {
            cd->alt[f] = c;
            used[c] = true;
        }
    }
    free(v);
    return added;
}

/* ---- content ------------------------------------------------------------ */

static bool row_is_colnum(const struct hrow *row, int w);

enum {
    SH_NONEMPTY = 1,
    SH_PID12 = 2,    /* a domestic personal ID: 12 digits (or 11, zero lost),
                        province 001-096, century digit 0-3 */
    SH_IDLIKE = 4,   /* 8-13 digits, a passport number, or 3.41E+11 */
    SH_TAXCODE = 8,  /* a tax code with a valid check digit (10 or 13) */
    SH_MONEY = 16,   /* an amount with thousands separators or ending in 000 */
    SH_DATE = 32,
    SH_MONTH = 64,
    SH_NAME = 128,   /* two or more words of letters */
    SH_ZEROS = 256,  /* ends in 000 */
    SH_LETTERS = 512, /* holds a letter */
    SH_YEAR = 1024,  /* a year, 1900-2099, alone */
};

static unsigned short
cell_shape(const char *s, size_t n)
{
    unsigned short sh = 0;
    size_t digits = 0, letters = 0, spaces = 0, other = 0;
    int64_t money;
    sdate dt;
    int m, m2;

    values_trim(&s, &n);
    if (n > 0 && s[0] == '\'') {
        s++;
        n--;
    }
    if (n == 0)
        return 0;
    if (n <= 12) {
        /* a placeholder says "no value": "N/A", "-", "0", "chưa có" */
        static const char *const none[] = {"na", "0", "00", "khong", "chuaco", "none",
                                           "null", "x", "khongco"};
        char f[32];
        size_t k = names_fold_label(s, n, f, sizeof f);
        if (k == 0)
            return 0;
        for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
            if (strcmp(f, none[i]) == 0)
                return 0;
    }
    sh |= SH_NONEMPTY;
    if (n > 2 && n < 24 && s[n - 2] == '.' && s[n - 1] == '0')
        n -= 2; /* "34074582002.0": an ID that went through a float */
    {
        /* "034.054.328.776", "034 085 001 111": an ID written in groups
         * (money never starts with 0 nor reaches 12 digits) */
        char d[24];
        size_t k = 0, seps = 0;
        for (size_t i = 0; i < n && k < sizeof d; i++) {
            if (isdigit((unsigned char)s[i]))
                d[k++] = s[i];
            else if (s[i] == '.' || s[i] == ' ' || s[i] == '-')
                seps++;
            else
                k = sizeof d;
        }
        if (seps > 0 && k < sizeof d && (k == 12 || ((k == 9 || k == 11) && d[0] == '0')))
            return (unsigned short)(sh | cell_shape(d, k));
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (isdigit(ch))
            digits++;
        else if (isalpha(ch) || ch >= 0x80)
            letters++;
        else if (ch == ' ')
            spaces++;
        else
            other++;
    }
    if (digits == n) {
        if (n >= 8 && n <= 13)
            sh |= SH_IDLIKE;
        if ((n == 12 && s[0] == '0') || n == 11) {
            const char *p = n == 12 ? s : s - 1; /* p[0] is the lost zero */
            int prov = n == 12 ? (s[1] - '0') * 10 + (s[2] - '0')
                               : (s[0] - '0') * 10 + (s[1] - '0');
            char cen = n == 12 ? s[3] : s[2];
            (void)p;
            if (prov >= 1 && prov <= 96 && cen >= '0' && cen <= '3')
                sh |= SH_PID12;
        }
        if ((n == 10 || n == 13) && ids_tax_check(s))
            sh |= SH_TAXCODE;
        if (n >= 4 && memcmp(s + n - 3, "000", 3) == 0)
            sh |= SH_ZEROS;
        if (n == 4 && (memcmp(s, "19", 2) == 0 || memcmp(s, "20", 2) == 0))
            sh |= SH_YEAR;
    } else if (letters > 0 && letters <= 2 && digits >= 6 && digits + letters == n &&
               isalpha((unsigned char)s[0])) {
        sh |= SH_IDLIKE; /* B1234567 */
    } else if (digits > 0 && n < 20 && (memchr(s, 'E', n) || memchr(s, 'e', n)) &&
               memchr(s, '+', n)) {
        sh |= SH_IDLIKE; /* 3.41234E+11 */
    }
    if (digits > 0 && letters == 0 && values_money(s, n, &money) == VAL_OK &&
        (other > 0 || spaces > 0 || (sh & SH_ZEROS)))
        sh |= SH_MONEY;
    if (digits > 0 && letters == 0 && other > 0 && values_date(s, n, &dt) == VAL_OK)
        sh |= SH_DATE;
    if (digits > 0 && (values_month(s, n, &m) == VAL_OK ||
                       values_month_range(s, n, &m, &m2) == VAL_OK))
        sh |= SH_MONTH;
    if (letters >= 2 && digits == 0 && spaces >= 1)
        sh |= SH_NAME;
    if (letters > 0)
        sh |= SH_LETTERS;
    return sh;
}

struct colstat {
    int n, pid12, idlike, taxcode, money, date, month, name, zeros, distinct, letters, year;
};

/* Shapes of the values of column c in the data rows below header row
 * `last` (rows with fewer than two values are left out: totals, notes). */
static void
col_stat(struct ctx *cx, int last, int skip_row, int c, struct colstat *st)
{
    const char *seen[HEADER_SCAN_ROWS + HEADER_MAX_SPAN];
    size_t seenn[HEADER_SCAN_ROWS + HEADER_MAX_SPAN];
    int ns = 0;

    memset(st, 0, sizeof *st);
    if (cx->shape == NULL)
        cx->shape = xcalloc((size_t)(cx->nrows ? cx->nrows : 1), sizeof *cx->shape);
    for (int r = last + 1; r < cx->nrows; r++) {
        const struct hrow *row = &cx->rows[r];
        int filled = 0;
        if (r == skip_row || (size_t)c >= row->ncells)
            continue;
        if (cx->shape[r] == NULL) {
            cx->shape[r] = xcalloc(row->ncells ? row->ncells : 1, sizeof **cx->shape);
            for (size_t k = 0; k < row->ncells; k++)
                cx->shape[r][k] = cell_shape(row->cells[k].s, row->cells[k].n);
        }
        for (size_t k = 0; k < row->ncells && filled < 2; k++)
            filled += (cx->shape[r][k] & SH_NONEMPTY) != 0;
        unsigned short sh = cx->shape[r][c];
        if (filled < 2 || !(sh & SH_NONEMPTY))
            continue;
        st->n++;
        st->pid12 += (sh & SH_PID12) != 0;
        st->idlike += (sh & SH_IDLIKE) != 0;
        st->taxcode += (sh & SH_TAXCODE) != 0;
        st->money += (sh & SH_MONEY) != 0;
        st->date += (sh & SH_DATE) != 0;
        st->month += (sh & SH_MONTH) != 0;
        st->name += (sh & SH_NAME) != 0;
        st->zeros += (sh & SH_ZEROS) != 0;
        st->letters += (sh & SH_LETTERS) != 0;
        st->year += (sh & SH_YEAR) != 0;
        const char *v = row->cells[c].s;
        size_t vn = row->cells[c].n;
        values_trim(&v, &vn);
        bool dup = false;
        for (int i = 0; i < ns && !dup; i++)
            dup = seenn[i] == vn && memcmp(seen[i], v, vn) == 0;
        if (!dup) {
            seen[ns] = v;
            seenn[ns++] = vn;
        }
    }
    st->distinct = ns;
}

static bool
is_money_field(int f)
{
    return f == F_TAXABLE_INCOME || f == F_INSURANCE_DEDUCTION || f == F_TAX_WITHHELD ||
           f == F_SALARY;
}

/* Whether the content of a column contradicts field f: an identifier
 * column full of amounts, names or dates; an amount column full of
 * personal IDs or names; a month column with no month in it. */
static bool
content_refuses(int f, const struct colstat *st)
{
    if (st->n < 5)
        return false;
    if (is_person_id_field(f))
        return 5 * st->idlike < st->n &&
               5 * (st->money + st->name + st->date) >= 4 * st->n;
    if (is_money_field(f))
        return 5 * st->pid12 >= 4 * st->n || 5 * st->name >= 4 * st->n ||
               (5 * st->date >= 4 * st->n && 5 * st->money < st->n);
    if (f == F_FROM_MONTH || f == F_BIRTH_DATE)
        return 5 * st->month < st->n && 5 * st->date < st->n;
    if (f == F_EMPLOYER_TAX_ID)
        return 2 * st->idlike < st->n;
    if (f == F_FULL_NAME || f == F_EMPLOYER_NAME)
        return 5 * st->letters < st->n;
    return false;
}

/* A label read by meaning is a guess until the column's content agrees
 * with the field's value type (docs/inputs.md, "By meaning"): a year
 * column holds years, a name column words, an amount column no names or
 * personal IDs, a month column months.  One value decides (official forms
 * carry three rows); a year or name column with no value at all (a column
 * of zeros under "Trong đó …") does not agree either. */
static bool
meaning_disagrees(int f, const struct colstat *st)
{
    if (f == F_TAX_YEAR)
        return st->n == 0 || st->year < st->n;
    if (f == F_FULL_NAME || f == F_EMPLOYER_NAME)
        return st->n == 0 || 2 * st->letters < st->n;
    if (st->n == 0)
        return false;
    if (is_money_field(f))
        return 2 * st->letters >= st->n || 2 * st->pid12 > st->n;
    if (f == F_FROM_MONTH || f == F_TO_MONTH)
        return 2 * (st->month + st->date) < st->n;
    if (f == F_BIRTH_DATE)
        return 2 * (st->month + st->date + st->year) < st->n;
    if (f == F_INCOME_MONTHS)
        return st->letters > 0 || st->idlike > 0 || st->money > 0;
    return false;
}

/* Whether a column's values are people's identifiers: mostly 8-13
 * digits (or passports), at least half of them distinct (an SI list has a
 * row per span, so one person's ID repeats), not round amounts.  One value
 * is enough: the ID column of a 05-1 form is filled only for people without
 * a tax code, often one or two rows of a file. */
static bool
content_person_ids(const struct colstat *st)
{
    return st->n >= 1 && 5 * st->idlike >= 4 * st->n && 2 * st->distinct >= st->n &&
           2 * st->zeros < st->n;
}

/* Whether they are unmistakably personal identity documents: nearly all
 * identifier-shaped, most of them domestic personal IDs (CCCD: province
 * 001-096, century digit), the rest CMNDs, passports or damaged IDs. */
static bool
content_pids(const struct colstat *st)
{
    return st->n >= 1 && 10 * st->pid12 >= 6 * st->n && 10 * st->idlike >= 9 * st->n &&
           2 * st->distinct >= st->n;
}

/* Whether most values of column c are amounts no larger than the taxable
 * income of their row (column inc): parts of an income ("TNCT được miễn
 * giảm", a deduction), not identifiers, even when written as bare digits. */
static bool
col_below_income(const struct ctx *cx, int last, int skip, int c, int inc)
{
    int compared = 0, below = 0;

    if (inc < 0)
        return false;
    for (int r = last + 1; r < cx->nrows; r++) {
        const struct hrow *row = &cx->rows[r];
        int64_t v, total;
        if (r == skip || (size_t)c >= row->ncells || (size_t)inc >= row->ncells)
            continue;
        if (values_money(row->cells[c].s, row->cells[c].n, &v) != VAL_OK ||
            values_money(row->cells[inc].s, row->cells[inc].n, &total) != VAL_OK || v == 0)
            continue;
        compared++;
        below += v <= total;
    }
    return compared >= 1 && 5 * below >= 4 * compared;
}

static bool
col_feeds(const struct cand *cd, int c)
{
    for (int f = 0; f < F_COUNT; f++)
        if (cd->col[f] == c || cd->alt[f] == c)
            return true;
    return false;
}

/* Whether column c of the block feeds no field and its label leaves it open
 * (ids: not ruled out as an identifier, labels_not_person_id; else: not a
 * known fieldless label at all); *st then holds its values' shapes. */
static bool
free_column(struct ctx *cx, const struct cand *cd, int c, int last, int skip, bool ids,
            struct colstat *st)
{
    char buf[3 * FOLD_MAX];
    size_t n;

    if (col_feeds(cd, c))
        return false;
    n = form_text(cx, cd->r, cd->w, c, 0, cd->s - 1, buf, sizeof buf);
    if (n > 0 && (ids ? labels_not_person_id(buf, n)
                      : labels_classify(cx->kind, buf, n, NULL) == LABELS_OTHER))
        return false;
    col_stat(cx, last, skip, c, st);
    return true;
}

/*
 * Check the chosen block against its data rows: refuse mappings the
 * content contradicts, map a personal-ID column that no label named when
 * its content is unmistakable, and list the columns that look like
 * person identifiers but feed no field (reported; their records are not
 * accused, see match.c).  Updates cd->score.
 */
static void
content_pass(struct ctx *cx, struct cand *cd)
{
    int last = cd->r + cd->s - 1, w = cd->w, skip = -1;
    struct colstat st;

    if (last + 1 < cx->nrows && row_is_colnum(&cx->rows[last + 1], w))
        skip = last + 1;
    merge_block(cx, cd->r, cd->s, w);
    for (int f = 0; f < F_COUNT; f++) {
        if (cd->col[f] < 0 || cd->how[f] == HOW_CONTENT)
            continue;
        col_stat(cx, last, skip, cd->col[f], &st);
        if (content_refuses(f, &st) ||
            (cd->how[f] == HOW_MEANING && meaning_disagrees(f, &st))) {
            cd->refused[f] = cd->col[f];
            cd->col[f] = cd->alt[f];
            cd->alt[f] = -1;
            if (cd->col[f] < 0)
                cd->score--;
        }
    }
    if (cx->kind != KIND_EMPLOYERS && cd->col[F_ID_NUMBER] < 0) {
        for (int c = 0; c < w; c++) {
            if (!free_column(cx, cd, c, last, skip, true, &st))
                continue;
            if (content_pids(&st)) {
                cd->col[F_ID_NUMBER] = c;
                cd->lo[F_ID_NUMBER] = 0;
                cd->hi[F_ID_NUMBER] = cd->s - 1;
                cd->how[F_ID_NUMBER] = HOW_CONTENT;
                cd->score++;
                break;
            }
        }
    }
    /* the employer's tax code and the person's name, when no label said
     * so: valid tax codes repeated down the column (one employer has many
     * rows); two or more words of letters, nearly all different */
    for (int pass = 0; pass < 2; pass++) {
        int f = pass == 0 ? F_EMPLOYER_TAX_ID : F_FULL_NAME;
        if (!fields_in_kind(cx->kind, (field_id)f) || cd->col[f] >= 0)
            continue;
        for (int c = 0; c < w; c++) {
            if (!free_column(cx, cd, c, last, skip, false, &st) || st.n < 4)
                continue;
            if (pass == 0 ? 10 * st.taxcode >= 9 * st.n && 2 * st.distinct <= st.n
                          : 10 * st.name >= 9 * st.n && 5 * st.distinct >= 4 * st.n) {
                cd->col[f] = c;
                cd->lo[f] = 0;
                cd->hi[f] = cd->s - 1;
                cd->how[f] = HOW_CONTENT;
                cd->score++;
                break;
            }
        }
    }
    cd->nunread = 0;
    if (cx->kind == KIND_EMPLOYERS)
        return;
    for (int c = 0; c < w && cd->nunread < HEADER_MAX_UNREAD; c++) {
        if (!free_column(cx, cd, c, last, skip, true, &st))
            continue;
        if (content_person_ids(&st) &&
            !col_below_income(cx, last, skip, c, cd->col[F_TAXABLE_INCOME]))
            cd->unread[cd->nunread++] = c;
    }
}

static int
cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;

    return x < y ? -1 : x > y;
}

/* The width of the data rows under a header at row `from`: the median of
 * their widths up to the last non-blank cell, the lower one of two (0
 * without data rows).  A
 * column right of the last label (an ID column appended to an export
 * without a heading) is a column all the same: read by its content. */
static int
data_width(const struct ctx *cx, int from)
{
    int v[HEADER_SCAN_ROWS + HEADER_MAX_SPAN], n = 0;

    for (int i = from; i < cx->nrows && n < (int)(sizeof v / sizeof v[0]); i++)
        if (cx->rc[i].n > 0)
            v[n++] = cx->rc[i].n;
    if (n == 0)
        return 0;
    qsort(v, (size_t)n, sizeof *v, cmp_int);
    return v[(n - 1) / 2]; /* the lower median: at least half the rows reach it */
}

/* Score the block of rows r..r+s-1 (see the file comment). */
static void
eval_block(struct ctx *cx, int r, int s, struct cand *cd)
{
    int w = 0, score = 0;
    bool *used;
    char buf[3 * FOLD_MAX];

    memset(cd, 0, sizeof *cd);
    cd->r = r;
    cd->s = s;
    for (int f = 0; f < F_COUNT; f++)
        cd->col[f] = cd->lo[f] = cd->hi[f] = cd->alt[f] = cd->refused[f] = -1;
    if (r + s > cx->nrows)
        return;
    for (int l = 0; l < s; l++) {
        const struct rowc *rc = &cx->rc[r + l];
        /* a header row has labels and no ID or amount in it */
        if (rc->longnum || rc->labels == 0)
            return;
        if (rc->n > w)
            w = rc->n;
        cd->labels += rc->labels;
    }
    int wd = data_width(cx, r + s);
    if (wd > w && wd <= w + HEADER_MAX_UNLABELLED)
        w = wd;
    cd->valid = true;
    cd->w = w;
    merge_block(cx, r, s, w);
    used = xcalloc((size_t)(w ? w : 1), sizeof *used);

    /* Pass 1: "grandparent parent child", "parent child", "child". */
    for (int c = 0; c < w; c++) {
        int lv[HEADER_MAX_SPAN], k = 0;
        for (int l = 0; l < s; l++)
            if (cx->src[(size_t)l * (size_t)w + (size_t)c] >= 0)
                lv[k++] = l;
        for (int i = 0; i < k; i++) {
            const struct akey *key = form_key(cx, r, w, c, lv[i], lv[k - 1], buf,
                                              sizeof buf);
            int f, old, lo_old, hi_old;
            if (key == NULL)
                continue;
            used[c] = true;
            f = key->field;
            if (f == IGN)
                break;
            old = cd->col[f];
            if (old >= 0 && !(cd->weak[f] && !key->weak)) {
                /* the field is taken: the first column keeps it; a second
                 * column of a person's identifier is read too */
                if (is_person_id_field(f) && cd->alt[f] < 0 && old != c)
                    cd->alt[f] = c;
                break;
            }
            lo_old = cd->lo[f];
            hi_old = cd->hi[f];
            cd->col[f] = c;
            cd->lo[f] = lv[i];
            cd->hi[f] = lv[k - 1];
            cd->weak[f] = key->weak;
            if (old < 0) {
                score++;
            } else if (cx->kind == KIND_TAX && f == F_EMPLOYEE_TAX_ID &&
                       cd->col[F_EMPLOYER_TAX_ID] < 0) {
                /* "Mã số thuế" beside "MST cá nhân": the payer's code */
                cd->col[F_EMPLOYER_TAX_ID] = old;
                cd->lo[F_EMPLOYER_TAX_ID] = lo_old;
                cd->hi[F_EMPLOYER_TAX_ID] = hi_old;
                score++;
            }
            break;
        }
    }
    /* Pass 2: a parent alone, at its own column only, for fields still
     * missing ("Số CMND/CCCD" over "Số" / "Ngày cấp" / "Nơi cấp"). */
    for (int c = 0; c < w; c++) {
        if (used[c])
            continue;
        for (int l = 0; l < s - 1; l++) {
            if (cx->src[(size_t)l * (size_t)w + (size_t)c] != c)
                continue;
            const struct akey *key = form_key(cx, r, w, c, l, l, buf, sizeof buf);
            int f = key ? key->field : -1;
            if (f >= 0 && f != IGN && cd->col[f] < 0) {
                cd->col[f] = c;
                cd->lo[f] = cd->hi[f] = l;
                score++;
                used[c] = true;
                break;
            }
        }
    }
    score += meaning_pass(cx, r, s, w, cd, used);
    free(used);
    cd->score = score;
}

/* Ordering of candidates: more fields, then the smaller span, then the
 * earlier row. */
static bool
better(const struct cand *a, const struct cand *b)
{
    if (!b->valid)
        return a->valid;
    if (!a->valid)
        return false;
    if (a->score != b->score)
        return a->score > b->score;
    if (a->s != b->s)
        return a->s < b->s;
    return a->r < b->r;
}

/* Row rr continues the block of cd (a sub-header): each of its labels sits
 * under a horizontally merged group of some row of the block, i.e. at the
 * group's first column (the next cell to the right is blank) or in the blank
 * cells after it; it has no column numbers, IDs or amounts. */
static bool
continues_block(const struct ctx *cx, const struct cand *cd, int rr)
{
    const struct rowc *row = &cx->rc[rr];
    int last[HEADER_MAX_SPAN]; /* per block row: its last label at or left of c */

    if (row->labels == 0 || row->longnum || row->colnums > 0)
        return false;
    for (int l = 0; l < cd->s; l++)
        last[l] = -1;
    for (int c = 0; c < row->n; c++) {
        bool covered = false;
        for (int l = 0; l < cd->s; l++)
            if (has_label(&cx->rc[cd->r + l], c))
                last[l] = c;
        if (!(row->fl[c] & CF_LABEL))
            continue;
        if (!(row->fl[c] & CF_LETTER))
            return false;
        for (int l = 0; l < cd->s && !covered; l++)
            covered = last[l] >= 0 &&
                      (last[l] < c || !has_label(&cx->rc[cd->r + l], c + 1));
        if (!covered)
            return false;
    }
    return true;
}

/*
 * Search every block.  *best gets the best block holding the required
 * fields (valid false when none), *top the best block of all (for the
 * diagnostic).
 */
static void
search(struct ctx *cx, struct cand *best, struct cand *top)
{
    struct cand cd;

    memset(best, 0, sizeof *best);
    memset(top, 0, sizeof *top);
    for (int r = 0; r < cx->nscan; r++) {
        for (int s = 1; s <= HEADER_MAX_SPAN && r + s <= cx->nrows; s++) {
            eval_block(cx, r, s, &cd);
            if (!cd.valid)
                continue;
            if (better(&cd, top) ||
                (top->valid && cd.score == top->score && cd.s == top->s &&
                 cd.score == 0 && cd.labels > top->labels))
                *top = cd;
            if (required_ok(cx->kind, cd.col)) {
                if (better(&cd, best))
                    *best = cd;
            } else if (cd.score >= 2) {
                /* a person-ID column no label named: its content may */
                struct cand cc = cd;
                content_pass(cx, &cc);
                if (required_ok(cx->kind, cc.col) && better(&cc, best))
                    *best = cc;
            }
        }
    }
    /* A label-only row under the chosen block that only refines groups
     * ("Tổng số" / "Trong đó" under "Thu nhập chịu thuế") belongs to it even
     * when the parent alone already matched. */
    while (best->valid && best->s < HEADER_MAX_SPAN && best->r + best->s < cx->nrows &&
           continues_block(cx, best, best->r + best->s)) {
        eval_block(cx, best->r, best->s + 1, &cd);
        if (!cd.valid || !required_ok(cx->kind, cd.col) || cd.score < best->score)
            break;
        *best = cd;
    }
    if (best->valid) {
        struct cand cc = *best;
        content_pass(cx, &cc);
        if (!required_ok(cx->kind, cc.col)) {
            /* the content refused a required column: keep the labels'
             * reading (the rows will say what is wrong) */
            cc = *best;
            for (int f = 0; f < F_COUNT; f++)
                cc.refused[f] = -1;
            struct cand tmp = cc;
            content_pass(cx, &tmp);
            cc.nunread = tmp.nunread;
            memcpy(cc.unread, tmp.unread, sizeof cc.unread);
        }
        *best = cc;
    }
}

/* ---- building the map --------------------------------------------------- */

static void
map_init(struct header_map *m)
{
    memset(m, 0, sizeof *m);
    m->first = m->last = -1;
    m->colnum_row = -1;
    for (int f = 0; f < F_COUNT; f++)
        m->col[f] = m->alt[f] = m->refused[f] = -1;
}

const char *
header_how_name(int how)
{
    return how == HOW_MEANING ? "meaning" : how == HOW_CONTENT ? "content"
         : how == HOW_FORM ? "form" : "alias";
}

void
header_map_free(struct header_map *m)
{
    int levels;

    if (m == NULL)
        return;
    for (int f = 0; f < F_COUNT; f++) {
        free(m->label[f]);
        free(m->title[f]);
    }
    if (m->header_cells)
        for (int c = 0; c < m->ncols; c++)
            free(m->header_cells[c]);
    free(m->header_cells);
    levels = m->first >= 0 ? m->last - m->first + 1 : 0;
    if (m->hdr_fold)
        for (int i = 0; i < levels * m->ncols; i++)
            free(m->hdr_fold[i]);
    free(m->hdr_fold);
    map_init(m);
}

/* Join the trimmed original text of levels lo..hi of column c with spaces. */
static char *
join_levels(const struct ctx *cx, const struct cand *cd, int c, int lo, int hi)
{
    char *out = NULL;
    size_t len = 0, cap = 0;

    for (int l = lo; l <= hi; l++) {
        int sc = cx->src[(size_t)l * (size_t)cd->w + (size_t)c];
        const char *s;
        size_t n;
        if (sc < 0)
            continue;
        s = cx->rows[cd->r + l].cells[sc].s;
        n = cx->rows[cd->r + l].cells[sc].n;
        values_trim(&s, &n);
        out = xgrow(out, &cap, len + n + 2, 1);
        if (len)
            out[len++] = ' ';
        for (size_t i = 0; i < n; i++) /* wrapped cells print on one line */
            out[len + i] = (unsigned char)s[i] < 0x20 ? ' ' : s[i];
        len += n;
    }
    if (out == NULL)
        return xstrdup("");
    out[len] = '\0';
    return out;
}

/* Whether the row's non-blank cells all look like column numbers and cover
 * at least half of a header width w. */
static bool
row_is_colnum(const struct hrow *row, int w)
{
    int num = 0;

    for (size_t c = 0; c < row->ncells; c++) {
        const char *s = row->cells[c].s;
        size_t n = row->cells[c].n;
        values_trim(&s, &n);
        if (n == 0)
            continue;
        if (!header_is_colnum_cell(s, n))
            return false;
        num++;
    }
    return num > 0 && 2 * num >= w;
}

/* The first year 1900..2099 standing alone in s, written as 4 digits. */
static bool
find_year(const char *s, size_t n, char out[5])
{
    for (size_t i = 0; i + 4 <= n; i++) {
        if ((i > 0 && isdigit((unsigned char)s[i - 1])) ||
            !isdigit((unsigned char)s[i]) || !isdigit((unsigned char)s[i + 1]) ||
            !isdigit((unsigned char)s[i + 2]) || !isdigit((unsigned char)s[i + 3]) ||
            (i + 4 < n && isdigit((unsigned char)s[i + 4])))
            continue;
        if ((s[i] == '1' && s[i + 1] == '9') || (s[i] == '2' && s[i + 1] == '0')) {
            memcpy(out, s + i, 4);
            out[4] = '\0';
            return true;
        }
    }
    return false;
}

struct tctx {
    file_kind kind;
    struct header_map *m;
    int tsched;  /* schedule from the title text, 0 none */
    bool strong; /* tsched from the rate phrase, not a hint (see title_schedule) */
};

/* The title labels folded once for all calls and threads: read-only after
 * title_fold_init. */
#define TFOLD_MAX 96
static char title_fold[NELEM(title_labels)][TFOLD_MAX];
static pthread_once_t title_once = PTHREAD_ONCE_INIT;

static void
title_fold_init(void)
{
    for (size_t i = 0; i < NELEM(title_labels); i++)
        header_fold(title_labels[i].label, strlen(title_labels[i].label), title_fold[i],
                    TFOLD_MAX);
}

static int
title_lookup(const char *f)
{
    for (size_t i = 0; i < NELEM(title_labels); i++)
        if (strcmp(f, title_fold[i]) == 0)
            return title_labels[i].field;
    return -1;
}

/* The field of a title-block label s[0..n) ("Mã số thuế (MST)" too), or -1. */
static int
title_field(const struct tctx *t, const char *s, size_t n)
{
    char f[FOLD_MAX];
    int fld;

    (void)t;
    if (header_fold(s, n, f, sizeof f) == 0)
        return -1;
    if ((fld = title_lookup(f)) < 0 && header_fold_short(s, n, f, sizeof f) > 0)
        fld = title_lookup(f);
    return fld;
}

/*
 * The schedule a folded title names without its form code.  The rate is
 * decisive: "... THEO BIỂU THUẾ LŨY TIẾN TỪNG PHẦN" is 05-1, "... THEO THUẾ
 * SUẤT TOÀN PHẦN" (TT92's 05-2) is 05-2.  Who the list covers is a hint of
 * 05-2 that a rate phrase overrides: "... CÁ NHÂN KHÔNG KÝ HỢP ĐỒNG LAO ĐỘNG
 * HOẶC KÝ HỢP ĐỒNG LAO ĐỘNG DƯỚI 03 THÁNG" (TT80's 05-2), "CÁ NHÂN KHÔNG CƯ
 * TRÚ".
 */
static void
title_schedule(struct tctx *t, const char *f)
{
    static const char *const hints2[] = {
        "khongkyhopdonglaodong", "hopdonglaodongduoi03thang",
        "hopdonglaodongduoi3thang", "canhankhongcutru",
    };

    if (t->strong || t->kind != KIND_TAX)
        return;
    if (strstr(f, "thuesuattoanphan") != NULL) {
        t->tsched = 2;
        t->strong = true;
    } else if (strstr(f, "bieuthueluytientungphan") != NULL ||
               strstr(f, "bieuluytientungphan") != NULL) {
        t->tsched = 1;
        t->strong = true;
    } else if (t->tsched == 0) {
        for (size_t i = 0; i < NELEM(hints2); i++)
            if (strstr(f, hints2[i]) != NULL)
                t->tsched = 2;
    }
}

static void
title_set(struct tctx *t, int f, const char *v, size_t n)
{
    char year[5];

    values_trim(&v, &n);
    /* a value ending in the next field's marker: "Công ty X [05]" */
    if (n >= 3 && (v[n - 1] == ']' || v[n - 1] == ')')) {
        const char *p = v;
        size_t k = n;
        header_strip_marker(&p, &k);
        if (p == v && k < n)
            n = k;
    }
    if (f < 0 || n == 0 || t->m->title[f] != NULL || !fields_in_kind(t->kind, (field_id)f))
        return;
    if (f == F_TAX_YEAR) {
        if (find_year(v, n, year))
            t->m->title[f] = xstrdup(year);
        return;
    }
    t->m->title[f] = xstrndup(v, n);
}

/* The value of a label that ends its cell: the next non-blank cell of the
 * row; digits spread one per cell (the forms' boxes) are joined. */
static void
title_value_after(struct tctx *t, int f, const struct hrow *row, size_t c)
{
    char buf[64];
    size_t len = 0;

    for (c++; c < row->ncells && cell_blank(row, c); c++)
        ;
    if (c >= row->ncells)
        return;
    const char *s = row->cells[c].s;
    size_t n = row->cells[c].n;
    values_trim(&s, &n);
    if (n == 1 && isdigit((unsigned char)s[0])) {
        for (; c < row->ncells; c++) {
            s = row->cells[c].s;
            n = row->cells[c].n;
            values_trim(&s, &n);
            if (n == 0)
                continue;
            if (n != 1 || !(isdigit((unsigned char)s[0]) || s[0] == '-') ||
                len + 1 >= sizeof buf)
                break;
            buf[len++] = s[0];
        }
        title_set(t, f, buf, len);
        return;
    }
    if (strchr("[(", s[0]) == NULL && memchr(s, ':', n) == NULL &&
        title_field(t, s, n) < 0)
        title_set(t, f, s, n);
}

/*
 * One title cell: "label: value" pairs, possibly several in one cell
 * ("Tên đơn vị: Công ty A   Mã đơn vị: TA1234"), a label alone (value in the
 * next non-blank cell), "Năm 2025", or a form code.
 */
static void
title_cell(struct tctx *t, const struct hrow *row, size_t c)
{
    const char *s = row->cells[c].s;
    size_t n = row->cells[c].n;
    size_t lab_s[8], lab_e[8];
    int lab_f[8], nl = 0;
    size_t seg = 0;
    char f[FOLD_MAX];

    values_trim(&s, &n);
    if (n == 0)
        return;

    /* form codes */
    header_fold(s, n, f, sizeof f);
    if (t->m->form == NULL) {
        const char *p = strstr(f, "bkqtttncn");
        if (p == NULL)
            p = strstr(f, "bktncn");
        if (p != NULL && p - f >= 3 && strncmp(p - 3, "051", 3) == 0) {
            t->m->form = "05-1/BK-QTT-TNCN";
            t->m->schedule = 1;
        } else if (p != NULL && p - f >= 3 && strncmp(p - 3, "052", 3) == 0) {
            t->m->form = "05-2/BK-QTT-TNCN";
            t->m->schedule = 2;
        } else if (strstr(f, "d02lt") != NULL) {
            t->m->form = "D02-LT";
        }
    }
    title_schedule(t, f);
    /* "Năm 2025", "Kỳ tính thuế Năm 2025" */
    {
        const char *p = f;
        bool ky = strncmp(p, "kytinhthue", 10) == 0;
        if (ky)
            p += 10;
        if (strncmp(p, "nam", 3) == 0)
            p += 3;
        if ((ky || p != f) && strlen(p) >= 4 && isdigit((unsigned char)p[0]) &&
            (ky || p[4] == '\0'))
            title_set(t, F_TAX_YEAR, p, 4);
    }

    /* a form title ending in its year: "BẢNG KÊ … (Phụ lục 05-1/BK-QTT-TNCN)
     * — NĂM 2025", as payroll software writes it; "năm" with its breve
     * (a cell written with diacritics), "nam" only in a cell without any */
    if (n > 9 && (strstr(f, "qtttncn") || strstr(f, "bktncn")) &&
        isdigit((unsigned char)s[n - 1]) && isdigit((unsigned char)s[n - 4]) &&
        isdigit((unsigned char)s[n - 2]) && isdigit((unsigned char)s[n - 3]) &&
        (s[n - 4] == '1' || s[n - 4] == '2')) {
        size_t e = n - 4;
        bool plain = true;
        for (size_t i = 0; i < n && plain; i++)
            plain = (unsigned char)s[i] < 0x80;
        while (e > 0 && s[e - 1] == ' ')
            e--;
        if ((e >= 4 && (memcmp(s + e - 4, "n\xc4\x83m", 4) == 0 ||
                        memcmp(s + e - 4, "N\xc4\x82M", 4) == 0 ||
                        memcmp(s + e - 4, "N\xc4\x83m", 4) == 0)) ||
            (plain && e >= 3 && strncasecmp(s + e - 3, "nam", 3) == 0))
            title_set(t, F_TAX_YEAR, s + n - 4, 4);
    }

    /* label: value pairs */
    for (size_t i = 0, colons = 0; i < n && nl < 8 && colons < 32; i++) {
        if (s[i] != ':')
            continue;
        bool cut = false;
        colons++;
        /* labels are short: look at most TITLE_LABEL_MAX bytes back */
        if (i - seg > TITLE_LABEL_MAX) {
            seg = i - TITLE_LABEL_MAX;
            cut = true;
        }
        for (size_t o = seg; o < i; o++) {
            int fld;
            if ((o > seg || cut) && !is_space_at(s, n, o - 1) && s[o - 1] != ',' &&
                s[o - 1] != ';')
                continue;
            if ((fld = title_field(t, s + o, i - o)) >= 0) {
                lab_s[nl] = o;
                lab_e[nl] = i;
                lab_f[nl] = fld;
                nl++;
                break;
            }
        }
        seg = i + 1;
    }
    if (nl > 0) {
        for (int k = 0; k < nl; k++) {
            size_t vs = lab_e[k] + 1, ve = k + 1 < nl ? lab_s[k + 1] : n;
            const char *v = s + vs;
            size_t vn = ve - vs;
            values_trim(&v, &vn);
            if (vn == 0 && k + 1 == nl)
                title_value_after(t, lab_f[k], row, c);
            else
                title_set(t, lab_f[k], v, vn);
        }
        return;
    }
    /* a label alone: the value is in the next cell */
    {
        int fld = title_field(t, s, n);
        if (fld >= 0)
            title_value_after(t, fld, row, c);
    }
}

static void
tctx_init(struct tctx *t, file_kind kind, struct header_map *m)
{
    pthread_once(&title_once, title_fold_init);
    t->kind = kind;
    t->m = m;
    t->tsched = 0;
    t->strong = false;
}

/* The form code's schedule wins over the title text's. */
static void
tctx_finish(const struct tctx *t)
{
    if (t->m->schedule == 0)
        t->m->schedule = t->tsched;
}

static void
scan_title(file_kind kind, const struct hrow *rows, int nrows, struct header_map *m)
{
    struct tctx t;

    tctx_init(&t, kind, m);
    for (int r = 0; r < nrows; r++)
        for (size_t c = 0; c < rows[r].ncells; c++)
            title_cell(&t, &rows[r], c);
    tctx_finish(&t);
}

bool
header_title_row(file_kind kind, const struct hrow *row, struct header_map *vals)
{
    struct tctx t;
    bool had[F_COUNT];
    int sched = vals != NULL ? vals->schedule : 0, wide = 0, nonblank = 0;
    const char *form = vals != NULL ? vals->form : NULL;
    bool found = false;

    if (row == NULL || vals == NULL || (unsigned)kind >= KIND_COUNT)
        return false;
    /* a data or header row has several cells of two characters or more; a
     * title line one to four (a value's digits may sit one per cell) */
    for (size_t c = 0; c < row->ncells; c++) {
        const char *s = row->cells[c].s;
        size_t n = row->cells[c].n;
        values_trim(&s, &n);
        if (n > 0)
            nonblank++;
        if (n >= 2 && ++wide > TITLE_ROW_WIDE)
            return false;
    }
    if (nonblank == 0)
        return false;
    for (int f = 0; f < F_COUNT; f++)
        had[f] = vals->title[f] != NULL;
    tctx_init(&t, kind, vals);
    for (size_t c = 0; c < row->ncells; c++)
        title_cell(&t, row, c);
    tctx_finish(&t);
    for (int f = 0; f < F_COUNT; f++)
        if (!had[f] && vals->title[f] != NULL)
            found = true;
    return found || vals->schedule != sched || vals->form != form;
}

static void
fill_map(struct ctx *cx, const struct cand *cd, struct header_map *m)
{
    int w = cd->w;

    merge_block(cx, cd->r, cd->s, w);
    m->first = cd->r;
    m->last = cd->r + cd->s - 1;
    m->ncols = w;
    for (int f = 0; f < F_COUNT; f++) {
        m->col[f] = cd->col[f];
        m->how[f] = cd->how[f];
        m->alt[f] = cd->alt[f];
        m->refused[f] = cd->refused[f];
        if (cd->col[f] >= 0)
            m->label[f] = join_levels(cx, cd, cd->col[f], cd->lo[f], cd->hi[f]);
    }
    m->nunread = cd->nunread;
    memcpy(m->unread, cd->unread, sizeof m->unread);
    m->header_cells = xcalloc((size_t)(w ? w : 1), sizeof *m->header_cells);
    for (int c = 0; c < w; c++)
        m->header_cells[c] = join_levels(cx, cd, c, 0, cd->s - 1);
    m->hdr_fold = xcalloc((size_t)(cd->s * (w ? w : 1)), sizeof *m->hdr_fold);
    for (int l = 0; l < cd->s; l++) {
        const struct rowc *rc = &cx->rc[cd->r + l];
        for (int c = 0; c < w; c++)
            m->hdr_fold[l * w + c] = xstrdup(c < rc->n && (rc->fl[c] & CF_LABEL) ?
                                             rc->fold[c] : "");
    }
    if (m->last + 1 < cx->nrows && row_is_colnum(&cx->rows[m->last + 1], w))
        m->colnum_row = m->last + 1;
    scan_title(cx->kind, cx->rows, m->first, m);
    /* a title-block value is not overridden by a column read by meaning */
    for (int f = 0; f < F_COUNT; f++)
        if (m->title[f] != NULL && m->col[f] >= 0 && m->how[f] == HOW_MEANING) {
            m->refused[f] = m->col[f];
            m->col[f] = -1;
            free(m->label[f]);
            m->label[f] = NULL;
        }
    /* 05-2 has a non-resident column and no insurance column (docs/inputs.md, "Fields") */
    if (cx->kind == KIND_TAX && m->schedule == 0) {
        if (m->col[F_NON_RESIDENT] >= 0 && m->col[F_INSURANCE_DEDUCTION] < 0)
            m->schedule = 2;
        else if (m->col[F_INSURANCE_DEDUCTION] >= 0)
            m->schedule = 1;
    }
}

/* ---- the diagnostic ----------------------------------------------------- */

static size_t
utf8_cut(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    return max;
}

static sirecon_status
fail(struct ctx *cx, const struct cand *top, const char *file, struct diag *d)
{
    char miss[512], cells[DIAG_CELLS + 64];
    size_t ml = 0, cl = 0;
    int nmiss = 0;
    const char *kn = fields_kind_name(cx->kind);

    miss[0] = cells[0] = '\0';
    if (!top->valid)
        return diag_set(d, SIRECON_ERR_DATA, file, cx->nrows > 0 ? cx->rows[0].line : 0,
                        "%s file: no header row found in the first %d rows "
                        "(expected columns such as \"%s\")", kn, HEADER_SCAN_ROWS,
                        vi_label(cx->kind, kind_req[cx->kind].r[0].f[0]));
    for (size_t g = 0; g < kind_req[cx->kind].n; g++) {
        const struct req *q = &kind_req[cx->kind].r[g];
        int have = 0, k = 0;
        for (k = 0; k < 5 && q->f[k] >= 0; k++)
            if (top->col[q->f[k]] >= 0)
                have++;
        if (have >= q->min)
            continue;
        nmiss += q->min;
        if (ml > 0)
            ml += (size_t)snprintf(miss + ml, sizeof miss - ml, ", ");
        if (ml < sizeof miss && q->min > 1)
            ml += (size_t)snprintf(miss + ml, sizeof miss - ml, "at least %d of ", q->min);
        for (int i = 0; i < k && ml < sizeof miss; i++)
            ml += (size_t)snprintf(miss + ml, sizeof miss - ml, "%s%s (%s)",
                                   i == 0 ? "" : q->min > 1 ? ", " : " or ",
                                   fields_name((field_id)q->f[i]),
                                   vi_label(cx->kind, q->f[i]));
        if (ml >= sizeof miss)
            ml = sizeof miss - 1;
    }
    merge_block(cx, top->r, top->s, top->w);
    for (int c = 0; c < top->w; c++) {
        char *h = join_levels(cx, top, c, 0, top->s - 1);
        size_t hn = strlen(h), cut = utf8_cut(h, hn, 60);
        if (hn > 0) {
            if (cl + cut + 8 > DIAG_CELLS) {
                snprintf(cells + cl, sizeof cells - cl, "%s...", cl ? ", " : "");
                free(h);
                break;
            }
            cl += (size_t)snprintf(cells + cl, sizeof cells - cl, "%s\"%.*s%s\"",
                                   cl ? ", " : "", (int)cut, h, cut < hn ? "..." : "");
        }
        free(h);
    }
    return diag_set(d, SIRECON_ERR_DATA, file, cx->rows[top->r].line,
                    "%s file: missing required column%s %s; header cells seen: %s",
                    kn, nmiss > 1 ? "s" : "", miss, cells);
}

/* ---- official forms ----------------------------------------------------- */

/* The label of column c of a recognised form: its header cells top to
 * bottom, a blank one under a merged parent taking the parent's (the
 * nearest label to its left in that row, when a row below labels c). */
static char *
form_label(const struct hrow *rows, int first, int last, int c)
{
    char buf[3 * FOLD_MAX];
    size_t len = 0;

    buf[0] = '\0';
    for (int r = first; r <= last; r++) {
        const struct hrow *row = &rows[r];
        int cc = c;
        bool below = false;
        for (int q = r + 1; q <= last && !below; q++)
            below = !cell_blank(&rows[q], (size_t)c);
        while (below && cc > 0 && cell_blank(row, (size_t)cc))
            cc--;
        if (cell_blank(row, (size_t)cc) || (cc != c && !below))
            continue;
        const char *t = row->cells[cc].s;
        size_t n = row->cells[cc].n;
        values_trim(&t, &n);
        if (len + n + 2 >= sizeof buf)
            break;
        if (len)
            buf[len++] = ' ';
        for (size_t i = 0; i < n; i++) { /* "Tiền lương/\nHệ số lương": one line */
            char ch = t[i] == '\n' || t[i] == '\r' || t[i] == '\t' ? ' ' : t[i];
            if (ch != ' ' || (len > 0 && buf[len - 1] != ' '))
                buf[len++] = ch;
        }
        buf[len] = '\0';
    }
    return xstrdup(buf);
}

/* The header map of a file recognised as an official form: the form's own
 * columns, the title block above its header, its schedule. */
static void
fill_from_form(file_kind kind, const struct hrow *rows, size_t nrows,
               const struct form_match *fm, struct header_map *m)
{
    int w = 0;
    char f[FOLD_MAX];

    for (int r = fm->first; r <= fm->last; r++)
        if ((int)rows[r].ncells > w)
            w = (int)rows[r].ncells;
    if (fm->colnum_row >= 0 && (int)rows[fm->colnum_row].ncells > w)
        w = (int)rows[fm->colnum_row].ncells;
    m->first = fm->first;
    m->last = fm->last;
    m->colnum_row = fm->colnum_row;
    m->ncols = w;
    m->catalogued = fm->def;
    m->form = fm->def->code;
    m->schedule = fm->def->schedule;
    m->nform_missing = fm->nmissing;
    memcpy(m->form_missing, fm->missing, sizeof m->form_missing);
    m->nform_added = fm->nadded;
    memcpy(m->form_added, fm->added, sizeof m->form_added);
    m->header_cells = xcalloc((size_t)(w ? w : 1), sizeof *m->header_cells);
    for (int c = 0; c < w; c++)
        m->header_cells[c] = form_label(rows, fm->first, fm->last, c);
    for (int k = 0; k < F_COUNT; k++) {
        m->col[k] = fm->col[k];
        m->how[k] = HOW_FORM;
        if (fm->col[k] >= 0)
            m->label[k] = xstrdup(m->header_cells[fm->col[k]]);
    }
    int levels = fm->last - fm->first + 1;
    m->hdr_fold = xcalloc((size_t)(levels * (w ? w : 1)), sizeof *m->hdr_fold);
    for (int l = 0; l < levels; l++) {
        const struct hrow *row = &rows[fm->first + l];
        for (int c = 0; c < w; c++) {
            size_t k = 0;
            if ((size_t)c < row->ncells && !cell_blank(row, (size_t)c)) {
                const char *t = row->cells[c].s;
                size_t n = row->cells[c].n;
                values_trim(&t, &n);
                if (!header_is_colnum_cell(t, n))
                    k = header_fold(t, n, f, sizeof f);
            }
            f[k] = '\0';
            m->hdr_fold[l * w + c] = xstrdup(f);
        }
    }
    (void)nrows;
    scan_title(kind, rows, m->first, m);
    if (fm->def->schedule)
        m->schedule = fm->def->schedule;
    m->form = fm->def->code;
}

/* ---- the interface ------------------------------------------------------ */

sirecon_status
header_detect(file_kind kind, const struct hrow *rows, size_t nrows,
              const struct alias_extra *extra, size_t nextra, const char *file,
              struct header_map *out, struct diag *d)
{
    struct ctx cx;
    struct cand best, top;
    sirecon_status st = SIRECON_OK;

    map_init(out);
    if ((unsigned)kind >= KIND_COUNT || (rows == NULL && nrows > 0))
        return diag_set(d, SIRECON_ERR_INTERNAL, file, 0, "header_detect: bad arguments");
    {
        struct form_match fm;
        char name[128];
        if (forms_recognise(rows, nrows, &fm)) {
            if (fm.def->refuse != NULL) {
                out->catalogued = fm.def; /* a list, refused: not "no list" */
                return diag_set(d, SIRECON_ERR_DATA, file, 0,
                                "this is form %s: %s; it is not read as an input",
                                forms_name(fm.def, name, sizeof name), fm.def->refuse);
            }
            if (fm.def->kind == kind) {
                fill_from_form(kind, rows, nrows, &fm, out);
                return SIRECON_OK;
            }
        }
    }
    ctx_init(&cx, kind, rows, nrows, extra, nextra);
    search(&cx, &best, &top);
    if (best.valid)
        fill_map(&cx, &best, out);
    else
        st = fail(&cx, &top, file, d);
    ctx_free(&cx);
    return st;
}

file_kind
header_guess_kind(const struct hrow *rows, size_t nrows,
                  const struct alias_extra *extra, size_t nextra)
{
    file_kind pick = KIND_COUNT;
    int score = -1;
    struct form_match fm;

    if (forms_recognise(rows, nrows, &fm))
        return fm.def->kind; /* an official form, or one to refuse by name */

    /* kinds in order of preference, so a tie keeps the earlier one */
    for (int k = 0; k < KIND_COUNT; k++) {
        struct ctx cx;
        struct cand best, top;
        ctx_init(&cx, (file_kind)k, rows, nrows, extra, nextra);
        search(&cx, &best, &top);
        if (best.valid && best.score > score) {
            score = best.score;
            pick = (file_kind)k;
        }
        ctx_free(&cx);
    }
    return pick;
}

/* The total words, folded: "Tổng cộng", "Cộng", "Tổng", "Total", "Tổng số"... */
static bool
is_total_word(const char *f)
{
    static const char *const words[] = {
        "tongcong", "cong", "tong", "total", "tongso", "grandtotal", "subtotal",
        "congtrang", "tongcongtrang", "congphatsinh",
    };
    for (size_t i = 0; i < NELEM(words); i++)
        if (strcmp(f, words[i]) == 0)
            return true;
    return false;
}

static bool
fold_cell(const struct hrow *row, int c, char *f, size_t fsz)
{
    if (c < 0 || (size_t)c >= row->ncells) {
        f[0] = '\0';
        return false;
    }
    return header_fold(row->cells[c].s, row->cells[c].n, f, fsz) > 0;
}

/* The first byte of the cell's fold (markers stripped), 0 when the fold is
 * empty.  Folds one character, not the cell: lets the per-row checks reject
 * most cells cheaply. */
static int
first_folded_byte(const struct hrow *row, int c)
{
    const char *s;
    size_t n;

    if (c < 0 || (size_t)c >= row->ncells)
        return 0;
    s = row->cells[c].s;
    n = row->cells[c].n;
    header_strip_marker(&s, &n);
    for (size_t i = 0; i < n;) {
        unsigned char b = (unsigned char)s[i];
        size_t k = b < 0xC0 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        char f[16];
        if (b < 0x80) {
            if (isalnum(b))
                return tolower(b);
            i++;
            continue;
        }
        if (k > n - i)
            k = n - i;
        if (names_fold_label(s + i, k, f, sizeof f) > 0)
            return (unsigned char)f[0];
        i += k;
    }
    return 0;
}

/* Cell c folds to the header text h (both sides folded). */
static bool
cell_equals(const struct hrow *row, int c, const char *h)
{
    char f[FOLD_MAX];
    int b = first_folded_byte(row, c);

    if (b != (unsigned char)h[0])
        return false;
    if (b == 0)
        return true;
    fold_cell(row, c, f, sizeof f);
    return strcmp(f, h) == 0;
}

/* Cell c folds to a total word.  Every total word starts with t, c, g or s,
 * which no diacritic changes, so other cells are not folded. */
static bool
cell_is_total(const struct hrow *row, int c)
{
    char f[FOLD_MAX];
    int b = first_folded_byte(row, c);

    if (b != 't' && b != 'c' && b != 'g' && b != 's')
        return false;
    if (row->cells[c].n > 64)
        return false;
    return fold_cell(row, c, f, sizeof f) && is_total_word(f);
}

/* The next word of s from *i: a run of letters and digits (any non-ASCII
 * byte counts as a letter; the no-break space does not).  false at the end. */
static bool
next_word(const char *s, size_t n, size_t *i, const char **w, size_t *wn)
{
    size_t k = *i;

    while (k < n && (is_space_at(s, n, k) ||
                     ((unsigned char)s[k] < 0x80 && !isalnum((unsigned char)s[k]))))
        k += is_space_at(s, n, k) ? (size_t)is_space_at(s, n, k) : 1;
    if (k >= n)
        return false;
    *w = s + k;
    while (k < n && !is_space_at(s, n, k) &&
           ((unsigned char)s[k] >= 0x80 || isalnum((unsigned char)s[k])))
        k++;
    *wn = (size_t)(s + k - *w);
    *i = k;
    return true;
}

static bool
word_is(const char *w, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(w, lit, n) == 0;
}

static bool
word_is_ci(const char *w, size_t n, const char *lit)
{
    if (n != strlen(lit))
        return false;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)w[i]) != lit[i])
            return false;
    return true;
}

/* Digits, or a roman numeral (upper case only when upper is set). */
static bool
word_is_number(const char *w, size_t n, bool upper)
{
    size_t d = 0, r = 0;

    for (size_t i = 0; i < n; i++) {
        if (isdigit((unsigned char)w[i]))
            d++;
        else if (w[i] != '\0' && strchr(upper ? "IVXLC" : "IVXLCivxlc", w[i]) != NULL)
            r++;
    }
    return n > 0 && (d == n || r == n);
}

/* "Tống Công Sơn" in an accent-free export: every word capitalised, the
 * rest of it lower case, letters only. */
static bool
looks_like_name(const char *s, size_t n)
{
    const char *w;
    size_t wn, i = 0, words = 0;

    while (next_word(s, n, &i, &w, &wn)) {
        if (wn < 2 || !isupper((unsigned char)w[0]))
            return false;
        for (size_t k = 1; k < wn; k++)
            if (!islower((unsigned char)w[k]))
                return false;
        words++;
    }
    return words >= 3;
}

/*
 * A totals label longer than one word: "Tổng cộng (I+II)", "TỔNG CỘNG TOÀN
 * ĐƠN VỊ", "Tổng số người: 20", "Cộng II", "Cộng lũy kế".  The diacritics
 * keep people and companies out: the first word is "Tổng" (not the surname
 * "Tống") and the second "cộng" or "số", or the first is "Cộng" (not "Công")
 * followed by a number, "lũy kế", "phát sinh" or "trang" ("Cộng tác viên"
 * is no total).  Compared on NFC, case-folded text.  A cell without any
 * diacritic (an ASCII export) cannot tell "Tong" from "Tống": "tong cong" /
 * "tong so" followed by anything but "ty" ("Tong cong ty") unless the cell
 * is capitalised like a name ("Tong Cong Son"), and "cong" followed by
 * digits, an upper-case roman numeral, "luy ke" or "phat sinh".
 */
static bool
cell_is_total_phrase(const struct hrow *row, int c)
{
    char f[FOLD_MAX];
    const char *s, *w[3] = {NULL, NULL, NULL};
    size_t n, wn[3] = {0, 0, 0}, i = 0, nw = 0;
    int b = first_folded_byte(row, c);
    bool ascii = true, yes = false;

    if ((b != 't' && b != 'c') || row->cells[c].n > 96)
        return false;
    if (!fold_cell(row, c, f, sizeof f) ||
        (strncmp(f, "tongcong", 8) != 0 && strncmp(f, "tongso", 6) != 0 &&
         strncmp(f, "cong", 4) != 0))
        return false;
    s = row->cells[c].s;
    n = row->cells[c].n;
    values_trim(&s, &n);
    for (size_t k = 0; k < n && ascii; k++) {
        if ((unsigned char)s[k] < 0x80)
            continue;
        if (is_space_at(s, n, k) == 2)
            k++; /* a no-break space is no diacritic */
        else
            ascii = false;
    }

    if (ascii) {
        while (nw < 3 && next_word(s, n, &i, &w[nw], &wn[nw]))
            nw++;
        if (nw >= 2 && word_is_ci(w[0], wn[0], "tong") &&
            (word_is_ci(w[1], wn[1], "cong") || word_is_ci(w[1], wn[1], "so")))
            return !(nw == 3 && word_is_ci(w[1], wn[1], "cong") &&
                     word_is_ci(w[2], wn[2], "ty")) &&
                   !looks_like_name(s, n);
        if (nw >= 2 && word_is_ci(w[0], wn[0], "cong"))
            return word_is_number(w[1], wn[1], true) ||
                   (nw == 3 && word_is_ci(w[1], wn[1], "luy") &&
                    word_is_ci(w[2], wn[2], "ke")) ||
                   (nw == 3 && word_is_ci(w[1], wn[1], "phat") &&
                    word_is_ci(w[2], wn[2], "sinh"));
        return false;
    }

    utf8proc_uint8_t *dst = NULL;
    utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n,
                                      &dst, UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                                UTF8PROC_CASEFOLD);
    if (r == UTF8PROC_ERROR_NOMEM)
        (void)xmalloc(SIZE_MAX); /* dies through the one OOM path */
    if (r < 0)
        return false; /* invalid UTF-8: no totals label */
    const char *t = (const char *)dst;
    size_t tn = (size_t)r;
    while (nw < 3 && next_word(t, tn, &i, &w[nw], &wn[nw]))
        nw++;
    if (nw >= 2 && word_is(w[0], wn[0], "tổng"))
        yes = word_is(w[1], wn[1], "cộng") || word_is(w[1], wn[1], "số");
    else if (nw >= 2 && word_is(w[0], wn[0], "cộng"))
        yes = word_is_number(w[1], wn[1], false) || word_is(w[1], wn[1], "trang") ||
              (nw == 3 && (word_is(w[1], wn[1], "lũy") || word_is(w[1], wn[1], "luỹ")) &&
               word_is(w[2], wn[2], "kế")) ||
              (nw == 3 && word_is(w[1], wn[1], "phát") && word_is(w[2], wn[2], "sinh"));
    free(dst);
    return yes;
}

/* What a formula or lookup leaves in a row below the data when its inputs
 * are empty: Excel's error values, a zero, a dash. */
static bool
cell_is_residue(const struct hrow *row, size_t c)
{
    static const char *const v[] = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?",
                                    "#NUM!", "#NULL!", "0", "-"};
    const char *s = row->cells[c].s;
    size_t n = row->cells[c].n;

    values_trim(&s, &n);
    for (size_t i = 0; i < NELEM(v); i++)
        if (n == strlen(v[i]) && memcmp(s, v[i], n) == 0)
            return true;
    return false;
}

/*
 * Row classes, in this order: blank (also a row of formula residue only);
 * column numbers (as under the header);
 * the header again (every matched column equals the same header row, at
 * least one of them non-blank); totals.  A totals row is one where (a) one of
 * the first three cells, or the first non-empty cell, is a total word and is
 * not in a mapped name, ID, employer-name, area or address column (those
 * may hold "Tổng Công ty ..." or a person called "Tống"), or (b) no mapped
 * ID column holds a value and some cell, the name column included, is a
 * total word ("Tổng cộng" written in the name column), or one of the first
 * three cells, the first non-empty cell or the name cell is a totals phrase
 * ("Tổng cộng (I+II)", "Cộng II": cell_is_total_phrase).  Called for every
 * data row: cells are folded only when their first letter could match.
 */
row_class
header_classify(const struct header_map *m, const struct hrow *row)
{
    static const int person[] = {F_FULL_NAME, F_EMPLOYEE_TAX_ID, F_ID_NUMBER,
                                 F_SI_NUMBER, F_CMND, F_EMPLOYER_NAME, F_AREA,
                                 F_ADDRESS};
    static const int ids[] = {F_EMPLOYEE_TAX_ID, F_ID_NUMBER, F_SI_NUMBER, F_CMND};
    size_t c, first = row->ncells;

    for (c = 0; c < row->ncells; c++)
        if (!cell_blank(row, c) && !cell_is_residue(row, c)) {
            first = c;
            break;
        }
    if (first == row->ncells)
        return ROW_BLANK; /* empty, or only formula residue ("#N/A", "0") */
    for (c = 0; c < row->ncells; c++)
        if (!cell_blank(row, c)) {
            first = c;
            break;
        }
    if (row_is_colnum(row, m->ncols))
        return ROW_COLNUM;

    if (m->hdr_fold != NULL && m->first >= 0) {
        int levels = m->last - m->first + 1;
        for (int l = 0; l < levels; l++) {
            int same = 0, nonblank = 0;
            for (int k = 0; k < F_COUNT; k++) {
                int col = m->col[k];
                if (col < 0 || col >= m->ncols)
                    continue;
                const char *h = m->hdr_fold[l * m->ncols + col];
                if (!cell_equals(row, col, h)) {
                    same = -1;
                    break;
                }
                same++;
                if (h[0])
                    nonblank++;
            }
            if (same > 0 && nonblank > 0)
                return ROW_REPEAT;
        }
    }

    for (c = 0; c < row->ncells; c++) {
        bool excluded = false;
        if (c >= 3 && c != first) {
            if (c > first)
                break;
            continue;
        }
        for (size_t i = 0; i < NELEM(person); i++)
            if (m->col[person[i]] == (int)c)
                excluded = true;
        if (!excluded && cell_is_total(row, (int)c))
            return ROW_TOTAL;
    }
    for (size_t i = 0; i < NELEM(ids); i++)
        if (m->col[ids[i]] >= 0 && !cell_blank(row, (size_t)m->col[ids[i]]))
            return ROW_DATA;
    for (c = 0; c < row->ncells; c++) {
        bool early = c < 3 || c == first || (int)c == m->col[F_FULL_NAME];
        if (cell_is_total(row, (int)c) || (early && cell_is_total_phrase(row, (int)c)))
            return ROW_TOTAL;
    }
    return ROW_DATA;
}

const char *
header_row_class_name(row_class c)
{
    switch (c) {
    case ROW_DATA: return "data";
    case ROW_BLANK: return "blank";
    case ROW_COLNUM: return "column_numbers";
    case ROW_REPEAT: return "repeated_header";
    case ROW_TOTAL: return "totals";
    }
    return "?";
}
