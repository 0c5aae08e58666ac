"""Every file dialog of the app: one that never opens the files it lists.

A file dialog that reads a file's first bytes to guess its type (Qt's default icon provider does
so through QMimeDatabase for any name it does not know, such as motcua.db-wal) closes that file
again, and on Linux closing *any* descriptor on the live database drops all of the process's
SQLite locks on it (db/filelocks.py, docs/reliability.md). So the dialogs here are Qt's own
widget dialogs, never the platform's (a GTK dialog sniffs in-process too), with an icon provider
that looks at names only, and a filter that does not even list the live database and its
-wal/-shm/-journal companions.
"""
from __future__ import annotations

import os
import re

from PySide6.QtCore import (
    QDir,
    QFileInfo,
    QMimeDatabase,
    QModelIndex,
    QSortFilterProxyModel,
    QStandardPaths,
    Qt,
    QUrl,
)
from PySide6.QtGui import QAbstractFileIconProvider, QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QFileIconProvider,
    QHeaderView,
    QToolButton,
    QTreeView,
    QWidget,
)

from db import filelocks

OPTIONS = (QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.DontUseCustomDirectoryIcons
           | QFileDialog.Option.DontResolveSymlinks)


class NameOnlyIcons(QFileIconProvider):
    """Icons and type names from the file name alone: nothing is opened to look inside."""

    def __init__(self):
        super().__init__()
        self.setOptions(QAbstractFileIconProvider.Option.DontUseCustomDirectoryIcons)
        self._mimes = QMimeDatabase()

    def icon(self, what):  # noqa: D401  (both overloads of QFileIconProvider.icon)
        if isinstance(what, QFileInfo):
            kind = (QAbstractFileIconProvider.IconType.Folder if what.isDir()
                    else QAbstractFileIconProvider.IconType.File)
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Thư mục"
        mime = self._mimes.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        return mime.comment() or mime.name()


_icons: list[NameOnlyIcons] = []


def icons() -> NameOnlyIcons:
    """One provider for the whole program: a dialog does not own it, and its model may still
    ask it from a background thread while the dialog is being deleted."""
    if not _icons:
        _icons.append(NameOnlyIcons())
    return _icons[0]


