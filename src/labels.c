/*
 * labels.c - reading a column label by its meaning (docs/inputs.md).
 *
 * A label is folded into words (names_fold_words: no case, no diacritics,
 * đ -> d, camelCase and snake_case split).  Words inside parentheses are
 * qualifiers, and so is everything from a conditional word on ("Số CCCD
 * nếu không có MST", "ID number (if no tax code)"): they may name another
 * field and never decide what the column is.  The head left is matched
 * against the phrase table below; the best phrase wins by weight, then by
 * length, then by how early it starts (Vietnamese puts the head noun
 * first: "Mức lương đóng BHXH" is a salary).  An identifier phrase such as
 * "mã số thuế" has an owner: the person's ("cá nhân", "NLĐ", "employee") or
 * the employer's ("đơn vị", "tổ chức trả thu nhập", "company"), read from
 * the head first, then from non-conditional qualifiers, else the kind's
 * default.  Veto phrases drop a field ("Thu nhập tính thuế" is not the
 * taxable income, "Ngày cấp CCCD" not an ID), and "other" phrases (row
 * number, phone, bank account, a dependant's data) make the label known
 * but fieldless.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include "sirecon/labels.h"
#include "sirecon/names.h"

#define LBL_MAX 512   /* folded label bytes considered */
#define TOK_MAX 48    /* words considered */
#define PH_TOK 6      /* words in a phrase, at most */

enum { KT = 1, KS = 2, KE = 4, KI = 8, KALL = 15 };

/* Pseudo-fields resolved by the owner of the identifier or name. */
enum { P_TAXCODE = F_COUNT + 1, P_NAME, P_IDDOC };

struct phrase {
    unsigned kinds;
    int field;       /* field_id or P_* */
    int weight;      /* 3 specific, 2 plain, 1 weak */
    const char *words;
};

