"""Each part's own screen run a part ahead in a thread (core.exchange.fastcopy.Copier.ahead):
the same verdicts as the screen run in turn, the centre's catalogue read as the part's own merge
leaves it, and a cancel or an error leaves no thread, no connection and nothing written."""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from bench.bench_exchange import derive_rows
from bench.fastcopy_parts import make_part, merge_parts
from core import demo, timefmt
from core.database import open_database
from core.errors import InputError
from core.exchange import checks, export_package, fastcopy, merge
from core.exchange import part as part_module
from core.exchange.fastcopy import ahead as copier_ahead
from core.exchange.fastcopy import ledger_sums, partdb
from core.exchange.fastcopy import screening as screen_module
from core.exchange.merge import import_packages
from core.exchange.package import MANIFEST
from tests.core.exchange.conftest import repack, rewrite_rows
from tests.core.exchange.test_fastcopy import NOW, SPOILED, TODAY, _spoiling, content

SCREENER = "motcua-screen"


def _screen_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(SCREENER)]


@pytest.fixture(scope="module")
def office(tmp_path_factory) -> tuple[Path, Path]:
    """A demo office's file and its format-3 package."""
    folder = tmp_path_factory.mktemp("ahead")
    db = open_database(folder / "office.db")
    demo.generate(db, dossiers=60, seed=3, today=TODAY)
    export_package(db, folder / "office.zip", dt.date(2024, 1, 1), format_version=3)
    db.close()
    return folder / "office.db", folder / "office.zip"


@pytest.fixture
def packages(office, tmp_path) -> list[Path]:
    """What 3 installations of a group sent (format 3)."""
    made = []
    for slot in (1, 2, 3):
        made.append(tmp_path / f"p{slot}.zip")
        derive_rows(office[1], made[-1], slot, 3)
    return made


@pytest.fixture
def watched(monkeypatch) -> dict[str, list]:
    """Where each part's own screen ran (the thread's name), what each copy left, and every
    connection the screens and the judge opened on a part's file, and closed."""
    seen: dict[str, list] = {"screens": [], "copied": [], "opened": [], "closed": []}
    screen_job, copy, read_only = screen_module._screen_job, fastcopy.Copier.copy, partdb.read_only

    class Watched(sqlite3.Connection):
        def close(self) -> None:
            seen["closed"].append(self)
            super().close()

    def screening(path, stop=None):
        seen["screens"].append((Path(path).name, threading.current_thread().name))
        return screen_job(path, stop)

    def copying(self, part, **options):
        copied = copy(self, part, **options)
        seen["copied"].append(copied)
        return copied

    def opening(path):
        conn = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True,
                               factory=Watched)
        seen["opened"].append(conn)
        return conn

    assert read_only.__code__.co_argcount == 1
    monkeypatch.setattr(copier_ahead, "_screen_job", screening)
    monkeypatch.setattr(fastcopy.Copier, "copy", copying)
    for module in (screen_module, partdb, ledger_sums):  # (each one that opens the file)
        monkeypatch.setattr(module, "read_only", opening)
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    return seen


def _in_turn(monkeypatch) -> None:
    """Every part's screen run in turn, in the main thread (no Copier.ahead, nor more)."""
    monkeypatch.setattr(fastcopy.Copier, "ahead", lambda self, paths, following=None: None)
    monkeypatch.setattr(fastcopy.Copier, "more", lambda self, paths: None)


def _clean_end(seen: dict[str, list]) -> None:
    assert _screen_threads() == []
    assert seen["opened"] and len(seen["closed"]) == len(seen["opened"])
    assert {id(c) for c in seen["closed"]} == {id(c) for c in seen["opened"]}


def test_each_part_is_screened_ahead_in_a_thread(packages, tmp_path, watched, monkeypatch):
    centre = open_database(tmp_path / "centre.db")
    merged = import_packages(centre, packages, bulk=True)
    assert merged.total("dossiers") == {"new": 180}
    # every part's own screen ran in the screens' thread, each once, and nothing was left to
    # the records' way (the part's units are the ones its catalogue has just brought)
    assert len(watched["screens"]) == 3
    assert all(name.startswith(SCREENER) for _part, name in watched["screens"])
    assert [(c.dossiers, c.left_dossiers, c.left_votes) for c in watched["copied"]] == \
        [(60, [], [])] * 3
    _clean_end(watched)
    _in_turn(monkeypatch)
    again = open_database(tmp_path / "again.db")
    import_packages(again, packages, bulk=True)
    assert all(name == "MainThread" for _part, name in watched["screens"][3:])
    mine, theirs = content(centre), content(again)
    for table in theirs:
        assert mine[table] == theirs[table], table
    centre.close()
    again.close()


