"""Reconciliation with the provincial system: each kind of match and difference, the
indicators of both sets equal to the engine's on each, refusals, and the printed report."""
from __future__ import annotations

import argparse
import datetime as dt

import pytest

from core.indicators import compute
from core.indicators.vocabulary import KEYS, ratio
from core.reconcile import reconcile
from core.reconcile.cli import command
from core.transfer import import_file
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv
from tests.core.transfer.test_profiles import NATIONAL_HEADER, fresh_catalog

FIRST, LAST = dt.date(2025, 1, 1), dt.date(2025, 1, 31)
PROVINCE_HEADER = NATIONAL_HEADER + ["ThanhToanTrucTuyen"]


def ours_rows() -> list[list]:
    return [
        dossier_row("XTD-250102-0001"),                                     # same everywhere
        dossier_row("XTD-250102-0002", applicant_name="Trần Thị Bình",      # missing there
                    received_at="2025-01-02 09:00"),
        dossier_row("XTD-250106-0001", applicant_name="Lê Văn Cường",       # status differs
                    received_at="2025-01-06 08:00", finished_at="2025-01-07 10:00", status="returned",
                    returned_at="2025-01-07 15:00"),
        dossier_row("XTD-250106-0002", applicant_name="Phạm Thị Dung",      # coded differently
                    received_at="2025-01-06 09:00", finished_at="2025-01-07 09:00",
                    returned_at="2025-01-07 10:00"),
        dossier_row("XVQ-250107-0001", unit_code="XVQ", applicant_name="Hoàng Văn Em",
                    received_at="2025-01-07 08:00", channel="direct", procedure_code="1.004227",
                    finished_at="2025-01-20 08:00", returned_at="2025-01-20 09:00"),
        dossier_row("XTD-241220-0001", received_at="2024-12-20 08:00",     # outside the period
                    finished_at="2024-12-23 08:00", returned_at="2024-12-23 09:00"),
    ]


def province_rows() -> list[list]:
    def row(code, **values):
        base = {"MaHoSo": code, "MaTTHC": "1.001612", "TenTTHC": "Đăng ký khai sinh",
                "KenhThucHien": "2", "ChuHoSo": "Nguyễn Văn An", "NgayTiepNhan": "20250102080000",
                "NgayHenTra": "", "NgayKetThucXuLy": "20250103100000",
                "NgayTra": "20250103150000", "TrangThaiHoSo": "9", "ThanhToanTrucTuyen": "0"}
        base.update(values)
        return [base[c] for c in PROVINCE_HEADER]
    return [
        row("XTD-250102-0001"),
        row("XTD-250106-0001", ChuHoSo="Lê Văn Cường", NgayTiepNhan="06/01/2025 08:00",
            NgayKetThucXuLy="20250107100000", NgayTra="", TrangThaiHoSo="9"),
        row("XTD-250106-9042", ChuHoSo="PHẠM THỊ DUNG", NgayTiepNhan="20250106091500",
            NgayKetThucXuLy="20250107090000", NgayTra="20250107100000"),
        row("XVQ-250107-0001", MaTTHC="1.004227", ChuHoSo="Hoàng Văn Em", KenhThucHien="2",
            NgayTiepNhan="20250107080000", NgayKetThucXuLy="20250121080000",
            NgayTra="20250121090000", ThanhToanTrucTuyen="1"),
        row("XTD-250108-0009", ChuHoSo="Đỗ Văn Giang", NgayTiepNhan="20250108080000",
            NgayKetThucXuLy="", NgayTra="", TrangThaiHoSo="4"),                # only there
    ]


@pytest.fixture
def office(catalog, tmp_path):
    assert import_file(catalog, "dossiers",
                       write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, ours_rows())).ok
    return catalog


@pytest.fixture
def province_file(tmp_path):
    """The export with every column a figure needs (core.reconcile.side.AFFECTED): empty
    supplement and electronic-result columns say none, as their absence would not."""
    header = PROVINCE_HEADER + ["MaDonViTiepNhan", "CacLanBoSung", "KetQuaDienTu"]
    rows = [r + ["XTD" if r[0].startswith("XTD") else "XVQ", "", ""] for r in province_rows()]
    return write_csv(tmp_path / "tinh.csv", header, rows)


