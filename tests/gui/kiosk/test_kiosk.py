"""The citizen's vote screen: taps, keys, pages, the guard, invitations from the clerk's app."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QWidget

import main
from core import dossiers, kiosk, timefmt
from core.database import open_database
from core.errors import InputError
from db.connection import transaction
from gui.kiosk import KioskWindow, open_kiosk_window, screen_choice

NOW = dt.datetime(2025, 3, 12, 10, 0, 0)
RATINGS = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
KEYS = (Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4)


class FakeClock:
    def __init__(self):
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)


@pytest.fixture
def setup(db, frozen):
    """A unit, a procedure and a returned-looking dossier with a phone and an address."""
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level) VALUES ('XA01', 'UBND xã Tân Đoàn', 'commune')")
        conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) "
                     "VALUES ('1.001612', 'Đăng ký khai sinh', 1, 'working_days')")
    dossier_id, code = dossiers.create_dossier(
        db, unit_code="XA01", procedure_code="1.001612", applicant_name="Nguyễn Văn An",
        applicant_phone="0382123428", applicant_address="Thôn Bản Làn",
        received_at=NOW - dt.timedelta(days=1))
    return dossier_id, code


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def window(qtbot, db_path, setup, clock):
    win = KioskWindow(db_path, "XA01", "UBND xã Tân Đoàn", thanks_ms=100, poll_ms=50,
                      reasons_idle_ms=60_000, guard=kiosk.VoteGuard(clock=clock))
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.shutdown()


def votes(db):
    return db.execute("SELECT unit_code, voted_at, rating, dossier_id, source, reasons, comment "
                      "FROM votes ORDER BY id").fetchall()


def satisfaction(db):
    return tuple(db.execute("SELECT COALESCE(SUM(votes), 0), COALESCE(SUM(satisfied), 0) "
                            "FROM kpi_daily WHERE unit_code = 'XA01'").fetchone())


def invite_from_clerk(db_path, dossier_id):
    """The clerk's app is another connection (or another process)."""
    clerk = open_database(db_path)
    try:
        kiosk.invite(clerk, dossier_id, actor="canbo")
    finally:
        clerk.close()


def visible_texts(widget: QWidget) -> str:
    texts = [w.text() for w in widget.findChildren(QLabel) + widget.findChildren(QPushButton)
             + widget.findChildren(QLineEdit)]
    return "\n".join(texts + [b.text() for b in widget.start.buttons.values()])


@pytest.mark.parametrize("index", range(4))
def test_each_button_stores_a_walk_in_vote(qtbot, window, db, index):
    qtbot.mouseClick(window.start.buttons[RATINGS[index]], Qt.MouseButton.LeftButton)
    assert [tuple(v[:5]) for v in votes(db)] == [
        ("XA01", "2025-03-12 10:00:00", RATINGS[index], None, "kiosk")]


@pytest.mark.parametrize("index", range(4))
def test_each_key_stores_a_vote_for_the_invited_dossier(qtbot, window, db, db_path, setup, index):
    dossier_id, code = setup
    invite_from_clerk(db_path, dossier_id)
    qtbot.waitUntil(lambda: code in window.start.dossier.text(), timeout=2000)
    qtbot.keyClick(window, KEYS[index])
    assert [tuple(v[:5]) for v in votes(db)] == [
        ("XA01", "2025-03-12 10:00:00", RATINGS[index], dossier_id, "kiosk")]


@pytest.mark.parametrize("rating, page", [("very_satisfied", "thanks"), ("satisfied", "thanks"),
                                          ("neutral", "reasons"), ("dissatisfied", "reasons")])
def test_reasons_page_only_after_the_two_lower_ratings(qtbot, window, rating, page):
    qtbot.mouseClick(window.start.buttons[rating], Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is getattr(window, page)


def test_reasons_and_comment_are_stored_then_thanks_then_start(qtbot, window, db):
    qtbot.keyClick(window, Qt.Key.Key_4)
    qtbot.mouseClick(window.reasons.reasons["attitude"], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.reasons.reasons["guidance"], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.reasons.comment, "Cho 2 gio")  # digits typed here are not votes
    qtbot.mouseClick(window.reasons.send, Qt.MouseButton.LeftButton)
    (row,) = votes(db)
    assert row[2] == "dissatisfied"
    assert json.loads(row[5]) == ["attitude", "guidance"] and row[6] == "Cho 2 gio"
    assert window.stack.currentWidget() is window.thanks
    assert "Không hài lòng" in window.thanks.rating.text()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=2000)


