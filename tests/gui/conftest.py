"""GUI test fixtures: a small office (units, procedures, dossiers) and a frozen "now"."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers, timefmt
from db.connection import transaction

NOW = dt.datetime(2025, 6, 11, 9, 30)  # a Wednesday morning


@pytest.fixture(autouse=True)
def qt_settings(tmp_path, monkeypatch):
    """QSettings go to the test's own folder, never the user's registry or ~/.config."""
    from PySide6.QtCore import QCoreApplication, QSettings
    QCoreApplication.setOrganizationName("MotCuaTest")
    QCoreApplication.setApplicationName("MotCuaTest")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    yield
    QSettings().clear()
    QSettings().sync()


@pytest.fixture
def window_font(qapp):
    """The window's font (gui.app.make_app: at least 10 pt; offscreen tests have 9) while the
    test's screens are made and shown: the columns are fitted to it."""
    from PySide6.QtGui import QFont
    old = QFont(qapp.font())
    font = QFont(old)
    font.setPointSize(max(font.pointSize(), 10))
    qapp.setFont(font)
    yield font
    qapp.setFont(old)


@pytest.fixture(autouse=True)
def no_worker_outlives_its_test(qtbot):
    """A worker still writing after its test would write into the next test's world."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QApplication

    from gui import worker
    worker.wait_all()
    qtbot.wait(10)  # deliver their last signals while the widgets still exist
    # delete this test's windows now, while QApplication lives, not at interpreter exit
    for widget in QApplication.topLevelWidgets():
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


MODAL_PATIENCE_MS = 60_000


@pytest.fixture(autouse=True)
def no_dialog_waits_forever(qtbot):
    """A modal dialog a test forgot to answer would block the whole run (pytest-timeout cannot
    stop Qt's nested event loop): after a minute it is rejected and the test fails naming it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialog
    stuck: list[str] = []
    seen: dict[int, int] = {}

    def look() -> None:
        modal = QApplication.activeModalWidget()
        if modal is None:
            seen.clear()
            return
        waited = seen.setdefault(id(modal), 0) + 1000
        seen[id(modal)] = waited
        if waited >= MODAL_PATIENCE_MS:
            stuck.append(f"{type(modal).__name__} “{modal.windowTitle()}”")
            modal.reject() if isinstance(modal, QDialog) else modal.close()

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(1000)
    yield
    timer.stop()
    assert not stuck, f"a dialog was left open with nobody to answer it: {stuck}"


ENGLISH_BUTTONS = {"ok", "cancel", "yes", "no", "open", "save", "close", "apply", "&ok",
                   "&cancel", "&yes", "&no", "&open", "&save", "&close", "yes to all",
                   "no to all", "discard", "abort", "retry", "ignore", "help", "reset"}


def english_buttons(widget) -> list[str]:
    """The texts of `widget`'s buttons that Qt left in English (it ships no Vietnamese)."""
    from PySide6.QtWidgets import QAbstractButton
    return [b.text() for b in widget.findChildren(QAbstractButton)
            if b.text().strip().lower() in ENGLISH_BUTTONS]


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """Modal message boxes never block a test: they are recorded and answered "No"/OK.

    A test that wants another answer sets `message_boxes.answer`. Every box the program shows
    goes through gui.widgets.run_message; one with an English button ("OK", "Yes"…) or a direct
    QMessageBox.question/information/… (whose buttons Qt writes in English) fails the test.
    """
    from PySide6.QtWidgets import QMessageBox

    from gui import widgets

    class Recorder(list):
        answer = QMessageBox.StandardButton.No
        direct: list = []

    shown = Recorder()
    shown.direct = []

    def run(kind, box):
        shown.append((kind, box.windowTitle(), box.text()))
        assert not english_buttons(box), f"English button in “{box.windowTitle()}”"
        wanted = (QMessageBox.ButtonRole.YesRole, QMessageBox.ButtonRole.AcceptRole) \
            if kind != "question" or shown.answer == QMessageBox.StandardButton.Yes else \
            (QMessageBox.ButtonRole.NoRole, QMessageBox.ButtonRole.RejectRole)
        return next((b for b in box.buttons() if box.buttonRole(b) in wanted), None)
    monkeypatch.setattr(widgets, "run_message", run)

    def fake(kind):
        def show(parent, title, text, *args, **kwargs):
            shown.direct.append((kind, title))
            return QMessageBox.StandardButton.Ok
        return show
    for kind in ("question", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(fake(kind)))
    yield shown
    assert not shown.direct, f"QMessageBox.{shown.direct[0][0]} shows English buttons: " \
                             "use gui.widgets.confirm/inform/warn"


@pytest.fixture(autouse=True)
def input_dialogs(monkeypatch):
    """An input dialog (widgets.choose/ask_text) no test answers is cancelled, never left in its
    modal loop: pytest-timeout cannot stop that, and the whole run hung on one."""
    from gui import widgets
    asked = []

    def cancel(dialog):
        asked.append(dialog.windowTitle())
        return False
    monkeypatch.setattr(widgets, "run_input", cancel)
    return asked


@pytest.fixture
def frozen_now(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    return NOW


def add_catalogue(db) -> None:
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units(code, name, level, parent_code) VALUES (?,?,?,?)", [
            ("H01", "UBND huyện Văn Quan", "district", None),
            ("X01", "UBND xã Đồng Giáp", "commune", "H01"),
            ("X02", "UBND xã Tràng Các", "commune", "H01"),
        ])
        conn.executemany(
            "INSERT INTO procedures(code, name, field, limit_value, limit_unit, fee, online_level,"
            " paper_result, same_day_cutoff) VALUES (?,?,?,?,?,?,?,?,?)", [
                ("1.001612", "Chứng thực bản sao từ bản chính", "Chứng thực", 0, "same_day", 2000,
                 "partial", 1, "15:00"),
                ("1.004227", "Đăng ký khai sinh", "Hộ tịch", 1, "working_days", 0, "full", 0, None),
                ("2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", 1, "working_days", 8000,
                 "full", 0, None),
                ("1.003003", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", 15,
                 "working_days", 75000, "full", 1, None),
            ])


