"""selftest (spec 6): passes on a working program, and says which part is broken otherwise."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from core import paths, selftest
from core.version import VERSION_TEXT
from main import main

BUNDLED = paths.resource_path("fonts")
# Until the bundled font lands (resources/fonts, branch pdf), a system font with Vietnamese
# glyphs stands in; CI installs fonts-dejavu-core.
STAND_INS = [Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"),
             Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")]


def vietnamese_font() -> Path:
    bundled = sorted(BUNDLED.glob("*.ttf")) if BUNDLED.is_dir() else []
    for font in [BUNDLED / selftest.PREFERRED_FONT] + bundled + STAND_INS:
        if font.is_file():
            return font
    pytest.skip("no TrueType font with Vietnamese glyphs on this machine")


@pytest.fixture
def font_dir(tmp_path) -> Path:
    """A fonts folder holding just the one Vietnamese font."""
    folder = tmp_path / "only-font"
    folder.mkdir()
    shutil.copy(vietnamese_font(), folder)
    return folder


@pytest.fixture
def app_root(tmp_path, monkeypatch) -> Path:
    """A program folder whose resources/fonts holds one Vietnamese font, as the build has."""
    root = tmp_path / "app"
    (root / "resources" / "fonts").mkdir(parents=True)
    shutil.copy(vietnamese_font(), root / "resources" / "fonts")
    # the official holiday schedule ships too (read once per process: not cached when this
    # test runs first)
    shutil.copytree(paths.resource_path("calendar"), root / "resources" / "calendar")
    monkeypatch.setattr(paths, "app_root", lambda: root)
    return root


def test_selftest_passes_and_prints_one_vietnamese_line_per_check(app_root, capsys):
    assert main(["selftest"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(selftest.CHECKS) + 1
    assert all(line.startswith("[ĐẠT] ") for line in lines[:-1])
    assert "10:00 Thứ Tư 05/02/2025" in "\n".join(lines)
    # which program passed: support's first question, the built program's own (round 34's
    # version record; review34a: the self-test did not say it)
    assert lines[-1] == f"Tự kiểm tra {VERSION_TEXT}: cả {len(selftest.CHECKS)} mục đều đạt."


def test_selftest_in_process_with_the_bundled_or_stand_in_font(font_dir):
    results = selftest.run_checks(font_dir)
    assert [ok for ok, _ in results] == [True] * len(selftest.CHECKS), results


def test_selftest_leaves_nothing_behind(app_root, tmp_path, monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    selftest.run_checks()
    assert list(scratch.iterdir()) == []


def test_a_missing_font_fails_and_names_the_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(paths, "app_root", lambda: tmp_path)
    assert main(["selftest"]) == 1
    out = capsys.readouterr().out
    assert f"[LỖI] Không tìm thấy phông chữ tiếng Việt (.ttf) trong {tmp_path / 'resources' / 'fonts'}" in out
    assert f"Tự kiểm tra {VERSION_TEXT}: 1/{len(selftest.CHECKS)} mục không đạt." in out


def test_each_run_uses_the_font_it_was_given(font_dir, tmp_path):
    other = tmp_path / "other-font"
    other.mkdir()
    candidates = [f for f in STAND_INS + sorted(BUNDLED.glob("*.ttf"))
                  if f.is_file() and f.name != vietnamese_font().name]
    if not candidates:
        pytest.skip("only one Vietnamese font on this machine")
    shutil.copy(candidates[0], other)
    first = selftest.run_checks(font_dir)[-1]
    second = selftest.run_checks(other)[-1]
    assert first[0] and second[0]
    assert first[1] != second[1]  # names a different embedded font


def test_a_font_without_vietnamese_letters_is_caught(tmp_path):
    import reportlab

    fonts = tmp_path / "fonts"
    fonts.mkdir()
    shutil.copy(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf", fonts)
    ok, text = selftest.run_checks(fonts)[-1]
    assert not ok and text.startswith("Phông Vera.ttf thiếu chữ: ")
    assert "ộ" in text


def test_a_calendar_without_tet_fails_the_due_date_checks(monkeypatch, font_dir):
    monkeypatch.setattr("core.calendar.public_holidays", lambda year: {})
    results = dict(zip([title for title, _, _ in selftest.CHECKS], selftest.run_checks(font_dir), strict=True))
    assert not results["Lịch nghỉ lễ"][0]
    assert not results["Hạn trả qua Tết"][0]
    assert "phải là 10:00 05/02/2025" in results["Hạn trả qua Tết"][1]
    assert not results["Hồ sơ thử"][0]
    assert results["PDF tiếng Việt"][0]


def test_an_unexpected_error_is_reported_as_a_failed_check_not_a_traceback(monkeypatch, capsys,
                                                                        app_root, data_dir):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(selftest, "statutory_due", broken)
    assert main(["selftest"]) == 1
    out = capsys.readouterr().out
    assert "[LỖI] Hạn trả qua Tết: lỗi ZeroDivisionError: division by zero" in out
    assert list((data_dir / "logs").glob("crash-*.log"))


def test_a_page_that_draws_blank_is_caught(font_dir, monkeypatch):
    real = selftest.read_back
    monkeypatch.setattr(selftest, "read_back", lambda pdf: (real(pdf)[0], 0.0))
    ok, text = selftest.run_checks(font_dir)[-1]
    assert not ok and text.startswith("Trang PDF vẽ ra không đúng")


def test_history_read_back_differently_fails_the_history_check(monkeypatch, font_dir):
    """A history that does not give back what was written (a SQLite decoding a coded details
    text otherwise would make `check` call the history altered) fails selftest, naming the
    sample. Stand-in: the second sample stored with one letter changed."""
    from db import chain
    real = chain.append

    def one_letter_off(conn, events):
        return real(conn, [event[:8] + (event[8].replace("online", "onl1ne"),)
                           for event in events])

    monkeypatch.setattr(chain, "append", one_letter_off)
    results = dict(zip([title for title, _, _ in selftest.CHECKS], selftest.run_checks(font_dir),
                       strict=True))
    assert not results["Lịch sử xử lý"][0]
    assert "(mẫu 2)" in results["Lịch sử xử lý"][1]
    assert results["Hồ sơ thử"][0]


def test_the_history_samples_are_stored_coded_and_read_back_exactly(font_dir):
    results = dict(zip([title for title, _, _ in selftest.CHECKS], selftest.run_checks(font_dir),
                       strict=True))
    assert results["Lịch sử xử lý"] == (True, "Lịch sử xử lý: ghi và đọc lại đúng từng chữ.")


def _wrong_answer(question: str) -> tuple[int, str]:
    return 1, "sai"


def test_the_helper_process_is_started_and_a_wrong_answer_is_caught(font_dir, monkeypatch):
    """The merge's second process (spawned, core.exchange.fastcopy): started and answering;
    in the built program this proves main.py's freeze_support (.ci/build_check.sh runs the
    built program's selftest)."""
    results = dict((text.split(" (")[0].split(":")[0], (ok, text))
                   for ok, text in selftest.run_checks(font_dir))
    assert results["Tiến trình phụ"][0], results["Tiến trình phụ"]
    monkeypatch.setattr(selftest, "_helper_answer", _wrong_answer)  # run in the helper
    ok, text = selftest._run_one("Tiến trình phụ", selftest.check_helper_process, None)
    assert not ok and text == "Tiến trình phụ: câu trả lời sai."
    assert not __import__("multiprocessing").active_children()


