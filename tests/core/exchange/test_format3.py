"""Format 3 (issue 16): the package's rows part is a MotCua database file.

What it holds, that it gives the merge the very records a format-2 package gives, and that a
part made by anyone else is refused in words before a row is read — its temporary file gone
whatever happened.
"""
from __future__ import annotations

import datetime as dt
import json
import sqlite3
import tempfile
import zipfile
from pathlib import Path

import pytest

from core import complaints
from core.errors import InputError
from core.exchange import export, export_package, import_package, merge, package, part, space
from core.exchange.package import MANIFEST, ROWS_PART, PackageReader, rows, verifying
from core.exchange.part import checking
from db.errors import DatabaseEnvironmentError
from db.schema import SCHEMA_VERSION
from tests.core.exchange.conftest import DAY, busy_day, repack, rewrite_rows
from tests.core.exchange.conftest import office as office_db

SINCE = dt.date(2025, 10, 1)
PARTS = ("units.jsonl", "procedures.jsonl", "calendar.jsonl", "votes.jsonl")


pytestmark = pytest.mark.usefixtures("own_temp")  # what the reader leaves there is seen


@pytest.fixture
def sent(counter, tmp_path):
    """The same day of a counter as a format-2 and a format-3 package."""
    busy_day(counter)
    dossier = counter.execute("SELECT id FROM dossiers ORDER BY id LIMIT 1").fetchone()[0]
    complaints.add_complaint(counter, dossier, channel="direct", content="Chờ lâu",
                             received_at=DAY + dt.timedelta(hours=5))
    two, three = tmp_path / "hai.zip", tmp_path / "ba.zip"
    export_package(counter, two, SINCE, format_version=2)
    export_package(counter, three, SINCE)
    return two, three


def _everything(path) -> dict:
    with PackageReader(path) as reader:
        out = {name: list(reader.records(name)) for name in PARTS}
        out["dossiers"] = [record for _line, record in reader.lines("dossiers.jsonl")]
        out["records_in"] = reader.records_in
        out["counts"] = reader.manifest.counts
    return out


def test_a_format_3_package_gives_the_records_a_format_2_package_gives(sent):
    two, three = sent
    with zipfile.ZipFile(three) as archive:
        assert sorted(archive.namelist()) == sorted([MANIFEST, "checksums.sha256", ROWS_PART])
        assert b'"Ed25519"' in archive.comment  # signed, in the zip's comment
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["format_version"] == 3 and set(manifest["parts"]) == {ROWS_PART}
    old, new = _everything(two), _everything(three)
    assert new == old
    assert len(new["dossiers"]) == 3 and new["votes.jsonl"] and new["units.jsonl"]
    assert any(record["complaints"] for record in new["dossiers"])


def test_the_part_holds_the_package_and_nothing_else(counter, tmp_path):
    busy_day(counter)
    path = tmp_path / "ba.zip"
    export_package(counter, path, SINCE)
    with PackageReader(path) as reader:
        conn = reader.part
        assert conn is not None
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        for table in ("accounts", "access_log", "kpi_daily", "chain_marks", "code_counters",
                      "setting_changes", "kiosk_invitations"):
            assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0, table
        # the settings creation writes, not the sender's (its installation id, its slot …)
        assert {r[0] for r in conn.execute("SELECT key FROM settings")} == {
            "kpi_stale", "search_key_format"}
        ids = [r[0] for r in conn.execute("SELECT id FROM dossier_rows ORDER BY id")]
    assert ids == [r[0] for r in counter.execute("SELECT id FROM dossiers ORDER BY id")]


def test_export_format_2_still_writes_json_lines_and_a_wrong_format_is_refused(counter,
                                                                               tmp_path):
    busy_day(counter)
    path = tmp_path / "hai.zip"
    export_package(counter, path, SINCE, format_version=2)
    with zipfile.ZipFile(path) as archive:
        assert "dossiers.jsonl" in archive.namelist()
        assert json.loads(archive.read(MANIFEST))["format_version"] == 2
    with pytest.raises(InputError, match="Định dạng gói 4 không có"):
        export_package(counter, tmp_path / "bon.zip", SINCE, format_version=4)
    assert not (tmp_path / "bon.zip").exists()


