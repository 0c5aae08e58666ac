"""The window's memory over an hour of a clerk's use of the register, compressed.

    python bench/bench_register_memory.py --db COPY.db [--actions 720] [--json]

Opens the register on a database (a copy: opening dossiers writes the access log) and plays
a clerk's hour as fast as it runs: by default 720 actions, one per five seconds of a working
hour, drawn at random — searches (typed names, communes, phones, pieces of codes, one or two
letters), tab switches, sorts, scrolling anywhere, opening a dossier's window and closing
it, the refresh that follows every write, and one action in twenty a dossier received with
its receipt printed (the preview looked at and closed). The resident memory (RSS) is sampled
every tenth of the actions; the table shows it at the start, after the first tenth (the
caches filled), at the end and at its highest, and the growth over the last nine tenths.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCHES = ("le thi loan", "nguyen van", "khanh khe", "van quan", "an", "ng", "0905", "09",
            "hoang", "thi tran", "na bam", "zzqx", "tran thi", "h37-26", "000.20", "lang son")


def rss_mb() -> float:
    """Resident memory now (Linux /proc; elsewhere the peak, from resource)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _close_modal() -> None:
    from PySide6.QtWidgets import QApplication
    from PySide6.QtCore import QTimer
    dialog = QApplication.activeModalWidget()
    if dialog is None:
        QTimer.singleShot(10, _close_modal)  # not shown yet
    else:
        dialog.done(0)


class Clerk:
    def __init__(self, app, screen, db, seed: int):
        self.app, self.screen, self.db = app, screen, db
        self.rng = random.Random(seed)
        self.ids = [r[0] for r in db.execute("SELECT id FROM dossiers ORDER BY random() LIMIT 500")]
        self.procedures = [r[0] for r in db.execute(
            "SELECT code FROM procedures ORDER BY code LIMIT 20")]
        self.counts: dict[str, int] = {}

    def act(self) -> None:
        name, action = self.rng.choice(self.ACTIONS)
        self.counts[name] = self.counts.get(name, 0) + 1
        action(self)
        self.app.processEvents()
        self.screen.table.viewport().repaint()
        # what the event loop does between two clicks: objects let go of with deleteLater
        from PySide6.QtCore import QEvent
        self.app.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def search(self) -> None:
        text = self.rng.choice(SEARCHES)
        self.screen.search.setText(text[:self.rng.randint(1, len(text))])
        self.screen.apply_filters()

    def clear(self) -> None:
        self.screen.search.setText("")
        self.screen.apply_filters()

    def tab(self) -> None:
        self.screen.tabs.setCurrentIndex(self.rng.randrange(self.screen.tabs.count()))

    def sort(self) -> None:
        from PySide6.QtCore import Qt
        order = self.rng.choice((Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder))
        self.screen.table.sortByColumn(self.rng.randrange(9), order)

    def scroll(self) -> None:
        bar = self.screen.table.verticalScrollBar()
        bar.setValue(self.rng.randint(0, bar.maximum()))

    def open_dossier(self) -> None:
        """Enter on a row of the list (the register's own path), the window closed at once."""
        from PySide6.QtCore import QTimer
        model = self.screen.model
        if not model.rowCount():
            return
        row = self.rng.randrange(min(model.rowCount(), 60))
        self.screen.table.setCurrentIndex(model.index(row, 0))
        QTimer.singleShot(0, _close_modal)
        self.screen.open_current()

    def receive(self) -> None:
        """A citizen at the counter: "Tiếp nhận hồ sơ", the form filled, "Lưu và in phiếu",
        the receipt's preview (made in a worker) looked at and closed."""
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication, QProgressDialog

        from gui.dossiers.documents import checked
        from gui.dossiers.intake import IntakeDialog
        state = {"closed": False}

        def close_preview() -> None:
            dialog = QApplication.activeModalWidget()
            # the receipt is made in a worker, whose progress shows first on a big database:
            # done(0) would only hide it (not Huỷ), and the preview then waited for nobody
            if dialog is None or isinstance(dialog, (IntakeDialog, QProgressDialog)):
                QTimer.singleShot(10, close_preview)
            else:
                dialog.done(0)
                state["closed"] = True

        def fill() -> None:
            intake = QApplication.activeModalWidget()
            if not isinstance(intake, IntakeDialog):
                QTimer.singleShot(10, fill)
                return
            intake.procedure_edit.set_code(self.rng.choice(self.procedures))
            intake.name_edit.setText(f"Người nộp {self.rng.randrange(10**6)}")
            for row in range(intake.documents.rowCount()):  # every document handed in
                if not checked(intake.documents.check_at(row)):
                    intake.documents.tick(row)
            QTimer.singleShot(10, close_preview)
            intake.print_button.click()
        QTimer.singleShot(0, fill)
        self.screen.new_dossier()
        while not state["closed"]:
            self.app.processEvents()

    def refresh(self) -> None:
        self.screen.refresh()  # what follows every write (gui.ops)
        while self.screen._live_timer.isActive():
            self.app.processEvents()

    ACTIONS = ((("search", search),) * 5 + (("clear", clear),) * 2 + (("tab", tab),) * 3
               + (("sort", sort),) * 2 + (("scroll", scroll),) * 3
               + (("open dossier", open_dossier),) * 2 + (("refresh", refresh),)
               + (("receive", receive),))


