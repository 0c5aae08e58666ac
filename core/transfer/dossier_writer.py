"""Writing imported dossiers: upsert by code, their waits, extension and event, then facts.

A row that changes nothing writes nothing (no event, no updated_at). A `due_at` equal to the
due time the procedure's limit gives (spec 2.2) is stored as NULL, "no explicit due time", so
that an export, which always fills due_at, imports again unchanged.
"""
from __future__ import annotations

from collections import Counter

from core import facts, fees, history, timefmt
from core.calendar import load_calendar
from core.due import statutory_due
from core.rules import ProcedureHistory
from core.timefmt import parse_db_time, to_db_time
from core.transfer import day_only
from core.transfer.base import ABSENT, Record, changed_fields, merged, placeholders
from db import actor as actors
from db import ledger
from db.batches import in_chunks
from db.connection import inserted_id
from db.moments import stored_values, to_stored

FIELDS = {"unit_code": None, "procedure_code": None, "applicant_name": None,
          "applicant_phone": None, "applicant_address": None, "channel": None,
          "received_at": None, "status": None, "due_at": None, "finished_at": None,
          "returned_at": None, "extended_due_at": None, "fee": None, "e_result": 0,
          "competent_unit_code": None, "applicant_id_no": None, "applicant_email": None,
          "representative": None, "result_delivery": None, "digitised": None,
          "result_digitised": 0}
EXTENSION_REASON = "Nhập từ tệp"
BULK = 20000
WAITS = "supplement_waits"
MIDNIGHT = "00:00:00"

Wait = tuple[str, "str | None"]


def _wait_order(wait: Wait) -> tuple[str, str]:
    return wait[0], wait[1] or "9999"


def target_waits(record: Record) -> list[Wait] | None:
    """The dossier's waits as the file gives them; None when the file says nothing of waits.

    `supplement_waits` (our export) lists them all; the spec columns describe one wait: it
    completes the listed wait requested at the same time, or is added after them.
    """
    requested = record.get("supplement_requested_at")
    completed = record.get("supplement_completed_at")
    listed = record.get(WAITS, ABSENT)
    if requested is ABSENT and completed is ABSENT and listed is ABSENT:
        return None
    waits = dict(listed) if listed not in (None, ABSENT) else {}
    if requested not in (None, ABSENT):
        waits[requested] = completed if completed is not ABSENT else None
    return sorted(waits.items(), key=_wait_order)


