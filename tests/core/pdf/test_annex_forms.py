"""The forms of Circular 03/2025 Annex I for one dossier, rendered and read back (issue 13 §1).

Each form: its paper (A5 slips, A4 control slip), its Vietnamese wording, the dossier's code
whole on one line, and every page rendered. Dossiers received before 01/07/2025 are reprinted
with the forms of Circular 01/2018.
"""
from __future__ import annotations

import datetime as dt

import pytest

from core.errors import InputError
from core.pdf import dossier_forms, form_set
from core.pdf.slip_data import Extension, late_extension_warning, load_dossier
from db.connection import transaction
from tests.core.pdf import forms_sample
from tests.pdfread import page_sizes, pdf_fonts, pdf_text, render_pages

A5 = (419.528, 595.276)
A4 = (595.276, 841.89)


@pytest.fixture
def codes(db):
    return forms_sample.office(db)


def read(db, kind: str, code: str, tmp_path, paper=A5) -> str:
    """Build, write, check paper/fonts/rendering; the text with its lines as printed."""
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(dossier_forms.build(db, kind, code))
    sizes = page_sizes(path)
    assert all(abs(w - paper[0]) < 1 and abs(h - paper[1]) < 1 for w, h in sizes), sizes
    assert all(f["emb"] == "yes" for f in pdf_fonts(path))
    pages = tmp_path / f"{kind}-{code}"
    pages.mkdir(exist_ok=True)
    assert len(render_pages(path, pages)) == len(sizes)
    text = pdf_text(path)
    assert any(code in row for row in text.splitlines()), f"{code} split in {kind}"
    return text


def flat(text: str) -> str:
    return " ".join(text.split())


def test_receipt_names_the_applicant_and_lists_the_documents_received(db, codes, tmp_path):
    text = read(db, "receipt", codes["full"], tmp_path)
    assert len(page_sizes(dossier_forms.build(db, "receipt", codes["full"]))) == 1
    words = flat(text)
    for part in ("GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", "Mã hồ sơ: X01-261005-0001",
                 "tiếp nhận hồ sơ của Ông (Bà)/Tổ chức: Lê Hoàng Yến",
                 "Số định danh cá nhân/tổ chức: 020190001234", "Email: yen.le@example.vn",
                 "Người được ủy quyền: Lê Văn Hùng", "Cơ quan giải quyết: Phòng Tư pháp",
                 "1. Thành phần hồ sơ nộp gồm:", "Tên giấy tờ", "Hình thức",
                 "Căn cước của người nhận chuyển nhượng Bản sao chứng thực 02",
                 "Tờ khai đăng ký biến động đất đai Bản chính 01",
                 "6. Đăng ký nhận kết quả tại: Qua dịch vụ bưu chính"):
        assert part in words, part
    # the document not handed in is not on the receipt
    assert "Hợp đồng chuyển nhượng có công chứng" not in words


def test_receipt_without_recorded_documents_names_the_catalogue(db, codes, tmp_path):
    words = flat(read(db, "receipt", codes["plain"], tmp_path))
    assert "1. Thành phần hồ sơ: theo danh mục thành phần hồ sơ của thủ tục hành chính " \
           "1.001193 (không ghi từng giấy tờ khi tiếp nhận)." in words
    assert "Người được ủy quyền" not in words and "Email" not in words


def test_a_long_code_stays_whole_on_one_line_of_every_form(db, codes, tmp_path):
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level) VALUES ('000.22.27.H37', "
                     "'Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn', 'centre')")
    dossier_id, code = forms_sample.receive(db, dt.datetime(2026, 10, 12, 8, 0),
                                            unit="000.22.27.H37")
    forms_sample.add_documents(db, dossier_id)
    assert code == "000.22.27.H37-261012-0001"
    for kind in ("receipt", "supplement"):
        read(db, kind, code, tmp_path)
    read(db, "control", code, tmp_path, paper=A4)


