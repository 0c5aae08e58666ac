"""A catalogue sent on its own (a package of no dossier: the province's catalogue, a commune's
before its first dossier) whose office hours differ from this installation's: it governs no
dossier held here, but the hours the sender works from today on govern its dossiers to come
(spec 2.1: a dossier by the hours in force at its reception). Said with the day they differ
from, and takeable from that day (never before: the figures of dossiers received earlier stay,
spec 2.1); hours that differed only in the past govern nothing to come and are not said. The
command line and the window's preview read the same result (core.exchange.office_hours.ahead)."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import rules, timefmt
from core.errors import InputError
from core.exchange import export_package, import_package
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import office, receive
from tests.core.exchange.test_office_hours_span import DEFAULT, EARLY, LATE, hours_said, state


def catalogue_of(tmp_path, *changes: tuple[list, dt.date]):
    """The province's catalogue (no dossier) with these dated hours, and a centre at the
    default hours holding a dossier of Friday 17/10/2025 and one of today (Monday 20/10/2025,
    tests' clock), each received at 07:10."""
    province, centre = office(tmp_path / "tinh.db", (3, 3)), office(tmp_path / "c.db", (1, 2))
    for hours, day in changes:
        rules.set_office_hours(province, hours, day)
    export_package(province, tmp_path / "danhmuc.zip", dt.date(2025, 1, 1))
    province.close()
    receive(centre, "Lò Văn Sử", minutes=EARLY - 3 * 24 * 60)
    receive(centre, "Hà Thị Mai", minutes=EARLY)
    return centre, tmp_path / "danhmuc.zip"


def test_a_catalogue_s_hours_differing_from_today_are_said_and_taken_from_today(tmp_path):
    centre, package = catalogue_of(tmp_path, (LATE, dt.date(2025, 10, 1)))
    today = timefmt.now().date()
    before = state(centre)
    preview = import_package(centre, package, dry_run=True)
    assert not sum(preview.dossiers.values())
    [item] = [d for d in preview.catalogue_diffs if d.kind == "hours"]
    assert item.theirs["from"] == today.isoformat()
    said, listed = hours_said(preview)
    assert said == (
        f"Giờ làm việc của máy gửi khác máy này từ {today:%d/%m/%Y}: máy gửi 07:30–11:30, "
        "13:30–17:30, máy này 07:00–11:30, 13:30–17:00. Gói không mang hồ sơ nào nên không hồ "
        "sơ nào của gói bị ảnh hưởng; hồ sơ máy gửi tiếp nhận từ ngày ấy, khi nhập về, được "
        "tính hạn theo giờ làm việc của máy này nếu giữ giờ của máy này (mặc định). Lấy theo "
        f"gói (đánh dấu dòng Giờ làm việc; dòng lệnh: --catalogue-item {item.item}=theirs): giờ "
        f"làm việc của máy này thành của máy gửi từ {today:%d/%m/%Y}; giờ trước ngày ấy giữ "
        "nguyên.")
    assert listed.startswith("Nếu lấy giờ làm việc theo gói: giờ làm việc của máy này thành "
                             f"từ {today:%d/%m/%Y} 07:30–11:30, 13:30–17:30; giờ trước ngày ấy "
                             "giữ nguyên. 1 hồ sơ máy này đang giữ tiếp nhận từ "
                             f"{today:%d/%m/%Y} sẽ được tính lại"), listed
    assert state(centre) == before
    result = import_package(centre, package, catalogue_choices={item.item: "theirs"})
    assert result.catalogue_taken == [item.item]
    assert rules.office_hours_entries(centre) == [(rules.BEGINNING, DEFAULT), (today, LATE)]
    assert f"Đã lấy giờ làm việc theo gói từ {today:%d/%m/%Y}: 1 hồ sơ" in hours_said(result)[0]
    # the dossier received before today keeps its due time; today's is recomputed
    earlier, today_s = before["due"], state(centre)["due"]
    assert len(earlier) == 2 and sorted(set(earlier) & set(today_s)) == [earlier[0]]
    # … and the same catalogue again says nothing: the hours are the same from today on
    assert not hours_said(import_package(centre, package, dry_run=True))
    centre.close()


def test_a_catalogue_s_later_change_is_said_from_its_own_day(tmp_path):
    centre, package = catalogue_of(tmp_path, (LATE, dt.date(2099, 1, 1)))
    preview = import_package(centre, package, dry_run=True)
    [item] = [d for d in preview.catalogue_diffs if d.kind == "hours"]
    assert item.theirs["from"] == "2099-01-01"
    assert hours_said(preview)[0].startswith(
        "Giờ làm việc của máy gửi khác máy này từ 01/01/2099: máy gửi 07:30–11:30, 13:30–17:30")
    centre.close()


def test_a_catalogue_s_hours_differing_only_in_the_past_are_not_said(tmp_path):
    centre, package = catalogue_of(tmp_path, (LATE, dt.date(2019, 1, 1)),
                                   (DEFAULT, dt.date(2025, 1, 1)))
    preview = import_package(centre, package, dry_run=True)
    assert not hours_said(preview) and not preview.catalogue_diffs
    centre.close()


def test_the_command_line_says_and_takes_a_catalogue_s_hours(tmp_path, capsys):
    centre, package = catalogue_of(tmp_path, (LATE, dt.date(2025, 10, 1)))
    key = import_package(centre, package, dry_run=True).catalogue_diffs[-1].item
    centre.close()
    today = timefmt.now().date()
    db = str(tmp_path / "c.db")
    assert main.main(["--db", db, "exchange", "import", str(package), "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert f"Lưu ý: Giờ làm việc của máy gửi khác máy này từ {today:%d/%m/%Y}: máy gửi" in err
    assert f"[{key}] Giờ làm việc của máy {key[6:]}" in err and "→ giữ của máy này" in err
    assert main.main(["--db", db, "exchange", "import", str(package), "--catalogue-item",
                      f"{key}=theirs"]) == 0
    out, err = capsys.readouterr()
    assert "danh mục lấy theo gói 1 dòng" in out and "Đã lấy giờ làm việc theo gói" in err


def test_a_preview_left_open_past_midnight_is_not_written_from_another_day(tmp_path,
                                                                          monkeypatch):
    """The window's preview said, and the clerk agreed to, the sender's hours from today
    (20/10/2025) with the dossiers it recomputes; «Nhập» pressed after midnight took them from
    21/10 — not what was listed (review34b). Refused, nothing written, as a conflict the preview
    did not show is (still_as_previewed); the same import previewed again is written."""
    centre, package = catalogue_of(tmp_path, (LATE, dt.date(2025, 10, 1)))
    preview = import_packages(centre, [package], dry_run=True)
    [item] = [d for d in preview.results[0].catalogue_diffs if d.kind == "hours"]
    assert item.theirs["from"] == "2025-10-20"
    before = state(centre), rules.office_hours_entries(centre)
    monkeypatch.setattr(timefmt, "now", lambda: dt.datetime(2025, 10, 21, 0, 5))
    with pytest.raises(InputError) as refused:
        import_packages(centre, [package], catalogue_choices={item.item: "theirs"},
                        previewed=preview)
    assert str(refused.value) == (
        "Giờ làm việc của máy gửi (danhmuc.zip): khi xem trước lấy từ 20/10/2025, nay lấy từ "
        "21/10/2025 (đã sang ngày mới, hay giờ làm việc của máy này vừa đổi), nên số hồ sơ được "
        "tính lại không còn như đã nêu. Chưa ghi gì vào cơ sở dữ liệu. Hãy nhập lại để xem "
        "trước và chọn.")
    assert (state(centre), rules.office_hours_entries(centre)) == before
    again = import_packages(centre, [package], dry_run=True)
    import_packages(centre, [package], catalogue_choices={item.item: "theirs"}, previewed=again)
    assert rules.office_hours_entries(centre) == [(rules.BEGINNING, DEFAULT),
                                                  (dt.date(2025, 10, 21), LATE)]
    centre.close()