def test_a_cancelled_export_leaves_no_file_nor_temporary_part(counter, tmp_path, own_temp):
    busy_day(counter)
    path = tmp_path / "ba.zip"
    with pytest.raises(InterruptedError):
        export_package(counter, path, SINCE, progress=lambda done, total: False)
    assert not path.exists()
    assert list(own_temp.iterdir()) == []


def test_a_format_3_package_round_trips_and_temp_files_go(sent, db, own_temp):
    _two, three = sent
    assert import_package(db, three).dossiers["new"] == 3
    assert import_package(db, three).dossiers["identical"] == 3
    with pytest.raises(InterruptedError):  # cancelled: nothing written, nothing left behind
        import_package(db, three, progress=lambda done, total: False)
    assert list(own_temp.iterdir()) == []


def test_a_crashed_imports_part_is_swept_away_by_the_next_import(sent, db, own_temp):
    """A killed import leaves its extracted part (~17 MB a 20,000-dossier package) in the
    temporary folder; the next import removes those a day old, not a running import's, nor
    anyone else's file."""
    import os
    import time
    old, fresh = own_temp / "motcua-goi-cu.tmp", own_temp / "motcua-goi-dang-nhap.tmp"
    other = own_temp / "khac-cu.tmp"
    for path in (old, fresh, other):
        path.write_bytes(b"x" * 100)
    day_ago = time.time() - package.STALE_SECONDS - 60
    os.utime(old, (day_ago, day_ago))
    os.utime(other, (day_ago, day_ago))
    _two, three = sent
    assert import_package(db, three).dossiers["new"] == 3
    assert not old.exists() and fresh.exists() and other.exists()
    fresh.unlink()
    other.unlink()


# ----- hostile parts -------------------------------------------------------------------------
def refused(db, path, *words) -> str:
    with pytest.raises(InputError) as error:
        import_package(db, path)
    said = str(error.value)
    assert path.name in said and "Chưa ghi gì" in said
    for word in words:
        assert word in said, said
    return said