def test_supplement_lists_the_missing_and_noted_documents(db, codes, tmp_path):
    words = flat(read(db, "supplement", codes["full"], tmp_path))
    for part in ("PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", "Hồ sơ của: Lê Hoàng Yến",
                 "1. Hợp đồng chuyển nhượng có công chứng (bản sao, 01): chưa nộp.",
                 "2. Sơ đồ thửa đất (bản sao): Thiếu chữ ký của chủ sử dụng đất liền kề",
                 "Lý do: Hợp đồng chuyển nhượng chưa có công chứng.", "NGƯỜI HƯỚNG DẪN"):
        assert part in words, part


def test_refusal_after_appraisal_prints_the_code_and_the_reason(db, codes, tmp_path):
    words = flat(read(db, "refusal", codes["rejected"], tmp_path))
    for part in ("PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", "Mã hồ sơ: X01-261006-0002",
                 "Phạm Quốc Việt", "thông báo không giải quyết hồ sơ này",
                 "Thửa đất đang có tranh chấp, chưa đủ điều kiện đăng ký biến động.",
                 "Văn Quan, ngày 09 tháng 10 năm 2026", "NGƯỜI TIẾP NHẬN HỒ SƠ"):
        assert part in words, part


def test_apology_has_the_2025_title_and_wording(db, codes, tmp_path):
    words = flat(read(db, "apology", codes["full"], tmp_path))
    for part in ("PHIẾU XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT",
                 "Kính gửi: Ông/Bà Lê Hoàng Yến", "số định danh: 020190001234",
                 "mã số hồ sơ: X01-261005-0001", "Phòng Tư pháp chưa trả kết quả",
                 "Lý do: Cần xác minh ranh giới thửa đất tại thực địa.",
                 "16 giờ 00 phút, ngày 30 tháng 10 năm 2026",
                 "Mong nhận được sự thông cảm của Ông/Bà/Tổ chức"):
        assert part in words, part


def test_stop_notice_names_the_time_and_reason(db, codes, tmp_path):
    words = flat(read(db, "stop", codes["stopped"], tmp_path))
    for part in ("THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", "Kính gửi: Ông/Bà Trần Văn Đức",
                 "mã số hồ sơ: X01-261006-0001",
                 "thông báo dừng giải quyết hồ sơ nêu trên kể từ 15 giờ 30 phút, ngày 07 tháng 10",
                 "Lý do: Người nộp đề nghị dừng để bổ sung thỏa thuận thừa kế."):
        assert part in words, part


def test_control_slip_has_each_hand_over_with_times_signatures_and_verdicts(db, codes, tmp_path):
    text = read(db, "control", codes["full"], tmp_path, paper=A4)
    words = flat(text)
    for part in ("PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", "Mã số hồ sơ: X01-261005-0001",
                 "Cơ quan (bộ phận) giải quyết hồ sơ: Phòng Tư pháp",
                 "Hẹn lại ngày trả kết quả (gia hạn): 16 giờ 00 phút, ngày 30 tháng 10 năm 2026",
                 "1. Giao: Ông/Bà Lê Hoàng Yến", "2. Giao: Bộ phận Một cửa – UBND xã Văn An",
                 "Nhận: Phòng Tư pháp", "14 giờ 00 phút, ngày 05/10/2026",
                 "6. Giao: Bộ phận Một cửa – UBND xã Văn An", "Trả kết quả cho người nộp",
                 "Trước hạn"):
        assert part in words, part
    assert text.count("Người giao") == 6 and text.count("Người nhận") == 6
    # the office judges steps by the original due time (its default basis): the result came late
    assert "Quá hạn" in words


def test_a_dossier_received_before_july_2025_gets_the_2018_forms(db, codes, tmp_path):
    receipt = flat(read(db, "receipt", codes["old"], tmp_path))
    assert "tiếp nhận hồ sơ của: Hoàng Thị Ưng" in receipt
    assert "Số định danh" not in receipt
    apology = flat(read(db, "apology", codes["old"], tmp_path))
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in apology
    assert "ĐỀ NGHỊ GIA HẠN" not in apology
    found = dossier_forms.available(db, codes["old"])
    assert found.forms.edition == "2018" and found.forms.numbers["control"] == "05"
    assert dossier_forms.available(db, codes["full"]).forms.numbers["control"] == "06"


