"""Issue 10 §3: absurd values an older version stored (before the limits) never break a screen
or a document — a fee and payments of 2^63−1, a 10 MB name, a 3,600-character address, a
100,000-character unit name and report header. Written with raw SQL, as the old program left
them; then the dossier dialog, the correction dialog, the lists and every PDF must still work."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QMessageBox

import main
from core import dossiers, limits
from gui.dossiers import actions
from gui.dossiers.detail import DossierDialog
from tests.pdfread import pdf_text
from tests.reliability.helpers import small_office

HUGE = 2 ** 63 - 1
RECEIVED = dt.datetime(2025, 3, 3, 8, 0)
NAME = "Nguyễn Văn " + "A" * 10_000_000
# 250 times the phone's limit: the book prints it cut to the limit with "…" (it once wrapped the
# whole phone in its narrow contact column, trying every shorter prefix of it: 51 s)
PHONE = "0" * 5000


@pytest.fixture
def legacy(db):
    """A dossier whose values an older version stored beyond today's limits."""
    small_office(db)
    dossier_id, code = dossiers.create_dossier(db, unit_code="U1", procedure_code="P.CD10",
                                               applicant_name="Lê Văn Cường",
                                               received_at=RECEIVED)
    dossiers.add_payment(db, dossier_id, amount=1000, method="cash",
                         paid_at=RECEIVED + dt.timedelta(minutes=5))
    conn = db.conn
    conn.execute("UPDATE dossiers SET fee = ?, applicant_name = ?, applicant_address = ?, "
                 "note = ?, applicant_phone = ? WHERE id = ?",
                 [HUGE, NAME, "Số " + "x " * 1800, "n" * 50_000, PHONE, dossier_id])
    conn.execute("UPDATE payments SET amount = ? WHERE dossier_id = ?", [HUGE, dossier_id])
    conn.execute("INSERT INTO payments(dossier_id, amount, method, paid_at, actor) "
                 "VALUES (?, ?, 'cash', ?, 'cũ')", [dossier_id, HUGE, "2025-03-03 08:06:00"])
    conn.execute("UPDATE units SET name = ? WHERE code = 'U1'", ["U" * 100_000])
    conn.execute("UPDATE procedures SET name = ? WHERE code = 'P.CD10'", ["T" * 100_000])
    header = {key: key[0].upper() * 100_000 for key in
              ("parent_agency", "agency", "office", "place", "doc_symbol", "signer_authority",
               "signer_title", "signer_name")}
    header["recipients"] = ["R" * 100_000] * 50
    conn.execute("UPDATE settings SET value = ? WHERE key = 'report_header'", [json.dumps(header)])
    conn.commit()
    return dossier_id, code


def test_the_dossier_dialog_shows_absurd_old_values_clipped(qtbot, db, legacy):
    dossier_id, code = legacy
    dialog = DossierDialog(db, dossier_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert max(len(t) for t in texts) < 2000  # nothing near the 10 MB stored
    assert any(t.startswith("Nguyễn Văn AAA") and t.endswith("…") for t in texts)
    assert any(t.endswith(" đ") and t.startswith("18.446.744") for t in texts)  # "Đã thu"
    assert dialog.width() < 2000  # a long word is cut, it does not widen the dialog


def test_the_correction_dialog_limits_the_chosen_field_and_refuses_under_it(qtbot, db, legacy):
    dossier_id, _ = legacy
    dialog = DossierDialog(db, dossier_id)
    qtbot.addWidget(dialog)
    dialog.show()
    seen = {}

    def correct():
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, actions.CorrectDialog) and w.isVisible())
        box.field_box.setCurrentIndex(box.field_box.findData("fee"))  # 2^63-1: no overflow
        seen["fee"] = box.number.value()
        box.field_box.setCurrentIndex(box.field_box.findData("applicant_name"))
        seen["name_limit"] = box.text.validator().limit
        seen["name_shown"] = len(box.text.text())  # the 10 MB name, cut to the limit
        box.field_box.setCurrentIndex(box.field_box.findData("applicant_phone"))
        seen["phone_limit"] = box.text.validator().limit
        box.text.clear()
        qtbot.keyClicks(box.text, "abc-xyz-" * 5)  # typing stops at the phone's limit
        seen["typed"] = box.text.text()
        qtbot.keyClicks(box.reason, "Sua so dien thoai")  # QTest types ASCII only
        QTimer.singleShot(300, lambda: look(box))  # once core refused and the form is back
        qtbot.mouseClick(box.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)

    def look(box):
        error = box.form.errors["value"]
        seen["error"] = error.text() if error.isVisible() else ""
        seen["boxes"] = [w for w in QApplication.topLevelWidgets()
                         if isinstance(w, QMessageBox) and w.isVisible()]
        for w in seen["boxes"]:
            w.close()
        box.reject()

    QTimer.singleShot(100, correct)
    qtbot.mouseClick(dialog.action_buttons["correct"], Qt.MouseButton.LeftButton)
    assert seen["fee"] == 2_000_000_000  # shown at the box's maximum instead of crashing
    assert seen["name_limit"] == limits.text_limit("applicant_name") == seen["name_shown"]
    assert seen["phone_limit"] == limits.text_limit("applicant_phone")
    assert len(seen["typed"]) == limits.text_limit("applicant_phone")
    assert "điện thoại" in seen["error"].lower() and not seen["boxes"]  # under the field
    assert db.execute("SELECT length(applicant_phone) FROM dossiers").fetchone()[0] == len(PHONE)


@pytest.mark.parametrize("command", [
    ["slip", "receipt", "{code}"], ["report", "monthly", "--month", "2025-03"],
    ["report", "book", "--from", "2025-03-01", "--to", "2025-03-31"]])
def test_every_document_prints_absurd_old_values_and_header(tmp_path, db, db_path, legacy,
                                                             command):
    db.close()
    out = tmp_path / "out.pdf"
    args = [a.format(code=legacy[1]) for a in command]
    assert main.main(["--db", str(db_path), *args, "--out", str(out)]) == 0
    text = pdf_text(out)
    assert "…" in text
    assert "R" * (limits.RECIPIENT_MAX + 1) not in text.replace("\n", "").replace(" ", "")
