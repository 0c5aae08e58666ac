"""Which desk heads a slip in a file that serves several desks (issue 13 §3: slips are headed by
the receiving unit). The report header describes the office's own desk (first start); a dossier
received at another desk of the same file — a commune's desk in a centre's database, or the demo —
is headed by that unit's Bộ phận Một cửa, a branch or reception point by its own name, and no
sentence lowercases a place name ("Chi nhánh tại văn quan")."""
from __future__ import annotations

import datetime as dt

import pytest

from core.pdf import blocks, control, forms, slips
from core.pdf.fonts import register_fonts
from core.pdf.slip_data import desk_phrase, load_dossier
from db import settings
from db.connection import transaction
from tests.core.pdf import sample
from tests.pdfread import pdf_text

BRANCH = "Chi nhánh Trung tâm Phục vụ hành chính công tỉnh tại Văn Quan"
CENTRE_HEADER = {"parent_agency": "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN",
                 "agency": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                 "office": "CHI NHÁNH TẠI VĂN QUAN", "place": "Lạng Sơn"}


@pytest.fixture
def centre(db):
    """A branch of the provincial centre keeps the file (its header); communes have desks too."""
    sample.catalogue_only(db)
    settings.put(db, "report_header", dict(settings.DEFAULTS["report_header"], **CENTRE_HEADER))
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)",
                         [("C01", "Trung tâm Phục vụ hành chính công tỉnh Lạng Sơn", "centre",
                           None), ("B01", BRANCH, "branch", "C01")])
    settings.put(db, "office_setup", {"unit_code": "B01", "date": "2026-01-05"})
    sample.add_dossier(db, "X02-261005-0001", "X02", dt.datetime(2026, 10, 5, 8, 0))
    sample.add_dossier(db, "X01-261005-0001", "B01", dt.datetime(2026, 10, 5, 9, 0))
    return db


def words(path) -> str:
    return " ".join(pdf_text(path).split())


def test_a_commune_desk_in_the_centres_file_is_headed_by_its_own_one_stop(centre, write_pdf):
    text = words(write_pdf(slips.build_receipt(centre, "X02-261005-0001")))
    assert text.startswith("UBND XÃ TRÀNG PHÁI BỘ PHẬN MỘT CỬA")
    assert "CHI NHÁNH" not in text and "văn quan" not in text
    assert "Bộ phận Một cửa tiếp nhận hồ sơ của" in text
    assert "Đăng ký nhận kết quả tại: Bộ phận Một cửa – UBND xã Tràng Phái." in text


def test_the_branch_is_named_by_its_own_name_once_and_never_lowercased(centre, write_pdf):
    text = words(write_pdf(slips.build_receipt(centre, "X01-261005-0001")))
    # the branch's header line is the settings' office (its own desk), under the centre
    assert text.startswith("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH LẠNG SƠN CHI NHÁNH TẠI VĂN QUAN")
    assert f"{BRANCH} tiếp nhận hồ sơ của" in text
    assert f"Đăng ký nhận kết quả tại: {BRANCH}." in text
    assert "văn quan" not in text and f"{BRANCH} – {BRANCH}" not in text
    # the control slip's hand-over parties use the same rule
    item = load_dossier(centre, "X01-261005-0001")
    office = desk_phrase(slips.settings_header(centre, item.unit_code))
    assert control._party(control.DESK, item, office) == BRANCH
    item = load_dossier(centre, "X02-261005-0001")
    office = desk_phrase(slips.settings_header(centre, item.unit_code))
    assert control._party(control.DESK, item, office) == "Bộ phận Một cửa – UBND xã Tràng Phái"


def test_a_file_without_a_home_desk_keeps_its_header_for_every_desk(db, write_pdf):
    # a database set up before the first-start question: the header's own office line
    sample.catalogue_only(db)
    sample.add_dossier(db, "X02-261005-0001", "X02", dt.datetime(2026, 10, 5, 8, 0))
    text = words(write_pdf(slips.build_receipt(db, "X02-261005-0001")))
    assert text.startswith("UBND XÃ TRÀNG PHÁI BỘ PHẬN MỘT CỬA")


def test_the_supplement_request_names_the_desk_when_no_clerk_was_recorded(centre, write_pdf):
    path = write_pdf(forms.build_supplement_request(centre, "X02-261005-0001",
                                            items=["Bản sao giấy khai sinh: chưa nộp."]))
    text = words(path)
    assert "liên hệ với Bộ phận Một cửa – UBND xã Tràng Phái để được hướng dẫn" in text
    assert "…" not in text


