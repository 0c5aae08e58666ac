"""Issue 12 §2: one way to run an action (gui.ops): the change kinds it announces, field errors
under their field, any other failure as one message, a busy database waited for."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog, QPushButton

from core.errors import OperationError
from db.connection import connect
from gui import bus, db_wait, errors, ops
from gui.catalogue.units import UnitsTab
from gui.main_window import MainWindow


@pytest.fixture
def shown_errors(monkeypatch):
    """What gui.errors.show_error would have shown (its QMessageBox.exec would block)."""
    shown: list[BaseException] = []
    monkeypatch.setattr(errors, "show_error", lambda parent, exc, *_: shown.append(exc))
    return shown


@pytest.fixture
def announced(qtbot):
    heard: list[ops.Changes] = []
    bus.bus().executed.connect(heard.append)
    yield heard
    bus.bus().executed.disconnect(heard.append)


@pytest.fixture
def units(qtbot, db, office):
    tab = UnitsTab(db)
    qtbot.addWidget(tab)
    tab.refresh()
    tab.show()
    return tab


def click_save(qtbot, tab) -> None:
    button = next(b for b in tab.findChildren(QPushButton) if b.text() == "Lưu đơn vị")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def fill(qtbot, tab, code: str, name: str) -> None:
    for edit, text in ((tab.code, code), (tab.name, name)):
        edit.clear()
        qtbot.keyClicks(edit, text)


def test_a_saved_unit_announces_a_catalogue_change_only(qtbot, db, units, announced,
                                                        shown_errors):
    fill(qtbot, units, "X03", "UBND xa Van Mong")  # QTest types ASCII only
    click_save(qtbot, units)
    assert db.execute("SELECT name FROM units WHERE code = 'X03'").fetchone()[0] == "UBND xa Van Mong"
    assert announced == [ops.CATALOGUE] and shown_errors == []
    assert not ops.CATALOGUE.touches(ops.VOTES | ops.SETTINGS)


def test_a_field_error_goes_under_its_field_and_nothing_is_announced(qtbot, db, units,
                                                                     announced, shown_errors):
    fill(qtbot, units, "X04", "   ")
    click_save(qtbot, units)
    assert units.form.errors["name"].isVisibleTo(units)
    assert units.form.errors["name"].text() == "Cần nhập tên đơn vị."
    assert announced == [] and shown_errors == []
    assert db.execute("SELECT COUNT(*) FROM units WHERE code = 'X04'").fetchone()[0] == 0
    assert units.code.text() == "X04"  # the form stays filled


def test_a_unit_under_its_own_subunit_is_refused_under_the_parent_field(qtbot, db, units,
                                                                        shown_errors):
    fill(qtbot, units, "H01", "UBND huyen Van Quan")
    units.parent_box.setCurrentIndex(units.parent_box.findData("X01"))
    click_save(qtbot, units)
    assert units.form.errors["parent_code"].text() == \
        "Cấp trên tạo thành vòng lặp: H01 → X01 → H01."  # as `import units` says it
    assert db.execute("SELECT parent_code FROM units WHERE code = 'H01'").fetchone()[0] is None


def test_any_other_failure_is_one_message_and_the_failure_callback_may_take_it(
        qtbot, db, announced, shown_errors):
    succeeded = []
    assert not ops.Op(None, lambda d: (_ for _ in ()).throw(OperationError("Không được.")),
                      ops.DOSSIERS).success(succeeded.append).run(db)
    assert [e.message for e in shown_errors] == ["Không được."]
    assert succeeded == [] and announced == []
    taken = []
    op = ops.Op(None, lambda d: 1 / 0, ops.DOSSIERS).failure(taken.append)
    assert not op.run(db) and not op.keep_form
    assert [type(e) for e in taken] == [ZeroDivisionError] and len(shown_errors) == 1


def test_a_busy_database_is_waited_for_visibly_then_the_write_goes_through(
        qtbot, db, db_path, office, announced, shown_errors):
    other = connect(db_path, create=False)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the lock for a moment
    seen = []
    QTimer.singleShot(400, lambda: seen.extend(
        w.labelText() for w in QApplication.topLevelWidgets()
        if isinstance(w, QProgressDialog) and w.isVisible()))
    QTimer.singleShot(900, lambda: other.execute("COMMIT"))
    from core import catalogue
    assert ops.Op(None, lambda d: catalogue.save_unit(d, "X05", "Xã Yên Phúc", "commune", "H01"),
                  ops.CATALOGUE).run(db)
    other.close()
    assert seen == [db_wait.WAITING]
    assert announced == [ops.CATALOGUE] and shown_errors == []


def test_giving_up_on_a_busy_database_keeps_the_form_filled(qtbot, db, db_path, units,
                                                            monkeypatch, announced,
                                                            shown_errors):
    monkeypatch.setattr(db_wait, "GIVE_UP_SECONDS", 0.3)
    other = connect(db_path, create=False)
    other.execute("BEGIN IMMEDIATE")
    try:
        fill(qtbot, units, "X06", "Xa Huu Le")
        click_save(qtbot, units)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert [e.message for e in shown_errors] == [db_wait.GAVE_UP]
    assert (units.code.text(), units.name.text()) == ("X06", "Xa Huu Le") and announced == []


def test_a_slow_op_runs_in_a_worker_with_progress(qtbot, db, db_path, office, announced):
    steps = []

    def slow(worker_db, progress):
        for done in range(1, 4):
            steps.append(progress(done, 3))
        return worker_db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    results = []
    op = ops.Op(None, slow, ops.DOSSIERS).success(results.append)
    with qtbot.waitSignal(bus.bus().executed, timeout=10000):
        op.run_in_background(str(db_path), "Đang tính…")
    assert results == [6] and steps == [True, True, True] and announced == [ops.DOSSIERS]


def test_the_main_window_refreshes_only_the_screens_that_show_the_change(qtbot, db, db_path,
                                                                        office):
    window = MainWindow(db, str(db_path), auto_backup=False)
    qtbot.addWidget(window)
    for key in ("votes", "catalogue", "settings", "dossiers"):
        window.show_screen(key)
    refreshed = []
    for key, screen in window.screens.items():
        screen.refresh = (lambda k: lambda: refreshed.append(k))(key)
    bus.notify(ops.VOTES)  # the register is visible: it shows no votes
    assert refreshed == [] and window._stale == {"votes", "dashboard"}
    bus.notify(ops.CATALOGUE)
    assert refreshed == ["dossiers"] and window._stale == {"votes", "dashboard", "catalogue"}
    window.show_screen("settings")
    assert refreshed == ["dossiers"]  # settings did not change: its screen is left as it is
    window.show_screen("votes")
    assert refreshed == ["dossiers", "votes"]