def _members(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def test_a_part_changed_after_its_checksum_is_refused(sent, db, tmp_path):
    members = _members(sent[1])
    data = bytearray(members[ROWS_PART])
    data[len(data) // 2] ^= 0xFF
    members[ROWS_PART] = bytes(data)
    bad = tmp_path / "sua.zip"
    with zipfile.ZipFile(bad, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    refused(db, bad, "SHA-256", ROWS_PART, "xuất lại")


@pytest.mark.parametrize("content, words", [
    (b"", ("không phải tệp cơ sở dữ liệu SQLite",)),
    (b"hello world " * 1000, ("không phải tệp cơ sở dữ liệu SQLite",)),
    ("cut", ("hỏng",)),
], ids=["empty", "not sqlite", "truncated"])
def test_a_part_that_is_no_whole_database_is_refused(sent, db, tmp_path, content, words):
    members = _members(sent[1])
    if content == "cut":  # its checksum made to match: the copy was cut, not forged
        content = members[ROWS_PART][:len(members[ROWS_PART]) // 2]
    members[ROWS_PART] = content
    bad = tmp_path / "cut.zip"
    repack(members, bad)
    refused(db, bad, ROWS_PART, *words)


SCHEMA_CHANGES = {
    "extra trigger": "CREATE TRIGGER spy AFTER INSERT ON calendar BEGIN SELECT 1; END",
    "extra view": "CREATE VIEW spy AS SELECT 1",
    "extra table": "CREATE TABLE spy (x)",
    "extra index": "CREATE INDEX spy ON dossier_rows (note)",
}


@pytest.mark.parametrize("change", sorted(SCHEMA_CHANGES))
def test_a_part_with_anything_added_to_its_schema_is_refused(sent, db, tmp_path, change):
    bad = tmp_path / "them.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(SCHEMA_CHANGES[change]))
    refused(db, bad, ROWS_PART, "cấu trúc", "đã bị sửa")


def test_a_view_rewritten_under_its_own_name_is_refused(sent, db, tmp_path):
    """The sneaky change: the votes view made to read something else, its name and columns
    kept (sqlite_master written directly), so only its SQL text tells."""
    def rewrite(conn):
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET sql = replace(sql, 'r.comment AS comment', "
                     "'''x'' AS comment') WHERE name = 'votes'")
        assert conn.total_changes == 1
    bad = tmp_path / "view.zip"
    rewrite_rows(sent[1], bad, rewrite)
    refused(db, bad, ROWS_PART, "cấu trúc")


@pytest.mark.parametrize("pragma, words", [
    # older: upgraded when it is what that schema's program made (test_older_part), not this
    # (24: 25's parts are 26's, whose upgrade changed only the ledger, which a part keeps none of)
    (f"user_version = {SCHEMA_VERSION - 2}", (f"lược đồ phiên bản {SCHEMA_VERSION - 2}",
                                              "cấu trúc")),
    (f"user_version = {part.OLDEST_SCHEMA - 1}", (f"lược đồ phiên bản {part.OLDEST_SCHEMA - 1}",
                                                  f"cũ hơn lược đồ {part.OLDEST_SCHEMA}",
                                                  "--format 2")),
    (f"user_version = {SCHEMA_VERSION + 1}", (f"mới hơn lược đồ {SCHEMA_VERSION}",
                                              "Hãy cập nhật MotCua ở máy này")),
    ("application_id = 7", ("không phải của MotCua",)),
])
def test_a_part_of_another_version_or_program_is_refused(sent, db, tmp_path, pragma, words):
    bad = tmp_path / "phienban.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(f"PRAGMA {pragma}"))
    refused(db, bad, ROWS_PART, *words)


def test_a_part_bigger_than_the_limit_is_refused_before_it_is_written(sent, db, monkeypatch):
    for module in (verifying, rows):  # the members' sizes, and the extraction
        monkeypatch.setattr(module, "ROWS_MAX", 10_000)
    refused(db, sent[1], ROWS_PART, "vượt giới hạn")


def test_a_part_without_room_on_the_disk_is_refused_before_it_is_written(sent, db,
                                                                         monkeypatch):
    """The room is checked again as each part is extracted (another program may have filled
    the disk since the operation's own check, core.exchange.space, here passed over): refused
    as the machine's problem (exit code 1), naming the folder, the package and the sizes."""
    monkeypatch.setattr(merge.operation, "_check_room", lambda db, readers: None)
    monkeypatch.setattr(space, "free_bytes", lambda folder: 1_000_000)
    with pytest.raises(DatabaseEnvironmentError) as error:
        import_package(db, sent[1])
    said = error.value.message
    for words in ("còn trống 1 MB", "cần khoảng", sent[1].name, f"thư mục tạm "
                  f"{tempfile.gettempdir()}", "giải phóng ổ đĩa", "Chưa ghi gì"):
        assert words in said, said
    assert error.value.kind == "full"


def test_a_damaged_page_is_found_by_quick_check(sent, db, tmp_path):
    members = _members(sent[1])
    folder = tmp_path / "hong"
    folder.mkdir()
    path = folder / ROWS_PART
    path.write_bytes(members[ROWS_PART])
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    page = conn.execute("SELECT pageno FROM dbstat WHERE name = 'event_rows' "
                        "ORDER BY pageno LIMIT 1").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    data[start + 12:start + 200] = b"\xee" * 188  # its cell pointers point nowhere
    members[ROWS_PART] = bytes(data)
    bad = tmp_path / "trang.zip"
    repack(members, bad)
    refused(db, bad, ROWS_PART, "hỏng")


def test_a_vote_naming_a_dossier_the_part_lacks_is_refused(sent, db, tmp_path):
    bad = tmp_path / "phieu.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(
        "UPDATE vote_rows SET dossier_id = 999 WHERE dossier_id IS NOT NULL"))
    refused(db, bad, ROWS_PART, "bảng vote_rows", "chỉ tới một dòng không có trong gói")


@pytest.mark.parametrize("column,blob", [("note", "x'00ff'"), ("note", "x''"),
                                         ("copies", "x'01'")],
                         ids=["text-column", "empty-blob", "integer-column"])
def test_a_blob_where_text_goes_is_refused_not_stored(sent, db, tmp_path, column, blob):
    """Any BLOB, the empty one too, in a column of any affinity (the scan tests `>= x''`)."""
    bad = tmp_path / "blob.zip"
    rewrite_rows(sent[1], bad, lambda conn: conn.execute(
        f"UPDATE dossier_rows SET {column} = {blob} WHERE id = (SELECT MIN(id) FROM "
        "dossier_rows)"))
    refused(db, bad, ROWS_PART, "dữ liệu nhị phân", f"dossier_rows.{column}")


def test_counts_the_manifest_misstates_are_refused(sent, db, tmp_path):
    members = _members(sent[1])
    manifest = json.loads(members[MANIFEST])
    manifest["counts"]["events"] += 1
    members[MANIFEST] = json.dumps(manifest).encode()
    bad = tmp_path / "dem.zip"
    repack(members, bad)
    refused(db, bad, "events", "bản kê không đúng")


def test_a_format_2_member_beside_the_part_is_refused(sent, db, tmp_path):
    members = _members(sent[1])
    members["dossiers.jsonl"] = b"{}\n"
    bad = tmp_path / "lan.zip"
    repack(members, bad)
    refused(db, bad, "dossiers.jsonl", "không thuộc định dạng 3")


def test_the_written_part_has_the_programs_schema_whole(sent):
    """The writer takes the search triggers off while it copies: they are back, and the
    part's schema is the one every MotCua database is checked against (db.structure)."""
    from db import structure
    with PackageReader(sent[1]) as reader:
        conn = reader.part
        assert conn is not None
        assert structure.differences(conn) == []
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = "
                                            "'trigger' AND name LIKE 'dossiers_fts_%'")}
        assert "dossiers_fts_inserted" in names and len(names) == 10
        assert checking._master(conn) == part.expected_master()


