"""The clerk's unsaved mapping survives choosing another file (round 31, a clerk's walk): the
pickers went back to the profile at every file chosen, and the seven columns picked by hand for
last month's export were to be picked again for this month's. They are kept where the new file
has the column; a column it lacks goes back to the profile, and the panel names it."""
from __future__ import annotations

from core.transfer.profiles import FIELDS
from gui import file_dialogs
from tests.core.reconcile.test_reconcile import PROVINCE_HEADER, province_rows
from tests.core.transfer.conftest import write_csv, write_xlsx
from tests.gui.reconciliation.test_column_spelling import NAMES, _pick
from tests.gui.reconciliation.test_screen import (  # noqa: F401  (fixtures)
    choose,
    dialog,
    office,
    run,
)

FIELDS_PICKED = {"code": "Số Hồ Sơ", "procedure_code": "Mã TTHC", "applicant_name": "NguoiNop",
                 "channel": "KenhNop", "received_at": "NgayNhan", "status": "TinhTrang",
                 "finished_at": "NgayXong"}  # the second file lacks it


def test_choosing_another_file_keeps_the_columns_picked(qtbot, dialog, tmp_path,  # noqa: F811
                                                         monkeypatch):
    keep = [PROVINCE_HEADER.index(n) for n in NAMES]
    rows = [[r[i] for i in keep] for r in province_rows()]
    first = write_xlsx(tmp_path / "thang_truoc.xlsx", list(NAMES.values()), rows)
    # this month's export names the end of processing as the national profile does
    second = write_csv(tmp_path / "thang_nay.csv", list(NAMES.values())[:-1]
                       + ["NgayKetThucXuLy"], rows)
    chosen = iter([str(first), str(second)])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: next(chosen))
    choose(qtbot, dialog)
    panel = dialog.mapping
    for field, column in FIELDS_PICKED.items():
        _pick(qtbot, panel.pickers[field], column)
    choose(qtbot, dialog)
    assert dialog.path.text() == str(second)
    for field, column in FIELDS_PICKED.items():
        expected = "NgayKetThucXuLy" if field == "finished_at" else column
        assert panel.pickers[field].currentText() == expected, field
    said = panel.header_how.text()
    assert "giữ 6 cột đã chọn (chưa lưu) ở tệp trước" in said, said
    assert f"{FIELDS['finished_at']} (NgayXong)" in said, said
    assert panel.profile().columns["code"] == "Số Hồ Sơ"
    run(qtbot, dialog)
    assert dialog.result.ok and dialog.result.pairs and not dialog.result.unread_rows


def test_the_guess_note_stays_and_a_field_set_to_none_is_no_column(
        qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    """A vendor's file named as the fields, one field set to "(không có)" and one column picked,
    then the month's second file: the note of the columns kept wrote over "đã chọn sẵn N cột"
    and counted the "(không có)" as a column chosen ("giữ 2 cột đã chọn")."""
    from tests.gui.reconciliation.test_field_named_columns import field_named_file
    first, fields = field_named_file(tmp_path)
    second = tmp_path / "vendor_thang_nay.csv"
    second.write_bytes(first.read_bytes())
    chosen = iter([str(first), str(second)])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: next(chosen))
    choose(qtbot, dialog)
    panel = dialog.mapping
    guessed = panel.header_how.text()
    assert f"đã chọn sẵn {len(fields)} cột mang tên trường" in guessed, guessed
    _pick(qtbot, panel.pickers["procedure_name"], "(không có)")
    _pick(qtbot, panel.pickers["representative"], FIELDS["applicant_name"])
    choose(qtbot, dialog)
    assert dialog.path.text() == str(second)
    assert panel.pickers["procedure_name"].currentData() is None
    assert panel.pickers["representative"].currentText() == FIELDS["applicant_name"]
    said = panel.header_how.text()
    # the guess's note kept, of the fields it still chooses (not the one set to none)
    assert f"đã chọn sẵn {len(fields) - 1} cột mang tên trường; hãy kiểm tra" in said, said
    assert "giữ 1 cột đã chọn (chưa lưu) ở tệp trước" in said, said
    assert "giữ 1 trường đã để «(không có)» ở tệp trước" in said, said