static const struct phrase phrases[] = {
    /* the person's identity document */
    {KT | KS | KI, P_IDDOC, 3, "so cmnd"}, {KT | KS | KI, P_IDDOC, 3, "cmnd"},
    {KT | KS | KI, P_IDDOC, 3, "cmt"}, {KT | KS | KI, P_IDDOC, 3, "so cmt"},
    {KT | KS | KI, P_IDDOC, 3, "chung minh nhan dan"}, {KT | KS | KI, P_IDDOC, 3, "chung minh thu"},
    {KT | KS | KI, P_IDDOC, 3, "chung minh"},
    {KT | KS | KI, F_ID_NUMBER, 3, "cccd"}, {KT | KS | KI, F_ID_NUMBER, 3, "so cccd"},
    {KT | KS | KI, F_ID_NUMBER, 3, "can cuoc"}, {KT | KS | KI, F_ID_NUMBER, 3, "can cuoc cong dan"},
    {KT | KS | KI, F_ID_NUMBER, 3, "so can cuoc"}, {KT | KS | KI, F_ID_NUMBER, 3, "dinh danh"},
    {KT | KS | KI, F_ID_NUMBER, 3, "so dinh danh"}, {KT | KS | KI, F_ID_NUMBER, 3, "ma dinh danh"},
    {KT | KS | KI, F_ID_NUMBER, 3, "dinh danh ca nhan"}, {KT | KS | KI, F_ID_NUMBER, 3, "ho chieu"},
    {KT | KS | KI, F_ID_NUMBER, 3, "so ho chieu"}, {KT | KS | KI, F_ID_NUMBER, 3, "passport"},
    {KT | KS | KI, F_ID_NUMBER, 3, "citizen id"}, {KT | KS | KI, F_ID_NUMBER, 3, "citizen identity"},
    {KT | KS | KI, F_ID_NUMBER, 3, "citizen"}, {KT | KS | KI, F_ID_NUMBER, 3, "national id"},
    {KT | KS | KI, F_ID_NUMBER, 3, "id number"}, {KT | KS | KI, F_ID_NUMBER, 3, "id no"},
    {KT | KS | KI, F_ID_NUMBER, 3, "id card"}, {KT | KS | KI, F_ID_NUMBER, 3, "identity card"},
    {KT | KS | KI, F_ID_NUMBER, 3, "identity number"}, {KT | KS | KI, F_ID_NUMBER, 2, "identity"},
    {KT | KS | KI, F_ID_NUMBER, 3, "personal id"}, {KT | KS | KI, F_ID_NUMBER, 3, "pid"},
    {KT | KS | KI, F_ID_NUMBER, 3, "giay to tuy than"}, {KT | KS | KI, F_ID_NUMBER, 2, "so giay to"},
    {KT | KS | KI, F_ID_NUMBER, 2, "giay to"}, {KT | KS | KI, F_ID_NUMBER, 3, "nid"},
    {KT | KS | KI, F_ID_NUMBER, 3, "national identity"}, {KT | KS | KI, F_ID_NUMBER, 3, "ddcn"}, {KT | KS | KI, F_ID_NUMBER, 3, "nhan dang"},
    {KT | KS | KI, F_ID_NUMBER, 3, "identification number"}, {KT | KS | KI, F_ID_NUMBER, 3, "identification"},
    /* tax codes: the person's or the employer's by the owner */
    {KALL, P_TAXCODE, 3, "mã số thuế"}, {KALL, P_TAXCODE, 3, "mst"},
    {KALL, P_TAXCODE, 3, "mã thuế"}, {KALL, P_TAXCODE, 3, "tax code"},
    {KALL, P_TAXCODE, 3, "tax id"}, {KALL, P_TAXCODE, 3, "tax number"},
    {KALL, P_TAXCODE, 3, "taxpayer id"}, {KALL, P_TAXCODE, 3, "tin"},
    {KALL, P_TAXCODE, 3, "tax identification number"}, {KALL, P_TAXCODE, 3, "taxcode"},
    {KALL, P_TAXCODE, 3, "mst cn"}, {KALL, P_TAXCODE, 3, "mstcn"}, {KALL, P_TAXCODE, 3, "mst nld"},
    {KALL, P_TAXCODE, 3, "mst dn"}, {KALL, P_TAXCODE, 3, "mstdn"},
    {KT | KS | KI, F_EMPLOYEE_TAX_ID, 3, "pit code"}, {KT | KS | KI, F_EMPLOYEE_TAX_ID, 3, "pit id"},
    {KT | KS | KI, F_EMPLOYEE_TAX_ID, 3, "pit number"}, {KT | KS | KI, F_EMPLOYEE_TAX_ID, 3, "pit no"},
    {KT | KS | KI, F_EMPLOYEE_TAX_ID, 3, "personal income tax code"},
    {KT | KS | KI, F_EMPLOYEE_TAX_ID, 3, "pit tax code"},
    {KT | KS | KE, F_EMPLOYER_TAX_ID, 3, "ma so doanh nghiep"},
    {KT | KS | KE, F_EMPLOYER_TAX_ID, 3, "ma doanh nghiep"},
    {KT | KS | KE, F_EMPLOYER_TAX_ID, 3, "ma so dn"}, {KT | KS | KE, F_EMPLOYER_TAX_ID, 3, "ma dn"},
    /* the SI number */
    {KT | KS | KI, F_SI_NUMBER, 3, "maso bhxh"}, {KT | KS | KI, F_SI_NUMBER, 3, "mã số bhxh"}, {KT | KS | KI, F_SI_NUMBER, 3, "số sổ bhxh"},
    {KT | KS | KI, F_SI_NUMBER, 3, "mã bhxh"}, {KT | KS | KI, F_SI_NUMBER, 3, "số bhxh"},
    {KT | KS | KI, F_SI_NUMBER, 3, "ms bhxh"}, {KT | KS | KI, F_SI_NUMBER, 3, "msbhxh"},
    {KS | KI, F_SI_NUMBER, 2, "so so"},
    {KT | KS | KI, F_SI_NUMBER, 3, "mã số bảo hiểm"}, {KT | KS | KI, F_SI_NUMBER, 3, "số sổ bảo hiểm"},
    {KT | KS | KI, F_SI_NUMBER, 3, "mã bảo hiểm"}, {KT | KS | KI, F_SI_NUMBER, 3, "so bao hiem xa hoi"},
    {KT | KS | KI, F_SI_NUMBER, 3, "social insurance number"},
    {KT | KS | KI, F_SI_NUMBER, 3, "social insurance no"}, {KT | KS | KI, F_SI_NUMBER, 3, "social insurance code"},
    {KT | KS | KI, F_SI_NUMBER, 3, "social insurance id"}, {KT | KS | KI, F_SI_NUMBER, 3, "si number"},
    {KT | KS | KI, F_SI_NUMBER, 3, "si no"}, {KT | KS | KI, F_SI_NUMBER, 3, "si code"},
    {KT | KS | KI, F_SI_NUMBER, 3, "si id"}, {KT | KS | KI, F_SI_NUMBER, 3, "insurance number"},
    {KT | KS | KI, F_SI_NUMBER, 3, "insurance no"}, {KT | KS | KI, F_SI_NUMBER, 3, "so the bhxh"},
    {KT | KS | KI, F_SI_NUMBER, 3, "bhxh number"}, {KT | KS | KI, F_SI_NUMBER, 3, "bhxh no"},
    {KT | KS | KI, F_SI_NUMBER, 3, "bhxh code"}, {KT | KS | KI, F_SI_NUMBER, 3, "ma so bh"},
    {KT | KS | KI, F_SI_NUMBER, 3, "si book"}, {KT | KS | KI, F_SI_NUMBER, 3, "insurance book"},
    {KT | KS | KI, F_SI_NUMBER, 3, "social insurance book"}, {KT | KS | KI, F_SI_NUMBER, 3, "so so bao hiem xa hoi"},
    {KS | KI, F_SI_NUMBER, 1, "bhxh"}, {KS | KI, F_SI_NUMBER, 1, "social insurance"},
    /* names */
    {KALL, P_NAME, 3, "họ và tên"}, {KALL, P_NAME, 3, "họ tên"}, {KALL, P_NAME, 3, "full name"},
    {KALL, P_NAME, 3, "fullname"}, {KALL, P_NAME, 2, "tên"}, {KALL, P_NAME, 2, "name"},
    {KALL, P_NAME, 2, "tên đầy đủ"}, {KALL, P_NAME, 3, "họ tên đầy đủ"},
    /* a column headed by who is listed holds their names (alone only) */
    {KT | KS | KI, F_FULL_NAME, 1, "nguoi lao dong"}, {KT | KS | KI, F_FULL_NAME, 1, "nhan vien"},
    {KT | KS | KI, F_FULL_NAME, 1, "employee"}, {KT | KS | KI, F_FULL_NAME, 1, "ca nhan"},
    {KT | KS | KI, F_FULL_NAME, 1, "nguoi tham gia"}, {KT | KS | KI, F_FULL_NAME, 1, "participant"},
    {KT | KS | KE, F_EMPLOYER_NAME, 2, "đơn vị"}, {KT | KS | KE, F_EMPLOYER_NAME, 2, "doanh nghiep"},
    {KT | KS | KE, F_EMPLOYER_NAME, 2, "cong ty"}, {KT | KS | KE, F_EMPLOYER_NAME, 2, "employer"},
    {KT | KS | KE, F_EMPLOYER_NAME, 2, "company"}, {KT | KS | KE, F_EMPLOYER_NAME, 2, "to chuc tra thu nhap"},
    {KT | KS | KE, F_EMPLOYER_NAME, 2, "nguoi nop thue"},
    {KT | KS | KE, F_EMPLOYER_NAME, 2, "organisation"}, {KT | KS | KE, F_EMPLOYER_NAME, 2, "organization"},
    {KT | KS | KE, F_EMPLOYER_NAME, 2, "to chuc"},
    /* dates and periods */
    {KT | KS | KI, F_BIRTH_DATE, 3, "ngày sinh"}, {KT | KS | KI, F_BIRTH_DATE, 3, "năm sinh"},
    {KT | KS | KI, F_BIRTH_DATE, 3, "ngày tháng năm sinh"}, {KT | KS | KI, F_BIRTH_DATE, 3, "tháng năm sinh"},
    {KT | KS | KI, F_BIRTH_DATE, 3, "sinh"}, {KT | KS | KI, F_BIRTH_DATE, 3, "date of birth"},
    {KT | KS | KI, F_BIRTH_DATE, 3, "birth date"}, {KT | KS | KI, F_BIRTH_DATE, 3, "birthdate"},
    {KT | KS | KI, F_BIRTH_DATE, 3, "birth"}, {KT | KS | KI, F_BIRTH_DATE, 3, "dob"},
    {KT | KS | KI, F_BIRTH_DATE, 3, "birthday"}, {KT | KS | KI, F_BIRTH_DATE, 3, "born"},
    {KT, F_TAX_YEAR, 3, "năm quyết toán"}, {KT, F_TAX_YEAR, 3, "kỳ tính thuế"},
    {KT, F_TAX_YEAR, 3, "năm tính thuế"}, {KT, F_TAX_YEAR, 3, "kỳ quyết toán"},
    {KT, F_TAX_YEAR, 3, "tax year"}, {KT, F_TAX_YEAR, 3, "fiscal year"},
    {KT, F_TAX_YEAR, 3, "settlement year"}, {KT, F_TAX_YEAR, 3, "assessment year"},
    {KT, F_TAX_YEAR, 3, "tax period"}, {KT, F_TAX_YEAR, 3, "kỳ thuế"},
    {KT, F_TAX_YEAR, 2, "năm"}, {KT, F_TAX_YEAR, 2, "year"}, {KT, F_TAX_YEAR, 2, "period"},
    {KT, F_TAX_YEAR, 2, "kỳ"},
    {KT, F_INCOME_MONTHS, 3, "số tháng"}, {KT, F_INCOME_MONTHS, 3, "số tháng có thu nhập"},
    {KT, F_INCOME_MONTHS, 3, "số tháng làm việc"}, {KT, F_INCOME_MONTHS, 3, "tháng làm việc"},
    {KT, F_INCOME_MONTHS, 3, "income months"}, {KT, F_INCOME_MONTHS, 3, "months worked"},
    {KT, F_INCOME_MONTHS, 3, "months of income"}, {KT, F_INCOME_MONTHS, 3, "number of months"},
    {KT, F_INCOME_MONTHS, 2, "months"}, {KT, F_INCOME_MONTHS, 3, "tháng có thu nhập"},
    {KT, F_INCOME_MONTHS, 3, "tháng nhận thu nhập"},
    /* tax amounts */
    {KT, F_TAXABLE_INCOME, 3, "thu nhap chiu thue"}, {KT, F_TAXABLE_INCOME, 3, "tnct"},
    {KT, F_TAXABLE_INCOME, 3, "taxable income"}, {KT, F_TAXABLE_INCOME, 3, "chiu thue"},
    {KT, F_TAXABLE_INCOME, 3, "tong tn"}, {KT, F_TAXABLE_INCOME, 3, "taxable"},
    {KT, F_TAXABLE_INCOME, 2, "tong thu nhap"}, {KT, F_TAXABLE_INCOME, 2, "thu nhap"},
    {KT, F_TAXABLE_INCOME, 2, "income"}, {KT, F_TAXABLE_INCOME, 2, "gross income"},
    {KT, F_TAXABLE_INCOME, 2, "total income"},
    {KT, F_INSURANCE_DEDUCTION, 3, "bao hiem duoc tru"}, {KT, F_INSURANCE_DEDUCTION, 3, "bao hiem bat buoc"},
    {KT, F_INSURANCE_DEDUCTION, 3, "bh bat buoc"}, {KT, F_INSURANCE_DEDUCTION, 3, "bh duoc tru"},
    {KT, F_INSURANCE_DEDUCTION, 3, "bhxh duoc tru"}, {KT, F_INSURANCE_DEDUCTION, 3, "bhxh bhyt bhtn"},
    {KT, F_INSURANCE_DEDUCTION, 3, "khoan bao hiem"}, {KT, F_INSURANCE_DEDUCTION, 3, "tien bao hiem"},
    {KT, F_INSURANCE_DEDUCTION, 3, "insurance deduction"}, {KT, F_INSURANCE_DEDUCTION, 3, "insurance deducted"},
    {KT, F_INSURANCE_DEDUCTION, 3, "deducted insurance"}, {KT, F_INSURANCE_DEDUCTION, 3, "compulsory insurance"},
    {KT, F_INSURANCE_DEDUCTION, 3, "insurance contribution"}, {KT, F_INSURANCE_DEDUCTION, 3, "insurance contributions"},
    {KT, F_INSURANCE_DEDUCTION, 3, "si deduction"}, {KT, F_INSURANCE_DEDUCTION, 3, "duoc tru"},
    {KT, F_INSURANCE_DEDUCTION, 2, "bao hiem"}, {KT, F_INSURANCE_DEDUCTION, 2, "insurance"},
    {KT, F_INSURANCE_DEDUCTION, 1, "bhxh"}, {KT, F_INSURANCE_DEDUCTION, 2, "bh"},
    {KT, F_TAX_WITHHELD, 3, "da khau tru"}, {KT, F_TAX_WITHHELD, 3, "thue da khau tru"},
    {KT, F_TAX_WITHHELD, 3, "thue khau tru"}, {KT, F_TAX_WITHHELD, 3, "khau tru thue"},
    {KT, F_TAX_WITHHELD, 3, "tam nop"}, {KT, F_TAX_WITHHELD, 3, "tax withheld"},
    {KT, F_TAX_WITHHELD, 3, "withheld"}, {KT, F_TAX_WITHHELD, 3, "tax deducted"},
    {KT, F_TAX_WITHHELD, 3, "deducted tax"}, {KT, F_TAX_WITHHELD, 3, "withholding"},
    {KT, F_TAX_WITHHELD, 3, "khau tru"}, {KT, F_TAX_WITHHELD, 2, "pit"},
    {KT, F_TAX_WITHHELD, 2, "thue tncn"},
    {KT, F_SCHEDULE, 2, "mau"}, {KT, F_SCHEDULE, 2, "mau so"}, {KT, F_SCHEDULE, 2, "mau bieu"},
    {KT, F_SCHEDULE, 2, "phu luc"}, {KT, F_SCHEDULE, 2, "bang ke"}, {KT, F_SCHEDULE, 2, "schedule"},
    {KT, F_SCHEDULE, 2, "form"}, {KT, F_SCHEDULE, 2, "appendix"},
    {KT, F_NON_RESIDENT, 3, "khong cu tru"}, {KT, F_NON_RESIDENT, 3, "non resident"},
    {KT, F_NON_RESIDENT, 3, "nonresident"},
    /* SI spans */
    {KS | KE, F_UNIT_CODE, 3, "mã đơn vị"}, {KS | KE, F_UNIT_CODE, 3, "ma dv"},
    {KS | KE, F_UNIT_CODE, 3, "ma dvi"}, {KS | KE, F_UNIT_CODE, 3, "mã số đơn vị"},
    {KS | KE, F_UNIT_CODE, 3, "unit code"}, {KS | KE, F_UNIT_CODE, 3, "unit id"},
    {KS | KE, F_UNIT_CODE, 3, "unit"}, {KS | KE, F_UNIT_CODE, 3, "ma co quan"},
    {KS, F_SALARY, 3, "mức lương"}, {KS, F_SALARY, 3, "tiền lương"}, {KS, F_SALARY, 3, "lương"},
    {KS, F_SALARY, 3, "hệ số lương"}, {KS, F_SALARY, 3, "mức đóng"}, {KS, F_SALARY, 3, "salary"},
    {KS, F_SALARY, 3, "wage"}, {KS, F_SALARY, 3, "wages"}, {KS, F_SALARY, 3, "contribution base"},
    {KS, F_SALARY, 3, "insured salary"}, {KS, F_SALARY, 2, "pay"}, {KS, F_SALARY, 2, "base"},
    {KS, F_FROM_MONTH, 3, "từ tháng"}, {KS, F_FROM_MONTH, 3, "tháng bắt đầu"},
    {KS, F_FROM_MONTH, 3, "bat dau"}, {KS, F_FROM_MONTH, 3, "từ ngày"},
    {KS, F_FROM_MONTH, 3, "from month"}, {KS, F_FROM_MONTH, 3, "start month"},
    {KS, F_FROM_MONTH, 3, "start"}, {KS, F_FROM_MONTH, 3, "from"}, {KS, F_FROM_MONTH, 3, "begin"},
    {KS, F_FROM_MONTH, 3, "effective from"}, {KS, F_FROM_MONTH, 3, "valid from"},
    {KS, F_FROM_MONTH, 3, "hiệu lực từ"}, {KS, F_FROM_MONTH, 2, "từ"},
    {KS, F_TO_MONTH, 3, "đến tháng"}, {KS, F_TO_MONTH, 3, "tháng kết thúc"},
    {KS, F_TO_MONTH, 3, "ket thuc"}, {KS, F_TO_MONTH, 3, "đến ngày"},
    {KS, F_TO_MONTH, 3, "to month"}, {KS, F_TO_MONTH, 3, "end month"}, {KS, F_TO_MONTH, 3, "end"},
    {KS, F_TO_MONTH, 3, "until"}, {KS, F_TO_MONTH, 3, "effective to"}, {KS, F_TO_MONTH, 3, "valid to"},
    {KS, F_TO_MONTH, 3, "hiệu lực đến"}, {KS, F_TO_MONTH, 2, "đến"}, {KS, F_TO_MONTH, 2, "to"},
    {KS, F_PLAN_CODE, 3, "phương án"}, {KS, F_PLAN_CODE, 3, "mã phương án"}, {KS, F_PLAN_CODE, 2, "pa"},
    {KS, F_PLAN_CODE, 3, "plan"}, {KS, F_PLAN_CODE, 3, "plan code"},
    {KS, F_CHANGE_TYPE, 3, "phan loai"}, {KS, F_CHANGE_TYPE, 3, "loai bien dong"},
    {KS, F_CHANGE_TYPE, 3, "bien dong"}, {KS, F_CHANGE_TYPE, 3, "tang giam"},
    {KS, F_CHANGE_TYPE, 3, "loai tang giam"}, {KS, F_CHANGE_TYPE, 3, "change type"},
    {KS, F_CHANGE_TYPE, 3, "movement"}, {KS, F_CHANGE_TYPE, 2, "change"},
    {KS, F_CHANGE_TYPE, 3, "loại khai báo"}, {KS, F_CHANGE_TYPE, 3, "loai khai bao"},
    {KS, F_CHANGE_TYPE, 3, "declaration type"},
    /* the registry */
    {KE, F_AREA, 3, "dia ban"}, {KE, F_AREA, 3, "xã phường"}, {KE, F_AREA, 3, "phường xã"},
    {KE, F_AREA, 2, "xã"}, {KE, F_AREA, 2, "phường"}, {KE, F_AREA, 2, "huyen"},
    {KE, F_AREA, 2, "quan huyen"}, {KE, F_AREA, 3, "khu vuc"}, {KE, F_AREA, 3, "area"},
    {KE, F_AREA, 3, "district"}, {KE, F_AREA, 3, "commune"}, {KE, F_AREA, 3, "ward"},
    {KE, F_WAGE_REGION, 3, "vùng"}, {KE, F_WAGE_REGION, 3, "vùng lương"}, {KE, F_WAGE_REGION, 3, "region"},
    {KE, F_WAGE_REGION, 3, "wage region"}, {KE, F_WAGE_REGION, 3, "vung ltt"},
    {KE, F_ADDRESS, 3, "địa chỉ"}, {KE, F_ADDRESS, 3, "address"}, {KE, F_ADDRESS, 3, "tru so"},
};

