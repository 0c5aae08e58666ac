"""A package's office hours and calendar days compared where they matter (spec 2.1: a dossier is
governed by the rules in force at its reception), and the package's hours takeable as a choice
(hours:<sender>=theirs) through the one function that saves office hours, listed first in a
preview, written inside the import's one transaction, audited (spec 10)."""
from __future__ import annotations

import datetime as dt

import pytest

import main
from core import accounts, catalogue, rules
from core.database import open_database
from core.errors import OperationError
from core.exchange import export_package, import_package, office_hours
from core.exchange.merge import import_packages
from db import actor
from tests.core.exchange.conftest import copied, office, receive
from tests.core.exchange.test_actor_names import with_manifest
from tests.core.exchange.test_exchange import snapshot

LATE = [["07:30", "11:30"], ["13:30", "17:30"]]  # the province's hours
DEFAULT = [["07:00", "11:30"], ["13:30", "17:00"]]
EARLY = -50  # 07:10 on 20/10/2025: in the default hours, before the late ones
CLERK = actor.Actor("canbo", "Cán Bộ", frozenset({"clerk"}))


def state(db) -> dict:
    """What a take could write: the dossiers, every setting, the log, the stored due times."""
    return {"dossiers": snapshot(db),
            "settings": db.execute("SELECT key, value FROM settings WHERE key NOT LIKE "
                                   "'exchange%' ORDER BY key").fetchall(),
            "log": db.execute("SELECT COUNT(*) FROM setting_changes").fetchone()[0],
            "due": db.execute("SELECT code, calc_due_at FROM dossiers ORDER BY code").fetchall()}


def counter_and_centre(folder) -> tuple:
    """A counter working 07:30–17:30 from 01/10/2025 (two dossiers of 20/10, one at 07:10); the
    centre at the default hours, holding a dossier of its own received at 07:10; both closed
    (files only, for `copied`)."""
    counter, centre = office(folder / "counter.db", (2, 2)), office(folder / "c.db", (1, 2))
    rules.set_office_hours(counter, LATE, dt.date(2025, 10, 1))
    receive(counter, "Trần Thị Hoa", minutes=EARLY)
    receive(counter, "Hà Thị Mai", minutes=60)
    receive(centre, "Lò Văn Sử", minutes=EARLY)
    export_package(counter, folder / "quay.zip", dt.date(2025, 10, 1))
    counter.close()
    centre.close()
    return [folder / name for name in ("counter.db", "c.db", "quay.zip")]


@pytest.fixture
def late(built_once, tmp_path, package_format):
    """`counter_and_centre`, made once per package format for this module: each test has its
    own copies (the same names in its tmp_path), so none sees another's changes."""
    counter, centre, package = (copied(f, tmp_path) for f in
                                built_once(package_format, counter_and_centre))
    counter, centre = open_database(counter), open_database(centre)
    yield counter, centre, package
    counter.close()
    centre.close()


def hours_said(result) -> list[str]:
    return [w for w in result.warnings if "giờ làm việc" in w.lower()]


