"""What a centre's figures rest on: the packages it took from each sending installation (spec 9).

A commune or counter PC without a network works offline and sends packages; the centre's
monthly report is only as complete as the last package of each. Every package merged here
leaves, per sending installation and unit (all units: "*"), one settings row
`exchange_source:<installation id>:<unit>` (`note_package`, called inside the merge's
transaction by core.actor_names.record_origin, the one step every merged package passes):

    {"installation", "unit", "covered": [[from, to], ...],   # the moments its packages span,
     "last": {"since", "until", "claimed", "at", "package"},  # joined where they touch
     "seen": [package identities]}                              # the latest ones, for re-imports

A package spans from its first day (00:00) to the moment it was made, but never beyond the
moment it was imported here: a sender whose clock runs ahead cannot claim days that had not
come yet when its package arrived (`claimed` keeps what it said). Importing the same package
again writes nothing (spec 9). `sources(db, start, end, moment, unit)` reads them back for a
report: per sender and unit the last package, whether it reaches the report's end, and the
warnings — data ending before the period's end, and gaps between a sender's packages (a
package lost on the way), the missing range named.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from core.actor_names import machine
from core.exchange import held_before, held_cleared, held_lines, held_partly
from core.exchange.slots import slot_text
from core.exchange.sources_past import older_imports, stored_texts
from core.timefmt import parse_db_time, to_db_time, vn_date, vn_datetime
from core.unit_scope import unit_subtrees
from db import stored_json
from db.settings import log_change

PREFIX = "exchange_source:"
ALL_UNITS = "*"
SEEN_MOST = 30  # package identities kept per sender and unit (re-importing a recent one)
ID_MOST = 64    # characters of a sender's installation id kept (an id is 32: what a package says
                # is not trusted)


def key(installation: str, unit: str | None) -> str:
    return f"{PREFIX}{installation}:{unit or ALL_UNITS}"


# ----- the import: one package noted ---------------------------------------------------------

@dataclass(frozen=True)
class Package:
    installation: str
    unit: str | None
    since: str       # database time: the first day's midnight
    until: str       # the moment it was made, at most the import moment
    claimed: str     # the moment its manifest says it was made
    ident: str
    slot: str = ""   # "1/3": the sender's code slot, as the package preview names it
    held: held_before.Held | None = None  # what it left behind before `since` (None: not said)
    tree: list[str] | None = None  # a unit package's tree as made (None: not said)
    cleared: dt.date | None = None  # no open dossier it left was last changed before (held_cleared)


def read_package(manifest: dict, now: str) -> Package | None:
    """The period a manifest says, checked (what a package says is not trusted); None when it
    says none that can be read (a test's bare manifest, a damaged field)."""
    from core.exchange.package.manifest import package_ident
    period = manifest.get("period")
    sender = manifest.get("installation")
    unit = manifest.get("sender_unit")
    if not isinstance(period, dict) or not isinstance(sender, dict) or \
            not isinstance(unit, (str, type(None))):
        return None
    try:
        since = dt.date.fromisoformat(str(period.get("since")))
        claimed = parse_db_time(str(period.get("until")))
        imported = parse_db_time(now)
    except ValueError:
        return None
    ident = sender.get("id")
    if not isinstance(ident, str) or not ident.strip():
        return None  # no sender to note it under (pooled under one name, senders' gaps hid)
    until = min(claimed, imported)
    first = to_db_time(min(dt.datetime.combine(since, dt.time()), until))
    said = manifest.get(held_before.MANIFEST_KEY)
    return Package(ident[:ID_MOST], unit or None, first,
                   to_db_time(until), to_db_time(claimed), package_ident(manifest),
                   slot_text(sender), held_before.read(manifest),
                   held_lines.read_tree(said, unit or None),
                   held_cleared.read(said, first) if isinstance(said, dict) else None)


def note_package(conn, manifest: dict, package: str, now: str, signature: str = "") -> bool:
    """Note a merged package's span for its sender and unit (inside the merge's transaction,
    the write logged: setting_changes, area 'exchange'), its signature's status in `last`
    (core.exchange.signing: known, new, unsigned). Nothing when the manifest names no
    readable period or the package was noted before. True when a row was written."""
    found = read_package(manifest, now)
    if found is None:
        return False
    name = key(found.installation, found.unit)
    row = conn.execute("SELECT value FROM settings WHERE key = ?", [name]).fetchone()
    old = _readable(row[0]) if row else None
    if old is not None and found.ident in old.get("seen", []):
        return False
    new = json.dumps(_noted(old, found, package, now, signature), ensure_ascii=False,
                     sort_keys=True)
    # logged at the import's moment: a report "as of" a moment reads the row as it stood then
    log_change(conn, "exchange", name, row[0] if row else None, new, at=now)
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                 "SET value = excluded.value", [name, new])
    return True


