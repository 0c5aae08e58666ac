"""Who recorded a row, by name: the one rule every screen, document and command uses (spec 10).

Every row records who by a login (dossier_rows.received_by, the events' actor, payments,
votes, complaints and extensions: actor, cancelled_by). A login names an account of the
installation that wrote the row. A centre merges packages of other installations (spec 9): a
row merged from commune A with the login `canbo1` names commune A's `canbo1`, not the centre's
own `canbo1`. So a login is read together with the row's ORIGIN:

- a row written here: the account of this installation (`local_name`: its full name; an
  operating-system user "os:hung" as "hung"; a login without an account as it is);
- a row a package brought in: the sender's full name for that login, as the package's
  manifest said it (`actor_names`, checked by `check_names`); a login the manifest does not
  name (a package of an older MotCua, or one whose sender could not tell who it was) is shown
  honestly as the login and the sending installation, "canbo1 (máy c3cd08e7)" — never as the
  name of whoever holds that login here.

Where a row came from: each package a merge inserts rows from leaves one ORIGIN record in the
settings (`record_origin`, key ORIGIN_PREFIX + a sequence number, written once, never changed;
its writing logged in setting_changes with the importer and the moment): the sending
installation, the package's file name, the names its manifest gave, and per table the range of
ids the merge gave its rows. Inside one package's merge only that package inserts rows (the
packages of an operation are merged one after the other), so every id of the range is the
package's — but the events the merge itself writes here (a conflict resolved "take theirs"
records an `import` event by the importer), which the record lists apart (`here`). A row
outside every range was written here. Nothing of a row changes: the chain, the ledger and
every record a package gives stay as they were, so importing a package again (which inserts
nothing) writes no record either (spec 9).
"""
from __future__ import annotations

import bisect
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from core import limits, validation
from db import actor as actors
from db import vote_origin
from db.settings import log_change

MANIFEST_KEY = "actor_names"       # the manifest's {login: full name} of its rows' logins
ORIGIN_PREFIX = vote_origin.ORIGIN_PREFIX  # + a sequence number: one record a package merged
NAMES_MAX = 5000                    # logins a manifest may name (an office has tens)
LOGIN_MAX = 100                     # characters of a login a row may carry (received_by's)
# The tables whose rows record a login, and the columns that do.
TABLES: dict[str, tuple[str, ...]] = {
    "dossier_rows": ("received_by",),
    "event_rows": ("actor",),
    "payment_rows": ("actor", "cancelled_by"),
    "vote_rows": ("actor", "cancelled_by"),
    "complaints": ("actor", "cancelled_by"),
    "extensions": ("actor",),
}


def machine(installation_id: object) -> str:
    """The sending installation as the clerk reads it: the 8 characters of its id the package's
    suggested file name and the import's messages show ("máy c3cd08e7")."""
    text = str(installation_id or "")[:8]
    return f"máy {text}" if text else "máy khác"


def local_name(db, login: str | None) -> str:
    """The name of a login recorded at THIS installation ('' when nobody): its account's full
    name; an operating-system user without its prefix; a login without an account as it is."""
    if not login:
        return ""
    if login.startswith(actors.OS_PREFIX):
        return login[len(actors.OS_PREFIX):]
    row = db.execute("SELECT full_name FROM accounts WHERE login = ?", [login]).fetchone()
    return row[0] if row else login


@dataclass(frozen=True)
class Origin:
    """A package merged here: who sent it and the names its manifest gave."""
    installation: str
    package: str
    names: dict[str, str] = field(default_factory=dict)

    def shown(self, login: str) -> str:
        if login.startswith(actors.OS_PREFIX):
            return f"{login[len(actors.OS_PREFIX):]} ({machine(self.installation)})"
        return self.names.get(login) or f"{login} ({machine(self.installation)})"


def origin_records(db) -> Iterator[dict]:
    """Every origin record (record_origin's), by key: what each merged package brought; the
    one reader of them (Names, vote_ranges, seen_slots; db.vote_origin's upgrade)."""
    return vote_origin.origin_records(db)