def adopt_copy(db) -> None:
    """The bench plays on a copy of a demo, which (spec 4, core.installation) issues no code
    beside its original until the administrator says what it is: the copy is declared a file of
    its own here, as the administrator's "máy thay thế" would, without signing one in."""
    from core import installation
    from db.connection import transaction
    with transaction(db) as conn:
        conn.execute("DELETE FROM settings WHERE key = ?", [installation.HOME_KEY])
    installation.remember_home(db)


def play(db, actions: int, seed: int) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from core.calendar import load_calendar
    from gui.dossiers.register_view import RegisterScreen

    app = QApplication.instance() or QApplication([])
    load_calendar(db)
    adopt_copy(db)
    dossiers_before = db.execute("SELECT count(*) FROM dossiers").fetchone()[0]
    start_rss = rss_mb()
    screen = RegisterScreen(db)
    screen.resize(1366, 700)
    screen.show()
    screen.refresh()
    app.processEvents()
    clerk = Clerk(app, screen, db, seed)
    samples, started = [(0, rss_mb())], time.perf_counter()
    step = max(actions // 10, 1)
    for done in range(1, actions + 1):
        clerk.act()
        if done % step == 0:
            gc.collect()
            samples.append((done, rss_mb()))
    seconds = time.perf_counter() - started
    written = db.execute("SELECT count(*) FROM dossiers").fetchone()[0] - dossiers_before
    if written != clerk.counts.get("receive", 0):  # a refused receive is not a clerk's hour
        raise RuntimeError(f"{clerk.counts.get('receive', 0)} receptions, {written} dossiers written")
    after_first = samples[1][1] if len(samples) > 1 else samples[0][1]
    return {"actions": actions, "seconds": round(seconds, 1), "counts": clerk.counts,
            "rss_before_window_mb": round(start_rss, 1),
            "rss_window_open_mb": round(samples[0][1], 1),
            "rss_after_first_tenth_mb": round(after_first, 1),
            "rss_end_mb": round(samples[-1][1], 1),
            "rss_max_mb": round(max(mb for _, mb in samples), 1),
            "growth_last_nine_tenths_mb": round(samples[-1][1] - after_first, 1),
            "samples": [(n, round(mb, 1)) for n, mb in samples]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True, help="a copy of a database (it is written)")
    parser.add_argument("--actions", type=int, default=720)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from core.database import open_database

    db = open_database(args.db)
    result = play(db, args.actions, args.seed)
    db.close()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=1))
        return 0
    for key, value in result.items():
        if key != "samples":
            print(f"{key:28s} {value}")
    print("samples (action, MB):", " ".join(f"{n}:{mb}" for n, mb in result["samples"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
