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
import re
from collections import Counter

from core import facts, history
from core.exchange import compare, records, taken
from db import chain, facts_codec, ledger
from db.moments import stored_values
from db.settings import log_change

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


# The clerk's choices of conflicting package records (spec 9: the same package imported again
# asks nothing and changes nothing), in the settings, each write logged (setting_changes: who,
# when, what). Since the eighteenth round ONE row per operation and sending installation:
#   exchange_choices:<moment>:<sender>  {"at", "sender", "packages": [its packages' names],
#                                        "choices": {code: {record digest: [choice, package]}}}
# (`package`: its place in "packages"). Before, one row per dossier code (a month-end's
# thousands of rows and log lines), still read:
#   exchange_choice:<code>  {record digest: {"choice", "package", "at", "sender"}}
CHOICE_PREFIX = "exchange_choice:"
CHOICES_PREFIX = "exchange_choices:"
# after the sender's key: the choices that kept this installation's dossier of a clash
CLASH_KEPT = "~khac"


def sender_key(installation_id: object) -> str:
    """The sending installation as a choice names it: the 8 characters of its id shown in
    the package's name ("other.zip (máy c3cd08e7)"); "?" for a package naming none."""
    return str(installation_id or "?")[:8]


def _sender_of(entry: dict) -> str:
    """The sender of a stored choice; one kept before senders were stored: read from the
    package's name, "other.zip (máy c3cd08e7)"."""
    if "sender" in entry:
        return str(entry["sender"])
    named = re.search(r"\(máy ([^)]*)\)$", str(entry.get("package", "")))
    return named.group(1) if named else "?"


def _prefixed(conn, prefix: str) -> list[tuple[str, str]]:
    """The settings rows whose key starts with `prefix` (ending in ':'), by the key's index."""
    return conn.execute("SELECT key, value FROM settings WHERE key >= ? AND key < ? ORDER BY key",
                        [prefix, prefix[:-1] + ";"]).fetchall()


class ChoiceBook:
    """The choices made, as they hold now, for one import operation (read once, when first
    asked) and the ones it makes (`remember`), written at its end in one row per sender
    (`write`). Of one dossier and one sender, only the latest operation's choices hold: a
    sender's record of a dossier only grows (its history is appended to), so once a later
    record was decided the earlier one comes back only from a package file superseded since;
    kept for ever, one such choice was added each time a centre merged a later record of a
    conflicting dossier. Re-importing the latest packages of each sender still asks nothing
    and writes nothing. What this gives up: re-importing a superseded file asks again about a
    dossier whose later record was kept here ("keep"); after "theirs" the earlier record is
    older than this installation's (compare.OLDER) and nothing is asked. An operation may
    choose for several records of one sender's dossier (two of its packages, the later going
    on from the earlier): all of them hold."""

    def __init__(self, conn):
        self.conn = conn
        # code: sender: digest: (choice, package name, moment)
        self._held: dict[str, dict[str, dict[str, tuple[str, str, str]]]] | None = None
        self._mine: set[tuple[str, str]] = set()  # (code, sender) chosen in this operation
        self._made: dict[str, dict] = {}  # sender: the row it gets (`write`)

    @property
    def held(self) -> dict[str, dict[str, dict[str, tuple[str, str, str]]]]:
        if self._held is None:
            self._held = _read_choices(self.conn)
        return self._held

    def made(self, packages: list[dict]) -> dict[str, str]:
        """Of these package records, those chosen at an earlier import (or earlier in this
        one): {code: "keep"/"theirs"}."""
        if not packages:
            return {}
        out = {}
        for package in packages:
            senders = self.held.get(package["code"])
            if not senders:
                continue
            key = compare.digest(package)
            for digests in senders.values():
                if key in digests:
                    out[package["code"]] = digests[key][0]
                    break
        return out

    def kept_from(self, packages: list[dict], sender: str) -> set[str]:
        """Of these package records' codes, those whose earlier record from the same sender was
        NOT taken (a choice "keep"): a later record of it that merely goes on from what is here
        (compare.CHANGED) is asked again, as a conflict, not taken silently — the clerk chose
        this installation's version (or another package's) over that sender's line."""
        if not packages:
            return set()
        return {p["code"] for p in packages
                if any(c[0] == "keep" for c in self.held.get(p["code"], {}).get(sender, {})
                       .values())}

    def remember(self, package: dict, choice: str, source: str, now: str, sender: str) -> None:
        """The clerk's choice for this package record, replacing the same sender's choices of
        that dossier made at earlier operations (kept with the others of this one)."""
        code = package["code"]
        senders = self.held.setdefault(code, {})
        if (code, sender) not in self._mine:
            senders[sender] = {}
            self._mine.add((code, sender))
        key = compare.digest(package)
        senders[sender][key] = (choice, source, now)
        # one row per sender: a clash kept is marked in it (CLASH_KEPT, a third element an
        # older program's reading leaves aside)
        named = sender.removesuffix(CLASH_KEPT)
        row = self._made.setdefault(named, {"at": now, "sender": named, "packages": [],
                                            "choices": {}})
        if source not in row["packages"]:
            row["packages"].append(source)
        row["choices"].setdefault(code, {})[key] = [choice, row["packages"].index(source)] + (
            [CLASH_KEPT] if sender != named else [])

    def write(self, now: str) -> None:
        """This operation's choices: one row per sender (logged: who, when, which records),
        inside the operation's transaction."""
        for sender, row in sorted(self._made.items()):
            row["at"] = now
            base = f"{CHOICES_PREFIX}{now}:{sender}"
            key, number = base, 1
            while self.conn.execute("SELECT 1 FROM settings WHERE key = ?", [key]).fetchone():
                number += 1
                key = f"{base}:{number}"
            value = json.dumps(row, ensure_ascii=False, sort_keys=True)
            log_change(self.conn, "exchange", key, None, value)
            self.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", [key, value])
        self._made = {}


