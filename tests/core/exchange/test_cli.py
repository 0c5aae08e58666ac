"""`exchange export|import|identity` on the command line: messages and exit codes."""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest

import main
from tests.core.exchange.conftest import busy_day, office, receive


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_then_import_with_dry_run_and_conflict_choice(tmp_path, capsys):
    a, b = office(tmp_path / "a.db"), office(tmp_path / "b.db")
    busy_day(a)
    receive(b, "Người khác")  # the same code as a's first: both PCs left in slot 1 of 1
    a.close()
    b.close()
    package = str(tmp_path / "a.zip")
    code, out, _ = run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export",
                       "--since", "01/10/2025", "--out", package)
    assert code == 0 and "3 hồ sơ" in out
    code, out, err = run(capsys, "--db", str(tmp_path / "b.db"), "exchange", "import", package,
                         "--dry-run")
    assert code == 0 and "Chưa ghi gì (--dry-run)" in out and "xung đột 1" in out
    assert "(tất cả đơn vị, thay đổi từ 01/10/2025)" in out  # was 'đơn vị tất cả đơn vị', ISO
    # what differs with both values (this PC's → the package's), the labels core.labels gives
    assert "U1-251020-0001: HAI HỒ SƠ KHÁC NHAU cùng mã, khác thủ tục: P.WD2 → P.SD; người " \
        "nộp: Người khác → Trần Thị Hoa;" in err
    code, out, err = run(capsys, "--db", str(tmp_path / "b.db"), "exchange", "import", package)
    assert code == 2 and "--conflicts keep" in err and "chưa ghi gì" in err
    code, out, _ = run(capsys, "--db", str(tmp_path / "b.db"), "exchange", "import", package,
                       "--conflicts", "keep")
    assert code == 0 and "mới 2" in out and "giữ của máy này 1" in out


def test_bad_input_exits_2_with_a_reason(tmp_path, capsys):
    office(tmp_path / "a.db").close()
    code, _, err = run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export", "--since",
                       "hôm qua", "--out", str(tmp_path / "x.zip"))
    assert code == 2 and "--since" in err
    code, _, err = run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export", "--since",
                       "2025-10-01", "--out", str(tmp_path / "x.csv"))
    assert code == 2 and ".zip" in err
    (tmp_path / "junk.zip").write_bytes(b"junk")
    code, _, err = run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "import",
                       str(tmp_path / "junk.zip"))
    assert code == 2 and "Chưa ghi gì" in err and "Traceback" not in err


def test_identity_shows_and_sets_the_slot(tmp_path, capsys):
    db = str(tmp_path / "a.db")
    office(tmp_path / "a.db").close()
    code, out, _ = run(capsys, "--db", db, "exchange", "identity", "--slot", "3", "--of", "4")
    assert code == 0 and "máy 3 trong nhóm 4 máy" in out
    code, _, err = run(capsys, "--db", db, "exchange", "identity", "--slot", "5", "--of", "4")
    assert code == 2 and "từ 1 đến 4" in err
    code, _, err = run(capsys, "--db", db, "exchange", "identity", "--slot", "2")
    assert code == 2 and "--of" in err


def test_a_dry_run_for_a_centre_without_a_database_creates_none(tmp_path, capsys):
    a = office(tmp_path / "a.db")
    busy_day(a)
    a.close()
    package = str(tmp_path / "a.zip")
    assert run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export", "--since",
               "2025-10-01", "--out", package)[0] == 0
    code, out, _ = run(capsys, "--db", str(tmp_path / "centre.db"), "exchange", "import", package,
                       "--dry-run", "--new-db")
    assert code == 0 and "mới 3" in out and not (tmp_path / "centre.db").exists()
    # and it says what the import will do: a new database starts with the official day-off
    # schedule, so those calendar rows are not new to it (the preview said 2 more rows)
    code, done, _ = run(capsys, "--db", str(tmp_path / "centre.db"), "exchange", "import", package,
                        "--new-db")
    assert code == 0
    assert out.split("nếu nhập sẽ có: ")[1].split(". Chưa ghi gì")[0] == \
        done.split("đã nhập: ")[1].strip().rstrip(".")


