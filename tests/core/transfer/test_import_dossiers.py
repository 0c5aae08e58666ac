"""Importing dossiers: what is stored, what an update changes, and that a second import of the
same file changes nothing at all."""
from __future__ import annotations

import json

import pytest

from core.errors import InputError, OperationError
from core.transfer import import_file
from db.connection import transaction
from tests.core.transfer.conftest import (
    DOSSIERS_HEADER,
    PROCEDURES,
    PROCEDURES_HEADER,
    UNITS,
    UNITS_HEADER,
    count,
    dossier_row,
    write_csv,
)
from tests.stored_facts import stored_facts

WAITS_HEADER = DOSSIERS_HEADER + ["supplement_waits"]


def load(db, tmp_path, rows, header=DOSSIERS_HEADER, name="d.csv", **kwargs):
    return import_file(db, "dossiers", write_csv(tmp_path / name, header, rows), **kwargs)


def stored(db, code, columns):
    return db.execute(f"SELECT {columns} FROM dossiers WHERE code = ?", [code]).fetchone()


def test_new_dossier_is_stored_with_its_due_time_event_and_facts(catalog, tmp_path):
    result = load(catalog, tmp_path, [dossier_row()])
    assert (result.added, result.updated, result.unchanged) == (1, 0, 0)
    row = stored(catalog, "XTD-250102-0001", "received_at, due_at, calc_due_at, fee, e_result, facts")
    # 3 working days from Thu 02/01/2025 08:00 end on Tue 07/01 08:00 (spec 2.2)
    assert tuple(row[:5]) == ("2025-01-02 08:00:00", None, "2025-01-07 08:00:00", None, 1)
    assert stored_facts(catalog)[0]["c"]["po"] == "early"
    event = catalog.execute("SELECT action, from_status, to_status, reason FROM events").fetchone()
    assert tuple(event) == ("import", None, "done", "Nhập từ tệp d.csv")
    assert catalog.execute("SELECT SUM(recv_online), SUM(early_po) FROM kpi_daily").fetchone() == (1, 1)


def test_second_import_of_the_same_file_changes_nothing(catalog, tmp_path):
    rows = [dossier_row(), dossier_row("XTD-250102-0002", status="supplement", finished_at="",
                                       returned_at="", supplement_requested_at="2025-01-02 10:00",
                                       extended_due_at="2025-01-20 17:00", fee="0")]
    load(catalog, tmp_path, rows)
    snapshot = catalog.execute("SELECT * FROM dossiers ORDER BY id").fetchall()
    tables = {t: count(catalog, t) for t in ("events", "supplements", "extensions", "kpi_daily")}
    result = load(catalog, tmp_path, rows)
    assert (result.added, result.updated, result.unchanged) == (0, 0, 2)
    assert catalog.execute("SELECT * FROM dossiers ORDER BY id").fetchall() == snapshot
    assert {t: count(catalog, t) for t in tables} == tables


def test_due_at_equal_to_the_computed_one_is_not_stored_as_explicit(catalog, tmp_path):
    rows = [dossier_row("A", due_at="2025-01-07 08:00"),      # what 2.2 gives: stored NULL
            dossier_row("B", due_at="2025-01-03 08:00")]      # earlier: an explicit due time
    load(catalog, tmp_path, rows)
    assert tuple(stored(catalog, "A", "due_at, calc_due_at")) == (None, "2025-01-07 08:00:00")
    assert tuple(stored(catalog, "B", "due_at, calc_due_at")) == ("2025-01-03 08:00:00", "2025-01-03 08:00:00")
    # finished Fri 03/01 10:00: early against the computed due time, late against the explicit one
    assert stored_facts(catalog, "code = 'B'")[0]["c"]["po"] == "late"


def test_stored_explicit_due_equal_to_computed_counts_as_unchanged(catalog, tmp_path):
    load(catalog, tmp_path, [dossier_row()])
    with transaction(catalog) as conn:
        conn.execute("UPDATE dossiers SET due_at = '2025-01-07 08:00:00'")
    result = load(catalog, tmp_path, [dossier_row()], name="again.csv")
    assert result.unchanged == 1


