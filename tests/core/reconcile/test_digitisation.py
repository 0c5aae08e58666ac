"""Decision 766 4.2 (digitisation) in the reconciliation: computed on the province's side when its
file holds the digitisation flags (DaSoHoaThanhPhan, DaSoHoaKetQua of the national profile, read
by the import's rule), 'không so sánh được' without them, and a dossier whose flags differ
listed among the differences; the same figures in the command, the PDF and the workbook."""
from __future__ import annotations

import pytest

from core import facts
from core.reconcile import reconcile
from core.reconcile.cli import command
from core.reconcile.side import FOOTNOTE, FOOTNOTE_FLAGGED, NOT_COMPARABLE_TEXT, PARTIAL_MARK
from core.transfer import import_file
from tests.core.reconcile.test_reconcile import (
    FIRST,
    LAST,
    PROVINCE_HEADER,
    _args,
    ours_rows,
    province_rows,
)
from tests.core.transfer.conftest import DOSSIERS_HEADER, write_csv

# MotCua's flags of ours_rows' dossiers (documents digitised, result digitised); None: the
# dossier has a document list instead (every submitted document scanned), added below
OUR_FLAGS = {"XTD-250102-0001": ("1", "1"), "XTD-250102-0002": ("", "1"),
             "XTD-250106-0001": ("1", "0"), "XTD-250106-0002": ("1", "1"),
             "XVQ-250107-0001": ("0", "0"), "XTD-241220-0001": ("1", "1")}
# The province's flags, in province_rows' order, as a file may write them (the import's
# flag words: 1/0, có/không, blank for none)
THEIR_FLAGS = [("1", "1"), ("Có", "có"), ("0", "1"), ("không", "0"), ("1", "")]
FLAG_HEADER = ["DaSoHoaThanhPhan", "DaSoHoaKetQua"]
EXTRA_HEADER = ["MaDonViTiepNhan", "CacLanBoSung", "KetQuaDienTu"]
RESOLVED_CODES = {"9", "10"}  # the portal's codes of a dossier with a result (resolved, returned)
YES = {"1", "có"}


@pytest.fixture
def office(catalog, tmp_path):
    rows = [r + list(OUR_FLAGS[r[0]]) for r in ours_rows()]
    path = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER + ["digitised", "result_digitised"], rows)
    assert import_file(catalog, "dossiers", path).ok
    # XTD-250102-0002 (missing from the province) has a document list, both documents scanned
    dossier_id = catalog.execute("SELECT id FROM dossiers WHERE code = 'XTD-250102-0002'"
                                 ).fetchone()[0]
    catalog.execute("UPDATE dossiers SET digitised = NULL WHERE id = ?", [dossier_id])
    for position in (1, 2):
        catalog.execute("INSERT INTO dossier_components(dossier_id, position, name, received, "
                        "digitised) VALUES (?, ?, 'Tờ khai', 1, 1)", [dossier_id, position])
    catalog.conn.commit()
    facts.refresh(catalog, [dossier_id])
    return catalog


def _file(tmp_path, flags: list[str]):
    """The province's export with the columns `flags` (of FLAG_HEADER) besides the others."""
    chosen = [FLAG_HEADER.index(f) for f in flags]
    rows = [r + ["XTD" if r[0].startswith("XTD") else "XVQ", "", ""]
            + [f[i] for i in chosen] for r, f in zip(province_rows(), THEIR_FLAGS, strict=True)]
    return write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER + EXTRA_HEADER + flags, rows)


def _row(result, code="4.2"):
    return next(r for r in result.indicators if r.source == "766" and r.name.startswith(code))


def _independent_count() -> tuple[int, int]:
    """4.2 counted straight from the file's rows: every submitted document digitised, and the
    result too once there is one; over every dossier received (all in the period)."""
    status = PROVINCE_HEADER.index("TrangThaiHoSo")
    count = sum(1 for row, (docs, result) in zip(province_rows(), THEIR_FLAGS, strict=True)
                if docs.lower() in YES and (row[status] not in RESOLVED_CODES
                                            or result.lower() in YES))
    return count, len(province_rows())


def test_the_province_file_with_the_flags_gives_its_own_digitisation_figure(office, tmp_path):
    result = reconcile(office, _file(tmp_path, FLAG_HEADER), FIRST, LAST)
    row = _row(result)
    assert row.comparable and NOT_COMPARABLE_TEXT not in row.texts
    assert (row.cells[1].num, row.cells[1].den) == _independent_count() == (3, 5)
    # MotCua's: 0001, 0002 (its document list) and 250106-0002; 250106-0001 lacks its result
    assert (row.cells[0].num, row.cells[0].den) == (3, 5)
    # entering 0002 brings its document list with it: digitised there too
    assert (row.cells[2].num, row.cells[2].den) == (4, 6)
    assert row.change == "+6,67 điểm %" and not row.missing
    assert _row(result, "5.4").texts[1] == NOT_COMPARABLE_TEXT  # still no complaints there
    assert FOOTNOTE_FLAGGED in result.notes() and FOOTNOTE not in result.notes()
    assert "4.2" not in FOOTNOTE_FLAGGED


