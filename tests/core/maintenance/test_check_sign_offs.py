"""`check` reads the last sign-off of every period and unit as the report reads it
(core.signoff.recorded) and names each one of a shape MotCua never writes, with its period and
unit: one edited by SQL was named only when that period's report was printed (review37). Bounded
on a file with thousands of them."""
from __future__ import annotations

import datetime as dt
import sqlite3
import time
import tracemalloc

import pytest

from core import signoff
from core.database import open_database
from core.maintenance.settings_check import sign_offs
from main import main
from tests.core.factories import add_units

GOOD = '{"at": "2026-11-30 09:12:00", "fingerprint": "", "figures": "0123456789abcdef"}'
NOVEMBER = "2026-11-01..2026-11-30"
ROW = ("INSERT INTO setting_changes(at, actor, area, key, old_value, new_value) "
       "VALUES ('2026-11-30 09:12:00', 'lanhdao', 'signoff', ?, NULL, ?)")


@pytest.fixture
def office(db_path):
    """A file with the factory's units (U1 «…»), closed again."""
    db = open_database(db_path)
    try:
        add_units(db)
        name = db.execute("SELECT name FROM units WHERE code = 'U1'").fetchone()[0]
    finally:
        db.close()
    return db_path, name


def record(path, rows) -> None:
    """Sign-off records put by SQL, as a hand editing the file would (append-only: inserts)."""
    with sqlite3.connect(path) as conn:
        conn.executemany(ROW, rows)
    conn.close()


def checked(path, capsys) -> tuple[int, str]:
    code = main(["--db", str(path), "check"])
    return code, capsys.readouterr().out


def test_a_healthy_file_with_sign_offs_passes_one_step_more(office, capsys):
    path, _name = office
    record(path, [(f"{NOVEMBER}:*", GOOD), (f"{NOVEMBER}:U1", GOOD)])
    code, out = checked(path, capsys)
    assert code == 0 and "[LỖI]" not in out, out
    assert "[ĐẠT] Bản ghi duyệt số liệu của 2 kỳ đọc được, đúng dạng." in out, out


@pytest.mark.parametrize("stored", ["5", '{"fingerprint": "AB"}', '{"at": 5}',
                                    '{"at": "2026-11-30 09:12:00", "figures": [1]}', "{hỏng",
                                    None, GOOD[:-1] + ', "x": "' + "a" * 2000 + '"}'])
def test_check_names_a_sign_off_of_the_wrong_shape_by_period_and_unit(office, capsys, stored):
    path, name = office
    record(path, [(f"{NOVEMBER}:U1", stored), (f"{NOVEMBER}:*", GOOD)])
    code, out = checked(path, capsys)
    said = [line for line in out.splitlines() if "duyệt số liệu" in line]
    assert code != 0 and "cơ sở dữ liệu tốt" not in out, out
    assert said == [f"[LỖI] Bản ghi duyệt số liệu không đọc được (bị sửa bên ngoài MotCua?): "
                    f"kỳ 01/11/2026 – 30/11/2026, {name} (U1). Báo cáo của kỳ và đơn vị đó "
                    "không in được; hãy khôi phục từ bản sao lưu (lệnh restore)."], out


def test_check_and_the_report_agree_on_every_record(office):
    """What `check` names is what the report refuses, and what it passes the report reads."""
    path, _name = office
    shapes = ["5", GOOD, '{"at": 5}', GOOD.replace("09:12", "09:13"), None]
    record(path, [(f"2026-{month:02d}-01..2026-{month:02d}-28:*", text)
                  for month, text in enumerate(shapes, start=1)])
    db = open_database(path)
    try:
        refused = []
        for month in range(1, len(shapes) + 1):
            try:
                signoff.latest(db, dt.date(2026, month, 1), dt.date(2026, month, 28), None)
            except Exception:  # noqa: BLE001 - which ones raise is the point
                refused.append(f"kỳ 01/{month:02d}/2026 – 28/{month:02d}/2026, mọi đơn vị")
        text = sign_offs(db.conn).text
    finally:
        db.close()
    assert len(refused) == 3 and text.count(" – ") == 3 and all(r in text for r in refused), text


def test_the_last_record_of_a_period_is_the_one_read(office, capsys):
    """A period signed again after a damaged record: its report reads the last one, so does
    `check`; damaged after a good one: named."""
    path, name = office
    record(path, [(f"{NOVEMBER}:*", "5"), (f"{NOVEMBER}:*", GOOD),
                  (f"{NOVEMBER}:U1", GOOD), (f"{NOVEMBER}:U1", "5")])
    _code, out = checked(path, capsys)
    assert "mọi đơn vị" not in out and f"kỳ 01/11/2026 – 30/11/2026, {name} (U1)" in out, out


def test_thousands_of_records_are_read_in_bounded_time_and_memory(office):
    """6,000 periods signed, 8 damaged (one a text of 20 MB): five named and the count; the
    records read no further than RECORD_MAX (the 20 MB one never comes into Python whole)."""
    path, _name = office
    day = dt.date(2000, 1, 1)
    keys = [f"{day + dt.timedelta(days=n)}..{day + dt.timedelta(days=n)}:*" for n in range(6000)]
    damaged = {keys[n]: "5" for n in range(0, 6000, 1000)} | {keys[77]: "[" * 20_000_000,
                                                               keys[78]: None}
    record(path, [(key, damaged.get(key, GOOD)) for key in keys])
    conn = sqlite3.connect(path)
    try:
        tracemalloc.start()
        started = time.process_time()
        found = sign_offs(conn)
        spent = time.process_time() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    finally:
        conn.close()
    assert not found.ok and found.text.count(" – ") == 5 and "(tổng cộng 8 bản ghi)" in found.text
    assert peak < 4_000_000, peak  # the 20 MB text read whole is 20 MB
    assert spent < 10, spent  # ~0.1 s here; a generous bound for a loaded machine