def test_hours_differing_on_the_package_s_days_are_named_with_dates_counts_and_dues(late):
    counter, centre, package = late
    before = state(centre)
    preview = import_package(centre, package, dry_run=True)
    [item] = [d for d in preview.catalogue_diffs if d.kind == "hours"]
    assert item.item.startswith("hours:") and item.title() == f"Giờ làm việc của máy {item.key}"
    said, listed = hours_said(preview)
    assert said.startswith(
        "Giờ làm việc của máy gửi khác máy này vào ngày tiếp nhận của 2 hồ sơ trong gói — tiếp "
        "nhận 20/10/2025 (2 hồ sơ): máy gửi 07:30–11:30, 13:30–17:30, máy này 07:00–11:30, "
        "13:30–17:00. Giữ giờ của máy này (mặc định): hạn của những hồ sơ ấy tính theo giờ làm "
        "việc của máy này, 1 hồ sơ có hạn khác hạn tính theo giờ của máy gửi"), said
    assert f"--catalogue-item hours:{item.key}=theirs" in said and "từ 01/10/2025" in said
    assert listed == (
        "Nếu lấy giờ làm việc theo gói: giờ làm việc của máy này thành từ 01/10/2025 07:30–11:30, "
        "13:30–17:30; giờ trước ngày ấy giữ nguyên. 1 hồ sơ máy này đang giữ tiếp nhận từ "
        "01/10/2025 sẽ được tính lại; bao nhiêu hồ sơ đổi hạn, đổi kết quả được tính và nêu khi "
        "chọn lấy (đánh dấu dòng Giờ làm việc; dòng lệnh: --dry-run với --catalogue-item "
        f"hours:{item.key}=theirs).")
    # the dry run of the take: in full, by the settings screen's preview
    chosen = import_package(centre, package, dry_run=True, catalogue_choices={item.item: "theirs"})
    assert hours_said(chosen) == [
        "Nếu lấy giờ làm việc theo gói: giờ làm việc của máy này thành từ 01/10/2025 07:30–11:30, "
        "13:30–17:30; giờ trước ngày ấy giữ nguyên. 1 hồ sơ máy này đang giữ tiếp nhận từ "
        "01/10/2025 được tính lại (1 hồ sơ đang giải quyết), 1 hồ sơ đổi hạn trả kết quả. Không "
        "hồ sơ đã giải quyết nào đổi kết quả đúng hạn/quá hạn."]
    assert state(centre) == before


def test_a_preview_works_out_the_impact_of_taking_the_hours_only_when_they_are_chosen(
        late, monkeypatch):
    """A pass over every dossier held here from the day (15 s for a centre of 200,000 whose
    hours differ from the beginning, docs/import-export.md) is not run in every preview: only in the
    dry run of the take, with the operation's bar busy and its Huỷ heard (InterruptedError,
    nothing written)."""
    from core import recompute
    _counter, centre, package = late
    real = recompute.impact
    monkeypatch.setattr(recompute, "impact", lambda *a, **k: pytest.fail("impact computed"))
    preview = import_package(centre, package, dry_run=True)
    [item] = [d for d in preview.catalogue_diffs if d.kind == "hours"]
    assert "1 hồ sơ máy này đang giữ tiếp nhận từ 01/10/2025 sẽ được tính lại" in item.said
    monkeypatch.setattr(recompute, "impact", real)
    before = state(centre)
    asked: list = []

    def stop(done, total):
        asked.append(total)
        return total != 0  # the impact's reports reach the operation as a busy bar (0, 0)
    with pytest.raises(InterruptedError):
        import_package(centre, package, dry_run=True, progress=stop,
                       catalogue_choices={item.item: "theirs"})
    assert 0 in asked and state(centre) == before


def test_counting_the_dues_the_hours_move_keeps_the_bar_busy_and_hears_huy(late):
    """The count of the package's dossiers whose due time the two sides' hours make differ
    (0.8 s for a package of 30,000, measured) reports as the operation's busy bar, and
    the clerk's Huỷ stops it: nothing written."""
    _counter, centre, package = late
    before = state(centre)
    with pytest.raises(InterruptedError):
        import_package(centre, package, dry_run=True, progress=lambda done, total: total != 0)
    assert state(centre) == before


def test_a_dossier_re_coded_here_is_counted_as_itself_not_the_dossier_holding_its_code(
        tmp_path, package_format):
    """The counter's dossier of 07:10 clashed with the centre's own of 09:00 (one code, kept
    both: the counter's re-coded here). Its next package's count of due times the hours move
    is of the counter's dossier (under its code here), not of the centre's holding the code."""
    from core.exchange.recode import BOTH
    counter, centre = office(tmp_path / "q.db", (1, 1)), office(tmp_path / "c.db", (1, 1))
    rules.set_office_hours(counter, LATE, dt.date(2025, 10, 1))
    assert receive(counter, "Trần Thị Hoa", minutes=EARLY)[1] == receive(centre, "Lò Văn Sử",
                                                                        minutes=120)[1]
    export_package(counter, tmp_path / "q.zip", dt.date(2025, 10, 1))
    assert import_package(centre, tmp_path / "q.zip", clashes=BOTH).written
    said = hours_said(import_package(centre, tmp_path / "q.zip", dry_run=True))[0]
    assert "1 hồ sơ có hạn khác hạn tính theo giờ của máy gửi" in said, said
    counter.close()
    centre.close()