def test_the_default_format_is_3():
    assert export.DEFAULT_FORMAT == 3


def test_a_record_the_part_cannot_give_is_named_by_its_place(sent):
    """Past the checks at opening (a BLOB there is refused before), a value JSON cannot carry
    met while reading is still a bad record named by its place, never a crash."""
    with PackageReader(sent[1]) as reader:
        conn = reader.part
        assert conn is not None
        conn.create_function("motcua_search_key", 6, lambda *values: b"\x00")
        with pytest.raises(InputError, match="rows.motcua, hồ sơ thứ 1: có giá trị sai kiểu"):
            list(reader.lines("dossiers.jsonl"))


# ----- the SQL fast path (core.exchange.fastcopy) --------------------------------------------
@pytest.mark.parametrize("attach_max,memory_max", [(10, None), (10, 0), (1, 0)],
                         ids=["in memory", "files attached", "one file attached"])
def test_the_fast_path_leaves_what_the_records_way_leaves(tmp_path, monkeypatch, attach_max,
                                                          memory_max):
    """New dossiers copied by SQLite, the rest (held codes) by records: the same centre as
    with records alone; parts too big for memory (DESERIALIZE_MAX) are attached as files, and
    past ATTACH_MAX parts the records' way takes the rest."""
    from core.exchange import fastcopy, merge
    from core.exchange.merge import import_packages
    from db import chain
    from tests.core.exchange.test_bulk import content
    made = []
    for name, slot in (("q1", (1, 2)), ("q2", (2, 2))):
        db = office_db(tmp_path / f"{name}.db", slot)
        busy_day(db, names=(f"Hoa {name}", f"Sử {name}", f"Mai {name}"))
        export_package(db, tmp_path / f"{name}.zip", SINCE)
        db.close()
        made.append(tmp_path / f"{name}.zip")
    copies = []
    real = fastcopy.Copier.copy
    monkeypatch.setattr(fastcopy.Copier, "copy", lambda self, *a, **k: copies.append(a)
                        or real(self, *a, **k))
    monkeypatch.setattr(merge.run, "ATTACH_MAX", attach_max)
    if memory_max is not None:
        monkeypatch.setattr(merge.run, "DESERIALIZE_MAX", memory_max)
    centres = {}
    for fast in (True, False):
        monkeypatch.setattr(merge.run, "FAST_COPY", fast)
        centre = office_db(tmp_path / f"centre-{fast}.db")
        batch = import_packages(centre, made)
        assert batch.total("dossiers") == {"new": 6}
        again = import_packages(centre, made)  # every code held: all left to the records
        assert again.total("dossiers") == {"identical": 6}
        centres[fast] = (content(centre), chain.head(centre.conn))
        centre.close()
    assert len(copies) == (2 if attach_max == 1 else 4)  # per operation: 1 part, or both
    assert centres[True] == centres[False]