def _three_packages(tmp_path, capsys) -> list[str]:
    """Two counters (slots 1 and 2 of 2) and a third that clashes with the second."""
    files = []
    for name, slot, who in (("q1", (1, 2), "Quầy Một"), ("q2", (2, 2), "Quầy Hai"),
                            ("q3", (2, 2), "Quầy Ba")):
        db = office(tmp_path / f"{name}.db", slot)
        receive(db, who)
        db.close()
        files.append(str(tmp_path / f"{name}.zip"))
        code, _, _ = run(capsys, "--db", str(tmp_path / f"{name}.db"), "exchange", "export",
                         "--since", "2025-10-01", "--out", files[-1])
        assert code == 0
    return files


def test_import_of_several_packages_is_one_operation(tmp_path, capsys):
    q1, q2, q3 = _three_packages(tmp_path, capsys)
    centre = str(tmp_path / "centre.db")
    office(tmp_path / "centre.db").close()
    code, out, _ = run(capsys, "--db", centre, "exchange", "import", q1, q2, "--dry-run")
    assert code == 0 and "Cộng 2 gói — nếu nhập sẽ có: hồ sơ mới 2" in out
    assert out.count("Chưa ghi gì (--dry-run)") == 3
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, q2, q3)
    # q2 and q3 bring one code, two dossiers: which is taken is the clerk's choice, by package
    assert code == 2 and "1 hồ sơ có phiên bản khác nhau ở nhiều gói" in err
    assert re.search(r"    \[q2\.zip \(gói [0-9a-f]{8}\)\] Quầy Hai", err), err
    assert re.search(r"    \[q3\.zip \(gói [0-9a-f]{8}\)\] Quầy Ba", err), err
    assert "Chưa ghi gì từ cả 3 gói" in err
    # "keep" took the first package's, "theirs" the last's: neither decides it any more
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, q2, q3,
                         "--conflicts", "keep")
    assert code == 2 and "--conflicts không quyết định các hồ sơ này" in err
    db = office(tmp_path / "q3.db", catalogue=False)
    clash = db.execute("SELECT code FROM dossiers").fetchone()[0]
    db.close()
    for given, said in ((clash, "--choose '" + clash + "' không hợp lệ: viết MÃ=GÓI"),
                        (f"{clash}=q9.zip", "'q9.zip' không phải gói nào đang nhập (các gói: "
                                            "q1.zip (gói "),
                        (f"{clash}=q1.zip", f"Hồ sơ {clash}: gói q1.zip không có hồ sơ này")):
        code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, q2, q3,
                             "--choose", given)
        assert code == 2 and said in err and "Traceback" not in err, err
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, q2, q3, "--choose",
                         f"{clash}=here")  # this PC has no version of it
    assert code == 2 and "máy này chưa có hồ sơ này" in err
    code, out, _ = run(capsys, "--db", centre, "exchange", "import", q1, q3, q2,
                       "--choose", f"{clash}=q2.zip")
    assert code == 0 and "Cộng 3 gói — đã nhập trong một giao dịch: hồ sơ mới 1" in out
    assert "giữ của máy này 1, lấy theo gói 1" in out
    code, out, _ = run(capsys, "--db", centre, "exchange", "import", q1, q2)
    assert code == 0 and "giống hệt 2" in out


def test_a_bad_file_among_several_is_named_and_nothing_is_written(tmp_path, capsys):
    q1, q2, _ = _three_packages(tmp_path, capsys)
    centre = str(tmp_path / "centre.db")
    office(tmp_path / "centre.db").close()
    (tmp_path / "hong.zip").write_bytes(b"PK hong")
    code, _, err = run(capsys, "--db", centre, "exchange", "import", q1, str(tmp_path / "hong.zip"),
                       q2)
    assert code == 2 and "Gói hong.zip không dùng được" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", centre, "exchange", "import", q1,
                       str(tmp_path / "khong-co.zip"))
    assert code == 2 and "khong-co.zip" in err
    db = office(tmp_path / "centre.db", catalogue=False)
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 0
    db.close()