class Names:
    """The names of the logins rows record, read once (a list, a document, a history):
    `of(login, table, row_id)`."""

    def __init__(self, db):
        self.db = db
        self.accounts = dict(db.execute("SELECT login, full_name FROM accounts").fetchall())
        self.ranges: dict[str, list[tuple[int, int, Origin]]] = {t: [] for t in TABLES}
        self.here: dict[str, set[int]] = {t: set() for t in TABLES}
        for said in origin_records(db):
            self._load(said)
        for spans in self.ranges.values():
            spans.sort(key=lambda s: s[0])
        self.starts = {t: [s[0] for s in spans] for t, spans in self.ranges.items()}

    def _load(self, said: dict) -> None:
        origin = Origin(str(said.get("installation") or ""), str(said.get("package") or ""),
                        dict(said.get("names") or {}))
        for table, (low, high) in (said.get("rows") or {}).items():
            if table in self.ranges:
                self.ranges[table].append((low, high, origin))
        for table, ids in (said.get("here") or {}).items():
            self.here.setdefault(table, set()).update(ids)

    @property
    def merged_any(self) -> bool:
        return any(self.ranges.values())

    def origin(self, table: str, row_id: int | None) -> Origin | None:
        """The package row `row_id` of `table` came with; None: written here."""
        if row_id is None or row_id in self.here[table]:
            return None
        spans = self.ranges[table]
        at = bisect.bisect_right(self.starts[table], row_id) - 1
        if at >= 0 and spans[at][0] <= row_id <= spans[at][1]:
            return spans[at][2]
        return None

    def of(self, login: str | None, table: str, row_id: int | None) -> str:
        """The one rule: the name shown for `login` as row `row_id` of `table` records it."""
        if not login:
            return ""
        origin = self.origin(table, row_id)
        if origin is not None:
            return origin.shown(login)
        if login.startswith(actors.OS_PREFIX):
            return login[len(actors.OS_PREFIX):]
        return self.accounts.get(login, login)

    def known(self, login: str, table: str, row_id: int) -> str | None:
        """The person's full name when this installation knows it for sure (an account here, or
        a name a package's manifest gave); None for a fallback ("canbo1 (máy …)", a login
        without an account, an operating-system user): what a package this installation
        writes may pass on (`package_names`)."""
        if login.startswith(actors.OS_PREFIX):
            return None
        origin = self.origin(table, row_id)
        if origin is not None:
            return origin.names.get(login)
        return self.accounts.get(login)


def shown(db, login: str | None, table: str, row_id: int | None) -> str:
    """`Names(db).of(…)` for one row."""
    return Names(db).of(login, table, row_id) if login else ""


# ----- the sender: the names a package carries ---------------------------------------------

def _rows(db, dossier_ids: list[int], vote_ids: list[int],
          distinct: bool) -> Iterable[tuple[str, int, str]]:
    """(table, id, login) of every login the package's rows record; `distinct`: each login of a
    table once, with id 0 (an installation that never merged a package: every row is its own)."""
    dossiers, votes = json.dumps(dossier_ids), json.dumps(vote_ids)
    for table, columns in TABLES.items():
        if table == "vote_rows":
            where, given = "id IN (SELECT value FROM json_each(?))", votes
        elif table == "dossier_rows":
            where, given = "id IN (SELECT value FROM json_each(?))", dossiers
        else:
            where, given = "dossier_id IN (SELECT value FROM json_each(?))", dossiers
        source = "events" if table == "event_rows" else table  # the view decodes the words
        for column in columns:
            what = f"DISTINCT 0, {column}" if distinct else f"id, {column}"
            for row_id, login in db.execute(f"SELECT {what} FROM {source} WHERE {where} "
                                            f"AND {column} IS NOT NULL", [given]):
                yield table, row_id, login


