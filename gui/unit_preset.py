"""The unit a form opens on (core.desk_unit's rule), and each account's last choice on it.

The last choice is kept at this PC per account ("intake/unit/canbo.vanquan"): one clerk's
choice is never the next clerk's preset at a shared counter PC (try25 F2). With nobody signed
in (an office without accounts) it is the PC's ("intake/unit"), as before accounts existed.
"""
from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QComboBox

from core import desk_unit
from db import actor as actors
from gui import widgets


def setting(form: str, login: str | None) -> str:
    return f"{form}/unit" if login is None else f"{form}/unit/{login}"


def _login() -> str | None:
    who = actors.signed_in()
    return who.login if who is not None else None


def last_choice(form: str) -> str | None:
    value = QSettings().value(setting(form, _login()))
    return value if isinstance(value, str) else None


def remember(form: str, code: str | None) -> None:
    """The signed-in account chose `code` on `form` (a save): its preset next time."""
    if code:
        QSettings().setValue(setting(form, _login()), code)


def choose(db, codes: list[str], form: str) -> str | None:
    return desk_unit.preset(db, codes, last_choice(form))


def preset(db, box: QComboBox, form: str) -> str | None:
    """Select in `box` (a unit picker) the unit the form opens on; returns it."""
    codes = [box.itemData(i) for i in range(box.count()) if box.itemData(i) is not None]
    code = choose(db, codes, form)
    widgets.select_value(box, code)
    return code
