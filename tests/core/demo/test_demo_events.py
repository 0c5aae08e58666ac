"""The demo's events, made with each dossier in the generating process and chained by the
writer (core.demo.events, db.chain.append_tails): the chain verifies and replays to the
dossiers, and the pre-encoded path hashes exactly the bytes `content_hash` does."""
from __future__ import annotations

import datetime as dt
from json.encoder import encode_basestring

from core import demo
from core.database import open_database
from core.demo.events import tail
from core.maintenance import audit, audit_rows
from db import chain
from db.connection import transaction


def test_a_demo_chain_verifies_and_replays_to_its_dossiers(tmp_path):
    db = open_database(tmp_path / "demo.db")
    demo.generate(db, dossiers=400, seed=3, today=dt.date(2026, 5, 29))
    assert audit.first_break(db) is None
    assert audit.verify_fields(db).ok
    # its votes' origins, stamped before their sums were added, vouched for (db.ledger.WHEN_SET)
    assert db.execute("SELECT COUNT(*) FROM votes WHERE origin IS NULL").fetchone()[0] == 0
    assert [f.ok for f in audit_rows.verify_rows(db)] == [True]
    actions = {r[0] for r in db.execute("SELECT DISTINCT action FROM events")}
    assert {"receive", "payment", "start_processing", "finish", "return_result"} <= actions
    # every dossier's history starts with its reception, in order of time
    first = db.execute("SELECT e.action, e.at = d.received_at FROM events e JOIN dossiers d "
                       "ON d.id = e.dossier_id WHERE e.id IN "
                       "(SELECT MIN(id) FROM events GROUP BY dossier_id)").fetchall()
    assert len(first) == 400 and set(first) == {("receive", 1)}
    db.close()


def _bare_dossier(path):
    """A database holding one bare dossier row (id 7): no facts, no events, on purpose."""
    db = open_database(path)
    db.execute("INSERT INTO units(code, name, level) VALUES ('U1', 'Xã Một', 'commune')")
    db.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) "
               "VALUES ('P1', 'Thủ tục', 1, 'working_days')")
    db.execute("INSERT INTO dossiers(id, code, unit_code, procedure_code, applicant_name, "
               "channel, received_at, status) VALUES (7, 'U1-250101-0001', 'U1', 'P1', "
               "'Nguyễn Văn Ánh', 'direct', '2025-01-02 08:00:00', 'received')")
    return db


def test_append_hashes_what_content_hash_hashes(tmp_path):
    db = _bare_dossier(tmp_path / "raw.db")
    contents = [("U1-250101-0001", "2025-01-02 08:00:00", "clerk", "receive", None, "received",
                 None, '{"channel":"direct","fee":null,"due_at":null}'),
                ("U1-250101-0001", "2025-01-02 09:00:00", "clerk", "start_processing",
                 "received", "processing", "Lý do \"có\" dấu", None)]
    with transaction(db) as conn:
        chain.append(conn, [(7, *c) for c in contents])
    stored = [r[0] for r in db.execute("SELECT hash FROM events ORDER BY id")]
    first = chain.content_hash(None, *contents[0])
    second = chain.content_hash(first, *contents[1])
    assert stored == [first[:8], second[:8]]  # the prefixes of the full chain (db.chain)
    assert chain.head(db.conn) == (2, second)
    assert audit.first_break(db) is None
    db.close()


def test_the_demo_encodes_an_event_exactly_as_the_chain_does():
    """core.demo.events writes the JSON itself (one C call a value): the bytes must be those
    of db.chain.encode_tail for any text, quotes, backslashes, controls and diacritics too."""
    odd = ['Lý do "có" dấu \\ và\ttab\n', "\x00\x1f\u2028 😀", "", None]
    for reason in odd:
        for details in odd:
            for actor in ("canbo.xa", None, 'a"b'):
                fields = ("U1-250101-0001", "2025-01-02 09:00:00", actor, "extend",
                          None, "processing", reason, details)
                assert tail(encode_basestring(fields[0]), *fields[1:]) == chain.encode_tail(*fields)


def test_append_tails_chains_from_the_recorded_head(tmp_path):
    """Two bulk appends in a row continue one chain (the second starts at the first's head)."""
    db = _bare_dossier(tmp_path / "two.db")
    event = ("U1-250101-0001", "2025-01-02 08:00:00", "clerk", "receive", None, "received",
             None, '{"channel":"direct","fee":null,"due_at":null}')
    with transaction(db) as conn:
        for _ in range(2):
            chain.append_tails(conn, [7], [chain.encode_tail(*event)],
                               [[value] for value in event[1:]])
    first = chain.content_hash(None, *event)
    second = chain.content_hash(first, *event)
    assert [r[0] for r in db.execute("SELECT hash FROM events ORDER BY id")] == \
        [first[:8], second[:8]]
    assert chain.head(db.conn) == (2, second)
    assert audit.first_break(db) is None
    db.close()
