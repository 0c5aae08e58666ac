"""The main window's menus and keyboard shortcuts, and the dialogs and screens they open."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

from core import office_setup
from gui import account_menu, backup_restore, demo_switch, permissions, widgets


class Menus:
    """Mixed into the MainWindow: the menu bar, the shortcuts (disabled at the gate) and their slots."""

    def toggle_demo(self) -> None:
        """One menu item between the real database and the demo file."""
        if office_setup.is_demo(self.db):
            demo_switch.back_to_real(self)
        else:
            self.demo_worker = demo_switch.open_demo(self)

    def _menus(self) -> None:
        data = self.menuBar().addMenu("&Dữ liệu")
        self.demo_action = data.addAction("Mở dữ liệu mẫu", self.toggle_demo)
        self.update_title()
        data.addSeparator()
        # the import of units, procedures, dossiers…: the Báo cáo screen's and the welcome
        # screen's button open the same dialog; a clerk looks for it here first
        self.import_action = permissions.guard(data.addAction(
            "Nhập dữ liệu…", self.import_data), "data.import")
        self.reconcile_action = permissions.guard(data.addAction(
            "Đối chiếu với hệ thống tỉnh…", self.open_reconciliation), "report.print")
        data.addSeparator()
        self.backup_action = permissions.guard(data.addAction(
            "Sao lưu ngay", lambda: backup_restore.backup_now(self)), "data.backup")
        self.restore_action = permissions.guard(data.addAction(
            "Khôi phục từ bản sao lưu…", lambda: backup_restore.restore_dialog(self)),
            "data.restore")
        data.addSeparator()
        self._exchange_menu(data)
        data.addSeparator()
        self.privacy_action = permissions.guard(
            data.addAction("Dữ liệu cá nhân…", self.open_privacy), "privacy.manage")
        data.addSeparator()
        data.addAction("Thoát (Ctrl+Q)", self.close)
        votes = self.menuBar().addMenu("Đánh &giá")
        self.kiosk_action = votes.addAction("Mở màn hình đánh giá", self.kiosk_link.open_kiosk)
        self.kiosk_action.setShortcut(QKeySequence("F9"))
        permissions.guard(votes.addAction("Nhập phiếu đánh giá giấy",
                                          lambda: self.show_screen("votes")), "vote.record")
        account_menu.build(self)

    def _exchange_menu(self, data) -> None:
        """Packages between installations (spec 9, gui.packages)."""
        from gui import packages
        # a counter PC's packages leave from the clerk's PC, signed in by a leader or the
        # administrator (the package carries every citizen's details): the clerk sees the item
        # and who may use it, greyed, rather than nothing
        data.setToolTipsVisible(True)
        self.exchange_export_action = permissions.guard(data.addAction(
            "Xuất gói trao đổi…", lambda: packages.export_dialog(self)), "data.export",
            greyed=True)
        self.exchange_import_action = permissions.guard(data.addAction(
            "Nhập gói trao đổi…", lambda: packages.import_dialog(self)), "data.import")
        self.exchange_slot_action = permissions.guard(data.addAction(
            "Máy này trong nhóm trao đổi…", lambda: packages.slot_dialog(self)), "settings.edit")
        self.known_senders_action = permissions.guard(data.addAction(
            "Máy gửi gói đã biết…", self.open_known_senders), "settings.edit")

    def import_data(self) -> None:
        from gui import import_export
        self.import_worker = import_export.import_dialog(self, self.db_path)

    def open_known_senders(self) -> None:
        from gui.known_senders import known_senders_dialog
        self.known_senders_dialog = known_senders_dialog(self)

    def open_reconciliation(self) -> None:
        from gui.reconciliation.screen import open_dialog
        self.reconcile_dialog = open_dialog(self, self.db, self.db_path)

    def open_privacy(self):
        from gui.privacy.window import open_privacy
        return open_privacy(self)

    def _shortcuts(self) -> None:
        self.shortcut_actions: list[QAction] = []
        for keys, slot in (("Ctrl+N", self.new_dossier), ("Ctrl+F", self.find),
                           ("F5", lambda: self.data_changed()), ("Ctrl+Q", self.close)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            self.shortcut_actions.append(action)

    # ----- shortcuts ------------------------------------------------------------------------
    def new_dossier(self) -> None:
        if not permissions.allowed("dossier.receive"):
            self.statusBar().showMessage(permissions.refusal("dossier.receive"), 8000)
            return
        if not self.db.execute("SELECT 1 FROM procedures LIMIT 1").fetchone():
            self.statusBar().showMessage("Chưa có danh mục thủ tục: hãy nhập danh mục hoặc "
                                         "tạo dữ liệu mẫu trước.", 8000)
            return
        from gui.dossiers.intake import IntakeDialog
        dialog = IntakeDialog(self.db, self)
        if widgets.exec_once(dialog) and dialog.created:
            self.statusBar().showMessage(f"Đã tiếp nhận hồ sơ {dialog.created[1]}.", 10000)

    def find(self) -> None:
        self.show_screen("dossiers").focus_search()
