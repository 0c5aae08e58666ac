"""What is said of dossiers at a unit not in existence on their reception day (the rule:
core.moment.unit_absent_reason, its set form core.moment.ABSENT_SQL, found by units_absent): its
dates as the catalogue holds them, the dossiers (codes, days) and the dates of the unit that
would keep them. Said by `exchange import`, which refuses a package bringing such a dossier
(core.exchange.checks.absent_refusal), and by `check`, which names those a database already
holds (core.maintenance.check.dossiers_in_unit_life)."""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import NamedTuple

from core.moment import ABSENT_SQL, unit_absent_reason, valid_in_period
from core.timefmt import vn_number
from db.batches import rows_in
from db.moments import to_text

LAST_ID = 2 ** 63 - 1  # beyond every rowid: no upper bound
SHOWN = 3  # dossier codes named a unit; units named in one sentence
ROLE_VI = {"unit_code": "tiếp nhận", "competent_unit_code": "giao giải quyết"}
# the unit as the desk and `import dossiers` name it before unit_absent_reason's words
WHAT_VI = {"unit_code": "đơn vị", "competent_unit_code": "đơn vị giải quyết"}


class Absent(NamedTuple):
    """A dossier at a unit not in existence on its reception day (units_absent)."""
    code: str
    received: str      # 'YYYY-MM-DD HH:MM:SS'
    unit: str
    name: str
    valid_from: str | None
    valid_to: str | None
    successor: str | None
    column: str        # unit_code (received there) | competent_unit_code (given to it)
    reason: str        # unit_absent_reason's words
    id: int


def units_absent(db, first_id: int = 0, below: int | None = None) -> list[Absent]:
    """The dossiers of id `first_id` or more (and below `below`, when given) received at, or
    given to, a unit not in existence on their reception day (unit_absent_reason), sorted by
    unit then reception. The one set form of the rule: `exchange import` (its new dossiers,
    and the held ones it changed: `moved_out`) and `check` (all)."""
    return _judged(db.execute(ABSENT_SQL, [first_id, LAST_ID if below is None else below] * 4))


# ABSENT_SQL over another database's dossier rows (a package's rows part, read only), its units
# those of this installation's catalogue given as a common table named as the table it shadows
_GIVEN_UNITS = ("WITH units(code, name, valid_from, valid_to, successor_code) AS (SELECT "
                "json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, "
                "'$[2]'), json_extract(value, '$[3]'), json_extract(value, '$[4]') FROM "
                "json_each(?)) ")
DATED_UNITS_SQL = ("SELECT code, name, valid_from, valid_to, successor_code FROM units "
                   "WHERE valid_from IS NOT NULL OR valid_to IS NOT NULL")


def units_absent_in(part, dated: list) -> list[Absent]:
    """units_absent over every dossier row of `part` (a package's rows part, a MotCua database
    with the same indexes), judged by `dated` (DATED_UNITS_SQL's rows: this installation's
    dated units) rather than the part's own units: the same query and the same rule, ids the
    part's. The exchange's check of a package's dossiers before any is merged
    (core.exchange.merge.units_first)."""
    if not dated:
        return []
    return _judged(part.execute(_GIVEN_UNITS + ABSENT_SQL,
                                [json.dumps([list(row) for row in dated]), *[0, LAST_ID] * 4]))


def _judged(rows) -> list[Absent]:
    """ABSENT_SQL's rows each judged by unit_absent_reason, sorted by unit then reception."""
    found = []
    for row_id, code, received, unit, name, start, end, successor, column in rows:
        moment = to_text(received) or ""
        reason = unit_absent_reason(name, start, end, dt.date.fromisoformat(moment[:10]))
        if reason:
            found.append(Absent(code, moment, unit, name, start, end, successor, column, reason,
                                row_id))
    return sorted(found, key=lambda r: (r.unit, r.received, r.code, r.column))


class Held(NamedTuple):
    """What a dossier held outside its unit's dates had before an operation changed it: its
    reception day and the unit in each role (`competent`: the unit it counts at, the receiving
    one when none is named)."""
    day: str
    unit_code: str
    competent: str


def held_outside(db, below: int) -> dict[int, Held]:
    """The dossiers of id below `below` already outside their unit's dates (units_absent; as
    a database from before round 29 holds them, which `check` names), by id: what the desk and
    `import dossiers` let such a dossier keep (`moved_out`). Read before an operation changes
    them; the same index look-ups, ~0 rows in a sound database."""
    ids = sorted({row.id for row in units_absent(db, 0, below)})
    return {row[0]: Held(*row[1:]) for row in rows_in(
        db, "SELECT id, substr(received_at, 1, 10), unit_code, COALESCE(competent_unit_code, "
        "unit_code) FROM dossiers WHERE id IN ({marks})", ids)}


def moved_out(rows: Sequence[Absent], before: dict[int, Held]) -> list[Absent]:
    """units_absent's rows of held dossiers that were not there already: the rule of the desk's
    correction (core.dossiers._check_reception: the same day keeps what is held) and of
    `import dossiers` (core.transfer.dossiers._check_existence): a dossier outside its unit's
    dates keeps what it has, but a new reception day, or a new unit in a role (receiving;
    competent, compared with the unit it counted at), outside the unit's dates is refused.
    `before`: held_outside, read before the dossiers changed."""
    def kept(row: Absent) -> bool:
        held = before.get(row.id)
        unit = held and (held.unit_code if row.column == "unit_code" else held.competent)
        return held is not None and (held.day, unit) == (row.received[:10], row.unit)
    return [row for row in rows if not kept(row)]


