"""Matching MotCua's dossiers of a period with the provincial system's, and what differs.

Matching is by code first; what is left on both sides is matched by procedure + applicant
(name folded: no diacritics, any case) + the unit (`UnitRule`) + reception time within a
tolerance, nearest first.
Each pair says how it was made. A pair then differs in a field when the province would see
another value (core.reconcile.differing).
"""
from __future__ import annotations

import bisect
import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import sqlite_utils

from core import moment
from core.actor_names import Names
from core.exchange import recode

# what differs between a pair's two sides: its home is core.reconcile.differing, named here too,
# where the reconciliation, the window and the tests have always asked for it
from core.reconcile.differing import DIGITISATION as DIGITISATION
from core.reconcile.differing import NOT_RECORDED as NOT_RECORDED
from core.reconcile.differing import Difference as Difference
from core.reconcile.differing import differences as differences
from core.textnorm import fold
from core.timefmt import parse_db_time
from core.validation import clean_name
from core.vnsort import vn_key
from db.batches import rows_in

ITEMS_SELECT = """
SELECT d.id, d.code, d.procedure_code, d.applicant_name, d.channel, d.received_at, d.status,
       COALESCE(d.due_at, d.calc_due_at), d.finished_at, d.unit_code, d.competent_unit_code,
       d.received_by, COALESCE(d.fee, p.fee, 0),
       EXISTS (SELECT 1 FROM payments m WHERE m.dossier_id = d.id AND m.method = 'online'
               AND m.cancelled_at IS NULL),
       COALESCE((SELECT MIN(c.digitised) FROM dossier_components c
                 WHERE c.dossier_id = d.id AND c.received = 1), d.digitised),
       d.result_digitised
FROM dossier_rows r JOIN dossiers d ON d.id = r.id JOIN procedures p ON p.code = d.procedure_code
"""
ITEMS_SQL = ITEMS_SELECT + """
WHERE r.received_at >= unixepoch(?) AND r.received_at < unixepoch(?)
ORDER BY r.received_at, d.code
"""

# The reception times of two dossiers coded differently may differ by this much and still be
# one dossier, unless a reconciliation is given another (--tolerance): an import's likely
# duplicates (core.reconcile.duplicates) use it as it is
TOLERANCE_MINUTES = 30
# How a pair matched by code says so in every table (a bare "mã" read as a fragment)
BY_CODE = "cùng mã hồ sơ"
# How a pair matched without a code was made (Pair.method; Pair.how adds the gap)
NEAR = "thủ tục + chủ hồ sơ + giờ tiếp nhận"


@dataclass(slots=True)
class Item:
    """One dossier as both sides are compared."""

    id: int
    code: str
    procedure: str
    applicant: str
    channel: str
    received: str
    status: str
    due: str | None
    finished: str | None
    unit: str
    competent: str | None
    clerk: str | None
    fee: int
    paid_online: bool
    # Decision 766 4.2: every submitted document digitised (core.moment's rule: a document list
    # decides, else the dossier's own flag, as a provincial file's DaSoHoaThanhPhan is read);
    # None: not recorded (counted as not digitised)
    digitised: bool | None = None
    result_digitised: bool = False
    # MotCua's dossier re-coded at an exchange import (core.exchange.recode): its sender's code,
    # the one the province may hold it under
    original: str | None = None


