"""A request lacking a required document at the desk (walk35b): the message says to print Mẫu 02
or Mẫu 03, and the desk has a button for each. «Hướng dẫn bổ sung (Mẫu 02)…» prints the
guidance from the form — the documents not ticked, headed by the receiving desk, signed by the
clerk — receives nothing, and closes the form once saved or printed (before, only a Mẫu 03
button existed; until round 36 the form closed with the preview, printed or not)."""
from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt

from core import components as comp
from core import validation
from core.errors import InputError
from core.pdf.forms import SUPPLEMENT_TITLE, build_desk_supplement
from db import actor
from gui import file_dialogs
from gui.dossiers.desk_forms import NOTHING_TO_COMPLETE
from gui.dossiers.intake import IntakeDialog
from tests.gui import previews as previews_shown
from tests.gui.clicks import click
from tests.gui.dossiers.test_components_ui import BIRTH, click_box
from tests.pdfread import pdf_text

CLERK = actor.Actor("canbo.trangcac", "Mông Hồng Lan", frozenset({"clerk"}))


@pytest.fixture
def intake(qtbot, db, office, monkeypatch):
    comp.save_procedure_components(db, "1.004227", BIRTH)
    monkeypatch.setattr(actor, "_current", CLERK)  # the clerk at the desk, after the catalogue
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X02"))
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    qtbot.keyClicks(dialog.name_edit, "Tran Van Duc")  # QTest types ASCII only
    return dialog


def test_every_form_the_incomplete_message_names_has_its_button(qtbot, intake):
    click_box(qtbot, intake.documents, 0, 0)  # the declaration; the birth certificate missing
    qtbot.mouseClick(intake.save_button, Qt.MouseButton.LeftButton)
    message = intake.form.errors["components"].text()
    named = set(re.findall(r"Mẫu 0\d", message))
    assert named == {"Mẫu 02", "Mẫu 03"}
    buttons = [intake.guide_button, intake.refuse_button]
    assert all(b.isVisible() and b.isEnabled() for b in buttons)
    assert {re.search(r"Mẫu 0\d", b.text())[0] for b in buttons} == named


def test_the_guidance_lists_what_is_missing_and_receives_nothing(qtbot, db, intake, previews):
    click_box(qtbot, intake.documents, 0, 0)
    click(qtbot, intake.guide_button)
    qtbot.waitUntil(lambda: len(previews) == 1, timeout=20000)
    text = " ".join(pdf_text(previews[0].final).split())
    assert SUPPLEMENT_TITLE in text and "UBND XÃ TRÀNG CÁC" in text
    assert previews[0].suggested_name == "yeu-cau-bo-sung.pdf"
    asked = text.split("gồm những nội dung sau:")[1]
    assert "1. Giấy chứng sinh" in asked and "Tờ khai" not in asked
    assert "Giấy tờ chứng minh nơi cư trú" not in asked  # not required
    assert text.endswith("NGƯỜI HƯỚNG DẪN (Ký và ghi rõ họ tên) Mông Hồng Lan")
    assert intake.isVisible() and intake.created is None  # closed unsaved: the form stays
    assert db.execute("SELECT COUNT(*) FROM dossiers WHERE applicant_name = 'Tran Van Duc'"
                      ).fetchone()[0] == 0


def test_nothing_missing_nothing_to_guide(qtbot, intake, previews):
    click_box(qtbot, intake.documents, 0, 0)
    click_box(qtbot, intake.documents, 1, 0)
    click(qtbot, intake.guide_button)
    assert intake.form.errors["components"].text() == NOTHING_TO_COMPLETE
    assert previews == [] and intake.isVisible()


def test_the_screen_and_the_form_say_nothing_missing_in_core_words(qtbot, db, intake):
    """One check, one wording (review36): the intake's message and Mẫu 02's refusal."""
    click_box(qtbot, intake.documents, 0, 0)
    click_box(qtbot, intake.documents, 1, 0)
    click(qtbot, intake.guide_button)
    assert intake.form.errors["components"].text().startswith(validation.NOTHING_TO_COMPLETE)
    with pytest.raises(InputError) as refused:
        build_desk_supplement(db, applicant_name="Trần Văn Đức", procedure_name="Khai sinh",
                              items=[" "])
    assert str(refused.value) == validation.NOTHING_TO_COMPLETE


def test_no_guidance_button_for_a_dossier_by_post(qtbot, intake):
    intake.channel_box.setCurrentIndex(intake.channel_box.findData("postal"))
    assert not intake.guide_button.isVisible()


@pytest.fixture
def program_font(qapp):
    """The program's own font (gui.app.make_app: at least 10 pt), not the tests' 9 pt."""
    from PySide6.QtGui import QFont
    before = QFont(qapp.font())
    bigger = QFont(before)
    bigger.setPointSize(max(before.pointSize(), 10))
    qapp.setFont(bigger)
    yield
    qapp.setFont(before)


def test_every_documents_form_is_shown_whole(qtbot, db, office, program_font):
    """«Bản sao chứng thực» whole in the «Hình thức» column at the program's font (a fixed 150 px
    cut it to «Bản sao chứng thự», walk35's shot 25)."""
    comp.save_procedure_components(db, "1.004227", [comp.Component("Giấy tờ", "certified_copy")])
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 700)
    dialog.show()
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    form = dialog.documents.cellWidget(0, dialog.documents.FORM)
    assert form.currentText() == "Bản sao chứng thực"
    qtbot.waitUntil(lambda: form.width() > 0)
    assert form.width() >= form.sizeHint().width()


def test_the_form_closes_once_the_guidance_is_saved(qtbot, db, intake, tmp_path, monkeypatch):
    """Saved as a PDF (or printed), the request is dealt with and the form closes; closed
    unsaved, it stays as the clerk filled it (it closed with the preview, round 35)."""
    monkeypatch.setattr(file_dialogs, "save_file_name", lambda *a, **k: str(tmp_path / "02.pdf"))
    saved = previews_shown.capture(monkeypatch,
                                   during=lambda shown: click(qtbot, shown.save_button))
    click_box(qtbot, intake.documents, 0, 0)
    click(qtbot, intake.guide_button)
    qtbot.waitUntil(lambda: len(saved) == 1, timeout=20000)
    assert SUPPLEMENT_TITLE in pdf_text((tmp_path / "02.pdf").read_bytes())
    assert not intake.isVisible() and intake.created is None