def test_a_dossier_kept_both_in_the_same_operation_is_counted_under_its_new_code(
        tmp_path, package_format, capsys):
    """The counter's dossier of 07:10 clashes with the centre's own (one code) and is kept both
    («Giữ cả hai») in this very import: its due time by the two sides' hours differs, and it is
    counted (under the code given to it here) — it was left out, the count said 0."""
    from core.exchange.recode import BOTH
    counter, centre = office(tmp_path / "q.db", (1, 1)), office(tmp_path / "c.db", (1, 1))
    rules.set_office_hours(counter, LATE, dt.date(2025, 10, 1))
    assert receive(counter, "Trần Thị Hoa", minutes=EARLY)[1] == receive(centre, "Lò Văn Sử",
                                                                        minutes=120)[1]
    export_package(counter, tmp_path / "q.zip", dt.date(2025, 10, 1))
    centre.close()  # the command line's dry run first, then the same through the function
    assert main.main(["--db", str(tmp_path / "c.db"), "exchange", "import", str(tmp_path / "q.zip"),
                      "--dry-run", "--clashes", "both"]) == 0
    assert "1 hồ sơ có hạn khác hạn tính theo giờ của máy gửi" in capsys.readouterr().err
    centre = open_database(tmp_path / "c.db")
    for dry_run in (True, False):
        said = hours_said(import_package(centre, tmp_path / "q.zip", clashes=BOTH,
                                         dry_run=dry_run))[0]
        assert "ngày tiếp nhận của 1 hồ sơ trong gói" in said, said
        assert "1 hồ sơ có hạn khác hạn tính theo giờ của máy gửi" in said, said
    assert centre.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0] == 2
    counter.close()
    centre.close()


def test_taking_the_package_s_hours_writes_dated_versions_audited_and_recomputes(late):
    counter, centre, package = late
    key = import_package(centre, package, dry_run=True).catalogue_diffs[-1].item
    before = state(centre)
    chosen = import_package(centre, package, dry_run=True, catalogue_choices={key: "theirs"})
    assert chosen.catalogue_taken == [key] and state(centre) == before  # a dry run writes nothing
    result = import_package(centre, package, catalogue_choices={key: "theirs"})
    assert result.written and result.catalogue_taken == [key]
    assert rules.office_hours_entries(centre) == [(rules.BEGINNING, DEFAULT),
                                                  (dt.date(2025, 10, 1), LATE)]
    assert "Đã lấy giờ làm việc theo gói từ 01/10/2025: 1 hồ sơ máy này đang giữ tiếp nhận từ " \
        "ngày ấy được tính lại" in " ".join(result.warnings)
    logged = centre.execute("SELECT actor, new_value FROM setting_changes WHERE key = "
                            "'office_hours_dated'").fetchall()
    assert logged and logged[-1][0].startswith("os:") and "07:30" in logged[-1][1]
    due = "SELECT code, calc_due_at FROM dossiers ORDER BY code"
    assert dict(centre.execute(due).fetchall()) | dict(counter.execute(due).fetchall()) == \
        dict(centre.execute(due).fetchall())  # the package's due times are the sender's
    own = centre.execute("SELECT calc_due_at FROM dossiers WHERE applicant_name = 'Lò Văn Sử'"
                         ).fetchone()[0]
    assert own != dict(before["due"])[centre.execute(
        "SELECT code FROM dossiers WHERE applicant_name = 'Lò Văn Sử'").fetchone()[0]]
    # again: identical, nothing to choose, nothing written
    after = state(centre)
    again = import_package(centre, package, catalogue_choices={key: "theirs"})
    assert not hours_said(again) and not again.catalogue_diffs
    assert again.dossiers == {"identical": 2} and state(centre) == after