def test_one_package_chosen_twice_is_said_and_counted_once(tmp_path, capsys):
    # merged twice and summed twice ('mới 1, … giống hệt 1') without a word on the code of
    # round 19; round 20 said so and still added it to "Cộng N gói" (a tester's 43 + 43
    # clashes for the same rows). A second import changes nothing (spec 9): said, counted once
    import shutil
    q1, q2, _ = _three_packages(tmp_path, capsys)
    centre = str(tmp_path / "centre.db")
    office(tmp_path / "centre.db").close()
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, q2, "--dry-run")
    once = out.splitlines()[-1].partition(" — ")[2]
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, q2, q1, "--dry-run")
    assert code == 0 and "Gói q1.zip được đưa hai lần: chỉ tính một lần" in err
    assert out.splitlines()[-1] == "Cộng 2 gói (1 tệp là gói đã đưa, chỉ tính một lần) — " + once
    assert f"Gói {q1} — cùng một gói với {q1}: chỉ tính một lần" in out
    copy = str(tmp_path / "Gói quầy 1 (bản sao).zip")
    shutil.copy(q1, copy)
    for files in ([q1, copy], [copy, q1]):  # (the copy's name sorts first: the same totals)
        code, out, err = run(capsys, "--db", centre, "exchange", "import", *files, "--dry-run")
        assert code == 0 and "là bản sao của" in err
        assert "Cộng 1 gói (1 tệp là gói đã đưa, chỉ tính một lần) — nếu nhập sẽ có: hồ sơ " \
            "mới 1, thay đổi 0, giống hệt 0," in out
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, copy)
    assert code == 0 and "(Gói quầy 1 (bản sao).zip là bản sao của q1.zip)" in err
    assert "đã nhập trong một giao dịch: hồ sơ mới 1, thay đổi 0, giống hệt 0" in out
    db = office(tmp_path / "centre.db", catalogue=False)
    assert db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 1  # what was said
    db.close()
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, q2)  # different
    assert code == 0 and "được đưa hai lần" not in err and "Cộng 2 gói — " in out


@pytest.mark.parametrize("text, words", [
    ("31/02/2025", "ngày 31 không có trong tháng 2/2025 (tháng 2/2025 chỉ có 28 ngày)"),
    ("29/02/2025", "tháng 2/2025 chỉ có 28 ngày"),
    ("31/04/2025", "tháng 4/2025 chỉ có 30 ngày"),
    ("01/02/25", "năm «25» phải đủ 4 chữ số"),
    ("1/2/025", "năm «025» phải đủ 4 chữ số"),
    ("15/13/2025", "không có tháng 13"),
    ("2025-13-01", "không có tháng 13"),
    ("21/10/2025", "là sau hôm nay (20/10/2025)"),
    ("hôm qua", "«hôm qua» không phải một ngày"),
    ("01/01/1800", "nằm ngoài khoảng năm"),
])
def test_a_day_that_is_not_one_is_named_not_turned_into_another(tmp_path, capsys, text, words):
    """Issue 16 §3: `--since` and the export dialog read the day by one rule
    (core.exchange.export.parse_since); a day that does not exist is said, never moved."""
    office(tmp_path / "a.db").close()
    code, _, err = run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export", "--since",
                       text, "--out", str(tmp_path / "x.zip"))
    assert code == 2 and "--since" in err and words in err, err
    assert not (tmp_path / "x.zip").exists()


@pytest.mark.parametrize("text, day", [
    ("29/02/2024", dt.date(2024, 2, 29)), ("5/1/2025", dt.date(2025, 1, 5)),
    ("2025-10-20", dt.date(2025, 10, 20)), (" 01.10.2025 ", dt.date(2025, 10, 1)),
])
def test_a_real_day_is_that_day(text, day):
    from core.exchange.export import parse_since
    assert parse_since(text, dt.date(2025, 10, 20)) == day