def package_names(db, dossier_ids: list[int], vote_ids: list[int]) -> dict[str, str]:
    """{login: full name} for the logins the package's rows record, as the manifest carries
    them (MANIFEST_KEY): only a login whose every row this installation names one person for
    for sure (`Names.known`); a login of two people (its own `canbo1` and a commune's merged
    here) or of nobody known is left out, and the receiver shows it with the machine. No
    password, no role, nothing else about the account."""
    names = Names(db)
    found: dict[str, set[str | None]] = {}
    for table, row_id, login in _rows(db, dossier_ids, vote_ids, not names.merged_any):
        if login.startswith(actors.OS_PREFIX):
            continue
        said = found.setdefault(login, set())
        if len(said) < 2:
            said.add(names.known(login, table, row_id))
    out = {}
    for login, said in sorted(found.items()):
        name = next(iter(said)) if len(said) == 1 else None
        if name and check_name(login, name) is None:
            out[login] = name
    return out


# ----- the receiver: what a manifest may say, and where a merge's rows came from -----------

def check_name(login: object, name: object) -> str | None:
    """Why a manifest's entry cannot be kept, in Vietnamese (the field named), or None: a login
    as a row may record it, a full name as an account's (core.accounts: not blank, at most
    100 characters, no control character, printable on a slip)."""
    if not isinstance(login, str) or not login or len(login) > LOGIN_MAX:
        return f"tên đăng nhập {str(login)[:40]!r} không hợp lệ (1–{LOGIN_MAX} ký tự)"
    if reason := limits.control_reason(login):
        return f"tên đăng nhập {login[:40]!r} {reason}"
    if not isinstance(name, str) or not name.strip():
        return f"họ và tên của tài khoản {login!r} trống hoặc không phải chữ"
    if reason := limits.control_reason(name):
        return f"họ và tên của tài khoản {login!r} {reason}"
    if reason := limits.too_long("full_name", name):
        return f"tài khoản {login!r}: {reason}"
    if reason := validation.account_name_reason(name):
        return f"họ và tên của tài khoản {login!r} {reason}"
    return None


def check_names(said: object) -> str | None:
    """Why a manifest's MANIFEST_KEY cannot be read (None: it can, or it is absent)."""
    if said is None:
        return None
    if not isinstance(said, dict):
        return "không phải một bảng tên đăng nhập → họ và tên"
    if len(said) > NAMES_MAX:
        return f"có {len(said)} tài khoản, nhiều hơn giới hạn {NAMES_MAX}"
    for login, name in said.items():
        if reason := check_name(login, name):
            return reason
    return None


def maxima(conn) -> dict[str, int]:
    """The last id of each table whose rows record a login (before a package's merge)."""
    return {t: conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {t}").fetchone()[0]
            for t in TABLES}


def record_origin(conn, manifest: dict, package: str, before: dict[str, int], here: list[int],
                  now: str, signature: dict) -> bool:
    """After a package's merge, inside its transaction: the ranges of ids its rows got, the
    names its manifest gave and its signature (`signature`: core.exchange.signing.recorded —
    signed by a key known here, pinned by this import, or unsigned), kept as a new settings row
    (never changed afterwards) and logged with the importer (setting_changes, area 'exchange').
    Nothing when the merge inserted no row (the same package again: spec 9). True when a record
    was written. The package's span is noted first, whatever it inserted, with the signature's
    status (core.exchange.sources: what the reports rest on)."""
    from core.exchange import sources
    sources.note_package(conn, manifest, package, now, signature.get("status", ""))
    after = maxima(conn)
    rows = {t: [before[t] + 1, after[t]] for t in TABLES if after[t] > before[t]}
    if not rows:
        return False
    sender = manifest.get("installation") or {}
    installation = sender.get("id")
    # as an account's name is stored (invisible characters out, NFC: core.validation.clean_name)
    names = {login: validation.clean_name(name)
             for login, name in (manifest.get(MANIFEST_KEY) or {}).items()}
    value = json.dumps({"installation": str(installation or ""), "package": package, "at": now,
                        "names": names, "rows": rows, "signature": signature,
                        **_sender_slot(sender),
                        **({"here": {"event_rows": sorted(here)}} if here else {})},
                       ensure_ascii=False, sort_keys=True)
    count = conn.execute("SELECT COUNT(*) FROM settings WHERE key >= ? AND key < ?",
                         [ORIGIN_PREFIX, ORIGIN_PREFIX + "\uffff"]).fetchone()[0]
    key = f"{ORIGIN_PREFIX}{count + 1:08d}"
    log_change(conn, "exchange", key, None, value)
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", [key, value])
    return True


