"""`profile list|show|rename|delete|export|import` (core.transfer.profile_cli): a province's
column mapping shared between offices as a file; a profile is a setting (spec 10): changed only
by an account that may change settings, each change recorded with who made it."""
from __future__ import annotations

import json
import unicodedata

import pytest

import main
from core.accounts import PermissionDenied
from core.errors import InputError
from core.transfer.profiles import delete_profile, get_profile, rename_profile, save_profile
from db.actor import Actor, acting_as

COLUMNS = {"code": "Số hồ sơ", "procedure_code": "Mã TTHC", "applicant_name": "Người nộp",
           "channel": "Hình thức", "received_at": "Ngày nhận", "received_at_time": "Giờ nhận",
           "status": "Tình trạng"}


@pytest.fixture
def saved(db, db_path):
    save_profile(db, "iGate Lạng Sơn", COLUMNS, header_row=3)
    db.close()
    return db_path


def run(db_path, *argv) -> int:
    return main.main(["--db", str(db_path), "profile", *argv])


def test_list_and_show(saved, capsys):
    assert run(saved, "list") == 0
    out = capsys.readouterr().out
    assert "national" in out and "iGate Lạng Sơn  (đã lưu: 7 cột, dòng tiêu đề 3)" in out
    assert run(saved, "show", "iGate Lạng Sơn") == 0
    out = capsys.readouterr().out
    assert "dòng tiêu đề: dòng 3" in out and "Giờ tiếp nhận" in out and "←  Giờ nhận" in out
    assert run(saved, "show", "không có") == 2
    assert "Không có mẫu cột tên 'không có'" in capsys.readouterr().err


def test_a_profile_travels_to_another_office_as_a_file(saved, tmp_path, capsys):
    shared = tmp_path / "igate.json"
    assert run(saved, "export", "iGate Lạng Sơn", str(shared)) == 0
    document = json.loads(shared.read_text(encoding="utf-8"))
    assert document["ten"] == "iGate Lạng Sơn" and document["cot"] == COLUMNS
    other = tmp_path / "xa.db"
    from core.database import open_database
    open_database(other).close()
    assert run(other, "import", str(shared)) == 0
    assert "Đã nhập mẫu cột 'iGate Lạng Sơn' (7 cột)" in capsys.readouterr().out
    db = open_database(other)
    try:
        profile = get_profile(db, "iGate Lạng Sơn")
        assert profile.columns == COLUMNS and profile.header_row == 3
        changes = db.execute("SELECT area, key, actor FROM setting_changes "
                             "WHERE key = 'import_profiles'").fetchall()
        assert len(changes) == 1 and changes[0][0] == "settings"  # recorded, with who
    finally:
        db.close()
    assert run(other, "import", str(shared)) == 0  # the same again: nothing changed
    assert "đã có đúng các cột này" in capsys.readouterr().out
    changed = dict(document, cot=dict(COLUMNS, status="Trạng thái"))
    shared.write_text(json.dumps(changed, ensure_ascii=False), encoding="utf-8")
    assert run(other, "import", str(shared)) == 2
    assert "thêm --replace" in capsys.readouterr().err
    assert run(other, "import", str(shared), "--replace") == 0
    assert run(other, "import", str(shared), "--name", "iGate LS 2") == 0


@pytest.mark.parametrize(("content", "message"), [
    ("not json", "không đọc được nội dung JSON"),
    ('{"loai": "khac"}', "không phải tệp mẫu cột của MotCua"),
    ('{"loai": "motcua-mau-cot", "phien_ban": 9}', "phiên bản MotCua khác"),
    ('{"loai": "motcua-mau-cot", "phien_ban": 1, "ten": "A", "cot": {"code": "X"}}',
     "Tệp mau.json (mẫu cột 'A'): Chưa chọn cột cho trường bắt buộc"),  # the file named
    ('{"loai": "motcua-mau-cot", "phien_ban": 1, "ten": "B", "cot": {"khac": "X"}}',
     "Tệp mau.json (mẫu cột 'B'): Trường không có trong MotCua: khac"),
    # a column name of 100,000 characters was stored, and matched no file ever
    ('{"loai": "motcua-mau-cot", "phien_ban": 1, "ten": "C", "cot": {"code": "' + "M" * 100_000
     + '", "procedure_code": "B", "channel": "C", "applicant_name": "D", "received_at": "E", '
     '"status": "F"}}', "Tệp mau.json (mẫu cột 'C'): Tên cột của trường 'Mã hồ sơ' dài "
     "100.000 ký tự, quá 200 ký tự"),
    ('{"loai": "motcua-mau-cot", "phien_ban": 1, "ten": "national", "cot": {"code": "A", '
     '"procedure_code": "B", "channel": "C", "applicant_name": "D", "received_at": "E", '
     '"status": "F"}}', "Tên 'national'")])
