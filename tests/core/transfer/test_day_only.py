"""A moment given as a day without a time (core.transfer.day_only): a reception at the start
of that day's office hours, a due time, finish or return at their end, said in a warning naming
the column, the number of rows and which; the same in a plain import, through a profile and on
the command line. It was stored as 00:00 without a word."""
from __future__ import annotations

import argparse
import datetime as dt

import pytest

from core import rules
from core.transfer import import_file
from core.transfer.mapped import import_mapped
from core.transfer.profiles import NATIONAL_PROFILE
from tests.core.transfer.conftest import DOSSIERS_HEADER, dossier_row, write_csv, write_xlsx
from tests.core.transfer.test_profiles import NATIONAL_HEADER, national


def _moments(db, code):
    return tuple(db.execute("SELECT received_at, finished_at, returned_at, due_at, "
                            "COALESCE(due_at, calc_due_at) FROM dossiers WHERE code = ?",
                            [code]).fetchone())


def test_a_plain_file_of_days_takes_the_office_hours_and_says_so(catalog, tmp_path):
    rows = [dossier_row(f"XTD-250102-{n:04d}", received_at="02/01/2025", finished_at="2025-01-03",
                        returned_at="2025-01-03 15:00") for n in range(1, 13)]
    rows.append(dossier_row("XTD-250102-0099"))  # times given: as they are
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    # the start of office hours, not midnight; the finish that day no later than the return
    # the file gives with its time (15:00), else the end of office hours
    assert _moments(catalog, "XTD-250102-0001")[:3] == (
        "2025-01-02 07:00:00", "2025-01-03 15:00:00", "2025-01-03 15:00:00")
    assert _moments(catalog, "XTD-250102-0099")[:2] == ("2025-01-02 08:00:00",
                                                        "2025-01-03 10:00:00")
    received = next(w for w in result.warnings if "cột received_at" in w)
    assert received.startswith("12 dòng có cột received_at chỉ ghi ngày, không có giờ (dòng 2, "
                               "3, 4, 5, 6, 7, 8, 9, 10, 11 và 2 dòng khác)")
    assert "07:00" in received and "hạn trả tính từ giờ đó" in received
    finished = next(w for w in result.warnings if "cột finished_at" in w)
    assert "17:00" in finished
    assert not any("returned_at" in w for w in result.warnings)


def test_a_finish_the_same_day_as_a_reception_of_days_is_not_refused(catalog, tmp_path):
    rows = [dossier_row(received_at="2025-01-02", finished_at="2025-01-02", returned_at="")]
    rows[0][DOSSIERS_HEADER.index("status")] = "done"
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    assert _moments(catalog, "XTD-250102-0001")[:2] == ("2025-01-02 07:00:00",
                                                        "2025-01-02 17:00:00")