@dataclass(slots=True)
class Pair:
    ours: Item
    theirs: Item
    gap: int | None = None  # minutes between the two receptions; None: matched by code
    rivals: int = 0  # other dossiers within the tolerance that could have been this one's match
    unit: str = ""  # the unit both sides share (UnitRule.basis), "" when not compared

    @property
    def by_code(self) -> bool:
        return self.gap is None

    @property
    def method(self) -> str:
        """How the pair was made, without the gap (a list that shows the gap in a column):
        "thủ tục + chủ hồ sơ + giờ tiếp nhận, cùng đơn vị tiếp nhận[; không chắc chắn…]"."""
        if self.gap is None:
            return BY_CODE
        return self._near() + (f"; {_uncertain(self.rivals)}" if self.rivals else "")

    @property
    def listed(self) -> str:
        """How the pair was made in a list that shows both receptions, the gap, and says the
        unit both sides share once (the same for every pair: UnitRule.basis): "thủ tục + chủ
        hồ sơ + giờ tiếp nhận[; không chắc chắn…]" — read whole at 1366 px (walk33: «…cùng
        đơn …» cut short in «Đã ghép»)."""
        if self.gap is None:
            return BY_CODE
        return NEAR + (f"; {_uncertain(self.rivals)}" if self.rivals else "")

    @property
    def how(self) -> str:
        """BY_CODE, or "thủ tục + chủ hồ sơ + giờ tiếp nhận (lệch N phút), cùng đơn vị tiếp
        nhận[; không chắc chắn…]"."""
        if self.gap is None:
            return BY_CODE
        return self._near(f" (lệch {self.gap} phút)") + (f"; {_uncertain(self.rivals)}"
                                                          if self.rivals else "")

    def _near(self, gap: str = "") -> str:
        return f"{NEAR}{gap}" + (f", cùng {self.unit}" if self.unit else "")


@dataclass(frozen=True)
class UnitRule:
    """The unit both dossiers of a pair made without a code must share (issue 16 §2): two
    communes' citizens of one name and procedure received the same morning are two dossiers,
    and matching them across the communes hid one as "missing" and the other as "entered".
    `basis` names it in the pair's explanation; `ours` and `theirs` give each side's unit."""
    basis: str
    ours: Callable[[Item], str]
    theirs: Callable[[Item], str]


def unit_rule(present: set[str], issuers: dict[str, str]) -> UnitRule:
    """The unit a provincial file lets both sides compare, by the columns it holds (`present`):
    with MaDonViTiepNhan and MaDonViGiaiQuyet, the resolving unit; with MaDonViTiepNhan alone,
    the receiving unit; without it the import reads the unit from the code, which names the
    resolving unit (spec 4). Each unit is taken as the unit that issues its documents
    (`issuers`: a reception point's or a branch's is the unit it belongs to), so a dossier a
    commune's reception point received matches the one the province files under the commune."""
    def issuer(code: str | None) -> str:
        return issuers.get(code or "", code or "")

    def resolving(item: Item) -> str:
        return issuer(counted_unit(item))

    if "unit_code" in present and "competent_unit_code" not in present:
        return UnitRule("đơn vị tiếp nhận", lambda i: issuer(i.unit), lambda i: issuer(i.unit))
    return UnitRule("đơn vị giải quyết", resolving, resolving)


def _uncertain(rivals: int) -> str:
    return f"không chắc chắn: còn {rivals} hồ sơ khác trong độ lệch"


@dataclass
class Matching:
    pairs: list[Pair]
    only_ours: list[Item]    # in MotCua, missing from the provincial system
    only_theirs: list[Item]  # in the provincial system, missing from MotCua


def load_items(db: sqlite_utils.Database, first: dt.date, last: dt.date,
               scope: set[str] | None) -> list[Item]:
    """The dossiers received in [first, last] at or for a unit of `scope` (None: all)."""
    end = last + dt.timedelta(days=1)
    rows = db.execute(ITEMS_SQL, [f"{first.isoformat()} 00:00:00", f"{end.isoformat()} 00:00:00"])
    items = _named(db, [Item(*row) for row in rows])
    if scope is None:
        return items
    return [i for i in items if in_scope(i, scope)]


def items_by_code(db: sqlite_utils.Database, codes: set[str]) -> list[Item]:
    """The dossiers of these codes, whenever received and wherever (none: none)."""
    items = [Item(*row) for row in rows_in(db, ITEMS_SELECT + "WHERE r.code IN ({marks})",
                                           sorted(codes))]
    return _named(db, items)