# rows checks accept but the fast path does not copy (its screen leaves their dossier to the
# records' way), each on one dossier of a part whose others are copied
LEFT_ROWS = {
    # coded details spelling their shape's code otherwise than MotCua ('[ 5,…', read alike):
    # the fast path copies coded details as they are when the words keep their codes
    "coded details spelt otherwise": "UPDATE event_rows SET details = CAST('[ ' || substr(CAST("
                                     "details AS TEXT), 2) AS BLOB) WHERE id = (SELECT MIN(id) "
                                     "FROM event_rows WHERE substr(details, 1, 1) = x'5b')",
    # a moment kept as text (readable): the fast path copies seconds
    "an event moment kept as text": "UPDATE event_rows SET at = datetime(at, 'unixepoch') WHERE "
                                    "id = (SELECT MIN(id) FROM event_rows)",
}


@pytest.mark.parametrize("what", LEFT_ROWS)
def test_a_new_dossier_the_fast_path_leaves_is_stored_as_the_records_way_stores_it(
        tmp_path, monkeypatch, what):
    """A part's new dossier the screen leaves to the records' way, beside others it copies:
    stored as records alone store it (MotCua's spelling of its details, its moments as
    seconds), under the next id after the copied ones (the records' way took the ids it had
    read before the copy: "UNIQUE constraint failed: dossier_rows.id", the package refused)."""
    from core.exchange import merge
    from core.exchange.merge import import_packages
    from core.maintenance.audit import audit_findings
    db = office_db(tmp_path / "q1.db", (1, 2))
    busy_day(db)
    export_package(db, tmp_path / "q1.zip", SINCE)
    db.close()
    odd = tmp_path / "odd.zip"

    def spoil(conn):  # (the sealed events' trigger put back as it was: the schema stays ours)
        sealed = conn.execute("SELECT sql FROM sqlite_master WHERE name = "
                              "'events_sealed_final'").fetchone()[0]
        conn.execute("DROP TRIGGER events_sealed_final")
        conn.execute(LEFT_ROWS[what])
        conn.execute(sealed)

    rewrite_rows(tmp_path / "q1.zip", odd, spoil)
    stored = {}
    for fast in (True, False):
        monkeypatch.setattr(merge.run, "FAST_COPY", fast)
        centre = office_db(tmp_path / f"centre-{fast}.db")
        assert import_packages(centre, [odd]).total("dossiers") == {"new": 3}
        # as read (the words' codes are the centre's own, given in another order when a
        # dossier is left: docs of core.exchange.fastcopy)
        stored[fast] = sorted(centre.execute(
            "SELECT d.code, e.at, e.actor, e.action, e.from_status, e.to_status, e.reason, "
            "e.details FROM events e JOIN dossiers d ON d.id = e.dossier_id").fetchall(),
            key=repr)
        forms = centre.execute("SELECT typeof(at), quote(details) FROM event_rows").fetchall()
        assert {kind for kind, _details in forms} == {"integer"}  # seconds, as MotCua stores
        assert [d for _kind, d in forms if d.startswith("X'5B")] and \
            not [d for _kind, d in forms if d.startswith("X'5B20")]  # '[' then no space
        assert all(f.ok for f in audit_findings(centre)), [f.text for f in audit_findings(centre)
                                                            if not f.ok]
        centre.close()
    assert stored[True] == stored[False]