class DossierWriter:
    def __init__(self, db, source: str):
        self.db = db
        self.source = source
        self.cal = load_calendar(db)
        self.limits = {code: (value, unit, cutoff) for code, value, unit, cutoff in db.execute(
            "SELECT code, limit_value, limit_unit, same_day_cutoff FROM procedures")}
        self.history = ProcedureHistory(db)
        self.kept = fees.Kept.load(db)  # the fees kept when a procedure's fee changed
        self.now = to_db_time(timefmt.now())
        self.actor = actors.login()  # the importer: its events and extensions record it
        self.changed: list[int] = []
        self.extended: list[int] = []  # dossiers written with an extension: its moved due to fill
        self.kept_midnight: set[str] = set()  # stored dossiers whose day-only moment stays at 00:00 as stored
        self.kept_time: set[str] = set()  # stored dossiers whose time on a day-only day stays

    # ----- reading what is stored --------------------------------------------------------
    def _load(self, conn, codes: list[str]) -> dict[str, dict]:
        rows = conn.execute("SELECT id, code, " + ", ".join(FIELDS) +
                            f" FROM dossiers WHERE code IN ({placeholders(codes)})", codes)
        return {row[1]: {"id": row[0], **dict(zip(FIELDS, row[2:], strict=True))} for row in rows}

    def _load_waits(self, conn, ids: list[int]) -> dict[int, list[tuple[str, str | None, str | None]]]:
        out: dict[int, list] = {i: [] for i in ids}
        for dossier_id, requested, completed, reason in conn.execute(
                "SELECT dossier_id, requested_at, completed_at, reason FROM supplements "
                f"WHERE dossier_id IN ({placeholders(ids)}) ORDER BY requested_at, id", ids):
            out[dossier_id].append((requested, completed, reason))
        return out

    def _load_extensions(self, conn, ids: list[int]) -> dict[int, str]:
        return dict(conn.execute("SELECT dossier_id, new_due_at FROM extensions "
                                 f"WHERE dossier_id IN ({placeholders(ids)})", ids).fetchall())

    def statutory(self, values: dict) -> str:
        code, received = values["procedure_code"], values["received_at"]
        limit = self.history.limit(code, to_db_time(parse_db_time(received)), self.limits[code])
        received_at = parse_db_time(received)  # the rules of its reception day (spec 2.1)
        return to_db_time(statutory_due(self.cal.governing(received_at), received_at, limit))

    def normal_due(self, values: dict) -> str | None:
        """The due time to store: None when it is the statutory one — also when the file gives
        it to the minute (dd/MM/yyyy HH:mm, seconds 00) in the statutory due's minute (a
        provincial export of MotCua's own dossiers set a fixed due on each, 07:33:18 became
        07:33:00, and "cập nhật" 83 of 90 dossiers the reconciliation found equal; walk33)."""
        due = values["due_at"]
        if due is None:
            return None
        statutory = self.statutory(values)
        to_minute = due[16:] in ("", ":00") and due[:16] == statutory[:16]
        return None if due == statutory or to_minute else due

    # ----- the upsert --------------------------------------------------------------------
    def apply(self, conn, records: list[Record], write: bool) -> Counter:
        old = self._load(conn, [r["code"] for r in records])
        ids = [o["id"] for o in old.values()]
        waits = self._load_waits(conn, ids) if ids else {}
        extensions = self._load_extensions(conn, ids) if ids else {}
        counts: Counter = Counter()
        for record in records:
            before = old.get(record["code"])
            new = merged(record, before, FIELDS)
            if before is not None and self._keep_midnight(record, before, new):
                self.kept_midnight.add(record["code"])
            if before is not None and self._keep_time(record, before, new):
                self.kept_time.add(record["code"])
            if before is not None:
                self._keep_seconds(before, new)
            if new["fee"] is None:  # empty: the procedure's fee at its reception (core.fees)
                new["fee"] = self.kept.fee_at(str(new["procedure_code"]),
                                              to_db_time(parse_db_time(str(new["received_at"]))))
            new["due_at"] = self.normal_due(new)
            if new["competent_unit_code"] == new["unit_code"]:  # spec 7: empty = receiving unit
                new["competent_unit_code"] = None
            compared = None if before is None else {**before, "due_at": self.normal_due(before)}
            plan = _Plan(record, before, compared, new, waits, extensions)
            if plan.kept_midnight:
                self.kept_midnight.add(record["code"])
            counts[plan.outcome] += 1
            if write and plan.outcome != "unchanged":
                self.changed.append(self._write(conn, plan))
        return counts

    @staticmethod
    def _keep_midnight(record: Record, before: dict, new: dict) -> bool:
        """A moment the file gives as a day alone, stored at 00:00 of that same day (by a version
        before core.transfer.day_only's rule, which read such a day as midnight), is kept as
        stored: it was the file's day, and moving it would move figures of periods already
        reported. Whether any was kept (the import says how many dossiers)."""
        kept = False
        for name in getattr(record, "day_only", ()):
            stored = before.get(name)
            if isinstance(stored, str) and stored[11:] == MIDNIGHT and \
                    isinstance(new.get(name), str) and new[name][:10] == stored[:10] and \
                    new[name] != stored:
                new[name] = stored
                kept = True
        return kept

    @staticmethod
    def _keep_time(record: Record, before: dict, new: dict) -> bool:
        """A moment the file gives as a day alone, stored at a time of that same day, keeps its
        time: the file says the day, the clerk recorded the time (a provincial export of days
        imported to add the dossiers a commune lacked moved every finish it had to the end of
        the day, and a dossier due at noon became late). Kept only while the row's order holds
        with the file's other moments (core.transfer.day_only.BEFORE/FOLLOW). Whether any was."""
        kept = False
        for name in getattr(record, "day_only", ()):
            stored, moment = before.get(name), new.get(name)
            if not (isinstance(stored, str) and isinstance(moment, str)) or stored == moment \
                    or stored[:10] != moment[:10] or stored[11:] == MIDNIGHT:
                continue
            if _in_order(name, stored, new):
                new[name] = stored
                kept = True
        return kept

    @staticmethod
    def _keep_seconds(before: dict, new: dict) -> None:
        """A moment the file gives to the minute (dd/MM/yyyy HH:mm, the provincial exports'
        form: seconds 00) within the minute stored keeps the stored seconds: the file cannot
        say them (07:52:43 became 07:52:00, the due time moved and each dossier was "cập
        nhật" with an event). Kept while the row's order holds."""
        for name in day_only.FIELDS:
            stored, moment = before.get(name), new.get(name)
            if isinstance(stored, str) and isinstance(moment, str) and stored != moment and \
                    moment[16:] in ("", ":00") and stored[:16] == moment[:16] and \
                    _in_order(name, stored, new):
                new[name] = stored

    def refresh(self) -> None:
        """Due times and figures of the written dossiers, once all are written.

        When the file is most of the database, recomputing everything is quicker (one pass
        writing each kpi row once) than moving each dossier's figures one by one.
        """
        if not self.changed:
            return
        total = self.db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
        if len(self.changed) > BULK and 2 * len(self.changed) > total:
            facts.rebuild_all(self.db)
        else:
            facts.refresh(self.db, self.changed, cal=self.cal)
        self._moved_dues()

    def _moved_dues(self) -> None:
        """Each extension an import wrote (or kept on a dossier the file changed) is dated by what the
        file says (core.live_due.imported_extension_at: no later than the dossier's finish,
        its new due time, the import; never later than it was dated), and records the due time
        it moved as `extend()` does (core.live_due.extension_previous: with the supplement
        waits begun before it, as the window, the apology and the control sheet show it),
        evaluated at that moment, once the dossiers' due times and waits are written. It was
        dated at the import (`--as-of` before the import saw no extension), and stored the 2.2
        due time before the waits, which the apology's "hạn cũ" contradicted."""
        from core.live_due import extension_previous  # imported here: it reads core.moment

        conn = self.db.conn
        for chunk in in_chunks(self.extended):
            where = f"dossier_id IN ({placeholders(chunk)})"
            with ledger.changing(conn, "extensions", where, chunk):  # spec 10
                dated = [(_dated(at, reason, received, finished, new_due, self.now), dossier_id)
                         for dossier_id, at, reason, new_due, received, finished in conn.execute(
                             "SELECT e.dossier_id, e.extended_at, e.reason, e.new_due_at, "
                             "d.received_at, d.finished_at FROM extensions e JOIN dossiers d "
                             f"ON d.id = e.dossier_id WHERE e.{where}", chunk)]
                conn.executemany("UPDATE extensions SET extended_at = ?, previous_due_at = ? "
                                 "WHERE dossier_id = ?",
                                 [(at, extension_previous(self.db, dossier_id, parse_db_time(at),
                                                          self.cal), dossier_id)
                                  for at, dossier_id in dated])

    def _write(self, conn, plan: _Plan) -> int:
        new = plan.new
        if plan.before is None:
            # the rows, moments as seconds: the view's lastrowid is not the new row's
            dossier_id = inserted_id(conn.execute(
                "INSERT INTO dossier_rows(code, " + ", ".join(FIELDS) + ", created_at, updated_at) "
                f"VALUES (?, {placeholders(FIELDS)}, ?, ?)",
                [plan.record["code"], *self._stored(new), to_stored(self.now),
                 to_stored(self.now)]))
            self._event(conn, dossier_id, None, new, None)
        else:
            dossier_id = plan.before["id"]
            conn.execute("UPDATE dossier_rows SET " + ", ".join(f"{f} = ?" for f in FIELDS) +
                         ", updated_at = ? WHERE id = ?",
                         [*self._stored(new), to_stored(self.now), dossier_id])
            self._event(conn, dossier_id, plan.before["status"], new, plan.changed_fields)
        if plan.waits is not None and not plan.waits_same:
            self._replace_waits(conn, dossier_id, plan.waits, plan.old_waits)
        if not plan.extension_same:
            self._write_extension(conn, dossier_id, new, plan.extension)
        elif plan.extension is not None:  # kept: the waits or the reception it moved may change
            self.extended.append(dossier_id)
        return dossier_id

    @staticmethod
    def _stored(new: dict) -> list:
        return stored_values(FIELDS, [new[f] for f in FIELDS])

    def _event(self, conn, dossier_id: int, before: str | None, new: dict,
               fields: list[str] | None) -> None:
        """The import event; its details carry the audited fields as written (core.history)."""
        reason = (f"Nhập từ tệp {self.source}" if fields is None
                  else f"Cập nhật từ tệp {self.source}")
        details: dict = {"state": history.state_details(new)}
        if fields is not None:
            details["fields"] = fields
        history.record(conn, dossier_id, self.now, self.actor, "import", before, new["status"], reason,
                       details)

    def _replace_waits(self, conn, dossier_id: int, waits: list[Wait], old: list) -> None:
        reasons = {requested: reason for requested, _, reason in old}
        with ledger.changing(conn, "supplements", "dossier_id = ?", [dossier_id]):  # spec 10
            conn.execute("DELETE FROM supplements WHERE dossier_id = ?", [dossier_id])
            for requested, completed in waits:
                conn.execute("INSERT INTO supplements(dossier_id, requested_at, completed_at, reason) "
                             "VALUES (?, ?, ?, ?)", [dossier_id, requested, completed, reasons.get(requested)])

    def _write_extension(self, conn, dossier_id: int, new: dict, stored: str | None) -> None:
        with ledger.changing(conn, "extensions", "dossier_id = ?", [dossier_id]):  # spec 10
            self._extension(conn, dossier_id, new, stored)

    def _extension(self, conn, dossier_id: int, new: dict, stored: str | None) -> None:
        extended = new["extended_due_at"]
        if extended is None:
            conn.execute("DELETE FROM extensions WHERE dossier_id = ?", [dossier_id])
            return
        self.extended.append(dossier_id)
        # its moment (by what the file says) and the due it moved are filled by _moved_dues;
        # the event keeps the import's own time
        if stored is None:
            conn.execute("INSERT OR REPLACE INTO extensions(dossier_id, extended_at, previous_due_at, "
                         "new_due_at, reason, actor) VALUES (?, ?, NULL, ?, ?, ?)",
                         [dossier_id, self.now, extended, EXTENSION_REASON, self.actor])
        else:
            conn.execute("UPDATE extensions SET new_due_at = ? WHERE dossier_id = ?",
                         [extended, dossier_id])