def _vn(day: str) -> str:
    return f"{dt.date.fromisoformat(day[:10]):%d/%m/%Y}"


def by_unit(rows: Sequence[Absent]) -> dict[str, list[Absent]]:
    """units_absent's rows, by unit code (each in order of reception)."""
    out: dict[str, list[Absent]] = {}
    for row in rows:
        out.setdefault(row.unit, []).append(row)
    return out


def life_text(db, row: Absent) -> str:
    """"hoạt động từ 01/07/2025", "hoạt động đến hết 30/06/2025; đơn vị kế thừa: Xã An Sơn
    (U1)": the unit's dates as the Danh mục screen names them."""
    return life_words(db, row.valid_from, row.valid_to, row.successor)


def life_words(db, start: str | None, end: str | None, successor: str | None) -> str:
    """life_text's words for a unit's dates and successor."""
    life = []
    if start:
        life.append(f"hoạt động từ {_vn(start)}")
    if end:
        life.append(f"hoạt động đến hết {_vn(end)}")
    if successor:
        heir = db.execute("SELECT name FROM units WHERE code = ?", [successor]).fetchone()
        life.append(f"đơn vị kế thừa: {heir[0] if heir else successor} ({successor})")
    return "; ".join(life)


def period_note(db, unit: str | None, first: dt.date, last: dt.date) -> str:
    """"UBND xã Điềm He (000.25.27.H37; hoạt động đến hết 30/06/2025; đơn vị kế thừa: …) không
    hoạt động ngày nào từ 01/11/2026 đến 30/11/2026": a unit chosen for a period it was not in
    being (a merged commune listed beside its successor of the same name), or "" when it was
    (core.moment.valid_in_period, spec 8)."""
    row = db.execute("SELECT name, valid_from, valid_to, successor_code FROM units WHERE code = ?",
                     [unit]).fetchone() if unit else None
    if row is None or valid_in_period(row[1], row[2], first, last):
        return ""
    return (f"{row[0]} ({unit}; {life_words(db, row[1], row[2], row[3])}) không hoạt động ngày "
            f"nào từ {first:%d/%m/%Y} đến {last:%d/%m/%Y}")


def dates_that_keep(rows: Sequence[Absent]) -> str:
    """The unit's dates that would keep these dossiers, as the catalogue's fields say them."""
    start, end = rows[0].valid_from, rows[0].valid_to
    after = [r.received[:10] for r in rows if end and r.received[:10] > end]
    before = [r.received[:10] for r in rows if start and r.received[:10] < start]
    said = []
    if after:
        said.append(f"«Hoạt động đến hết ngày» từ {_vn(max(after))} trở đi (hoặc để trống)")
    if before:
        said.append(f"«Hoạt động từ ngày» không muộn hơn {_vn(min(before))} (hoặc để trống)")
    return " và ".join(said)


def unit_sentence(db, rows: Sequence[Absent]) -> str:
    """One unit's dossiers: "Xã Hòa Bình (U2; hoạt động đến hết 30/06/2025; …): 4 hồ sơ —
    U2-251020-0001 tiếp nhận ngày 20/10/2025, …; ngày hoạt động giữ được chúng: …"."""
    first = rows[0]
    codes: dict[str, list[Absent]] = {}  # a dossier received at and given to the unit: once
    for row in rows:
        codes.setdefault(row.code, []).append(row)
    shown = ", ".join(f"{code} ({_roles(found)} ngày {_vn(found[0].received)})"
                      for code, found in list(codes.items())[:SHOWN])
    more = f" và {vn_number(len(codes) - SHOWN)} hồ sơ khác" if len(codes) > SHOWN else ""
    return (f"{first.name} ({first.unit}; {life_text(db, first)}): {vn_number(len(codes))} hồ sơ "
            f"được tiếp nhận hoặc giao giải quyết vào ngày đơn vị không hoạt động — {shown}{more}"
            f"; ngày hoạt động giữ được chúng: {dates_that_keep(rows)}")


def _roles(rows: Sequence[Absent]) -> str:
    """"tiếp nhận", "giao giải quyết" or both, in ROLE_VI's order."""
    columns = {r.column for r in rows}
    return ", ".join(word for column, word in ROLE_VI.items() if column in columns)


def units_text(db, rows: Sequence[Absent]) -> str:
    """Every unit's sentence (the first SHOWN units; the rest counted), joined."""
    groups = list(by_unit(rows).values())
    said = ". ".join(unit_sentence(db, group) for group in groups[:SHOWN])
    if len(groups) > SHOWN:
        said += f". Và {vn_number(len(groups) - SHOWN)} đơn vị khác như thế"
    return said


def dossier_count(rows: Sequence[Absent]) -> int:
    """How many dossiers (one received at a unit and given to another, both absent: once)."""
    return len({r.code for r in rows})