def _named(db: sqlite_utils.Database, items: list[Item]) -> list[Item]:
    originals = recode.original_codes(db, [i.code for i in items]) if recode.any_aliases(db) \
        else {}
    for item in items if originals else ():
        item.original = originals.get(item.code)
    names = Names(db)  # a leader reads "Hoàng Thị Mai", not the login canbo.trile; a commune's
    for item in items:  # canbo1 merged here by the commune's name, not the centre's canbo1's
        item.paid_online = bool(item.paid_online)
        item.digitised = None if item.digitised is None else bool(item.digitised)
        item.result_digitised = bool(item.result_digitised)
        if item.clerk:
            item.clerk = names.of(item.clerk, "dossier_rows", item.id)
    return items


def to_enter_order(item: Item) -> tuple:
    """The order of the list a commune enters before the cut-off (the PDF's section II and the
    workbook's sheet alike): clerk in Vietnamese alphabetical order (core.vnsort; Đ after D,
    not after Z), a dossier nobody is recorded to have received last, then reception, code."""
    return item.clerk is None, vn_key(item.clerk), item.received, item.code


def counted_unit(item: Item) -> str:
    """The unit whose figures count the dossier (spec 5): its competent unit, else the unit
    that received it — core.moment.counted_unit, the COALESCE of the figures' SQL. The one rule
    of the reconciliation's units: matching's (`unit_rule`), the resolving unit compared
    (core.reconcile.differing), the notes' counts (core.reconcile._count_pairs_apart)."""
    return moment.counted_unit(item.competent, item.unit)


def in_scope(item: Item, scope: set[str]) -> bool:
    """Received at or for a unit of `scope`: the dossiers a unit's reconciliation lists."""
    return item.unit in scope or item.competent in scope


def match(ours: list[Item], theirs: list[Item], tolerance: dt.timedelta,
          elsewhere: Sequence[Item] = (), ours_elsewhere: Sequence[Item] = (),
          units: UnitRule | None = None) -> Matching:
    """`units`: the unit the pairs made without a code share (None: not compared).
    `elsewhere`: the province's dossiers outside the period or the unit's scope that carry
    the code of one of `ours`; `ours_elsewhere`: MotCua's that carry the code of one of
    `theirs`. Both are matched by code only: the province holding one of ours under another
    unit or with a reception on another day (entered the next morning) has it, and the
    difference says so; listed as missing, a commune entered it a second time, and the next
    month's list called it missing from MotCua."""
    by_code = {t.code: t for t in elsewhere}
    by_code.update((t.code, t) for t in theirs)
    outside = {id(t) for t in elsewhere}
    pairs, left = [], []
    recoded = _by_original(ours, by_code)
    claimed = set(recoded.values())
    for item in ours:
        code = recoded.get(id(item), item.code)
        other = None if code in claimed and id(item) not in recoded else by_code.pop(code, None)
        if other is None:
            left.append(item)
        else:
            pairs.append(Pair(item, other))
    mine = {o.code: o for o in ours_elsewhere}
    remaining: dict[str, Item] = {}
    for code, other in by_code.items():
        if id(other) in outside:
            continue
        if code in mine:
            pairs.append(Pair(mine[code], other))
        else:
            remaining[code] = other
    by_code = remaining
    fuzzy, only_ours = _match_near(left, list(by_code.values()), tolerance, units)
    used = {id(p.theirs) for p in fuzzy}
    only_theirs = [t for t in by_code.values() if id(t) not in used]
    return Matching(pairs + fuzzy, only_ours, only_theirs)


def _by_original(ours: list[Item], by_code: dict[str, Item]) -> dict[int, str]:
    """{id(item): the province's code it is matched by} of the dossiers re-coded at an exchange
    import (two PCs gave one code to two citizens): its sender's code, when the province's
    dossier of that code is this citizen's and not the one holding the code here."""
    holders = {i.code: i for i in ours}
    out: dict[int, str] = {}
    for item in ours:
        original = item.original
        other = by_code.get(original) if original else None
        if original is None or other is None or original in out.values():
            continue
        holder = holders.get(original)
        if _person(item) == _person(other) and (holder is None or
                                                _person(holder) != _person(other)):
            out[id(item)] = original
    return out


def _person(item: Item) -> str:
    return fold(clean_name(item.applicant))