def test_the_hours_in_force_that_day(catalog, tmp_path):
    rules.set_office_hours(catalog, [["07:30", "11:30"], ["13:00", "16:30"]], dt.date(2025, 1, 1))
    rows = [dossier_row(received_at="2025-01-02", finished_at="2025-01-03",
                        returned_at="2025-01-06")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    assert _moments(catalog, "XTD-250102-0001")[:3] == (
        "2025-01-02 07:30:00", "2025-01-03 16:30:00", "2025-01-06 16:30:00")
    assert any("07:30" in w for w in result.warnings)


def test_a_national_file_of_days_names_its_column(catalog, tmp_path):
    rows = [national(NgayTiepNhan="20250102", NgayKetThucXuLy="20250103",
                     NgayTra="20250103150000")]
    result = import_mapped(catalog, write_csv(tmp_path / "n.csv", NATIONAL_HEADER, rows),
                           NATIONAL_PROFILE)
    assert result.ok, result.errors
    assert _moments(catalog, "XTD-250102-0001")[:3] == (
        "2025-01-02 07:00:00", "2025-01-03 15:00:00", "2025-01-03 15:00:00")
    assert any(w.startswith("1 dòng có cột NgayTiepNhan (Ngày tiếp nhận) chỉ ghi ngày")
               for w in result.warnings), result.warnings
    again = import_mapped(catalog, tmp_path / "n.csv", NATIONAL_PROFILE)
    assert again.unchanged == 1  # the same file twice changes nothing


def test_date_cells_of_a_workbook(catalog, tmp_path):
    cells = dict(zip(DOSSIERS_HEADER, dossier_row(), strict=True))
    cells.update(received_at=dt.datetime(2025, 1, 2), finished_at=dt.date(2025, 1, 3),
                 returned_at=dt.datetime(2025, 1, 3, 15, 0))
    path = write_xlsx(tmp_path / "d.xlsx", DOSSIERS_HEADER, [[cells[c] for c in DOSSIERS_HEADER]])
    result = import_file(catalog, "dossiers", path)
    assert result.ok, result.errors
    assert _moments(catalog, "XTD-250102-0001")[:3] == (
        "2025-01-02 07:00:00", "2025-01-03 15:00:00", "2025-01-03 15:00:00")


def test_the_command_line_says_it(catalog, db_path, tmp_path, capsys):
    from core.transfer.cli import run_import
    path = write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, [dossier_row(received_at="2025-01-02")])
    catalog.close()
    assert run_import(argparse.Namespace(db=str(db_path), kind="dossiers", file=str(path),
                                         dry_run=True, profile=None)) == 0
    err = capsys.readouterr().err
    assert "1 dòng có cột received_at chỉ ghi ngày, không có giờ (dòng 2)" in err


def _waits(db, code):
    return db.execute("SELECT requested_at, completed_at FROM supplements WHERE dossier_id = "
                      "(SELECT id FROM dossiers WHERE code = ?) ORDER BY requested_at",
                      [code]).fetchall()


def test_supplement_waits_of_days_follow_the_same_rule(catalog, tmp_path):
    """MotCua's own column of waits read a day as 00:00: a reception of days (07:00) and a wait
    asked that day were refused, "yêu cầu bổ sung trước khi tiếp nhận"."""
    header = DOSSIERS_HEADER + ["supplement_waits"]
    rows = [dossier_row(received_at="2025-01-02", status="processing", finished_at="",
                        returned_at="") + ["2025-01-02>2025-01-03; 2025-01-06 09:00>"]]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", header, rows))
    assert result.ok, result.errors
    assert _waits(catalog, "XTD-250102-0001") == [("2025-01-02 07:00:00", "2025-01-03 07:00:00"),
                                                  ("2025-01-06 09:00:00", None)]
    assert any(w.startswith("1 dòng có cột supplement_waits chỉ ghi ngày") and "07:00" in w
               for w in result.warnings), result.warnings