def test_a_comment_pasted_with_a_bidi_control_is_refused_on_the_page(qtbot, window, db):
    """review24 finding 2: a U+202E in a comment turned it around in the leader's «Xuất Excel».
    The page says why under the comment and stays; the vote itself is already stored."""
    from PySide6.QtGui import QGuiApplication, QKeySequence
    qtbot.keyClick(window, Qt.Key.Key_4)
    QGuiApplication.clipboard().setText("Chờ\u202e lâu")
    window.reasons.comment.setFocus()
    qtbot.keySequence(window.reasons.comment, QKeySequence.StandardKey.Paste)
    qtbot.mouseClick(window.reasons.send, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.reasons
    assert window.reasons.comment_label.text().startswith(
        "Góp ý chứa ký tự ẩn đảo chiều chữ (mã U+202E) ở vị trí 4")
    assert [(v[2], v[6]) for v in votes(db)] == [("dissatisfied", None)]
    window.reasons.comment.clear()
    qtbot.keyClicks(window.reasons.comment, "Cho lau")
    qtbot.mouseClick(window.reasons.send, Qt.MouseButton.LeftButton)
    assert [(v[2], v[6]) for v in votes(db)] == [("dissatisfied", "Cho lau")]
    assert window.stack.currentWidget() is window.thanks
    window.reasons.reset("neutral")  # the next citizen's page: the label is back
    assert window.reasons.comment_label.text() == "Ý kiến thêm (không bắt buộc):"


def test_skipping_reasons_keeps_the_vote(qtbot, window, db):
    qtbot.keyClick(window, Qt.Key.Key_3)
    qtbot.mouseClick(window.reasons.skip, Qt.MouseButton.LeftButton)
    assert [(v[2], v[5], v[6]) for v in votes(db)] == [("neutral", None, None)]
    assert window.stack.currentWidget() is window.thanks


def test_citizen_walking_away_from_reasons_page(qtbot, db_path, setup, db, clock):
    win = KioskWindow(db_path, "XA01", "UBND", thanks_ms=50, reasons_idle_ms=50,
                      guard=kiosk.VoteGuard(clock=clock))
    qtbot.addWidget(win)
    try:
        win.choose("dissatisfied")
        qtbot.waitUntil(lambda: win.stack.currentWidget() is win.start, timeout=2000)
        assert [v[2] for v in votes(db)] == ["dissatisfied"]
    finally:
        win.shutdown()


def test_thank_you_page_returns_to_start(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_1)
    assert window.stack.currentWidget() is window.thanks
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=2000)


def test_keys_do_nothing_outside_the_start_page(qtbot, window, db):
    qtbot.keyClick(window, Qt.Key.Key_1)
    qtbot.keyClick(window, Qt.Key.Key_2)  # on the thank-you page
    assert [v[2] for v in votes(db)] == ["very_satisfied"]


def test_vote_within_three_seconds_is_ignored(qtbot, window, db, clock):
    qtbot.keyClick(window, Qt.Key.Key_1)
    window.back_to_start()  # the citizen taps the thank-you page at once
    clock.value += 2.9
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert [v[2] for v in votes(db)] == ["very_satisfied"]
    assert "chờ vài giây" in window.start.notice.text()
    assert window.stack.currentWidget() is window.start
    clock.value += 0.1
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert [v[2] for v in votes(db)] == ["very_satisfied", "satisfied"]


def test_invitation_from_another_connection_shows_masked_name_only(qtbot, window, db_path, setup):
    dossier_id, code = setup
    assert "Mời Ông/Bà đánh giá" in window.start.dossier.text()
    invite_from_clerk(db_path, dossier_id)
    qtbot.waitUntil(lambda: code in window.start.dossier.text(), timeout=2000)  # the QTimer poll
    text = window.start.dossier.text()
    assert "Đăng ký khai sinh" in text and "Nguyễn *** An" in text
    shown = visible_texts(window)
    for private in ("0382123428", "Bản Làn", "Nguyễn Văn An", "Văn"):
        assert private not in shown


def test_one_vote_per_dossier(qtbot, window, db, db_path, setup, clock):
    dossier_id, code = setup
    invite_from_clerk(db_path, dossier_id)
    window.poll()
    # Meanwhile the clerk entered the citizen's paper vote for the same dossier.
    dossiers.add_vote(db, unit_code="XA01", rating="neutral", dossier_id=dossier_id)
    qtbot.keyClick(window, Qt.Key.Key_1)
    assert f"Hồ sơ {code} đã được đánh giá" in window.start.notice.text()
    assert [(v[2], v[4]) for v in votes(db)] == [("neutral", "paper")]
    # The dossier is no longer offered: the next tap is a walk-in vote.
    assert code not in window.start.dossier.text()
    clock.value += 5
    qtbot.keyClick(window, Qt.Key.Key_2)
    assert [(v[2], v[3]) for v in votes(db)][-1] == ("satisfied", None)


