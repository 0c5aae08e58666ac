"""The history check at every start, quick on a big database (spec 10, issue 15 §2).

The full check (core.maintenance.audit, the `check` command) re-hashes every event and replays
every dossier: about 8 s for 200,000 dossiers, 40 s for a million. At start the window wants an
answer within seconds, so after a check that found everything intact a checkpoint is kept in
the settings (`audit.checkpoint`): the last event verified (id, hash), how many events up to
it, and per bucket of 256 dossier ids a BLAKE2b digest of their ids, codes and audited fields.
The next start then checks:

1. the checkpoint's event still has its hash (the stored prefix of the checkpoint's full hash)
   and no event up to it is missing (one count);
2. the events written since, link by link from that hash;
3. the chain ends at the head the writers recorded (audit_rows.verify_head);
4. every bucket of dossiers is digested again (SQLite concatenates, Python hashes a bucket at a
   time): a bucket whose digest changed (an ordinary write, or an edit of a stored field by
   SQL) or whose dossiers have new events is replayed against its events, and the earlier
   events of those dossiers are re-hashed, with the link to the event after each: from the
   nearest mark before each (db.chain keeps a prefix of each hash, a full one in 1,024);
5. the ledger of payments, votes, waits and extensions, in full (audit_rows.verify_rows).

What it does not re-read: the old events of dossiers whose stored fields did not change. An
edit of such an event needs the triggers dropped (the opening check refuses the changed
schema) or disabled in the sqlite3 tool, and changes no figure; the window re-hashes the whole
chain right after, in the background (`verify_chain`), and `check` does it too. A checkpoint
edited by hand can hide an edit from the first step only, never from the full chain pass.
"""
from __future__ import annotations

import bisect
import hashlib
import json
import sqlite3
from collections.abc import Callable

from core.maintenance import audit, audit_rows
from core.maintenance.inspect import Finding
from db import chain, events_codec, ledger, stored_json
from db.chain import AUDITED
from db.connection import DatabaseEnvironmentError, transaction

KEY = "audit.checkpoint"
BITS = 8  # 256 dossiers a bucket: what a changed bucket costs to replay


def row_text(value: Callable[[str], str] = str) -> str:
    """A dossier's id, code and audited fields as one text, one C call a row (db.ledger.row_sql),
    each column given by `value` (db.ledger.read)."""
    return f"json_array(id, {', '.join(map(value, ('code', *AUDITED)))})"


Progress = Callable[[int, int], bool]
# The events of a range of dossiers up to the checkpoint (by the index on dossier_id: an ORDER BY
# id would walk the whole table instead, 1.7 s for 200 buckets at 200k)
OLD_EVENTS_SQL = "SELECT id FROM {table} WHERE dossier_id BETWEEN ? AND ? AND id <= ?"

def _quiet(done: int, total: int) -> bool:
    return True


def digests(db, progress: Progress = _quiet) -> dict[int, str]:
    """Per bucket of dossier ids, the digest of its dossiers' audited fields (a rowid range is
    read in id order, so the concatenation is the same for the same rows)."""
    top = db.execute("SELECT COALESCE(MAX(id), 0) FROM dossiers").fetchone()[0]
    out: dict[int, str] = {}
    for bucket in range((top >> BITS) + 1):
        text = ledger.read(db, _bucket_sql, _bounds(bucket), lambda rows: rows.fetchone()[0])
        if text is not None:
            out[bucket] = hashlib.blake2b(text, digest_size=12).hexdigest()
        if bucket % 256 == 0:
            progress(bucket, (top >> BITS) + 1)
    return out


def _bucket_sql(value: Callable[[str], str]) -> str:
    """A bucket's rows joined, read as the bytes SQLite holds (db.ledger.as_bytes: the UTF-8 of
    every text MotCua writes, the digest it always had; a field edited by SQL into a BLOB or
    into bytes that are no UTF-8 changes the digest, where it stopped the start-up on «JSON
    cannot hold BLOB values» / «Could not decode to UTF-8»: the bucket is replayed and named)."""
    return (f"SELECT {ledger.as_bytes(f'group_concat({row_text(value)}, char(30))')} "
            "FROM dossiers WHERE id BETWEEN ? AND ?")


def _bounds(bucket: int) -> list[int]:
    return [bucket << BITS, ((bucket + 1) << BITS) - 1]


def stored(db) -> dict | None:
    text = ledger.setting(db, KEY)
    try:
        value = stored_json.loads(text) if text is not None else None
        if not (isinstance(value, dict) and {"event", "count", "dossiers"} <= value.keys()):
            return None
        event_id, digest = value["event"]
        value["event"], value["count"] = [int(event_id), bytes.fromhex(digest).hex()], int(value["count"])
        value["dossiers"] = {int(bucket): str(text) for bucket, text in value["dossiers"].items()}
        return value
    except (ValueError, TypeError, AttributeError):
        return None  # not what MotCua writes: the full check runs


def quick_findings(db, progress: Progress = _quiet) -> tuple[list[Finding], dict | None]:
    """(findings, the checkpoint to keep when all is well). Without a usable checkpoint, or
    when the checkpoint's event no longer holds, this is the full check."""
    if audit.head_column_missing(db):
        return audit.audit_findings(db), None
    with audit.snapshot(db):
        point = stored(db)
        now = digests(db, progress)  # compared with the checkpoint, and kept as the next one
        quick = point is not None and _point_holds(db, point)
        found = ledger.read_again_lenient(db, lambda: (  # (audit.audit_findings)
            _since(db, point, now) if point is not None and quick
            else audit.audit_findings(db, progress)))
        if not all(f.ok for f in found):
            return found, None
        return found + [_said(quick)], _new_point(db, now)