def _new_unit(conn) -> None:
    """A unit and a procedure only this part's catalogue brings, named by a dossier, its
    complaint and a vote."""
    conn.execute("INSERT INTO units(code, name) VALUES ('MOI', 'Đơn vị mới')")
    conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) SELECT 'TT.MOI', "
                 "'Thủ tục mới', limit_value, limit_unit FROM procedures LIMIT 1")
    triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                            "name LIKE ?", [part_module.FTS_TRIGGERS]).fetchall()
    for name, _sql in triggers:  # the part's search index holds nothing to update
        conn.execute(f'DROP TRIGGER "{name}"')
    conn.execute("UPDATE dossier_rows SET unit_code = 'MOI', competent_unit_code = 'MOI', "
                 "procedure_code = 'TT.MOI' WHERE id = 7")
    for _name, sql in triggers:  # back as the part's writer leaves them
        conn.execute(sql)
    conn.execute("INSERT INTO complaints(dossier_id, unit_code, received_at, channel, content) "
                 "VALUES (7, 'MOI', '2025-01-02 10:00:00', 'phone', 'x')")
    conn.execute("UPDATE vote_rows SET unit_code = 'MOI' WHERE id = (SELECT MIN(id) FROM "
                 "vote_rows)")


def test_a_unit_the_part_s_own_catalogue_brings(packages, tmp_path, watched):
    """The third part's screen runs while the second is copied, before its own catalogue is
    merged: its new unit and procedure are known when its copy tests them, so nothing is left
    to the records' way (a screen holding the centre's codes of its start would leave the
    dossier and the vote)."""
    rewrite_rows(packages[2], packages[2], _new_unit)
    with zipfile.ZipFile(packages[2]) as old:  # the manifest counts what the part holds
        members = {info.filename: old.read(info.filename) for info in old.infolist()}
    manifest = json.loads(members[MANIFEST])
    for kind in ("units", "procedures", "complaints"):
        manifest["counts"][kind] += 1
    members[MANIFEST] = json.dumps(manifest).encode()
    repack(members, packages[2])
    centre = open_database(tmp_path / "centre.db")
    merged = import_packages(centre, packages, bulk=True)
    assert merged.total("dossiers") == {"new": 180}
    assert [(c.dossiers, c.left_dossiers, c.left_votes) for c in watched["copied"]] == \
        [(60, [], [])] * 3
    assert all(name.startswith(SCREENER) for _part, name in watched["screens"])
    assert centre.execute("SELECT COUNT(*) FROM dossiers WHERE unit_code = 'MOI' AND "
                          "procedure_code = 'TT.MOI'").fetchone()[0] == 1
    assert centre.execute("SELECT COUNT(*) FROM votes WHERE unit_code = 'MOI'").fetchone()[0] == 1
    _clean_end(watched)
    centre.close()


# the records of another part's (the second's) that checks refuses or takes, as the screen
# ahead meets them: codes the centre's catalogue lacks, control characters
AHEAD = ["nothing", "unit unknown", "competent unit unknown", "procedure unknown",
         "complaint of no unit", "vote of no unit", "control in the address",
         "control in an event word", "control in a complaint",
         "control in a wait's reason (allowed: checks reads no wait's text)",
         "event moment kept as text (readable)"]


def _parts(office: Path, tmp_path: Path, sql: str) -> list[Path]:
    parts = [make_part(office, tmp_path / f"part{slot}.db", slot, 2) for slot in (1, 2)]
    conn = sqlite3.connect(parts[1])
    _spoiling(conn)
    conn.execute(sql)
    conn.commit()
    conn.close()
    return parts


def _verdict(centre, parts: list[Path]) -> tuple[str, object]:
    try:
        copied = merge_parts(centre, parts)
    except (checks.BadRecord, ValueError) as exc:  # ValueError: something left (merge_parts)
        return type(exc).__name__, str(exc)
    return "copied", [(c.dossiers, c.left_dossiers, c.left_votes) for c in copied]


@pytest.mark.parametrize("what", AHEAD)
def test_the_screen_ahead_gives_the_verdict_of_the_screen_in_turn(office, tmp_path, watched,
                                                                  monkeypatch, what):
    sql = next(sql for name, sql, _refused in SPOILED if name == what)
    refused = next(refused for name, _sql, refused in SPOILED if name == what)
    parts = _parts(office[0], tmp_path, sql)
    centre = open_database(tmp_path / "centre.db")
    ahead = _verdict(centre, parts)
    assert [name.startswith(SCREENER) for _part, name in watched["screens"]] == [True, True]
    assert (ahead[0] == "BadRecord") is refused, ahead
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == (
        0 if ahead[0] != "copied" else 120)
    _clean_end(watched)
    _in_turn(monkeypatch)
    other = open_database(tmp_path / "other.db")
    assert _verdict(other, parts) == ahead
    assert watched["screens"][2:] and all(
        name == "MainThread" for _part, name in watched["screens"][2:])
    centre.close()
    other.close()


