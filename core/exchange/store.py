"""Writing a package's records, inside the import's one transaction.

New dossiers go in with executemany, their events hashed into the chain on the way in
(db.chain.append: the one chaining path, the sender's event content kept as it was). A changed
dossier gets the package's later events appended; a conflict resolved "take theirs" gets the
package's missing events and one `import` event stating the fields taken, so the history still
vouches for every stored field (core.history.replay). Payments are never deleted (spec 10):
one the package does not have is cancelled, with the reason.
"""
from __future__ import annotations

import json
import operator
from collections import Counter

from core import facts, history
from core.exchange import records, taken

# the clerk's choices of conflicting records: their home is core.exchange.choices, named here
# too, where the merge, the kept-both copies and the tests have always asked for them
from core.exchange.choices import CHOICE_PREFIX as CHOICE_PREFIX
from core.exchange.choices import CHOICES_PREFIX as CHOICES_PREFIX
from core.exchange.choices import CLASH_KEPT, ChoiceBook
from core.exchange.choices import sender_key as sender_key
from core.exchange.choices import stored_choices as stored_choices
from db import chain, facts_codec, ledger, stored_json
from db.moments import stored_values

FIELD_LIST = ", ".join(records.FIELDS)
# written to the rows, moments as seconds (db.moments): the view's trigger would cost a nested
# statement a row
INSERTED = ("id", "code", *records.FIELDS, "created_at", "updated_at", *records.STORED_DERIVED)
INSERT_DOSSIER = (f"INSERT INTO dossier_rows({', '.join(INSERTED)}) VALUES "
                  f"({', '.join('?' * len(INSERTED))})")
UPDATED = (*records.FIELDS, "updated_at")
UPDATE_DOSSIER = (f"UPDATE dossier_rows SET {', '.join(f'{f} = ?' for f in UPDATED)} "
                  "WHERE id = ?")
INSERT_WAIT = ("INSERT INTO supplements(dossier_id, requested_at, completed_at, reason) "
               "VALUES (?,?,?,?)")
INSERT_EXTENSION = (f"INSERT INTO extensions(dossier_id, {', '.join(records.EXTENSION_COLUMNS)}) "
                    "VALUES (?,?,?,?,?,?)")
INSERT_PAYMENT = (f"INSERT INTO payments(dossier_id, {', '.join(records.PAYMENT_COLUMNS)}) "
                  "VALUES (?,?,?,?,?,?,?,?,?)")
INSERT_COMPONENT = (f"INSERT INTO dossier_components(dossier_id, "
                    f"{', '.join(records.COMPONENT_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?)")
INSERT_COMPLAINT = (f"INSERT INTO complaints(dossier_id, {', '.join(records.COMPLAINT_COLUMNS)}) "
                   f"VALUES ({', '.join('?' * (len(records.COMPLAINT_COLUMNS) + 1))})")
# A complaint's fate after it was received: what a later package may add to the one we hold.
RESOLVE_COMPLAINT = "UPDATE complaints SET resolution = ?, resolved_at = ? WHERE id = ?"
CANCEL_COMPLAINT = ("UPDATE complaints SET cancelled_at = ?, cancel_reason = ?, cancelled_by = ? "
                    "WHERE id = ?")
# A record's fields in the columns' order, whatever order the sender's JSON had them in.
field_values = operator.itemgetter(*records.FIELDS)
CANCEL_PAYMENT = ("UPDATE payments SET cancelled_at = ?, cancel_reason = ?, cancelled_by = ? "
                  "WHERE id = ?")


