"""`slip receipt|supplement|refusal|apology|stop|control CODE --out FILE.pdf` (spec 6)."""
from __future__ import annotations

import pytest

import main
from tests.core.pdf import forms_sample
from tests.pdfread import page_sizes, pdf_text


@pytest.fixture
def office(db, db_path):
    codes = forms_sample.office(db)
    db.close()
    return str(db_path), codes


@pytest.mark.parametrize("kind, key, width, what", [
    ("receipt", "full", 419.5, "giấy tiếp nhận"),
    ("supplement", "full", 419.5, "phiếu yêu cầu bổ sung"),
    ("refusal", "rejected", 419.5, "phiếu từ chối"),
    ("apology", "full", 419.5, "phiếu xin lỗi và đề nghị gia hạn"),
    ("stop", "stopped", 419.5, "thông báo dừng giải quyết"),
    ("control", "full", 595.3, "phiếu kiểm soát")])
def test_each_form_is_written(office, tmp_path, capsys, kind, key, width, what):
    path, codes = office
    out = tmp_path / f"{kind}.pdf"
    assert main.main(["--db", path, "slip", kind, codes[key], "--out", str(out)]) == 0
    assert f"Đã ghi {what} của hồ sơ {codes[key]}" in capsys.readouterr().out
    assert abs(page_sizes(out)[0][0] - width) < 1
    assert codes[key] in pdf_text(out)


def test_a_form_the_status_does_not_have_exits_2_in_vietnamese(office, tmp_path, capsys):
    path, codes = office
    out = tmp_path / "x.pdf"
    assert main.main(["--db", path, "slip", "stop", codes["plain"], "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "không ở trạng thái Dừng xử lý" in err and "Thông báo dừng giải quyết hồ sơ" in err
    assert "Traceback" not in err and not out.exists()
    assert main.main(["--db", path, "slip", "refusal", codes["plain"], "--out", str(out)]) == 2
    assert "Từ chối giải quyết" in capsys.readouterr().err


def test_a_late_extension_is_warned_on_stderr_and_the_slip_still_written(office, tmp_path, capsys):
    path, codes = office
    out = tmp_path / "a.pdf"
    assert main.main(["--db", path, "slip", "apology", codes["full"], "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert "chưa đủ một ngày làm việc trước hạn trả kết quả" in err
    assert "Lê Hoàng Yến" not in err  # no personal data in the warning
    assert out.exists()


def test_an_unknown_kind_is_refused_by_the_parser(office, tmp_path, capsys):
    path, codes = office
    assert main.main(["--db", path, "slip", "register", codes["full"],
                      "--out", str(tmp_path / "x")]) == 2
    assert "receipt|supplement|refusal|apology|stop|control" in capsys.readouterr().err
