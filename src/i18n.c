/*
 * i18n.c - the workbook's labels in English and Vietnamese.
 *
 * One static table of (key, en, vi), sorted by key in strcmp() order so a
 * lookup is a binary search (the unit test checks the order and that keys
 * are unique).  Vietnamese text is UTF-8 in NFC.  Unknown keys come back
 * unchanged, so a missing label shows up as its key instead of crashing.
 * CSV and JSON field names are always English and never come from here.
 */
#include <stdlib.h>
#include <string.h>
#include "sirecon/i18n.h"

struct i18n_entry {
    const char *key;
    const char *en;
    const char *vi;
};

/* Keep sorted by key (strcmp order: '.' < 'A'..'Z' < '_' < 'a'..'z'). */
STATIC const struct i18n_entry i18n_table[] = {
    {"col.area", "Area", "Địa bàn"},
    {"col.birth_date", "Birth date", "Ngày sinh"},
    {"col.column", "Column", "Cột"},
    {"col.confidence", "Confidence", "Độ tin cậy"},
    {"col.coverage_pct", "Coverage %", "Tỷ lệ tham gia (%)"},
    {"col.covered_elsewhere", "Covered elsewhere", "Tham gia ở đơn vị khác"},
    {"col.covered_months", "Covered months", "Số tháng tham gia"},
    {"col.deducted_not_enrolled", "Deducted, not enrolled", "Đã trừ BH nhưng chưa tham gia"},
    {"col.detail", "Detail", "Chi tiết"},
    {"col.employer_name", "Employer name", "Tên đơn vị"},
    {"col.employer_tax_id", "Employer tax code", "Mã số thuế đơn vị"},
    {"col.enrolled", "Enrolled", "Đã tham gia BHXH"},
    {"col.est_arrears", "Estimated arrears (VND)", "Số nợ ước tính (VND)"},
    {"col.file", "File", "Tệp"},
    {"col.finding", "Finding", "Kết luận"},
    {"col.flags", "Flags", "Cờ cảnh báo"},
    {"col.full_name", "Full name", "Họ và tên"},
    {"col.id_kind", "ID kind", "Loại mã định danh"},
    {"col.insurance_deduction", "Insurance deducted (VND)", "Bảo hiểm được trừ (VND)"},
    {"col.kind", "Kind", "Loại tệp"},
    {"col.line", "Line", "Dòng"},
    {"col.not_enrolled", "Not enrolled", "Chưa tham gia BHXH"},
    {"col.other_employer_tax_id", "Other employer tax code", "MST đơn vị khác"},
    {"col.partial", "Partially enrolled", "Tham gia không đủ tháng"},
    {"col.person_id", "Person ID", "Mã định danh cá nhân"},
    {"col.rank", "Rank", "Hạng"},
    {"col.reason", "Reason", "Lý do"},
    {"col.review", "To review", "Cần xem xét"},
    {"col.rule", "Rule", "Quy tắc"},
    {"col.schedule", "Schedule", "Phụ lục"},
    {"col.source", "Source", "Nguồn"},
    {"col.status", "Status", "Tình trạng"},
    {"col.taxable_income", "Taxable income (VND)", "Tổng thu nhập chịu thuế (VND)"},
    {"col.taxed", "Taxed employees", "Số NLĐ quyết toán thuế"},
    {"col.trend", "Trend", "Diễn biến"},
    {"col.unenrolled_income",
     "Income of not enrolled (VND)",
     "Thu nhập của NLĐ chưa tham gia (VND)"},
    {"finding.NO_SI_REGISTRATION", "No SI registration", "Chưa đăng ký tham gia BHXH"},
    {"finding.PARTIAL_ENROLLMENT", "Partial enrollment", "Tham gia BHXH không đủ thời gian"},
    {"finding.UNDER_ENROLLMENT", "Under-enrollment", "Tham gia BHXH không đủ số người"},
    {"flag.DEDUCTED_NOT_ENROLLED",
     "Insurance deducted but not enrolled",
     "Đã khấu trừ bảo hiểm nhưng chưa tham gia"},
    {"flag.FOLDED_NAME_MATCH", "Matched on the accent-free name", "Khớp theo họ tên không dấu"},
    {"flag.ID_BIRTH_YEAR_MISMATCH", "ID and birth year disagree", "Năm sinh không khớp số CCCD"},
    {"flag.ID_CORRUPTED", "ID corrupted (scientific notation)", "Mã số bị hỏng (dạng số mũ)"},
    {"flag.ID_MALFORMED", "Malformed ID", "Mã số sai định dạng"},
    {"flag.ID_PLACEHOLDER", "Placeholder ID", "Mã số giả (coi như trống)"},
    {"flag.LEADING_ZERO_RESTORED", "Leading zero restored", "Đã khôi phục số 0 đầu"},
    {"flag.LOW_BASE", "Low contribution base", "Mức lương đóng BHXH thấp"},
    {"flag.TAX_ID_CHECK_DIGIT", "Tax code check digit wrong", "Mã số thuế sai chữ số kiểm tra"},
    {"idkind.cmnd", "Old ID card (CMND)", "Chứng minh nhân dân (CMND)"},
    {"idkind.passport", "Passport", "Hộ chiếu"},
    {"idkind.personal_id", "Personal ID (CCCD)", "Số định danh cá nhân (CCCD)"},
    {"idkind.si_number", "SI number", "Mã số BHXH"},
    {"idkind.tax_code", "Personal tax code", "Mã số thuế cá nhân"},
    {"kind.employers", "Employer registry", "Danh mục đơn vị"},
    {"kind.identities", "Identities crosswalk", "Bảng đối chiếu mã định danh"},
    {"kind.si", "SI participation", "Tham gia BHXH"},
    {"kind.tax", "PIT settlement", "Quyết toán thuế TNCN"},
    {"method.arrears",
     "Estimated arrears (an estimate for ranking, not an assessment)",
     "Số nợ ước tính (chỉ dùng để xếp hạng, không phải số truy thu)"},
    {"method.code", "Code", "Mã"},
    {"method.employers", "Employers", "Số đơn vị"},
    {"method.explanation", "Explanation", "Giải thích"},
    {"method.findings", "Findings", "Kết luận"},
    {"method.flags", "Flags", "Cờ cảnh báo"},
    {"method.formula",
     "For each not-enrolled record: months = income_months, or the months of the review period; monthly base = (insurance_deduction > 0 ? insurance_deduction / employee_rate : taxable_income) / months, clamped to [regional minimum wage, base_cap]; arrears = monthly base × months × (employer_rate + employee_rate). Employers are ranked by estimated arrears, then not-enrolled count, then tax code.",
     "Với mỗi bản ghi chưa tham gia: số tháng = income_months, hoặc số tháng của kỳ xem xét; tiền lương tháng = (insurance_deduction > 0 ? insurance_deduction / employee_rate : taxable_income) / số tháng, giới hạn trong [lương tối thiểu vùng, base_cap]; số nợ = tiền lương tháng × số tháng × (employer_rate + employee_rate). Đơn vị được xếp hạng theo số nợ ước tính, rồi số NLĐ chưa tham gia, rồi mã số thuế."},
    {"method.label", "Label", "Nhãn"},
    {"method.parameter", "Parameter", "Tham số"},
    {"method.parameters", "Parameters", "Tham số"},
    {"method.profile_key", "Profile key", "Khóa trong tệp tham số"},
    {"method.reasons", "Reasons", "Lý do"},
    {"method.records", "Records", "Số bản ghi"},
    {"method.rules",
     "Matching rules (the first that succeeds decides)",
     "Quy tắc đối chiếu (quy tắc đầu tiên khớp sẽ quyết định)"},
    {"method.statuses", "Statuses", "Tình trạng"},
    {"method.value", "Value", "Giá trị"},
    {"param.base_cap",
     "Contribution base cap (VND a month)",
     "Mức trần tiền lương đóng (VND/tháng)"},
    {"param.employee_rate", "Employee contribution rate", "Tỷ lệ đóng của người lao động"},
    {"param.employer_rate", "Employer contribution rate", "Tỷ lệ đóng của đơn vị"},
    {"param.low_base_ratio",
     "Low-base ratio (LOW_BASE flag)",
     "Tỷ lệ mức lương đóng thấp (cờ LOW_BASE)"},
    {"param.min_wage_1",
     "Regional minimum wage, region I (VND a month)",
     "Lương tối thiểu vùng I (VND/tháng)"},
    {"param.min_wage_2",
     "Regional minimum wage, region II (VND a month)",
     "Lương tối thiểu vùng II (VND/tháng)"},
    {"param.min_wage_3",
     "Regional minimum wage, region III (VND a month)",
     "Lương tối thiểu vùng III (VND/tháng)"},
    {"param.min_wage_4",
     "Regional minimum wage, region IV (VND a month)",
     "Lương tối thiểu vùng IV (VND/tháng)"},
    {"param.period_months", "Months in the review period", "Số tháng của kỳ xem xét"},
    {"param.retire_female_months",
     "Retirement age, women (months)",
     "Tuổi nghỉ hưu của nữ (tháng)"},
    {"param.retire_male_months", "Retirement age, men (months)", "Tuổi nghỉ hưu của nam (tháng)"},
    {"print.page_of", "Page &P of &N", "Trang &P/&N"},
    {"reason.AMBIGUOUS_NAME", "Ambiguous name match", "Trùng tên, không xác định được người"},
    {"reason.COVERAGE_OUTSIDE_PERIOD",
     "SI coverage only outside the period",
     "Chỉ tham gia ngoài kỳ xem xét"},
    {"reason.EMPLOYER_NOT_REGISTERED",
     "Employer not registered for SI",
     "Đơn vị chưa đăng ký tham gia BHXH"},
    {"reason.ENROLLED_AT_OTHER_EMPLOYER",
     "Enrolled at another employer",
     "Đang tham gia tại đơn vị khác"},
    {"reason.FEWER_MONTHS_THAN_INCOME",
     "Fewer SI months than income months",
     "Số tháng đóng ít hơn số tháng có thu nhập"},
    {"reason.ID_CORRUPTED", "Corrupted ID and no other key", "Mã số bị hỏng, không có khóa khác"},
    {"reason.NO_SI_RECORD_AT_EMPLOYER",
     "No SI record at this employer",
     "Không có hồ sơ BHXH tại đơn vị"},
    {"reason.PAST_RETIREMENT_AGE", "Past retirement age", "Đã quá tuổi nghỉ hưu"},
    {"reason.SHORT_CONTRACT_OR_NON_RESIDENT",
     "Short contract or non-resident (05-2)",
     "HĐ dưới 3 tháng hoặc không cư trú (05-2)"},
    {"reason.UNREAD_ID_COLUMN",
     "An input holds an ID-like column that could not be read",
     "Tệp đầu vào có cột giống mã định danh nhưng không đọc được"},
    {"rule.R1_ID", "Shared identifier", "Trùng mã định danh"},
    {"rule.R1_ID.desc",
     "Same employer and a shared identifier (personal ID, tax code, CMND or SI number). Confidence A.",
     "Cùng đơn vị và trùng một mã định danh (CCCD, mã số thuế, CMND hoặc mã số BHXH). Độ tin cậy A."},
    {"rule.R2_NAME_DOB", "Name and birth date", "Họ tên và ngày sinh"},
    {"rule.R2_NAME_DOB.desc",
     "Same employer, same name and birth date (or year), one candidate on each side. Confidence B.",
     "Cùng đơn vị, trùng họ tên và ngày sinh (hoặc năm sinh), mỗi bên chỉ một người. Độ tin cậy B."},
    {"rule.R3_NAME", "Name only", "Chỉ họ tên"},
    {"rule.R3_NAME.desc",
     "Same employer, same name, no birth date on one side, exactly one candidate on each side. Confidence C.",
     "Cùng đơn vị, trùng họ tên, một bên không có ngày sinh, mỗi bên đúng một người. Độ tin cậy C."},
    {"rule.R4_ELSEWHERE", "Enrolled elsewhere", "Tham gia ở đơn vị khác"},
    {"rule.R4_ELSEWHERE.desc",
     "No match at this employer, but the person (by identifier) is enrolled at another employer in the period.",
     "Không khớp tại đơn vị, nhưng người này (theo mã định danh) tham gia tại đơn vị khác trong kỳ."},
    {"sheet.employees", "Employees", "Người lao động"},
    {"sheet.employers", "Employers", "Đơn vị"},
    {"sheet.method", "Method", "Phương pháp"},
    {"sheet.rejects", "Rejects", "Dòng bị loại"},
    {"sheet.review", "Review", "Cần xem xét"},
    {"sheet.summary", "Summary", "Tổng hợp"},
    {"status.COVERED_ELSEWHERE", "Covered elsewhere", "Tham gia ở đơn vị khác"},
    {"status.COVERED_ELSEWHERE.desc",
     "Enrolled at another employer in the period (lawful for a second job).",
     "Đang tham gia tại đơn vị khác trong kỳ (hợp pháp nếu là công việc thứ hai)."},
    {"status.ENROLLED", "Enrolled", "Đã tham gia"},
    {"status.ENROLLED.desc",
     "Matched at this employer and covered for the months with income.",
     "Khớp tại đơn vị và được đóng BHXH đủ các tháng có thu nhập."},
    {"status.NOT_ENROLLED", "Not enrolled", "Chưa tham gia"},
    {"status.NOT_ENROLLED.desc",
     "No SI participation at this employer in the review period.",
     "Không có quá trình tham gia BHXH tại đơn vị trong kỳ xem xét."},
    {"status.PARTIAL", "Partially enrolled", "Tham gia không đủ tháng"},
    {"status.PARTIAL.desc",
     "Matched, but covered for fewer months than the months with income.",
     "Khớp, nhưng số tháng đóng BHXH ít hơn số tháng có thu nhập."},
    {"status.REVIEW", "To review", "Cần xem xét"},
    {"status.REVIEW.desc",
     "Cannot be decided automatically; an inspector must look at it.",
     "Không tự động kết luận được; cán bộ cần xem xét."},
    {"sum.arrears_note",
     "estimated arrears — an estimate for ranking, not an assessment",
     "số nợ ước tính — chỉ dùng để xếp hạng, không phải số truy thu"},
    {"sum.arrears_total",
     "Estimated arrears of listed employers (VND)",
     "Số nợ ước tính của các đơn vị được liệt kê (VND)"},
    {"sum.branch_level", "Branches reconciled separately", "Đối chiếu riêng từng chi nhánh"},
    {"sum.by_finding", "Listed employers by finding", "Đơn vị theo kết luận"},
    {"sum.by_status", "Tax records by status", "Bản ghi thuế theo tình trạng"},
    {"sum.chart_area", "Findings by area", "Kết luận theo địa bàn"},
    {"sum.chart_data", "Chart data", "Dữ liệu biểu đồ"},
    {"sum.chart_top",
     "Top 20 employers by estimated arrears",
     "20 đơn vị có số nợ ước tính cao nhất"},
    {"sum.duplicates", "Duplicate tax rows merged", "Dòng thuế trùng đã gộp"},
    {"sum.employer", "Employer", "Đơn vị"},
    {"sum.encoding", "Encoding", "Bảng mã"},
    {"sum.include_short_contracts",
     "Short contracts counted as not enrolled",
     "Tính HĐ ngắn hạn là chưa tham gia"},
    {"sum.inputs", "Input files", "Tệp đầu vào"},
    {"sum.language", "Language", "Ngôn ngữ"},
    {"sum.language_name", "English", "Tiếng Việt"},
    {"sum.listed", "Listed employers", "Số đơn vị được liệt kê"},
    {"sum.mask_ids", "Personal IDs masked", "Che mã định danh cá nhân"},
    {"sum.max_reject_rate", "Maximum reject rate per file", "Tỷ lệ dòng bị loại tối đa mỗi tệp"},
    {"sum.min_missing",
     "Minimum not-enrolled employees to list an employer",
     "Số NLĐ chưa tham gia tối thiểu để liệt kê đơn vị"},
    {"sum.no", "no", "không"},
    {"sum.no_area", "(no area)", "(không rõ địa bàn)"},
    {"sum.none", "(none)", "(không có)"},
    {"sum.parameters", "Run parameters", "Tham số lần chạy"},
    {"sum.period", "Review period", "Kỳ xem xét"},
    {"sum.profile", "Profile (name, hash)", "Bộ tham số (tên, mã băm)"},
    {"sum.rejected_rows", "Rejected input rows", "Dòng đầu vào bị loại"},
    {"sum.resolved", "Resolved since last run", "Đã khắc phục kể từ lần chạy trước"},
    {"sum.rows_loaded", "Loaded", "Đã nạp"},
    {"sum.rows_read", "Rows read", "Số dòng đọc"},
    {"sum.rows_rejected", "Rejected", "Bị loại"},
    {"sum.sha256", "SHA-256 (prefix)", "SHA-256 (phần đầu)"},
    {"sum.started", "Run started (UTC)", "Thời điểm chạy (UTC)"},
    {"sum.tax_records", "Tax records", "Số bản ghi quyết toán thuế"},
    {"sum.title",
     "Reconciliation of PIT settlement and social insurance",
     "Đối chiếu quyết toán thuế TNCN và tham gia BHXH"},
    {"sum.top",
     "Inspect first: top employers by rank",
     "Đơn vị nên kiểm tra trước (theo thứ hạng)"},
    {"sum.totals", "Totals", "Tổng số"},
    {"sum.unread_id_column",
     "Warning: %s, column %d \"%s\" looks like personal identifiers but was not read; "
     "records it could have matched are in Review (UNREAD_ID_COLUMN)",
     "Cảnh báo: %s, cột %d \"%s\" giống mã định danh cá nhân nhưng không được đọc; "
     "các bản ghi có thể khớp nhờ cột này nằm ở trang Cần xem xét (UNREAD_ID_COLUMN)"},
    {"sum.version", "sirecon version", "Phiên bản sirecon"},
    {"sum.yes", "yes", "có"},
    {"trend.NEW", "New", "Mới"},
    {"trend.ONGOING", "Ongoing", "Tiếp diễn"},
    {"trend.months", "months", "tháng"},
};
STATIC const size_t i18n_table_len = sizeof i18n_table / sizeof i18n_table[0];

static int
entry_cmp(const void *k, const void *e)
{
    return strcmp(k, ((const struct i18n_entry *)e)->key);
}

const char *
i18n(lang l, const char *key)
{
    const struct i18n_entry *e;

    if (key == NULL)
        return "";
    e = bsearch(key, i18n_table, i18n_table_len, sizeof i18n_table[0], entry_cmp);
    if (e == NULL)
        return key;
    return l == LANG_VI ? e->vi : e->en;
}

/* POSIX precedence: LC_ALL overrides LC_MESSAGES overrides LANG; the first
 * one set to a non-empty value decides, even when it is not Vietnamese. */
lang
i18n_from_env(void)
{
    static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
        const char *v = getenv(vars[i]);
        if (v != NULL && v[0] != '\0')
            return strncmp(v, "vi", 2) == 0 ? LANG_VI : LANG_EN;
    }
    return LANG_EN;
}