@pytest.fixture
def office(db, frozen_now):
    """A small office with dossiers in every interesting state, received before NOW."""
    add_catalogue(db)
    made = {}

    def new(name, procedure, unit, received, channel="direct", phone=None):
        dossier_id, code = dossiers.create_dossier(
            db, unit_code=unit, procedure_code=procedure, applicant_name=name,
            applicant_phone=phone, channel=channel, received_at=received)
        made[name] = dossier_id
        return dossier_id

    new("Đồng Văn Giáp", "1.003003", "X01", dt.datetime(2025, 6, 2, 8, 0), phone="0382123428")
    new("Nguyễn Thị Lan", "1.004227", "X01", dt.datetime(2025, 6, 10, 8, 30), "online")
    new("Trần Văn Bình", "2.000635", "X02", dt.datetime(2025, 6, 5, 14, 0))
    late = new("Lê Thị Hà", "1.004227", "X02", dt.datetime(2025, 6, 2, 9, 0))
    done = new("Phạm Minh Đức", "2.000635", "X01", dt.datetime(2025, 6, 3, 9, 0), "online")
    dossiers.finish(db, done, at=dt.datetime(2025, 6, 3, 15, 0))
    dossiers.return_result(db, done, at=dt.datetime(2025, 6, 4, 8, 0))
    waiting = new("Hoàng Thu Trang", "1.003003", "X02", dt.datetime(2025, 6, 4, 10, 0))
    dossiers.request_supplement(db, waiting, reason="Thiếu bản vẽ", at=dt.datetime(2025, 6, 5, 9, 0))
    assert late
    return made


@pytest.fixture
def answer_dialogs(monkeypatch):
    """Modal dialogs answer by themselves: `answers.append(fn)`; each exec() pops one fn,
    which fills the dialog (fn(dialog)) and accepts it; with no answer left, it cancels."""
    from gui.dossiers import actions

    answers: list = []

    def fake_exec(dialog):
        if not answers:
            return 0
        answers.pop(0)(dialog)
        return 1

    monkeypatch.setattr(actions.FormDialog, "exec", fake_exec)
    return answers



@pytest.fixture
def reports(qtbot, db, office):
    """The Báo cáo screen on the office's data, shown, its figures computed."""
    from gui.reports import ReportsScreen
    screen = ReportsScreen(db, today=dt.date(2025, 6, 11))
    qtbot.addWidget(screen)
    screen.refresh()
    screen.show()
    qtbot.waitUntil(lambda: not screen.computing(), timeout=30000)
    return screen


@pytest.fixture
def previews(monkeypatch):
    """Every preview opened: what it showed (tests/gui/previews.py; exec() returns at once)."""
    from tests.gui import previews as shown
    return shown.capture(monkeypatch)


from tests.copies import built_once  # noqa: E402,F401 - the one fixture, checked untouched
from tests.signed_in_window import signed_in_main_window  # noqa: E402,F401 - autouse