def test_after_a_vote_the_kiosk_returns_to_walk_in(qtbot, window, db, db_path, setup):
    dossier_id, code = setup
    invite_from_clerk(db_path, dossier_id)
    window.poll()
    qtbot.keyClick(window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.start, timeout=2000)
    assert code not in window.start.dossier.text()
    with pytest.raises(Exception, match="đã được đánh giá"):
        invite_from_clerk(db_path, dossier_id)


def test_satisfaction_figure_changes_after_a_vote(qtbot, window, db, clock):
    assert satisfaction(db) == (0, 0)
    qtbot.keyClick(window, Qt.Key.Key_1)
    assert satisfaction(db) == (1, 1)
    window.back_to_start()
    clock.value += 3
    qtbot.keyClick(window, Qt.Key.Key_4)
    assert satisfaction(db) == (2, 1)


def test_counter_shows_votes_of_the_last_hour(qtbot, window, db):
    dossiers.add_vote(db, unit_code="XA01", rating="satisfied", voted_at=NOW - dt.timedelta(hours=2))
    window.poll()
    assert window.counter.text() == "Phiếu trong 1 giờ qua: 0"
    with qtbot.waitSignal(window.voted, timeout=1000) as signal:
        qtbot.keyClick(window, Qt.Key.Key_1)
    assert signal.args[1] is None
    assert window.counter.text() == "Phiếu trong 1 giờ qua: 1"


def test_citizen_cannot_close_the_kiosk(qtbot, window, monkeypatch):
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert window.close() is False and window.isVisible()
    monkeypatch.setattr(window, "confirm_exit", lambda: False)
    window.request_exit()
    assert window.isVisible()
    monkeypatch.setattr(window, "confirm_exit", lambda: True)
    window.request_exit()
    assert not window.isVisible()


def test_vote_survives_without_the_clerks_app(qtbot, window, db_path):
    qtbot.keyClick(window, Qt.Key.Key_2)
    window.shutdown()
    again = open_database(db_path)
    try:
        assert again.execute("SELECT rating FROM votes").fetchall() == [("satisfied",)]
    finally:
        again.close()


def test_open_kiosk_window_from_the_app(qtbot, db_path, setup):
    parent = QWidget()
    qtbot.addWidget(parent)
    win = open_kiosk_window(parent, db_path, "XA01")
    try:
        # not a child window: the clerk's dialogs must not block it (gui.modality)
        assert win.isVisible() and win.parent() is None and win.unit_code == "XA01"
    finally:
        win.shutdown()
    with pytest.raises(InputError, match="ZZ"):
        open_kiosk_window(parent, db_path, "ZZ")
    other = open_kiosk_window(parent, db_path, "XA01")
    with qtbot.waitSignal(other.destroyed, timeout=2000):
        parent.deleteLater()  # it still goes away with the window that opened it


@pytest.mark.parametrize("count, requested, expected", [
    (1, None, (0, False)), (2, None, (1, True)), (3, None, (1, True)),
    (2, 1, (0, True)), (1, 1, (0, True)), (2, 2, (1, True))])
def test_screen_choice(count, requested, expected):
    assert screen_choice(count, requested) == expected


def test_screen_that_does_not_exist():
    with pytest.raises(InputError, match="màn hình số 3"):
        screen_choice(2, 3)


def test_command_asks_for_unit_when_the_database_has_several(db, db_path, setup, capsys):
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name) VALUES ('XA02', 'UBND xã Tri Lễ')")
    assert main.main(["--db", str(db_path), "kiosk"]) == 2
    assert "--unit" in capsys.readouterr().err
    assert main.main(["--db", str(db_path), "kiosk", "--unit", "NOPE"]) == 2
    assert "'NOPE' không có trong danh mục" in capsys.readouterr().err


def test_a_vote_tapped_while_the_database_is_busy_is_kept_and_stored_later(qtbot, window, db,
                                                                           monkeypatch):
    from db.connection import DatabaseBusyError
    real, attempts = kiosk.cast_vote, []

    def busy_twice(*args, **kwargs):
        attempts.append(1)
        if len(attempts) <= 2:
            raise DatabaseBusyError("Cơ sở dữ liệu đang bị một chương trình khác khoá.")
        return real(*args, **kwargs)
    monkeypatch.setattr(kiosk, "cast_vote", busy_twice)
    qtbot.keyClick(window, Qt.Key.Key_1)
    assert window.stack.currentWidget() is window.thanks  # the citizen is thanked at once
    assert votes(db) == [] and "Đang chờ cơ sở dữ liệu" in window.counter.text()
    window.poll()  # still busy on the next tick
    assert votes(db) == [] and len(window.queue) == 1
    window.poll()
    assert [v[2] for v in votes(db)] == ["very_satisfied"] and len(window.queue) == 0
