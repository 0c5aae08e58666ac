"""What the signed-in account's roles let the window show (issue 15 §1).

Each button or menu item that does something core.accounts.PERMISSIONS names is tagged once,
where it is made: `guard(button, "dossier.receive")`. A tagged widget or action the account may
not use is hidden (a leader's dossier window shows no "Trả kết quả"); `apply_all()` walks every
tagged widget and action of the program again after each sign-in and change of clerk. Hiding,
not disabling: the screens already enable and disable their buttons by the dossier's status
(core's reasons in the tooltip), and two owners of one flag would undo each other.

Fields are another matter: a screen the account may look at but not save (Cài đặt, Danh mục for
a clerk or a leader; Đánh giá's paper-vote form, with its «Lưu phiếu», for a leader) tags its
fields with `read_only(widget, action)` — disabled while the action is not allowed, so nothing
looks editable that cannot be saved — and shows `view_only_note`, "Chỉ xem: cần quyền …".
The enabled flag of a tagged field is this module's alone (the screens
enable their buttons, never these fields), so it is re-applied at every sign-in like the rest.

A menu item a clerk needs to know of although another account does it (Xuất gói trao đổi at a
counter PC: the packages leave from there, signed in by a leader or the administrator) is tagged
`guard(action_item, "data.export", greyed=True)`: shown disabled, its tooltip and status tip
naming the right and the accounts that have it (`needs`), the same words as the "Chỉ xem" note.

Core refuses the same actions (core.accounts.require): this only keeps the window from offering
what would be refused.
"""
from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QWidget

from core import accounts
from core.labels import ROLE_VI
from db.schema import ROLES

PROPERTY = "motcua_permission"
HIDDEN = "motcua_hidden_by_permission"
GREYED = "motcua_greyed_without"           # a menu item shown disabled, with why, when not allowed
READ_ONLY = "motcua_read_only_without"     # a field disabled while the action is not allowed
NOTE = "motcua_view_only_note"             # the "Chỉ xem" line, shown while not allowed
FOLLOWS = "motcua_follows_rights"  # a widget greying its own buttons by the rights (follow_rights)


def allowed(action: str) -> bool:
    """Whether the signed-in account (or, with nobody signed in, the OS user) may do it."""
    return accounts.can(None, action)


def guard(item: QWidget | QAction, action: str, *, greyed: bool = False):
    """Tag `item` with the action it performs and show it only when allowed; returns `item`.
    `greyed` (menu items only): shown but disabled when not allowed, saying who may (`needs`)."""
    if action not in accounts.PERMISSIONS:
        raise KeyError(f"unknown permission {action}")  # a typo would show the button to all
    if greyed and not isinstance(item, QAction):
        raise TypeError("greyed is for menu items")  # a screen's buttons own their enabled flag
    item.setProperty(PROPERTY, action)
    item.setProperty(GREYED, greyed)
    _apply(item)
    return item


def read_only(widget: QWidget, action: str) -> QWidget:
    """Tag a field (or a form holding fields) editable only when `action` is allowed."""
    if action not in accounts.PERMISSIONS:
        raise KeyError(f"unknown permission {action}")
    widget.setProperty(READ_ONLY, action)
    widget.setEnabled(allowed(action))
    return widget


def needs(action: str) -> str:
    """Who may do `action`, in the words of a disabled item's tooltip: "Cần quyền xuất dữ liệu
    (tài khoản lãnh đạo hoặc quản trị)."."""
    right, roles = accounts.PERMISSIONS[action]
    names = [ROLE_VI[r].lower() for r in ROLES if r in roles]
    return f"Cần quyền {right} (tài khoản {' hoặc '.join(names)})."


def view_only_note(*actions: str, to: str = "sửa") -> QLabel:
    """The line a screen shows while the account may only look: "Chỉ xem: cần quyền … (tài
    khoản quản trị) để sửa.", naming the accounts that may (the paper-vote form: a clerk's)."""
    words = " và ".join(accounts.PERMISSIONS[a][0] for a in actions)
    roles = frozenset.intersection(*(accounts.PERMISSIONS[a][1] for a in actions))
    who = " hoặc ".join(ROLE_VI[r].lower() for r in ROLES if r in roles)
    note = QLabel(f"Chỉ xem: cần quyền {words} (tài khoản {who}) để {to}.")
    note.setWordWrap(True)
    note.setStyleSheet("background: #eef3fb; color: #1f3b63; padding: 4px;")
    note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)  # one line tall
    note.setProperty(NOTE, ",".join(actions))
    _apply_note(note)
    return note


def _apply_note(note: QWidget) -> None:
    if all(allowed(a) for a in note.property(NOTE).split(",")):
        note.hide()
    elif note.parent() is not None:  # not yet in its layout: the layout will show it
        note.show()


def view_only_tagged() -> list[QWidget]:
    """Every field tagged read_only and every "Chỉ xem" note alive in the program."""
    return [w for w in QApplication.allWidgets() if w.property(READ_ONLY) or w.property(NOTE)]


def _apply_view_only(widget: QWidget) -> None:
    if widget.property(READ_ONLY):
        widget.setEnabled(allowed(widget.property(READ_ONLY)))
    else:
        _apply_note(widget)


def _apply(item: QWidget | QAction) -> None:
    action = item.property(PROPERTY)
    if not action:
        return
    if isinstance(item, QAction) and item.property(GREYED):
        ok = allowed(action)
        item.setVisible(True)
        item.setEnabled(ok)
        item.setToolTip("" if ok else needs(action))
        item.setStatusTip("" if ok else needs(action))
    elif isinstance(item, QAction):
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


def follow_rights(widget: QWidget) -> None:
    """`widget` enables its buttons itself, some by the rights too (greyed with `needs`, not
    hidden): its `rights_changed()` runs again at each sign-in and change of clerk."""
    widget.setProperty(FOLLOWS, True)


def apply_all() -> None:
    """After a sign-in or a change of clerk: show each tagged item only if the account may."""
    for item in tagged():
        _apply(item)
    for widget in view_only_tagged():
        _apply_view_only(widget)
    for widget in [w for w in QApplication.allWidgets() if w.property(FOLLOWS)]:
        widget.rights_changed()  # type: ignore[attr-defined]


def refusal(action: str) -> str:
    """The words the window gives when an action is not for this account (Ctrl+N by a leader)."""
    try:
        accounts.require(action)
    except accounts.PermissionDenied as exc:
        return exc.message
    return ""