class Store:
    """The writes of one package import; `refresh` lists dossiers whose facts need computing,
    `delta` the kpi_daily marks of dossiers and votes whose facts came ready."""

    def __init__(self, conn, now: str, source: str, fast: bool, sender: str,
                 book: ChoiceBook):
        self.conn, self.now, self.source, self.fast = conn, now, source, fast
        self.sender = sender  # sender_key of the package's installation (ChoiceBook)
        self.book = book  # the operation's choices, read and made
        self.refresh: list[int] = []
        self.delta: Counter = Counter()
        self.here: list[int] = []  # the events this merge writes itself (core.actor_names)
        # the held dossiers whose fields it took (core.exchange.held_absent: the package whose
        # version stands, asked only of a dossier moved out of its unit's dates)
        self.taken: list[int] = []

    # ----- new dossiers, in bulk ---------------------------------------------------------
    def insert_new(self, batch: list[dict]) -> dict[str, int]:
        rows, waits, extensions, payments, components = [], [], [], [], []
        complaints: list[tuple] = []
        events: list[tuple] = []
        made: dict[str, int] = {}
        counted = _Counted()
        # the centre's next ids as they stand now: the SQL fast path (core.exchange.fastcopy)
        # has copied the part's other new dossiers since this Store was made (read then, they
        # were given again: "UNIQUE constraint failed: dossier_rows.id", the package refused)
        next_id = self.conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM dossiers").fetchone()[0]
        for dossier_id, record in enumerate(batch, next_id):
            code = record["code"]
            made[code] = dossier_id
            derived = self._derived(dossier_id, record, counted)
            rows.append(stored_values(INSERTED, (dossier_id, code, *field_values(record["fields"]),
                                                 self.now, self.now, *derived)))
            if record["waits"]:
                waits += [(dossier_id, *w) for w in record["waits"]]
            if record["extension"] is not None:
                extensions.append((dossier_id, *record["extension"]))
            if record["payments"]:
                payments += [(dossier_id, *p) for p in record["payments"]]
            if record["components"]:
                components += [(dossier_id, *c) for c in record["components"]]
            if record["complaints"]:
                complaints += [(dossier_id, *c) for c in record["complaints"]]
            events += [(dossier_id, code, *e) for e in record["events"]]
        self.delta.update(counted.marks)
        conn = self.conn
        conn.executemany(INSERT_DOSSIER, rows)
        conn.executemany(INSERT_WAIT, waits)
        conn.executemany(INSERT_EXTENSION, extensions)
        conn.executemany(INSERT_PAYMENT, payments)
        conn.executemany(INSERT_COMPONENT, components)
        conn.executemany(INSERT_COMPLAINT, complaints)
        if rows:  # the new dossiers' rows are vouched for in the ledger (db.ledger, spec 10)
            for table in ("supplements", "extensions", "payments"):
                ledger.added(conn, table, "dossier_id >= ?", [rows[0][0]])
        chain.append(conn, events)  # the package's events in its order
        return made

    def _derived(self, dossier_id: int, record: dict, counted: _Counted) -> tuple:
        """The sender's due time and facts when this installation would compute the same
        (equal rules fingerprints); else nothing, and the facts are computed here. Never its
        search key: computed here (db.searchtext), as every key is."""
        derived = record.get("derived")
        if self.fast and derived and derived[1]:
            try:
                full = stored_json.loads(derived[1])
                fields = record["fields"]
                stored = facts_codec.encode(full, fields.get("competent_unit_code")
                                            or fields["unit_code"], fields["received_at"],
                                            derived[0], fields.get("finished_at"))
                counted.add(full)
                return (derived[0], stored, derived[3])
            except (ValueError, KeyError, TypeError, AttributeError):
                counted.recount()  # unreadable facts: computed here instead
        self.refresh.append(dossier_id)
        return (None, None, 0)

    # ----- an existing dossier -----------------------------------------------------------
    def fast_forward(self, dossier_id: int, local: dict, package: dict) -> None:
        """The sender went on: take its content, append its later events."""
        self._take_fields(dossier_id, package)
        self._payments(dossier_id, local["payments"], package["payments"])
        self._complaints(dossier_id, package["complaints"])
        tail = taken.tail(local["events"], package["events"])  # (after a take: its line's)
        chain.append(self.conn, [(dossier_id, package["code"], *e) for e in tail])
        self.refresh.append(dossier_id)

    def take_theirs(self, dossier_id: int, local: dict, package: dict) -> None:
        """The clerk chose the package's version of a conflicting dossier."""
        self._take_fields(dossier_id, package)
        self._payments(dossier_id, local["payments"], package["payments"])
        self._complaints(dossier_id, package["complaints"])
        missing = _missing(local["events"], package["events"])
        chain.append(self.conn, [(dossier_id, package["code"], *e) for e in missing])
        fields = package["fields"]
        history.record(self.conn, dossier_id, self.now, None, "import", local["fields"]["status"],
                       fields["status"], f"{taken.TAKE_REASON}{self.source}{taken.TAKE_END}",
                       taken.take_details(fields, package["events"]))
        self.here.append(self.conn.execute("SELECT MAX(id) FROM event_rows").fetchone()[0])
        self.refresh.append(dossier_id)
        self.book.remember(package, "theirs", self.source, self.now, self.sender)

    def keep_ours(self, package: dict, clash: bool = False) -> None:
        """The clerk chose this installation's version: nothing of the package is taken (the
        dossier and its history stay exactly as they are: an event here would make the sender's
        next package of it a conflict), and the choice is remembered. `clash`: the package's
        record was another citizen's dossier under this code, remembered apart (CLASH_KEPT):
        it says nothing of the sender's line of the dossier here (ChoiceBook.kept_from), which
        the package may bring under another code (core.exchange.recode.recognise)."""
        self.book.remember(package, "keep", self.source, self.now,
                           self.sender + CLASH_KEPT if clash else self.sender)

    def _take_fields(self, dossier_id: int, package: dict) -> None:
        conn = self.conn
        self.taken.append(dossier_id)
        conn.execute(UPDATE_DOSSIER, [*stored_values(UPDATED, (*field_values(package["fields"]),
                                                                self.now)), dossier_id])
        mine = [dossier_id]
        with ledger.changing(conn, "supplements", "dossier_id = ?", mine), \
                ledger.changing(conn, "extensions", "dossier_id = ?", mine):
            for table in ("supplements", "extensions", "dossier_components"):
                conn.execute(f"DELETE FROM {table} WHERE dossier_id = ?", mine)
            conn.executemany(INSERT_WAIT, [(dossier_id, *w) for w in package["waits"]])
            if package["extension"] is not None:
                conn.execute(INSERT_EXTENSION, [dossier_id, *package["extension"]])
        conn.executemany(INSERT_COMPONENT, [(dossier_id, *c) for c in package["components"]])

    def _complaints(self, dossier_id: int, theirs: list) -> None:
        """Add the package's complaints we lack and the (later) resolution or the cancellation
        it knows of one we hold; never remove one (a complaint is withdrawn by cancelling it, with why)."""
        held = {(r[2], r[4]): r for r in self.conn.execute(
            f"SELECT id, {', '.join(records.COMPLAINT_COLUMNS)} FROM complaints "
            "WHERE dossier_id = ?", [dossier_id])}
        first, second = records.COMPLAINT_IDENTITY
        for complaint in theirs:
            ours = held.get((complaint[first], complaint[second]))
            if ours is None:
                self.conn.execute(INSERT_COMPLAINT, [dossier_id, *complaint])
                continue
            if complaint[4] is not None and (ours[5], ours[6]) != (complaint[4], complaint[5]):
                self.conn.execute(RESOLVE_COMPLAINT, [complaint[4], complaint[5], ours[0]])
            if ours[8] is None and complaint[7] is not None:
                self.conn.execute(CANCEL_COMPLAINT, [*complaint[7:10], ours[0]])

    def _payments(self, dossier_id: int, ours: list, theirs: list) -> None:
        """Bring our payments to the package's: add what it has, cancel what it has not."""
        with ledger.changing(self.conn, "payments", "dossier_id = ?", [dossier_id]):
            self._payments_now(dossier_id, theirs)

    def _payments_now(self, dossier_id: int, theirs: list) -> None:
        stored = self.conn.execute(
            f"SELECT id, {', '.join(records.PAYMENT_COLUMNS)} FROM payments WHERE dossier_id = ? "
            "ORDER BY id", [dossier_id]).fetchall()
        wanted = [list(p) for p in theirs]
        for row in stored:
            mine = list(row[1:])
            match = next((p for p in wanted if p[:5] == mine[:5]), None)
            if match is not None:
                wanted.remove(match)
                if mine[5] is None and match[5] is not None:
                    self.conn.execute(CANCEL_PAYMENT, [match[5], match[6], match[7], row[0]])
            elif mine[5] is None:
                self.conn.execute(CANCEL_PAYMENT, [self.now, "Không có trong gói trao đổi "
                                                   f"{self.source} (lấy theo gói)", None, row[0]])
        self.conn.executemany(INSERT_PAYMENT, [(dossier_id, *p) for p in wanted])

    # ----- votes -------------------------------------------------------------------------
    def insert_votes(self, votes: list[tuple[dict, int | None]]) -> None:
        last = self.conn.execute("SELECT COALESCE(MAX(id), 0) FROM votes").fetchone()[0]
        self.conn.executemany(
            "INSERT INTO votes(unit_code, voted_at, rating, dossier_id, comment, reasons, source, "
            "cancelled_at, cancel_reason, cancelled_by, actor, origin) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            # a vote keeps its first origin (db.vote_origin; none said: unknown, NULL)
            [(v["unit_code"], v["voted_at"], v["rating"], dossier_id, v["comment"], v["reasons"],
              v["source"], v["cancelled_at"], v["cancel_reason"], v["cancelled_by"], v["actor"],
              v.get("origin")) for v, dossier_id in votes])
        ledger.added(self.conn, "votes", "id > ?", [last])  # spec 10: edits show
        for vote, dossier_id in votes:
            if vote["cancelled_at"] is None:
                self._count_vote(vote, 1)
                self._vote_facts(vote, dossier_id)

    def cancel_vote(self, vote_id: int, vote: dict) -> None:
        with ledger.changing(self.conn, "votes", "id = ?", [vote_id]):
            self.conn.execute("UPDATE votes SET cancelled_at = ?, cancel_reason = ?, "
                              "cancelled_by = ? WHERE id = ?",
                              [vote["cancelled_at"], vote["cancel_reason"], vote["cancelled_by"],
                               vote_id])
        self._count_vote(vote, -1)
        self._vote_facts(vote, self.conn.execute("SELECT dossier_id FROM votes WHERE id = ?",
                                                 [vote_id]).fetchone()[0])

    def _vote_facts(self, vote: dict, dossier_id: int | None) -> None:
        """A dissatisfied vote counted or withdrawn changes its dossier's 766 facts (5.4, "cp"),
        as at the counter (core.votes.store_vote): the dossier is computed again."""
        if dossier_id is not None and vote["rating"] == "dissatisfied":
            self.refresh.append(dossier_id)

    def _count_vote(self, vote: dict, sign: int) -> None:
        day = vote["voted_at"][:10]
        self.delta[(vote["unit_code"], day, "votes")] += sign
        if vote["rating"] in facts.SATISFIED:
            self.delta[(vote["unit_code"], day, "satisfied")] += sign


class _Counted:
    """The kpi_daily marks of a batch's facts kept from the package, summed in one Counter
    (core.facts.marks adds into it: no Counter made and merged per dossier)."""

    def __init__(self) -> None:
        self.marks: Counter = Counter()
        self.facts: list[dict] = []

    def add(self, full: dict) -> None:
        facts.marks(full, self.marks)
        self.facts.append(full)

    def recount(self) -> None:
        """After facts that failed half-way through marks: only the kept ones count."""
        self.marks = Counter()
        for full in self.facts:
            facts.marks(full, self.marks)


def _missing(ours: list, theirs: list) -> list:
    """The package's events not among ours, in the package's order (a multiset difference)."""
    left = Counter(json.dumps(e) for e in ours)
    out = []
    for event in theirs:
        key = json.dumps(event)
        if left[key]:
            left[key] -= 1
        else:
            out.append(event)
    return out