/* Phrases that remove one field from a label's readings wherever they
 * stand in its head (field -1: every person field). */
struct veto {
    int field;
    const char *words;
};

static const struct veto vetoes[] = {
    {F_TAXABLE_INCOME, "tinh thue"}, {F_TAXABLE_INCOME, "mien"}, {F_TAXABLE_INCOME, "giam"},
    {F_TAXABLE_INCOME, "khong chiu"}, {F_TAXABLE_INCOME, "trong do"}, {F_TAXABLE_INCOME, "of which"},
    {F_TAXABLE_INCOME, "exempt"}, {F_TAXABLE_INCOME, "assessable"}, {F_TAXABLE_INCOME, "net"},
    {F_TAXABLE_INCOME, "so thang"}, {F_TAXABLE_INCOME, "thang co"}, {F_TAXABLE_INCOME, "months"}, {F_TAXABLE_INCOME, "khau tru"},
    {F_INSURANCE_DEDUCTION, "tu nguyen"}, {F_INSURANCE_DEDUCTION, "voluntary"},
    {F_INSURANCE_DEDUCTION, "nhan tho"}, {F_INSURANCE_DEDUCTION, "life"},
    {F_INSURANCE_DEDUCTION, "ma so"}, {F_INSURANCE_DEDUCTION, "so so"}, {F_INSURANCE_DEDUCTION, "ma"},
    {F_INSURANCE_DEDUCTION, "number"}, {F_INSURANCE_DEDUCTION, "no"}, {F_INSURANCE_DEDUCTION, "code"},
    {F_INSURANCE_DEDUCTION, "thoi diem"}, {F_INSURANCE_DEDUCTION, "ngay"},
    {F_INSURANCE_DEDUCTION, "gia canh"}, {F_INSURANCE_DEDUCTION, "tu thien"},
    {F_INSURANCE_DEDUCTION, "thue"},
    {F_TAX_WITHHELD, "phai nop"}, {F_TAX_WITHHELD, "nop thua"}, {F_TAX_WITHHELD, "hoan"},
    {F_TAX_WITHHELD, "refund"}, {F_TAX_WITHHELD, "payable"}, {F_TAX_WITHHELD, "bao hiem"},
    {F_TAX_WITHHELD, "insurance"}, {F_TAX_WITHHELD, "gia canh"}, {F_TAX_WITHHELD, "code"},
    {F_TAX_WITHHELD, "id"}, {F_CHANGE_TYPE, "ma"}, {F_CHANGE_TYPE, "code"},
    {F_INCOME_MONTHS, "giam tru"}, {F_INCOME_MONTHS, "bao hiem"}, {F_INCOME_MONTHS, "bhxh"},
    {F_INCOME_MONTHS, "dong"}, {F_INCOME_MONTHS, "insurance"},
    {F_TAX_YEAR, "sinh"}, {F_TAX_YEAR, "birth"}, {F_TAX_YEAR, "cap"}, {F_TAX_YEAR, "so nam"},
    {F_TAX_YEAR, "thang"}, {F_TAX_YEAR, "ngay"}, {F_TAX_YEAR, "tham nien"},
    {F_TAX_YEAR, "trong nam"}, {F_TAX_YEAR, "thu nhap"}, {F_TAX_YEAR, "chiu thue"},
    {F_TAX_YEAR, "tn"}, {F_TAX_YEAR, "income"}, {F_TAX_YEAR, "tien"}, {F_TAX_YEAR, "so"},
    {F_SI_NUMBER, "luong"}, {F_SI_NUMBER, "tien"}, {F_SI_NUMBER, "muc"}, {F_SI_NUMBER, "duoc tru"},
    {F_SI_NUMBER, "thoi diem"}, {F_SI_NUMBER, "thang"}, {F_SI_NUMBER, "ngay"},
    {F_SI_NUMBER, "bat dau"}, {F_SI_NUMBER, "ket thuc"}, {F_SI_NUMBER, "amount"},
    {F_SI_NUMBER, "salary"}, {F_SI_NUMBER, "bhyt"}, {F_SI_NUMBER, "tu"}, {F_SI_NUMBER, "den"},
    {F_SALARY, "phu cap"}, {F_SALARY, "allowance"},
    {F_FROM_MONTH, "hop dong"}, {F_FROM_MONTH, "hdld"}, {F_FROM_MONTH, "hd"},
    {F_FROM_MONTH, "contract"}, {F_FROM_MONTH, "doc hai"}, {F_FROM_MONTH, "nang nhoc"},
    {F_FROM_MONTH, "thu viec"}, {F_FROM_MONTH, "probation"}, {F_FROM_MONTH, "luong"},
    {F_TO_MONTH, "hop dong"}, {F_TO_MONTH, "hdld"}, {F_TO_MONTH, "hd"},
    {F_TO_MONTH, "contract"}, {F_TO_MONTH, "doc hai"}, {F_TO_MONTH, "nang nhoc"},
    {F_TO_MONTH, "thu viec"}, {F_TO_MONTH, "probation"}, {F_TO_MONTH, "luong"},
    {F_EMPLOYER_NAME, "ma"}, {F_EMPLOYER_NAME, "so"}, {F_EMPLOYER_NAME, "code"},
    {F_EMPLOYER_NAME, "id"}, {F_EMPLOYER_NAME, "dia chi"}, {F_EMPLOYER_NAME, "address"},
    {F_EMPLOYER_NAME, "thue"}, {F_EMPLOYER_NAME, "tax"}, {F_EMPLOYER_NAME, "mst"},
    {F_EMPLOYER_NAME, "vung"}, {F_EMPLOYER_NAME, "dia ban"},
    {F_FULL_NAME, "ngan hang"}, {F_FULL_NAME, "bank"}, {F_FULL_NAME, "tinh"},
    {F_FULL_NAME, "thanh pho"}, {F_FULL_NAME, "huyen"}, {F_FULL_NAME, "xa"},
    {F_FULL_NAME, "chuc"}, {F_FULL_NAME, "file"}, {F_FULL_NAME, "me"}, {F_FULL_NAME, "cha"},
    {F_FULL_NAME, "vo"}, {F_FULL_NAME, "chong"}, {F_FULL_NAME, "user"},
    {F_FULL_NAME, "khach hang"}, {F_FULL_NAME, "customer"}, {F_FULL_NAME, "san pham"},
    {F_FULL_NAME, "hang hoa"}, {F_FULL_NAME, "product"}, {F_FULL_NAME, "file"},
    {F_EMPLOYEE_TAX_ID, "thong tin"}, {F_EMPLOYER_TAX_ID, "thong tin"},
    {F_UNIT_CODE, "thue"}, {F_UNIT_CODE, "ten"}, {F_UNIT_CODE, "name"}, {F_UNIT_CODE, "tax"},
    {F_AREA, "dia chi"}, {F_AREA, "address"},
    {F_SCHEDULE, "so"}, {F_SCHEDULE, "ngay"},
};

