"""A format-3 package of an OLDER schema (issue 16 §3): communes do not all update at once.

Its rows part, proven exactly what the program at its schema made and whole, is brought forward
by the program's migrations and checked as a part of this schema (core.exchange.part
`_upgraded`): the centre gets the very rows, chain and facts a package made by this version
from the same office gives. A part that is not what its schema's program made is refused
before any migration runs; a newer one tells the centre to update.

The older part is made as the program at schema 22 would have made it: a copy of the office
taken back to schema 22 (tests.db.older.text_entries: payments and votes in the tables of their
texts), a part made by the migrations up to 22 (core.exchange.part.create) and filled from it by
`INSERT … SELECT`, the search index's triggers off meanwhile, as the writer does.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
import threading
import types
import zipfile
from pathlib import Path

import pytest

import main
from core import demo, timefmt
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, import_package, merge, part
from core.exchange.package import MANIFEST, ROWS_PART, PackageReader
from core.exchange.part import checking, making, older, opening
from core.version import VERSION
from db import chain, schema, searchtext
from tests.core.exchange.conftest import repack, rewrite_rows
from tests.core.exchange.test_fastcopy import content
from tests.db.older import text_entries

OLDER = schema.MIGRATIONS.index(schema.ENTRY_ROWS)  # 22: before payments and votes as seconds
TODAY = dt.date(2025, 10, 31)
NOW = dt.datetime(2025, 11, 3, 9, 30, 0)
# the tables of a part at schema 22 (the current part's, payments and votes in their old tables)
TABLES_22 = (*part.CATALOGUE, "dossier_rows", "supplements", "extensions", "payments",
             "dossier_components", "complaints", "event_rows", "votes")


@pytest.fixture(autouse=True)
def own_temp(tmp_path, monkeypatch):
    """The temporary folder of these tests alone: the upgraded part goes with its reader,
    and leaves no journal beside it."""
    folder = tmp_path / "tam"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    yield folder
    assert list(folder.iterdir()) == []


@pytest.fixture(scope="module")
def sent(tmp_path_factory):
    """A demo office's package made by this version, and the same package as the program at
    schema 22 would have made it from the same office."""
    folder = tmp_path_factory.mktemp("older")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timefmt, "now", lambda: NOW)
        office = open_database(folder / "office.db")
        demo.generate(office, dossiers=300, seed=3, today=TODAY)
        with office.conn:  # its votes' origin (schema 25), which no part of 22 can carry: none
            office.execute("UPDATE vote_rows SET origin = NULL")
        current = folder / "current.zip"
        export_package(office, current, dt.date(2024, 1, 1))
        office.close()
    # unsigned, as the program at 22 makes the other: a centre tells them apart by the signature
    # alone (core.exchange.signing), what this module compares is the rest
    members = _members(current)  # (the signature, in the zip's comment, is not rewritten)
    with zipfile.ZipFile(current, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    return current, older_package(current, folder / "office.db", folder / "older.zip", folder)


def older_package(current: Path, office: Path, target: Path, folder: Path) -> Path:
    """`current` (format 3, from the office at `office`) as the program at schema 22 makes it:
    the same dossiers and votes, from the office as schema 22 keeps it, in a part of 22."""
    members = _members(current)
    ids = _ids(members[ROWS_PART], folder)
    old_office = folder / "office-22.db"
    source = sqlite3.connect(office)
    copy = sqlite3.connect(old_office, isolation_level=None)
    source.backup(copy)
    source.close()
    searchtext.register(copy)
    text_entries(copy)
    path = folder / "rows-22.motcua"
    older_part(copy, path, ids)
    copy.close()
    members[ROWS_PART] = path.read_bytes()
    manifest = json.loads(members[MANIFEST])
    manifest.update(schema_version=OLDER, program_version="0.9.0")
    members[MANIFEST] = json.dumps(manifest).encode()
    repack(members, target)
    return target


def older_part(source: sqlite3.Connection, path: Path, ids: dict[str, list[int]] | None = None
               ) -> None:
    """The part at `path` (a new file) the program at schema 22 makes of `source` (a database
    at 22, its connection in autocommit): these dossiers and votes (`ids`; None: all), as the
    writer of this version does (core.exchange.part.build)."""
    assert source.execute("PRAGMA user_version").fetchone()[0] == OLDER
    part.create(path, OLDER)
    triggers = making._without_fts_triggers(path)
    source.execute("ATTACH DATABASE ? AS old_part", [str(path)])
    source.execute("BEGIN")
    for table in TABLES_22:
        columns = ", ".join(f'"{r[1]}"' for r in source.execute(
            f'PRAGMA old_part.table_info("{table}")'))
        where = ""
        if ids is not None and table in ("dossier_rows", "votes"):
            where = f" WHERE id IN ({','.join(map(str, ids[table]))})"
        elif ids is not None and table in TABLES_22[len(part.CATALOGUE) + 1:]:
            where = f" WHERE dossier_id IN ({','.join(map(str, ids['dossier_rows']))})"
        source.execute(f'INSERT INTO old_part."{table}" ({columns}) SELECT {columns} '
                       f'FROM main."{table}"{where}')
    source.execute("COMMIT")
    source.execute("DETACH DATABASE old_part")
    conn = sqlite3.connect(path, isolation_level=None)
    for sql in triggers:
        conn.execute(sql)
    conn.close()


def _members(path: Path) -> dict:
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info.filename) for info in package.infolist()}


def _ids(data: bytes, folder: Path) -> dict[str, list[int]]:
    path = folder / "current-part.motcua"
    path.write_bytes(data)
    conn = sqlite3.connect(path)
    try:
        return {"dossier_rows": [r[0] for r in conn.execute("SELECT id FROM dossier_rows")],
                "votes": [r[0] for r in conn.execute("SELECT id FROM vote_rows")]}
    finally:
        conn.close()
        path.unlink()


def _centre(path: Path):
    return open_database(path)


def _summary(result) -> tuple:
    return (result.dossiers, result.votes, result.conflicts, result.warnings)


def test_the_older_part_is_what_the_program_at_22_made(sent):
    """The test's own ground: the part really is of schema 22, the current one of this."""
    current, older = sent
    for path, version in ((current, schema.SCHEMA_VERSION), (older, OLDER)):
        conn = sqlite3.connect(":memory:")
        conn.deserialize(_members(path)[ROWS_PART])
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        assert checking._master(conn) == part.expected_master(version)
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert ("vote_rows" in names) == (version == schema.SCHEMA_VERSION)
        assert conn.execute("SELECT COUNT(*) FROM event_rows").fetchone()[0] > 0
        conn.close()