def test_the_note_of_columns_dropped_follows_the_columns_chosen_again(
        qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    """Recon38 (walk38): after another file, "6 cột đã chọn không có trong tệp này…" stayed
    beside «Dòng tiêu đề» once the clerk had chosen all six columns again; it names those not
    chosen again yet, and nothing once all are."""
    keep = [PROVINCE_HEADER.index(n) for n in NAMES]
    rows = [[r[i] for i in keep] for r in province_rows()]
    first = write_xlsx(tmp_path / "thang_truoc.xlsx", list(NAMES.values()), rows)
    renamed = {column: f"{column} (mới)" for column in list(FIELDS_PICKED.values())[:6]}
    second = write_csv(tmp_path / "thang_nay.csv",
                       [renamed.get(c, c) for c in NAMES.values()], rows)
    chosen = iter([str(first), str(second)])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: next(chosen))
    choose(qtbot, dialog)
    panel = dialog.mapping
    for field, column in FIELDS_PICKED.items():
        _pick(qtbot, panel.pickers[field], column)
    choose(qtbot, dialog)
    said = panel.header_how.text()
    assert "6 cột đã chọn không có trong tệp này" in said, said
    assert "giữ 1 cột đã chọn (chưa lưu) ở tệp trước" in said, said
    fields = list(FIELDS_PICKED)
    for field in fields[:2]:
        _pick(qtbot, panel.pickers[field], renamed[FIELDS_PICKED[field]])
    said = panel.header_how.text()
    assert "4 cột đã chọn không có trong tệp này" in said, said
    assert f"{FIELDS[fields[0]]} ({FIELDS_PICKED[fields[0]]})" not in said, said
    assert f"{FIELDS[fields[2]]} ({FIELDS_PICKED[fields[2]]})" in said, said
    for field in fields[2:6]:
        _pick(qtbot, panel.pickers[field], renamed[FIELDS_PICKED[field]])
    said = panel.header_how.text()
    assert "không có trong tệp này" not in said, said
    assert "giữ 1 cột đã chọn (chưa lưu) ở tệp trước" in said, said
    run(qtbot, dialog)
    assert dialog.result.ok and dialog.result.pairs and not dialog.result.unread_rows
    _pick(qtbot, panel.pickers[fields[6]], "(không có)")  # the one kept, changed: not "giữ"
    assert "giữ" not in panel.header_how.text(), panel.header_how.text()


def test_a_field_dropped_then_chosen_again_with_its_own_column_is_not_named(
        qtbot, dialog, tmp_path, monkeypatch):  # noqa: F811
    """Walk38: the field whose column the second file lacks is left at the profile's column
    (NgayKetThucXuLy) and named beside «Dòng tiêu đề»; the clerk reset it to "(không có)" and
    chose that very column again, by the keys, and it was named as dropped once more: the
    note compared the picker with the column it was left at, not what the clerk did."""
    keep = [PROVINCE_HEADER.index(n) for n in NAMES]
    rows = [[r[i] for i in keep] for r in province_rows()]
    first = write_xlsx(tmp_path / "thang_truoc.xlsx", list(NAMES.values()), rows)
    second = write_csv(tmp_path / "thang_nay.csv", list(NAMES.values())[:-1]
                       + ["NgayKetThucXuLy"], rows)
    chosen = iter([str(first), str(second)])
    monkeypatch.setattr(file_dialogs, "open_file_name", lambda *a, **k: next(chosen))
    choose(qtbot, dialog)
    panel = dialog.mapping
    for field, column in FIELDS_PICKED.items():
        _pick(qtbot, panel.pickers[field], column)
    choose(qtbot, dialog)
    dropped = f"{FIELDS['finished_at']} (NgayXong)"
    assert dropped in panel.header_how.text()
    _pick(qtbot, panel.pickers["finished_at"], "(không có)")
    assert dropped not in panel.header_how.text()
    _pick(qtbot, panel.pickers["finished_at"], "NgayKetThucXuLy")
    said = panel.header_how.text()
    assert "không có trong tệp này" not in said and dropped not in said, said
    assert "giữ 6 cột đã chọn (chưa lưu) ở tệp trước" in said, said