def test_fee_empty_means_the_procedures_fee_and_zero_means_none(catalog, tmp_path):
    rows = [dossier_row("A", procedure_code="1.004227", fee=""),
            dossier_row("B", procedure_code="1.004227", fee="0")]
    load(catalog, tmp_path, rows)
    assert stored(catalog, "A", "fee")[0] is None and stored(catalog, "B", "fee")[0] == 0
    assert stored_facts(catalog, "code = 'A'")[0]["fee"] == 1
    assert stored_facts(catalog, "code = 'B'")[0]["fee"] == 0


def test_supplement_columns_make_one_wait_and_an_update_replaces_it(catalog, tmp_path):
    row = dossier_row(supplement_requested_at="2025-01-02 09:00", supplement_completed_at="2025-01-02 10:00")
    load(catalog, tmp_path, [row])
    waits = "SELECT requested_at, completed_at FROM supplements"
    assert catalog.execute(waits).fetchall() == [("2025-01-02 09:00:00", "2025-01-02 10:00:00")]
    row = dossier_row(supplement_requested_at="2025-01-02 09:30", supplement_completed_at="")
    result = load(catalog, tmp_path, [row], name="d2.csv")
    assert result.updated == 1
    assert catalog.execute(waits).fetchall() == [("2025-01-02 09:30:00", None)]


def test_supplement_waits_column_brings_every_wait(catalog, tmp_path):
    row = dossier_row(supplement_requested_at="2025-01-02 14:00", supplement_completed_at="2025-01-02 15:00")
    listed = "2025-01-02 09:00:00>2025-01-02 10:00:00; 2025-01-02 14:00:00>2025-01-02 15:00:00"
    load(catalog, tmp_path, [row + [listed]], header=WAITS_HEADER)
    assert catalog.execute("SELECT requested_at, completed_at FROM supplements ORDER BY requested_at").fetchall() == [
        ("2025-01-02 09:00:00", "2025-01-02 10:00:00"), ("2025-01-02 14:00:00", "2025-01-02 15:00:00")]


def test_supplement_waits_malformed_is_refused(catalog, tmp_path):
    result = load(catalog, tmp_path, [dossier_row() + ["2025-01-02 09:00"]], header=WAITS_HEADER)
    assert [(e.row, e.column) for e in result.errors] == [(2, "supplement_waits")]


def test_extended_due_makes_an_extension_row(catalog, tmp_path):
    load(catalog, tmp_path, [dossier_row(extended_due_at="2025-01-10 17:00")])
    ext = catalog.execute("SELECT previous_due_at, new_due_at, reason FROM extensions").fetchone()
    assert tuple(ext) == ("2025-01-07 08:00:00", "2025-01-10 17:00:00", "Nhập từ tệp")
    load(catalog, tmp_path, [dossier_row(extended_due_at="")], name="d2.csv")
    assert count(catalog, "extensions") == 0
    assert stored(catalog, "XTD-250102-0001", "extended_due_at")[0] is None


def test_changed_row_is_updated_with_an_event(catalog, tmp_path, frozen_now):
    load(catalog, tmp_path, [dossier_row(status="processing", finished_at="", returned_at="")])
    result = load(catalog, tmp_path, [dossier_row()], name="d2.csv")
    assert (result.added, result.updated, result.unchanged) == (0, 1, 0)
    last = catalog.execute("SELECT from_status, to_status, reason, details FROM events "
                           "ORDER BY id DESC").fetchone()
    assert tuple(last[:3]) == ("processing", "done", "Cập nhật từ tệp d2.csv")
    assert json.loads(last[3])["fields"] == ["status", "finished_at", "returned_at"]
    assert stored(catalog, "XTD-250102-0001", "status, updated_at")[0] == "done"
    assert catalog.execute("SELECT SUM(closed) FROM kpi_daily").fetchone()[0] == 1