/* Labels known to feed no field: the label is read as LABELS_OTHER when
 * one of these starts no later than the best field phrase.  `not_id`: 1
 * the column can never hold a person's identifier; 2 the same, but only
 * when the word starts the label ("No", "Type": in "SI Book No." or "ID
 * type" they qualify another word); 0 known, but it may hold IDs. */
struct other {
    const char *words;
    int not_id;
};

static const struct other others[] = {
    {"stt", 2}, {"so thu tu", 1}, {"tt", 2}, {"no", 2}, {"ghi chu", 1}, {"note", 2},
    {"notes", 2}, {"remark", 2}, {"remarks", 2}, {"gioi tinh", 1}, {"gender", 1}, {"sex", 2},
    {"chuc vu", 1}, {"chuc danh", 1}, {"position", 1}, {"job", 2}, {"nghe nghiep", 1},
    {"phong ban", 1}, {"bo phan", 1}, {"department", 1}, {"quoc tich", 1}, {"nationality", 1},
    {"dan toc", 1}, {"dien thoai", 1}, {"sdt", 1}, {"so dt", 1}, {"phone", 1}, {"mobile", 1},
    {"tel", 2}, {"dtdd", 1}, {"di dong", 1}, {"email", 1}, {"mail", 2}, {"tai khoan", 1},
    {"stk", 1}, {"so tk", 1}, {"account", 1}, {"ngan hang", 1}, {"bank", 1},
    {"ngay cap", 1}, {"noi cap", 1}, {"date of issue", 1}, {"issue date", 1}, {"issued", 1},
    {"place of issue", 1}, {"loai giay to", 1}, {"loai", 2}, {"type", 2},
    {"phu thuoc", 1}, {"npt", 1}, {"dependant", 1}, {"dependent", 1}, {"dependants", 1},
    {"dependents", 1}, {"giam tru", 1}, {"gia canh", 1}, {"tu thien", 1}, {"nhan dao", 1},
    {"khuyen hoc", 1}, {"huu tri tu nguyen", 1}, {"uy quyen", 1}, {"thu nhap tinh thue", 1},
    {"so thue phai nop", 1}, {"phai nop", 1}, {"nop thua", 1}, {"hoan", 1},
    {"phu cap", 1}, {"allowance", 1}, {"hop dong", 1}, {"hdld", 1}, {"contract", 1},
    {"trinh do", 1}, {"hoc van", 1}, {"dia chi", 1}, {"address", 1}, {"ho khau", 1},
    {"noi sinh", 1}, {"que quan", 1}, {"benh vien", 1}, {"kcb", 1}, {"noi dang ky", 1},
    {"bhyt", 1}, {"the bhyt", 1}, {"health insurance", 1}, {"muc huong", 1},
    {"ma nhan vien", 0}, {"ma nv", 0}, {"msnv", 0}, {"employee code", 0}, {"employee id", 0},
    {"staff id", 0}, {"employee no", 0}, {"ma cham cong", 0},
    {"don vi tien", 1}, {"don vi tinh", 1}, {"dvt", 1}, {"currency", 1}, {"unit of", 1},
    {"ky nhan", 1}, {"chu ky", 1}, {"signature", 1}, {"ky ten", 1},
};