def _dated(at: str, reason: str, received: str, finished: str | None, new_due: str,
           now: str) -> str:
    """An imported extension's moment: by what the file says (core.live_due
    .imported_extension_at), never later than it was dated. One recorded at the counter (or
    brought by an exchange package with its office's reason) keeps its own moment, the one its
    event and the apology slip give: a file cannot say it, only bound it."""
    from core.live_due import imported_extension_at  # imported here: it reads core.moment

    if reason != EXTENSION_REASON:
        return at
    return imported_extension_at(received, finished, new_due, now, dated=at)


def _in_order(name: str, moment: str, new: dict) -> bool:
    """Whether `moment` as `name` keeps the row's order with its other moments (`new`)."""
    return all(not isinstance(new.get(b), str) or new[b] <= moment
               for b in day_only.BEFORE.get(name, ())) and \
        all(not isinstance(new.get(f), str) or moment <= new[f]
            for f in day_only.FOLLOW.get(name, ()))


def _midnight_waits(target: list[Wait], stored: list[Wait], days) -> list[Wait] | None:
    """`stored` when the file's waits differ from it only by moments the file gave as a day
    alone (`days`) that are stored at 00:00 of that day (DossierWriter._keep_midnight)."""
    if len(target) != len(stored):
        return None
    for new, old in zip(target, stored, strict=True):
        for moment, was in zip(new, old, strict=True):
            if moment != was and not (moment in days and isinstance(was, str) and
                                      isinstance(moment, str) and was[11:] == MIDNIGHT and
                                      was[:10] == moment[:10]):
                return None
    return stored