def test_without_the_columns_the_figure_is_not_compared(office, tmp_path):
    result = reconcile(office, _file(tmp_path, []), FIRST, LAST)
    assert _row(result).texts[1:] == [NOT_COMPARABLE_TEXT] * 2 and _row(result).change == "—"
    assert FOOTNOTE in result.notes()
    assert not [d for d in result.differences if d.field.startswith("Số hoá")]


def test_without_the_result_flag_the_figure_is_marked_partial(office, tmp_path):
    """A file with the documents' flag and no DaSoHoaKetQua: 4.2 is computed as if no result
    was digitised, and says so (**), naming the column."""
    result = reconcile(office, _file(tmp_path, ["DaSoHoaThanhPhan"]), FIRST, LAST)
    row = _row(result)
    assert row.comparable and row.missing == ("result_digitised",)
    assert row.texts[1].endswith(PARTIAL_MARK) and (row.cells[1].num, row.cells[1].den) == (1, 5)
    assert "DaSoHoaKetQua" in (result.missing_note() or "")
    fields = {(d.pair.ours.code, d.field) for d in result.differences}
    assert ("XTD-250102-0001", "Số hoá kết quả") not in fields  # the file says nothing of it
    assert ("XTD-250106-0002", "Số hoá thành phần hồ sơ") in fields


def test_a_dossier_whose_flags_differ_is_listed(office, tmp_path):
    result = reconcile(office, _file(tmp_path, FLAG_HEADER), FIRST, LAST)
    found = {(d.pair.ours.code, d.field): (d.ours, d.theirs) for d in result.differences
             if d.field.startswith("Số hoá")}
    assert found == {
        ("XTD-250106-0001", "Số hoá kết quả"): ("Chưa số hoá kết quả", "Đã số hoá kết quả"),
        ("XTD-250106-0002", "Số hoá thành phần hồ sơ"): ("Đã số hoá đủ thành phần",
                                                          "Chưa số hoá đủ thành phần"),
    }
    pairs = {row[1]: row[-1] for row in result.pairs_table()}
    assert "Số hoá kết quả" in pairs["XTD-250106-0001"]


def test_the_command_the_pdf_and_the_workbook_show_the_same_figure(office, tmp_path, db_path,
                                                                  capsys):
    from openpyxl import load_workbook

    from tests.pdfread import pdf_text
    path = _file(tmp_path, FLAG_HEADER)
    result = reconcile(office, path, FIRST, LAST)
    row = _row(result)
    office.close()
    pdf, book = tmp_path / "dc.pdf", tmp_path / "dc.xlsx"
    assert command(_args(db_path, path, out=str(pdf))) == 0
    out = capsys.readouterr().out
    assert f"[766] 4.2 Tỷ lệ số hoá hồ sơ: {' | '.join(row.texts)} | {row.change}" in out
    assert f"Khác nhau: {len(result.differences)} nội dung của 3 hồ sơ" in out  # flags among them
    assert len(result.differences) == 8  # the near pair's reception gap among them (walk33)
    text = " ".join(pdf_text(pdf).split())
    assert all(t in text for t in row.texts) and FOOTNOTE_FLAGGED.split(",")[0] in text
    assert "không có cờ số hoá hồ sơ" not in text
    assert command(_args(db_path, path, out=str(book))) == 0
    sheet = [list(r) for r in load_workbook(book, read_only=True)["Chỉ tiêu"].values]
    line = next(r for r in sheet if len(r) > 7 and isinstance(r[1], str)
                and r[1].startswith("4.2"))
    assert line[3:9] == [c for cell in row.cells
                         for c in (cell.rate, f"{cell.num}/{cell.den}")]
    assert FOOTNOTE_FLAGGED in [r[0] for r in sheet if r]  # (the signatures follow it)
    differing = [list(r) for r in load_workbook(book, read_only=True)["Khác nhau"].values]
    assert any("Số hoá kết quả" in r for r in differing)


