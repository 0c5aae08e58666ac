"""Screenshots of every screen on the demo data (python main.py demo --seed 1), for docs/screenshots/ (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" python docs/screenshots/take_screenshots.py

Builds a small office through the real lifecycle functions (intake, supplement, finish, return,
payments, votes) with "now" frozen, then opens each screen at 1280x760 and saves a PNG.
"""
from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(os.environ.get("SHOT_OUT") or Path(__file__).resolve().parent)
NOW = dt.datetime(2026, 11, 27, 10, 15)  # a Friday morning
KIOSK_UNIT = "000.26.27.H37"  # UBND xã An Sơn in the demo units

def build(db) -> None:
    """The demo data of `python main.py demo --seed 1 --dossiers 20000`, ending on NOW."""
    from core import demo
    demo.generate(db, dossiers=20000, seed=1, today=NOW.date(), workers=1)
    _kiosk_votes(db)


def _kiosk_votes(db) -> None:
    """A few votes from the citizens' kiosk in the last hour, for the status bar's count."""
    from core import kiosk
    for minutes, rating in ((48, "very_satisfied"), (31, "satisfied"), (12, "very_satisfied")):
        kiosk.cast_vote(db, KIOSK_UNIT, rating, at=NOW - dt.timedelta(minutes=minutes))


def shoot(window, app, name: str) -> None:
    from PySide6.QtTest import QTest
    QTest.qWait(300)
    window.grab().save(str(OUT / f"{name}.png"))
    print("saved", name)


def main() -> int:
    # the window's start-up backup goes to a throw-away data folder, not the user's
    os.environ["MOTCUA_DATA_DIR"] = tempfile.mkdtemp(prefix="motcua-shots-data-")
    from core import timefmt
    timefmt.now = lambda: NOW  # the screens read "now" through timefmt.now
    from core.database import open_database
    from gui.app import make_app
    path = Path(os.environ.get("SHOT_DB") or Path(tempfile.gettempdir()) / "motcua-shots.db")
    fresh = not path.exists()
    db = open_database(path)
    if fresh:
        build(db)
    app = make_app()
    from PySide6.QtCore import QSettings
    QSettings().clear()
    QSettings().setValue("kiosk/unit", KIOSK_UNIT)  # as if the kiosk had been opened from the menu
    from gui.main_window import MainWindow
    window = MainWindow(db, str(path))
    width, height = (int(n) for n in os.environ.get("SHOT_SIZE", "1280x760").split("x"))
    window.resize(width, height)  # SHOT_SIZE=1366x728: a clerk's screen
    window.show()
    _sign_in(window, db)
    screens = {"dashboard": "01-tong-quan", "dossiers": "02-ho-so", "payments": "05-thanh-toan",
               "votes": "06-danh-gia", "reports": "07-bao-cao", "catalogue": "08-danh-muc",
               "settings": "10-cai-dat"}
    for key, name in screens.items():
        screen = window.show_screen(key)
        if key == "dashboard":
            screen.month_edit.set_value(NOW.date())
        shoot(window, app, name)
        if key == "dashboard":  # before the register's filter row widens the window
            _kiosk_menu(window)
    calendar = window.show_screen("catalogue")
    calendar.tabs.setCurrentIndex(2)
    shoot(window, app, "09-lich-lam-viec")
    _dialogs(window, db, app)
    db.close()
    return 0


def _sign_in(window, db) -> None:
    """Through the sign-in screen, as an account holding the three roles, so that every screen
    is in the list (catalogue and settings are the administrator's, the register's buttons a
    clerk's). The demo's accounts each hold one role."""
    from core import accounts
    from db.actor import Actor, acting_as
    if accounts.get(db, "chupanh") is None:
        with acting_as(Actor("quantri", "Quản trị hệ thống", frozenset({"admin"}))):
            accounts.create_account(db, "chupanh", "Người chụp màn hình",
                                    {"clerk", "leader", "admin"}, "motcua123")
    form = window.gate.form
    form.login.setText("chupanh")
    form.secret.setText("motcua123")
    if not form.sign_in():
        raise SystemExit("Không đăng nhập được: " + form.error.text())


def _kiosk_menu(window) -> None:
    """The main window with its "Đánh giá" menu open: a popup menu is a window of its own, so
    the screen is grabbed rather than the main window."""
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtTest import QTest

    from gui import worker
    worker.wait_all()  # the start-up backup, for its note in the status bar
    window.show_screen("dashboard")
    QTest.qWait(200)
    window.menuBar().setActiveAction(window.menuBar().actions()[1])  # "Đánh giá"
    QTest.qWait(400)
    frame = window.frameGeometry()
    QGuiApplication.primaryScreen().grabWindow(0, frame.x(), frame.y(), frame.width(),
                                               frame.height()).save(str(OUT / "11-menu-danh-gia.png"))
    print("saved", "11-menu-danh-gia")
    window.menuBar().setActiveAction(None)


def _dialogs(window, db, app) -> None:
    from gui.dossiers.detail import DossierDialog
    from gui.dossiers.intake import IntakeDialog
    intake = IntakeDialog(db, window)
    intake.procedure_edit.set_code("1.004873")
    intake.name_edit.setText("Đồng Văn Giáp")
    intake.phone_edit.setText("0382123428")
    intake.received_edit.set_value(intake.received_edit.read() + dt.timedelta(days=2, hours=6))
    intake.show()
    shoot(intake, app, "03-tiep-nhan")
    intake.close()
    dossier_id = db.execute("SELECT dossier_id FROM supplements s JOIN dossiers d ON d.id = "
                            "s.dossier_id WHERE d.status = 'supplement' ORDER BY s.id DESC "
                            "LIMIT 1").fetchone()[0]
    detail = DossierDialog(db, dossier_id, window)
    detail.show()
    shoot(detail, app, "04-chi-tiet-ho-so")
    detail.close()


if __name__ == "__main__":
    sys.exit(main())
