"""One reconciliation, four places, the same counts (round 30): how many dossiers were paired
(by code, without one), are missing on either side and differ — as the command prints them, the
PDF's summary and sections list them, the workbook's sheets hold them and the window's tabs
count them. test_figures_agree holds the indicators to the same rule."""
from __future__ import annotations

import re

from openpyxl import load_workbook

from core.reconcile import SECTIONS
from core.reconcile.cli import command
from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, _args, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    dialog,
    office,
    run,
)
from tests.gui.test_commune_report import pick_unit
from tests.pdfread import pdf_text

HEADER = PROVINCE_HEADER + ["MaDonViTiepNhan", "CacLanBoSung", "KetQuaDienTu"]


def _window(shown) -> dict[str, int]:
    result, tabs = shown.result, shown.tabs
    titles = {key: tabs.tabText(tabs.indexOf(shown.views[key])) for key in
              ("only_ours", "only_theirs", "differences", "pairs")}
    rows = {key: view.model().rowCount() for key, view in shown.views.items()}
    for key in ("only_ours", "only_theirs", "differences"):
        assert titles[key].endswith(f" ({rows[key]})"), (key, titles[key])
    pairs, near = map(int, re.search(r"\((\d+), (\d+) không theo mã\)", titles["pairs"]).groups())
    assert pairs == rows["pairs"] == len(result.pairs)
    summary = re.search(r"Khớp (\d+) hồ sơ \((\d+) theo mã, (\d+) theo", shown.summary.text())
    assert summary and int(summary.group(1)) == pairs
    differing = shown.views["differences"].model()
    dossiers = {differing.index(r, 0).data() for r in range(differing.rowCount())}
    return {"pairs": pairs, "by_code": int(summary.group(2)), "near": near,
            "only_ours": rows["only_ours"], "only_theirs": rows["only_theirs"],
            "differences": (rows["differences"], len(dossiers))}


def _differing(said: str) -> tuple[int, int]:
    """'14 nội dung của 9 hồ sơ', in the words of the list's column "Nội dung", on paper and on
    the terminal alike (the terminal said "14 trường", the paper "14 nội dung" with no count
    of dossiers)."""
    found = re.fullmatch(r"(\d+) nội dung của (\d+) hồ sơ", said)
    assert found, said
    return int(found.group(1)), int(found.group(2))


def _command(out: str) -> dict[str, int]:
    found = re.search(r"Khớp: (\d+) hồ sơ \((\d+) theo mã, (\d+) theo", out)
    return {"pairs": int(found.group(1)), "by_code": int(found.group(2)),
            "near": int(found.group(3)),
            "only_ours": int(re.search(r"thiếu trên hệ thống tỉnh: (\d+)", out).group(1)),
            "only_theirs": int(re.search(r"thiếu trong MotCua: (\d+)", out).group(1)),
            "differences": _differing(re.search(r"Khác nhau: (.+)", out).group(1))}


def _paper(text: str) -> dict[str, int]:
    found = re.search(r"Khớp (\d+) hồ sơ: (\d+) theo mã hồ sơ, (\d+) theo", text)
    said = {"pairs": int(found.group(1)), "by_code": int(found.group(2)),
            "near": int(found.group(3)),
            "only_ours": int(re.search(r"thiếu trên hệ thống tỉnh: (\d+) hồ sơ", text).group(1)),
            "only_theirs": int(re.search(r"thiếu trong MotCua: (\d+) hồ sơ", text).group(1)),
            "differences": _differing(re.search(r"khác nhau: (.+?)\.", text).group(1))}
    # section II's clerks' days add up to its count; section V names its pairs
    section = text.split(SECTIONS["only_ours"][1])[1].split(SECTIONS["only_theirs"][1])[0]
    assert sum(map(int, re.findall(r"Ngày \S+ — (\d+) hồ sơ", section))) == said["only_ours"]
    assert re.search(rf"{said['near']} cặp hồ sơ ghép không theo mã", text)
    return said