def test_a_bad_file_is_refused_naming_what_is_wrong(saved, tmp_path, capsys, content, message):
    path = tmp_path / "mau.json"
    path.write_text(content, encoding="utf-8")
    assert run(saved, "import", str(path)) == 2
    assert message in capsys.readouterr().err


def test_rename_and_delete(saved, capsys):
    assert run(saved, "rename", "iGate Lạng Sơn", "iGate LS") == 0
    assert run(saved, "delete", "iGate LS") == 0
    assert run(saved, "delete", "national") == 2
    assert "không xóa được" in capsys.readouterr().err


def test_only_an_account_that_may_change_settings_changes_a_profile(db):
    clerk = Actor("canbo", "Cán bộ", frozenset({"clerk"}))
    leader = Actor("lanhdao", "Lãnh đạo", frozenset({"leader"}))
    admin = Actor("quantri", "Quản trị", frozenset({"admin"}))
    for who in (clerk, leader):
        with acting_as(who), pytest.raises(PermissionDenied, match="thay đổi cài đặt"):
            save_profile(db, "Mẫu", COLUMNS)
    with acting_as(admin):
        save_profile(db, "Mẫu", COLUMNS)
    with acting_as(clerk), pytest.raises(PermissionDenied):
        rename_profile(db, "Mẫu", "Mẫu 2")
    with acting_as(leader), pytest.raises(PermissionDenied):
        delete_profile(db, "Mẫu")
    assert get_profile(db, "Mẫu").columns == COLUMNS  # any role may use one
    actors = [r[0] for r in db.execute("SELECT actor FROM setting_changes WHERE key = "
                                       "'import_profiles'")]
    assert actors == ["quantri"]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="named pipes: POSIX")
def test_a_pipe_or_a_folder_is_refused_in_vietnamese_not_waited_on(saved, tmp_path, capsys):
    """Reading a pipe waits for a writer: `profile import ff.json` (and the window's 'Nhập mẫu
    từ tệp…', the same read_profile_file) hung; a folder was refused as 'Is a directory.'."""
    import os
    pipe = tmp_path / "ff.json"
    os.mkfifo(pipe)
    assert run(saved, "import", str(pipe), "--name", "a") == 2
    assert "ống dẫn" in capsys.readouterr().err
    folder = tmp_path / "thu_muc"
    folder.mkdir()
    assert run(saved, "import", str(folder)) == 2
    err = capsys.readouterr().err
    assert "thư mục" in err and "thu_muc" in err and "Is a directory" not in err, err


HEADER = ("Ngày tiếp nhận hồ sơ tại bộ phận một cửa cấp xã " * 4).strip()  # 191 letters


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_column_name_is_as_long_as_its_letters_whatever_its_form(db, form):
    """The one length rule (core.limits.text_length): a header typed with Unikey's combining
    marks (NFD: 271 code points for 191 letters) was refused as «dài 271 ký tự, quá 200»."""
    name = unicodedata.normalize(form, HEADER)
    save_profile(db, "Dài", dict(COLUMNS, received_at=name))
    assert get_profile(db, "Dài").columns["received_at"] == name
    longer = unicodedata.normalize(form, HEADER + " Lạng Sơn.")  # 201 letters
    with pytest.raises(InputError, match="dài 201 ký tự, quá 200 ký tự"):
        save_profile(db, "Dài", dict(COLUMNS, received_at=longer))
