"""The two small dialogs of encrypted backups (issue 15 §3, core.maintenance.encryption).

- `BackupDialog` ("Sao lưu ngay"): where the copy goes, and "Mã hoá bằng mật khẩu" with the
  passphrase typed twice (masked); the rule (length, both the same) is core's, shown under the
  field. Losing the passphrase loses the backup: the dialog says so.
- `PassphraseDialog` (restore): the passphrase of one chosen file, checked on "Đồng ý" against
  the file's verifier (scrypt, under half a second) so a mistyped one is said at once, under
  the field, and can be typed again.

The passphrase lives only in these fields and the worker's closure: never in a setting, a log
or a message.
"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout

from core.errors import InputError, MotCuaError
from core.maintenance import encryption
from gui import shown, widgets

LOST = ("Hãy ghi nhớ hoặc cất giữ mật khẩu ở nơi an toàn: quên mật khẩu thì không ai khôi phục "
        "được bản sao lưu này, kể cả bộ phận hỗ trợ.")


def secret_field() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMinimumWidth(360)
    return edit


class BackupDialog(QDialog):
    """Accepted with `passphrase()` None for a plain copy, or the checked passphrase."""

    def __init__(self, folder: Path, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Sao lưu dữ liệu")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        where = QLabel(f"Bản sao lưu được ghi vào thư mục:<br><b>{shown.escaped(str(folder))}</b><br>Nên chép thêm ra "
                       "USB hoặc máy khác để phòng hỏng ổ đĩa.")
        where.setWordWrap(True)
        layout.addWidget(where)
        self.encrypt = QCheckBox("Mã hoá bằng mật khẩu")
        layout.addWidget(self.encrypt, alignment=Qt.AlignmentFlag.AlignLeft)
        self.form = widgets.ErrorForm()
        self.secret = self.form.add("passphrase", "Mật khẩu", secret_field())
        self.again = self.form.add("confirmation", "Nhập lại mật khẩu", secret_field())
        self.secret.setPlaceholderText(f"ít nhất {encryption.MIN_LENGTH} ký tự")
        layout.addWidget(self.form)
        self.note = QLabel(LOST)
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        self.buttons = widgets.button_box(QDialogButtonBox.StandardButton.Ok,
                                          QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Sao lưu")
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.encrypt.toggled.connect(self._show_fields)
        self._show_fields(False)

    def _show_fields(self, on: bool) -> None:
        self.form.clear_errors()
        for widget in (self.form, self.note):
            widget.setVisible(on)
        if on:
            self.secret.setFocus()
        self.adjustSize()

    def passphrase(self) -> str | None:
        return self.secret.text() if self.encrypt.isChecked() else None

    def try_accept(self) -> None:
        self.form.clear_errors()
        if self.encrypt.isChecked():
            problem = encryption.passphrase_problem(self.secret.text(), self.again.text())
            if problem:
                field = "confirmation" if "không khớp" in problem else "passphrase"
                self.form.show_error(field, problem)
                self.adjustSize()  # room for the message's second line
                return
        self.accept()


class PassphraseDialog(QDialog):
    """The passphrase of the encrypted backup `path` whose header has been read already."""

    def __init__(self, path: str, header: encryption.Header, parent=None):
        super().__init__(parent)
        self.path, self.header = path, header
        self.setWindowTitle("Bản sao lưu được mã hoá")
        layout = QVBoxLayout(self)
        self.intro = QLabel(f"Bản sao lưu <b>{shown.escaped(Path(path).name)}</b> được mã hoá. Nhập mật khẩu "
                            "đã đặt khi sao lưu để khôi phục.")
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = widgets.ErrorForm()
        self.secret = self.form.add("passphrase", "Mật khẩu", secret_field())
        layout.addWidget(self.form)
        self.buttons = widgets.button_box(QDialogButtonBox.StandardButton.Ok,
                                          QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.try_accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.secret.setFocus()

    def passphrase(self) -> str:
        return self.secret.text()

    def try_accept(self) -> None:
        self.form.clear_errors()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            encryption.unlock(self.header, self.secret.text(), self.path)
        except InputError as exc:  # wrong or empty: said under the field, typed again
            self.form.show_error("passphrase", exc.message)
            self.secret.selectAll()
            self.adjustSize()
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.accept()


def ask_passphrase(parent, path: str, then: Callable[[str], object]) -> QDialog | None:
    """Open the passphrase dialog for `path` without blocking; `then(passphrase)` once it is
    right. A damaged header is refused here, before anything is asked (the error is shown)."""
    dialog = _dialog_for(parent, path)
    if dialog is not None:
        dialog.accepted.connect(lambda: then(dialog.passphrase()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
    return dialog


def passphrase_now(parent, path: str) -> str | None:
    """The same, waiting for the answer (before the main window exists): None if cancelled."""
    dialog = _dialog_for(parent, path)
    if dialog is None:
        return None
    try:
        return dialog.passphrase() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()


def _dialog_for(parent, path: str) -> PassphraseDialog | None:
    from gui import errors
    try:
        header = encryption.read_header(path)
    except MotCuaError as exc:
        errors.show_error(parent, exc, errors.failure_title("đọc bản sao lưu"))
        return None
    return PassphraseDialog(path, header, parent)