def test_a_reception_of_days_is_not_after_a_timed_moment_that_day(catalog, tmp_path):
    """Received "02/01", finished "02/01 06:55": refused, "xử lý xong trước khi tiếp nhận"."""
    rows = [dossier_row(received_at="2025-01-02", finished_at="2025-01-02 06:55",
                        returned_at="")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    assert _moments(catalog, "XTD-250102-0001")[:2] == ("2025-01-02 06:55:00",
                                                        "2025-01-02 06:55:00")


def test_a_plain_file_is_not_told_of_a_column_profile(catalog, tmp_path):
    rows = [dossier_row(received_at="2025-01-02")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    line = next(w for w in result.warnings if "cột received_at" in w)
    assert "mẫu cột" not in line and "ghi cả ngày và giờ" in line
    mapped = import_mapped(catalog, write_csv(tmp_path / "n.csv", NATIONAL_HEADER,
                                              [national(NgayTiepNhan="20250102")]),
                           NATIONAL_PROFILE)
    assert any("trong mẫu cột" in w for w in mapped.warnings), mapped.warnings


def _events(db, code):
    return db.execute("SELECT COUNT(*) FROM events WHERE dossier_id = "
                      "(SELECT id FROM dossiers WHERE code = ?)", [code]).fetchone()[0]


def test_a_day_stored_at_midnight_by_an_older_version_is_kept(catalog, tmp_path):
    """A file an older version imported (a day read as 00:00) imported again: the dossier was
    "cập nhật", moved to 07:00/17:00 with an event, moving figures of periods reported."""
    old = [dossier_row(received_at="2025-01-02 00:00", finished_at="2025-01-03 00:00",
                       returned_at="2025-01-03 15:00")]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "o.csv", DOSSIERS_HEADER, old)).ok
    stored = _moments(catalog, "XTD-250102-0001")
    events = _events(catalog, "XTD-250102-0001")
    again = [dossier_row(received_at="2025-01-02", finished_at="2025-01-03",
                         returned_at="2025-01-03 15:00")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", DOSSIERS_HEADER,
                                                        again))
    assert result.ok, result.errors
    assert (result.updated, result.unchanged) == (0, 1)
    assert _moments(catalog, "XTD-250102-0001") == stored
    assert _events(catalog, "XTD-250102-0001") == events
    assert any(w.startswith("1 hồ sơ đã có trong cơ sở dữ liệu được một phiên bản trước") and
               "00:00" in w for w in result.warnings), result.warnings
    # another change of the row is made; the stored 00:00 stays as it was
    changed = [again[0][:]]
    changed[0][DOSSIERS_HEADER.index("applicant_address")] = "Thôn Nà Lầu"
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "c.csv", DOSSIERS_HEADER,
                                                        changed))
    assert result.updated == 1
    assert _moments(catalog, "XTD-250102-0001") == stored
    # a new dossier of days: the rule's hours
    fresh = [dossier_row("XTD-250102-0002", received_at="2025-01-02")]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "f.csv", DOSSIERS_HEADER,
                                                      fresh)).ok
    assert _moments(catalog, "XTD-250102-0002")[0] == "2025-01-02 07:00:00"


def test_waits_stored_at_midnight_by_an_older_version_are_kept(catalog, tmp_path):
    header = DOSSIERS_HEADER + ["supplement_waits"]
    old = [dossier_row(received_at="2025-01-02 00:00") + ["2025-01-02 00:00>2025-01-02 10:00"]]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "o.csv", header, old)).ok
    again = [dossier_row(received_at="2025-01-02") + ["2025-01-02>2025-01-02 10:00"]]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "a.csv", header, again))
    assert result.ok, result.errors
    assert (result.updated, result.unchanged) == (0, 1)
    assert _waits(catalog, "XTD-250102-0001") == [("2025-01-02 00:00:00", "2025-01-02 10:00:00")]
    assert _moments(catalog, "XTD-250102-0001")[0] == "2025-01-02 00:00:00"


def _supplements(db, code):
    return db.execute("SELECT requested_at, completed_at FROM supplements WHERE dossier_id = "
                      "(SELECT id FROM dossiers WHERE code = ?) ORDER BY requested_at",
                      [code]).fetchall()


