"""The tails read as stored (db.chain.quick_tails, with db.events_codec.View; fifteenth round):
each distinct details blob decoded once by the view's own SQL, each distinct word combination,
reason and code encoded once, each tail joined from those pieces. The bytes must be exactly
db.chain.tails' of the rows the view gives (tests/db/test_chain_tails.py: those are
content_hash's), for any content; a row it does not take gives None (the caller reads the
part the general way), and what it cannot encode raises as the general way does.
core.exchange.chain_jobs._part_tails, which falls back to the general way, is compared with it
over a file holding the demo's events and hostile ones: odd moments, words stored as reals and
texts, printf formats as shapes, blobs that are no coded details, text that is no UTF-8."""
from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core import demo
from core.database import open_database
from core.exchange.fastcopy import chain_jobs, partdb
from db import chain, chain_hashing, events_codec

WORDS = {1: "receive", 2: 'a "quoted" \\ word', 3: "Chờ bổ sung 😀", 4: "\x00\x1f\u2028"}
TEXT = st.one_of(st.text(), st.text(alphabet=st.characters(max_codepoint=0x3f)),
                 st.text(alphabet=st.characters(min_codepoint=0x2000, max_codepoint=0x2030)),
                 st.text(alphabet=st.characters(min_codepoint=0x10000)))
SCALAR = st.one_of(st.none(), st.integers(-2 ** 63, 2 ** 63 - 1), TEXT,
                   st.floats(allow_nan=False), st.binary(max_size=3))
WORD = st.one_of(st.none(), st.integers(0, 6), TEXT, st.sampled_from([1.0, 2.0, 0.5]),
                 st.binary(max_size=2))
# what datetime(…, 'unixepoch') writes (the only moments quick_tails is given but NULL)
MOMENT = st.one_of(st.none(), st.integers(-210866760000, 253402300799).map(
    lambda s: sqlite3.connect(":memory:").execute("SELECT datetime(?, 'unixepoch')",
                                                  [s]).fetchone()[0]))
# a stored details value: NULL, text, a number, or a blob the view decodes to `decoded`
STORED = st.one_of(st.none(), TEXT, st.integers(), st.floats(), st.binary(max_size=4))


def _general(rows, words, decoded):
    """db.chain.tails of the rows as the view gives them (the blobs' details decoded)."""
    return chain.tails(iter([(*row[:8], decoded[row[8]] if row[8].__class__ is bytes
                              else row[8]) for row in rows]), words)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 10 ** 9), SCALAR, MOMENT, WORD, WORD, WORD, WORD,
                          SCALAR, STORED), max_size=8),
       st.dictionaries(st.binary(max_size=4), SCALAR), st.booleans())
def test_quick_tails_are_the_general_ones_or_none(rows, decoded, coded):
    words = WORDS if coded else {}
    for row in rows:  # a blob's view value: the drawn one, else its text, else NULL
        if row[8].__class__ is bytes and row[8] not in decoded:
            decoded[row[8]] = None
    asked: list[bytes] = []

    def details(blob):
        asked.append(blob)
        return decoded[blob]

    try:
        expected = _general(rows, words, decoded)
    except TypeError:  # a blob where JSON holds none: the general way refuses the part
        expected = None
    if expected is None:  # quick_tails refuses it too, or leaves it to the general way
        try:
            assert chain.quick_tails(iter(rows), words, details) is None
        except (TypeError, ValueError):
            pass
        return
    got = chain.quick_tails(iter(rows), words, details)
    taken = all(row[2] is not None and float not in {w.__class__ for w in row[3:7]}
                for row in rows)
    assert (got is not None) == taken
    if got is not None:
        assert list(got[0]) == list(expected[0]) and got[1] == expected[1]
        assert len(asked) == len(set(asked))  # each distinct blob decoded once


def test_a_word_stored_as_a_real_is_not_taken_for_its_code():
    rows = [(1, "U1", "2025-01-02 09:00:00", 1, 2, None, 3, None, None),
            (2, "U1", "2025-01-02 09:00:01", 1.0, 2, None, 3, None, None)]
    assert chain.quick_tails(iter(rows[:1]), WORDS, bytes) is not None
    assert chain.quick_tails(iter(rows), WORDS, bytes) is None