def test_each_kind_of_result(office, province_file):
    result = reconcile(office, province_file, FIRST, LAST)
    assert result.ok
    assert [i.code for i in result.only_ours] == ["XTD-250102-0002"]
    assert [i.code for i in result.only_theirs] == ["XTD-250108-0009"]
    how = {p.ours.code: p.how for p in result.pairs}
    assert how["XTD-250102-0001"] == "cùng mã hồ sơ"
    assert how["XTD-250106-0002"] == ("thủ tục + chủ hồ sơ + giờ tiếp nhận (lệch 15 phút), cùng "
                                      "đơn vị tiếp nhận")
    found = {(d.pair.ours.code, d.field): (d.ours, d.theirs) for d in result.differences}
    assert found[("XTD-250106-0001", "Trạng thái")] == ("Đã trả kết quả", "Đã xử lý xong")
    assert found[("XVQ-250107-0001", "Kênh")] == ("Trực tiếp", "Trực tuyến")
    assert found[("XVQ-250107-0001", "Kết thúc xử lý")] == ("08:00 20/01/2025", "08:00 21/01/2025")
    assert found[("XVQ-250107-0001", "Thanh toán")] == ("Chưa thanh toán trực tuyến",
                                                        "Đã thanh toán trực tuyến")
    assert ("XTD-250102-0001", "Trạng thái") not in found
    assert result.outside == 0


def test_reception_and_due_differences(office, tmp_path):
    rows = [province_rows()[0]]
    rows[0][PROVINCE_HEADER.index("NgayTiepNhan")] = "20250102081000"
    rows[0][PROVINCE_HEADER.index("NgayHenTra")] = "20250110170000"
    path = write_csv(tmp_path / "t.csv", PROVINCE_HEADER, rows)
    result = reconcile(office, path, FIRST, dt.date(2025, 1, 2), unit="XTD")
    fields = {d.field for d in result.differences}
    assert {"Tiếp nhận", "Hạn trả"} <= fields


def test_tolerance_decides_a_fuzzy_match(office, province_file):
    strict = reconcile(office, province_file, FIRST, LAST, tolerance_minutes=10)
    assert "XTD-250106-0002" in [i.code for i in strict.only_ours]
    assert "XTD-250106-9042" in [i.code for i in strict.only_theirs]
    loose = reconcile(office, province_file, FIRST, LAST, tolerance_minutes=15)
    assert "XTD-250106-0002" not in [i.code for i in loose.only_ours]


def test_unit_scope(office, province_file):
    result = reconcile(office, province_file, FIRST, LAST, unit="XVQ")
    assert [p.ours.code for p in result.pairs] == ["XVQ-250107-0001"]
    assert not result.only_ours and not result.only_theirs
    assert result.outside == 4


def test_indicators_equal_the_engine_on_each_set(office, province_file, tmp_path):
    result = reconcile(office, province_file, FIRST, LAST)
    ours = compute(office, FIRST, LAST)["total"]
    other = fresh_catalog(tmp_path)
    try:
        assert import_mapped(other, province_file, NATIONAL_PROFILE).ok
        other.execute("SELECT 1")
        province = compute(other, FIRST, LAST)["total"]
    finally:
        other.close()
    rows = {r.name: r for r in result.indicators if r.source == "Biểu 06"}
    from core.indicators.vocabulary import INDICATORS
    for key in KEYS:
        row = rows[INDICATORS[key].short]
        assert (row.cells[0].num, row.cells[0].den) == ratio(ours, key)
        if key != "online_payment":  # the province file's payments are not imported above
            assert (row.cells[1].num, row.cells[1].den) == ratio(province, key)
    received = result.indicators[0]
    assert [c.num for c in received.cells] == [5, 5, 6]  # entering the missing one adds it
    assert received.change == "+1"


def test_paid_online_counts_in_the_province_figures(office, province_file):
    result = reconcile(office, province_file, FIRST, LAST)
    row = next(r for r in result.indicators if r.name == "Thanh toán trực tuyến")
    assert (row.cells[1].num, row.cells[1].den) == (1, 1)  # 1.004227 has a fee and was paid


def test_a_bad_row_is_left_out_and_listed_the_rest_compared(office, tmp_path):
    """Round 12: one bad row refused the whole file (the old test: "compares nothing")."""
    rows = province_rows()
    rows[1][PROVINCE_HEADER.index("KenhThucHien")] = "5"
    path = write_csv(tmp_path / "t.csv", PROVINCE_HEADER, rows)
    before = office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    result = reconcile(office, path, FIRST, LAST)
    assert result.ok and not result.refused and result.unread_rows == 1
    assert result.errors[0].row == 3 and result.errors[0].column == "KenhThucHien (Kênh thực hiện)"
    assert len(result.pairs) == 3  # the four other dossiers of both sides, less the one only there
    # the dossier of the unreadable row is not called missing from the province
    assert [i.code for i in result.only_ours] == ["XTD-250102-0002"]
    assert [i.code for i in result.unread_ours] == ["XTD-250106-0001"]
    assert "1 dòng của tệp hệ thống tỉnh không đọc được" in result.unread_note()
    assert office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before
    # "Tỉnh khi nhập đủ" adds the dossiers of section II only: the one of the unreadable row is
    # on the provincial system already, entering the list would not add it (round 17: it did,
    # and the change column said +2 for a list of one)
    received = result.indicators[0]
    assert [c.num for c in received.cells] == [5, 4, 5] and received.change == "+1"


