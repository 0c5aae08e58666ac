"""The dossier window's "In phiếu" button: a menu of the Annex I forms the dossier has now
(core.pdf.dossier_forms decides which), each opened in the preview."""
from __future__ import annotations

from PySide6.QtWidgets import QMenu, QPushButton

from gui import permissions, printing


class PrintMenu:
    """Mixed into gui.dossiers.detail.DossierDialog (uses its db, d and action_buttons)."""

    def _print_button(self) -> QPushButton:
        """One "In phiếu ▾" button whose menu lists the Annex I forms this dossier has now
        (a slip lost or declined at intake or extension is printed again from here)."""
        button = QPushButton("In phiếu")  # Qt draws the ▾ of a button with a menu
        button.setToolTip("In các mẫu phiếu của hồ sơ (Phụ lục I, Thông tư 03/2025/TT-VPCP).")
        menu = QMenu(button)
        menu.aboutToShow.connect(lambda: self._fill_print_menu(menu))
        button.setMenu(menu)
        self.action_buttons["print"] = button
        permissions.guard(button, "slip.print")
        self.print_menu = menu
        return button

    def _fill_print_menu(self, menu: QMenu) -> None:
        from core.pdf import dossier_forms
        menu.clear()
        for kind, label in dossier_forms.available(self.db, self.d["code"]).menu():
            action = menu.addAction(label + "…")
            action.setData(kind)
            action.triggered.connect(lambda _=False, k=kind: self.print_slip(k))

    def print_slip(self, kind: str) -> None:
        printing.show_slip(self, self.db, kind, self.d["code"])