def test_a_long_agency_name_takes_three_balanced_lines_on_an_a5_slip(centre, write_pdf):
    register_fonts()
    name = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH LẠNG SƠN"
    two = blocks.balanced_lines(name, blocks.text_width(name, 10, False) - 1, 10)
    assert two == ["TRUNG TÂM PHỤC VỤ HÀNH", "CHÍNH CÔNG TỈNH LẠNG SƠN"]
    narrow = max(blocks.text_width(x, 10, False) for x in two) - 1  # two lines no longer fit
    three = blocks.balanced_lines(name, narrow, 10)
    assert three == ["TRUNG TÂM PHỤC VỤ", "HÀNH CHÍNH CÔNG", "TỈNH LẠNG SƠN"]
    assert all(blocks.text_width(x, 10, False) <= narrow for x in three)
    # rendered: the slip's header lines are the balanced ones, no word left alone on a line
    head = [x.strip() for x in pdf_text(write_pdf(slips.build_receipt(
        centre, "X01-261005-0001"))).splitlines()[:6]]
    assert "HÀNH" not in head and "SƠN" not in head
    assert "TRUNG TÂM PHỤC VỤ" in head and "TỈNH LẠNG SƠN" in head


def test_a_commune_dossiers_papers_are_dated_and_signed_at_the_commune(centre, write_pdf):
    """Round 10: the apology (Mẫu 04) and the stop notice of a commune's dossier were headed by
    the commune and signed by the office's signer, dated at the office's place."""
    from core import report_header
    office = settings.get(centre, "report_header")
    settings.put(centre, "report_header", dict(office, signer_authority="KT. GIÁM ĐỐC",
                                               signer_title="PHÓ GIÁM ĐỐC",
                                               signer_name="Hoàng Thị Mai"))
    text = words(write_pdf(slips.build_receipt(centre, "X02-261005-0001")))
    assert "Tràng Phái, ngày 05 tháng 10 năm 2026" in text and "Lạng Sơn, ngày" not in text
    header = slips.settings_header(centre, "X02")
    assert (header["signer_authority"], header["signer_title"], header["signer_name"]) == \
        ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "")  # the commune's; its leader signs by hand
    # the office's own desk keeps the office's signer
    assert slips.settings_header(centre, "B01")["signer_name"] == "Hoàng Thị Mai"
    # a header typed for the commune gives its lines and its signer
    report_header.save_unit_header(centre, "X02", {
        "agency": "Ủy ban nhân dân xã Tràng Phái", "office": "Trung tâm Phục vụ hành chính công xã",
        "place": "Tràng Phái", "signer_authority": "KT. CHỦ TỊCH", "signer_title": "PHÓ CHỦ TỊCH",
        "signer_name": "Hoàng Văn Tú"}, [])
    header = slips.settings_header(centre, "X02")
    assert header["signer_name"] == "Hoàng Văn Tú"
    assert header["office"] == "Trung tâm Phục vụ hành chính công xã"
    text = words(write_pdf(slips.build_receipt(centre, "X02-261005-0001")))
    assert text.startswith("ỦY BAN NHÂN DÂN XÃ TRÀNG PHÁI TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ")


