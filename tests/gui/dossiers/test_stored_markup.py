"""A stored value that looks like HTML shows as typed (gui.shown): Qt draws a label, a message
box or a tooltip as HTML when its text looks like it, so an applicant named
`<b>X</b><img src=x>` (an older database, a package taken as sent) showed a bold X and a
broken picture in the dossier window, the tags gone: the clerk did not read what is stored."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox

from db.connection import transaction
from gui import shown, widgets
from gui.dossiers.detail import DossierDialog
from gui.dossiers.detail_text import reserve_lines
from tests.gui.drawn import drawn, label_drawn

MARKUP = "<b>X</b><img src=x>"
ADDRESS = "<a href='http://x.vn'>Số 9</a> thôn Bãi & xã Đồng Giáp"
CODE = "000.01.90.H37-250605-<i>0001</i>"


def _store(db, dossier_id: int, **values) -> None:
    with transaction(db) as conn:
        for column, value in values.items():
            conn.execute(f"UPDATE dossiers SET {column} = ? WHERE id = ?", [value, dossier_id])


def _window(qtbot, db, dossier_id: int) -> DossierDialog:
    detail = DossierDialog(db, dossier_id)
    qtbot.addWidget(detail)
    detail.show()
    qtbot.waitExposed(detail)
    return detail


def test_the_dossier_window_shows_a_name_and_address_with_their_tags(qtbot, db, office):
    dossier = office["Trần Văn Bình"]
    _store(db, dossier, applicant_name=MARKUP, applicant_address=ADDRESS, note=MARKUP,
           representative="Nguyễn <u>An</u>")
    detail = _window(qtbot, db, dossier)
    seen = [label_drawn(label) for label in detail.findChildren(QLabel)]
    for value in (MARKUP, ADDRESS, "Nguyễn <u>An</u>"):
        assert value in seen, (value, seen)


def test_the_header_shows_a_code_with_its_tags_and_keeps_its_bold(qtbot, db, office):
    dossier = office["Trần Văn Bình"]
    _store(db, dossier, code=CODE)
    detail = _window(qtbot, db, dossier)
    header = detail.header_label
    assert CODE in label_drawn(header)
    assert "<b style='font-size:13pt'>" in header.text()  # rich on purpose, the code escaped


def test_a_long_value_cut_in_the_window_is_whole_in_its_tooltip_with_its_tags(qtbot):
    label = shown.label(MARKUP + " " + "Nguyễn Văn An " * 40)
    qtbot.addWidget(label)
    reserve_lines(label, 200)
    assert label.toolTip()
    assert drawn(label.toolTip()) == label.text()


def test_a_tooltip_shows_markup_as_typed_and_a_plain_one_unchanged():
    assert drawn(shown.tip(MARKUP)) == MARKUP
    assert drawn(shown.tip("a  <b>b</b>\n  c")) == "a  <b>b</b>\n  c"
    assert shown.tip("Nguyễn Văn An\nSố 9") == "Nguyễn Văn An\nSố 9"
    assert drawn(shown.item("x", MARKUP).toolTip()) == MARKUP


def test_a_message_box_shows_its_text_as_typed(qtbot, monkeypatch):
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(widgets, "run_message", lambda kind, box: boxes.append(box))
    widgets.inform(None, "Hồ sơ", f"Người nộp: {MARKUP}")
    widgets.confirm(None, "Hồ sơ", f"Huỷ hồ sơ của {MARKUP}?")
    for box in boxes:
        assert box.textFormat() == Qt.TextFormat.PlainText
        assert MARKUP in box.text()


def test_the_registers_tooltip_shows_a_procedure_name_with_its_tags(qtbot, db, office):
    from gui.dossiers.register_view import RegisterScreen
    from gui.lazymodel import ID_ROLE
    dossier = office["Trần Văn Bình"]
    with transaction(db) as conn:  # a catalogue line taken from a package as sent
        conn.execute("UPDATE procedures SET name = ? WHERE code = '2.000635'", [MARKUP])
    screen = RegisterScreen(db)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    qtbot.waitExposed(screen)
    screen.refresh()
    model = screen.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data(ID_ROLE) == dossier)
    tooltip = model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole)
    assert drawn(tooltip).splitlines()[0].endswith(f"— {MARKUP}"), tooltip


def test_a_complaint_quoted_in_its_form_and_its_table_shows_its_tags(qtbot, db, office):
    import datetime as dt

    from core import complaints
    from gui.dossiers.complaints_box import ComplaintsBox, ResolveDialog
    dossier = office["Trần Văn Bình"]
    complaints.add_complaint(db, dossier, content=MARKUP, channel="direct",
                      received_at=dt.datetime(2025, 6, 6, 9, 0))
    box = ComplaintsBox(db, dossier, "X", lambda: dt.datetime(2025, 6, 11, 9, 0))
    qtbot.addWidget(box)
    cells = [box.table.item(r, c) for r in range(box.table.rowCount())
             for c in range(box.table.columnCount()) if box.table.item(r, c) is not None]
    [content] = [cell for cell in cells if cell.text() == MARKUP]
    assert drawn(content.toolTip()) == MARKUP
    form = ResolveDialog(what=MARKUP, now=dt.datetime(2025, 6, 11, 9, 0))
    qtbot.addWidget(form)
    assert f"Phản ánh: {MARKUP}" in [label_drawn(label) for label in form.findChildren(QLabel)]


def test_a_forms_error_and_an_input_dialogs_question_show_their_text_as_typed(qtbot,
                                                                              monkeypatch):
    form = widgets.ErrorForm()
    qtbot.addWidget(form)
    form.add("applicant_name", "Người nộp", QLineEdit())
    form.show_error("applicant_name", f"Họ tên «{MARKUP}» có ký tự không in được")
    assert label_drawn(form.errors["applicant_name"]).startswith(f"Họ tên «{MARKUP}»")
    asked: list = []
    monkeypatch.setattr(widgets, "run_input", lambda dialog: asked.append(dialog) or False)
    widgets.ask_text(None, "Đổi tên", f"Tên mới cho {MARKUP}:")
    [dialog] = asked
    assert f"Tên mới cho {MARKUP}:" in [label_drawn(label) for label in dialog.findChildren(QLabel)]


def test_the_intakes_unit_tooltip_shows_a_units_name_as_typed(qtbot, db, office):
    """A unit's name taken from a package as sent: the whole name on hover, tags and all, also
    once the clerk picks another unit (the tooltip was set raw on every change)."""
    from gui.dossiers.intake import IntakeDialog
    with transaction(db) as conn:
        conn.execute("UPDATE units SET name = ? WHERE code = 'X02'", [MARKUP])
    dialog = IntakeDialog(db)
    qtbot.addWidget(dialog)
    box = dialog.unit_box
    box.setCurrentIndex(box.findData("X01"))
    box.setCurrentIndex(box.findData("X02"))
    assert MARKUP in box.currentText()
    assert drawn(box.toolTip()) == box.currentText()
