"""Sao lưu và khôi phục from the window (core.maintenance, docs/build-windows.md § backups).

- The start-up backup (`start_auto_backup`): at most one a day, in a worker with no dialog; a
  failure is a note in the status bar, never a crash, and a dialog only when the copy showed
  the database itself damaged.
- "Sao lưu ngay": a small dialog (gui.backup_dialog: plain, or encrypted with a passphrase),
  then a verified copy into the backups folder, in a worker with progress.
- "Khôi phục…": an encrypted backup asks its passphrase first (checked at once); the window
  lets go of the database (kiosks, screens, connection) because a restore refuses a file still
  open, restores in a worker, then opens the result again, whether the restore worked or not.
- A database that cannot be opened at start (`refused_at_start`): the reason, and for a damaged
  one a button to restore a backup in its place.
"""
from __future__ import annotations

from pathlib import Path

import shiboken6
from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QMessageBox

from core import maintenance, paths, timefmt
from core.maintenance import encryption
from core.maintenance.backup import DamagedSource
from gui import errors, file_dialogs, shown, status_note, widgets
from gui.backup_dialog import BackupDialog, ask_passphrase, passphrase_now
from gui.worker import Worker, run_in_background, run_quietly


def start_auto_backup(window) -> Worker:
    def done(path: Path | None) -> None:
        if not shiboken6.isValid(window.backup_label):
            return  # the window was closed while the copy was made
        if path is not None:  # None: today's copy exists already
            window.backup_label.setText(f"Đã sao lưu tự động lúc {timefmt.now():%H:%M}")
            window.backup_label.setToolTip(shown.tip(str(path)))
            window.backup_label.setStyleSheet("")
            window.backup_label.show()

    def failed(exc: BaseException) -> None:
        text, _is_bug = errors.message_for(exc)  # a bug is written to the crash log here
        if not shiboken6.isValid(window.backup_label):
            return
        window.backup_label.setText("Chưa sao lưu tự động được")
        window.backup_label.setToolTip(shown.tip(text))
        window.backup_label.setStyleSheet("color: #b3261e;")
        window.backup_label.show()
        status_note.show(window, f"Chưa sao lưu tự động được: {text}", 20000)
        if isinstance(exc, DamagedSource) or getattr(exc, "kind", None) == "damaged":
            # the full check of the copy found the database itself damaged (too slow to check
            # at every opening of a big file): the clerk must know before writing more into it
            errors.show_error(window, exc, errors.failure_title("sao lưu tự động"))

    db_path = window.db_path
    return run_quietly(None, lambda _db, _progress: maintenance.auto_backup(db_path), done, failed)


BACKUP_FILTER = "Bản sao lưu MotCua (*.db *.enc);;Mọi tệp (*)"


def backup_now(window) -> BackupDialog:
    """Ask plain or encrypted (window-modal, not blocking), then copy in a worker."""
    dialog = BackupDialog(paths.backup_dir(window.db_path), window)
    window.backup_dialog = dialog
    dialog.accepted.connect(lambda: _run_backup(window, dialog.passphrase()))
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog


def _run_backup(window, passphrase: str | None) -> Worker:
    db_path = window.db_path

    def done(path: Path) -> None:
        locked = ("\nBản sao lưu được mã hoá: khi khôi phục cần đúng mật khẩu đã đặt."
                  if passphrase is not None else "")
        widgets.inform(window, "Sao lưu", f"Đã sao lưu dữ liệu vào:\n{path}{locked}\n\nNên chép "
                       "thêm bản sao lưu ra USB hoặc máy khác để phòng hỏng ổ đĩa.")
    return run_in_background(window, None, "Đang sao lưu dữ liệu…",
                             lambda _db, _progress: maintenance.make_backup(
                                 db_path, passphrase=passphrase), done,
                             notify=False, cancellable=False)


def restore_dialog(window):
    """Choose a backup, examine it, confirm, and put it in place of the current database.

    A damaged, altered or foreign file is refused (every problem named) before anything is
    asked; the examination reads the whole file, so it runs in a worker. An encrypted backup
    asks its passphrase first (returns that dialog), and is examined decrypted.
    """
    name = file_dialogs.open_file_name(window, "Khôi phục từ bản sao lưu",
                                       str(paths.backup_dir(window.db_path)), BACKUP_FILTER)
    if not name:
        return None
    if encryption.is_encrypted(name):
        return ask_passphrase(window, name, lambda passphrase: examine(window, name, passphrase))
    return examine(window, name, None)


def examine(window, name: str, passphrase: str | None) -> Worker:
    folder = Path(window.db_path).parent  # a decrypted copy goes where the data is in clear

    def check(_db, _progress):
        if passphrase is None:
            return maintenance.check_backup(name)
        return maintenance.check_backup(name, passphrase, folder)
    return run_in_background(window, None, "Đang kiểm tra bản sao lưu…", check,
                             lambda _version: confirm_and_restore(window, name, passphrase),
                             notify=False, cancellable=False)


