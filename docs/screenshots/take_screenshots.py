"""Screenshots of every screen on demo-like data, for docs/screenshots/ (run under Xvfb):

    xvfb-run -a -s "-screen 0 1366x768x24" python docs/screenshots/take_screenshots.py

Builds a small office through the real lifecycle functions (intake, supplement, finish, return,
payments, votes) with "now" frozen, then opens each screen at 1280x760 and saves a PNG.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
OUT = Path(__file__).resolve().parent
NOW = dt.datetime(2025, 6, 18, 10, 15)

UNITS = [("VQ", "UBND huyện Văn Quan", "district", None),
         ("VQ-DG", "UBND xã Đồng Giáp", "commune", "VQ"), ("VQ-TC", "UBND xã Tràng Các", "commune", "VQ"),
         ("VQ-VA", "UBND xã Văn An", "commune", "VQ"), ("VQ-TT", "UBND thị trấn Văn Quan", "commune", "VQ")]
PROCEDURES = [
    ("1.001612", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "Chứng thực", 0, "same_day", 2000, "partial", 1, "15:00"),
    ("1.004227", "Đăng ký khai sinh", "Hộ tịch", 1, "working_days", 0, "full", 0, None),
    ("2.000635", "Cấp bản sao trích lục hộ tịch", "Hộ tịch", 1, "working_days", 8000, "full", 0, None),
    ("1.001193", "Đăng ký kết hôn", "Hộ tịch", 1, "working_days", 0, "partial", 1, None),
    ("1.003003", "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Xây dựng", 15, "working_days", 75000, "full", 1, None),
    ("1.004873", "Đăng ký thường trú", "Cư trú", 7, "working_days", 20000, "full", 0, None),
    ("2.001157", "Cấp giấy chứng nhận quyền sử dụng đất lần đầu", "Đất đai", 20, "working_days", 100000, "partial", 1, None),
    ("1.000775", "Xác nhận tình trạng hôn nhân", "Hộ tịch", 3, "working_days", 0, "full", 0, None),
]
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Đồng Văn Giáp", "Lê Thị Hà", "Hoàng Minh Đức",
         "Phạm Thu Trang", "Vũ Đức Nam", "Đặng Thị Lan", "Bùi Văn Dũng", "Lương Thị Hương",
         "Hà Văn Đạt", "Nông Thị Mai", "Triệu Văn Sơn", "Lăng Thị Hoa", "Chu Văn Tùng"]


def build(db) -> None:
    from core import dossiers, facts, timefmt  # noqa: F401 (timefmt used by _one)
    from db.connection import transaction
    rng = random.Random(7)
    with transaction(db) as conn:
        conn.executemany("INSERT INTO units VALUES (?,?,?,?)", UNITS)
        conn.executemany("INSERT INTO procedures(code, name, field, limit_value, limit_unit, fee, "
                         "online_level, paper_result, same_day_cutoff) VALUES (?,?,?,?,?,?,?,?,?)",
                         PROCEDURES)
        conn.execute("INSERT INTO calendar VALUES ('2025-04-26', 'workday', 'Làm bù cho 2/5')")
        conn.execute("INSERT INTO calendar VALUES ('2025-05-02', 'holiday', 'Nghỉ hoán đổi')")
    start = NOW - dt.timedelta(days=110)
    day = start
    while day <= NOW:
        if day.weekday() < 5:
            for _ in range(rng.randint(8, 16)):
                _one(db, rng, day.replace(hour=rng.choice([7, 8, 9, 10, 13, 14, 15, 16]),
                                          minute=rng.randrange(60)), dossiers)
        day += dt.timedelta(days=1)
    facts.rebuild_all(db)
    _kiosk_votes(db)


def _kiosk_votes(db) -> None:
    """A few votes from the citizens' kiosk in the last hour, for the status bar's count."""
    from core import kiosk
    for minutes, rating in ((48, "very_satisfied"), (31, "satisfied"), (12, "very_satisfied")):
        kiosk.cast_vote(db, "VQ-DG", rating, at=NOW - dt.timedelta(minutes=minutes))


def _one(db, rng, received, dossiers) -> None:
    from core import timefmt
    if received > NOW:
        return
    unit = rng.choice(UNITS[1:])[0]
    proc = rng.choice(PROCEDURES)
    channel = rng.choices(["online", "direct", "postal"], [0.55, 0.4, 0.05])[0]
    phone = f"09{rng.randrange(10**8):08d}"
    did, _ = dossiers.create_dossier(db, unit_code=unit, procedure_code=proc[0],
                                     applicant_name=rng.choice(NAMES), applicant_phone=phone,
                                     channel=channel, received_at=received)
    age = (NOW - received).days
    if proc[5] and rng.random() < 0.5:
        dossiers.add_payment(db, did, amount=proc[5], method="online" if channel == "online"
                             and rng.random() < 0.8 else "cash", paid_at=received)
    limit_days = proc[3] * 1.4 if proc[3] else 0.2  # calendar days for the working limit
    if age < 2 or (age < limit_days and rng.random() < 0.6):
        if rng.random() < 0.3:
            dossiers.start_processing(db, did, at=received + dt.timedelta(hours=1))
        return
    if rng.random() < 0.08:
        at = received + dt.timedelta(days=1)
        dossiers.request_supplement(db, did, reason="Thiếu giấy tờ chứng minh", at=at)
        if rng.random() < 0.5 or age < 10:
            return
        dossiers.receive_supplement(db, did, at=at + dt.timedelta(days=2))
    if rng.random() < 0.03:
        dossiers.withdraw(db, did, reason="Công dân xin rút", at=received + dt.timedelta(days=1))
        return
    late = rng.random() < 0.06
    span = dt.timedelta(days=limit_days * (1.8 if late else rng.uniform(0.05, 0.6)) + 0.01)
    finished = min(received + span, NOW - dt.timedelta(hours=1))
    finished = max(finished, received + dt.timedelta(minutes=20))
    if age > 25 and late and rng.random() < 0.3:
        due = db.execute("SELECT calc_due_at FROM dossiers WHERE id = ?", [did]).fetchone()[0]
        dossiers.extend(db, did, new_due_at=timefmt.parse_db_time(due) + dt.timedelta(days=5),
                        reason="Chờ kết quả xác minh", at=received + dt.timedelta(hours=3))
    dossiers.finish(db, did, at=finished, e_result=channel == "online")
    if rng.random() < 0.9:
        dossiers.return_result(db, did, at=finished + dt.timedelta(hours=2))
        if rng.random() < 0.35:
            dossiers.add_vote(db, unit_code=unit, dossier_id=did, rating=rng.choices(
                ["very_satisfied", "satisfied", "neutral", "dissatisfied"], [5, 12, 1, 0.4])[0],
                voted_at=finished + dt.timedelta(hours=2))


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
    QSettings().setValue("kiosk/unit", "VQ-DG")  # as if the kiosk had been opened from the menu
    from gui.main_window import MainWindow
    window = MainWindow(db, str(path))
    window.resize(1280, 760)
    window.show()
    screens = {"dashboard": "01-tong-quan", "dossiers": "02-ho-so", "payments": "05-thanh-toan",
               "votes": "06-danh-gia", "reports": "07-bao-cao", "catalogue": "08-danh-muc",
               "settings": "10-cai-dat"}
    for key, name in screens.items():
        screen = window.show_screen(key)
        if key == "dashboard":
            screen.month_edit.setDate(NOW.date())
        shoot(window, app, name)
        if key == "dashboard":  # before the register's filter row widens the window
            _kiosk_menu(window)
    calendar = window.show_screen("catalogue")
    calendar.tabs.setCurrentIndex(2)
    shoot(window, app, "09-lich-lam-viec")
    _dialogs(window, db, app)
    db.close()
    return 0


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
    intake.received_edit.setDateTime(intake.received_edit.dateTime().addDays(2).addSecs(6 * 3600))
    intake.show()
    shoot(intake, app, "03-tiep-nhan")
    intake.close()
    dossier_id = db.execute("SELECT dossier_id FROM supplements ORDER BY id DESC LIMIT 1").fetchone()[0]
    detail = DossierDialog(db, dossier_id, window)
    detail.show()
    shoot(detail, app, "04-chi-tiet-ho-so")
    detail.close()


if __name__ == "__main__":
    sys.exit(main())