def _stalled(monkeypatch, which: str, started: threading.Event) -> None:
    """The screen of the part file named `which` held in SQLite (a count to 10⁹, ~1 min) until
    it is stopped."""
    screen_part = screen_module._screen_part

    def stalling(conn, s, stop=None):
        if conn.execute("PRAGMA database_list").fetchone()[2].endswith(which):
            started.set()
            conn.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n "
                         "WHERE i < 1000000000) SELECT COUNT(*) FROM n").fetchone()
        return screen_part(conn, s, stop)

    monkeypatch.setattr(screen_module, "_screen_part", stalling)


def test_a_cancel_while_a_screen_runs(packages, tmp_path, watched, monkeypatch):
    """Cancelled in the second part while the third's screen is held in SQLite: the statement
    is interrupted, its connection closed and the thread gone, nothing written, the parts'
    files removed; and the same packages merge again."""
    paths: dict[str, str] = {}
    given: list[str] = []
    given_by, screen_part = merge._Run._given, screen_module._screen_part

    def giving(self):  # the parts are given to the screens as they are verified
        files = given_by(self)
        given.extend(files)
        if len(given) >= 3 and "third" not in paths:
            paths["third"] = Path(given[2]).name
            _stalled(monkeypatch, paths["third"], started)
        return files

    started = threading.Event()
    monkeypatch.setattr(merge._Run, "_given", giving)
    calls = []

    def progress(done, total):
        calls.append(done)
        # in the second part, once the third's screen has started (as the second's chain came)
        return not (done > 60 and started.wait(1))

    centre = open_database(tmp_path / "centre.db")
    start = time.monotonic()
    with pytest.raises(InterruptedError):
        import_packages(centre, packages, bulk=True, progress=progress)
    assert time.monotonic() - start < 20  # not the count's minute
    assert started.is_set()
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    assert centre.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0
    _clean_end(watched)
    monkeypatch.setattr(merge._Run, "_given", given_by)
    monkeypatch.setattr(screen_module, "_screen_part", screen_part)
    assert import_packages(centre, packages, bulk=True).total("dossiers") == {"new": 180}
    centre.close()


@pytest.mark.parametrize("error", [RuntimeError("hỏng"), sqlite3.IntegrityError("hỏng"),
                                   sqlite3.DatabaseError("database disk image is malformed")],
                         ids=["python", "integrity", "malformed"])
def test_an_error_in_the_screen_s_thread_is_the_error_in_turn(packages, tmp_path, watched,
                                                              monkeypatch, error):
    """An error the second part's screen meets in the thread is raised by its copy as the
    screen in turn raises it (the merge names the package and the part alike); nothing is
    written, no thread or connection is left."""
    screen_part = screen_module._screen_part
    count = [0]

    def failing(conn, s, stop=None):
        count[0] += 1
        if count[0] == 2:
            raise error
        return screen_part(conn, s, stop)

    monkeypatch.setattr(screen_module, "_screen_part", failing)
    outcomes = []
    for in_turn in (False, True):
        if in_turn:
            _in_turn(monkeypatch)
        count[0] = 0
        centre = open_database(tmp_path / f"centre-{in_turn}.db")
        with pytest.raises((type(error), InputError)) as raised:
            import_packages(centre, packages, bulk=True)
        outcomes.append((type(raised.value), str(raised.value)))
        if not in_turn and type(raised.value) is type(error):
            assert raised.value is error  # the very error, not a copy of it
        assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
        assert _screen_threads() == []
        centre.close()
    assert outcomes[0] == outcomes[1]
    assert len(watched["closed"]) == len(watched["opened"])


@pytest.mark.parametrize("started", [False, True], ids=["not-started", "started"])
def test_a_part_passed_over_lends_no_screen_to_the_next(office, tmp_path, watched, started):
    """A part named ahead but never copied (too big for memory and no slot left: the records'
    way) is passed over, its screen started or not: the next part copied gets its own."""
    parts = [make_part(office[0], tmp_path / f"part{slot}.db", slot, 4) for slot in (1, 2, 3, 4)]
    for part in parts[2:]:  # the third and fourth flagged: a control character in dossier 7
        conn = sqlite3.connect(part)
        _spoiling(conn)
        conn.execute("UPDATE dossier_rows SET note = 'a' || char(1) WHERE id = 7")
        conn.commit()
        conn.close()
    centre = open_database(tmp_path / "centre.db")
    with fastcopy.Copier(centre.conn, delta=Counter(), refresh=[], processes=False) as copier:
        copier.ahead([str(p) for p in parts])
        assert copier.screened(str(parts[0])).dossiers == []
        if started:  # the second passed over, its screen started (as the first's chain came)
            copier.screen_next()
            assert copier.screened(str(parts[2])).dossiers == [7]
        else:  # the second and third passed over, the third's not started
            assert copier.screened(str(parts[3])).dossiers == [7]
        assert copier.screening == [] and copier.to_screen == ([str(parts[3])] if started
                                                               else [])
    screened = [part for part, _thread in watched["screens"]]
    assert screened == (["part1.db", "part2.db", "part3.db"] if started
                        else ["part1.db", "part4.db"])
    assert all(t.startswith(SCREENER) for _p, t in watched["screens"])
    _clean_end(watched)
    centre.close()