class _Plan:
    """What one row changes: the dossier's fields, its waits, its extension."""

    def __init__(self, record: Record, before: dict | None, compared: dict | None, new: dict,
                 waits: dict, extensions: dict):
        self.record, self.before, self.new = record, before, new
        self.waits = target_waits(record)
        dossier_id = before["id"] if before else None
        self.old_waits = waits.get(dossier_id, [])
        stored = sorted(((r, c) for r, c, _ in self.old_waits), key=_wait_order)
        self.kept_midnight = False
        if self.waits is not None and self.waits != stored and \
                (kept := _midnight_waits(self.waits, stored, getattr(record, "wait_days", ()))):
            self.waits, self.kept_midnight = kept, True
        self.waits_same = self.waits is None or self.waits == stored
        self.extension = extensions.get(dossier_id)
        self.extension_same = (record.get("extended_due_at") is ABSENT
                               or self.extension == new["extended_due_at"])
        if before is None:
            self.changed_fields = list(FIELDS)
            self.outcome = "added"
            return
        # `compared` has the stored due_at normalised like the file's: an explicit due time
        # equal to the computed one means the same as none.
        assert compared is not None  # set exactly when `before` is
        self.changed_fields = changed_fields(compared, new)
        self.changed_fields += [name for name, same in (("supplements", self.waits_same),
                                                        ("extension", self.extension_same)) if not same]
        same = not self.changed_fields
        self.outcome = "unchanged" if same else "updated"
