"""The citizen slips: receipt (Mẫu 01), apology (Mẫu 04), supplement request (02), refusal (03)."""
from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError, OperationError
from core.pdf import forms, slips
from core.pdf.slip_data import load_dossier
from tests.core.pdf import sample
from tests.pdfread import page_sizes, pdf_fonts, pdf_text, render_pages

A5 = (419.528, 595.276)


@pytest.fixture
def office(db):
    sample.catalogue_only(db)
    sample.add_dossier(db, "X01-261005-0001", "X01", dt.datetime(2026, 10, 5, 8, 0))
    sample.add_dossier(db, "X01-261005-0002", "X01", dt.datetime(2026, 10, 5, 9, 15),
                       name="Lê Hoàng Yến", procedure="1.003596")
    return db


def words(path) -> str:
    return " ".join(pdf_text(path).split())


def assert_a5_single_page(path, tmp_path):
    sizes = page_sizes(path)
    assert len(sizes) == 1 and abs(sizes[0][0] - A5[0]) < 1 and abs(sizes[0][1] - A5[1]) < 1
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))
    assert len(render_pages(path, tmp_path)) == 1


def test_receipt_has_the_form_01_content(office, write_pdf, tmp_path):
    path = write_pdf(slips.build_receipt(office, "X01-261005-0002"))
    text = words(path)
    # headed by the commune that received it, not by the district of the report header
    assert "HUYỆN VĂN QUAN" not in text
    for part in ("UBND XÃ VĂN AN", "BỘ PHẬN MỘT CỬA",
                 "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: X01-261005-0002",
                 "Văn Quan, ngày 05 tháng 10 năm 2026",
                 "tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Lê Hoàng Yến",
                 "Đăng ký biến động quyền sử dụng đất",
                 "Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 05 tháng 10 năm 2026",
                 # 10 working days from Mon 5/10 09:15 -> Mon 19/10 09:15
                 "Thời gian trả kết quả giải quyết hồ sơ: 09 giờ 15 phút, ngày 19 tháng 10 năm 2026",
                 "10 ngày làm việc", "Vào Sổ theo dõi hồ sơ, Quyển số 2026, Số thứ tự 2",
                 "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "(Ký và ghi rõ họ tên)"):
        assert part in text, part
    assert_a5_single_page(path, tmp_path)


def test_receipt_qr_holds_the_code_and_due_time(office):
    item = load_dossier(office, "X01-261005-0002")
    assert slips.qr_payload(item) == "X01-261005-0002|2026-10-19 09:15"


def test_unknown_dossier_is_a_vietnamese_input_error(office):
    with pytest.raises(InputError, match="Không tìm thấy hồ sơ có mã 'X09-1'"):
        slips.build_receipt(office, "X09-1")


def test_apology_prints_original_and_new_dates_and_the_reason(office, write_pdf, tmp_path):
    sample.add_extension(office, "X01-261005-0001", dt.datetime(2026, 10, 20, 16, 0),
                         "Cần xác minh thêm thông tin tại nơi cư trú.")
    path = write_pdf(slips.build_apology(office, "X01-261005-0001"))
    text = words(path)
    # received after 01/07/2025: Mẫu 04 of Circular 03/2025, its new title
    for part in ("PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                 "Kính gửi: Ông/Bà Nguyễn Thị Ánh", "mã số hồ sơ: X01-261005-0001",
                 # 3 working days from Mon 5/10 08:00 -> Thu 8/10 08:00
                 "08 giờ 00 phút, ngày 08 tháng 10 năm 2026",
                 "Lý do: Cần xác minh thêm thông tin tại nơi cư trú.",
                 "16 giờ 00 phút, ngày 20 tháng 10 năm 2026", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"):
        assert part in text, part
    assert_a5_single_page(path, tmp_path)


def test_apology_without_extension_is_refused(office):
    with pytest.raises(OperationError, match="chưa được gia hạn"):
        slips.build_apology(office, "X01-261005-0001")


def test_supplement_request_uses_the_latest_request(office, write_pdf, tmp_path):
    with pytest.raises(InputError):
        forms.build_supplement_request(office, "X01-261005-0001")
    path = write_pdf(forms.build_supplement_request(
        office, "X01-261005-0001", items=["Bản sao giấy chứng sinh", "Tờ khai có chữ ký"],
        officer="Hà Thị Mai", officer_phone="0205 3830 123", issued=dt.date(2026, 10, 6)))
    text = words(path)
    for part in ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "1. Bản sao giấy chứng sinh",
                 "2. Tờ khai có chữ ký", "Hà Thị Mai, số điện thoại 0205 3830 123",
                 "NGƯỜI HƯỚNG DẪN", "Văn Quan, ngày 06 tháng 10 năm 2026"):
        assert part in text, part
    assert_a5_single_page(path, tmp_path)


def test_desk_refusal_takes_plain_values(db, write_pdf, tmp_path):
    sample.put_header(db)
    path = write_pdf(forms.build_refusal(
        db, applicant_name="Trần Văn Đức", procedure_name="Đăng ký kết hôn",
        reason="Thủ tục thuộc thẩm quyền của UBND xã nơi cư trú.", issued=dt.date(2026, 2, 3)))
    text = words(path)
    for part in ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Trần Văn Đức", "Đăng ký kết hôn",
                 "Thủ tục thuộc thẩm quyền của UBND xã nơi cư trú.",
                 "Văn Quan, ngày 03 tháng 02 năm 2026", "NGƯỜI NỘP HỒ SƠ"):
        assert part in text, part
    assert_a5_single_page(path, tmp_path)
    with pytest.raises(InputError, match="lý do"):
        forms.build_refusal(db, applicant_name="A", procedure_name="B", reason=" ")


def test_slip_drafts_are_marked(office, write_pdf):
    from tests.pdfread import page_texts_pdfium

    draft = page_texts_pdfium(write_pdf(slips.build_receipt(office, "X01-261005-0001", draft=True)))
    assert "BẢN NHÁP" in draft[0]
