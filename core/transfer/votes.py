"""Votes (spec 7): unit_code*, voted_at*, rating*, dossier_code, comment; then MotCua's
cancelled_at, cancel_reason, cancelled_by (core.transfer.cancellation).

A vote has no key of its own: a row matches a stored vote with all the same fields, and
identical rows are counted (the n-th identical row matches the n-th identical stored vote), so
importing a file twice adds nothing. A cancelled vote is imported cancelled and counts nowhere.
"""
from __future__ import annotations

from collections import Counter

from core import facts, validation
from core.transfer import cancellation
from core.transfer.base import Column, Kind, Record, placeholders
from core.transfer.cells import bounded, enum, time_value
from core.transfer.payments import check_not_future, dossier_ids, report_unknown_dossiers
from db import ledger, vote_origin
from db.entry_rows import new_id
from db.schema import RATINGS

MATCH_SQL = """
SELECT id, cancelled_at FROM votes WHERE unit_code = ? AND voted_at = ? AND rating = ?
AND dossier_id IS ? AND COALESCE(comment, '') = COALESCE(?, '') AND id <= ? ORDER BY id
"""


class Votes(Kind):
    name = "votes"
    label = "phiếu đánh giá"
    columns = (Column("unit_code", bounded("unit_code"), True), Column("voted_at", time_value, True),
               Column("rating", enum(RATINGS), True), Column("dossier_code", bounded("dossier_code")),
               Column("comment", bounded("comment")))
    extra_columns = cancellation.COLUMNS

    def __init__(self, db, present, source=""):
        super().__init__(db, present, source)
        self.units = {r[0] for r in db.execute("SELECT code FROM units")}
        self.baseline = db.execute("SELECT COALESCE(MAX(id), 0) FROM votes").fetchone()[0]
        self.matched: Counter = Counter()
        self.latest = validation.latest_time()
        self.voted: dict[str, int] = {}  # dossier code -> the row of the file that votes for it

    def check_row(self, record: Record) -> None:
        unit = record.value("unit_code")
        if unit is not None and unit not in self.units:
            record.error("unit_code", f"không có đơn vị mã '{unit}' trong cơ sở dữ liệu")
        check_not_future(record, "voted_at", self.latest)
        code = record.value("dossier_code")
        if code is not None and code in self.voted:
            record.error("dossier_code", f"{validation.VOTE_TAKEN} (dòng {self.voted[code]})")
        elif code is not None:
            self.voted[code] = record.row
        cancellation.check(record, "voted_at")

    def check_chunk(self, records: list[Record]) -> None:
        """Known dossiers only, and one vote per dossier (as the window checks).

        A stored vote identical to the row is the same vote imported again, not a second one.
        """
        found = report_unknown_dossiers(self.db, records)
        ids = sorted({found[r["dossier_code"]] for r in records if r.value("dossier_code") in found})
        stored: dict[int, set] = {}
        rated: set[int] = set()  # dossiers with a vote that counts (a cancelled one frees it)
        for dossier_id, live, *key in self.db.execute(
                "SELECT dossier_id, cancelled_at IS NULL, unit_code, voted_at, rating, "
                f"COALESCE(comment, '') FROM votes WHERE dossier_id IN ({placeholders(ids)})",
                ids) if ids else ():
            stored.setdefault(dossier_id, set()).add(tuple(key))
            if live:
                rated.add(dossier_id)
        for record in records:
            dossier_id = found.get(record.value("dossier_code"))
            if dossier_id not in rated:
                continue
            key = (record.value("unit_code"), record.value("voted_at"), record.value("rating"),
                   record.value("comment") or "")
            if key not in stored[dossier_id]:
                record.error("dossier_code", validation.VOTE_TAKEN)

    def apply_chunk(self, conn, records: list[Record], write: bool) -> Counter:
        ids = dossier_ids(conn, [r["dossier_code"] for r in records if r.has("dossier_code")])
        counts: Counter = Counter()
        for record in records:
            code = record.value("dossier_code")
            key = (record["unit_code"], record["voted_at"], record["rating"],
                   ids[code] if code else None, record.value("comment"))
            stored = conn.execute(MATCH_SQL, [*key, self.baseline]).fetchall()
            if len(stored) > self.matched[key]:
                counts[self._match(conn, record, stored[self.matched[key]], write)] += 1
                self.matched[key] += 1
                continue
            counts["added"] += 1
            if write:
                self._insert(conn, record, key)
        if write:  # a dissatisfied vote of a dossier counts in its 766 facts (spec 5.1, 5.4)
            facts.refresh(self.db, [ids[r["dossier_code"]] for r in records
                                    if r.value("dossier_code") and r["rating"] == "dissatisfied"])
        return counts

    def _match(self, conn, record: Record, stored, write: bool) -> str:
        """A stored vote the row matches: unchanged, or cancelled now if the file says so."""
        vote_id, cancelled = stored
        if cancelled is not None or cancellation.values(record)[0] is None:
            return "unchanged"
        if write:
            cancellation.cancel_stored(conn, "votes", vote_id, cancelled, record)
            unit, voted_at, rating = conn.execute("SELECT unit_code, voted_at, rating FROM votes "
                                                  "WHERE id = ?", [vote_id]).fetchone()
            facts.count_vote(conn, unit, voted_at, rating, -1)
        return "updated"

    def _insert(self, conn, record: Record, key: tuple) -> None:
        cancel = cancellation.values(record)
        conn.execute(
            "INSERT INTO votes(unit_code, voted_at, rating, dossier_id, comment, source, "
            "cancelled_at, cancel_reason, cancelled_by, actor) "
            "VALUES (?,?,?,?,?,'import',?,?,?,?)", [*key, *cancel, self.actor])
        vote_id = new_id(conn, "votes")  # through the view: not lastrowid (db.entry_rows)
        vote_origin.stamp(conn, vote_origin.here(conn), "id = ?", [vote_id])  # first here
        ledger.added(conn, "votes", "id = ?", [vote_id])  # spec 10: edits show
        if cancel[0] is None:  # a cancelled vote counts nowhere
            facts.count_vote(conn, key[0], key[1], key[2], +1)

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM votes").fetchone()[0]

    def export_rows(self):
        yield from self.db.conn.cursor().execute(
            "SELECT v.unit_code, v.voted_at, v.rating, d.code, v.comment, v.cancelled_at, "
            "v.cancel_reason, v.cancelled_by FROM votes v "
            "LEFT JOIN dossiers d ON d.id = v.dossier_id ORDER BY v.id")