def _said(quick: bool) -> Finding:
    return Finding(True, "Kiểm tra nhanh từ lần kiểm tra trước (mốc đã lưu)." if quick
                   else "Đã kiểm tra toàn bộ lịch sử và lưu mốc cho lần sau.")


def _point_holds(db, point: dict) -> bool:
    event_id, digest = point["event"]
    row = db.execute("SELECT hash FROM events WHERE id = ?", [event_id]).fetchone()
    if row is None or row[0] is None or row[0] != bytes.fromhex(digest)[:chain.width(db)]:
        return False
    return _upto(db, event_id) == point["count"]


def _upto(db, event_id: int) -> int:
    """How many events up to `event_id`: all (counted on the small index) minus the recent
    ones, rather than a walk through the big rows of the table."""
    total = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    return total - db.execute("SELECT COUNT(*) FROM events WHERE id > ?", [event_id]).fetchone()[0]


def _since(db, point: dict, now: dict[int, str]) -> list[Finding]:
    event_id, digest = point["event"]
    broken = audit.first_break(db, event_id, bytes.fromhex(digest))
    chain = (Finding(True, "Chuỗi lịch sử xử lý nguyên vẹn.") if broken is None else
             Finding(False, f"Chuỗi lịch sử bị đứt ở sự kiện số {broken[0]} của hồ sơ "
                            f"{broken[1] or '(không rõ)'}: {broken[2]}."))
    buckets = sorted({b for b in now.keys() | point["dossiers"].keys()
                      if now.get(b) != point["dossiers"].get(b)} | _touched(db, event_id))
    ranges = [(b << BITS, ((b + 1) << BITS) - 1) for b in buckets]
    return audit.once([chain, audit_rows.verify_head(db), _old_events(db, ranges, event_id),
                       audit.verify_fields(db, ranges), *audit_rows.verify_rows(db)])


def _touched(db, event_id: int) -> set[int]:
    """Buckets of the dossiers that have events written since the checkpoint."""
    return {row[0] for row in db.execute(
        f"SELECT DISTINCT dossier_id >> {BITS} FROM events WHERE id > ?", [event_id])}


def _old_events(db, ranges: list, upto: int) -> Finding:
    """The events (up to the checkpoint) of the dossiers replayed again: each still has the
    hash of its content and of the event before it, and the next event still points at it.
    An event keeps only a prefix of its hash (db.chain), so the chain is hashed again from the
    nearest mark before each such event (at most 1,024 events; one pass for all the events
    after the same mark), every link on the way checked."""
    sql = OLD_EVENTS_SQL.format(table=events_codec.table(db))
    wanted = sorted({row[0] for lo, hi in ranges for row in db.execute(sql, [lo, hi, upto])})
    for mark, full, last in _segments(db, wanted):
        broken = audit.first_break(db, mark, full, upto=min(last + 1, upto))
        if broken is not None:
            return Finding(False, f"Chuỗi lịch sử bị đứt ở sự kiện số {broken[0]} của hồ sơ "
                                  f"{broken[1] or '(không rõ)'}: {broken[2]}.")
    return Finding(True, f"Các sự kiện cũ của {len(ranges)} nhóm hồ sơ có thay đổi vẫn khớp mã băm.")


def _segments(db, wanted: list[int]) -> list[tuple[int, bytes | None, int]]:
    """(mark id, its full hash, last wanted event after it) for the wanted events (in id
    order), each after the nearest mark before it ((0, None): from the first event)."""
    marks = sorted(chain.marks(db).items())
    ids = [event_id for event_id, _full in marks]
    out: list[tuple[int, bytes | None, int]] = []
    for event_id in wanted:
        at = bisect.bisect_left(ids, event_id) - 1  # the mark strictly before: its link is checked
        mark, full = marks[at] if at >= 0 else (0, None)
        if out and out[-1][0] == mark:
            out[-1] = (mark, full, event_id)
        else:
            out.append((mark, full, event_id))
    return out


def _new_point(db, now: dict[int, str]) -> dict | None:
    top = chain.head(db)  # the full hash: the next quick check chains on from it
    if top is None:
        return None
    return {"event": [top[0], top[1].hex()], "count": _upto(db, top[0]),
            "dossiers": {str(b): d for b, d in now.items()}}


def keep(db, point: dict | None) -> None:
    """Store the checkpoint of an intact check; a database opened read-only keeps none (the
    next start checks in full again, nothing else changes)."""
    if point is None:
        return
    try:
        with transaction(db) as conn:
            conn.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                         [KEY, json.dumps(point, separators=(",", ":"))])
    except (sqlite3.Error, DatabaseEnvironmentError, OSError):
        pass  # only a shortcut for the next start: without it that start checks in full


def start_check(db, progress: Progress = _quiet) -> list[Finding]:
    """What the window runs at start: the quick check, keeping its checkpoint when all is well."""
    found, point = quick_findings(db, progress)
    keep(db, point)
    return found