def test_the_apology_is_the_resolving_communes_letter_the_receipt_the_desks(centre, write_pdf):
    """A dossier received at the branch for UBND xã Tràng Phái: the branch issues the receipt
    (Decree 118/2025 Art. 17: the desk that received it), but Mẫu 04 is the late body's
    apology — headed by the commune, dated there, signed by its leader — and no longer the
    centre's deputy director apologising in the commune's name."""
    sample.add_dossier(centre, "X02-261006-0001", "B01", dt.datetime(2026, 10, 6, 8, 0))
    with transaction(centre) as conn:
        conn.execute("UPDATE dossiers SET competent_unit_code = 'X02' WHERE code = ?",
                     ["X02-261006-0001"])
    sample.add_extension(centre, "X02-261006-0001", dt.datetime(2026, 10, 20, 17),
                         "Chờ ý kiến cơ quan phối hợp")
    receipt = words(write_pdf(slips.build_receipt(centre, "X02-261006-0001"), "r.pdf"))
    assert receipt.startswith("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH LẠNG SƠN CHI NHÁNH")
    assert f"{BRANCH} tiếp nhận hồ sơ của" in receipt
    apology = words(write_pdf(slips.build_apology(centre, "X02-261006-0001"), "a.pdf"))
    assert apology.startswith("UBND XÃ TRÀNG PHÁI")
    assert "CHI NHÁNH" not in apology.split("PHIẾU XIN LỖI")[0]
    assert "Tràng Phái, ngày" in apology
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in apology and "GIÁM ĐỐC" not in apology
    # the first sentence still names the desk that received it
    assert f"{BRANCH} tiếp nhận giải quyết hồ sơ" in apology
    assert "UBND xã Tràng Phái xin trân trọng gửi lời xin lỗi" in apology
    # a dossier the branch resolves itself keeps the office's header
    sample.add_extension(centre, "X01-261005-0001", dt.datetime(2026, 10, 20, 17), "Chờ xác minh")
    own = words(write_pdf(slips.build_apology(centre, "X01-261005-0001"), "o.pdf"))
    assert own.startswith("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH LẠNG SƠN CHI NHÁNH")


@pytest.fixture
def for_the_commune(centre):
    """Two dossiers received at the branch for UBND xã Tràng Phái (another resolving unit)."""
    from core import dossiers as D
    from core import facts
    ids = []
    for n, hour in ((1, 8), (2, 9)):
        code = f"X02-261006-000{n}"
        ids.append(sample.add_dossier(centre, code, "B01", dt.datetime(2026, 10, 6, hour, 0)))
        with transaction(centre) as conn:
            conn.execute("UPDATE dossiers SET competent_unit_code = 'X02' WHERE code = ?", [code])
    facts.refresh(centre, ids)
    return centre, D, ids


def test_forms_02_and_03_at_appraisal_are_the_resolving_communes_letters(for_the_commune,
                                                                           write_pdf):
    """Round 12: after appraisal the resolving body asks for a supplement (Mẫu 02, Decree
    61/2018 Art. 19.4, kept by Decree 118/2025) or refuses (Mẫu 03, Art. 19.8) in writing,
    through the one-stop desk: its letter, headed and dated by it, not by the branch."""
    db, D, (first, second) = for_the_commune
    D.start_processing(db, first, at=dt.datetime(2026, 10, 6, 10, 0), actor="quantri")
    D.request_supplement(db, first, reason="Thiếu bản sao giấy khai sinh",
                         at=dt.datetime(2026, 10, 7, 9, 0), actor="quantri")
    request = words(write_pdf(forms.build_supplement_request(db, "X02-261006-0001",
                                                             issued=dt.date(2026, 10, 7))))
    assert request.startswith("UBND XÃ TRÀNG PHÁI")
    assert "CHI NHÁNH" not in request.split("PHIẾU YÊU CẦU")[0]
    assert "Tràng Phái, ngày 07 tháng 10 năm 2026" in request
    D.start_processing(db, second, at=dt.datetime(2026, 10, 6, 10, 0), actor="quantri")
    D.reject(db, second, reason="Không đủ điều kiện", at=dt.datetime(2026, 10, 8, 9, 0),
             actor="quantri")
    refusal = words(write_pdf(forms.build_refusal_of_dossier(db, "X02-261006-0002")))
    assert refusal.startswith("UBND XÃ TRÀNG PHÁI")
    assert "CHI NHÁNH" not in refusal.split("PHIẾU TỪ CHỐI")[0]
    assert "Tràng Phái, ngày 08 tháng 10 năm 2026" in refusal
    # the desk that received it is still the one named, and the one that hands it over
    assert f"{BRANCH} tiếp nhận hồ sơ của" in refusal
    assert "thẩm định hồ sơ, UBND xã Tràng Phái thông báo không giải quyết" in refusal


def test_a_supplement_request_at_the_desk_stays_the_desks(for_the_commune, write_pdf):
    db, D, (first, _) = for_the_commune
    D.request_supplement(db, first, reason="Thiếu tờ khai", at=dt.datetime(2026, 10, 6, 8, 30),
                         actor="quantri")
    request = words(write_pdf(forms.build_supplement_request(db, "X02-261006-0001",
                                                             issued=dt.date(2026, 10, 6))))
    assert request.startswith("TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG TỈNH LẠNG SƠN CHI NHÁNH")
    assert "Lạng Sơn, ngày 06 tháng 10 năm 2026" in request