def test_a_program_without_isa_l_fails_the_inflater_check(font_dir, monkeypatch):
    """The packages' inflater (core.exchange.package.inflate.INFLATE) is ISA-L's in a whole build;
    zlib's (the `isal` package missing) still reads right, and selftest says what is lost."""
    import zlib

    from core.exchange.package import inflate
    results = dict(zip([title for title, _, _ in selftest.CHECKS], selftest.run_checks(font_dir),
                       strict=True))
    assert results["Giải nén gói"][0], results
    assert results["Giải nén gói"][1].startswith("Giải nén gói trao đổi: ISA-L, đúng từng byte")
    monkeypatch.setattr(inflate, "INFLATE", zlib)
    results = dict(zip([title for title, _, _ in selftest.CHECKS], selftest.run_checks(font_dir),
                       strict=True))
    assert results["Giải nén gói"] == (False, "Giải nén gói trao đổi: thiếu thư viện ISA-L "
                                              "(isal), bản cài đặt chưa đủ; gói vẫn nhập được "
                                              "nhưng chậm hơn.")
    assert results["PDF tiếng Việt"][0]


def test_a_helper_that_never_answers_is_said_once_its_time_is_up(monkeypatch):
    """The helper stuck: the check says so when its own time is up, not 30 seconds later
    (helper_processes.stop's default wait, for helpers finishing jobs given: this one never
    will)."""
    import time

    from tests.core import answering_helper
    monkeypatch.setattr(selftest, "HELPER_WAIT", 1)
    monkeypatch.setattr(selftest, "_helper_answer", answering_helper.asleep)
    started = time.monotonic()
    ok, text = selftest._run_one("Tiến trình phụ", selftest.check_helper_process, None)
    assert not ok and text == "Tiến trình phụ: không trả lời sau 1 giây."
    assert time.monotonic() - started < 20
    assert not __import__("multiprocessing").active_children()