def test_columns_missing_from_the_header_keep_stored_values(catalog, tmp_path):
    load(catalog, tmp_path, [dossier_row(fee="5000", applicant_address="Thôn Nà Lầu")])
    header = [c for c in DOSSIERS_HEADER if c not in ("fee", "applicant_address")]
    row = [v for c, v in zip(DOSSIERS_HEADER, dossier_row(applicant_name="Nguyễn Văn Ân"), strict=True)
           if c in header]
    result = load(catalog, tmp_path, [row], header=header, name="d2.csv")
    assert result.updated == 1
    assert tuple(stored(catalog, "XTD-250102-0001", "applicant_name, fee, applicant_address")) == (
        "Nguyễn Văn Ân", 5000, "Thôn Nà Lầu")


def test_dry_run_counts_but_writes_nothing(catalog, tmp_path):
    load(catalog, tmp_path, [dossier_row()])
    rows = [dossier_row(applicant_name="Tên mới"), dossier_row("XTD-250102-0002")]
    result = load(catalog, tmp_path, rows, name="d2.csv", dry_run=True)
    assert (result.added, result.updated, result.unchanged, result.written) == (1, 1, 0, False)
    assert count(catalog, "dossiers") == 1 and count(catalog, "events") == 1
    assert stored(catalog, "XTD-250102-0001", "applicant_name")[0] == "Nguyễn Văn An"


def test_progress_is_reported_and_cancel_writes_nothing(catalog, tmp_path):
    rows = [dossier_row(f"XTD-250102-{i:04d}") for i in range(1, 2501)]
    path = write_csv(tmp_path / "many.csv", DOSSIERS_HEADER, rows)
    seen = []
    result = import_file(catalog, "dossiers", path, progress=lambda done, total: seen.append((done, total)))
    assert result.added == 2500
    assert seen[:3] == [(1000, 0), (2000, 0), (2500, 0)] and seen[-1] == (2500, 2500)

    def cancel(done, total):
        return total == 0  # go through the check, stop while writing

    rows = [dossier_row(f"XTD-250103-{i:04d}") for i in range(1, 2501)]
    with pytest.raises(OperationError, match="huỷ"):
        import_file(catalog, "dossiers", write_csv(tmp_path / "more.csv", DOSSIERS_HEADER, rows),
                    progress=cancel)
    assert count(catalog, "dossiers") == 2500


def test_big_files_are_streamed_twice_with_the_same_result(catalog, tmp_path, monkeypatch):
    monkeypatch.setattr("core.transfer.importing.KEEP_ROWS", 1)
    monkeypatch.setattr("core.transfer.importing.CHUNK", 2)
    rows = [dossier_row(f"XTD-250102-{i:04d}") for i in range(1, 6)]
    path = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows)
    assert load(catalog, tmp_path, rows).added == 5
    again = import_file(catalog, "dossiers", path)
    assert (again.added, again.unchanged) == (0, 5)


def test_file_changed_between_the_two_passes_writes_nothing(catalog, tmp_path, monkeypatch):
    from core.transfer import importing
    monkeypatch.setattr(importing, "KEEP_ROWS", 0)
    path = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, [dossier_row()])
    checked = importing.check_file

    def check_then_spoil(*args):
        outcome = checked(*args)
        write_csv(path, DOSSIERS_HEADER, [dossier_row(channel="fax")])
        return outcome

    monkeypatch.setattr(importing, "check_file", check_then_spoil)
    with pytest.raises(InputError, match="đã thay đổi"):
        import_file(catalog, "dossiers", path)
    assert count(catalog, "dossiers") == 0


def test_bulk_import_recomputes_everything_with_the_same_figures(catalog, tmp_path, monkeypatch):
    rows = [dossier_row(f"XTD-250102-{i:04d}", status=status, finished_at=finished, returned_at="")
            for i, (status, finished) in enumerate([("done", "2025-01-03 10:00"), ("processing", ""),
                                                    ("done", "2025-01-09 10:00")], start=1)]
    load(catalog, tmp_path, rows)
    one_by_one = catalog.execute("SELECT * FROM kpi_daily ORDER BY day, unit_code").fetchall()
    # the history is append-only (no dossier is ever deleted): the same load into a fresh database
    from core.database import open_database
    catalog = open_database(tmp_path / "again.db")
    for kind, header, table in (("units", UNITS_HEADER, UNITS), ("procedures", PROCEDURES_HEADER, PROCEDURES)):
        assert import_file(catalog, kind, write_csv(tmp_path / f"{kind}.csv", header, table)).ok
    monkeypatch.setattr("core.transfer.dossier_writer.BULK", 1)
    calls = []
    from core import facts
    monkeypatch.setattr(facts, "rebuild_all", lambda db, *a, _real=facts.rebuild_all: calls.append(1) or _real(db))
    load(catalog, tmp_path, rows, name="again.csv")
    assert calls == [1]
    assert catalog.execute("SELECT * FROM kpi_daily ORDER BY day, unit_code").fetchall() == one_by_one
    catalog.close()


