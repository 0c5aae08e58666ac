"""`privacy …` and `export dossiers --full-data --purpose` as an administrator types them."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core.privacy import masking, retention
from tests.core.privacy.conftest import ID_NO, PHONE


def run(db_path, *argv):
    return main.main(["--db", str(db_path), *argv])


@pytest.fixture
def frozen(monkeypatch):
    from core import timefmt
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2026, 11, 30, 9, 0))


def test_full_export_needs_a_purpose_and_is_logged(office, db, db_path, tmp_path, capsys):
    out = tmp_path / "d.csv"
    assert run(db_path, "export", "dossiers", str(out), "--full-data") == 2
    assert "--purpose" in capsys.readouterr().err and not out.exists()
    assert run(db_path, "export", "dossiers", str(out)) == 0
    assert f"({masking.MASKED_VI} đã che;" in capsys.readouterr().out  # the address too
    assert PHONE not in out.read_text(encoding="utf-8-sig")
    assert run(db_path, "export", "dossiers", str(out), "--full-data", "--purpose",
               "Chuyển máy", "--overwrite") == 0
    assert PHONE in out.read_text(encoding="utf-8-sig")
    today = dt.date.today().isoformat()
    assert run(db_path, "privacy", "log", "--from", today, "--to", today) == 0
    shown = capsys.readouterr().out
    assert shown.count("Xuất danh sách hồ sơ") == 2 and "Chuyển máy" in shown
    assert PHONE not in shown


def test_retention_dry_run_then_refused_until_enabled(office, db, db_path, capsys, frozen):
    assert run(db_path, "privacy", "retention", "--dry-run") == 0
    assert "10 năm (chưa bật): 2 hồ sơ" in capsys.readouterr().out
    assert run(db_path, "privacy", "retention") == 1
    assert "Chưa bật" in capsys.readouterr().err
    retention.configure(db, 10, True)
    assert run(db_path, "privacy", "retention") == 0
    assert "Đã ẩn danh dữ liệu cá nhân của 2 hồ sơ" in capsys.readouterr().out


def test_find_export_and_breach(office, db, db_path, tmp_path, capsys):
    assert run(db_path, "privacy", "find", "--id-no", ID_NO) == 0
    captured = capsys.readouterr()
    assert "2 hồ sơ" in captured.err and ID_NO not in captured.out and "0012******45" in captured.out
    out = tmp_path / "an.pdf"
    assert run(db_path, "privacy", "export", "--name", "nguyen van an", "--out", str(out)) == 0
    assert out.stat().st_size > 1000
    assert run(db_path, "privacy", "find", "--id-no", ID_NO, "--phone", PHONE) == 2
    kit = tmp_path / "kit.txt"
    assert run(db_path, "privacy", "breach", "--from", "2025-01-01", "--to", "2025-12-31",
               "--unit", "U2", "--out", str(kit)) == 0
    assert "2 người, 2 hồ sơ" in capsys.readouterr().out
    assert "Trần Thị Hoa" in kit.read_text(encoding="utf-8")
    assert run(db_path, "privacy", "breach", "--from", "2025-01-01", "--to", "2025-12-31",
               "--unit", "ZZ", "--out", str(kit)) == 2