def test_codes_reasons_and_details_equal_but_of_another_kind_are_encoded_apart():
    """1 and 1.0, '1' and b'1': the pieces made once are never taken for an equal value."""
    rows = [(i, code, "2025-01-02 09:00:00", 1, 1, None, None, reason, stored)
            for i, (code, reason, stored) in enumerate(
                [("A", "1", "1"), (1, 1, 1), (1.0, 1.0, 1.0), (1, "1", b"1"), ("A", None, 1),
                 (True, "x", "1"), (1, 1.0, 1), (float("nan"), float("nan"), float("nan"))], 1)]
    decoded = {b"1": "decoded"}
    got = chain.quick_tails(iter(rows), WORDS, decoded.__getitem__)
    assert got is not None
    assert got[1] == _general(rows, WORDS, decoded)[1]


def test_the_moments_datetime_writes_need_no_escape():
    conn = sqlite3.connect(":memory:")
    for seconds in (-210866760000, -62135596800, -1, 0, 86399, 951782400, 2147483648,
                    253402300799):
        text = conn.execute("SELECT datetime(?, 'unixepoch')", [seconds]).fetchone()[0]
        assert chain_hashing._ENCODE((text,)) == f'["{text}"]'
    for seconds in (-210866760001, 253402300800, 2 ** 62):  # beyond: NULL, the general way
        assert conn.execute(f"SELECT {chain.QUICK_MOMENT} FROM (SELECT ? AS at) AS r",
                            [seconds]).fetchone()[0] is None


# ----- a file: the demo's events and hostile ones ---------------------------------------------
SHAPES = ["%d|%s", "%.*s", "%c%c%c", "%q and %Q", "%w", "%z", "%!.3f %s", "%n %s", "%", "%%s",
          "%5$s", "%lld %s", "{\"a\":%s}", "plain"]
BLOBS = [b"", b"\x00", b"\x00\xff\xfe raw", b"[", b"[1", b"[1,", b"[]", b"[1]", b"[1,2,3,4,5,6,7,8,9]",
         b"[1,2,3,4,5,6,7,8,9,10]", b"[999999,1]", b"[-1,1]", b"[1.5,2]", b'["1",2]', b"[1,\"\xff\"]",
         b"\xff\xfe", b"abc", b"12abc", b"-1", b"0", b"99999999999999999999", b" 7", b"7 ",
         b'[1,{"a":[1,2]},null,true,"x\\u0000y"]', b"[1,1e400]", b"[1,-0.0,1e-7]",
         b'[1,"%s","%d"]', b"[2" + b",1" * 8 + b"]"]


