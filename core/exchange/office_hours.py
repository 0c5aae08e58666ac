"""The sender's office hours in a package's manifest, and what the centre is told when its own
differ (spec 2.1: office hours are a dated rule that governs a dossier's due time).

The hours are a setting, not a catalogue row: a package carried none, and a centre whose hours
differ from a commune's recomputed that commune's due times with its own, silently — 17:00
where the commune's receipt promised 17:30. Each dossier is governed by the hours in force at
its reception, so the two sides are compared only on the days the package's dossiers were
received (`governing`, core.exchange.package_span): hours that differed years ago, or that the
sender will change next month, govern none of them and are not mentioned. Where they do, the
warning names the days, how many dossiers and how many of their due times differ (`moved`: the
one due rule both ways), and the hours are a catalogue line the clerk may take (KIND,
"hours:<sender>"; default ours): `take` writes them, from the first such day, through the one
function that saves office hours (core.rules.set_office_hours, the settings screen's: its
right, its log), inside the import's transaction, after a preview listed what it changes
(`listing`, core.recompute.impact: the settings screen's own preview).

What a package says is not trusted: hours that cannot be read refuse the package in words
(`check`, from the manifest's shape check, before anything is read or written), as a hostile
name list does (core.actor_names); the warning names the first stretches and counts the rest.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core import rules
from core.calendar import parse_sessions, sessions_text
from core.timefmt import vn_number

MANIFEST_KEY = "office_hours"
KIND = "hours"  # its catalogue item: hours:<sender> (core.exchange.catalogue)
ENTRIES_MAX = 100  # dated changes of an office's hours: a few in its life
NAMED = 3  # stretches (and changes of each side) named in a warning; the rest counted
# sessions named of each change, the later ones counted: a real day has two or three, a crafted
# one 1,440 (every minute: 26 KB a change, inside the manifest's limit, a 54,000-character
# warning when each was named, break33)
SESSIONS_NAMED = 4


def carried(db) -> list[dict]:
    """This installation's office hours with the day each applies from, for the manifest."""
    return [{"valid_from": start.isoformat(), "hours": hours}
            for start, hours in rules.office_hours_entries(db)]


