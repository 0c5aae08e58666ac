"""This installation in its group (spec 4, core.installation; gui.packages): the slot an
administrator gives a PC joining a group, and the answer for a copied file."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
)

from core import actor_names
from gui import shown, widgets
from gui.package_tables import RED
from gui.screen_fit import fit_to_screen


# ----- this installation in its group ----------------------------------------------------------
class SlotDialog(QDialog):
    """The administrator's step when a PC joins a group (spec 4, core.installation)."""

    def __init__(self, db, parent=None):
        from PySide6.QtWidgets import QSpinBox

        from core import installation
        super().__init__(parent)
        self.setWindowTitle("Máy này trong nhóm trao đổi")
        self.db = db
        number, of = installation.slot(db)
        form = QFormLayout(self)
        form.addRow("Mã cài đặt:", QLabel(installation.installation_id(db)))
        confirmed = installation.slot_confirmed(db)
        if not confirmed:  # a new file: no code until saved here
            unsaid = QLabel("<b>Chưa xác nhận số hiệu</b>: máy này chưa cấp mã hồ sơ mới cho "
                            "đến khi anh/chị lưu số hiệu dưới đây.")
            unsaid.setWordWrap(True)
            form.addRow(unsaid)
        self.of = QSpinBox()
        self.slot = QSpinBox()
        for spin, value in ((self.of, of), (self.slot, number)):
            if confirmed:
                spin.setRange(1, installation.SLOTS_MAX)
                spin.setValue(value)
            else:  # no number until chosen, as at the first start: 1 of 1 is not assumed
                spin.setRange(0, installation.SLOTS_MAX)
                spin.setSpecialValueText("—")
                spin.setValue(0)
        form.addRow("Số máy cùng cấp mã hồ sơ trong nhóm:", self.of)
        form.addRow("Số hiệu của máy này:", self.slot)
        self.error = shown.plain(QLabel())  # it may quote what was typed: shown as typed
        self.error.setStyleSheet(widgets.ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form.addRow(self.error)
        note = QLabel("Mỗi máy trong nhóm (các quầy, các xã gửi gói về trung tâm) cần một số "
                      "hiệu riêng và cùng một số máy: máy số k chỉ cấp số thứ tự chia số máy dư "
                      "k, nên hai máy không bao giờ cấp trùng mã. Một máy dùng riêng: 1 trên 1.")
        note.setWordWrap(True)
        form.addRow(note)
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Save,
                                     QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """Lưu: an unchosen number is refused inline, with the first start's words
        (core.office_setup.checked_slot), as is a number past the group's."""
        from core import office_setup
        from core.errors import FieldError
        number, of = self.slot.value(), self.of.value()
        try:
            office_setup.checked_slot(self.db, None if 0 in (number, of) else (number, of))
        except FieldError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        super().accept()


def slot_dialog(window) -> QDialog:
    from core import installation
    from gui import ops
    if installation.home(window.db).ask:  # first what this file is: a copy, or the same PC
        return home_dialog(window)
    dialog = SlotDialog(window.db, window)

    def save() -> None:
        number, of = dialog.slot.value(), dialog.of.value()
        ops.Op(window, lambda db: installation.set_slot(db, number, of), ops.SETTINGS,
               doing="đặt số hiệu cấp mã").run(window.db)
    dialog.accepted.connect(save)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


# ----- a file opened elsewhere than where it was made ------------------------------------------
class HomeDialog(QDialog):
    """The administrator says what a file opened on another PC (or beside its original) is:
    a new machine with copied data, or the same installation on a replacement PC (spec 4,
    core.installation.home). No code is issued here until one is chosen."""

    def __init__(self, db, parent=None):
        from PySide6.QtWidgets import QButtonGroup, QRadioButton

        from core import installation
        super().__init__(parent)
        self.setWindowTitle("Tệp dữ liệu được chép từ nơi khác")
        where = installation.home(db)
        number, of = installation.slot(db)
        ident = installation.installation_id(db)
        layout = QVBoxLayout(self)
        head = QLabel(f"<b>{shown.escaped(where.text())}</b><br>Máy đã lập tệp có mã cài "
                      f"đặt {ident[:8]}…, "
                      f"số hiệu cấp mã {number} trên {of}. Hai máy cùng mã cài đặt và số hiệu "
                      "sẽ cấp trùng mã hồ sơ, nên máy này <b>chưa cấp mã hồ sơ mới</b> cho đến "
                      "khi anh/chị chọn:")
        head.setWordWrap(True)
        layout.addWidget(head)
        self.group = QButtonGroup(self)
        self.new = QRadioButton("Máy này là máy mới, dữ liệu được sao chép từ máy kia (máy kia "
                                "vẫn dùng): cấp mã cài đặt mới và số hiệu riêng cho máy này")
        self.same = QRadioButton("Máy này thay thế máy kia (máy kia không còn dùng để tiếp "
                                 "nhận hồ sơ): giữ mã cài đặt và số hiệu")
        for button in (self.new, self.same):
            self.group.addButton(button)
        layout.addWidget(self.new)
        layout.addLayout(self._new_slot_form(db, number, of))
        layout.addWidget(self.same)
        self._add_notes(layout)
        layout.addWidget(self._buttons())
        self.old = (number, of)
        self.group.buttonToggled.connect(self._chosen)
        self.of.valueChanged.connect(self._chosen)
        self.slot.valueChanged.connect(self._chosen)
        for field in (self.of, self.slot):
            field.setMaximumWidth(90)
        self._chosen()
        fit_to_screen(self, 760, self.sizeHint().height() + 20)

    def _new_slot_form(self, db, number: int, of: int) -> QFormLayout:
        """Under "a new machine": its group's size and its own number, suggested."""
        from PySide6.QtWidgets import QSpinBox

        from core import installation
        form = QFormLayout()
        form.setContentsMargins(24, 0, 0, 0)
        new_number, new_of = installation.suggested_new_slot(number, of,
                                                             actor_names.seen_slots(db))
        self.of = QSpinBox()
        self.of.setRange(2, installation.SLOTS_MAX)
        self.of.setValue(new_of)
        self.slot = QSpinBox()
        self.slot.setRange(1, installation.SLOTS_MAX)
        self.slot.setValue(new_number)
        form.addRow("Số máy cùng cấp mã hồ sơ trong nhóm:", self.of)
        form.addRow("Số hiệu của máy này:", self.slot)
        self.new_note = QLabel()
        self.new_note.setWordWrap(True)
        form.addRow(self.new_note)
        return form

    @staticmethod
    def _add_notes(layout: QVBoxLayout) -> None:
        """When "the same installation" is right, and what happens to the codes already issued."""
        same_note = QLabel("Chỉ chọn khi máy kia đã thôi dùng (hỏng, thay máy, cài lại): hai "
                           "máy cùng tiếp nhận với cùng mã cài đặt sẽ cấp trùng mã hồ sơ.")
        same_note.setWordWrap(True)
        same_note.setContentsMargins(24, 0, 0, 0)
        layout.addWidget(same_note)
        kept = QLabel("Hồ sơ đã có trong tệp giữ nguyên mã: chúng do máy kia cấp, và ở máy kia "
                      "cũng là chính những hồ sơ ấy (nhập gói qua lại thấy \"giống hệt\").")
        kept.setWordWrap(True)
        layout.addWidget(kept)

    def _buttons(self) -> QDialogButtonBox:
        buttons = widgets.button_box(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Để sau")
        self.go = buttons.addButton("Xác nhận", QDialogButtonBox.ButtonRole.AcceptRole)
        self.go.setEnabled(False)  # an explicit choice: neither is preselected
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        return buttons

    def _chosen(self, *_args) -> None:
        number, of = self.old
        new = self.new.isChecked()
        for field in (self.of, self.slot):
            field.setEnabled(new)
        self.slot.setMaximum(self.of.value())
        mine, group = self.slot.value(), self.of.value()
        if mine == number:
            self.new_note.setText(f"<span style='color:{RED}'>Số hiệu {mine} là của máy kia: "
                                  "chọn số hiệu khác.</span>")
        elif group != of:
            self.new_note.setText(f"Máy kia giữ số hiệu {number} nhưng đang ở nhóm {of} máy: "
                                  f"hãy đặt nó thành {number} trên {group} (Dữ liệu → Máy này "
                                  "trong nhóm trao đổi… trên máy kia) trước khi nó cấp mã tiếp; "
                                  f"mọi máy trong nhóm phải cùng số máy {group}.")
        else:
            self.new_note.setText(f"Máy kia giữ số hiệu {number} trên {of}; mỗi máy trong nhóm "
                                  "cần một số hiệu riêng.")
        self.go.setEnabled(self.same.isChecked() or (new and mine != number))

    def decide(self, db) -> str:
        """Carry out the choice (the administrator's right: core refuses anyone else)."""
        from core import installation
        if self.new.isChecked():
            return installation.become_new_machine(db, self.slot.value(), self.of.value())
        installation.stay_the_same(db)
        return installation.installation_id(db)


def home_dialog(window) -> HomeDialog:
    from core import installation
    from gui import ops
    dialog = HomeDialog(window.db, window)

    def done(ident: str) -> None:
        number, of = installation.slot(window.db)
        widgets.inform(window, "Đã xác nhận máy này",
                       f"Mã cài đặt {ident[:8]}…, số hiệu cấp mã {number} trên {of}. Máy này "
                       "cấp mã hồ sơ mới từ bây giờ.")
    dialog.accepted.connect(lambda: ops.Op(window, dialog.decide, ops.SETTINGS,
                                           doing="xác nhận máy này").success(done)
                            .run(window.db))
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
