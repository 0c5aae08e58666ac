"""The chain's schema upgrades (db.schema): version 8 chains the events already stored, after
the last event of each dossier records its audited fields (`upgrade`); version 20 verifies the
whole chain once and keeps only each hash's prefix and the marks (`shorten_all`)."""
from __future__ import annotations

import sqlite3

from db import events_codec, steps
from db.chain import AUDITED, STORED_BYTES, is_mark, links, seal, store_marks
from db.errors import DatabaseEnvironmentError


def stamp_state(conn: sqlite3.Connection) -> None:
    """Schema upgrade to 8: events written before it do not say every audited field (a receive
    event had no channel or fee; an import named the fields it changed, not their values), so
    the last event of each dossier records the dossier's audited fields as they stand, once,
    before the chain seals them. From then on `check` replays from this state."""
    state = "json_object(" + ", ".join(f"'{f}', d.{f}" for f in AUDITED) + ")"
    conn.execute(f"""
        UPDATE events SET details = json_set(COALESCE(details, '{{}}'), '$.state',
            (SELECT json({state}) FROM dossiers d WHERE d.id = events.dossier_id))
        WHERE id IN (SELECT MAX(id) FROM events GROUP BY dossier_id)""")


def upgrade(conn: sqlite3.Connection) -> None:
    """The extra step of schema version 8: give a history to a dossier that had none (so every
    dossier is vouched for), stamp the current state, chain what is stored."""
    conn.execute("INSERT INTO events(dossier_id, at, action, to_status, reason) "
                 "SELECT id, received_at, 'receive', status, 'Ghi nhận khi nâng cấp dữ liệu' "
                 "FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM events e "
                 "WHERE e.dossier_id = d.id) ORDER BY id")
    stamp_state(conn)
    seal(conn)


# ----- schema 20: the stored hashes become prefixes -------------------------------------------
SHORTEN_CHUNK = 200000  # events verified and shortened between two reports of progress
BROKEN = ("Không nâng cấp được cơ sở dữ liệu: chuỗi lịch sử xử lý đã bị đứt ở sự kiện số "
          "{event_id} của hồ sơ {code} ({what}). Tệp được giữ nguyên như trước khi nâng cấp. "
          "Hãy chạy lệnh check bằng phiên bản trước để xem chi tiết, hoặc khôi phục bản sao "
          "lưu còn nguyên vẹn.")


def shorten_all(conn, progress=None) -> None:
    """Schema 20's long step, inside the migration's transaction (whose script has dropped the
    append-only triggers and made `chain_marks`): the chain hashed once from the first event and
    checked against every stored full hash, the marks kept, every hash cut to its prefix (db.schema
    makes the triggers again after). A chain already broken is not blessed: DatabaseEnvironmentError
    with the event named, the transaction rolls back and the file is as it was. Events slipped
    in by SQL without a hash at the tail stay unsealed (no mark among them), as `seal` leaves
    them, for `check` to name; one with sealed events after it is a broken chain.
    `progress(done, total)` returning False stops it the same way."""
    state: dict = {"previous": 0, "prev": None, "unsealed": None}

    def shorten_range(low: int, high: int) -> None:
        if state["unsealed"] is None:
            _verify_range(low, high)
        if state["unsealed"] is not None:  # (a blob cannot be hashed: no unsealed one is)
            sealed = conn.execute(f"SELECT 1 FROM {events_codec.TABLE} WHERE id > ? AND id <= ? "
                                  "AND hash IS NOT NULL LIMIT 1",
                                  [max(low, state["unsealed"]), high]).fetchone()
            if sealed:
                _refuse(conn, state["unsealed"], "sự kiện chưa được niêm phong giữa chuỗi")

    def _verify_range(low: int, high: int) -> None:
        stored = conn.execute(f"SELECT id, hash FROM {events_codec.TABLE} WHERE id > ? AND "
                              "id <= ? ORDER BY id", [low, high])
        content, words = events_codec.raw_content(conn, low, high)
        chained = links(content, state["prev"], words)  # hashed as far as the events are sealed
        previous, found = state["previous"], []
        for event_id, digest in stored:
            if digest is None:  # slipped in by SQL: it stays unsealed, for `check` to name,
                state["unsealed"] = event_id  # if nothing sealed follows it
                break
            expected = next(chained)[2]
            if digest != expected:
                _refuse(conn, event_id, "mã băm không khớp nội dung hoặc sự kiện trước")
            if is_mark(event_id, previous):
                found.append((event_id, expected))
            previous, state["prev"] = event_id, expected
        state["previous"] = previous
        store_marks(conn, found)
        conn.execute(f"UPDATE {events_codec.TABLE} SET hash = substr(hash, 1, {STORED_BYTES}) "
                     "WHERE id > ? AND id <= ?", [low, high])

    steps.by_id_ranges(conn, events_codec.TABLE, SHORTEN_CHUNK, shorten_range, progress)


def _refuse(conn, event_id: int, what: str):
    row = conn.execute("SELECT d.code FROM event_rows e JOIN dossiers d ON d.id = e.dossier_id "
                       "WHERE e.id = ?", [event_id]).fetchone()
    raise DatabaseEnvironmentError(BROKEN.format(event_id=event_id, code=row[0] if row else
                                                 "(không rõ)", what=what), "broken")
