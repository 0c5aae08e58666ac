"""`backup --encrypt` and `restore` of an encrypted backup from the command line (spec 6)."""
from __future__ import annotations

import getpass
import sys

import pytest

from core.maintenance import encryption
from core.maintenance.encryption import ENV_VAR
from main import main
from tests.core.maintenance.test_encryption import SECRET
from tests.core.maintenance.test_maintenance import count


class Terminal:
    """A console the clerk types into: answers getpass in order, records the prompts."""

    def __init__(self, monkeypatch, *answers: str):
        self.answers, self.prompts = list(answers), []
        monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
        monkeypatch.setattr(getpass, "getpass", self.getpass)

    def getpass(self, prompt: str = "") -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)


@pytest.fixture(autouse=True)
def no_passphrase_in_environment(monkeypatch):
    monkeypatch.delenv(ENV_VAR, raising=False)


def backup_cli(filled, folder, capsys) -> tuple[int, str, str]:
    code = main(["--db", str(filled), "backup", "--to", str(folder), "--encrypt"])
    out, err = capsys.readouterr()
    return code, out, err


def test_backup_asks_twice_and_restore_asks_once(filled, tmp_path, monkeypatch, capsys):
    terminal = Terminal(monkeypatch, SECRET, SECRET + "x", SECRET, SECRET)
    code, out, err = backup_cli(filled, tmp_path / "usb", capsys)
    assert code == 0 and "(đã mã hoá bằng mật khẩu)" in out
    assert "không khớp" in err  # the first confirmation was mistyped: asked again
    assert terminal.prompts == ["Mật khẩu cho bản sao lưu: ", "Nhập lại mật khẩu: "] * 2
    copy = next((tmp_path / "usb").iterdir())
    assert copy.name.endswith(".db.enc") and SECRET not in out + err

    terminal = Terminal(monkeypatch, "mật khẩu gõ nhầm rồi", SECRET)
    target = tmp_path / "restored.db"
    assert main(["--db", str(target), "restore", str(copy)]) == 0
    out, err = capsys.readouterr()
    assert "Mật khẩu không đúng" in err and f"Đã khôi phục {target} từ {copy}" in out
    assert len(terminal.prompts) == 2 and count(target) == 40


def test_scripts_give_the_passphrase_in_the_environment(filled, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(ENV_VAR, SECRET)
    monkeypatch.setattr(getpass, "getpass", lambda *a: pytest.fail("asked on the terminal"))
    code, out, _err = backup_cli(filled, tmp_path / "usb", capsys)
    assert code == 0
    copy = next((tmp_path / "usb").iterdir())
    assert main(["--db", str(tmp_path / "r.db"), "restore", str(copy)]) == 0
    monkeypatch.setenv(ENV_VAR, "một mật khẩu khác")
    before = (tmp_path / "r.db").read_bytes()
    assert main(["--db", str(tmp_path / "r.db"), "restore", str(copy)]) == 2
    assert "Mật khẩu không đúng" in capsys.readouterr().err
    assert (tmp_path / "r.db").read_bytes() == before


# set but empty means unset: the command asks (here there is no terminal to ask at)
@pytest.mark.parametrize("value, words", [("", "Không có cửa sổ dòng lệnh"),
                                          ("ngắn", "ít nhất 10")])
def test_a_bad_passphrase_in_the_environment_makes_nothing(filled, tmp_path, monkeypatch,
                                                           capsys, value, words):
    monkeypatch.setenv(ENV_VAR, value)
    code, _out, err = backup_cli(filled, tmp_path / "usb", capsys)
    assert code == 2 and words in err and ENV_VAR in err
    assert not (tmp_path / "usb").exists()


def test_an_empty_passphrase_typed_three_times_makes_nothing(filled, tmp_path, monkeypatch,
                                                             capsys):
    Terminal(monkeypatch, "", "", "")
    code, _out, err = backup_cli(filled, tmp_path / "usb", capsys)
    assert code == 2 and err.count("Chưa nhập mật khẩu") == 3
    assert not (tmp_path / "usb").exists()


def test_without_a_terminal_the_message_names_the_variable(filled, tmp_path, monkeypatch,
                                                           capsys):
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False, raising=False)
    code, _out, err = backup_cli(filled, tmp_path / "usb", capsys)
    assert code == 2 and ENV_VAR in err and "Traceback" not in err


def test_a_damaged_encrypted_file_is_refused_before_the_passphrase_is_asked(
        filled, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(ENV_VAR, SECRET)
    backup_cli(filled, tmp_path / "usb", capsys)
    monkeypatch.delenv(ENV_VAR)
    copy = next((tmp_path / "usb").iterdir())
    data = bytearray(copy.read_bytes())
    data[25] ^= 0xFF
    copy.write_bytes(bytes(data))
    monkeypatch.setattr(getpass, "getpass", lambda *a: pytest.fail("asked for a damaged file"))
    before = filled.read_bytes()
    assert main(["--db", str(filled), "restore", str(copy)]) == 2
    err = capsys.readouterr().err
    assert f"Bản sao lưu mã hoá {copy} bị hỏng ở phần đầu tệp" in err
    assert filled.read_bytes() == before


def test_the_passphrase_never_reaches_the_crash_log(filled, tmp_path, monkeypatch, capsys,
                                                    data_dir):
    """A bug in the middle of encrypting: the log has the frames, never the passphrase."""
    def broken(*args, **kwargs):
        raise RuntimeError("lỗi lập trình giả định")
    monkeypatch.setattr(encryption.AESGCM, "encrypt", broken)
    monkeypatch.setenv(ENV_VAR, SECRET)
    code, _out, err = backup_cli(filled, tmp_path / "usb", capsys)
    assert code == 1 and "Chi tiết đã được ghi vào" in err
    logs = list((data_dir / "logs").iterdir())
    assert logs
    text = "".join(log.read_text(encoding="utf-8") for log in logs)
    assert "encrypt_file" in text  # the log is about this failure
    for shown in (text, err):
        assert SECRET not in shown and SECRET.encode().hex() not in shown
    assert [f.name for f in filled.parent.iterdir() if f.name.startswith(".")] == []
