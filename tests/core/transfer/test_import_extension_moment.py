"""An extension a file brings is dated by what the file says (core.live_due.imported_extension_at),
not by the import: `--as-of` a moment between the file's extension and the import shows the
figures the extension made at the counter at that moment shows (spec 2.3; issue 16 §1)."""
from __future__ import annotations

import datetime as dt
import json

import main
from core import dossiers, timefmt
from core.indicators import compute
from core.live_due import imported_extension_at
from core.transfer import import_file
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv

EXTENDED = {"supplement": "pause", "due_basis": "extended", "online_denominator": "eligible"}
FEB_1, FEB_28 = dt.date(2025, 2, 1), dt.date(2025, 2, 28)
# birth registration, 3 working days: received Mon 03/02 08:00, due Thu 06/02 08:00;
# extended to Fri 14/02 17:00, finished Wed 12/02 10:00 (the import runs on 10/03)
ROW = {"received_at": "2025-02-03 08:00", "status": "done", "finished_at": "2025-02-12 10:00",
       "returned_at": "2025-02-12 15:00", "extended_due_at": "2025-02-14 17:00"}
OPEN = {"status": "processing", "finished_at": "", "returned_at": ""}


def _extended_at(db, code: str) -> str:
    return db.execute("SELECT e.extended_at FROM extensions e JOIN dossiers d "
                      "ON d.id = e.dossier_id WHERE d.code = ?", [code]).fetchone()[0]


def _unit(db, code: str, as_of: dt.datetime) -> dict:
    document = compute(db, FEB_1, FEB_28, policy=EXTENDED, as_of=as_of)
    unit = next(u for u in document["units"] if u["code"] == code)
    return {k: v for k, v in unit.items() if k not in ("code", "name")}


def test_as_of_between_the_files_extension_and_the_import_sees_it(catalog, tmp_path):
    # XTD: the file says extended and finished; XVQ: its twin, extended at the counter
    rows = [dossier_row("XTD-250203-0001", **ROW),
            dossier_row("XVQ-250203-0001", unit_code="XVQ", **{**ROW, **OPEN,
                                                                "extended_due_at": ""})]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, rows)).ok
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-02-12 10:00:00"  # its finish
    twin = catalog.execute("SELECT id FROM dossiers WHERE code = 'XVQ-250203-0001'").fetchone()[0]
    dossiers.extend(catalog, twin, new_due_at=dt.datetime(2025, 2, 14, 17), reason="Chờ xác minh.",
                    at=dt.datetime(2025, 2, 12, 10), actor="Hà Thị Mai")
    finished = [dossier_row("XVQ-250203-0001", unit_code="XVQ", **ROW)]  # then finished
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER,
                                                      finished)).ok
    between = dt.datetime(2025, 2, 12, 12)  # after the file's extension, before the import
    imported = _unit(catalog, "XTD", between)
    assert imported["resolved"] == {"total": 1, "early": 1, "on_time": 0, "late": 0}
    assert imported == _unit(catalog, "XVQ", between)
    before = dt.datetime(2025, 2, 11, 9)  # before it: open, past its first due, overdue
    assert _unit(catalog, "XTD", before)["in_progress"]["overdue"] == 1
    assert _unit(catalog, "XTD", before) == _unit(catalog, "XVQ", before)
    # the event keeps the import's own recording time (append-only, hash-chained)
    events = catalog.execute("SELECT at FROM events e JOIN dossiers d ON d.id = e.dossier_id "
                             "WHERE d.code = 'XTD-250203-0001'").fetchall()
    assert [e[0] for e in events] == [timefmt.to_db_time(timefmt.now())]


def test_the_kpi_command_as_of_agrees(catalog, db_path, tmp_path, capsys):
    """`kpi --as-of` (the command) between the file's extension and the import."""
    rows = [dossier_row("XTD-250203-0001", **ROW)]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, rows)).ok
    catalog.close()
    capsys.readouterr()
    assert main.main(["--db", str(db_path), "kpi", "--from", "2025-02-01", "--to", "2025-02-28",
                      "--unit", "XTD", "--as-of", "2025-02-12 12:00", "--due-basis", "extended",
                      "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["total"]
    assert total["resolved"] == {"total": 1, "early": 1, "on_time": 0, "late": 0}


def test_an_open_dossier_is_extended_no_later_than_its_new_due_or_the_import(catalog, tmp_path):
    rows = [dossier_row("XTD-250203-0001", **{**ROW, **OPEN}),  # new due passed already
            dossier_row("XTD-250203-0002", **{**ROW, **OPEN, "extended_due_at": "2025-03-20 17:00"})]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, rows)).ok
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-02-14 17:00:00"
    assert _extended_at(catalog, "XTD-250203-0002") == timefmt.to_db_time(timefmt.now())


def test_a_file_moving_the_new_due_never_dates_the_extension_later(catalog, tmp_path):
    first = [dossier_row("XTD-250203-0001", **{**ROW, **OPEN, "extended_due_at": "2025-03-20 17:00"})]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, first)).ok
    later = [dossier_row("XTD-250203-0001", **ROW)]  # finished 12/02 with the due of 14/02
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER, later)).ok
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-02-12 10:00:00"


