"""Child process of bench_start.py: opens the app (or a bare window) and reports, on stdout as
JSON, the wall-clock moments of the first paint of the main window and of the dashboard's
figures; then quits. Not a test: run by bench_start.py only."""
from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _probe(app, window_class, marks: dict) -> None:
    """An event filter on the application: the first paint of a `window_class` window, then a
    poll for the dashboard's figures (its `result`), then quit."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    def figures_shown() -> None:
        for widget in app.topLevelWidgets():
            screen = getattr(widget, "screens", {}).get("dashboard")
            if screen is not None and getattr(screen, "result", None) is not None:
                marks["figures"] = time.time()
                app.quit()
                return
        QTimer.singleShot(10, figures_shown)

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):
            if (event.type() == QEvent.Type.Show and "shown" not in marks
                    and isinstance(obj, window_class)):
                marks["shown"] = time.time()  # built: what remains is the event loop's
            if (event.type() == QEvent.Type.Paint and "paint" not in marks
                    and isinstance(obj, window_class)):
                marks["paint"] = time.time()
                QTimer.singleShot(0, figures_shown if marks.get("wait_figures") else app.quit)
            return False

    app._first_paint = FirstPaint()  # kept alive by the app
    app.installEventFilter(app._first_paint)


def bare(marks: dict) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    _probe(app, QMainWindow, marks)
    window.resize(1280, 760)
    window.show()
    app.exec()


def motcua(db: str, marks: dict) -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication(sys.argv[:1])
    marks["wait_figures"] = True
    _probe(app, QMainWindow, marks)
    import main
    main.main(["--db", db])


if __name__ == "__main__":
    marks: dict = {"start": float(sys.argv[1])}
    if sys.argv[2] == "bare":
        bare(marks)
    else:
        motcua(sys.argv[3], marks)
    print(json.dumps(marks), flush=True)
    # measured: leave without waiting for the start-up jobs (a backup of a big file, the
    # history check), whose threads Qt would otherwise abort on
    os._exit(0)