def test_hours_that_differed_long_ago_or_differ_later_are_not_said(late, tmp_path):
    """The centre's hours differed in 2019 only, the counter's change comes after its
    dossiers: no dossier of the package is governed by either, nothing said or listed."""
    counter, centre, package = late
    rules.set_office_hours(counter, DEFAULT, dt.date(2025, 10, 1))  # back to the default …
    rules.set_office_hours(counter, LATE, dt.date(2026, 1, 1))  # … till next year
    rules.set_office_hours(centre, LATE, dt.date(2019, 1, 1))
    rules.set_office_hours(centre, DEFAULT, dt.date(2020, 1, 1))
    export_package(counter, tmp_path / "sau.zip", dt.date(2025, 10, 1))
    result = import_package(centre, tmp_path / "sau.zip", dry_run=True)
    assert not hours_said(result) and not result.catalogue_diffs


def test_a_package_without_office_hours_is_read_as_before(late, tmp_path):
    _counter, centre, package = late
    old = tmp_path / "cu.zip"
    with_manifest(package, old, lambda m: m.pop(office_hours.MANIFEST_KEY))
    result = import_package(centre, old, dry_run=True)
    assert not hours_said(result) and not result.catalogue_diffs


def test_the_command_line_lists_and_takes_the_hours(late, tmp_path, capsys):
    _counter, centre, package = late
    key = import_package(centre, package, dry_run=True).catalogue_diffs[-1].item
    centre.close()
    db = str(tmp_path / "c.db")
    assert main.main(["--db", db, "exchange", "import", str(package), "--dry-run",
                      "--catalogue-item", f"{key}=theirs"]) == 0
    out, err = capsys.readouterr()
    assert f"[{key}] Giờ làm việc của máy {key[6:]} — Giờ làm việc: máy này từ đầu 07:00–11:30, " \
        "13:30–17:00, gói từ đầu 07:00–11:30, 13:30–17:00; từ 01/10/2025 07:30–11:30, " \
        "13:30–17:30 → lấy theo gói" in err
    assert "Nếu lấy giờ làm việc theo gói" in err and "Chưa ghi gì (--dry-run)" in out
    assert main.main(["--db", db, "exchange", "import", str(package), "--catalogue-item",
                      f"{key}=theirs"]) == 0
    out, err = capsys.readouterr()
    assert "danh mục lấy theo gói 1 dòng" in out and "Đã lấy giờ làm việc theo gói" in err
    assert main.main(["--db", db, "exchange", "import", str(package), "--catalogue-item",
                      "hours=theirs"]) == 2
    assert "hours" in capsys.readouterr().err


def test_without_the_right_to_change_settings_the_hours_are_listed_not_taken(late):
    _counter, centre, package = late
    key = import_package(centre, package, dry_run=True).catalogue_diffs[-1].item
    monkey = pytest.MonkeyPatch()
    monkey.setitem(accounts.PERMISSIONS, "data.import", ("nhập dữ liệu", frozenset({"clerk"})))
    try:
        with actor.acting_as(CLERK):
            preview = import_package(centre, package, dry_run=True)
            assert "Tài khoản này không có quyền thay đổi cài đặt" in hours_said(preview)[-1]
            before = state(centre)
            with pytest.raises(OperationError, match="thay đổi cài đặt"):
                import_package(centre, package, catalogue_choices={key: "theirs"})
            assert state(centre) == before
    finally:
        monkey.undo()


def test_two_senders_hours_are_never_both_taken(late, tmp_path):
    counter, centre, package = late
    other = office(tmp_path / "xa.db", (2, 2))
    rules.set_office_hours(other, [["08:00", "12:00"], ["13:00", "17:00"]], dt.date(2025, 10, 1))
    receive(other, "Vi Văn Tú", minutes=30, unit="U2")
    export_package(other, tmp_path / "xa.zip", dt.date(2025, 10, 1))
    other.close()
    before = state(centre)
    with pytest.raises(Exception, match="mỗi lần nhập chỉ lấy giờ làm việc của một máy"):
        import_packages(centre, [package, tmp_path / "xa.zip"], catalogue="theirs")
    assert state(centre) == before