def test_a_file_finishing_a_dossier_extended_earlier_dates_the_extension_by_it(catalog, tmp_path):
    """The extension unchanged, the dossier finished by the next file: extended while open."""
    first = [dossier_row("XTD-250203-0001", **{**ROW, **OPEN, "extended_due_at": "2025-03-20 17:00"})]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, first)).ok
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-03-10 09:30:00"
    later = [dossier_row("XTD-250203-0001", **{**ROW, "extended_due_at": "2025-03-20 17:00"})]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER, later)).ok
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-02-12 10:00:00"
    from core.maintenance.audit_rows import verify_rows  # the ledger follows the re-dating
    assert all(finding.ok for finding in verify_rows(catalog))


def test_the_rule():
    assert imported_extension_at("2025-02-03 08:00:00", None, "2025-02-14 17:00:00",
                                 "2025-03-10 09:30:00") == "2025-02-14 17:00:00"
    assert imported_extension_at("2025-02-03 08:00:00", "2025-02-12 10:00:00",
                                 "2025-02-14 17:00:00", "2025-03-10 09:30:00") == "2025-02-12 10:00:00"
    assert imported_extension_at("2025-02-03 08:00:00", None, "2025-04-14 17:00:00",
                                 "2025-03-10 09:30:00") == "2025-03-10 09:30:00"
    # dated earlier by an earlier file: kept, yet never before the reception this file says
    assert imported_extension_at("2025-02-03 08:00:00", "2025-02-12 10:00:00", "2025-02-14 17:00:00",
                                 "2025-03-10 09:30:00", dated="2025-02-05 08:00:00") == \
        "2025-02-05 08:00:00"
    assert imported_extension_at("2025-02-03 09:30:00", "2025-02-03 11:00:00", "2025-02-14 17:00:00",
                                 "2025-03-10 09:30:00", dated="2025-02-03 09:00:00") == \
        "2025-02-03 09:30:00"


def test_the_monthly_report_at_a_past_moment_agrees(catalog, tmp_path):
    """The monthly report (its figures and its list of overdue dossiers) --as-of reads the same
    moment: after the file's extension the open dossier is within its new due time."""
    from core.pdf.monthly_data import gather
    from db import settings
    settings.put(catalog, "due_basis", "extended")
    rows = [dossier_row("XTD-250203-0001", **{**ROW, **OPEN, "extended_due_at": "2025-03-20 17:00"})]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, rows)).ok
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-03-10 09:30:00"  # the import: no earlier evidence
    rows = [dossier_row("XTD-250203-0001", **ROW)]  # the next file: finished 12/02 10:00
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER, rows)).ok
    data = gather(catalog, "2025-02", as_of=dt.datetime(2025, 2, 12, 12))
    assert data.kpi["total"]["resolved"]["early"] == 1 and not data.overdue


def test_an_extension_made_at_the_counter_keeps_its_moment(catalog, tmp_path):
    """Only a moment the import guessed is re-dated: an extension recorded at the counter
    has its own moment (its event's, printed on the apology slip), which a later file saying
    the dossier finished earlier must not rewrite."""
    rows = [dossier_row("XVQ-250203-0001", unit_code="XVQ", **{**ROW, **OPEN, "extended_due_at": ""})]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER, rows)).ok
    dossier = catalog.execute("SELECT id FROM dossiers WHERE code = 'XVQ-250203-0001'").fetchone()[0]
    dossiers.extend(catalog, dossier, new_due_at=dt.datetime(2025, 2, 14, 17), reason="Chờ xác minh.",
                    at=dt.datetime(2025, 2, 12, 11), actor="Hà Thị Mai")
    finished = [dossier_row("XVQ-250203-0001", unit_code="XVQ", **ROW)]  # finished 12/02 10:00
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER,
                                                      finished)).ok
    assert _extended_at(catalog, "XVQ-250203-0001") == "2025-02-12 11:00:00"
    extend_event = catalog.execute("SELECT at FROM events WHERE dossier_id = ? AND action = "
                                   "'extend'", [dossier]).fetchone()
    assert extend_event is None or extend_event[0] == "2025-02-12 11:00:00"


def test_a_file_moving_the_reception_later_never_dates_the_extension_before_it(catalog, tmp_path):
    """The earlier file's finish dated the extension; the next file says the dossier was received
    after that moment: the extension is not dated before its reception (imported_extension_at's
    own bound), nor its moved due reckoned from a moment the dossier was not yet there."""
    early = {**ROW, "finished_at": "2025-02-03 09:00", "returned_at": "2025-02-03 15:00"}
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER,
                                                      [dossier_row("XTD-250203-0001", **early)])).ok
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-02-03 09:00:00"
    later = {**early, "received_at": "2025-02-03 09:30", "finished_at": "2025-02-03 11:00"}
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "b.csv", DOSSIERS_HEADER,
                                                      [dossier_row("XTD-250203-0001", **later)])).ok
    assert catalog.execute("SELECT received_at FROM dossiers").fetchone()[0] == "2025-02-03 09:30:00"
    assert _extended_at(catalog, "XTD-250203-0001") == "2025-02-03 09:30:00"