def _sqlite_memory_used():
    """sqlite3_memory_used() of the SQLite library Python's sqlite3 uses, or None (Windows: a
    DLL of Python's own)."""
    import ctypes
    import ctypes.util
    name = ctypes.util.find_library("sqlite3")
    if name is None:
        return None
    library = ctypes.CDLL(name)
    library.sqlite3_memory_used.restype = ctypes.c_int64
    if library.sqlite3_libversion_number() != sqlite3.sqlite_version_info[0] * 1_000_000 + \
            sqlite3.sqlite_version_info[1] * 1_000 + sqlite3.sqlite_version_info[2]:
        return None
    return library.sqlite3_memory_used


def test_a_checked_part_keeps_no_page_cache_while_its_reader_waits(sent):
    """An operation keeps every package's reader open till its end: the pages the checks read
    (quick_check reads them all) are not kept in each reader's cache (50 parts: 50 caches)."""
    used = _sqlite_memory_used()
    if used is None:
        pytest.skip("the SQLite library of Python's sqlite3 is not reachable by ctypes")
    with PackageReader(sent[1]) as reader:
        size = reader.part_path.stat().st_size
        held = used()
        reader.part.execute("PRAGMA shrink_memory")
        assert held - used() < size // 4


def test_a_waiting_reader_holds_no_sqlite_memory(sent):
    """An operation keeps every package's reader till its end: once checked and counted, a
    reader closes its part's connection (its schema and statements: ~0.6 MB, 29 MB for 50
    packages at 0933ba7) and opens it again when read."""
    used = _sqlite_memory_used()
    if used is None:
        pytest.skip("the SQLite library of Python's sqlite3 is not reachable by ctypes")
    with PackageReader(sent[1]):  # the first connection's one-time allocations
        pass
    before = used()
    with PackageReader(sent[1]) as reader:
        held = used() - before
        assert held < 64 * 1024, held
        units = list(reader.records("units.jsonl"))  # read again: opened again
        assert units and reader.part is not None
        reader.rest()
        assert used() - before < 64 * 1024
        assert list(reader.records("units.jsonl")) == units


def test_packages_opened_side_by_side_name_the_first_bad_one_and_leave_nothing(sent, db,
                                                                              tmp_path,
                                                                              own_temp):
    """An operation opens its packages two at a time (merge._open_all, threads): the package
    named is the first bad one in the order given, as when they were opened in turn, and
    every reader opened beside it is closed (its extracted part removed: `own_temp`)."""
    members = _members(sent[1])
    data = bytearray(members[ROWS_PART])
    data[len(data) // 2] ^= 0xFF
    members[ROWS_PART] = bytes(data)
    changed = tmp_path / "sua.zip"
    with zipfile.ZipFile(changed, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    (tmp_path / "rac.zip").write_bytes(b"rac")
    good = sent[1]
    opened: list[str] = []
    real = PackageReader.__init__

    def spy(self, path, *args, **kwargs):
        opened.append(Path(path).name)
        real(self, path, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PackageReader, "__init__", spy)
        with pytest.raises(InputError, match="sua.zip.*SHA-256"):
            merge.import_packages(db, [good, good, changed, good, tmp_path / "rac.zip", good])
        assert list(own_temp.iterdir()) == []
        with pytest.raises(InputError, match="Gói rac.zip không dùng được"):
            merge.import_packages(db, [good, tmp_path / "rac.zip", changed])
    assert len(opened) >= 6 and db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    batch = merge.import_packages(db, [good, good, good])  # and the good ones merge
    assert [dict(r.dossiers) for r in batch.results] == [{"new": 3}, {"identical": 3},
                                                         {"identical": 3}]


def test_packages_opening_beside_an_interruption_are_closed(sent, db, own_temp, monkeypatch):
    """An interruption (KeyboardInterrupt, SystemExit) while the packages open two at a time:
    the readers the other thread opened meanwhile are closed too (`own_temp`: no part left)."""
    good = sent[1]
    real = PackageReader

    def opened(path, *args, **kwargs):
        if opened.calls == 1:  # the second package
            opened.calls += 1
            raise KeyboardInterrupt
        opened.calls += 1
        return real(path, *args, **kwargs)

    opened.calls = 0
    monkeypatch.setattr(merge.opening, "PackageReader", opened)
    with pytest.raises(KeyboardInterrupt):
        merge.import_packages(db, [good, good, good, good])
    assert opened.calls >= 2