def _entry_reason(entry) -> str | None:
    if not isinstance(entry, dict):
        return "không phải một cặp ngày áp dụng và giờ làm việc"
    try:
        dt.date.fromisoformat(entry.get("valid_from"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return "ngày áp dụng không đúng dạng YYYY-MM-DD"
    hours = entry.get("hours")
    if not isinstance(hours, list) or not all(
            isinstance(pair, list) and len(pair) == 2
            and all(isinstance(t, str) and len(t) <= 8 for t in pair) for pair in hours):
        return "giờ làm việc không phải danh sách buổi [giờ bắt đầu, giờ kết thúc]"
    try:
        parse_sessions(hours)
    except ValueError as exc:
        return f"giờ làm việc không đọc được ({exc})"
    return None


def check(said) -> str | None:
    """Why a manifest's MANIFEST_KEY cannot be read (None: it can, or it is absent: a package
    made before round 32)."""
    if said is None:
        return None
    if not isinstance(said, list) or not said:
        return "không có buổi làm việc nào theo ngày áp dụng"
    if len(said) > ENTRIES_MAX:
        return (f"có {vn_number(len(said))} lần đổi giờ làm việc, nhiều hơn giới hạn "
                f"{vn_number(ENTRIES_MAX)}")
    for number, entry in enumerate(said, 1):
        if reason := _entry_reason(entry):
            return f"mục thứ {number}: {reason}"
    return None


def _read(entries) -> list[tuple[dt.date, tuple, list]]:
    """Entries (checked) as (from, sessions, hours as written), a change to the hours already
    in force dropped: what governs a dossier is the hours in force on its day."""
    read: list[tuple[dt.date, tuple, list]] = []
    for start, sessions, hours in sorted(((dt.date.fromisoformat(e["valid_from"]),
                                           parse_sessions(e["hours"]), e["hours"])
                                          for e in entries), key=lambda e: (e[0], e[1])):
        if not read or read[-1][1] != sessions:
            read.append((start, sessions, hours))
    return read


def _sessions(sessions: tuple) -> str:
    named = sessions_text(sessions[:SESSIONS_NAMED])
    more = len(sessions) - SESSIONS_NAMED
    return named + (f" (và {vn_number(more)} buổi khác)" if more > 0 else "")


def shown(entries: list[tuple[dt.date, tuple, list]]) -> str:
    named = "; ".join(f"{rules.vn_from(start)} {_sessions(sessions)}"
                      for start, sessions, _hours in entries[-NAMED:])
    earlier = len(entries) - NAMED
    return named + (f" (và {vn_number(earlier)} lần đổi giờ trước đó)" if earlier > 0 else "")


@dataclass
class Stretch:
    """Days [start, end) (end None: on) on which the two sides' hours in force differ, each
    side's one set of hours, and the package's dossiers received on them (`count`, their first
    and last day)."""
    start: dt.date
    end: dt.date | None
    ours: tuple
    theirs: tuple
    count: int = 0
    first: str | None = None
    last: str | None = None

    def text(self) -> str:
        first, last = (dt.date.fromisoformat(d) for d in (self.first, self.last))  # type: ignore[arg-type]
        days = f"{first:%d/%m/%Y}" + (f"–{last:%d/%m/%Y}" if last != first else "")
        return (f"tiếp nhận {days} ({vn_number(self.count)} hồ sơ): máy gửi "
                f"{_sessions(self.theirs)}, máy này {_sessions(self.ours)}")


def stretches(ours, theirs) -> list[Stretch]:
    """The days on which the hours in force differ, cut where either side changes them (read
    as `_read` gives them), a stretch going on while both sides' hours stay the same."""
    def at(entries, day):
        return rules.in_force([(start, sessions) for start, sessions, _ in entries], day)
    starts = sorted({rules.BEGINNING} | {e[0] for e in ours} | {e[0] for e in theirs})
    out: list[Stretch] = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else None
        here, there = at(ours, start), at(theirs, start)
        if here == there:
            continue
        if out and out[-1].end == start and (out[-1].ours, out[-1].theirs) == (here, there):
            out[-1].end = end
        else:
            out.append(Stretch(start, end, here, there))
    return out


def governing(db, theirs, span) -> tuple[list[Stretch], list, list] | None:
    """The stretches of differing hours on which the package's dossiers were received (each
    with its count), this installation's and the package's hours read; None when the package
    carries no hours (made before round 32) or none of its dossiers is governed by hours that
    differ (spec 2.1: each dossier by the hours in force at its reception)."""
    if not theirs:
        return None
    package, here = _read(theirs), _read(carried(db))
    found = []
    for stretch in stretches(here, package):
        stretch.count, stretch.first, stretch.last = span.received(stretch.start, stretch.end)
        if stretch.count:
            found.append(stretch)
    return (found, here, package) if found else None


def ahead(db, theirs, today: dt.date) -> tuple[Stretch, list, list] | None:
    """For a package of no dossier (a catalogue sent on its own): the first stretch, from
    today on, of the days on which the two sides' hours in force differ — its start today at
    the earliest (spec 2.1: such hours govern no dossier held here yet, only those received
    from then on: the sender's future dossiers, and this installation's own once taken); None
    when the package carries no hours or they are this installation's from today on (hours
    that differed only in the past govern nothing to come)."""
    if not theirs:
        return None
    package, here = _read(theirs), _read(carried(db))
    for stretch in stretches(here, package):
        if stretch.end is None or stretch.end > today:
            stretch.start = max(stretch.start, today)
            return stretch, here, package
    return None


def ahead_warning(stretch: Stretch, sender: str) -> str:
    """What the preview and the command say of a catalogue's hours (`ahead`)."""
    until = "" if stretch.end is None else f" đến hết {stretch.end - dt.timedelta(days=1):%d/%m/%Y}"
    return (f"Giờ làm việc của máy gửi khác máy này {rules.vn_from(stretch.start)}{until}: máy "
            f"gửi {_sessions(stretch.theirs)}, máy này {_sessions(stretch.ours)}. Gói không mang "
            "hồ sơ nào nên không hồ sơ nào của gói bị ảnh hưởng; hồ sơ máy gửi tiếp nhận từ ngày "
            "ấy, khi nhập về, được tính hạn theo giờ làm việc của máy này nếu giữ giờ của máy "
            f"này (mặc định). Lấy theo gói (đánh dấu dòng Giờ làm việc; dòng lệnh: "
            f"--catalogue-item {KIND}:{sender}=theirs): giờ làm việc của máy này thành của máy "
            f"gửi {rules.vn_from(stretch.start)}; giờ trước ngày ấy giữ nguyên.")


def taken_from(found: list[Stretch]) -> dt.date:
    """The day from which taking the package's hours makes them this installation's: the first
    stretch that governs a dossier of the package; what was in force before stays."""
    return found[0].start


def take(db, theirs, start: dt.date) -> None:
    """The package's hours (its manifest's, checked) in force here from `start` on, each of
    its versions from its own day, through the one function that saves office hours
    (core.rules.set_office_hours: the settings screen's; settings.edit, logged with who)."""
    package = _read(theirs)
    in_force = rules.in_force([(day, hours) for day, _sessions, hours in package], start)
    rules.set_office_hours(db, in_force, start)
    for day, _sessions, hours in package:
        if day > start:
            rules.set_office_hours(db, hours, day)


def warning(found: list[Stretch], sender: str, moved: int) -> str:
    """What the preview and the command say when the package's hours differ from this
    installation's on the days its dossiers were received (`governing`); `moved`: of those
    dossiers, the ones whose due time differs by the two sides' hours (`moved`)."""
    count = sum(s.count for s in found)
    named = "; ".join(s.text() for s in found[:NAMED])
    rest = len(found) - NAMED
    named += f"; và {vn_number(rest)} khoảng ngày khác" if rest > 0 else ""
    return (f"Giờ làm việc của máy gửi khác máy này vào ngày tiếp nhận của {vn_number(count)} "
            f"hồ sơ trong gói — {named}. Giữ giờ của máy này (mặc định): hạn của những hồ sơ ấy "
            f"tính theo giờ làm việc của máy này, {vn_number(moved)} hồ sơ có hạn khác hạn tính "
            "theo giờ của máy gửi (hạn máy gửi đã hẹn, số liệu máy gửi tự tính). Lấy theo gói "
            f"(đánh dấu dòng Giờ làm việc; dòng lệnh: --catalogue-item {KIND}:{sender}=theirs): "
            f"giờ làm việc của máy này thành của máy gửi {rules.vn_from(taken_from(found))}, hạn "
            "của mọi hồ sơ máy này giữ tiếp nhận từ ngày ấy được tính lại.")


def taken_text(start: dt.date, recomputed: int) -> str:
    """Said once the package's hours were taken (`take`)."""
    return (f"Đã lấy giờ làm việc theo gói {rules.vn_from(start)}: {vn_number(recomputed)} hồ "
            "sơ máy này đang giữ tiếp nhận từ ngày ấy được tính lại (cùng hồ sơ của gói).")


def moved(db, ids: list[int], theirs, progress=None) -> int:
    """Of these dossiers held here, those whose due time by the package's hours differs from
    the one by this installation's: each computed by the one rule of a due time
    (core.due.base_due, with the hours in force at its reception: WorkCalendar.governing).
    `progress(done, total)` asked every 2,000 (about 0.05 s); False stops it (InterruptedError)."""
    from core.calendar import WorkCalendar, load_calendar
    from core.due import base_due
    from core.moment import load_inputs
    if not ids:
        return 0
    here = load_calendar(db)
    dated = tuple((day, sessions) for day, sessions, _hours in _read(theirs))
    there = WorkCalendar(here.overrides, dated[-1][1], dated if len(dated) > 1 else ())
    count = 0
    for start in range(0, len(ids), 2000):
        count += sum(
            base_due(here.governing(i.received_at), i.received_at, i.limit, i.due_at)
            != base_due(there.governing(i.received_at), i.received_at, i.limit, i.due_at)
            for i in load_inputs(db, ids[start:start + 2000]))
        if progress is not None and progress(min(start + 2000, len(ids)), len(ids)) is False:
            raise InterruptedError("import cancelled")
    return count


def _versions_said(theirs, start: dt.date) -> str:
    """The versions taking the package's hours writes, and the day they apply from."""
    package = _read(theirs)
    versions = [(start, rules.in_force([(d, s) for d, s, _ in package], start), [])] + [
        entry for entry in package if entry[0] > start]
    return (f"Nếu lấy giờ làm việc theo gói: giờ làm việc của máy này thành {shown(versions)}"
            f"{'' if start <= rules.BEGINNING else '; giờ trước ngày ấy giữ nguyên'}.")


def _may_take() -> bool:
    from core.accounts import can
    from db import actor
    return can(actor.current(), "settings.edit")


_NO_RIGHT = " Tài khoản này không có quyền thay đổi cài đặt nên không lấy được."


def listing(db, theirs, start: dt.date, sender: str) -> str:
    """What taking the package's hours would change, said in every preview where they differ:
    the versions, the day they apply from and how many dossiers held here it recomputes (one
    count). How many of those change due time or result takes the settings screen's own
    preview (`impact_text`), a pass over every one of them — 15 s for a centre of 200,000
    whose hours differ from the beginning: worked out only when the clerk chooses to take
    them (the window, on ticking the line; the command line, a dry run of the take)."""
    from core import recompute
    said = _versions_said(theirs, start)
    if not _may_take():
        return said + _NO_RIGHT
    held = recompute.count_received_from(db, start)
    return (f"{said} {vn_number(held)} hồ sơ máy này đang giữ tiếp nhận {rules.vn_from(start)} "
            "sẽ được tính lại; bao nhiêu hồ sơ đổi hạn, đổi kết quả được tính và nêu khi chọn "
            f"lấy (đánh dấu dòng Giờ làm việc; dòng lệnh: --dry-run với --catalogue-item "
            f"{KIND}:{sender}=theirs).")


def impact_text(db, theirs, start: dt.date, progress=None) -> str:
    """What taking the package's hours would change, in full, before anything is saved (spec
    2.1: a change meant to apply to the past is listed first): the versions and the day they
    apply from, and the dossiers held here that it recomputes, worked out by the settings
    screen's own preview (core.recompute.impact: the change applied and rolled back, every due
    time computed by the one rule; `progress(done, total)` False stops it) — said without it
    to an account that may not change them."""
    from core import recompute
    said = _versions_said(theirs, start)
    if not _may_take():
        return said + _NO_RIGHT
    ids = recompute.dossiers_received_from(db, start)
    impact = recompute.impact(db, lambda conn: take(conn, theirs, start), ids, start, progress)
    return (f"{said} {vn_number(impact.dossiers)} hồ sơ máy này đang giữ tiếp nhận "
            f"{rules.vn_from(start)} được tính lại ({vn_number(impact.open_dossiers)} hồ sơ "
            f"đang giải quyết), {vn_number(impact.due_moved)} hồ sơ đổi hạn trả kết quả. "
            + impact.lines()[1])