def test_the_command_says_when_the_figures_were_evaluated(office, province_file, db_path,
                                                          monkeypatch, capsys):
    """Round 17: the command's figures of a running period did not say they were today's."""
    from core import timefmt
    office.close()
    assert command(_args(db_path, province_file)) == 0
    assert "(số liệu tính đến hết ngày 31/01/2025):" in capsys.readouterr().out
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 1, 31, 10, 15))
    assert command(_args(db_path, province_file)) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.endswith("(số liệu tạm tính đến 10 giờ 15 phút, ngày 31/01/2025):")


def test_another_units_dossier_to_enter_is_listed_and_said_not_to_count_here(
        office, province_file, tmp_path):
    """Round 17: received at XTD for XVQ and never entered, it is on XTD's list to enter, but
    entering it changes XVQ's figures, not XTD's: the change column said +1 for a list of two
    and nothing told the leader why."""
    other = write_csv(tmp_path / "o.csv", DOSSIERS_HEADER + ["competent_unit_code"], [dossier_row(
        "XVQ-250109-0001", applicant_name="Vũ Thị Hoa", received_at="2025-01-09 08:00",
        finished_at="2025-01-10 10:00", returned_at="2025-01-10 15:00") + ["XVQ"]])
    assert import_file(office, "dossiers", other).ok
    result = reconcile(office, province_file, FIRST, LAST, unit="XTD")
    assert [i.code for i in result.only_ours] == ["XTD-250102-0002", "XVQ-250109-0001"]
    received = next(r for r in result.indicators if r.key == "received.total")
    assert received.change == "+1" and result.elsewhere == 1
    note = ("1 trong 2 hồ sơ thiếu trên hệ thống tỉnh được tiếp nhận tại UBND xã Tân Đoàn cho "
            "đơn vị khác giải quyết")
    assert note in result.elsewhere_note() and result.notes()[-1] == result.elsewhere_note()
    assert reconcile(office, province_file, FIRST, LAST).elsewhere_note() is None  # all units


def test_a_dossier_the_province_holds_under_another_unit_is_not_to_enter(office, tmp_path):
    """Round 17: the province had XTD-250106-0001 under XVQ (a merged commune's new code, a
    clerk's slip); XTD's reconciliation read only XTD's rows of the file and told the commune
    to enter it again. Matched by code wherever the file holds it, the units' difference said."""
    header = PROVINCE_HEADER + ["MaDonViTiepNhan", "CacLanBoSung", "KetQuaDienTu"]
    rows = [r + ["XTD" if r[0].startswith("XTD") else "XVQ", "", ""] for r in province_rows()]
    rows[1][header.index("MaDonViTiepNhan")] = "XVQ"
    path = write_csv(tmp_path / "tinh.csv", header, rows)
    result = reconcile(office, path, FIRST, LAST, unit="XTD")
    assert [i.code for i in result.only_ours] == ["XTD-250102-0002"]
    found = {(d.pair.ours.code, d.field): (d.ours, d.theirs) for d in result.differences}
    named = ("UBND xã Tân Đoàn (XTD)", "UBND xã Văn Quan (XVQ)")
    assert found[("XTD-250106-0001", "Đơn vị tiếp nhận")] == named
    # the file names no resolving unit (no MaDonViGiaiQuyet): none compared (round 20)
    assert ("XTD-250106-0001", "Đơn vị giải quyết") not in found
    assert "XTD-250106-0001" not in {i.code for i in result.only_theirs}
    # the province counts it for XVQ: entering the list does not bring it back to XTD
    received = next(r for r in result.indicators if r.key == "received.total")
    assert [c.num for c in received.cells] == [4, 3, 4] and received.change == "+1"
    # without the receiving unit's column the code's unit is no difference (spec 4: it names
    # the competent unit, not the desk)
    plain = write_csv(tmp_path / "p.csv", PROVINCE_HEADER, province_rows())
    assert not [d for d in reconcile(office, plain, FIRST, LAST, unit="XTD").differences
                if d.field.startswith("Đơn vị")]