def test_the_office_against_its_own_national_export_agrees_on_digitisation(office, tmp_path,
                                                                           db_path):
    """`export --profile national` writes DaSoHoaThanhPhan as the figures read it: for a
    dossier with a document list (XTD-250102-0002, every document scanned) from the list, not
    the dossier's own flag, which the list leaves empty (it was written blank, and the office
    reconciled against its own export saw 4.2 lower there and a difference for the dossier)."""
    import csv

    import main
    exported = tmp_path / "quoc_gia.csv"
    office.conn.commit()
    assert main.main(["--db", str(db_path), "export", "dossiers", str(exported),
                      "--profile", "national"]) == 0
    with open(exported, encoding="utf-8-sig", newline="") as f:
        rows = {r["MaHoSo"]: r for r in csv.DictReader(f)}
    assert rows["XTD-250102-0002"]["DaSoHoaThanhPhan"] == "1"
    result = reconcile(office, exported, FIRST, LAST)
    row = _row(result)
    assert row.comparable and row.cells[1] == row.cells[0] == row.cells[2]
    assert not [d for d in result.differences if d.field.startswith("Số hoá")]
    assert not result.only_ours and not result.only_theirs


def test_documents_nobody_recorded_as_digitised_are_named_so(catalog, tmp_path):
    """An office that never records digitisation (the flag empty, no document list): the
    province's digitised dossier differs, MotCua's side named 'not recorded' (the figure counts
    it as not digitised), not 'not digitised'; a blank flag against a 0 is no difference."""
    from core.reconcile.matching import NOT_RECORDED
    path = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, ours_rows())
    assert import_file(catalog, "dossiers", path).ok
    rows = [r + ["XTD" if r[0].startswith("XTD") else "XVQ", "", "", flags[0]]
            for r, flags in zip(province_rows(), [("1",), ("",), ("0",), ("",), ("",)],
                                strict=True)]
    path = write_csv(tmp_path / "tinh.csv", PROVINCE_HEADER + EXTRA_HEADER + ["DaSoHoaThanhPhan"],
                     rows)
    result = reconcile(catalog, path, FIRST, LAST)
    found = [(d.pair.ours.code, d.field, d.ours, d.theirs) for d in result.differences
             if d.field.startswith("Số hoá")]
    assert found == [("XTD-250102-0001", "Số hoá thành phần hồ sơ", NOT_RECORDED,
                      "Đã số hoá đủ thành phần")]


# THEIR_FLAGS as other provincial exports write the same values: a number cell saved to CSV
# ("1.0"), the words (any case, with or without diacritics)
WORDED = {"1": "1.0", "Có": "Đã số hóa", "0": "CHƯA SỐ HOÁ", "không": "0.0", "có": "da so hoa",
          "": ""}


def test_flags_written_as_numbers_or_words_give_the_same_figure(office, tmp_path):
    """Round 19: "1.0", "Đã số hóa", "Chưa số hóa" made a row unread (left out of 4.2 and of the
    comparison as 'phải là 0 hoặc 1'). Read by the import's one rule, the figure and the
    differences are those of the same file written 1/0."""
    plain = reconcile(office, _file(tmp_path, FLAG_HEADER), FIRST, LAST)
    rows = [r + ["XTD" if r[0].startswith("XTD") else "XVQ", "", ""]
            + [WORDED[f] for f in flags] for r, flags in zip(province_rows(), THEIR_FLAGS,
                                                            strict=True)]
    worded = reconcile(office, write_csv(tmp_path / "chu.csv", PROVINCE_HEADER + EXTRA_HEADER
                                         + FLAG_HEADER, rows), FIRST, LAST)
    assert not worded.errors and not worded.unread_rows, worded.errors
    assert [c.__dict__ for c in _row(worded).cells] == [c.__dict__ for c in _row(plain).cells]
    assert (_row(worded).cells[1].num, _row(worded).cells[1].den) == (3, 5)
    assert sorted((d.pair.ours.code, d.field, d.theirs) for d in worded.differences) == \
        sorted((d.pair.ours.code, d.field, d.theirs) for d in plain.differences)


@pytest.mark.parametrize("cell, value", [("1.0", 1), ("0.0", 0), ("Đã số hóa", 1),
                                         ("chưa số hoá", 0), ("DA SO HOA", 1), ("x", 1),
                                         ("", None)])
def test_the_import_and_the_reconciliation_read_a_flag_alike(cell, value):
    from core.transfer.dossiers import Dossiers
    from core.transfer.mapped_dossiers import MappedDossiers, ProvincialSet
    for name in ("digitised", "result_digitised"):
        parsers = [next(c.parse for c in kind.extra_columns if c.name == name)
                   for kind in (Dossiers, MappedDossiers, ProvincialSet)]
        assert [parse(cell) for parse in parsers] == [value] * 3
