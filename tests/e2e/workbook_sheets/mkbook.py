# A payroll program's year-end workbook (shape from a public payroll app's export):
# 05-1 and 05-2 on two sheets, the employer only in the first sheet's title,
# a parameters sheet without a list.
import openpyxl, sys
wb=openpyxl.Workbook()
ws=wb.active; ws.title='05-1-BK-QTT'
rows=[["BẢNG KÊ CHI TIẾT CÁ NHÂN THUỘC DIỆN TÍNH THUẾ THEO BIỂU LŨY TIẾN (Phụ lục 05-1/BK-QTT-TNCN) — NĂM 2025"],
["Công ty TNHH Minh Phát — MST: 0100233488"],
['STT','Mã NV','Họ và tên','MST','Số CCCD','Ủy quyền QT','Tổng TNCT','Số NPT','Giảm trừ bản thân','Giảm trừ NPT','Bảo hiểm được trừ','Thu nhập tính thuế','Thuế phải nộp','Thuế đã khấu trừ','Còn phải nộp (+) / Nộp thừa (−)'],
[1,'NV001','Nguyễn Văn An','','034085001111','x',120000000,0,132000000,0,10500000,0,0,0,0],
[2,'NV002','Trần Thị Bình','8012345677','','x',98400000,1,132000000,52800000,8610000,0,0,0,0],
['','','TỔNG CỘNG','','','',218400000,'','','','','',0,0,0],
["Lưu ý: Giảm trừ bản thân tính đủ 12 tháng cho người ủy quyền quyết toán."]]
for r in rows: ws.append(r)
ws2=wb.create_sheet('05-2-BK-QTT')
for r in [["BẢNG KÊ CÁ NHÂN KHẤU TRỪ THEO THUẾ SUẤT TOÀN PHẦN (Phụ lục 05-2/BK-QTT-TNCN) — NĂM 2025"],
['STT','Mã NV','Họ và tên','MST','Số CCCD','Cách tính thuế','Tổng TNCT','Thuế đã khấu trừ'],
[1,'CTV01','Lê Hoàng Cường','','036088003333','10%',30000000,3000000],
[2,'CTV02','Đỗ Thị Dung','','034191004444','10%',24000000,2400000]]: ws2.append(r)
ws3=wb.create_sheet('Tham số')
ws3.append(['Khóa','Giá trị']); ws3.append(['Giảm trừ bản thân',11000000])
wb.save(sys.argv[1])