def test_a_dossier_the_province_received_on_another_month_is_the_same_dossier(office, tmp_path):
    """Round 17: entered in the provincial system days later (received 06/01 here, 03/02
    there), XTD-250106-0001 was on January's list to enter again and on February's list of
    dossiers MotCua lacks. By its code it is one dossier whose reception differs."""
    rows = province_rows()
    for column, value in (("NgayTiepNhan", "20250203080000"), ("NgayKetThucXuLy",
                                                                "20250204100000")):
        rows[1][PROVINCE_HEADER.index(column)] = value
    path = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER, rows)
    january = reconcile(office, path, FIRST, LAST)
    assert [i.code for i in january.only_ours] == ["XTD-250102-0002"]
    found = {(d.pair.ours.code, d.field): (d.ours, d.theirs) for d in january.differences}
    assert found[("XTD-250106-0001", "Tiếp nhận")] == ("08:00 06/01/2025", "08:00 03/02/2025")
    received = next(r for r in january.indicators if r.key == "received.total")
    assert [c.num for c in received.cells] == [5, 4, 5]  # the province counts it in February
    february = reconcile(office, path, dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert not february.only_theirs
    assert [(p.ours.code, p.how) for p in february.pairs] == [("XTD-250106-0001",
                                                               "cùng mã hồ sơ")]


def test_live_database_untouched(office, province_file):
    before = office.execute("SELECT COUNT(*), MAX(updated_at) FROM dossiers").fetchone()
    events = office.execute("SELECT COUNT(*) FROM events").fetchone()
    reconcile(office, province_file, FIRST, LAST)
    assert office.execute("SELECT COUNT(*), MAX(updated_at) FROM dossiers").fetchone() == before
    assert office.execute("SELECT COUNT(*) FROM events").fetchone() == events


def _args(db_path, file, **extra):
    values = dict(db=str(db_path), file=str(file), date_from="2025-01-01", date_to="2025-01-31",
                  unit=None, profile=None, tolerance=30, out=None)
    values.update(extra)
    return argparse.Namespace(**values)


def test_cli_pdf_and_xlsx(office, province_file, db_path, tmp_path, capsys):
    from tests.pdfread import pdf_text
    office.close()
    pdf, book = tmp_path / "doi_chieu.pdf", tmp_path / "doi_chieu.xlsx"
    assert command(_args(db_path, province_file, out=str(pdf))) == 0
    out = capsys.readouterr().out
    assert "Có trong MotCua, thiếu trên hệ thống tỉnh: 1" in out
    text = pdf_text(pdf)
    for words in ("BÁO CÁO", "Kết quả đối chiếu hồ sơ với", "XTD-250102-0002", "Trần *** Bình",
                  "Ngày 02/01/2025 — 1 hồ sơ", "Đỗ *** Giang", "Giải quyết đúng hạn",
                  "Tỉnh khi nhập đủ", "lệch 15 phút",
                  "Số liệu tính đến hết ngày 31/01/2025."):  # as the workbook (round 17)
        assert words in text
    assert "Trần Thị Bình" not in text and "Văn Giang" not in text  # masked (a report)
    assert command(_args(db_path, province_file, out=str(book))) == 0
    from openpyxl import load_workbook
    sheets = load_workbook(book, read_only=True).sheetnames
    assert sheets == ["Chỉ tiêu", "Thiếu trên hệ thống tỉnh", "Thiếu trong MotCua",
                      "Khác nhau", "Ghép không theo mã", "Đã ghép"]


def test_cli_refuses_bad_file_with_exit_2(office, db_path, tmp_path, capsys):
    # a file none of whose rows can be read is still refused whole
    rows = province_rows()
    for row in rows:
        row[PROVINCE_HEADER.index("NgayTiepNhan")] = "32/01/2025 08:00"
    path = write_csv(tmp_path / "t.csv", PROVINCE_HEADER, rows)
    office.close()
    assert command(_args(db_path, path)) == 2
    err = capsys.readouterr().err
    assert "chưa đối chiếu" in err and "Dòng 2, cột NgayTiepNhan (Ngày tiếp nhận)" in err
    assert "rồi đối chiếu lại" in err and "nhập lại" not in err


def test_cancel_leaves_no_result(office, province_file):
    from core.errors import OperationError
    with pytest.raises(OperationError, match="huỷ"):
        reconcile(office, province_file, FIRST, LAST, progress=lambda done, total: done < 80)


def test_figures_the_province_file_cannot_give_are_not_compared(office, province_file, db_path,
                                                                tmp_path, capsys):
    """The province's export has no digitisation flags and no complaints: 766's 4.2 and 5.4
    say so in the province's columns, everywhere the table appears, with the reason."""
    from openpyxl import load_workbook

    from core.reconcile.side import FOOTNOTE
    from tests.pdfread import pdf_text
    result = reconcile(office, province_file, FIRST, LAST)
    rows = {r.name[:3]: r for r in result.indicators if r.source == "766"}
    for code in ("4.2", "5.4"):
        assert rows[code].texts[1:] == ["không so sánh được (*)"] * 2
        assert rows[code].texts[0] == rows[code].cells[0].text and rows[code].change == "—"
    assert rows["2.1"].texts[1] == rows["2.1"].cells[1].text  # the others stay compared
    office.close()
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    assert command(_args(db_path, province_file, out=str(pdf))) == 0
    out = capsys.readouterr().out
    assert "[766] 4.2 Tỷ lệ số hoá hồ sơ: " in out and FOOTNOTE in out
    assert "(766)" not in out  # the set named once a line, by "[766]"
    assert out.count("không so sánh được (*) | không so sánh được (*) | —") == 3
    assert "[Biểu 06] Mức độ hài lòng: " in out  # no ratings in the province's file either
    text = " ".join(pdf_text(pdf).split())
    assert "không so sánh được" in text and "không có cờ số hoá hồ sơ" in text
    assert command(_args(db_path, province_file, out=str(book))) == 0
    sheet = [list(r) for r in load_workbook(book, read_only=True)["Chỉ tiêu"].values]
    assert [FOOTNOTE] == [r[0] for r in sheet if r and r[0] == FOOTNOTE]  # then the signer
    rows_54 = [r for r in sheet if len(r) > 7 and isinstance(r[1], str) and r[1].startswith("5.4")]
    assert rows_54 and rows_54[0][5] == rows_54[0][7] == "không so sánh được (*)"
    assert isinstance(rows_54[0][3], (int, float))  # ours stays a rate


def test_not_comparable_cells_get_rows_tall_enough_to_show_them_whole(office, province_file,
                                                                      db_path, tmp_path):
    """'không so sánh được (*)' is wider than a figure column and wraps: a spreadsheet program
    does not grow the row on opening, so the row must be written tall enough or the print cuts
    the words in half."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    from core.reconcile.side import NOT_COMPARABLE_TEXT
    office.close()
    book = tmp_path / "dc.xlsx"
    assert command(_args(db_path, province_file, out=str(book))) == 0
    sheet = load_workbook(book)["Chỉ tiêu"]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == NOT_COMPARABLE_TEXT]
    assert cells
    for cell in cells:
        width = sheet.column_dimensions[get_column_letter(cell.column)].width
        assert width < len(NOT_COMPARABLE_TEXT)  # it does wrap onto two lines
        assert sheet.row_dimensions[cell.row].height >= 2 * 15


def test_a_units_reconciliation_is_headed_with_that_units_name(office, province_file, tmp_path):
    """A commune with a merged predecessor of a lower code under it (ATD below XTD): the
    report was headed with the predecessor's name, the first of the subtree by code."""
    from core.reconcile.cli import summary
    units = write_csv(tmp_path / "u.csv", ["code", "name", "level", "parent_code"],
                      [["ATD", "UBND xã Tân Đoàn cũ", "commune", "XTD"]])
    assert import_file(office, "units", units).ok
    result = reconcile(office, province_file, FIRST, LAST, unit="XTD")
    assert result.unit_name == "UBND xã Tân Đoàn"
    assert "— UBND xã Tân Đoàn (" in summary(result).splitlines()[0]


def test_a_match_between_two_candidates_is_named_uncertain_everywhere(office, db_path, tmp_path,
                                                                      capsys):
    # the province has Phạm Thị Dung twice within the tolerance under other codes: the closer one
    # (08:55, 5 minutes) is her match, and every summary says the pairing is a choice
    rows = province_rows() + [province_rows()[2]]
    rows[-1][0] = "XTD-250106-9043"
    rows[-1][PROVINCE_HEADER.index("NgayTiepNhan")] = "20250106085500"
    path = write_csv(tmp_path / "hai.csv", PROVINCE_HEADER + ["MaDonViTiepNhan"],
                     [r + ["XTD" if r[0].startswith("XTD") else "XVQ"] for r in rows])
    result = reconcile(office, path, FIRST, LAST)
    pair = next(p for p in result.pairs if p.ours.code == "XTD-250106-0002")
    assert pair.theirs.code == "XTD-250106-9043" and "không chắc chắn" in pair.how
    assert "XTD-250106-9042" in [i.code for i in result.only_theirs]
    assert result.uncertain == 1
    office.close()
    assert command(_args(db_path, path, out=str(tmp_path / "r.pdf"))) == 0
    assert "1 cặp ghép không chắc chắn" in capsys.readouterr().out
    from tests.pdfread import pdf_text
    assert "1 cặp ghép không chắc chắn" in " ".join(pdf_text(tmp_path / "r.pdf").split())


@pytest.mark.parametrize("where", ["khong co/doi chieu.pdf", "thư mục/kết quả.xlsx", "."])
def test_an_output_that_cannot_be_written_is_refused_before_matching(office, province_file,
                                                                     db_path, tmp_path,
                                                                     monkeypatch, where):
    """The writable check ran only after the whole reconciliation: minutes over a year's file
    before 'thư mục ... không tồn tại'."""
    from core.errors import MotCuaError
    from core.reconcile import cli

    def never(*args, **kwargs):
        raise AssertionError("matched before the output was checked")
    monkeypatch.setattr(cli, "reconcile", never)
    office.close()
    out = tmp_path / where if where != "." else tmp_path / "ket_qua.pdf"
    if where == ".":
        out.mkdir()
    # a missing folder is bad input (exit 2, core.paths.require_folder), and so is a folder
    # named where a file is wanted (core.pdf.document.check_writable)
    with pytest.raises(MotCuaError, match="(Thư mục .* không tồn tại; không ghi được tệp|Không "
                                          "ghi được tệp .*thư mục)") as caught:
        command(_args(db_path, province_file, out=str(out)))
    assert caught.value.exit_code == 2


@pytest.mark.parametrize("out", ["", "  "])
def test_an_empty_output_name_is_refused_not_taken_for_no_output(office, province_file, db_path,
                                                                  out, capsys):
    """`--out ""` (a script's empty variable) printed the comparison and exited 0 with no file
    written: the clerk asked for a file and got none, in silence. The command line's one rule
    for an empty path refuses it (core.cli.guard_paths; reconcile's own check said it again)."""
    import main
    office.close()
    assert main.main(["--db", str(db_path), "reconcile", str(province_file), "--from",
                      "2025-01-01", "--to", "2025-01-31", "--out", out]) == 2
    captured = capsys.readouterr()
    assert "--out" in captured.err and "đường dẫn đang trống" in captured.err
    assert "Chưa làm gì" in captured.err and captured.out == ""


def test_rows_no_figure_of_the_period_counts_are_checked_not_written(office, tmp_path,
                                                                      monkeypatch):
    """A year's export compared for one month wrote every row into the scratch database, one by
    one with its history: 200,000 rows took 23 minutes. Rows closed before the period or
    received after it are checked (a bad one still refuses the file) but not written, and
    every figure is the one the whole file gives."""
    import core.reconcile as module
    from core.reconcile.scratch import scratch_database
    header = PROVINCE_HEADER + ["MaDonViTiepNhan"]

    def row(code, received, finished, status):
        base = dict(zip(PROVINCE_HEADER, province_rows()[0], strict=True))
        base.update(MaHoSo=code, NgayTiepNhan=received, NgayKetThucXuLy=finished, NgayTra="",
                    TrangThaiHoSo=status)
        return [base[c] for c in PROVINCE_HEADER] + ["XTD"]
    rows = [r + ["XTD" if r[0].startswith("XTD") else "XVQ"] for r in province_rows()] + [
        row("XTD-241202-0001", "20241202080000", "20241203080000", "9"),  # closed before
        row("XTD-241203-0001", "20241203080000", "", "4"),                # carried over
        row("XTD-241204-0001", "20241204080000", "20250105080000", "9"),  # resolved in it
        row("XTD-250203-0001", "20250203080000", "", "2")]                # received after
    path = write_csv(tmp_path / "nam.csv", header, rows)
    kept = []

    def scratch(db):
        temp = scratch_database(db)
        kept.append(temp)
        monkeypatch.setattr(temp, "close", lambda: None)
        return temp
    monkeypatch.setattr(module, "scratch_database", scratch)
    result = reconcile(office, path, FIRST, LAST)
    assert result.ok and result.file_rows == 9 and result.outside == 4
    written = {r[0] for r in kept[0].execute("SELECT code FROM dossiers")}
    assert "XTD-241202-0001" not in written and "XTD-250203-0001" not in written
    assert {"XTD-241203-0001", "XTD-241204-0001", "XTD-250108-0009"} <= written
    other = fresh_catalog(tmp_path)
    try:
        assert import_mapped(other, path, NATIONAL_PROFILE).ok
        province = compute(other, FIRST, LAST)["total"]
    finally:
        other.close()
    cells = {r.name: r.cells[1] for r in result.indicators if r.source == "Biểu 06"}
    from core.indicators.vocabulary import INDICATORS
    for key in KEYS:
        if key != "online_payment":  # the province file's payments are not imported above
            cell = cells[INDICATORS[key].short]
            assert (cell.num, cell.den) == ratio(province, key), key
    counts = {r.name: r.cells[1].num for r in result.indicators if not r.source}
    assert list(counts.values())[:2] == [province["received"]["total"],
                                         province["resolved"]["total"]]


SECTIONS = ("I. Chỉ tiêu tính trên hai bộ số liệu", "II. Hồ sơ có trong MotCua",
            "III. Hồ sơ có trên hệ thống tỉnh", "IV. Hồ sơ khác nhau giữa hai hệ thống")


def test_no_section_heading_is_left_alone_at_the_foot_of_a_page(office, province_file):
    """A section's heading goes with its first table: the 01/12/2026 report printed 'IV. Hồ sơ
    khác nhau giữa hai hệ thống' as the last line of page 5 and its table on page 6. The story
    is laid out below blocks of every height, so each heading meets a page's foot once."""
    from reportlab.platypus import Spacer

    from core.pdf.document import A4_LANDSCAPE, render
    from core.pdf.reconcile import story
    from tests.pdfread import page_texts_pdfium
    result = reconcile(office, province_file, FIRST, LAST)
    width, height = A4_LANDSCAPE.frame_width, A4_LANDSCAPE.size[1]
    for step in range(1, 40):
        pdf = render([Spacer(1, height * step / 60)] + story(office, result, width, LAST),
                     A4_LANDSCAPE, title="t", draft=False)
        # PDFium reads the 39 layouts' pages in 0.3 s of CPU, pypdf in 4.6 s; it puts a table's
        # row on one line, and a heading, a paragraph of its own, on its own line as pypdf does
        # (with CondPageBreak(0) both name the same 17 pages ending in a heading: fast39c)
        headings = 0
        for number, text in enumerate(page_texts_pdfium(pdf), start=1):
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            texts = [line for line in lines if not line.isdigit()]  # the page numbers apart
            headings += sum(line.startswith(SECTIONS) for line in texts)
            assert not texts or not texts[-1].startswith(SECTIONS), (step, number, texts[-1])
        # the headings were read as lines of their own (review39b: else the check above holds
        # for a reading that finds none)
        assert headings >= len(SECTIONS), (step, headings)


def test_page_one_carries_the_title_and_the_start_of_section_one(office, province_file):
    """The title's page goes on with section I, its table's header and first rows, whenever
    there is room for them: the 02/12/2026 report of a commune's month printed the title and
    summary alone on page 1 and section I from page 2 (its heading was kept with the whole
    table, which did not fit under the title). Laid out with 50 to 155 mm left under the
    title's block, page 1 holds the heading and the first figures each time (the four counts
    kept together since recon34: test_section_one_layout; 45 mm holds three of them)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    from core.pdf.document import A4_LANDSCAPE, render
    from core.pdf.reconcile import build_reconciliation, story
    from tests.pdfread import page_texts, page_texts_pdfium
    result = reconcile(office, province_file, FIRST, LAST)
    first = " ".join(page_texts(build_reconciliation(office, result, LAST))[0].split())
    assert "Kết quả đối chiếu hồ sơ" in first and SECTIONS[0] in first
    assert "Hồ sơ tiếp nhận (kể cả kỳ trước chuyển sang)" in first
    width = A4_LANDSCAPE.frame_width
    frame = A4_LANDSCAPE.size[1] - A4_LANDSCAPE.top - A4_LANDSCAPE.bottom
    flowables = story(office, result, width, LAST)
    start = next(i for i, f in enumerate(flowables)
                 if getattr(f, "getPlainText", lambda: "")().startswith(SECTIONS[0]))
    title = sum(f.wrap(width, frame)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                for f in flowables[:start])
    for room in range(50, 160, 10):
        pdf = render([Spacer(1, frame - title - room * mm)] + story(office, result, width, LAST),
                     A4_LANDSCAPE, title="t", draft=False)
        page = " ".join(page_texts_pdfium(pdf)[0].split())  # PDFium: a tenth of pypdf's CPU
        assert SECTIONS[0] in page and "Hồ sơ tiếp nhận" in page, room


@pytest.mark.parametrize("paid", ["1", "2", "2.0"])
def test_paid_through_the_provinces_gateway_counts_as_paid_online(office, tmp_path, paid):
    """The portal's DuocThanhToanTrucTuyen is 1 (paid through the national payment platform) or
    2 (through the province's gateway) — brief 3, indicator 3.6: both are paid online. A 2 was
    refused as 'phải là 0 hoặc 1', the row left out of the comparison as unreadable."""
    rows = province_rows()
    rows[3][PROVINCE_HEADER.index("ThanhToanTrucTuyen")] = paid
    path = write_csv(tmp_path / "t.csv", PROVINCE_HEADER, rows)
    result = reconcile(office, path, FIRST, LAST)
    assert result.ok and result.unread_rows == 0 and not result.errors
    row = next(r for r in result.indicators if r.name == "Thanh toán trực tuyến")
    assert (row.cells[1].num, row.cells[1].den) == (1, 1)


def test_a_paid_online_value_the_portal_has_not_is_named_with_the_portals_values(office,
                                                                                 tmp_path):
    rows = province_rows()
    rows[3][PROVINCE_HEADER.index("ThanhToanTrucTuyen")] = "3"
    path = write_csv(tmp_path / "t.csv", PROVINCE_HEADER, rows)
    result = reconcile(office, path, FIRST, LAST)
    assert result.unread_rows == 1
    error = result.errors[0]
    assert error.row == 5 and error.column.startswith("ThanhToanTrucTuyen")
    assert "2 (" in error.reason and "cổng thanh toán của tỉnh" in error.reason


def test_a_csv_in_another_encoding_is_refused_in_the_reconciliations_words(catalog, db_path,
                                                                          tmp_path):
    """The command compares, it imports nothing: "rồi chạy lại lệnh đối chiếu"; `import`
    keeps "rồi nhập lại" (one rule: core.transfer.csv_files.utf8_advice)."""
    from core.errors import InputError
    from core.transfer.files import open_table
    source = tmp_path / "tinh.csv"  # "Văn" as Windows-1258 saves it: not UTF-8
    source.write_bytes(",".join(PROVINCE_HEADER).encode() + b"\r\nXTD-1,V\xe3n\r\n")
    catalog.close()
    with pytest.raises(InputError) as refused:
        command(_args(db_path, source))
    assert refused.value.message.endswith(
        "(*.csv)\", rồi chạy lại lệnh đối chiếu. Hoặc lưu thành tệp Excel .xlsx.")
    with pytest.raises(InputError, match="rồi nhập lại. Hoặc lưu thành tệp Excel .xlsx."):
        open_table(source)


def test_a_province_row_shifted_by_an_unquoted_delimiter_is_listed_the_rest_compared(
        office, province_file):
    """The provincial file is read as an import reads (core.transfer.files.Table): a row with a
    filled cell past the header had its columns compared one field late, in silence; then
    (round 30) it refused the whole reconciliation. An import refuses the file on it; the
    reconciliation lists the row as unreadable, with the import's sentence, and compares the rest."""
    from core.transfer.shifted import DELIMITERS
    lines = province_file.read_text(encoding="utf-8").splitlines()
    lines[2] += ",Lạng Sơn"
    province_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    width = lines[0].count(",") + 1
    before = office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    result = reconcile(office, province_file, FIRST, LAST)
    assert result.ok and not result.refused and result.unread_rows == 1
    [error] = result.errors  # its one error, not each misread cell's
    assert (error.row, error.value) == (3, "")  # the cell's value may be a part of a name
    assert error.reason == (f"dòng 3 có {width + 1} ô, tiêu đề (dòng 1) có {width} cột — có thể "
                            f"{DELIMITERS[',']} nằm trong một ô không có ngoặc kép, làm lệch mọi "
                            "cột sau nó. Hãy đặt ô ấy trong ngoặc kép (hoặc lưu tệp từ Excel "
                            "thành .xlsx) rồi chạy lại.")
    assert len(result.pairs) == 3  # the four other dossiers of both sides, less the one only there
    assert [i.code for i in result.only_ours] == ["XTD-250102-0002"]
    assert [i.code for i in result.unread_ours] == ["XTD-250106-0001"]
    assert result.unread_table()[0][1:] == [3, error.column, "", error.reason]
    assert office.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == before


def test_a_running_period_evaluates_the_three_columns_at_one_moment(office, province_file,
                                                                    monkeypatch):
    """While a period runs the engine evaluates it at the clock; the three columns were three
    calls, each at its own clock reading, so a dossier passing its due time between them stood
    overdue in «Hệ thống tỉnh» and within time in «MotCua» for the same record. They are now
    evaluated at the MotCua column's moment, the one the report prints."""
    import core.reconcile as reconciling
    from core import timefmt

    clock = {"now": dt.datetime(2025, 1, 25, 8, 0)}
    monkeypatch.setattr(timefmt, "now", lambda: clock["now"])
    real, moments = reconciling.compute, []

    def counted(*args, **kwargs):
        doc = real(*args, **kwargs)
        moments.append(doc["as_of"])
        clock["now"] += dt.timedelta(days=3)  # the clock moves on between the columns
        return doc

    monkeypatch.setattr(reconciling, "compute", counted)
    result = reconcile(office, province_file, FIRST, LAST)
    assert result.ok and len(moments) == 3
    assert moments == [result.as_of] * 3 == ["2025-01-25 08:00:00"] * 3