@dataclass(frozen=True)
class WalkIns:
    """Which stored walk-in votes (no dossier) a package of one installation may bring again
    (core.exchange.records.stored_votes, fastcopy's `_Votes.votes`): one saying an origin
    (db.vote_origin) only when the package's vote says the same (`records.vote_match`); one
    that says none (brought by a package of an older program, or stored before schema 25) when
    that installation's earlier packages brought it (`sender`, the ranges of ids their origin
    records give), or when no recorded package did (outside all of `every`: merged before
    packages' ids were recorded, or written here before the upgrade could tell) and the
    package's vote is one its sender may have sent before then: saying no origin, or the
    sender's own (`takes`) — a third PC's vote it forwards is never this installation's."""
    sender: list[tuple[int, int]]
    every: list[tuple[int, int]]
    installation: str = ""  # the package's sender

    def may_be(self, row_id: int, origin: str | None) -> bool:
        """Whether the stored vote may be one of the package's (its origin not yet known)."""
        return origin is not None or in_ranges(self.sender, row_id) or not in_ranges(
            self.every, row_id)

    def takes(self, row_id: int, stored: str | None, origin: str | None) -> bool:
        """Whether the package's vote saying `origin` may be the stored vote saying `stored`."""
        if stored is not None:
            return stored == origin
        return in_ranges(self.sender, row_id) or (
            not in_ranges(self.every, row_id)
            and vote_origin.installation_of(origin) in (None, self.installation))


def vote_ranges(db, installation: str) -> WalkIns | None:
    """The stored walk-in votes a package of `installation` may be matched with (WalkIns: the
    ranges of vote ids its packages and every package brought here, by their origin records,
    in order) — two counters' same-moment votes are two votes. None for a package that says
    no installation (an older format): any stored vote, as before round 32."""
    if not installation:
        return None
    sender, every = [], []
    for said in origin_records(db):
        span = vote_origin.vote_spans(said)
        if span is not None:
            every.append(span)
            if said.get("installation") == installation:
                sender.append(span)
    return WalkIns(sorted(sender), sorted(every), installation)


def in_ranges(spans: list[tuple[int, int]], row_id: int) -> bool:
    """Whether `row_id` lies in one of the sorted, disjoint `spans`."""
    at = bisect.bisect_right(spans, (row_id, float("inf"))) - 1
    return at >= 0 and spans[at][0] <= row_id <= spans[at][1]


def _sender_slot(sender: dict) -> dict:
    """The sender's slot of code allocation (spec 4) as its manifest said it, when well formed:
    kept so that a copy of this file made a new machine is offered a slot no sender holds
    (`seen_slots`, core.installation.suggested_new_slot)."""
    number, of = sender.get("slot"), sender.get("of")
    if type(number) is int and type(of) is int and 1 <= number <= of <= limits.SLOTS_MAX:
        return {"slot": [number, of]}
    return {}



def seen_slots(db) -> set[tuple[int, int]]:
    """The slots (number, of) of the installations whose packages this file merged, as their
    origin records kept them (records made before 02/12/2026 kept none)."""
    seen: set[tuple[int, int]] = set()
    for said in origin_records(db):
        slot = said.get("slot")
        if isinstance(slot, list) and len(slot) == 2 and all(type(n) is int for n in slot):
            seen.add((slot[0], slot[1]))
    return seen
