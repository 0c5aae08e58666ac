"""The register's full-text index (db.fulltext): filled by the migration, kept in step by every
change, the same results as the LIKE scan, verified and rebuilt by `check`."""
from __future__ import annotations

import datetime as dt
import random

from core import dossiers, searchkey
from core.database import open_database
from core.maintenance.check import check_database, search_index
from core.textnorm import search_words
from db import fulltext
from db.connection import transaction
from db.schema import MIGRATIONS, SCHEMA_VERSION
from tests.core.factories import add_procedures, add_units
from tests.db import older

DAY = dt.datetime(2025, 6, 2, 9, 0)
SURNAMES = ("Nguyễn", "Đồng", "Lý", "Hoàng", "Đặng", "Nông", "Triệu")
WORDS = ("Văn", "Thị", "Giáp", "An", "Nam", "Mai", "Tú", "Làng", "Piát", "Sơn", "Bản", "Nà")


def _office(db, count: int, seed: int = 7) -> dict[int, str]:
    """`count` dossiers with random names, phones and addresses: {id: name}."""
    add_units(db, (("H", "UBND huyện Văn Quan", None), ("DG", "UBND xã Đồng Giáp", "H")))
    add_procedures(db)
    rng, made = random.Random(seed), {}
    for _ in range(count):
        name = " ".join([rng.choice(SURNAMES)] + rng.sample(WORDS, rng.randint(1, 3)))
        address = "Thôn " + " ".join(rng.sample(WORDS, 2)) if rng.random() < 0.7 else None
        phone = "09" + "".join(rng.choice("0123456789") for _ in range(8))
        made[dossiers.create_dossier(db, unit_code=rng.choice(("H", "DG")), procedure_code="P.WD2",
                                     applicant_name=name, applicant_phone=phone,
                                     applicant_address=address, received_at=DAY)[0]] = name
    return made


def _ids(db, text: str, indexed: bool) -> list[int]:
    clauses, params = searchkey.match(search_words(text), indexed=indexed)
    where = " AND ".join(clauses) or "1"
    return [r[0] for r in db.execute(f"SELECT d.id FROM dossiers d WHERE {where} ORDER BY d.id",
                                     params)]


def _indexed_ids(db, text: str) -> list[int]:
    return [r[0] for r in db.execute(f"SELECT rowid FROM {fulltext.TABLE} WHERE {fulltext.TABLE}"
                                     " MATCH ? ORDER BY rowid", [fulltext.query([text])])]


def test_the_index_finds_what_the_like_scan_finds(db):
    """Property: for random pieces of random dossiers' keys (and their words shuffled), the
    search through the index returns exactly the rows of the plain LIKE scan."""
    _office(db, 60)
    keys = [r[0] for r in db.execute("SELECT search_key FROM dossier_keys")]
    rng, hits = random.Random(18), 0
    for _ in range(400):
        key = rng.choice(keys)
        start = rng.randrange(len(key) - 3)
        piece = key[start:start + rng.randint(3, 20)]
        if rng.random() < 0.3:
            words = piece.split()
            rng.shuffle(words)
            piece = " ".join(words)
        expected = _ids(db, piece, indexed=False)
        assert _ids(db, piece, indexed=True) == expected, piece
        hits += bool(expected)
    assert hits > 200  # the pieces mostly find something: the comparison is not vacuous
    for text in ("an", "nà", 'a"b', "%", "đồng giáp", "giap dong", "zzqx"):
        assert _ids(db, text, indexed=True) == _ids(db, text, indexed=False), text


def test_a_corrected_name_is_found_at_once(db):
    made = _office(db, 5)
    dossier_id = next(iter(made))
    dossiers.correct_field(db, dossier_id, "applicant_name", "Ma Seo Chứ", reason="Gõ nhầm tên")
    assert _ids(db, "seo chu", indexed=True) == [dossier_id]
    assert _indexed_ids(db, "ma seo chu") == [dossier_id]
    assert fulltext.is_intact(db)


