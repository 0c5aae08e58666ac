"""The import the clerk previewed is the one written: the same packages, no conflict the
preview did not show, and a sender's office hours taken from the day it said (core.exchange
.merge)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from core import timefmt
from core.errors import InputError
from core.exchange import compare, office_hours
from core.exchange.merge.results import CONFLICTS_SHOWN, BatchResult, ExchangeResult


def as_previewed(paths: list[Path], batch: BatchResult, previewed: BatchResult | None) -> None:
    """The packages written are the ones the clerk previewed: a file replaced in between (a
    second copy of the same name put on the USB while the preview stood open) is refused
    before anything is read, rather than written with conflicts nobody was shown."""
    if previewed is None:
        return
    changed = [p.name for p, now, seen in zip(paths, batch.results, previewed.results,
                                              strict=True) if now.ident != seen.ident]
    if changed:
        raise InputError(f"Gói {', '.join(changed)} đã thay đổi sau khi xem trước (tệp đã được "
                         "chép đè hay thay bằng gói khác). Chưa ghi gì vào cơ sở dữ liệu. "
                         "Hãy nhập lại để xem trước đúng gói sẽ nhập.")


def still_as_previewed(paths: list[Path], results: list[ExchangeResult],
                       previewed: BatchResult | None) -> None:
    """Inside the import's transaction, before its commit: no conflict the preview did not show.
    Another import (a second window, the command line) or a clerk that wrote between the
    preview and "Nhập gói" turned the package's new or changed dossiers into conflicts nobody
    saw, then kept by the default; refused instead (InputError: everything rolled back). The
    clerk's own choices only move counts the other way (a conflict taken: the package it went
    on from is "older")."""
    if previewed is None:
        return
    _hours_as_previewed(paths, results, previewed)
    moved = []
    for path, now, seen in zip(paths, results, previewed.results, strict=True):
        listed = {c.code for c in seen.conflicts}
        # a clash chosen at an earlier import that the clerk reopened (the preview's list of
        # those: `reopenable`) is a conflict again, as chosen
        listed |= {c.code for c in seen.reopenable}
        unseen = [c.code for c in now.conflicts if c.code not in listed]
        more = now.dossiers[compare.CONFLICT] - now.reopened - seen.dossiers[compare.CONFLICT]
        if more > 0 or (unseen and len(seen.conflicts) < CONFLICTS_SHOWN):
            codes = f" ({', '.join(unseen[:3])}{', …' if len(unseen) > 3 else ''})" \
                if unseen else ""
            moved.append(f"gói {path.name}: khi xem trước "
                         f"{timefmt.vn_number(seen.dossiers[compare.CONFLICT])} hồ sơ xung đột, "
                         f"nay {timefmt.vn_number(now.dossiers[compare.CONFLICT])}{codes}")
    if moved:
        raise InputError("Dữ liệu của máy này đã thay đổi sau khi xem trước (một lần nhập hay một "
                         "thao tác khác vừa ghi): có hồ sơ xung đột chưa được xem và chọn "
                         f"({'; '.join(moved)}). Chưa ghi gì vào cơ sở dữ liệu. Hãy nhập lại để "
                         "xem trước và chọn.")


def _hours_as_previewed(paths: list[Path], results: list[ExchangeResult],
                        previewed: BatchResult) -> None:
    """A sender's office hours taken from the day the preview said, or refused: a catalogue
    sent on its own is taken from today (office_hours.ahead), so «Nhập» pressed after midnight
    took them from the next day, the preview's listing of what it recomputes no longer true;
    so does this installation's hours changed in between (review34b)."""
    for path, now, seen in zip(paths, results, previewed.results, strict=True):
        shown = {d.item: d.theirs.get("from") for d in seen.catalogue_diffs
                 if d.kind == office_hours.KIND}
        for item in now.catalogue_diffs:
            if item.kind != office_hours.KIND or item.item not in now.catalogue_taken:
                continue
            day, then = item.theirs["from"], shown.get(item.item)
            if then != day:
                was = "không có" if then is None else f"lấy {_day(then)}"
                raise InputError(
                    f"Giờ làm việc của máy gửi ({path.name}): khi xem trước {was}, nay lấy "
                    f"{_day(day)} (đã sang ngày mới, hay giờ làm việc của máy này vừa đổi), nên "
                    "số hồ sơ được tính lại không còn như đã nêu. Chưa ghi gì vào cơ sở dữ liệu. "
                    "Hãy nhập lại để xem trước và chọn.")


def _day(text: str) -> str:
    return f"từ {timefmt.vn_date(dt.date.fromisoformat(text))}"
