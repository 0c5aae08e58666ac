"""The two-routes note (core.exchange.two_routes) in the import window's preview, before the
clerk clicks «Nhập»: a counter's walk-in votes recorded before its update (no origin), relayed to
this centre by a commune PC, then brought again in the counter's own package. Round 34 proved it
on the command line's dry run only (tests/core/exchange/test_two_routes.py)."""
from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel

from core import installation, votes
from core.database import open_database
from core.exchange import export_package, import_package
from gui import file_dialogs
from gui.packages import PreviewDialog
from tests.gui.clicks import menu_pick
from tests.gui.conftest import NOW, add_catalogue
from tests.gui.test_packages import open_dialog, window  # noqa: F401

SINCE = dt.date(2025, 1, 1)


def _pc(path, slot: int):
    pc = open_database(path)
    add_catalogue(pc)
    installation.set_slot(pc, slot, 3)
    return pc


def test_the_preview_says_the_votes_may_be_counted_twice(window, db, qtbot,  # noqa: F811
                                                         monkeypatch, tmp_path, frozen_now):
    counter, commune = _pc(tmp_path / "quay.db", 2), _pc(tmp_path / "xa.db", 3)
    for rating in ("satisfied", "neutral"):
        votes.add_vote(counter, unit_code="X01", voted_at=NOW - dt.timedelta(hours=3),
                       rating=rating)
    with counter.conn:  # recorded before the counter's update: no origin (db.vote_origin)
        counter.execute("UPDATE vote_rows SET origin = NULL")
    direct = tmp_path / "quay.zip"
    export_package(counter, direct, SINCE)
    import_package(commune, direct)
    relayed = tmp_path / "xa.zip"
    export_package(commune, relayed, SINCE)
    assert import_package(db, relayed).votes == {"new": 2}  # this centre took the relay
    relay = installation.installation_id(commune)
    counter.close()
    commune.close()
    monkeypatch.setattr(file_dialogs, "open_file_names", lambda *a, **k: [str(direct)])
    menu_pick(qtbot, window, window.exchange_import_action)
    preview = open_dialog(qtbot, PreviewDialog)
    said = " ".join(label.text() for label in preview.findChildren(QLabel))
    assert "⚠ 2 phiếu đánh giá không gắn hồ sơ, không mang nguồn" in said
    assert f"máy {relay[:8]} (2 phiếu)" in said and "sẽ bị đếm hai lần" in said
    preview.reject()