def test_the_edition_turns_on_the_first_of_july_2025():
    assert form_set.form_set(dt.datetime(2025, 6, 30, 23, 59)).edition == "2018"
    assert form_set.form_set(dt.datetime(2025, 7, 1, 0, 0)).edition == "2025"


def test_each_status_offers_its_forms(db, codes):
    def kinds(key):
        return dossier_forms.available(db, codes[key]).kinds
    assert kinds("plain") == ["receipt", "control"]
    assert kinds("full") == ["receipt", "supplement", "apology", "control"]
    assert kinds("stopped") == ["receipt", "stop", "control"]
    assert kinds("rejected") == ["receipt", "refusal", "control"]
    with pytest.raises(InputError, match="không ở trạng thái Dừng xử lý.*Mẫu 05"):
        dossier_forms.check(db, "stop", codes["plain"])
    with pytest.raises(InputError, match="chưa được gia hạn"):
        dossier_forms.check(db, "apology", codes["plain"])


def test_an_extension_recorded_less_than_a_working_day_ahead_warns(db, codes):
    item = load_dossier(db, codes["plain"])  # due Mon 12/10/2026 10:00 (3 working days)
    due = dt.datetime(2026, 10, 12, 10, 0)

    def warning(at):
        return late_extension_warning(db, item, Extension(due, due + dt.timedelta(days=3), "x", at))
    assert warning(dt.datetime(2026, 10, 9, 10, 0)) is None  # Friday 10:00: one working day
    assert "chưa đủ một ngày làm việc" in warning(dt.datetime(2026, 10, 9, 10, 30))
    assert "chưa đủ một ngày làm việc" in warning(dt.datetime(2026, 10, 12, 11, 0))  # after it
    assert dossier_forms.warnings(db, "apology", codes["full"])  # recorded after the due time
    assert dossier_forms.warnings(db, "apology", codes["old"]) == []


def test_a_code_cell_of_the_monthly_lists_keeps_a_long_code_on_one_line():
    from reportlab.lib.units import mm

    from core.pdf.slip_parts import code_cell
    cell = code_cell("000.22.27.H37-260429-0002", 34 * mm, 9)
    _, height = cell.wrap(34 * mm - 4, 1000)
    assert len(cell.blPara.lines) == 1 and height < 12
    assert cell.style.fontSize < 9  # set smaller rather than broken


def test_the_receipt_names_the_resolving_unit_as_the_register_does(db, codes, tmp_path):
    # the receipt decided by the names ("Cơ quan giải quyết" when they differ), the register and
    # the dossier window by the codes: a resolving unit named as the receiving one was left off
    # the receipt while the register said "(giải quyết: …)"; both read core.labels.UnitLabel now
    from core.register import RegisterQuery

    def register_label(code):
        dossier_id = db.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()[0]
        query = RegisterQuery(db, lambda: dt.datetime(2026, 10, 6, 9, 0))
        return query.lines([dossier_id])[dossier_id].unit_label

    full, plain = register_label(codes["full"]), register_label(codes["plain"])
    assert full.competent == load_dossier(db, codes["full"]).unit_label.competent \
        == "Phòng Tư pháp"
    assert f"Cơ quan giải quyết: {full.competent}" in flat(read(db, "receipt", codes["full"],
                                                                tmp_path))
    assert plain.competent is load_dossier(db, codes["plain"]).unit_label.competent is None
    assert "Cơ quan giải quyết" not in flat(read(db, "receipt", codes["plain"], tmp_path))
    # the resolving unit renamed as the receiving one: another unit still, on both
    with transaction(db) as conn:
        conn.execute("UPDATE units SET name = (SELECT u.name FROM units u JOIN dossiers d ON "
                     "d.unit_code = u.code WHERE d.code = ?) WHERE code = 'P01'", [codes["full"]])
    same_name = register_label(codes["full"])
    (tmp_path / "renamed").mkdir()
    assert same_name.competent == same_name.unit
    assert f"Cơ quan giải quyết: {same_name.competent}" in flat(
        read(db, "receipt", codes["full"], tmp_path / "renamed"))
