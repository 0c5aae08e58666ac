"""A vendor's export whose columns are named as the window names the fields ("Mã hồ sơ", "Mã
thủ tục", "Ngày tiếp nhận"…): chosen already, for the clerk to check, and said so. Before,
every picker stayed at "(không có)" beside columns of the very same names, and the clerk chose
each by hand. A saved profile's choices are kept as saved."""
from __future__ import annotations

from core.transfer.profiles import FIELDS, NATIONAL_COLUMNS, REQUIRED, save_profile
from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv
from tests.gui.reconciliation.test_screen import choose, dialog, office, run  # noqa: F401


def field_named_file(tmp_path):
    fields = [f for f, column in NATIONAL_COLUMNS.items() if column in PROVINCE_HEADER]
    keep = [PROVINCE_HEADER.index(NATIONAL_COLUMNS[f]) for f in fields]
    rows = [[row[i] for i in keep] for row in province_rows()]
    return write_csv(tmp_path / "vendor.csv", [FIELDS[f] for f in fields], rows), fields


def test_columns_named_as_the_fields_are_chosen_already(qtbot, dialog, tmp_path,  # noqa: F811
                                                        monkeypatch):
    source, fields = field_named_file(tmp_path)
    assert {"code", "procedure_code", "applicant_name", "received_at", "status"} <= set(fields)
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    mapping = dialog.mapping
    for field in fields:
        assert mapping.pickers[field].currentText() == FIELDS[field], field
    assert mapping.note.text() == ""  # nothing missing
    assert mapping.preview.rowCount() == 5
    assert mapping.preview.item(0, 0).text() == "XTD-250102-0001"
    assert "đã chọn sẵn" in mapping.header_how.text() and "hãy kiểm tra" in mapping.header_how.text()
    run(qtbot, dialog)
    assert len(dialog.result.only_theirs) == 1


def test_a_saved_profile_keeps_a_field_it_leaves_out(qtbot, dialog, office, tmp_path,  # noqa: F811
                                                     monkeypatch):
    source, fields = field_named_file(tmp_path)
    assert "procedure_name" in fields
    save_profile(office, "Chỉ cột bắt buộc", {f: FIELDS[f] for f in REQUIRED})
    dialog.mapping.reload_profiles("Chỉ cột bắt buộc")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    assert dialog.mapping.pickers["code"].currentText() == FIELDS["code"]
    assert dialog.mapping.pickers["procedure_name"].currentData() is None  # left out, as saved
    assert dialog.mapping.profile().name == "Chỉ cột bắt buộc"


def test_a_column_the_profile_gives_another_field_is_not_chosen_twice(
        qtbot, dialog, office, tmp_path, monkeypatch):  # noqa: F811
    """Review 31e: a saved profile reading the new due date from the vendor's «Ngày hẹn trả»
    (so the vendor names it), its due date from a column this month's file lacks: the
    field-name guess chose «Ngày hẹn trả» for the due date too, two fields from one column,
    said only as "đã chọn sẵn 1 cột"."""
    source, fields = field_named_file(tmp_path)
    assert "due_at" in fields
    columns = {f: FIELDS[f] for f in REQUIRED}
    columns.update(extended_due_at=FIELDS["due_at"], due_at="HanXuLy")
    save_profile(office, "Hạn gia hạn", columns)
    dialog.mapping.reload_profiles("Hạn gia hạn")
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: str(source))
    choose(qtbot, dialog)
    pickers = dialog.mapping.pickers
    assert pickers["extended_due_at"].currentText() == FIELDS["due_at"]  # as saved
    assert pickers["due_at"].currentData() is None  # not the same column again