@pytest.mark.parametrize("option, members", [
    ((), {"manifest.json", "checksums.sha256", "rows.motcua"}),
    (("--format", "3"), {"manifest.json", "checksums.sha256", "rows.motcua"}),
    (("--format", "2"), {"manifest.json", "checksums.sha256", "units.jsonl", "procedures.jsonl",
                         "calendar.jsonl", "dossiers.jsonl", "votes.jsonl"}),
], ids=["default", "3", "2"])
def test_export_writes_format_3_unless_told_format_2(tmp_path, capsys, option, members):
    """A centre not yet upgraded reads only format 2: `--format 2` still writes it."""
    import zipfile
    a = office(tmp_path / "a.db")
    busy_day(a)
    a.close()
    package = tmp_path / "a.zip"
    code, out, _ = run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export",
                       "--since", "01/10/2025", "--out", str(package), *option)
    assert code == 0 and "3 hồ sơ" in out
    with zipfile.ZipFile(package) as archive:
        assert set(archive.namelist()) == members
        # format 3 signed, in the zip's comment (an older format-3 reader ignores it)
        assert archive.comment.startswith(b"{") == ("rows.motcua" in members)
    office(tmp_path / "b.db").close()
    code, out, _ = run(capsys, "--db", str(tmp_path / "b.db"), "exchange", "import", str(package))
    assert code == 0 and "mới 3" in out


def test_an_unknown_package_format_exits_2(tmp_path, capsys):
    office(tmp_path / "a.db").close()
    code, _, err = run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export", "--since",
                       "01/10/2025", "--out", str(tmp_path / "x.zip"), "--format", "4")
    assert code == 2 and "--format" in err and "2, 3" in err and not (tmp_path / "x.zip").exists()


def test_a_version_is_chosen_by_the_package_not_its_file_name(tmp_path, capsys):
    """Round 18 review: versions were chosen by file name. Two packages named q.zip from two
    folders could not be told apart (refused), and a name had to be typed as given. The
    preview names each version's package by its identity (gói XXXXXXXX), which --choose
    takes; a file name still works when it names one package only."""
    q1, q2, q3 = _three_packages(tmp_path, capsys)
    for folder, source in (("ngay1", q2), ("ngay2", q3)):
        (tmp_path / folder).mkdir()
        shutil.copy(source, tmp_path / folder / "q.zip")
    twins = [str(tmp_path / "ngay1" / "q.zip"), str(tmp_path / "ngay2" / "q.zip")]
    centre = str(tmp_path / "centre.db")
    office(tmp_path / "centre.db").close()
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, *twins, "--dry-run")
    # a preview is not an import (spec 6: it did what was asked, 0), but it says plainly that
    # the import would stop, and what to pass
    assert code == 0 and "NHẬP THẬT SẼ DỪNG, KHÔNG GHI GÌ (mã thoát 2)" in out, out
    second = re.search(r"\[q\.zip \(gói ([0-9a-f]{8})\)\] Quầy Ba", err)
    assert second, err
    clash = re.search(r"ví dụ --choose (\S+)=", out).group(1)
    code, _, err = run(capsys, "--db", centre, "exchange", "import", q1, *twins, "--choose",
                       f"{clash}=q.zip")
    assert code == 2 and "2 gói khác nhau cùng tên q.zip" in err and "Traceback" not in err
    code, out, err = run(capsys, "--db", centre, "exchange", "import", q1, *twins, "--choose",
                         f"{clash}={second.group(1)}")
    assert code == 0, err
    db = office(tmp_path / "centre.db", catalogue=False)
    assert db.execute("SELECT applicant_name FROM dossiers WHERE code = ?", [clash]
                      ).fetchone()[0] == "Quầy Ba"
    db.close()