def test_a_supplement_asked_on_a_day_finished_before_office_hours(catalog, tmp_path):
    """Round 19: a request given as "03/01" was taken at 07:00, after the finish "03/01 06:30"
    it held up; it is taken no later than the earliest moment of that row that follows it that
    day, as the reception is."""
    rows = [dossier_row(supplement_requested_at="2025-01-03",
                        supplement_completed_at="2025-01-03", finished_at="2025-01-03 06:30",
                        returned_at="")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    assert _supplements(catalog, "XTD-250102-0001") == [("2025-01-03 06:30:00",
                                                         "2025-01-03 06:30:00")]


@pytest.mark.parametrize("values, column, stored", [
    # a request given as the day of a reception given with its time: not before it
    ({"received_at": "2025-01-02 08:00", "supplement_requested_at": "2025-01-02"},
     "requested_at", "2025-01-02 08:00:00"),
    # a completion given as a day: not before the request given with its time that day
    ({"supplement_requested_at": "2025-01-02 18:00", "supplement_completed_at": "2025-01-02"},
     "completed_at", "2025-01-02 18:00:00"),
    # a completion timed before office hours: the request of that day not after it
    ({"supplement_requested_at": "2025-01-03", "supplement_completed_at": "2025-01-03 06:45"},
     "requested_at", "2025-01-03 06:45:00")])
def test_the_supplement_columns_keep_the_rows_order(catalog, tmp_path, values, column, stored):
    """Each was refused: "yêu cầu bổ sung trước khi tiếp nhận", "hoàn thành bổ sung trước khi
    yêu cầu bổ sung" — a day taken at 07:00 against a time the file gave that same day."""
    rows = [dossier_row(status="processing", finished_at="", returned_at="", **values)]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    found = dict(zip(("requested_at", "completed_at"),
                     _supplements(catalog, "XTD-250102-0001")[0], strict=True))
    assert found[column] == stored


@pytest.mark.parametrize("values, column, stored", [
    ({"received_at": "2025-01-02 18:00", "finished_at": "2025-01-02", "returned_at": ""},
     1, "2025-01-02 18:00:00"),    # received after hours, finished that day: not at 17:00
    ({"received_at": "2025-01-02 18:00", "due_at": "2025-01-02",
      "finished_at": "2025-01-03 08:00", "returned_at": ""}, 3, "2025-01-02 18:00:00"),
    ({"finished_at": "2025-01-02 18:00", "returned_at": "2025-01-02"}, 2,
     "2025-01-02 18:00:00")])   # returned the day it was finished after hours
def test_an_end_of_day_moment_is_not_before_what_precedes_it(catalog, tmp_path, values, column,
                                                            stored):
    """The same ordering fault at the end of the day: a finish, a due date, a return given as a
    day (17:00) before a moment the row gives with its time that day were refused."""
    rows = [dossier_row(**values)]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "d.csv", DOSSIERS_HEADER, rows))
    assert result.ok, result.errors
    assert _moments(catalog, "XTD-250102-0001")[column] == stored


def test_a_national_wait_of_days_keeps_the_rows_order(catalog, tmp_path):
    """CacLanBoSung "02/01>03/01" of a dossier received "02/01 08:00" and finished "03/01 06:30":
    refused ("lần chờ …: yêu cầu bổ sung trước khi tiếp nhận"); now asked at the reception and
    completed at the finish, the warning saying the rule."""
    path = write_csv(tmp_path / "n.csv", NATIONAL_HEADER + ["CacLanBoSung"], [
        national(NgayKetThucXuLy="20250103063000") + ["2025-01-02>2025-01-03"],
        national("XTD-250102-0002", NgayKetThucXuLy="20250103063000") + ["03/01/2025>"]])
    result = import_mapped(catalog, path, NATIONAL_PROFILE)
    assert result.ok, result.errors
    assert _waits(catalog, "XTD-250102-0001") == [("2025-01-02 08:00:00", "2025-01-03 06:30:00")]
    assert _waits(catalog, "XTD-250102-0002") == [("2025-01-03 06:30:00", None)]
    line = next(w for w in result.warnings if "CacLanBoSung" in w)
    assert "không muộn hơn bước sau, không sớm hơn bước trước" in line


