"""The sender's office hours in a package's manifest, and what the centre is told when its own
differ (spec 2.1: office hours are a dated rule that governs a dossier's due time).

The hours are a setting, not a catalogue row: a package carried none, and a centre whose hours
differ from a commune's recomputed that commune's due times with its own, silently — 17:00
where the commune's receipt promised 17:30, a dossier finished at 17:15 on time at the commune
and late in the consolidated report. The centre keeps its hours (one set of hours governs every
dossier it holds); the preview now says that they differ and what it means, before anything is
written, so that the offices can agree on one set of hours before the report is signed.

What a package says is not trusted: hours that cannot be read refuse the package in words
(`check`, from the manifest's shape check, before anything is read or written), as a hostile
name list does (core.actor_names); the warning names the latest changes and counts the rest.
"""
from __future__ import annotations

import datetime as dt

from core import rules
from core.calendar import parse_sessions
from core.timefmt import vn_number

MANIFEST_KEY = "office_hours"
ENTRIES_MAX = 100  # dated changes of an office's hours: a few in its life
NAMED = 3  # changes named in the warning, each side; the earlier ones counted
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


def _read(entries) -> list[tuple[dt.date, tuple]]:
    """Entries (checked) as (from, sessions), a change to the hours already in force dropped:
    what governs a dossier is the hours in force on its day."""
    read: list[tuple[dt.date, tuple]] = []
    for start, sessions in sorted((dt.date.fromisoformat(e["valid_from"]),
                                   parse_sessions(e["hours"])) for e in entries):
        if not read or read[-1][1] != sessions:
            read.append((start, sessions))
    return read


def _sessions_text(sessions: tuple) -> str:
    def clock(second: int) -> str:
        return f"{second // 3600:02d}:{second % 3600 // 60:02d}"
    named = ", ".join(f"{clock(a)}–{clock(b)}" for a, b in sessions[:SESSIONS_NAMED])
    more = len(sessions) - SESSIONS_NAMED
    return named + (f" (và {vn_number(more)} buổi khác)" if more > 0 else "")


def _text(entries: list[tuple[dt.date, tuple]]) -> str:
    shown = "; ".join(f"{rules.vn_from(start)} {_sessions_text(sessions)}"
                      for start, sessions in entries[-NAMED:])
    earlier = len(entries) - NAMED
    return shown + (f" (và {vn_number(earlier)} lần đổi giờ trước đó)" if earlier > 0 else "")


def warning(db, theirs) -> str | None:
    """What the preview says when the package's office hours (its manifest's, `theirs`, held
    to `check` when the manifest was read) are not this installation's; None when they are the
    same or the package carries none (made before round 32)."""
    if not theirs:
        return None
    package, here = _read(theirs), _read(carried(db))
    if package == here:
        return None
    return (f"Giờ làm việc của máy gửi khác máy này: máy gửi {_text(package)}; máy này "
            f"{_text(here)}. Hạn của hồ sơ trong gói được tính theo giờ làm việc của máy này, "
            "nên có thể khác hạn máy gửi đã hẹn và số liệu máy gửi tự tính. Muốn số liệu khớp, "
            "hai máy cần cùng giờ làm việc (Cài đặt, giờ làm việc áp dụng từ ngày).")
