"""Which installations can have issued the same codes, said before a merge (spec 4, 9).

Two installations clash only where both drew the same sequence number for the same unit on
the same day. Their slots (core.installation) tell whether they can draw the same number at all:
slot s of `of` draws n ≡ s (mod of), and two such classes share numbers exactly when
s ≡ s' (mod gcd(of, of')). The package's manifest says for which units and days its sender
issued codes (`ISSUED_KEY`: {unit: {YYMMDD: last number}}, from its code counters since the
package's first day); this installation's own counters say the same of it. So the preview warns
only where it matters, naming the units, days and codes concerned: a commune PC in slot 1/1
sending its own commune's dossiers to a centre in slot 1/1 that issues codes for the centre's
unit is fine, and is not warned about. A package of an older version says nothing of what it
issued: then the slots alone are named, as before.
"""
from __future__ import annotations

import datetime as dt
import math
import re

from core import installation
from core.timefmt import vn_date, vn_number

ISSUED_KEY = "issued"
ISSUED_MAX = 5000      # (unit, day) pairs a manifest lists; a larger sender says nothing (unknown)
DAYS_SHOWN = 3         # days named in one warning; the rest counted
_DAY = re.compile(r"\d{6}")
# what to do when two machines share a slot: said here and in compare.clash_warning
SEPARATE_SLOTS = "cho mỗi máy một số hiệu riêng (Dữ liệu → Máy này trong nhóm trao đổi…)"
FIX = f"Hãy {SEPARATE_SLOTS}."

Issued = dict[str, dict[str, int]]


def issued_since(db, since: dt.date) -> Issued | None:
    """What this installation issued from `since` on, for the manifest; None when too much."""
    rows = db.execute("SELECT unit_code, day, last FROM code_counters WHERE day >= ? "
                      "ORDER BY unit_code, day LIMIT ?",
                      [since.strftime("%y%m%d"), ISSUED_MAX + 1]).fetchall()
    if len(rows) > ISSUED_MAX:
        return None
    out: Issued = {}
    for unit, day, last in rows:
        out.setdefault(unit, {})[day] = last
    return out


def issued_of(manifest: dict) -> Issued | None:
    """What the package's sender says it issued; None when it says nothing or nothing usable
    (an older version, or a malformed manifest: a package's word is not trusted)."""
    said = manifest.get(ISSUED_KEY)
    if not isinstance(said, dict) or sum(len(d) for d in said.values()
                                         if isinstance(d, dict)) > ISSUED_MAX:
        return None
    for unit, days in said.items():
        if not isinstance(unit, str) or len(unit) > 40 or not isinstance(days, dict):
            return None
        if not all(isinstance(d, str) and _DAY.fullmatch(d) and type(n) is int and 0 < n < 10**7
                   for d, n in days.items()):
            return None
    return said


def _ours(db, units: list[str]) -> Issued:
    out: Issued = {}
    for unit in units:
        for day, last in db.execute("SELECT day, last FROM code_counters WHERE unit_code = ?",
                                    [unit]):
            out.setdefault(unit, {})[day] = last
    return out


def classes_meet(one: tuple[int, int], other: tuple[int, int]) -> bool:
    """Can slot one[0] of one[1] and slot other[0] of other[1] draw the same number?"""
    return (one[0] - other[0]) % math.gcd(one[1], other[1]) == 0


def common_numbers(one: tuple[int, int], other: tuple[int, int], up_to: int) -> list[int]:
    """The numbers both slots can draw, up to `up_to` (the smaller of the two last numbers)."""
    step = one[1] * other[1] // math.gcd(one[1], other[1])
    first = next((n for n in range(one[0], one[0] + step + 1, one[1])
                  if (n - other[0]) % other[1] == 0), None)
    return [] if first is None else list(range(first, up_to + 1, step))


def overlap_text(one: tuple[int, int], mine: Issued, other: tuple[int, int],
                 theirs: Issued) -> str | None:
    """The units, days and codes both issued (at most DAYS_SHOWN days named), or None."""
    units = sorted(set(mine) & set(theirs))
    if not units:
        return None
    said: list[str] = []
    days_left = 0
    for unit in units:
        for day in sorted(set(mine[unit]) & set(theirs[unit])):
            numbers = common_numbers(one, other, min(mine[unit][day], theirs[unit][day]))
            if not numbers:
                continue
            if len(said) == DAYS_SHOWN:
                days_left += 1
                continue
            codes = f"{unit}-{day}-{numbers[0]:04d}" + (
                f" … {unit}-{day}-{numbers[-1]:04d}, {vn_number(len(numbers))} mã"
                if len(numbers) > 1 else "")
            said.append(f"đơn vị {unit} ngày {_day(day)} (mã {codes})")
    if said:
        more = f" và {vn_number(days_left)} ngày khác" if days_left else ""
        return ("cả hai máy đã cấp mã hồ sơ cho " + "; ".join(said) + more +
                ": hai hồ sơ khác nhau có thể mang cùng một mã")
    return (f"cả hai máy đều cấp mã hồ sơ cho đơn vị {', '.join(units[:DAYS_SHOWN])} (chưa "
            "cùng ngày nào nên chưa trùng mã, nhưng hễ cùng ngày là trùng)")