def _key(item: Item, unit: Callable[[Item], str] | None) -> tuple[str, str, str]:
    return item.procedure, fold(clean_name(item.applicant)), unit(item) if unit else ""


def _match_near(ours: list[Item], theirs: list[Item], tolerance: dt.timedelta,
                units: UnitRule | None = None) -> tuple[list[Pair], list[Item]]:
    """Pairs by procedure + applicant within `tolerance` of reception, the closest pair first.

    Closest first over the whole group, not in the order our dossiers come: with ours at 08:00
    and 08:25 and theirs at 08:20, the 08:25 one is its match (taking the first one's nearest
    left the true match unmatched). A pair whose dossier had another candidate within the
    tolerance on either side says so (`Pair.how`): which one matches is then the closest, not a
    certainty, and the leader is told to look rather than left to trust a guess."""
    groups: dict[tuple[str, str, str], tuple[list, list]] = defaultdict(lambda: ([], []))
    for side, items in ((0, ours), (1, theirs)):
        unit = None if units is None else units.theirs if side else units.ours
        for number, item in enumerate(items):
            groups[_key(item, unit)][side].append((parse_db_time(item.received), side, number,
                                                   item))
    pairs: list[Pair] = []
    unmatched: list[Item] = []
    for mine, other in groups.values():
        if not other:
            unmatched.extend(entry[3] for entry in mine)
            continue
        matched = _closest_first(sorted(mine + other, key=lambda e: (e[0], e[1], e[2])), tolerance)
        rivals = _rivals(mine, other, tolerance)
        for o, t in matched:
            minutes = round(abs((t[0] - o[0]).total_seconds()) / 60)
            pairs.append(Pair(o[3], t[3], minutes, rivals[id(o)] + rivals[id(t)] - 2,
                              units.basis if units else ""))
        done = {id(o) for o, _ in matched}
        unmatched.extend(entry[3] for entry in mine if id(entry) not in done)
    # in the order MotCua's dossiers came (received, code), as before grouping
    pairs.sort(key=lambda pair: (pair.ours.received, pair.ours.code))
    unmatched.sort(key=lambda item: (item.received, item.code))
    return pairs, unmatched


def _closest_first(entries: list, tolerance: dt.timedelta) -> list[tuple]:
    """Greedy closest-pair matching of two sides on a time line, in O(n log n).

    The closest pair of opposite sides is always adjacent in time order (anything between them
    is closer to one of them), so a heap of adjacent opposite pairs, relinked as pairs leave,
    gives every match without comparing all against all — a file of 100,000 dossiers of one
    company and one procedure stays quick."""
    count = len(entries)
    before, after = list(range(-1, count - 1)), list(range(1, count + 1))
    alive = [True] * count
    heap: list[tuple] = []

    def push(i: int, j: int) -> None:
        if 0 <= i and j < count and entries[i][1] != entries[j][1]:
            gap = entries[j][0] - entries[i][0]
            if gap <= tolerance:
                heapq.heappush(heap, (gap, i, j))

    for i in range(count - 1):
        push(i, i + 1)
    matched = []
    while heap:
        _, i, j = heapq.heappop(heap)
        if not (alive[i] and alive[j]) or after[i] != j:
            continue
        alive[i] = alive[j] = False
        left, right = before[i], after[j]
        if left >= 0:
            after[left] = right
        if right < count:
            before[right] = left
        push(left, right)
        first, second = entries[i], entries[j]
        matched.append((first, second) if first[1] == 0 else (second, first))
    return matched


def _rivals(mine: list, other: list, tolerance: dt.timedelta) -> dict[int, int]:
    """For each entry, how many of the other side lie within the tolerance of it."""
    counts: dict[int, int] = {}
    for side, opposite in ((mine, other), (other, mine)):
        moments = sorted(entry[0] for entry in opposite)
        for entry in side:
            counts[id(entry)] = (bisect.bisect_right(moments, entry[0] + tolerance)
                                 - bisect.bisect_left(moments, entry[0] - tolerance))
    return counts
