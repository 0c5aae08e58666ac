"""Render each kiosk page to docs/screenshots/kiosk-*.png (run under Xvfb at 1366x768).

    xvfb-run -a -s "-screen 0 1366x768x24" python tools/kiosk_screenshots.py [OUT_DIR]
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from core import dossiers, installation, kiosk  # noqa: E402
from core.database import open_database  # noqa: E402
from db.connection import transaction  # noqa: E402
from gui.kiosk.launch import place  # noqa: E402
from gui.kiosk.window import KioskWindow  # noqa: E402


def sample_database(path: Path) -> int:
    db = open_database(path)
    installation.set_slot(db, 1, 1)  # one PC alone: a new file issues no code before (spec 4)
    with transaction(db) as conn:
        conn.execute("INSERT INTO units(code, name, level) VALUES ('000.00.21.H41', "
                     "'UBND xã Tân Đoàn', 'commune')")
        conn.execute("INSERT INTO procedures(code, name, limit_value, limit_unit) VALUES "
                     "('1.001193', 'Đăng ký khai sinh', 0, 'same_day')")
    dossier_id, _ = dossiers.create_dossier(
        db, unit_code="000.00.21.H41", procedure_code="1.001193",
        applicant_name="Nguyễn Thị Minh An", applicant_phone="0382123428")
    for rating in ("very_satisfied", "satisfied", "satisfied"):
        dossiers.add_vote(db, unit_code="000.00.21.H41", rating=rating, source="kiosk")
    db.close()
    return dossier_id


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    app = QApplication([])
    path = Path(tempfile.mkdtemp()) / "kiosk.db"
    dossier_id = sample_database(path)
    window = KioskWindow(path, "000.00.21.H41", "UBND xã Tân Đoàn", thanks_ms=60_000)
    place(window, app.screens(), 1)
    settle(app)
    window.grab().save(str(out / "kiosk-start.png"))
    clerk = open_database(path)
    kiosk.invite(clerk, dossier_id)
    window.poll()
    settle(app)
    window.grab().save(str(out / "kiosk-dossier.png"))
    window.choose("dissatisfied")
    window.reasons.reasons["time"].setChecked(True)
    window.reasons.comment.setText("Phải chờ lâu ở quầy")
    settle(app)
    window.grab().save(str(out / "kiosk-reasons.png"))
    window.reasons.send.click()
    settle(app)
    window.grab().save(str(out / "kiosk-thanks.png"))
    window.back_to_start()
    window.guard._last = window.guard.clock()
    window.choose("satisfied")
    settle(app)
    window.grab().save(str(out / "kiosk-guard.png"))
    clerk.close()
    window.shutdown()


if __name__ == "__main__":
    main()
