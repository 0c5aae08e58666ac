"""A value no MotCua writes, put by SQL where the history's checks read (quick35, after
break35's ledger): a dossier's audited field made a BLOB or a text of bytes that are no UTF-8,
the checkpoint of the start-up check or the recorded head made such a text. The start-up's
digests of dossiers (core.maintenance.audit_quick) stopped on «JSON cannot hold BLOB values» /
«Could not decode to UTF-8», and a settings value that is no UTF-8 stopped `check` and the
start-up alike: a crash log where the edit is to be named in Vietnamese."""
from __future__ import annotations

import hashlib
import sqlite3

import pytest

from core.maintenance import audit_quick
from db.chain import AUDITED
from main import main
from tests.core import tamper
from tests.core.test_audit_tamper import quick
from tests.core.test_audit_tamper import worked as worked  # the fixture, and what it copies
from tests.core.test_audit_tamper import worked_once as worked_once

NOT_UTF8 = "CAST(x'eda080' AS TEXT)"  # a lone surrogate's bytes: no writer stores them
EDITED = "Hồ sơ khác với lịch sử xử lý"


def _edit(path, statement: str) -> None:
    """Within the table's CHECKs (`fee >= 0` holds for a BLOB and a text; a status or a channel
    made so is refused on opening: the file's quick_check names the CHECK it fails; a code, by
    the search index's triggers), as the sqlite3 tool can."""
    tamper.tamper(path, "dossiers", statement)


@pytest.mark.parametrize("kept", [False, True], ids=["first start", "from a checkpoint"])
@pytest.mark.parametrize("value", ["x'4142'", NOT_UTF8, "CAST(zeroblob(2000000) AS TEXT)"])
def test_the_start_up_check_names_a_dossier_fee_edited_to_such_a_value(worked, value, kept):
    if kept:
        assert quick(worked)[0] == []  # the checkpoint is kept
    _edit(worked, f"UPDATE dossier_rows SET fee = {value} WHERE id = 2")
    found, said = quick(worked)  # was a crash (OperationalError)
    assert any(text.startswith(EDITED) for text in found), said


@pytest.mark.parametrize("key", ["audit.checkpoint", "audit.head"])
def test_a_setting_of_the_checks_made_no_utf8_is_named_or_set_aside(worked, capsys, key):
    assert quick(worked)[0] == []
    _edit(worked, f"UPDATE settings SET value = {NOT_UTF8} WHERE key = '{key}'")
    found, said = quick(worked)  # was a crash: «Could not decode to UTF-8»
    assert main(["--db", str(worked), "check"]) == (1 if key == "audit.head" else 0)
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Lỗi không mong muốn" not in out.out + out.err
    if key == "audit.head":
        assert found and "không do MotCua ghi" in found[0], said
    else:  # only a shortcut: the start checks in full, and keeps a new one
        assert found == [] and any("lưu mốc" in text for text in said)


def test_an_honest_bucket_keeps_the_digest_it_always_had(worked):
    """The digests read as bytes: the same as the UTF-8 of the text they were read as before
    (a checkpoint kept by an earlier version still holds)."""
    tamper.tamper(worked, "settings", "UPDATE dossier_rows SET note = 'Đã sửa' WHERE id = 1")
    conn = sqlite3.connect(worked)
    row_text = f"json_array(id, code, {', '.join(AUDITED)})"  # the reading before quick35
    text = conn.execute(f"SELECT group_concat({row_text}, char(30)) FROM dossiers "
                        "WHERE id BETWEEN 0 AND 255").fetchone()[0]
    assert audit_quick.digests(conn) == {
        0: hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()}
    conn.close()


BROKEN_AT_3 = "Chuỗi lịch sử bị đứt ở sự kiện số 3 "


@pytest.mark.parametrize("column, value", [
    (column, value) for column in ("reason", "actor", "details")
    for value in ("x'4142'", NOT_UTF8, "zeroblob(100000)")
    if (column, value) != ("details", "x'4142'")])  # read as NULL by the view: see the report
def test_check_and_the_start_up_name_an_event_edited_to_such_a_value(worked, capsys, column,
                                                                     value):
    """«Object of type bytes is not JSON serializable» (db.chain_hashing.links), «Could not
    decode to UTF-8», and a details BLOB of zeros (the x'00' form, kept as it is: core.history.replay's
    TypeError) each stopped `check` and the start-up in a crash log."""
    tamper.tamper(worked, "events", f"UPDATE event_rows SET {column} = {value} WHERE id = 3")
    found, said = quick(worked)
    assert any(text.startswith(BROKEN_AT_3) for text in found), said
    assert main(["--db", str(worked), "check"]) == 1
    out = capsys.readouterr()
    assert BROKEN_AT_3 in out.out and "Lỗi không mong muốn" not in out.out + out.err


DEEP = "replace(hex(zeroblob(200000)), '00', '[')"  # 200,000 '[': JSON nested past Python's limit


@pytest.mark.parametrize("key", ["audit.checkpoint", "audit.head", "audit.rows.votes"])
def test_a_setting_of_the_checks_nested_past_the_limit_is_named_or_set_aside(worked, capsys,
                                                                             key):
    """json.loads raises RecursionError, no ValueError, on such a text (review36): the
    start-up and `check` stopped in a crash log where the edit is to be named."""
    assert quick(worked)[0] == []
    _edit(worked, f"UPDATE settings SET value = {DEEP} WHERE key = '{key}'")
    found, said = quick(worked)
    assert main(["--db", str(worked), "check"]) == (0 if key == "audit.checkpoint" else 1)
    out = capsys.readouterr()
    assert "Traceback" not in out.err and "Lỗi không mong muốn" not in out.out + out.err
    if key == "audit.head":
        assert found and "không do MotCua ghi" in found[0], said
    elif key == "audit.rows.votes":
        assert any("sổ kiểm không đọc được" in text for text in found), said
    else:  # only a shortcut: the start checks in full, and keeps a new one
        assert found == [] and any("lưu mốc" in text for text in said)


FIRST_STEP_DIFFERS = "Hạn hoặc chỉ tiêu tính sẵn của 1 hồ sơ khác với cách tính hiện tại"


@pytest.mark.parametrize("value", ["x'4142'", NOT_UTF8, "CAST(zeroblob(2000000) AS TEXT)"])
def test_checks_first_step_names_a_fee_edited_to_such_a_value(worked, capsys, value):
    """`check`'s examination of the file (core.maintenance.inspect) read the fee of bytes that
    are no UTF-8 as the whole file «không đọc được như một cơ sở dữ liệu» and went no further
    (round 35's «Still open»): the dossier is named as its later steps name it."""
    _edit(worked, f"UPDATE dossier_rows SET fee = {value} WHERE id = 2")
    assert main(["--db", str(worked), "check"]) == 1
    out = capsys.readouterr().out
    assert "không đọc được như một cơ sở dữ liệu" not in out
    assert f"[LỖI] {FIRST_STEP_DIFFERS} (ví dụ: U2-250303-0001)" in out
    assert f"[LỖI] {EDITED} (bị sửa ngoài MotCua?): U2-250303-0001 (lệ phí)" in out


def test_checks_first_step_names_stored_facts_of_bytes_that_are_no_utf8(worked, capsys):
    _edit(worked, f"UPDATE dossier_rows SET facts = {NOT_UTF8} WHERE id = 2")
    assert main(["--db", str(worked), "check"]) == 1
    out = capsys.readouterr().out
    assert "không đọc được như một cơ sở dữ liệu" not in out
    assert "[LỖI] facts của hồ sơ U2-250303-0001 không đọc được" in out, out
