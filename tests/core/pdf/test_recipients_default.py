"""Nơi nhận is on every document a leader signs (Decree 30/2020 Art. 8, Phụ lục I ô 9b), at
least '- Lưu: VT.': a header whose recipients were left empty printed no Nơi nhận at all on the
monthly report nor on the reconciliation (round 19). The rule lives in core.report_header."""
from __future__ import annotations

from core import office_settings, report_header
from core.office_setup import SETUP_KEY
from core.pdf.monthly import render_monthly
from core.reconcile.cli import command
from db import settings
from tests.core.pdf.test_monthly_layout import busy
from tests.core.reconcile.test_reconcile import (  # noqa: F401  (fixtures)
    _args,
    office,
    province_file,
)
from tests.core.reconcile.test_signed_report import COMMUNE, OFFICE
from tests.core.transfer.conftest import catalog  # noqa: F401  (fixture)
from tests.pdfread import page_texts


def _flat(text: str) -> str:
    return " ".join(text.split())


def _recipients_of_last_page(pdf: bytes) -> str:
    last = _flat(page_texts(pdf)[-1])
    assert "Nơi nhận:" in last, last[-300:]
    return last[last.index("Nơi nhận:"):]


def test_the_lines_end_with_luu_vt_and_a_full_stop_and_are_never_empty():
    assert report_header.recipient_lines(["UBND tỉnh Lạng Sơn", "Lưu: VT",
                                          "Văn phòng UBND tỉnh"]) == [
        "- UBND tỉnh Lạng Sơn;", "- Văn phòng UBND tỉnh;", "- Lưu: VT."]
    assert report_header.recipient_lines(["Sở Nội vụ;"]) == ["- Sở Nội vụ;", "- Lưu: VT."]
    assert report_header.recipient_lines(["- Lưu: VT, TTPVHCC (02b)."]) == \
        ["- Lưu: VT, TTPVHCC (02b)."]  # the office's own archive line kept as typed
    for nothing in ([], None, ["", "  "]):
        assert report_header.recipient_lines(nothing) == ["- Lưu: VT."]


def test_a_monthly_report_whose_header_names_no_recipient_still_has_its_noi_nhan():
    data = busy()
    data.header["recipients"] = []
    tail = _recipients_of_last_page(render_monthly(data))
    assert "- Lưu: VT." in tail


def test_a_reconciliation_whose_headers_name_no_recipient_still_has_its_noi_nhan(
        office, province_file, db_path, tmp_path):  # noqa: F811
    office_settings.save_header(office, OFFICE, [])  # the office left Nơi nhận empty
    settings.put(office, SETUP_KEY, {"unit_code": "LS", "date": "2025-01-01"})
    report_header.save_unit_header(office, "XTD", COMMUNE, [])  # and so did the commune
    office.close()
    whole, commune = tmp_path / "toan_bo.pdf", tmp_path / "tan_doan.pdf"
    assert command(_args(db_path, province_file, out=str(whole))) == 0
    assert command(_args(db_path, province_file, out=str(commune), unit="XTD")) == 0
    for pdf in (whole, commune):
        assert _recipients_of_last_page(pdf.read_bytes()).split("Nơi nhận:")[1].strip() \
            .startswith("- Lưu: VT."), pdf.name



def test_the_filed_line_counts_within_the_bound_of_printed_lines():
    """RECIPIENTS_MAX bounds the printed Nơi nhận lines (a page's last lines hold them):
    '- Lưu: VT.' is always printed, so one fewer may be typed, and the message says so."""
    import pytest

    from core import limits
    from core.errors import FieldError
    typed = [f"Nơi {n}" for n in range(1, limits.RECIPIENTS_MAX)]
    _, lines = report_header.checked({}, typed)
    assert len(report_header.recipient_lines(lines)) == limits.RECIPIENTS_MAX
    _, lines = report_header.checked({}, [*typed, "Lưu: VT, HS"])  # its own archive line typed
    assert len(report_header.recipient_lines(lines)) == limits.RECIPIENTS_MAX
    with pytest.raises(FieldError) as refused:
        report_header.checked({}, [*typed, "Nơi thêm"])
    assert str(refused.value).startswith(
        f"Nơi nhận: tối đa {limits.RECIPIENTS_MAX - 1} dòng (dòng «- Lưu: VT.» được in thêm)")
    stored = {"recipients": [*typed, "Nơi thêm"]}  # saved by an older version
    assert len(report_header.recipient_lines(limits.clip_header(stored)["recipients"])) == \
        limits.RECIPIENTS_MAX


def test_the_apology_slip_prints_the_one_filed_line(db, monkeypatch):
    """The slips take '- Lưu: VT.' from report_header.FILED, not a copy of their own."""
    import datetime as dt

    from core.pdf import slips
    from tests.core.pdf import sample
    from tests.pdfread import page_texts
    sample.catalogue_only(db)
    sample.add_dossier(db, "X01-261005-0001", "X01", dt.datetime(2026, 10, 5, 8, 0))
    sample.add_extension(db, "X01-261005-0001", dt.datetime(2026, 10, 20, 16, 0), "Xác minh.")
    monkeypatch.setattr(report_header, "FILED", "Lưu: VT, BPMC")
    text = _flat(" ".join(page_texts(slips.build_apology(db, "X01-261005-0001"))))
    assert "- Lưu: VT, BPMC." in text and "- Lưu: VT." not in text


def test_an_old_long_list_keeps_its_own_filed_line_last_when_clipped():
    """An older version stored 10 lines, its own '- Lưu: VT, BPMC.' the last: clipping to
    RECIPIENTS_MAX printed lines cut that line and printed the default '- Lưu: VT.' instead
    (round 20). The office's filed line stays, last, and the count still fits a page."""
    from core import limits
    others = [f"- Nơi nhận số {n};" for n in range(1, limits.RECIPIENTS_MAX)]
    for stored in ([*others, "- Lưu: VT, BPMC."], ["- Lưu: VT, BPMC.", *others, "Nơi thêm"]):
        printed = report_header.recipient_lines(
            limits.clip_header({"recipients": stored})["recipients"])
        assert printed[-1] == "- Lưu: VT, BPMC.", printed
        assert len(printed) == limits.RECIPIENTS_MAX
        assert printed[0] == "- Nơi nhận số 1;"
        assert "- Lưu: VT." not in printed