def _readable(value: str) -> dict | None:
    """A stored row as written (None for anything else: noted afresh on import, skipped by a
    report; never an import refused or a report failed for it)."""
    try:
        said = stored_json.loads(value)
    except ValueError:
        return None
    if not isinstance(said, dict) or not isinstance(said.get("installation"), str) or \
            not isinstance(said.get("unit"), (str, type(None))) or \
            not isinstance(said.get("seen", []), list):
        return None
    last, covered = said.get("last"), said.get("covered")
    if not isinstance(last, dict) or not isinstance(covered, list) or \
            not all(_moment(last.get(name)) for name in ("since", "until", "claimed", "at")) or \
            not all(isinstance(span, list) and len(span) == 2 and all(map(_moment, span))
                    for span in covered):
        return None
    return said


def _moment(value) -> bool:
    """A stored moment: text parse_db_time reads, without a zone (compared with local times)."""
    if not isinstance(value, str):
        return False
    try:
        return parse_db_time(value).tzinfo is None
    except ValueError:
        return False


def _noted(old: dict | None, found: Package, package: str, now: str, signature: str) -> dict:
    said = old or {"installation": found.installation, "unit": found.unit, "covered": []}
    last = said.get("last")
    if last is None or found.until > last["until"]:
        last = {"since": found.since, "until": found.until, "claimed": found.claimed, "at": now,
                "package": package, **({"signature": signature} if signature else {}),
                **({"slot": found.slot} if found.slot else {})}
    seen = [*said.get("seen", []), found.ident][-SEEN_MOST:]
    covered = joined([*said.get("covered", []), [found.since, found.until]])
    start = held_before.earlier_start(said.get("start"),
                                      held_before.stored(found.held, found.since))
    tree = {} if found.unit is None else held_partly.row_codes(old, found)
    return {**said, "covered": covered, "last": last, "seen": seen, "start": start, **tree,
            **held_cleared.noted(said, found, start)}


def joined(spans: list[list[str]]) -> list[list[str]]:
    """Spans (DB_FORMAT text, which sorts as time) joined where they overlap or touch."""
    out: list[list[str]] = []
    for first, last in sorted(spans):
        if out and first <= out[-1][1]:
            out[-1][1] = max(out[-1][1], last)
        else:
            out.append([first, last])
    return out


# ----- the report: what each sender's data reaches -------------------------------------------

@dataclass
class Source:
    """One sending installation and unit as the report shows it."""
    installation: str
    unit: str | None
    unit_name: str
    since: dt.datetime        # its last package's first day
    until: dt.datetime        # what its data reaches (the last package, clamped)
    claimed: dt.datetime      # what that package said
    imported: dt.datetime     # when it was taken here
    package: str
    covered: list[tuple[dt.datetime, dt.datetime]] = field(default_factory=list)
    covers: bool = True       # reaches the report's end, without a gap in the period
    known: bool = True        # False: imported by an older version, what it reaches unknown
    packages: int = 1         # (older versions) how many of its packages were taken
    shown: bool = True        # False: a later package of all units of its machine reaches further
    slot: str = ""            # its last package's code slot ("1/3"), '' when not known
    start: held_before.Start | None = None  # where its data begins here, what it left behind
    tree: frozenset[str] = frozenset()  # a unit's codes all its packages carried (held_lines)
    partly: dict = field(default_factory=dict)  # codes some of them carried: {code: spans}
    partly_start: dict = field(default_factory=dict)  # {code: Start} of the first carrying it
    unsure: bool = False      # nothing else missing, but whether it held data before its
                              # first package is not said (an older program's package)

    @property
    def machine(self) -> str:
        """'máy add2cbbc, số hiệu 1/3': the slot tells a centre's counters apart, as the package
        preview does (round 32: three rows of bare ids, a leader could not say which PC was
        which counter or the commune)."""
        name = machine(self.installation)
        return f"{name}, số hiệu {self.slot}" if self.slot else name

    @property
    def who(self) -> str:
        """'UBND xã Đồng Giáp (máy c3cd08e7)', or 'máy c3cd08e7 (tất cả đơn vị)'."""
        if self.unit is None:
            return f"{self.machine} (tất cả đơn vị)"
        return f"{self.unit_name} ({self.machine})"

    @property
    def clock_ahead(self) -> bool:
        return self.claimed > self.until