def _book(path) -> dict[str, int]:
    book = load_workbook(path)

    def counted(key: str) -> int:
        title, what = SECTIONS[key]
        cells = [v for row in book[title].iter_rows(values_only=True) for v in row
                 if isinstance(v, str) and v.startswith(what)]
        listed = sum(1 for row in book[title].iter_rows(values_only=True)
                     if isinstance(row[0], int))
        assert cells == [f"{what}: {listed} dòng"], key
        return listed
    near = counted("near")
    pairs = counted("pairs")
    return {"pairs": pairs, "by_code": pairs - near, "near": near,
            "only_ours": counted("only_ours"), "only_theirs": counted("only_theirs"),
            "differences": (counted("differences"), len(
                {row[1] for row in book[SECTIONS["differences"][0]].iter_rows(values_only=True)
                 if isinstance(row[0], int)}))}


PAIRED_OUTSIDE = re.compile(r"(\d+) hồ sơ đã ghép theo mã với dòng của tệp có ngày tiếp nhận")


def _paired_outside(text: str) -> list[int]:
    """How many pairs the province counts in another period, each time a place says it."""
    return [int(n) for n in PAIRED_OUTSIDE.findall(" ".join(text.split()))]


def _book_notes(path) -> str:
    return " ".join(v for row in load_workbook(path)[SECTIONS["indicators"][0]].iter_rows(
        values_only=True) for v in row if isinstance(v, str))


