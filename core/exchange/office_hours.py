"""The sender's office hours in a package's manifest, and what the centre is told when its own
differ (spec 2.1: office hours are a dated rule that governs a dossier's due time).

The hours are a setting, not a catalogue row: a package carried none, and a centre whose hours
differ from a commune's recomputed that commune's due times with its own, silently — 17:00
where the commune's receipt promised 17:30, a dossier finished at 17:15 on time at the commune
and late in the consolidated report. The centre keeps its hours (one set of hours governs every
dossier it holds); the preview now says that they differ and what it means, before anything is
written, so that the offices can agree on one set of hours before the report is signed.
"""
from __future__ import annotations

import datetime as dt

from core import rules
from core.calendar import parse_sessions

MANIFEST_KEY = "office_hours"


def carried(db) -> list[dict]:
    """This installation's office hours with the day each applies from, for the manifest."""
    return [{"valid_from": start.isoformat(), "hours": hours}
            for start, hours in rules.office_hours_entries(db)]


def _read(entries) -> list[tuple[dt.date, tuple]] | None:
    """The package's entries as (from, sessions), or None when they cannot be read (what a
    package says is not trusted: not read, not shown)."""
    if not isinstance(entries, list) or not entries or len(entries) > 100:
        return None
    read = []
    try:
        for entry in entries:
            read.append((dt.date.fromisoformat(entry["valid_from"]),
                         parse_sessions(entry["hours"])))
    except (TypeError, ValueError, KeyError, AttributeError):
        return None
    return read


def _text(entries: list[tuple[dt.date, tuple]]) -> str:
    def clock(second: int) -> str:
        return f"{second // 3600:02d}:{second % 3600 // 60:02d}"
    return "; ".join(f"{rules.vn_from(start)} "
                     + ", ".join(f"{clock(a)}–{clock(b)}" for a, b in sessions)
                     for start, sessions in entries)


def warning(db, theirs) -> str | None:
    """What the preview says when the package's office hours (its manifest's, `theirs`) are
    not this installation's; None when they are the same or the package carries none (made
    before round 32) or none readable."""
    package = _read(theirs)
    if package is None:
        return None
    here = _read(carried(db))
    if here is None or package == here:
        return None
    return (f"Giờ làm việc của máy gửi khác máy này: máy gửi {_text(package)}; máy này "
            f"{_text(here)}. Hạn của hồ sơ trong gói được tính theo giờ làm việc của máy này, "
            "nên có thể khác hạn máy gửi đã hẹn và số liệu máy gửi tự tính. Muốn số liệu khớp, "
            "hai máy cần cùng giờ làm việc (Cài đặt, giờ làm việc áp dụng từ ngày).")