@dataclass
class Sources:
    rows: list[Source]
    warnings: list[str]


def _stored(db, known: dt.datetime | None) -> tuple[list[dict], set[str]]:
    """The readable rows as they stood at `known`, and the senders of all rows (a row not as
    written is skipped: its sender is not taken for one only an older version noted)."""
    out, senders = [], set()
    for name, value in stored_texts(db, PREFIX, known):
        senders.add(name[len(PREFIX):].rsplit(":", 1)[0])
        if (said := _readable(value)) is not None:
            out.append(said)
    return out, senders


def _source(said: dict, names: dict[str, str], whole: dict | None) -> Source:
    last = said["last"]
    unit = said.get("unit")
    extra = whole.get("covered", []) if whole is not None else []
    spans = joined([*said.get("covered", []), *extra])
    # each row's start as its own later packages settle it (held_cleared), then the earlier
    start = held_cleared.of_row(said)
    if whole is not None and whole.get("start") is not None:
        start = held_before.earlier_start(start, held_cleared.of_row(whole))
    return Source(str(said["installation"]), unit, names.get(unit or "", unit or ""),
                  parse_db_time(last["since"]), parse_db_time(last["until"]),
                  parse_db_time(last["claimed"]), parse_db_time(last["at"]),
                  str(last.get("package") or ""),
                  [(parse_db_time(a), parse_db_time(b)) for a, b in spans],
                  slot=_stored_slot(last.get("slot")), start=held_before.start_of(start),
                  tree=held_lines.row_tree(said), partly=held_lines.row_partly(said),
                  partly_start=held_partly.read(said))


def _stored_slot(value) -> str:
    """A stored slot ('1/3', as slot_text wrote it) read back by slot_text's rule; '' for
    anything else (an older row has none)."""
    parts = value.split("/") if isinstance(value, str) else []
    if len(parts) != 2 or not all(p.isascii() and p.isdecimal() and len(p) <= 4 for p in parts):
        return ""
    return slot_text({"slot": int(parts[0]), "of": int(parts[1])})


def _in_scope(subtree, unit: str | None, scope: str | None) -> bool:
    """A sender's unit concerns a report of `scope` when one holds the other (its package
    carries the unit's tree: core.exchange.export.SCOPE). `subtree`: core.unit_scope.unit_subtrees,
    the units read once for every row (a read for each row's two walks cost 40 ms a row)."""
    if unit is None or scope is None:
        return True
    return any(code == unit for code, _ in subtree(scope)) or \
        any(code == scope for code, _ in subtree(unit))


def gathered(db, scope: str | None = None, known: dt.datetime | None = None) -> list[Source]:
    """The senders' rows concerning a report of `scope`: per installation and unit. A unit
    whose data a later package of all units from the same installation reaches at least as far
    is not shown (`shown`: that row says it), but its gaps still count; a unit's spans count
    with its installation's all-units ones. `known`: only what was imported by then; senders
    whose packages only an older version took come last, as their origin records say."""
    stored, senders = _stored(db, known)
    names = dict(db.execute("SELECT code, name FROM units").fetchall())
    every = {s["installation"]: s for s in stored if s.get("unit") is None}
    out = []
    subtree = unit_subtrees(db)
    for said in stored:
        unit, whole = said.get("unit"), every.get(said["installation"])
        if not _in_scope(subtree, unit, scope):
            continue
        row = _source(said, names, whole if unit is not None else None)
        row.shown = unit is None or whole is None or whole["last"]["until"] < said["last"]["until"]
        out.append(row)
    out.sort(key=lambda s: (s.unit is not None, s.unit_name, s.installation))
    return out + _older(db, scope, known, senders)


def _older(db, scope: str | None, known: dt.datetime | None, noted: set[str]) -> list[Source]:
    out = []
    subtree = unit_subtrees(db)
    for said in older_imports(db, known, noted):
        units = said["units"]
        if scope is not None and units and not any(_in_scope(subtree, u, scope) for u in units):
            continue
        at = said["at"]
        out.append(Source(said["installation"], None, "", at, at, at, at, said["package"],
                          covers=False, known=False, packages=said["count"]))
    return out