def _day(day: str) -> str:
    try:
        return vn_date(dt.datetime.strptime(day, "%y%m%d").date())
    except ValueError:
        return day


def slot_text(sender: dict) -> str:
    """'2/3': a sender's code slot as the package preview and the report's sources table say it
    (core.exchange.checks.sender_text, core.exchange.sources), when its manifest states it as a
    PC can hold it — whole numbers, 1 ≤ K ≤ N ≤ SLOTS_MAX (core.installation.check_slot); ''
    for anything else (an older package, a hand-made one)."""
    number, of = sender.get("slot"), sender.get("of")
    if type(number) is int and type(of) is int and 1 <= number <= of <= installation.SLOTS_MAX:
        return f"{number}/{of}"
    return ""


def _slot_of(manifest: dict) -> tuple[int, int] | None:
    sender = manifest.get("installation") or {}
    number, of = sender.get("slot"), sender.get("of")
    if type(number) is int and type(of) is int and 1 <= number <= of:
        return number, of
    return None


def _slots_text(theirs: tuple[int, int], ours: tuple[int, int], whose: str) -> str:
    if theirs == ours:
        return f"cũng giữ số hiệu cấp mã {ours[0]}/{ours[1]} như {whose}"
    return (f"giữ số hiệu cấp mã {theirs[0]}/{theirs[1]}, {whose} {ours[0]}/{ours[1]} (hai cách "
            "chia có chung số thứ tự: các máy trong nhóm cần cùng một số máy)")


def sender_warnings(db, manifest: dict) -> list[str]:
    """What the clerk should know about the sending installation before merging."""
    sender = manifest.get("installation") or {}
    if sender.get("id") == installation.stored_id(db):  # read only: a dry run makes nothing
        return ["Gói này do chính máy này xuất."]
    theirs, ours = _slot_of(manifest), installation.slot(db)
    if theirs is None or not classes_meet(theirs, ours):
        return []
    said = issued_of(manifest)
    head = f"Máy gửi {_slots_text(theirs, ours, 'máy này')}"
    if said is None:  # an older sender: it cannot say which units it issued codes for
        return [f"{head}: hai máy có thể cấp trùng mã hồ sơ. {FIX}"]
    overlap = overlap_text(ours, _ours(db, sorted(said)), theirs, said)
    return [f"{head}, và {overlap}. {FIX}"] if overlap else []


def shared_slots(manifests: list[dict]) -> dict[int, str]:
    """Packages of one batch sent by two different installations whose slots share numbers
    (two PCs in one slot is the usual case) and that issued codes for a same unit: they can have
    given one code to two different dossiers. By position: the note each later one gets."""
    notes: dict[int, str] = {}
    for index, manifest in enumerate(manifests):
        for seen in range(index):
            note = _pair_note(manifests[seen], manifest, seen)
            if note:
                notes[index] = note
                break
    return notes


def _pair_note(earlier: dict, later: dict, seen: int) -> str | None:
    one, other = _slot_of(earlier), _slot_of(later)
    ids = [(m.get("installation") or {}).get("id") for m in (earlier, later)]
    if one is None or other is None or ids[0] == ids[1] or not classes_meet(one, other):
        return None
    head = (f"Gói này và gói thứ {seen + 1} do hai máy khác nhau gửi, "
            + (f"cùng số hiệu cấp mã {one[0]}/{one[1]}" if one == other else
               f"số hiệu cấp mã {other[0]}/{other[1]} và {one[0]}/{one[1]} có chung số thứ tự"))
    mine, theirs = issued_of(earlier), issued_of(later)
    if mine is None or theirs is None:
        return f"{head}: hai máy có thể đã cấp trùng mã hồ sơ. {FIX}"
    overlap = overlap_text(one, mine, other, theirs)
    return f"{head}, và {overlap}. {FIX}" if overlap else None
