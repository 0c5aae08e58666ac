"""The clerk's own dossier window keeps the citizen's address whole (the clerk works with it);
only what leaves for the public or a report's reader is masked (core.privacy.masking)."""
from __future__ import annotations

from PySide6.QtWidgets import QLabel

from core import dossiers
from core.privacy import masking
from gui.dossiers.detail import DossierDialog

BACKWARDS = "xã Đồng Giáp, thôn Bãi Rạ, số 57"


def test_the_dossier_window_shows_the_address_whole(qtbot, db, office):
    dossier = office["Trần Văn Bình"]
    dossiers.correct_field(db, dossier, "applicant_address", BACKWARDS, reason="Bổ sung địa chỉ")
    detail = DossierDialog(db, dossier)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    texts = [label.text() for label in detail.findChildren(QLabel)]
    assert BACKWARDS in texts
    assert masking.mask_address(BACKWARDS) not in texts and not any("***" in t for t in texts)
