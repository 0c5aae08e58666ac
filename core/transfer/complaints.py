"""Complaints (phản ánh, kiến nghị) about dossiers, MotCua's own kind (issue 17; spec 5.1 counts
them in the 766 satisfaction figure): dossier_code*, received_at*, channel*, content*,
resolution, resolved_at; then cancelled_at, cancel_reason, cancelled_by (core.transfer.
cancellation), so an exported complaint comes back whole.

A complaint has no key of its own: a row matches a stored complaint of the same dossier with
the same time, channel and content (the n-th identical row the n-th identical complaint, as
votes do), so importing a file twice adds nothing. A matched row may add or change the
resolution and cancel the complaint; a cancelled one stays as it is (core.complaints' rule).
"""
from __future__ import annotations

from collections import Counter

from core import complaints, facts, validation
from core.moment import counted_unit_sql
from core.transfer import cancellation
from core.transfer.base import Column, Kind, Record, placeholders
from core.transfer.cells import bounded, enum, time_value
from core.transfer.payments import check_not_future, dossier_ids, report_unknown_dossiers
from db import actor
from db.schema import COMPLAINT_CHANNELS

MATCH_SQL = """
SELECT id, resolution, resolved_at, cancelled_at FROM complaints WHERE dossier_id = ?
AND received_at = ? AND channel = ? AND content = ? AND id <= ? ORDER BY id
"""


class Complaints(Kind):
    name = "complaints"
    label = "phản ánh, kiến nghị"
    columns = (Column("dossier_code", bounded("dossier_code"), True),
               Column("received_at", time_value, True),
               Column("channel", enum(COMPLAINT_CHANNELS), True),
               Column("content", bounded("content"), True),
               Column("resolution", bounded("resolution")), Column("resolved_at", time_value))
    extra_columns = cancellation.COLUMNS

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.baseline = db.execute("SELECT COALESCE(MAX(id), 0) FROM complaints").fetchone()[0]
        self.matched: Counter = Counter()
        self.latest = validation.latest_time()

    def check_row(self, record: Record) -> None:
        check_not_future(record, "received_at", self.latest)
        check_not_future(record, "resolved_at", self.latest)
        if record.has("received_at", "resolved_at") and record["resolved_at"] < record["received_at"]:
            record.error("resolved_at", f"giải quyết trước khi nhận phản ánh (received_at là "
                                        f"{record['received_at']})")
        if record.has("resolved_at") and not record.value("resolution"):
            record.error("resolution", "có thời điểm giải quyết thì cần ghi kết quả giải quyết",
                         value="")
        cancellation.check(record, "received_at")

    def check_chunk(self, records: list[Record]) -> None:
        """Known dossiers only, and no complaint before its dossier was received."""
        found = report_unknown_dossiers(self.db, records)
        ids = sorted(set(found.values()))
        received = dict(self.db.execute(
            f"SELECT id, received_at FROM dossiers WHERE id IN ({placeholders(ids)})",
            ids).fetchall()) if ids else {}
        for record in records:
            dossier_id = found.get(record.value("dossier_code"))
            if dossier_id is not None and record.has("received_at") \
                    and record["received_at"] < received[dossier_id]:
                record.error("received_at", f"nhận phản ánh trước khi tiếp nhận hồ sơ "
                                            f"({received[dossier_id]})")

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        ids = dossier_ids(conn, [r["dossier_code"] for r in records])
        counts: Counter = Counter()
        for record in records:
            key = (ids[record["dossier_code"]], record["received_at"], record["channel"],
                   record["content"])
            stored = conn.execute(MATCH_SQL, [*key, self.baseline]).fetchall()
            if len(stored) > self.matched[key]:
                counts[self._match(conn, record, stored[self.matched[key]], write)] += 1
                self.matched[key] += 1
            else:
                counts["added"] += 1
                if write:
                    self._insert(conn, record, key)
        if write:  # a complaint counts in its dossier's 766 facts (spec 5.1, 5.4)
            facts.refresh(self.db, sorted({ids[r["dossier_code"]] for r in records}))
        return counts

    def _match(self, conn, record: Record, stored, write: bool) -> str:
        """A stored complaint the row matches: its resolution may change, or it is cancelled."""
        complaint_id, resolution, resolved_at, cancelled = stored
        if cancelled is not None:
            return "unchanged"
        new = (record.value("resolution", resolution), record.value("resolved_at", resolved_at))
        resolve = new != (resolution, resolved_at) and record.value("resolution") is not None
        cancel = cancellation.values(record)[0] is not None
        if not (resolve or cancel):
            return "unchanged"
        if not write:
            return "updated"
        dossier_id = conn.execute("SELECT dossier_id FROM complaints WHERE id = ?",
                                  [complaint_id]).fetchone()[0]
        if resolve:
            conn.execute("UPDATE complaints SET resolution = ?, resolved_at = ? WHERE id = ?",
                         [*new, complaint_id])  # `actor` stays who recorded it
            complaints.resolved_event(conn, dossier_id, new[1], self._source())
        if cancel and cancellation.cancel_stored(conn, "complaints", complaint_id, None, record):
            self._cancelled(conn, dossier_id, record)
        return "updated"

    def _insert(self, conn, record: Record, key: tuple) -> None:
        unit = conn.execute(f"SELECT {counted_unit_sql()} FROM dossiers "
                            "WHERE id = ?", [key[0]]).fetchone()[0]
        conn.execute("INSERT INTO complaints(dossier_id, unit_code, received_at, channel, content,"
                     " resolution, resolved_at, actor, cancelled_at, cancel_reason, cancelled_by)"
                     " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     [key[0], unit, *key[1:], record.value("resolution"),
                      record.value("resolved_at"), actor.login(), *cancellation.values(record)])
        # the window's three changes, each its own line: received (with any answer), cancelled
        complaints.recorded_event(conn, key[0], key[2], key[1], self._source())
        if record.value("cancelled_at") is not None:
            self._cancelled(conn, key[0], record)

    def _cancelled(self, conn, dossier_id: int, record: Record) -> None:
        """A complaint the file cancels leaves the history line a cancellation in the window
        leaves (core.complaints), with the account importing and the file's name."""
        complaints.cancelled_event(conn, dossier_id, record.value("cancel_reason"),
                                   self._source())

    def _source(self) -> str:
        """The file a change came from, named in its history line."""
        return self.source or "tệp nhập"

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM complaints").fetchone()[0]

    def export_rows(self):
        yield from self.db.conn.cursor().execute(
            "SELECT d.code, c.received_at, c.channel, c.content, c.resolution, c.resolved_at, "
            "c.cancelled_at, c.cancel_reason, c.cancelled_by FROM complaints c "
            "JOIN dossiers d ON d.id = c.dossier_id ORDER BY c.id")
