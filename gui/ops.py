"""One way to run an action from the window (modelled on Anki's `CollectionOp`).

    Op(self, lambda db: core_votes.record_paper_vote(db, **values), VOTES, form=self.form)
        .success(lambda result: self.clear_form()).run(self.db)

The op gets only the database and never touches widgets. `run(db)` writes on the GUI thread
through gui.db_wait (a busy database is waited for visibly; the form stays filled on failure);
`run_in_background(db_path, title)` runs a slow op in a gui.worker thread with progress and
Cancel (the op then receives `(db, progress)`). Afterwards:
- success: the `.success` callback, then the bus announces the op's Changes, so a screen
  refreshes only when it shows what changed (gui.bus, MainWindow.data_changed);
- a core.errors.FieldError goes under its field of `form` (or of `fallback`, a field name that
  shows errors meant for a field the form does not have); any other failure goes to the
  `.failure` callback when there is one (as in Anki it replaces the message), else it is one
  message (gui.errors: known failures as they are, a bug to the crash log). The op's `error`
  and `keep_form` tell the caller whether the clerk may correct the form and save again;
  after `run`, `error` is kept without its traceback (see _forget_frames).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any

import shiboken6

from core.errors import FieldError, FieldErrors
from db.connection import DatabaseEnvironmentError
from gui import bus, db_wait, errors


@dataclass(frozen=True)
class Changes:
    """What a write changed; the kinds a screen declares in its SHOWS."""
    dossiers: bool = False
    payments: bool = False
    votes: bool = False
    catalogue: bool = False
    settings: bool = False

    def __or__(self, other: Changes) -> Changes:
        return Changes(**{f.name: getattr(self, f.name) or getattr(other, f.name)
                          for f in fields(self)})

    def touches(self, shown: Changes) -> bool:
        return any(getattr(self, f.name) and getattr(shown, f.name) for f in fields(self))


DOSSIERS = Changes(dossiers=True)
PAYMENTS = Changes(dossiers=True, payments=True)  # a payment moves the dossier's facts too
VOTES = Changes(votes=True)
CATALOGUE = Changes(catalogue=True)
SETTINGS = Changes(settings=True)
EVERYTHING = Changes(True, True, True, True, True)
# what a save of these changes does, for the title of its failure's box (errors.failure_title:
# "Không thể lưu khoản thu") when the caller names nothing more precise (Op's `doing`)
SAVED = (("payments", "lưu khoản thu"), ("dossiers", "lưu hồ sơ"), ("votes", "lưu đánh giá"),
         ("catalogue", "lưu danh mục"), ("settings", "lưu cài đặt"))


def doing_of(changes: Changes) -> str:
    """"lưu hồ sơ", …: what a save of `changes` does ("" for no change: the box says MotCua)."""
    if changes == EVERYTHING:
        return "lưu dữ liệu"
    return next((words for kind, words in SAVED if getattr(changes, kind)), "")


class Op:
    def __init__(self, parent, op: Callable, changes: Changes, *, form=None,
                 fallback: str | None = None, doing: str | None = None):
        """`doing`: what the op does, "lưu đơn vị", "xoá mẫu cột": its failure's box is titled
        "Không thể lưu đơn vị" (errors.failure_title; by default from `changes`: doing_of)."""
        self.parent, self.op, self.changes = parent, op, changes
        self.form, self.fallback = form, fallback
        self.doing = doing if doing is not None else doing_of(changes)
        self._success: Callable[[Any], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self.error: BaseException | None = None
        self.result: Any = None

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._failure = callback
        return self

    @property
    def keep_form(self) -> bool:
        """After a failure: True when the clerk can correct the form and save again."""
        return isinstance(self.error, (FieldError, DatabaseEnvironmentError))

    def run(self, db) -> bool:
        """Run the op now (an interactive write); True once it succeeded."""
        if self.form is not None:
            self.form.clear_errors()
        try:
            result = db_wait.run_write(self.parent, db, lambda: self.op(db))
        except Exception as exc:  # every failure reaches the clerk as a message, never a crash
            self._failed(exc)
            _forget_frames(exc)
            return False
        self._succeeded(result)
        return True

    def run_in_background(self, db_path: str, title: str, *, cancellable: bool = True):
        """Run the slow op `op(db, progress)` in a worker; returns the worker (tests wait)."""
        from gui import worker
        return worker.run_in_background(self.parent, db_path, title, self.op, self._succeeded,
                                         notify=False, on_failure=self._remember,
                                         cancellable=cancellable)

    def _remember(self, exc: BaseException) -> None:
        self.error = exc  # the worker shows it as one message, after this callback
        if self._failure is not None:
            self._failure(exc)

    def _succeeded(self, result) -> None:
        self.error, self.result = None, result
        # a background op may end after its screen was closed: the data is saved, and only the
        # screen's own refresh is skipped (other screens still hear what changed)
        if self._success is not None and _alive(self.parent):
            self._success(result)
        bus.notify(self.changes)

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        if self._shown_in_form(exc):
            return
        if self._failure is not None:
            self._failure(exc)
        else:
            self.show(exc)

    def show(self, exc: BaseException) -> None:
        """The failure as one message, its box titled with what failed (`doing`); for a
        `.failure` callback that shows some failures itself and leaves the others here."""
        errors.show_error(self.parent, exc, errors.failure_title(self.doing))

    def _shown_in_form(self, exc: BaseException) -> bool:
        if self.form is None or not isinstance(exc, FieldError):
            return False
        errors = exc.errors if isinstance(exc, FieldErrors) else {exc.field: exc.message}
        elsewhere = self.form.show_errors(errors)  # every wrong field at once
        if elsewhere and self.fallback and self.fallback not in errors:
            return self.form.show_error(self.fallback, "\n".join(elsewhere.values()))
        return not elsewhere


def run_form(dialog, db, op: Callable, changes: Changes, *, fallback: str | None = None,
             prepare: Callable[[dict], dict] | None = None, doing: str | None = None) -> bool:
    """Show `dialog` until `op(db, values)` succeeds (True) or the clerk closes it (False).

    A field error, or a busy database the clerk gave up waiting for, keeps the dialog open and
    filled; any other failure is one message and closes it. `prepare(values)` asks the clerk
    what the op needs to know first (e.g. "record beyond the fee?") and returns the values to
    save; its FieldError goes under the field. `doing`: Op's, for the failure's title (by
    default the dialog's own: dialog_doing).
    """
    try:
        while dialog.exec():
            dialog.form.clear_errors()
            try:
                values = prepare(dialog.values()) if prepare else dialog.values()
            except FieldError as exc:
                dialog.form.show_error(exc.field, exc.message)
                continue
            # run() below calls the op within this iteration, so `values` is this round's
            action = Op(dialog, lambda d: op(d, values), changes,  # noqa: B023
                        form=dialog.form, fallback=fallback,
                        doing=doing if doing is not None else dialog_doing(dialog))
            if action.run(db):
                return True
            if not action.keep_form:
                return False
        return False
    finally:  # freed once closed (widgets.exec_once)
        dialog.deleteLater()


def dialog_doing(dialog) -> str | None:
    """What a dialog's save does, from its title: "Gia hạn — phiếu xin lỗi … (Mẫu 04)" ->
    "gia hạn", "Huỷ khoản thu" -> "huỷ khoản thu" (None when untitled: Op's default)."""
    words = dialog.windowTitle().split(" — ")[0].split(" (")[0].strip()
    return words[:1].lower() + words[1:] if words else None


def _alive(widget) -> bool:
    return widget is None or shiboken6.isValid(widget)


def _forget_frames(exc: BaseException | None) -> None:
    """Drop the tracebacks of a failure already shown (and logged): `self.error` keeps `exc`,
    whose traceback holds this Op's own `run` frame, so Op → error → traceback → frame → Op was
    a reference cycle. It kept the Op and its `parent` screen alive after their last reference
    went, and Python's cycle collector then deleted a window it owned at whatever moment it ran
    — once in the middle of that window's own paint event: Danh mục › Đơn vị's tree read its
    freed model in UnitTree.paintEvent, a segmentation fault (tests/gui/test_ops_cycle.py)."""
    pending, seen = [exc], set()
    while pending:
        failure = pending.pop()
        if failure is None or id(failure) in seen:
            continue
        seen.add(id(failure))
        failure.__traceback__ = None
        pending += [failure.__cause__, failure.__context__]