@pytest.mark.parametrize("fast", [True, False], ids=["fast path", "records"])
def test_an_older_part_merges_as_the_current_one_does(sent, tmp_path, monkeypatch, fast):
    """Previewed and merged: the same answers, and the same centre (every table, the chain,
    the facts and their sums, the search index) as with the package made by this version."""
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    monkeypatch.setattr(merge.run, "FAST_COPY", fast)
    current, older = sent
    centres, answers = {}, {}
    for name, path in (("current", current), ("older", older)):
        centre = _centre(tmp_path / f"centre-{name}.db")
        preview = import_package(centre, path, dry_run=True)
        done = import_package(centre, path)
        assert done.written and not preview.written
        answers[name] = (_summary(preview), _summary(done))
        centres[name] = (content(centre), chain.head(centre.conn))
        centre.close()
    assert answers["older"] == answers["current"]
    assert answers["older"][1][0]["new"] == 300
    mine, theirs = centres["older"], centres["current"]
    for table in theirs[0]:
        assert mine[0][table] == theirs[0][table], table
    assert mine[1] == theirs[1] and mine[1] is not None


def test_the_command_line_previews_and_imports_it(sent, tmp_path, capsys):
    current, older = sent
    said = {}
    for name, path in (("current", current), ("older", older)):
        centre = tmp_path / f"centre-{name}.db"
        _centre(centre).close()
        for dry in (["--dry-run"], []):
            code = main.main(["--db", str(centre), "exchange", "import", str(path), *dry])
            out = capsys.readouterr()
            assert code == 0, out.err
            said[name, bool(dry)] = out.out.replace(path.name, "GÓI")
    assert said["older", True] == said["current", True]
    assert said["older", False] == said["current", False]
    assert "300" in said["older", True]


def test_the_upgraded_part_is_checked_as_a_current_one(sent):
    """After its upgrade the part is this schema's, its sqlite_master creation's but for the
    pages its tables start on, and read as a current part is."""
    current, older = sent
    with PackageReader(older) as old, PackageReader(current) as new:
        conn = old.part
        assert conn is not None and new.part is not None
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert checking._schema_ours(conn, upgraded=True) and not checking._schema_ours(conn)
        assert old.records_in == new.records_in
        for name in ("units.jsonl", "procedures.jsonl", "calendar.jsonl", "votes.jsonl"):
            assert list(old.records(name)) == list(new.records(name)), name
        assert list(old.lines("dossiers.jsonl")) == list(new.lines("dossiers.jsonl"))