def test_the_migration_indexes_the_dossiers_already_stored(db_path):
    db = open_database(db_path)
    made = _office(db, 8)
    with transaction(db) as conn:  # back to the schema before the index
        older.stored_keys(conn)  # schema 21 computes them
        for name in ("dossiers_fts_inserted", "dossiers_fts_deleted", "dossiers_fts_changed"):
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(f"DROP TABLE {fulltext.TABLE}")
        older.text_events(conn)  # stored compact later (db.events_codec)
        conn.execute("ALTER TABLE events ADD COLUMN prev_hash BLOB")  # schema 13 dropped it
        conn.execute("DROP TRIGGER dossiers_facts_origin")  # schema 14 added it
        conn.execute("CREATE INDEX dossiers_status ON dossiers(status)")  # and dropped this
        conn.execute(f"PRAGMA user_version = {MIGRATIONS.index(fulltext.SCHEMA)}")
    db.close()
    db = open_database(db_path)
    try:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert _indexed_ids(db, "ubnd") == sorted(made)
        assert fulltext.is_intact(db)
    finally:
        db.close()


def test_check_names_an_index_out_of_step_and_rebuilds_it(db_path):
    db = open_database(db_path)
    made = _office(db, 4)
    lost = next(iter(made))
    assert search_index(db).ok
    with transaction(db) as conn:  # an index that lost a dossier (as a failed disk write could)
        conn.execute(f"INSERT INTO {fulltext.TABLE}({fulltext.TABLE}, rowid, search_key) "
                     "SELECT 'delete', id, search_key FROM dossier_keys WHERE id = ?", [lost])
    assert lost not in _indexed_ids(db, "ubnd")
    db.close()
    first = [f for f in check_database(db_path) if "Chỉ mục tìm kiếm" in f.text]
    assert len(first) == 1 and not first[0].ok and "Đã dựng lại" in first[0].text
    again = [f for f in check_database(db_path) if "Chỉ mục tìm kiếm" in f.text]
    assert again[0].ok
    db = open_database(db_path)
    try:
        assert _indexed_ids(db, "ubnd") == sorted(made)
    finally:
        db.close()


def test_an_inserted_then_deleted_dossier_enters_and_leaves_the_index(db):
    made = _office(db, 2)
    columns = [r[1] for r in db.execute("PRAGMA table_info(dossiers)") if r[1] not in ("id", "code")]
    listed = ", ".join(columns)
    with transaction(db) as conn:  # a copy without history, so it may be deleted
        conn.execute(f"INSERT INTO dossiers(code, {listed}) SELECT 'COPY-XYZ', {listed} "
                     "FROM dossiers WHERE id = ?", [next(iter(made))])
        copy = conn.execute("SELECT id FROM dossiers WHERE code = 'COPY-XYZ'").fetchone()[0]
    assert _indexed_ids(db, "copy-xyz") == [copy] and fulltext.is_intact(db)
    with transaction(db) as conn:
        conn.execute("DELETE FROM dossiers WHERE id = ?", [copy])
    assert _indexed_ids(db, "copy-xyz") == [] and fulltext.is_intact(db)


def test_the_demo_leaves_a_complete_index_and_its_triggers(db):
    """The demo loads without the triggers and indexes once at the end (fulltext.deferred)."""
    from core import demo
    demo.generate(db, dossiers=300, seed=3, today=dt.date(2025, 6, 30))
    assert fulltext.is_intact(db)
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                         "AND name LIKE 'dossiers_fts_%'")}
    assert triggers == {"dossiers_fts_inserted", "dossiers_fts_deleted", "dossiers_fts_changed",
                        "dossiers_fts_unit_code_final"} | {
        f"dossiers_fts_unit_{event}_{when}" for event in ("update", "insert", "delete")
        for when in ("before", "after")}
    first, name = db.execute("SELECT id, applicant_name FROM dossiers ORDER BY id").fetchone()
    assert first in _ids(db, name, indexed=True)
    dossiers.correct_field(db, first, "applicant_name", "Ma Seo Chứ", reason="Gõ nhầm tên")
    assert _ids(db, "ma seo chu", indexed=True) == [first]


def _buffer(db) -> int | None:
    row = db.conn.execute(f"SELECT v FROM {fulltext.TABLE}_config WHERE k = 'hashsize'").fetchone()
    return row[0] if row else None


