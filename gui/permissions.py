"""What the signed-in account's roles let the window show (issue 15 §1).

Each button or menu item that does something core.accounts.PERMISSIONS names is tagged once,
where it is made: `guard(button, "dossier.receive")`. A tagged widget or action the account may
not use is hidden (a leader's dossier window shows no "Trả kết quả"); `apply_all()` walks every
tagged widget and action of the program again after each sign-in and change of clerk. Hiding,
not disabling: the screens already enable and disable their buttons by the dossier's status
(core's reasons in the tooltip), and two owners of one flag would undo each other.

Core refuses the same actions (core.accounts.require): this only keeps the window from offering
what would be refused.
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QWidget

from core import accounts

PROPERTY = "motcua_permission"
HIDDEN = "motcua_hidden_by_permission"


def allowed(action: str) -> bool:
    """Whether the signed-in account (or, with nobody signed in, the OS user) may do it."""
    return accounts.can(None, action)


def guard(item: QWidget | QAction, action: str):
    """Tag `item` with the action it performs and show it only when allowed; returns `item`."""
    if action not in accounts.PERMISSIONS:
        raise KeyError(f"unknown permission {action}")  # a typo would show the button to all
    item.setProperty(PROPERTY, action)
    _apply(item)
    return item


def _apply(item: QWidget | QAction) -> None:
    action = item.property(PROPERTY)
    if not action:
        return
    if isinstance(item, QAction):
        item.setVisible(allowed(action))
    elif not allowed(action):
        item.setProperty(HIDDEN, True)
        item.hide()
    elif item.property(HIDDEN):  # shown again only if hidden here: show() on a widget not yet
        item.setProperty(HIDDEN, False)  # in its layout would open it as a window of its own
        item.show()


def tagged() -> list[QWidget | QAction]:
    """Every tagged widget and action alive in the program."""
    found: list[QWidget | QAction] = []
    for widget in QApplication.allWidgets():
        if widget.property(PROPERTY):
            found.append(widget)
        found.extend(a for a in widget.actions() if a.property(PROPERTY))
    for top in QApplication.topLevelWidgets():  # actions not added to any widget (shortcuts)
        found.extend(a for a in top.findChildren(QAction)
                     if a.property(PROPERTY) and not a.associatedObjects())
    return found


def apply_all() -> None:
    """After a sign-in or a change of clerk: show each tagged item only if the account may."""
    for item in tagged():
        _apply(item)


def refusal(action: str) -> str:
    """The words the window gives when an action is not for this account (Ctrl+N by a leader)."""
    try:
        accounts.require(action)
    except accounts.PermissionDenied as exc:
        return exc.message
    return ""