# ----- refused ------------------------------------------------------------------------------------
def _refused(path: Path, *words: str) -> str:
    with pytest.raises(InputError) as caught:
        PackageReader(path)
    said = str(caught.value)
    assert said.startswith(f"Gói {path.name} không dùng được: phần {ROWS_PART} "), said
    assert said.endswith("Chưa ghi gì vào cơ sở dữ liệu."), said
    for word in words:
        assert word in said, said
    return said


@pytest.fixture
def no_migration(monkeypatch):
    """Fails the test if a migration runs (on the part: the schemas it is compared with are
    made first)."""
    part.expected_master(OLDER)
    part.expected_master()
    ran = []
    for module in (making, older):  # a part made, a part upgraded
        monkeypatch.setattr(module, "run_migration", lambda conn, index: ran.append(index))
    yield ran
    assert ran == []


EVIL = ("CREATE TRIGGER evil AFTER INSERT ON calendar BEGIN "
        "DELETE FROM units; END")


@pytest.mark.parametrize("change", [
    EVIL,
    "CREATE TABLE extra (x)",
    "CREATE INDEX extra ON votes(comment)",
    "DROP INDEX votes_voted",
], ids=["trigger", "table", "index", "index dropped"])
def test_an_older_part_not_its_schemas_own_is_refused_before_any_migration(
        sent, tmp_path, no_migration, change):
    bad = tmp_path / "sua.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(change))
    _refused(bad, f"lược đồ phiên bản {OLDER}", "cấu trúc", "tệp đã bị sửa")


def test_a_current_part_labelled_older_is_refused_before_any_migration(sent, tmp_path,
                                                                       no_migration):
    bad = tmp_path / "nhan.zip"
    rewrite_rows(sent[0], bad, lambda conn: conn.execute(f"PRAGMA user_version = {OLDER}"))
    _refused(bad, f"lược đồ phiên bản {OLDER}", "cấu trúc")


def test_a_view_of_its_schema_rewritten_is_refused_before_any_migration(sent, tmp_path,
                                                                        no_migration):
    """The view the migration reads (votes, a table at 22: here the events view) made to call
    something else, under its own name: sqlite_master's text differs."""
    def rewrite(conn):
        version = conn.execute("PRAGMA schema_version").fetchone()[0]
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'printf', 'char') "
                     "WHERE type = 'view' AND name = 'events'")
        conn.execute(f"PRAGMA schema_version = {version + 1}")
        conn.execute("PRAGMA writable_schema = OFF")
    bad = tmp_path / "view.zip"
    rewrite_rows(sent[1], bad, rewrite)
    _refused(bad, "cấu trúc")


def test_a_damaged_older_part_is_refused_before_any_migration(sent, tmp_path, no_migration):
    members = _members(sent[1])
    conn = sqlite3.connect(":memory:")
    conn.deserialize(members[ROWS_PART])
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    page = conn.execute("SELECT pageno FROM dbstat WHERE name = 'event_rows' "
                        "ORDER BY pageno LIMIT 1").fetchone()[0]
    conn.close()
    data = bytearray(members[ROWS_PART])
    start = (page - 1) * page_size
    data[start + 12:start + 200] = b"\xee" * 188  # its cell pointers point nowhere
    members[ROWS_PART] = bytes(data)
    bad = tmp_path / "hong.zip"
    repack(members, bad)
    _refused(bad, "hỏng")


def test_rows_the_migration_refuses_refuse_the_package(sent, tmp_path):
    """A payment's moment schema 23 cannot keep as seconds: the upgrade fails, in words."""
    bad = tmp_path / "thoidiem.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(
        "UPDATE payments SET paid_at = '2025-13-45 99:00:00' WHERE id = (SELECT MIN(id) "
        "FROM payments)"))
    _refused(bad, f"lược đồ phiên bản {OLDER}", "không nâng cấp được lên lược đồ "
             f"{schema.SCHEMA_VERSION}")


def test_what_the_upgrade_carries_is_checked_after_it(sent, tmp_path):
    """A BLOB where MotCua writes text, in a column the migration copies as it is: refused by
    the checks of a current part, after the upgrade."""
    bad = tmp_path / "blob.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(
        "UPDATE votes SET comment = x'00ff' WHERE id = (SELECT MIN(id) FROM votes)"))
    _refused(bad, "nhị phân", "vote_rows.comment")