def test_a_day_off_is_a_difference_only_across_the_package_s_dossiers(late, tmp_path):
    """The counter's local day off of August (none of its October dossiers runs across it) is
    not asked about; one in the week its open dossiers run across is."""
    counter, centre, _package = late
    catalogue.set_calendar_day(counter, dt.date(2025, 8, 28), "holiday", "Nghỉ địa phương")
    catalogue.set_calendar_day(counter, dt.date(2025, 10, 22), "holiday", "Nghỉ địa phương")
    rules.set_office_hours(counter, DEFAULT, dt.date(2025, 10, 1))
    export_package(counter, tmp_path / "lich.zip", dt.date(2025, 10, 1))
    result = import_package(centre, tmp_path / "lich.zip", dry_run=True)
    assert [d.item for d in result.catalogue_diffs] == ["calendar:2025-10-22"]
    assert [w[:25] for w in result.warnings if w.startswith("Ngày ")] == [
        "Ngày 22/10/2025 (Thứ Tư):"]


def test_a_day_named_otherwise_is_asked_about_only_across_the_package_s_dossiers(late, tmp_path):
    """Both sides keep 02/09 and 22/10 off, named otherwise: the name moves no due time, so
    September's is not asked about again with every later package (it was, each month, from
    every commune naming it its own way); October's, which the package's open dossiers run
    across, is listed as a day differing in kind is."""
    counter, centre, _package = late
    for day in (dt.date(2025, 9, 2), dt.date(2025, 10, 22)):
        catalogue.set_calendar_day(centre, day, "holiday", "Nghỉ lễ")
        catalogue.set_calendar_day(counter, day, "holiday", "Nghỉ theo quyết định của xã")
    rules.set_office_hours(counter, DEFAULT, dt.date(2025, 10, 1))
    export_package(counter, tmp_path / "ten.zip", dt.date(2025, 10, 1))
    result = import_package(centre, tmp_path / "ten.zip", dry_run=True)
    assert [d.item for d in result.catalogue_diffs] == ["calendar:2025-10-22"]


def test_a_catalogue_sent_on_its_own_lists_every_day_it_holds_otherwise(late, tmp_path):
    """A package of no dossier (the province's catalogue, sent to be taken): its days off are
    listed to choose, as before round 33 — judged by its dossiers' span, none would be."""
    _counter, centre, _package = late
    province = office(tmp_path / "tinh.db", (3, 3))
    catalogue.set_calendar_day(province, dt.date(2025, 8, 28), "holiday", "Nghỉ địa phương")
    export_package(province, tmp_path / "danhmuc.zip", dt.date(2025, 1, 1))
    province.close()
    result = import_package(centre, tmp_path / "danhmuc.zip", dry_run=True)
    assert not sum(result.dossiers.values())
    assert [d.item for d in result.catalogue_diffs] == ["calendar:2025-08-28"]


def test_a_new_centre_takes_the_province_s_hours_from_its_first_package(late, tmp_path):
    """A new centre left at the default hours, no dossier yet: its first package's hours taken,
    the two sides' rules are now the same, so the sender's figures are taken as they are (the
    fast path) and every due time is the sender's."""
    counter, _centre, package = late
    new = office(tmp_path / "moi.db", (1, 2))
    preview = import_package(new, package, dry_run=True)
    [item] = [d for d in preview.catalogue_diffs if d.kind == "hours"]
    assert "0 hồ sơ máy này đang giữ tiếp nhận từ 01/10/2025 sẽ được tính lại" in item.said
    result = import_package(new, package, catalogue_choices={item.item: "theirs"})
    assert result.catalogue_taken == [item.item] and result.fast
    assert rules.office_hours_entries(new) == rules.office_hours_entries(counter)
    due = "SELECT code, calc_due_at FROM dossiers ORDER BY code"
    assert new.execute(due).fetchall() == counter.execute(due).fetchall()
    new.close()