def test_a_bulk_fill_buffers_more_terms_and_puts_the_setting_back(db):
    """FTS5's buffer of pending terms is BULK_BUFFER while a bulk load runs (a million keys:
    12.97 → 7.52 s, docs/speed.md) and FTS5's default afterwards; the index is exactly the keys."""
    _office(db, 300)
    seen = []
    first_new = db.conn.execute("SELECT MAX(id) + 1 FROM dossiers").fetchone()[0]
    with transaction(db):
        with fulltext.deferred(db.conn, new_from=first_new):
            seen.append(_buffer(db))
            for k in range(50):  # loaded without the triggers, indexed at the end
                dossiers.create_dossier(db, unit_code="DG", procedure_code="P.WD2",
                                        applicant_name=f"Nguyễn Văn Mới {k}", received_at=DAY)
        rebuilt_under = _buffer(db)
    assert seen == [fulltext.BULK_BUFFER]
    assert rebuilt_under == _buffer(db) == fulltext.DEFAULT_BUFFER
    assert fulltext.is_intact(db.conn)
    with transaction(db):
        fulltext.rebuild(db.conn)
    assert _buffer(db) == fulltext.DEFAULT_BUFFER and fulltext.is_intact(db.conn)
    assert _ids(db, "Nguyễn", indexed=True) == _ids(db, "Nguyễn", indexed=False)


def _load_given(db, wrong: bool) -> None:
    """12 dossiers loaded under `deferred`, the keys of some given (as a second process would
    compute them: here the view's, or one not the view's when `wrong`), a null among them."""
    first = db.conn.execute("SELECT MAX(id) + 1 FROM dossiers").fetchone()[0]
    given: list = []
    with transaction(db):
        with fulltext.deferred(db.conn, new_from=first, given=lambda: given):
            for k in range(12):
                dossiers.create_dossier(db, unit_code="DG", procedure_code="P.WD2",
                                        applicant_name=f"Hoàng Thị Mới {k}", received_at=DAY)
            keys = [r[0] for r in db.conn.execute(
                "SELECT search_key FROM dossier_keys WHERE id >= ? ORDER BY id", [first])]
            if wrong:
                keys[9] = keys[9].replace("moi", "cu")
            given += [(first + 2, [keys[2], None, keys[4], keys[5]]), (first + 8, keys[8:10])]


def test_keys_given_for_ranges_are_indexed_the_rest_computed(db):
    """`deferred(given=…)` (fulltext.index_new): the keys given for their ranges, a null and
    the ids between and after computed by the view; the index is the view's (FTS5's check),
    and finds the new dossiers as the scan does."""
    _office(db, 30)
    _load_given(db, wrong=False)
    assert fulltext.is_intact(db.conn)
    assert len(_ids(db, "Hoàng Thị Mới", indexed=True)) == 12
    assert _ids(db, "Mới", indexed=True) == _ids(db, "Mới", indexed=False)


def test_the_fill_writes_no_segment_between_the_ranges(db, monkeypatch):
    """index_new's keys, given or computed, stay in FTS5's buffer until it is full (or the
    transaction ends): no statement of the fill opens a savepoint, at which FTS5 writes its
    buffer out as a segment (an INSERT … SELECT between the parts' ranges made one a part:
    100,000 keys in 50 ranges 0.48 → 0.87–0.98 s CPU)."""
    _office(db, 30)
    written: list[str] = []
    fill = fulltext.index_new

    def traced(conn, new_from, given=()):
        conn.set_trace_callback(lambda sql: written.append(sql) if f"{fulltext.TABLE}_data"
                                in sql else None)
        try:
            fill(conn, new_from, given)
        finally:
            conn.set_trace_callback(None)

    monkeypatch.setattr(fulltext, "index_new", traced)
    _load_given(db, wrong=False)
    assert written == []
    assert fulltext.is_intact(db.conn)


def test_a_key_given_that_is_not_the_view_s_is_caught(db):
    """A given key is indexed as given (not computed again): one that is not the view's makes
    the index disagree, which FTS5's integrity-check (and `check`, which rebuilds) find."""
    _office(db, 30)
    _load_given(db, wrong=True)
    assert not fulltext.is_intact(db.conn)
    assert not search_index(db).ok and fulltext.is_intact(db.conn)


def test_a_failed_bulk_load_leaves_the_buffer_as_it_was(db):
    _office(db, 20)
    before = _buffer(db)
    try:
        with transaction(db), fulltext.deferred(db.conn, new_from=1):
            assert _buffer(db) == fulltext.BULK_BUFFER
            raise RuntimeError("the load failed")
    except RuntimeError:
        pass
    assert _buffer(db) == before
    assert fulltext.is_intact(db.conn)