def test_the_window_the_command_the_pdf_and_the_workbook_count_alike(
        qtbot, dialog, office, db_path, tmp_path, monkeypatch, capsys):  # noqa: F811
    rows = [r + ["XTD" if r[0].startswith("XTD") else "XVQ", "", ""] for r in province_rows()]
    # the province received the first one on 31/12 (round 31): paired by code, outside the
    # period on the province's side, and every place says so once with the same count
    rows[0][PROVINCE_HEADER.index("NgayTiepNhan")] = "20241231160000"
    source = write_csv(tmp_path / "tinh.csv", HEADER, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    run(qtbot, dialog)
    window = _window(dialog)
    assert all(window.values()), window  # every kind present in this one scenario
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    capsys.readouterr()
    assert command(_args(db_path, source, out=str(pdf))) == 0
    assert command(_args(db_path, source, out=str(book))) == 0
    out = capsys.readouterr().out
    assert _command(out) == window
    assert _paper(" ".join(pdf_text(pdf).split())) == window
    assert _book(book) == window
    assert dialog.result.paired_outside == 1
    assert _paired_outside(dialog.summary.text() + " " + dialog.unread_note.text()) == [1]
    assert _paired_outside(out) == [1, 1]  # the two runs, once each
    assert _paired_outside(pdf_text(pdf)) == [1]
    assert _paired_outside(_book_notes(book)) == [1]


RESOLVED_ELSEWHERE = re.compile(r"(\d+) hồ sơ đã ghép với dòng của tệp được hệ thống tỉnh tính "
                                r"vào đơn vị đã chọn nhưng MotCua tính cho đơn vị giải quyết khác")


def test_pairs_the_province_counts_here_are_said_alike_on_screen_and_by_the_command(
        qtbot, dialog, office, db_path, tmp_path, monkeypatch, capsys):  # noqa: F811
    """Walk38: reconciling XVQ with a file naming only the receiving unit, XTD-250106-0001
    (MotCua's for XTD) is held by the province under XVQ: counted there by the province, at XTD
    by MotCua. The window and the command say it with the same count, as the one note of
    core (Reconciliation.outside_pairs_note) words it."""
    header = PROVINCE_HEADER + ["MaDonViTiepNhan"]
    rows = [r + ["XVQ" if r[0].startswith(("XVQ", "XTD-250106-0001")) else "XTD"]
            for r in province_rows()]
    source = write_csv(tmp_path / "tinh.csv", header, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    pick_unit(qtbot, dialog, dialog.unit, "XVQ")
    run(qtbot, dialog)
    assert dialog.result.paired_resolved_elsewhere == 1
    shown = " ".join((dialog.summary.text() + " " + dialog.unread_note.text()).split())
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    capsys.readouterr()
    assert command(_args(db_path, source, unit="XVQ", out=str(pdf))) == 0
    assert command(_args(db_path, source, unit="XVQ", out=str(book))) == 0
    out = " ".join(capsys.readouterr().out.split())
    paper, sheet = " ".join(pdf_text(pdf).split()), " ".join(_book_notes(book).split())
    assert RESOLVED_ELSEWHERE.findall(shown) == ["1"]
    assert RESOLVED_ELSEWHERE.findall(out) == ["1", "1"]  # the two runs, once each
    assert RESOLVED_ELSEWHERE.findall(paper) == RESOLVED_ELSEWHERE.findall(sheet) == ["1"]
    said = dialog.result.outside_pairs_note()
    assert said and all(said in text for text in (shown, out, sheet))


RESOLVED_BY_OTHER = re.compile(r"(\d+) hồ sơ đã ghép với dòng của tệp ghi đơn vị giải quyết "
                               r"khác: MotCua tính")


def _unit_rows(view) -> list[tuple[str, str, str]]:
    """The window's «Khác nhau» rows of a unit: (code, MotCua's, the province's)."""
    model = view.model()
    cells = [[model.index(r, c).data() for c in range(model.columnCount())]
             for r in range(model.rowCount())]
    return [(row[0], row[4], row[5]) for row in cells if row[3] == "Đơn vị giải quyết"]


def test_a_file_naming_the_resolving_unit_alone_is_said_alike_everywhere(
        qtbot, dialog, office, db_path, tmp_path, monkeypatch, capsys):  # noqa: F811
    """Review38: a file with MaDonViGiaiQuyet and no MaDonViTiepNhan had its resolving units
    compared nowhere. XTD-250102-0001, XTD's in MotCua, is XVQ's on the province: reconciling
    XTD, the window's «Khác nhau» lists its units by name as the command, the PDF and the
    workbook count them, and the note beside the counts is the same in all four."""
    header = PROVINCE_HEADER + ["MaDonViGiaiQuyet"]
    rows = [r + ["XVQ" if r[0] in ("XTD-250102-0001",) or r[0].startswith("XVQ") else "XTD"]
            for r in province_rows()]
    source = write_csv(tmp_path / "tinh.csv", header, rows)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    pick_unit(qtbot, dialog, dialog.unit, "XTD")
    run(qtbot, dialog)
    assert _unit_rows(dialog.views["differences"]) == [
        ("XTD-250102-0001", "UBND xã Tân Đoàn (XTD)", "UBND xã Văn Quan (XVQ)")]
    assert dialog.result.paired_resolved_by_other == 1
    window = _window(dialog)
    shown = " ".join((dialog.summary.text() + " " + dialog.unread_note.text()).split())
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    capsys.readouterr()
    assert command(_args(db_path, source, unit="XTD", out=str(pdf))) == 0
    assert command(_args(db_path, source, unit="XTD", out=str(book))) == 0
    printed = capsys.readouterr().out
    out = " ".join(printed.split())
    paper = " ".join(pdf_text(pdf).split())
    sheet = " ".join(_book_notes(book).split())
    assert _command(printed) == window
    assert _book(book)["differences"] == window["differences"]
    assert "Đơn vị giải quyết UBND xã Tân Đoàn (XTD) UBND xã Văn Quan (XVQ)" in paper
    assert RESOLVED_BY_OTHER.findall(shown) == ["1"]
    assert RESOLVED_BY_OTHER.findall(out) == ["1", "1"]  # the two runs, once each
    assert RESOLVED_BY_OTHER.findall(paper) == RESOLVED_BY_OTHER.findall(sheet) == ["1"]
    said = dialog.result.outside_pairs_note()
    assert said and all(said in text for text in (shown, out, sheet))
