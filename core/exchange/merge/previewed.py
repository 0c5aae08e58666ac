"""The import the clerk previewed is the one written: the same packages, and no conflict the
preview did not show (core.exchange.merge)."""
from __future__ import annotations

from pathlib import Path

from core import timefmt
from core.errors import InputError
from core.exchange import compare
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