@pytest.mark.parametrize("package_format", [2], indirect=True)
@pytest.mark.parametrize("change", [
    lambda r: r.update(code={"x": 1}),
    lambda r: r["fields"].update(received_at=12345, status=["done"]),
    lambda r: r.update(derived=["2025-10-22 07:00:00", "{không phải JSON", None, 0]),
    lambda r: r.update(derived="hz"),
], ids=["code-not-text", "moments-not-text", "facts-not-json", "derived-not-list"])
def test_a_format_2_dossier_the_span_cannot_read_is_refused_as_ever(late, tmp_path, change):
    """The span of a format-2 package is read before its records are checked (only when a
    difference is met): a record of the wrong shape is neither a crash nor a silent pass —
    the package is refused as before, nothing written; a horizon that cannot be read keeps
    the day asked (`across`)."""
    import json

    from core.errors import InputError
    from tests.core.exchange.conftest import package_members, repack
    _counter, centre, package = late
    members = package_members(package)
    lines = members["dossiers.jsonl"].decode().splitlines()
    record = json.loads(lines[0])
    change(record)
    lines[0] = json.dumps(record, ensure_ascii=False)
    members["dossiers.jsonl"] = ("\n".join(lines) + "\n").encode()
    bad = tmp_path / "xau.zip"
    repack(members, bad)
    before = state(centre)
    if "derived" in record and isinstance(record["derived"], list) \
            and record["derived"][1] == "{không phải JSON":
        result = import_package(centre, bad, dry_run=True)  # the derived figures are not checked
        assert any(d.kind == "hours" for d in result.catalogue_diffs)
    else:
        with pytest.raises(InputError, match="Chưa ghi gì"):
            import_package(centre, bad)
    assert state(centre) == before


@pytest.mark.parametrize("typed", ["whole", "capitals", "spaced"])
def test_the_command_line_takes_the_hours_by_the_sender_s_whole_id_or_in_capitals(
        late, tmp_path, capsys, typed):
    """The sender as the clerk may copy it from elsewhere than the preview (its whole id, in
    capitals, with a space): taken, not said to be «không có trong gói» with the import
    written by this installation's hours (break34)."""
    from core import installation
    counter, centre, package = late
    whole = installation.installation_id(counter)
    sender = {"whole": whole, "capitals": whole[:8].upper(), "spaced": f" {whole[:8]} "}[typed]
    centre.close()
    assert main.main(["--db", str(tmp_path / "c.db"), "exchange", "import", str(package),
                      "--catalogue-item", f"hours:{sender}=theirs"]) == 0
    out, err = capsys.readouterr()
    assert "Đã lấy giờ làm việc theo gói" in err and "không có gì để chọn" not in err


@pytest.mark.parametrize("blank", ["", "  ", "\t", " \u00a0 "])
def test_a_sender_left_blank_for_the_hours_is_refused_nothing_written(late, tmp_path, capsys,
                                                                     blank):
    """`--catalogue-item "hours:  =theirs"`: the sender's id blank or only spaces was read as
    the sender «?» and matched nothing, the import written with this installation's hours
    (mend35). Refused, the option and what is missing named, exit 2, nothing written."""
    _counter, centre, package = late
    before = state(centre)
    centre.close()
    given = f"hours:{blank}=theirs"
    assert main.main(["--db", str(tmp_path / "c.db"), "exchange", "import", str(package),
                      "--catalogue-item", given]) == 2
    err = capsys.readouterr().err
    assert f"--catalogue-item {given!r} không hợp lệ" in err, err
    assert "«hours:» phải có số hiệu máy gửi" in err and "chỉ có dấu cách" in err, err
    assert "Traceback" not in err
    centre = open_database(tmp_path / "c.db", create=False)
    assert state(centre) == before
    centre.close()