def _read_choices(conn) -> dict[str, dict[str, dict[str, tuple[str, str, str]]]]:
    """The choices as they hold: of each dossier and sender, the latest operation's (the rows
    of either form, by their moment; of one moment, the older form first)."""
    groups: list[tuple[str, int, str, str, str, dict[str, tuple[str, str, str]]]] = []
    for key, text in _prefixed(conn, CHOICE_PREFIX):
        try:
            entries = json.loads(text)
        except ValueError:
            continue
        by_sender: dict[str, dict[str, tuple[str, str, str]]] = {}
        for digest, entry in (entries if isinstance(entries, dict) else {}).items():
            if isinstance(entry, dict) and entry.get("choice") in ("keep", "theirs"):
                by_sender.setdefault(_sender_of(entry), {})[digest] = (
                    entry["choice"], str(entry.get("package", "")), str(entry.get("at", "")))
        for sender, digests in by_sender.items():
            at = max(e[2] for e in digests.values())
            groups.append((at, 0, key, key[len(CHOICE_PREFIX):], sender, digests))
    for key, text in _prefixed(conn, CHOICES_PREFIX):
        try:
            row = json.loads(text)
            at, sender, packages = str(row["at"]), str(row["sender"]), list(row["packages"])
            for code, digests in dict(row["choices"]).items():
                taken = {digest: made for digest, made in dict(digests).items()
                         if made[0] in ("keep", "theirs")}
                apart = {digest for digest, made in taken.items() if made[2:] == [CLASH_KEPT]}
                groups.append((at, 1, key, code, sender, {
                    digest: (made[0], str(packages[made[1]]), at)
                    for digest, made in taken.items() if digest not in apart}))
                if apart:  # the clashes kept here, apart from the sender's line (keep_ours)
                    groups.append((at, 1, key, code, sender + CLASH_KEPT, {
                        digest: (taken[digest][0], str(packages[taken[digest][1]]), at)
                        for digest in apart}))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            continue
    held: dict[str, dict[str, dict[str, tuple[str, str, str]]]] = {}
    for _at, _form, _key, code, sender, digests in sorted(groups, key=lambda g: g[:3]):
        held.setdefault(code, {})[sender] = digests
    return held


def stored_choices(conn, code: str) -> dict[str, dict]:
    """The choices that hold for one dossier, {record digest: {"choice", "package", "at",
    "sender"}} (what an audit or a clerk asks: who chose what, when; the log of changes names
    who)."""
    return {digest: {"choice": c, "package": p, "at": at,
                     "sender": sender.removesuffix(CLASH_KEPT)}
            for sender, digests in _read_choices(conn).get(code, {}).items()
            for digest, (c, p, at) in digests.items()}


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
                full = json.loads(derived[1])
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
            "cancelled_at, cancel_reason, cancelled_by, actor) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            [(v["unit_code"], v["voted_at"], v["rating"], dossier_id, v["comment"], v["reasons"],
              v["source"], v["cancelled_at"], v["cancel_reason"], v["cancelled_by"], v["actor"])
             for v, dossier_id in votes])
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