class HideDatabaseFiles(QSortFilterProxyModel):
    """Leaves out the databases this process has open and every SQLite companion file."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hidden = {os.path.normcase(os.path.abspath(p)) for p in filelocks.held_paths()}

    def filterAcceptsRow(self, row: int, parent: QModelIndex) -> bool:  # noqa: N802
        model = self.sourceModel()
        path = model.filePath(model.index(row, 0, parent))
        return not is_database_file(path, self.hidden)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        # Qt ships no Vietnamese for its file dialog's columns ("Name", "Size", …)
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole \
                and 0 <= section < len(COLUMNS_VI):
            return COLUMNS_VI[section]
        return super().headerData(section, orientation, role)


COLUMNS_VI = ("Tên", "Cỡ", "Loại", "Ngày sửa")
TOOLTIPS_VI = {"backButton": "Quay lại", "forwardButton": "Tiến tới",
               "toParentButton": "Lên thư mục cha", "newFolderButton": "Tạo thư mục mới",
               "listModeButton": "Xem dạng danh sách", "detailModeButton": "Xem chi tiết"}
# The dialog's context menus: the file list's actions carry object names, the header's only
# their English text.
ACTIONS_VI = {"qt_rename_action": "Đổi &tên", "qt_delete_action": "&Xoá",
              "qt_show_hidden_action": "Hiện tệp ẩ&n", "qt_new_folder_action": "Thư &mục mới",
              "Show Size": "Hiện cỡ", "Show Type": "Hiện loại", "Show Date Modified": "Hiện ngày sửa",
              # the same through resources/translations/qt_vi.ts ("Hiện " + the column's name)
              "Hiện Cỡ": "Hiện cỡ", "Hiện Loại": "Hiện loại", "Hiện Ngày sửa": "Hiện ngày sửa"}


def is_database_file(path: str, live: set[str]) -> bool:
    name = os.path.normcase(os.path.abspath(path))
    if any(name.endswith(suffix) for suffix in filelocks.SIDECARS):
        return True
    return name in live


def make_dialog(parent: QWidget | None, caption: str, directory: str, name_filter: str,
                *, save: bool) -> QFileDialog:
    dialog = QFileDialog(parent, caption, directory, name_filter)
    dialog.setOptions(OPTIONS)
    dialog.setIconProvider(icons())
    dialog.setProxyModel(HideDatabaseFiles(dialog))
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    _vietnamese(dialog, "Lưu" if save else "Mở")
    dialog.resize(860, 540)
    return dialog


def _vietnamese(dialog: QFileDialog, accept: str) -> None:
    """Qt ships no Vietnamese translation of its own dialogs."""
    label = QFileDialog.DialogLabel
    for which, text in ((label.LookIn, "Thư mục:"), (label.FileName, "Tên tệp:"),
                        (label.FileType, "Loại tệp:"), (label.Accept, accept),
                        (label.Reject, "Huỷ")):
        dialog.setLabelText(which, text)
    for name, tip in TOOLTIPS_VI.items():
        button = dialog.findChild(QToolButton, name)
        if button is not None:
            button.setToolTip(tip)
    for action in dialog.findChildren(QAction):
        text = ACTIONS_VI.get(action.objectName()) or ACTIONS_VI.get(action.text())
        if text:
            action.setText(text)
    dialog.setSidebarUrls(sidebar_urls())
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:  # the name takes the room; a date is shown whole
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column, sample in ((1, "1.023,4 MB"), (2, "Bảng tính CSV"), (3, "30/11/2026 16:58")):
            header.resizeSection(column, view.fontMetrics().horizontalAdvance(sample) + 24)


def sidebar_urls() -> list[QUrl]:
    """The places beside the list: the clerk's home, desktop and documents, then each drive.
    Qt's default first place, the "file:" URL, is named "Computer" in English by Qt itself
    (QFileSystemModel, no Vietnamese shipped); the drives it lists are given here directly."""
    places = [QStandardPaths.writableLocation(where) for where in (
        QStandardPaths.StandardLocation.HomeLocation,
        QStandardPaths.StandardLocation.DesktopLocation,
        QStandardPaths.StandardLocation.DocumentsLocation)]
    places += [drive.absolutePath() for drive in QDir.drives()]
    seen: list[str] = []
    for place in places:
        if place and os.path.isdir(place) and place not in seen:
            seen.append(place)
    return [QUrl.fromLocalFile(place) for place in seen]


def _run(dialog: QFileDialog) -> str:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted or not dialog.selectedFiles():
            return ""
        return dialog.selectedFiles()[0]
    finally:
        dialog.deleteLater()


def open_file_name(parent: QWidget | None, caption: str, directory: str = "",
                   name_filter: str = "") -> str:
    """The chosen existing file, or "" when the clerk cancelled."""
    return _run(make_dialog(parent, caption, directory, name_filter, save=False))


def open_file_names(parent: QWidget | None, caption: str, directory: str = "",
                    name_filter: str = "") -> list[str]:
    """The chosen existing files (one or several, Ctrl/Shift-click), or [] when cancelled."""
    dialog = make_dialog(parent, caption, directory, name_filter, save=False)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return []
        return list(dialog.selectedFiles())
    finally:
        dialog.deleteLater()


def save_file_name(parent: QWidget | None, caption: str, directory: str = "",
                   name_filter: str = "") -> str:
    """The chosen file to write (the dialog asks before overwriting), or ""."""
    return _run(make_dialog(parent, caption, directory, name_filter, save=True))


# The kinds of file a clerk may mean by a name's ending: one of these that the save cannot write
# is a mistake to say, not a name to keep ("x.csv" for a workbook became "x.csv.xlsx"); any other
# ending ("Báo cáo T6.2025") is part of the name, and the save's own suffix is added.
KNOWN_SUFFIXES = frozenset({".pdf", ".xlsx", ".xls", ".xlsm", ".ods", ".csv", ".txt", ".zip",
                            ".json", ".xml", ".html", ".doc", ".docx", ".odt", ".rtf", ".db",
                            ".enc", ".png", ".jpg"})


def filter_suffixes(name_filter: str) -> list[str] | None:
    """The endings a save's filter offers, in order ("Tệp PDF (*.pdf)" -> [".pdf"]); None when
    it also offers any file ("Mọi tệp (*)"): every name is then the clerk's to choose."""
    patterns = [p for group in re.findall(r"\(([^)]*)\)", name_filter) for p in group.split()]
    if "*" in patterns or not patterns:
        return None
    return [p[1:].lower() for p in patterns if p.startswith("*.")]