def test_a_stored_time_on_the_day_a_file_gives_alone_is_kept(catalog, tmp_path):
    """Round 20, a commune imports the provincial export (finish "03/01/2025", no time) to add
    the dossiers it lacks: every dossier it already had lost its recorded finish, 10:00 became
    the return's 15:00 (or 17:00), and one due at noon became late. The file says the day
    only; the time recorded that day stays, unless it breaks the row's order."""
    ours = [dossier_row(due_at="2025-01-03 12:00", finished_at="2025-01-03 10:00",
                        returned_at="2025-01-03 15:00")]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "o.csv", DOSSIERS_HEADER,
                                                      ours)).ok
    stored = _moments(catalog, "XTD-250102-0001")
    province = [dossier_row(due_at="2025-01-03 12:00", finished_at="2025-01-03",
                            returned_at="2025-01-03 15:00")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "t.csv", DOSSIERS_HEADER,
                                                        province))
    assert result.ok, result.errors
    assert _moments(catalog, "XTD-250102-0001") == stored  # finished 10:00, on time
    assert (result.updated, result.unchanged) == (0, 1)
    assert any(w.startswith("1 hồ sơ đã có trong cơ sở dữ liệu có giờ đã lưu") for w in
               result.warnings), result.warnings
    # a stored time the file's own moments of that day contradict is not kept
    early = [dossier_row(due_at="2025-01-03 12:00", finished_at="2025-01-03",
                         returned_at="2025-01-03 09:00")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "e.csv", DOSSIERS_HEADER,
                                                        early))
    assert result.ok, result.errors
    assert _moments(catalog, "XTD-250102-0001")[1:3] == ("2025-01-03 09:00:00",
                                                          "2025-01-03 09:00:00")


def test_a_file_to_the_minute_keeps_the_stored_seconds(catalog, tmp_path):
    """Round 20: a provincial export in dd/MM/yyyy HH:mm imported over a commune's own dossiers
    cut every recorded second (07:52:43 became 07:52:00) and counted each dossier "cập nhật"
    with an event: the due time moved, the history filled with changes nobody made."""
    ours = [dossier_row(received_at="2025-01-02 08:00:43", finished_at="2025-01-03 10:00:15",
                        returned_at="2025-01-03 15:00:59")]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "o.csv", DOSSIERS_HEADER,
                                                      ours)).ok
    stored = _moments(catalog, "XTD-250102-0001")
    events = _events(catalog, "XTD-250102-0001")
    province = [dossier_row(received_at="02/01/2025 08:00", finished_at="03/01/2025 10:00",
                            returned_at="03/01/2025 15:00")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "t.csv", DOSSIERS_HEADER,
                                                        province))
    assert result.ok, result.errors
    assert (result.updated, result.unchanged) == (0, 1)
    assert _moments(catalog, "XTD-250102-0001") == stored
    assert _events(catalog, "XTD-250102-0001") == events


def test_a_due_to_the_minute_of_the_statutory_due_stays_statutory(catalog, tmp_path):
    """walk33: the provincial export of a commune's own dossiers (MotCua's statutory due,
    written dd/MM/yyyy HH:mm) imported back set a fixed due on 83 of them — 07:33:18 became a
    stored 07:33:00 — and counted them "cập nhật" where the reconciliation found them equal.
    The due in the statutory due's minute is the statutory due."""
    ours = [dossier_row(received_at="2025-01-02 08:00:43")]
    assert import_file(catalog, "dossiers", write_csv(tmp_path / "o.csv", DOSSIERS_HEADER,
                                                      ours)).ok
    stored = _moments(catalog, "XTD-250102-0001")
    assert stored[3] is None and stored[4].endswith(":43")  # computed, to the second
    due = dt.datetime.fromisoformat(stored[4])
    province = [dossier_row(received_at="02/01/2025 08:00", due_at=f"{due:%d/%m/%Y %H:%M}")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "t.csv", DOSSIERS_HEADER,
                                                        province))
    assert result.ok, result.errors
    assert (result.updated, result.unchanged) == (0, 1)
    assert _moments(catalog, "XTD-250102-0001") == stored
    # a due a minute later is the file's own: stored as given
    later = [dossier_row(received_at="02/01/2025 08:00",
                         due_at=f"{due + dt.timedelta(minutes=1):%d/%m/%Y %H:%M}")]
    result = import_file(catalog, "dossiers", write_csv(tmp_path / "l.csv", DOSSIERS_HEADER,
                                                        later))
    assert result.updated == 1
    assert _moments(catalog, "XTD-250102-0001")[3] == f"{due + dt.timedelta(minutes=1):%Y-%m-%d %H:%M}:00"
