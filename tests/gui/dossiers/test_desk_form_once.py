"""One desk form at a time (mend37): the progress box of Mẫu 02/03 blocks the intake form only
after 300 ms; before, a quick second click (or Enter on the button) opened a second preview.
Now the buttons are disabled from the click till the preview closes (printed or not), or its
making failed; the form keeps what the clerk typed."""
from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from core import components as comp
from core.errors import MotCuaError
from core.pdf import forms
from db import actor
from gui import worker
from gui.dossiers.intake import IntakeDialog
from tests.gui.clicks import click
from tests.gui.dossiers.test_components_ui import BIRTH, click_box

CLERK = actor.Actor("canbo.trangcac", "Mông Hồng Lan", frozenset({"clerk"}))


@pytest.fixture
def intake(qtbot, db, office, monkeypatch):
    comp.save_procedure_components(db, "1.004227", BIRTH)
    monkeypatch.setattr(actor, "_current", CLERK)
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("X02"))
    qtbot.keyClicks(dialog.procedure_edit, "1.004227")
    qtbot.keyClicks(dialog.name_edit, "Tran Van Duc")  # QTest types ASCII only
    click_box(qtbot, dialog.documents, 0, 0)  # the declaration ticked: the certificate missing
    return dialog


def _all_ended(qtbot, intake) -> None:
    worker.wait_all()
    qtbot.waitUntil(lambda: intake.guide_button.isEnabled(), timeout=20000)
    qtbot.wait(50)  # any second job's preview would be shown by now


def _desk_buttons(intake) -> list[bool]:
    return [intake.guide_button.isEnabled(), intake.refuse_button.isEnabled()]


def test_two_quick_clicks_on_mau_02_open_one_preview(qtbot, intake, previews):
    click(qtbot, intake.guide_button)
    assert _desk_buttons(intake) == [False, False]  # at the click, before the progress box
    qtbot.mouseClick(intake.guide_button, Qt.MouseButton.LeftButton)  # the quick second click
    qtbot.keyClick(intake.guide_button, Qt.Key.Key_Return)  # or Enter on it
    _all_ended(qtbot, intake)
    assert len(previews) == 1
    assert _desk_buttons(intake) == [True, True]  # back once the preview closed, unprinted
    assert intake.isVisible() and intake.name_edit.text() == "Tran Van Duc"


def test_a_click_on_mau_03_while_mau_02_is_made_opens_nothing(
        qtbot, intake, previews, answer_dialogs):
    answer_dialogs.append(lambda d: qtbot.keyClicks(d.reason_edit, "Thieu giay to"))
    click(qtbot, intake.guide_button)
    qtbot.mouseClick(intake.refuse_button, Qt.MouseButton.LeftButton)
    _all_ended(qtbot, intake)
    assert [p.suggested_name for p in previews] == ["yeu-cau-bo-sung.pdf"]
    assert len(answer_dialogs) == 1  # the reason was never asked


def test_the_buttons_come_back_when_the_form_cannot_be_made(
        qtbot, intake, previews, message_boxes, monkeypatch):
    def broken(*_args, **_kwargs):
        raise MotCuaError("Không lập được mẫu.")
    monkeypatch.setattr(forms, "build_desk_supplement", broken)
    click(qtbot, intake.guide_button)
    _all_ended(qtbot, intake)
    assert previews == [] and _desk_buttons(intake) == [True, True]
    assert [title for _, title, _ in message_boxes] != []  # said, in a box
    assert intake.isVisible() and intake.name_edit.text() == "Tran Van Duc"


def test_the_buttons_come_back_when_the_making_is_cancelled(qtbot, intake, previews, monkeypatch):
    """Huỷ on the progress box: no preview, the buttons back once the job has stopped."""
    release = threading.Event()
    made = forms.build_desk_supplement

    def slow(*args, **kwargs):
        release.wait(20)
        return made(*args, **kwargs)
    monkeypatch.setattr(forms, "build_desk_supplement", slow)
    click(qtbot, intake.guide_button)

    def progress_box():
        return next((w for w in QApplication.topLevelWidgets()
                     if isinstance(w, QProgressDialog) and w.isVisible()), None)
    qtbot.waitUntil(lambda: progress_box() is not None, timeout=10000)
    click(qtbot, next(b for b in progress_box().findChildren(QPushButton) if b.text() == "Huỷ"))
    assert _desk_buttons(intake) == [False, False]  # till the job has stopped
    release.set()
    _all_ended(qtbot, intake)
    assert previews == [] and _desk_buttons(intake) == [True, True]
    assert intake.isVisible() and intake.name_edit.text() == "Tran Van Duc"


def test_a_refusal_dialog_cancelled_gives_the_buttons_back(qtbot, intake, previews,
                                                           answer_dialogs):
    click(qtbot, intake.refuse_button)  # no answer: the reason's dialog is cancelled
    assert previews == [] and _desk_buttons(intake) == [True, True]
