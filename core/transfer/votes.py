"""Votes (spec 7): unit_code*, voted_at*, rating*, dossier_code, comment.

A vote has no key of its own: a row matches a stored vote with all the same fields, and
identical rows are counted, so importing a file twice adds nothing.
"""
from __future__ import annotations

from collections import Counter

from core import facts, validation
from core.transfer.base import Column, Kind, Record, placeholders
from core.transfer.cells import bounded, enum, time_value
from core.transfer.payments import check_not_future, dossier_ids, report_unknown_dossiers
from db.schema import RATINGS

MATCH_SQL = """
SELECT COUNT(*) FROM votes WHERE unit_code = ? AND voted_at = ? AND rating = ?
AND dossier_id IS ? AND COALESCE(comment, '') = COALESCE(?, '') AND id <= ?
"""


class Votes(Kind):
    name = "votes"
    label = "phiếu đánh giá"
    columns = (Column("unit_code", bounded("unit_code"), True), Column("voted_at", time_value, True),
               Column("rating", enum(RATINGS), True), Column("dossier_code", bounded("dossier_code")),
               Column("comment", bounded("comment")))

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

    def check_chunk(self, records: list[Record]) -> None:
        """Known dossiers only, and one vote per dossier (as the window checks).

        A stored vote identical to the row is the same vote imported again, not a second one.
        """
        found = report_unknown_dossiers(self.db, records)
        ids = sorted({found[r["dossier_code"]] for r in records if r.value("dossier_code") in found})
        stored: dict[int, set] = {}
        for dossier_id, *key in self.db.execute(
                "SELECT dossier_id, unit_code, voted_at, rating, COALESCE(comment, '') FROM votes "
                f"WHERE dossier_id IN ({placeholders(ids)})", ids) if ids else ():
            stored.setdefault(dossier_id, set()).add(tuple(key))
        for record in records:
            dossier_id = found.get(record.value("dossier_code"))
            if dossier_id not in stored:
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
            stored = conn.execute(MATCH_SQL, [*key, self.baseline]).fetchone()[0]
            if stored > self.matched[key]:
                self.matched[key] += 1
                counts["unchanged"] += 1
                continue
            counts["added"] += 1
            if write:
                conn.execute("INSERT INTO votes(unit_code, voted_at, rating, dossier_id, comment, "
                             "source) VALUES (?, ?, ?, ?, ?, 'import')", list(key))
                facts.count_vote(conn, key[0], key[1], key[2], +1)
        return counts

    def export_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM votes").fetchone()[0]

    def export_rows(self):
        yield from self.db.conn.cursor().execute(
            "SELECT v.unit_code, v.voted_at, v.rating, d.code, v.comment FROM votes v "
            "LEFT JOIN dossiers d ON d.id = v.dossier_id ORDER BY v.id")