def sources(db, start: dt.date, end: dt.date, moment: dt.datetime,
            scope: str | None = None, known: dt.datetime | None = None) -> Sources:
    """What the report of [start, end] evaluated at `moment` rests on (no rows when this file
    never took a package: a single PC's report says nothing of it). `known` (a report "as of"
    a moment, spec 2.3): the packages imported by then, judged as they stood then."""
    rows = gathered(db, scope, known)
    needed = min(dt.datetime.combine(end + dt.timedelta(days=1), dt.time()), moment)
    begin = dt.datetime.combine(start, dt.time())
    warnings: list[str] = []
    fellows = held_before.held_lines.Fellows(db, rows, scope)  # a unit's packages together
    for row in rows:
        if not row.known:
            warnings.append(older_sentence(row))
            continue
        gaps = [(a, b) for a, b in holes(row.covered) if a < needed and b > begin]
        lacking = held_before.lacking(row, begin, needed, fellows) if row.shown else None
        row.covers = row.until >= needed and not gaps and lacking is None
        row.unsure = lacking is not None and lacking[0] and row.until >= needed and not gaps
        if row.shown and row.until < needed:
            warnings.append(short_sentence(row, needed))
        warnings += [gap_sentence(row, a, b) for a, b in gaps]
        warnings += [lacking[1]] if lacking is not None else []
        if row.shown and row.clock_ahead:
            warnings.append(clock_sentence(row))
    return Sources([row for row in rows if row.shown], warnings)


def holes(spans: list[tuple[dt.datetime, dt.datetime]]) -> list[tuple[dt.datetime, dt.datetime]]:
    """The moments between a sender's joined spans: changes no package taken here carries."""
    return [(spans[i][1], spans[i + 1][0]) for i in range(len(spans) - 1)]


def moment_text(moment: dt.datetime) -> str:
    """'20/11/2026' at midnight, else '15:00 20/11/2026'."""
    return vn_date(moment) if moment.time() == dt.time() else vn_datetime(moment)


def reach_text(moment: dt.datetime) -> str:
    """Where data reaches: 'hết ngày 20/11/2026' for a midnight, else '15:00 20/11/2026'."""
    if moment.time() == dt.time():
        return f"hết ngày {vn_date(moment - dt.timedelta(days=1))}"
    return vn_datetime(moment)


def _apart(first: dt.datetime, second: dt.datetime) -> tuple[str, str]:
    """Two moments as reach_text says them, with their seconds when the minutes read alike: a
    report printed in the minute of the last package read "chỉ đến 23:24 …, chưa đến 23:24 …"
    (walkthrough of round 32)."""
    said = reach_text(first), reach_text(second)
    if said[0] != said[1]:
        return said
    return first.strftime("%H:%M:%S %d/%m/%Y"), second.strftime("%H:%M:%S %d/%m/%Y")


def short_sentence(row: Source, needed: dt.datetime) -> str:
    reach, wanted = _apart(row.until, needed)
    return (f"Số liệu của {row.who} chỉ đến {reach} (gói nhập lúc "
            f"{vn_datetime(row.imported)}), chưa đến {wanted}: hồ sơ tiếp nhận "
            "hoặc giải quyết ở đó sau thời điểm này chưa có trong báo cáo. Hãy nhập gói mới "
            "của máy đó rồi in lại.")


def gap_sentence(row: Source, first: dt.datetime, last: dt.datetime) -> str:
    return (f"Các gói của {row.who} không liền nhau: thiếu số liệu từ {moment_text(first)} "
            f"đến {reach_text(last)} (có thể một gói đã thất lạc). Hãy nhập gói đó, hoặc xin "
            f"máy gửi xuất lại gói từ ngày {vn_date(first)}.")


def older_sentence(row: Source) -> str:
    many = f"{row.packages} gói" if row.packages > 1 else "gói"
    return (f"Số liệu của {row.machine}: {many} nhập bởi phiên bản cũ (gói cuối nhập lúc "
            f"{vn_datetime(row.imported)}) không ghi khoảng thời gian số liệu, nên không biết "
            "số liệu của máy đó đến ngày nào. Hãy nhập gói mới của máy đó rồi in lại.")


def clock_sentence(row: Source) -> str:
    return (f"Đồng hồ của {row.machine} chạy trước máy này: gói ghi lập lúc "
            f"{vn_datetime(row.claimed)} nhưng đã nhập lúc {vn_datetime(row.imported)}; số "
            f"liệu của {row.who} chỉ được tính đến lúc nhập.")


__all__ = ["Source", "Sources", "gathered", "key", "note_package", "sources"]