def test_a_part_older_than_any_upgraded_is_refused(sent, tmp_path, no_migration):
    bad = tmp_path / "cu.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(
        f"PRAGMA user_version = {part.OLDEST_SCHEMA - 1}"))
    _refused(bad, f"lược đồ phiên bản {part.OLDEST_SCHEMA - 1}",
             f"cũ hơn lược đồ {part.OLDEST_SCHEMA}", "--format 2")


def test_a_newer_part_says_the_centre_must_update(sent, tmp_path):
    """A part newer than this program (its manifest not saying so: the manifest's own refusal
    is test_newer_schema's), named with both schemas and what to do."""
    bad = tmp_path / "moi.zip"
    newer = schema.SCHEMA_VERSION + 1
    rewrite_rows(sent[0], bad, lambda conn: conn.execute(f"PRAGMA user_version = {newer}"))
    said = _refused(bad)
    assert said == (f"Gói moi.zip không dùng được: phần {ROWS_PART} theo lược đồ phiên bản "
                    f"{newer}, mới hơn lược đồ {schema.SCHEMA_VERSION} của MotCua {VERSION} ở "
                    "máy này: máy này không đọc đúng được gói. Hãy cập nhật MotCua ở máy này, "
                    "rồi nhập lại gói. Chưa ghi gì vào cơ sở dữ liệu.")


def test_a_refused_upgrade_writes_nothing_to_the_centre(sent, tmp_path):
    bad = tmp_path / "thoidiem.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(
        "UPDATE payments SET paid_at = 'x' WHERE id = (SELECT MIN(id) FROM payments)"))
    centre = _centre(tmp_path / "centre.db")
    before = content(centre)
    for dry in (True, False):
        with pytest.raises(InputError, match="không nâng cấp được"):
            import_package(centre, bad, dry_run=dry)
    assert content(centre) == before
    centre.close()


@pytest.mark.parametrize("when", ["before", "during"])
def test_a_stop_during_the_upgrade_ends_it_and_leaves_no_file(sent, monkeypatch, when):
    """The verifying thread told to stop (merge._Opening: another package refused, Cancel)
    as an older part's upgrade begins, or in a migration's statement (ended at SQLite's next
    progress call, the transaction rolled back): InterruptedError, and the reader's close
    removes its file (own_temp)."""
    stop, interrupted = threading.Event(), []
    if when == "before":
        real = opening._migrate

        def stopping(path, version, given):
            assert given is stop
            stop.set()
            real(path, version, given)
        monkeypatch.setattr(opening, "_migrate", stopping)
    else:
        migration = older.run_migration

        def long_migration(conn, index):
            migration(conn, index)
            stop.set()
            try:
                conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                             "WHERE x < 100000000) SELECT COUNT(*) FROM c").fetchone()
            except sqlite3.OperationalError as exc:
                interrupted.append(str(exc))
                raise
        part.expected_master(OLDER)
        monkeypatch.setattr(older, "run_migration", long_migration)
    reader = PackageReader(sent[1], verify=False)
    try:
        with pytest.raises(InterruptedError):
            reader.verify(stop)
    finally:
        reader.close()
    assert interrupted == ([] if when == "before" else ["interrupted"])


def test_an_upgrade_past_its_time_is_refused(sent, monkeypatch):
    """A part whose migrations run longer than quick_check's bound (10 s + 120 s a GB) is
    refused in words, not waited for: the clock moved past the bound once the upgrade began."""
    part.expected_master(OLDER)
    clock = iter([0.0])
    migration = older.run_migration

    def long_migration(conn, index):
        migration(conn, index)
        conn.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
                     "WHERE x < 100000000) SELECT COUNT(*) FROM c").fetchone()
    real = opening._migrate

    def timed(path, version, stop):
        with pytest.MonkeyPatch.context() as inside:
            inside.setattr(older, "run_migration", long_migration)
            inside.setattr(older, "time", types.SimpleNamespace(
                monotonic=lambda: next(clock, 1e9)))
            real(path, version, stop)
    monkeypatch.setattr(opening, "_migrate", timed)
    _refused(sent[1], f"lược đồ phiên bản {OLDER}", "không nâng cấp xong lên lược đồ "
             f"{schema.SCHEMA_VERSION} trong thời gian cho phép")
