"""A form's save runs once per click the clerk meant (try25 F1).

A clerk who clicks «Lưu» twice while the first save is still running (a slow PC, a busy
database waited for) gets both clicks: X queues the second behind the first, and Qt hands it to
the button once the first handler returns, or to a nested event loop inside it (the wait for a
busy database, a print preview). The button is not disabled meanwhile: disabling the button
under the mouse moves the keyboard focus to the next one («Đóng»), where the clerk's next
Enter would close the form. Instead the save ignores a click that arrives while it runs, and,
for a form that stays open for the next entry (`form_state` given), a click within a
double-click's time of a save that succeeded on the form exactly as that save left it: the
second of two quick clicks, not a next entry (nothing was typed or ticked in between).
"""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication


class OneSave:
    def __init__(self, form_state: Callable[[], object] | None = None) -> None:
        self.running = False
        self.form_state = form_state
        self._saved = QElapsedTimer()  # since the last save that succeeded
        self._left: object = None      # the form's state that save left

    def run(self, save: Callable[[], bool]) -> bool:
        """`save()` unless a save is running or the click repeats one that succeeded; its
        answer, else False."""
        if self.running or self.repeats_last_save():
            return False
        self.running = True
        try:
            done = save()
        finally:
            self.running = False
        if done and self.form_state is not None:
            self._saved.start()
            self._left = self.form_state()
        return done

    def repeats_last_save(self) -> bool:
        return (self.form_state is not None and self._saved.isValid()
                and self._saved.elapsed() < QApplication.doubleClickInterval()
                and self.form_state() == self._left)