def _unquoted_comma_file(path):
    """Row 3's address holds an unquoted comma (a file typed by hand, or a script's join): every
    column after it moved one to the right."""
    lines = [",".join(DOSSIERS_HEADER), ",".join(dossier_row()),
             ",".join(dossier_row("XTD-250102-0002", applicant_address="Thôn 3, xã Na")),
             ",".join(dossier_row("XTD-250102-0003"))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_row_with_more_filled_cells_than_the_header_is_refused_and_nothing_written(
        catalog, tmp_path):
    """Such a row was read column by column into the wrong fields (its phone into the channel,
    its dates one field late) and the row past it cut off, in silence."""
    path = _unquoted_comma_file(tmp_path / "d.csv")
    with pytest.raises(InputError) as refused:
        import_file(catalog, "dossiers", path)
    width = len(DOSSIERS_HEADER)
    assert (f"dòng 3 có {width + 1} ô, tiêu đề (dòng 1) có {width} cột — có thể dấu phân "
            "cách (dấu phẩy) nằm trong một ô không có ngoặc kép") in refused.value.message
    assert "Chưa ghi gì" in refused.value.message
    assert count(catalog, "dossiers") == 0


def test_empty_cells_past_the_named_columns_are_accepted(catalog, tmp_path):
    """Excel's CSV often ends each row with empty cells (';;' past the last named column), the
    header's as wide: no shift. (Round 31: a data row wider than the header and than the
    other rows is a shift that emptied the last column, test_shifted_rows.)"""
    path = tmp_path / "d.csv"
    lines = [",".join(DOSSIERS_HEADER) + ",,", ",".join(dossier_row()) + ",, ",
             ",".join(dossier_row("XTD-250102-0002")) + ","]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert import_file(catalog, "dossiers", path).added == 2


def test_a_date_cell_beyond_excels_dates_shows_the_number_it_holds(catalog, tmp_path):
    """openpyxl reads a date-formatted 1e10 as "#VALUE!": the refusal named that placeholder,
    no value the clerk could find in the sheet."""
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append(DOSSIERS_HEADER)
    sheet.append(dossier_row())
    column = DOSSIERS_HEADER.index("received_at") + 1
    sheet.cell(2, column).value = 1e10
    sheet.cell(2, column).number_format = "dd/mm/yyyy hh:mm"
    book.save(tmp_path / "d.xlsx")
    result = import_file(catalog, "dossiers", tmp_path / "d.xlsx")
    [error] = [e for e in result.errors if e.column == "received_at"]
    assert error.value == "10000000000" and "VALUE" not in str(error)
    assert count(catalog, "dossiers") == 0


def test_a_signature_past_the_header_in_the_trailer_is_left_out_not_refused(catalog, tmp_path):
    """A provincial report's signature block sits at the right, often past the last column of
    the table ("Người lập biểu" under an empty column beyond the header): it is the trailer,
    left out as before round 30, not a row shifted by a delimiter (that refusal is for data)."""
    width = len(DOSSIERS_HEADER)
    path = tmp_path / "d.csv"
    lines = [",".join(DOSSIERS_HEADER), ",".join(dossier_row()),
             ",".join(dossier_row("XTD-250102-0002")),
             "Tổng cộng: 2 hồ sơ" + "," * (width + 1) + "Ngày 31 tháng 01 năm 2025",
             "," * (width + 1) + "Người lập biểu"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = import_file(catalog, "dossiers", path)
    assert result.added == 2 and count(catalog, "dossiers") == 2