/* Words that end the head: what follows qualifies it ("nếu không có MST"). */
static const char *const conditional[] = {
    "neu", "if", "khi", "truong hop", "hoac", "or", "tru khi", "unless", "except",
    "when", "where", "thay cho", "instead of", "in case", "doi voi", "for",
};

static const char *const owner_employer[] = {
    "don vi", "to chuc", "doanh nghiep", "dn", "cong ty", "cty", "employer", "company",
    "nguoi nop thue", "nnt", "tra thu nhap", "co quan", "payer", "enterprise", "firm",
    "organization", "organisation", "nguoi su dung lao dong", "business", "chi nhanh",
    "branch", "mstdn",
};
static const char *const owner_person[] = {
    "ca nhan", "nguoi lao dong", "nld", "nhan vien", "nv", "employee", "personal", "person",
    "individual", "cn", "worker", "staff", "nguoi tham gia", "cong dan", "citizen",
    "tncn", "nhan thu nhap", "mstcn", "pit", "nguoi", "member",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct toks {
    const char *w[TOK_MAX];
    const unsigned char *m[TOK_MAX]; /* the diacritics of w's letters, or NULL */
    unsigned char len[TOK_MAX];
    int n;
};

/* Split a folded label into words; marks (or NULL) are its diacritics,
 * byte for byte (names_fold_words_marked). */
static void
tokenize(char *buf, const unsigned char *marks, struct toks *t)
{
    char *p = buf;

    t->n = 0;
    while (*p && t->n < TOK_MAX) {
        char *q = p;
        while (*q && *q != ' ')
            q++;
        t->w[t->n] = p;
        t->m[t->n] = marks ? marks + (p - buf) : NULL;
        t->len[t->n] = (unsigned char)(q - p > 255 ? 255 : q - p);
        t->n++;
        p = *q ? q + 1 : q;
    }
}

/* Whether two words of the same folded letters carry the same diacritics:
 * each letter its modifier (ă â ê ô ơ ư đ), the word one tone wherever it
 * sits ("uỷ" and "ủy", "hoà" and "hòa" are one word). */
static bool
same_marks(const unsigned char *a, const unsigned char *b, size_t n)
{
    int ta = 0, tb = 0;

    for (size_t i = 0; i < n; i++) {
        if ((a[i] & NAMES_MARK_MODIFIER) != (b[i] & NAMES_MARK_MODIFIER))
            return false;
        if (ta == 0)
            ta = a[i] >> 3;
        if (tb == 0)
            tb = b[i] >> 3;
    }
    return ta == tb;
}

/* Position of the words of phrase ph in t[from..to), or -1; *nw its words.
 * With pm (the phrase's diacritics, for a phrase written with them, matched
 * against a label written with them) each word must carry the phrase's
 * diacritics too: "năm" is not the "Nam" of "Việt Nam". */
static int
find_phrase_m(const struct toks *t, int from, int to, const char *ph,
              const unsigned char *pm, int *nw)
{
    const char *pw[PH_TOK];
    size_t pl[PH_TOK];
    int k = 0;

    for (const char *p = ph; *p && k < PH_TOK;) {
        const char *q = strchr(p, ' ');
        size_t l = q ? (size_t)(q - p) : strlen(p);
        pw[k] = p;
        pl[k++] = l;
        p += l + (q ? 1 : 0);
    }
    if (nw)
        *nw = k;
    for (int i = from; i + k <= to; i++) {
        int j = 0;
        while (j < k && t->len[i + j] == pl[j] && memcmp(t->w[i + j], pw[j], pl[j]) == 0 &&
               (pm == NULL || t->m[i + j] == NULL ||
                same_marks(t->m[i + j], pm + (pw[j] - ph), pl[j])))
            j++;
        if (j == k)
            return i;
    }
    return -1;
}

static int
find_phrase(const struct toks *t, int from, int to, const char *ph, int *nw)
{
    return find_phrase_m(t, from, to, ph, NULL, nw);
}

/* The phrase table folded once (its Vietnamese may carry diacritics):
 * read-only after, so loader threads may classify at once. */
#define PH_FOLD 64
static struct {
    char fold[PH_FOLD];
    unsigned char marks[PH_FOLD];
    bool accented;
} ph_prep[NELEM(phrases)];
static pthread_once_t ph_once = PTHREAD_ONCE_INIT;

static void op_prep_init(void);

static void
ph_prep_init(void)
{
    op_prep_init();
    for (size_t i = 0; i < NELEM(phrases); i++) {
        names_fold_words_marked(phrases[i].words, strlen(phrases[i].words), ph_prep[i].fold,
                                ph_prep[i].marks, PH_FOLD);
        for (size_t k = 0; k < PH_FOLD && !ph_prep[i].accented; k++)
            ph_prep[i].accented = ph_prep[i].marks[k] != 0;
    }
}

/* The head of the label: its words outside parentheses, up to a
 * conditional word; qualifiers are the words in parentheses that do not
 * start with a conditional word.  Both as index lists into t. */
struct split {
    struct toks head, qual;
};

static bool
is_conditional(const struct toks *t, int i)
{
    for (size_t c = 0; c < NELEM(conditional); c++)
        if (find_phrase(t, i, t->n, conditional[c], NULL) == i)
            return true;
    return false;
}

static void
split_label(const struct toks *t, struct split *sp)
{
    int depth = 0;
    bool cut = false, qcond = false;

    sp->head.n = sp->qual.n = 0;
    for (int i = 0; i < t->n; i++) {
        if (t->len[i] == 1 && t->w[i][0] == '(') {
            depth++;
            qcond = i + 1 < t->n && is_conditional(t, i + 1);
            continue;
        }
        if (t->len[i] == 1 && t->w[i][0] == ')') {
            if (depth > 0)
                depth--;
            continue;
        }
        if (depth > 0) {
            if (!qcond && sp->qual.n < TOK_MAX) {
                sp->qual.w[sp->qual.n] = t->w[i];
                sp->qual.m[sp->qual.n] = t->m[i];
                sp->qual.len[sp->qual.n++] = t->len[i];
            }
            continue;
        }
        if (!cut && sp->head.n > 0 && is_conditional(t, i))
            cut = true;
        if (cut)
            continue;
        /* column numbers before the label: "09", "6" */
        if (sp->head.n == 0 && t->w[i][0] >= '0' && t->w[i][0] <= '9')
            continue;
        sp->head.w[sp->head.n] = t->w[i];
        sp->head.m[sp->head.n] = t->m[i];
        sp->head.len[sp->head.n++] = t->len[i];
    }
    if (sp->head.n == 0) /* the whole label in parentheses */
        sp->head = sp->qual, sp->qual.n = 0;
}

/* 1 the employer's, 2 the person's, 0 not said: the earliest owner phrase,
 * the longer of two at one position. */
static int
owner_of(const struct toks *t)
{
    int best = 0, bpos = TOK_MAX + 1, blen = 0;

    for (int side = 1; side <= 2; side++) {
        const char *const *v = side == 1 ? owner_employer : owner_person;
        size_t nv = side == 1 ? NELEM(owner_employer) : NELEM(owner_person);
        for (size_t i = 0; i < nv; i++) {
            int nw, p = find_phrase(t, 0, t->n, v[i], &nw);
            if (p >= 0 && (p < bpos || (p == bpos && nw > blen))) {
                best = side;
                bpos = p;
                blen = nw;
            }
        }
    }
    return best;
}

static bool
vetoed(const struct toks *head, int field)
{
    for (size_t i = 0; i < NELEM(vetoes); i++)
        if (vetoes[i].field == field && find_phrase(head, 0, head->n, vetoes[i].words, NULL) >= 0)
            return true;
    return false;
}

/* Resolve a pseudo-field for kind by the owner said in the label. */
static int
resolve(file_kind kind, int field, const struct split *sp, const struct phrase *ph)
{
    int own = owner_of(&sp->head);

    if (own == 0)
        own = owner_of(&sp->qual);
    switch (field) {
    case P_TAXCODE:
        if (strcmp(ph->words, "mstdn") == 0 || strcmp(ph->words, "mst dn") == 0)
            own = 1;
        if (own == 1)
            return F_EMPLOYER_TAX_ID;
        if (own == 2)
            return F_EMPLOYEE_TAX_ID;
        return kind == KIND_TAX || kind == KIND_IDENTITIES ? F_EMPLOYEE_TAX_ID
                                                           : F_EMPLOYER_TAX_ID;
    case P_NAME:
        return own == 1 ? F_EMPLOYER_NAME : F_FULL_NAME;
    case P_IDDOC:
        return kind == KIND_IDENTITIES ? F_CMND : F_ID_NUMBER;
    default:
        return field;
    }
}

/* Words that make a label about another person than the one the row lists:
 * the household head, a dependant, a guardian, a relative; and, as a
 * qualifier only (OP_QUAL_ONLY first entries), "(PL)": a household member of
 * the SI appendix ("Loại phụ lục", "Loại PL" at the head are the schedule).
 * Written with diacritics: "con" (child), not "còn". */
#define OP_QUAL_ONLY 1
static const char *const other_person[] = {
    "pl", "chủ hộ", "hộ gia đình", "npt", "người phụ thuộc", "giám hộ",
    "người giám hộ", "thân nhân", "vợ", "chồng", "cha", "mẹ", "bố", "con", "spouse",
    "guardian", "household", "household head", "relative", "dependant", "dependent",
};
#define OP_FOLD 32
static struct {
    char fold[OP_FOLD];
    unsigned char marks[OP_FOLD];
} op_prep[NELEM(other_person)];

static void
op_prep_init(void)
{
    for (size_t i = 0; i < NELEM(other_person); i++)
        names_fold_words_marked(other_person[i], strlen(other_person[i]), op_prep[i].fold,
                                op_prep[i].marks, OP_FOLD);
}

/* Whether words t name another person (other_person); qual: t is a
 * qualifier (in parentheses), where "PL" counts too. */
static bool
names_other_person(const struct toks *t, bool qual)
{
    for (size_t i = qual ? 0 : OP_QUAL_ONLY; i < NELEM(other_person); i++)
        if (find_phrase_m(t, 0, t->n, op_prep[i].fold, op_prep[i].marks, NULL) >= 0)
            return true;
    return false;
}

static bool
has_other_id_doc(const struct toks *head)
{
    static const char *const v[] = {"cccd", "can cuoc", "dinh danh", "ho chieu", "passport",
                                    "citizen", "personal id", "national id"};
    for (size_t i = 0; i < NELEM(v); i++)
        if (find_phrase(head, 0, head->n, v[i], NULL) >= 0)
            return true;
    return false;
}

int
labels_classify(file_kind kind, const char *s, size_t n, int *score)
{
    char buf[LBL_MAX];
    unsigned char marks[LBL_MAX];
    struct toks t;
    struct split sp;
    unsigned km;
    int best = LABELS_UNKNOWN, bw = 0, bn = 0, bpos = 0, opos = -1;
    bool accented = false;

    if (score)
        *score = 0;
    if ((unsigned)kind >= KIND_COUNT || s == NULL)
        return LABELS_UNKNOWN;
    pthread_once(&ph_once, ph_prep_init);
    km = 1u << kind;
    size_t len = names_fold_words_marked(s, n, buf, marks, sizeof buf);
    for (size_t i = 0; i < len && !accented; i++)
        accented = marks[i] != 0;
    /* a label typed without diacritics is read folded; one written with
     * them is read with them (docs/inputs.md, "Diacritics carry meaning") */
    tokenize(buf, accented ? marks : NULL, &t);
    split_label(&t, &sp);
    if (sp.head.n == 0)
        return LABELS_UNKNOWN;
    /* "Mã số BHXH (PL)", "Họ tên chủ hộ": another person's data */
    if (names_other_person(&sp.head, false) || names_other_person(&sp.qual, true))
        return LABELS_OTHER;
    for (size_t i = 0; i < NELEM(phrases); i++) {
        const struct phrase *ph = &phrases[i];
        int nw, p, f;
        if (!(ph->kinds & km))
            continue;
        p = find_phrase_m(&sp.head, 0, sp.head.n, ph_prep[i].fold,
                          ph_prep[i].accented ? ph_prep[i].marks : NULL, &nw);
        if (p < 0)
            continue;
        if (ph->field == F_FULL_NAME && ph->weight == 1 && nw != sp.head.n)
            continue; /* "Người lao động" names a column only standing alone */
        f = resolve(kind, ph->field, &sp, ph);
        if (kind == KIND_IDENTITIES && ph->field == P_IDDOC && has_other_id_doc(&sp.head))
            f = F_ID_NUMBER; /* "Số CMND/CCCD": any document, not only CMNDs */
        if (!fields_in_kind(kind, (field_id)f) || vetoed(&sp.head, f))
            continue;
        if (ph->weight > bw || (ph->weight == bw && (nw > bn || (nw == bn && p < bpos)))) {
            best = f;
            bw = ph->weight;
            bn = nw;
            bpos = p;
        }
    }
    /* "Ngày cấp CCCD", "Loại giấy tờ", "Mã số thuế người phụ thuộc": known,
     * no field.  An other phrase wins when it starts before the best field
     * phrase, or at it and longer; a dependant's data always. */
    for (size_t i = 0; i < NELEM(others); i++) {
        int nw, p = find_phrase(&sp.head, 0, sp.head.n, others[i].words, &nw);
        if (p < 0 || (others[i].not_id == 2 && best != LABELS_UNKNOWN))
            continue; /* "Loại phương án": a generic word before a field's head */
        if (best == LABELS_UNKNOWN || p < bpos || (p == bpos && nw > bn))
            opos = p;
    }
    /* "Trong đó: …" (of which): a part of an amount the form also gives
     * whole; sirecon reads the wholes, never a part */
    if (opos >= 0 || find_phrase(&sp.head, 0, sp.head.n, "trong do", NULL) >= 0 ||
        find_phrase(&sp.head, 0, sp.head.n, "of which", NULL) >= 0 ||
        find_phrase(&sp.head, 0, sp.head.n, "phu thuoc", NULL) >= 0 ||
        find_phrase(&sp.head, 0, sp.head.n, "npt", NULL) >= 0 ||
        find_phrase(&sp.head, 0, sp.head.n, "dependant", NULL) >= 0 ||
        find_phrase(&sp.head, 0, sp.head.n, "dependent", NULL) >= 0)
        return LABELS_OTHER;
    if (best != LABELS_UNKNOWN) {
        /* an unaccented copy of the name is a weak reading: the accented
         * column wins when both are there */
        if (best == F_FULL_NAME &&
            (find_phrase(&sp.head, 0, sp.head.n, "khong dau", NULL) >= 0 ||
             find_phrase(&sp.head, 0, sp.head.n, "unaccented", NULL) >= 0 ||
             find_phrase(&sp.qual, 0, sp.qual.n, "khong dau", NULL) >= 0))
            bw = 1;
        if (score)
            *score = bw;
    }
    return best;
}

bool
labels_other_person(const char *s, size_t n)
{
    char buf[LBL_MAX];
    unsigned char marks[LBL_MAX];
    struct toks t;
    struct split sp;
    bool accented = false;

    pthread_once(&ph_once, ph_prep_init);
    size_t len = names_fold_words_marked(s, n, buf, marks, sizeof buf);
    for (size_t i = 0; i < len && !accented; i++)
        accented = marks[i] != 0;
    tokenize(buf, accented ? marks : NULL, &t);
    if (t.n > 0 && t.len[0] == 1 && t.w[0][0] == '(')
        return names_other_person(&t, true); /* a qualifier alone: "(PL)" */
    split_label(&t, &sp);
    return names_other_person(&sp.head, false) || names_other_person(&sp.qual, true);
}

int
labels_not_person_id(const char *s, size_t n)
{
    char buf[LBL_MAX];
    struct toks t;
    struct split sp;

    if (labels_other_person(s, n))
        return 1; /* "Mã số BHXH (PL)": a household member's, not the row's */
    names_fold_words(s, n, buf, sizeof buf);
    tokenize(buf, NULL, &t);
    split_label(&t, &sp);
    for (size_t i = 0; i < NELEM(others); i++) {
        int p = others[i].not_id ? find_phrase(&sp.head, 0, sp.head.n, others[i].words, NULL)
                                 : -1;
        if (p == 0 || (p > 0 && others[i].not_id == 1))
            return 1;
    }
    return 0;
}