def save_target(chosen: str, suffixes: list[str] | None, default: str) -> tuple[str, str | None]:
    """The file a save writes for the name `chosen`, and None, or the name it can write instead
    and the ending it cannot: the one rule of every save's ending (kept when offered, added when
    the name has none, never stacked after another known kind's)."""
    if suffixes is None:
        return chosen, None
    head, suffix = os.path.splitext(chosen)
    if suffix.lower() in suffixes:
        return chosen, None
    if suffix.lower() in KNOWN_SUFFIXES:
        return head + default, suffix
    return chosen + default, None


def save_path(parent: QWidget | None, caption: str, suggested: str = "",
              name_filter: str = "") -> str:
    """The file to write, chosen in the save dialog, with the ending the save writes; or "".

    A name ending in another kind than the save writes ("x.csv" where only .xlsx is written)
    is said: the clerk saves it under the right ending or chooses another name. A name the save
    completes is asked about when that file already exists (the dialog asked about the other)."""
    from gui import widgets

    suffixes = filter_suffixes(name_filter)
    if suggested and not os.path.dirname(suggested):  # a bare name: in the clerk's folder
        suggested = os.path.join(save_folder(), suggested)
    own = os.path.splitext(suggested)[1].lower()
    default = own if suffixes and own in suffixes else (suffixes[0] if suffixes else "")
    while True:
        chosen = save_file_name(parent, caption, suggested, name_filter)
        if not chosen:
            return ""
        target, wrong = save_target(chosen, suffixes, default)
        if wrong is None and (target == chosen or not os.path.exists(target)):
            return _remembered(target)
        name, lines = os.path.basename(target), []
        if wrong is not None:
            kinds = ", ".join(s[1:].upper() for s in suffixes or [])
            lines.append(f"Tệp này chỉ lưu được dạng {kinds}, không lưu được dạng "
                         f"{wrong[1:].upper()} như tên “{os.path.basename(chosen)}”.")
        if os.path.exists(target):
            lines.append(f"Tệp “{name}” đã có sẵn: lưu sẽ ghi đè lên nó.")
        text = "\n\n".join([*lines, f"Lưu thành “{name}”?"])
        if widgets.confirm(parent, caption, text, yes=f"Lưu thành “{name}”",
                           no="Chọn tên khác"):
            return _remembered(target)
        suggested = target  # the dialog opens again, the name corrected


SAVE_FOLDER_KEY = "files/save_folder"


def first_folder(*candidates: str | None, isdir=os.path.isdir) -> str:
    """The first candidate that is an existing folder, else the last one: the choice behind
    where a save opens, testable without Qt or a Windows PC."""
    for folder in candidates:
        if folder and isdir(folder):
            return folder
    return candidates[-1] or ""


def documents_folder() -> str:
    """The clerk's Documents folder, else the home folder. On Windows Qt asks the shell for the
    Documents known folder (Tài liệu; moved to OneDrive or a server share where that is so)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return first_folder(documents, QDir.homePath())


def save_folder() -> str:
    """Where a save opens: the folder of the last save on this PC, else Documents — never the
    folder the program was started from (on Windows its install folder: a receipt saved there
    was lost to the clerk, or refused)."""
    from PySide6.QtCore import QSettings
    last = str(QSettings().value(SAVE_FOLDER_KEY, "") or "")
    return first_folder(last, documents_folder())


def _remembered(target: str) -> str:
    from PySide6.QtCore import QSettings
    QSettings().setValue(SAVE_FOLDER_KEY, os.path.dirname(os.path.abspath(target)))
    return target