def confirm_and_restore(window, name: str, passphrase: str | None = None) -> Worker | None:
    """The chosen backup is sound: ask, then restore."""
    if not widgets.confirm(
            window, "Khôi phục dữ liệu",
        f"Thay toàn bộ dữ liệu đang dùng bằng bản sao lưu {Path(name).name}?\n\n"
            "Dữ liệu hiện tại được sao lưu trước khi thay. Màn hình đánh giá đang mở sẽ đóng lại.",
            yes="Khôi phục", no="Không"):
        return None
    db_path = window.db_path
    window.close_database()

    def done(result) -> None:
        window.reopen_database()
        kept = (f"\nDữ liệu trước khi khôi phục được giữ ở:\n{result.previous_backup}"
                f"{_newer_note(result)}" if result.previous_backup else "")
        chain = f"\n\n{result.chain}" if result.chain else ""  # where the history stands
        widgets.inform(window, "Khôi phục dữ liệu",
                       f"Đã khôi phục dữ liệu từ {Path(name).name}.{kept}{chain}")
    return run_in_background(window, None, "Đang khôi phục dữ liệu…",
                             lambda _db, _progress: maintenance.restore(
                                 name, db_path, passphrase=passphrase), done,
                             notify=False, cancellable=False,
                             on_failure=lambda _exc: window.reopen_database())


RESTORE_BUTTON = "Khôi phục từ bản sao lưu…"
# A newer program's file (db.schema: kind "newer"): this version cannot open it, so going back
# after an update (docs/updating.md §6) starts here, not from the window's menu
GOING_BACK = (f"\n\nMuốn quay về bản này (bỏ cập nhật): bấm «{RESTORE_BUTTON}» và chọn bản sao lưu "
              "làm trước khi cập nhật. Tệp đang dùng được giữ nguyên trong thư mục sao lưu; những "
              "gì ghi sau bản sao lưu ấy không có trong dữ liệu khôi phục.")


def refused_at_start(db_path: Path, exc, default_path: Path) -> bool:
    """The database could not be opened: say why; for a damaged one, or a newer program's
    (going back after an update), offer to restore a backup in its place. True when a backup
    was restored (the caller opens the database again).

    A file that is not a MotCua database at all is offered a restore only at the default place:
    a wrong --db path may name someone's spreadsheet, which must never be replaced.
    """
    kind = getattr(exc, "kind", None)
    offer = kind in ("damaged", "newer") or (kind == "notadb"
                                             and Path(db_path) == Path(default_path))
    box = QMessageBox(QMessageBox.Icon.Critical, errors.failure_title(errors.OPENING_DATABASE),
                      exc.message + (GOING_BACK if kind == "newer" else ""))
    box.setTextFormat(Qt.TextFormat.PlainText)  # it quotes the path given, shown as typed
    restore_button = box.addButton(RESTORE_BUTTON, QMessageBox.ButtonRole.AcceptRole) if offer else None
    box.addButton("Đóng", QMessageBox.ButtonRole.RejectRole)
    clicked = widgets.run_message("critical", box)
    if restore_button is None or clicked is not restore_button:
        return False
    name = file_dialogs.open_file_name(None, "Khôi phục từ bản sao lưu",
                                       str(paths.backup_dir(db_path)), BACKUP_FILTER)
    if not name:
        return False
    passphrase = passphrase_now(None, name) if encryption.is_encrypted(name) else None
    if encryption.is_encrypted(name) and passphrase is None:
        return False
    return _restore_and_wait(name, db_path, passphrase)


def _restore_and_wait(name: str, db_path: Path, passphrase: str | None = None) -> bool:
    """Restore in a worker (it examines the file first) while a progress dialog shows; the
    damaged file is kept byte for byte in the backups folder."""
    outcome: dict = {}
    loop = QEventLoop()

    def done(result) -> None:
        outcome["result"] = result
        loop.quit()
    run_in_background(None, None, "Đang kiểm tra và khôi phục dữ liệu…",
                      lambda _db, _progress: maintenance.restore(name, db_path,
                                                                 passphrase=passphrase), done,
                      notify=False, cancellable=False, on_failure=lambda _exc: loop.quit())
    loop.exec()
    result = outcome.get("result")
    if result is None:
        return False  # the error has been shown
    kept = (f"\nTệp cũ được giữ ở:\n{result.previous_backup}{_newer_note(result)}"
            if result.previous_backup else "")
    widgets.inform(None, "Khôi phục dữ liệu", f"Đã khôi phục dữ liệu từ {Path(name).name}.{kept}")
    return True


def _newer_note(result) -> str:
    """The replaced file is a newer version's, not damaged (core.maintenance.restore)."""
    return f"\n{result.kept_text()}" if result.kept_text() else ""