def _hostile_file(path) -> list[int]:
    """A demo, then the hostile events (their ids returned), written straight to event_rows."""
    db = open_database(path)
    demo.generate(db, dossiers=40, seed=5, today=dt.date(2026, 11, 27))
    db.close()
    conn = sqlite3.connect(path)
    with conn:
        codes = []
        for shape in SHAPES:
            conn.execute("INSERT OR IGNORE INTO event_words(word) VALUES (?)", [shape])
            codes.append(conn.execute("SELECT code FROM event_words WHERE word = ?",
                                      [shape]).fetchone()[0])
        blobs = [*BLOBS, *(f"[{c},1,\"x\",2.5]".encode() for c in codes),
                 *(f"[{c},1,2,3,4,5,6,7,8]".encode() for c in codes),
                 *(str(c).encode() for c in codes),
                 *(f"[{c},1,\"".encode() + b"\xff\"]" for c in codes)]  # no UTF-8 once put back
        dossier, action = conn.execute("SELECT dossier_id, action FROM event_rows LIMIT 1"
                                       ).fetchone()
        first = conn.execute("SELECT MAX(id) FROM event_rows").fetchone()[0] + 1
        values = [(1767225600, 1, action, None, None, None, blob) for blob in blobs]
        values += [(1767225600, 1, action, None, None, reason, "text")
                   for reason in ["lý do", "", "\x00\u2028", 5, 2.5]]
        values += [(at, 1, action, None, None, None, None)
                   for at in ["2025-01-02 09:00:00", 2.5, -1, 0, 253402300799]]
        values += [(1767225600, actor, action, status, None, None, None)
                   for actor, status in [(1.0, None), ("canbo", 2), (None, 2.0), (10 ** 6, 3)]]
        conn.executemany("INSERT INTO event_rows(dossier_id, at, actor, action, from_status, "
                         "to_status, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         [(dossier, *row) for row in values])
        for reason, details in (("x'ff41'", "NULL"), ("NULL", "x'c328'")):  # text, no UTF-8
            conn.execute("INSERT INTO event_rows(dossier_id, at, actor, action, reason, "
                         f"details) VALUES (?, 1767225600, 1, ?, CAST({reason} AS TEXT), "
                         f"CAST({details} AS TEXT))", [dossier, action])
    conn.close()
    return list(range(first, first + len(values) + 2))


def _view_way(path, left):
    """The part's tails the general way (the view's details in SQL, db.chain.tails)."""
    conn = partdb._open_part(path, left)
    try:
        return chain.tails(conn.execute(
            f"SELECT r.id, d.code, {events_codec.MOMENT_SQL}, r.actor, r.action, "
            f"r.from_status, r.to_status, r.reason, {events_codec.details_sql('r')} FROM "
            "dossier_rows d JOIN event_rows r ON r.dossier_id = d.id WHERE d.id NOT IN "
            "(SELECT id FROM temp.left) ORDER BY d.id, r.id"), events_codec.words(conn))
    finally:
        conn.close()


def _outcome(make, *args):
    try:
        ids, tails = make(*args)
    except (TypeError, ValueError, sqlite3.Error) as error:
        return type(error)
    return list(ids), tails


def test_the_view_decodes_each_stored_blob_as_it_decodes_its_row(tmp_path):
    path = tmp_path / "part.db"
    _hostile_file(path)
    conn = sqlite3.connect(path)
    view = events_codec.View(conn)
    rows = conn.execute("SELECT id, details FROM event_rows WHERE typeof(details) = 'blob'"
                        ).fetchall()  # (quick_tails asks it for blobs alone)
    assert len(rows) > len(BLOBS) + 100
    compared = 0
    for event_id, stored in rows:
        try:
            expected = conn.execute(f"SELECT {events_codec.details_sql('r')} FROM event_rows r "
                                    "WHERE id = ?", [event_id]).fetchone()[0]
        except sqlite3.Error as error:  # (text that is no UTF-8: both refuse it)
            with pytest.raises(type(error)):
                view.details(stored)
            continue
        got = view.details(stored)
        assert (type(got), got) == (type(expected), expected), (event_id, stored)
        compared += 1
    assert compared > len(BLOBS) + 100
    conn.close()


@pytest.mark.parametrize("hostile", [False, True], ids=["demo", "hostile"])
def test_a_part_read_quickly_gives_the_general_ways_tails(tmp_path, hostile, monkeypatch):
    path = str(tmp_path / "part.db")
    added = _hostile_file(path)
    conn = sqlite3.connect(path)
    dossiers = [r[0] for r in conn.execute("SELECT DISTINCT dossier_id FROM event_rows WHERE "
                                           "id >= ?", [added[0]])]
    conn.close()
    left = [] if hostile else dossiers  # the demo's alone: the hostile events' dossier left
    quick: list = []
    real = chain.quick_tails

    def recording(*args):
        made = real(*args)
        quick.append(made)
        return made

    monkeypatch.setattr(chain, "quick_tails", recording)
    assert _outcome(chain_jobs._part_tails, path, left) == _outcome(_view_way, path, left)
    if hostile:  # not taken (None), or it met what the general way then refuses
        assert quick in ([], [None])
    else:  # the demo's events: taken quickly
        assert len(quick) == 1 and quick[0] is not None


def test_each_row_of_the_hostile_events_alone(tmp_path):
    """Each hostile event with the demo's of its dossier, its dossier alone copied: the same
    tails, or the same refusal, whichever way it is read."""
    path = str(tmp_path / "part.db")
    added = _hostile_file(path)
    conn = sqlite3.connect(path)
    everyone = [r[0] for r in conn.execute("SELECT id FROM dossier_rows")]
    (dossier,) = conn.execute("SELECT dossier_id FROM event_rows WHERE id = ?",
                              [added[0]]).fetchone()
    conn.close()
    left = [i for i in everyone if i != dossier]
    for event_id in added:
        one = str(tmp_path / f"one-{event_id}.db")
        source = sqlite3.connect(path)
        source.execute("VACUUM INTO ?", [one])
        source.close()
        target = sqlite3.connect(one)
        with target:
            target.execute("DROP TRIGGER events_never_deleted")
            target.execute("DELETE FROM event_rows WHERE id >= ? AND id <> ?",
                           [added[0], event_id])
        target.close()
        assert _outcome(chain_jobs._part_tails, one, left) == _outcome(_view_way, one, left), \
            event_id