def test_a_dry_run_that_a_real_import_would_stop_at_says_so(tmp_path, capsys):
    """Round 18 review: `--dry-run` exits 0 (spec 6: the preview did what was asked) even when
    the import needs a choice; it said "nếu nhập sẽ có … xung đột 1" and nothing more."""
    a, b = office(tmp_path / "a.db"), office(tmp_path / "b.db")
    receive(a, "Trần Thị Hoa")
    receive(b, "Người khác")
    a.close()
    b.close()
    package = str(tmp_path / "a.zip")
    run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export", "--since", "01/10/2025",
        "--out", package)
    code, out, _ = run(capsys, "--db", str(tmp_path / "b.db"), "exchange", "import", package,
                       "--dry-run")
    assert code == 0 and "NHẬP THẬT SẼ DỪNG, KHÔNG GHI GÌ (mã thoát 2)" in out
    assert "- 1 hồ sơ xung đột chưa chọn (gói a.zip: " in out  # (core.exchange.ready)
    assert "lệnh: --conflicts keep hoặc --conflicts theirs" in out
    code, out, _ = run(capsys, "--db", str(tmp_path / "b.db"), "exchange", "import", package,
                       "--dry-run", "--conflicts", "keep")
    assert code == 0 and "DỪNG" not in out


def test_the_message_on_earlier_choices_names_a_command_the_program_has():
    """The note on conflicts chosen at an earlier import names the command as the program's
    other messages do (`exchange import`: core.cli.COMMANDS), not a `motcua` program that
    does not exist (the built one is MotCua-console.exe, docs/build-windows.md)."""
    from core.cli import COMMANDS
    from core.exchange.decide import CHANGE_EARLIER_VI

    named = re.findall(r"lệnh `([^`]+)`", CHANGE_EARLIER_VI)
    assert named and all(" ".join(n.split()[:2]) in COMMANDS for n in named), named
    assert "motcua" not in CHANGE_EARLIER_VI.lower()
    assert "`--choose MÃ=GÓI`" in CHANGE_EARLIER_VI


def test_no_phone_nor_id_number_is_printed_by_an_import_with_conflicts(tmp_path, capsys):
    """Round 21 (tester): the dry run's conflict list printed the applicants' phones and ID
    numbers in full ("số điện thoại: 0912345678 → 0987654321"), where whoever reads the
    terminal or a saved output sees them. Masked by the one rule (core.privacy.masking), as
    every report shows them: in the preview, in a real import's refusal, and once chosen."""
    from core import dossiers as D
    from tests.core.exchange.conftest import DAY
    people = {"a": ("Trần Thị Hoa", "0912345678", "001203012345"),
              "b": ("Lò Văn Sử", "0987654321", "019087006543")}
    for side, (name, phone, id_no) in people.items():
        db = office(tmp_path / f"{side}.db")  # both PCs left in slot 1 of 1: one code, twice
        D.create_dossier(db, unit_code="U1", procedure_code="P.WD2", applicant_name=name,
                         received_at=DAY, applicant_phone=phone, applicant_id_no=id_no,
                         applicant_address="Thôn Pá Lòng, huyện Văn Quan")
        db.close()
    package = str(tmp_path / "a.zip")
    code, _, _ = run(capsys, "--db", str(tmp_path / "a.db"), "exchange", "export", "--since",
                     "01/10/2025", "--out", package)
    assert code == 0
    said = []
    for extra in (["--dry-run"], [], ["--conflicts", "keep"]):
        code, out, err = run(capsys, "--db", str(tmp_path / "b.db"), "exchange", "import",
                             package, *extra)
        said.append(out + err)
        assert code == (2 if not extra else 0)
    assert "HAI HỒ SƠ KHÁC NHAU" in said[0] and "số điện thoại" in said[0].lower()
    assert "0987****21 → 0912****78" in said[0]
    for text in said:
        for _, phone, id_no in people.values():
            assert phone not in text and id_no not in text and phone[-6:] not in text
        assert "Pá Lòng" not in text
