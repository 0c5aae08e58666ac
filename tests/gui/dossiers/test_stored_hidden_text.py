"""Values stored before the rule of hidden characters (an older database, a package taken as
sent) show neutralised on the clerk's screens (gui.shown, core.textnorm.shown_text): a
right-to-left override (U+202E) in an applicant's name or address turned the letters after it
around in the register, the search's results, the dossier window and its history, and the kiosk.
The stored value is never rewritten by being shown, and the search still finds the dossier."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableWidget

from core import dossiers, kiosk, textnorm
from db.connection import transaction
from gui.dossiers.detail import DossierDialog
from gui.dossiers.register_view import RegisterScreen
from gui.kiosk.pages import StartPage
from gui.lazymodel import ID_ROLE

# as an older version stored them (written straight into the table, no rule on the way)
NAME = "Trần \u202eVăn Bình"
ADDRESS = "Số 9 thôn Bãi, xã Đồng Giáp\u202e, Lạng Sơn"
NOTE = "Gọi lại\u2067 sau 16 giờ"
PHONE = "0912\u200b345678"
SHOWN = {"name": "Trần Văn Bình", "address": "Số 9 thôn Bãi, xã Đồng Giáp, Lạng Sơn",
         "note": "Gọi lại sau 16 giờ", "phone": "0912345678"}
STORED_ROW = (NAME, ADDRESS, NOTE, PHONE)


def _store_old_values(db, dossier_id: int) -> None:
    with transaction(db) as conn:
        conn.execute("UPDATE dossiers SET applicant_name = ?, applicant_address = ?, note = ?, "
                   "applicant_phone = ? WHERE id = ?", [*STORED_ROW, dossier_id])


def _stored(db, dossier_id: int):
    return db.execute("SELECT applicant_name, applicant_address, note, applicant_phone "
                      "FROM dossiers WHERE id = ?", [dossier_id]).fetchone()


def _register(qtbot, db) -> RegisterScreen:
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    return screen


def _every_text(model) -> list[str]:
    return [str(model.index(r, c).data(role) or "") for r in range(model.rowCount())
            for c in range(model.columnCount())
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)]


def test_the_register_shows_an_old_bidi_override_neutralised(qtbot, db, office):
    dossier = office["Trần Văn Bình"]
    _store_old_values(db, dossier)
    screen = _register(qtbot, db)
    model = screen.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ID_ROLE) == dossier)
    assert model.index(row, 2).data() == SHOWN["name"]
    assert SHOWN["name"] in model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert not [t for t in _every_text(model) if textnorm.has_hidden(t)]
    assert _stored(db, dossier) == STORED_ROW  # shown, not rewritten


def test_the_search_still_finds_it_by_what_the_clerk_reads(qtbot, db, office):
    dossier = office["Trần Văn Bình"]
    _store_old_values(db, dossier)
    screen = _register(qtbot, db)
    for typed in ("tran", "tran van binh", "dong giap lang son", "0912345678"):
        screen.search.clear()
        qtbot.keyClicks(screen.search, typed)
        screen.apply_filters()
        found = [screen.model.index(r, 0).data(ID_ROLE) for r in range(screen.model.rowCount())]
        assert dossier in found, typed
        assert screen.model.index(found.index(dossier), 2).data() == SHOWN["name"], typed


def test_the_dossier_window_and_its_history_show_them_neutralised(qtbot, db, office):
    dossier = office["Trần Văn Bình"]
    _store_old_values(db, dossier)
    # a later correction of the note keeps the old one (with its isolate) in the history's cell
    dossiers.correct_field(db, dossier, "note", SHOWN["note"], reason="Bỏ ký tự ẩn")
    detail = DossierDialog(db, dossier)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    texts = [label.text() for label in detail.findChildren(QLabel)] + [detail.windowTitle()]
    for value in SHOWN.values():
        assert value in texts, value
    cells = [table.item(r, c).text() for table in detail.findChildren(QTableWidget)
             for r in range(table.rowCount()) for c in range(table.columnCount())
             if table.item(r, c) is not None]
    # the correction's old value: “Gọi lại sau 16 giờ” → “Gọi lại sau 16 giờ”
    assert any(f"“{SHOWN['note']}” → “{SHOWN['note']}”" in cell for cell in cells), cells
    hidden = [t for t in texts + cells if textnorm.has_hidden(t)]
    assert hidden == []
    assert _stored(db, dossier) == (NAME, ADDRESS, SHOWN["note"], PHONE)


def test_the_kiosk_shows_an_old_procedure_name_neutralised(qtbot, db, office):
    """The public screen: the invitation's texts (the name is masked, its mask guarded)."""
    dossier = office["Trần Văn Bình"]
    _store_old_values(db, dossier)
    with transaction(db) as conn:
        conn.execute("UPDATE procedures SET name = ? WHERE code = '2.000635'",
                   ["Cấp bản sao \u202etrích lục hộ tịch"])
    kiosk.invite(db, dossier)
    invitation = kiosk.pending_invitation(db, "X02")
    page = StartPage("UBND xã Tràng Các")
    qtbot.addWidget(page)
    page.show_invitation(invitation)
    assert "Cấp bản sao trích lục hộ tịch" in page.dossier.text()
    assert "Trần *** Bình" in page.dossier.text()
    assert not textnorm.has_hidden(page.dossier.text())


def test_the_correction_form_offers_the_old_value_as_it_is_shown(qtbot, db, office):
    """«Sửa thông tin» fills «Giá trị mới» with the stored value: an override in it turned the
    editor's letters around, and saving it unchanged was refused for a character nobody sees.
    Offered neutralised, the clerk's save stores it by the rule, the old one kept in history."""
    from core.dossiers import CORRECTABLE
    from gui import widgets
    from gui.dossiers.actions import CorrectDialog
    dossier = office["Trần Văn Bình"]
    _store_old_values(db, dossier)
    current = dict(zip(CORRECTABLE, db.execute(
        f"SELECT {', '.join(CORRECTABLE)} FROM dossiers WHERE id = ?", [dossier]).fetchone(),
        strict=True))
    dialog = CorrectDialog(db, current=current)
    qtbot.addWidget(dialog)
    widgets.select_value(dialog.field_box, "applicant_address")
    assert dialog.text.text() == SHOWN["address"]
    dialog.reason.setText("Bỏ ký tự ẩn")
    values = dialog.values()
    dossiers.correct_field(db, dossier, values["field"], values["value"], reason=values["reason"])
    assert _stored(db, dossier)[1] == SHOWN["address"]
    old = db.execute("SELECT json_extract(details, '$.old') FROM events WHERE dossier_id = ? "
                     "AND action = 'correct'", [dossier]).fetchone()[0]
    assert old == ADDRESS  # the history keeps what was stored
