"""The sender's office hours in a package's manifest are what a package says: not trusted
(core.exchange.office_hours). Hours that cannot be read refuse the package in words, as a
hostile name list does (core.actor_names), nothing written; hours that can, however many
changes they list, are named in a warning of bounded length."""
from __future__ import annotations

import datetime as dt
import time

import pytest

from core import rules
from core.database import open_database
from core.errors import InputError
from core.exchange import export_package, import_package, office_hours
from tests.core.exchange.conftest import copied, office, receive
from tests.core.exchange.test_actor_names import with_manifest
from tests.core.exchange.test_exchange import snapshot

KEY = office_hours.MANIFEST_KEY
GOOD = {"valid_from": "0001-01-01", "hours": [["07:00", "11:30"], ["13:30", "17:00"]]}


def _sent_files(folder):
    """The centre, holding one dossier of its own, and a counter's package of one dossier,
    in `folder`; every database closed (files only, for `copied`)."""
    counter, centre = office(folder / "counter.db", (2, 2)), office(folder / "c.db", (1, 2))
    receive(counter)
    receive(centre, "Lò Văn Sử")
    export_package(counter, folder / "quay.zip", dt.date(2025, 10, 1))
    counter.close()
    centre.close()
    return folder


@pytest.fixture
def sent(built_once, tmp_path):
    """(the centre, holding one dossier of its own, a counter's package of one dossier): made
    once per module, this test's own copies."""
    made = built_once("sent", _sent_files)
    centre = open_database(copied(made / "c.db", tmp_path, issues=True))
    yield centre, copied(made / "quay.zip", tmp_path)
    centre.close()


@pytest.mark.parametrize("hours, said", [
    ([], "không có buổi"),
    (["07:00-17:00"], "mục thứ 1"),
    ([{"valid_from": "hôm qua", "hours": GOOD["hours"]}], "ngày áp dụng"),
    ([{"valid_from": 20250101, "hours": GOOD["hours"]}], "ngày áp dụng"),
    ([GOOD, {"valid_from": "2025-08-01"}], "mục thứ 2"),
    ([{"valid_from": "2025-08-01", "hours": "07:00-17:00"}], "giờ làm việc"),
    ([{"valid_from": "2025-08-01", "hours": [["17:00", "07:00"]]}], "theo thứ tự"),
    ([{"valid_from": "2025-08-01", "hours": [["07:00", "25:99"]]}], "25:99"),
    ([{"valid_from": "2025-08-01", "hours": [[7, 17]]}], "giờ làm việc"),
    ([GOOD] * (office_hours.ENTRIES_MAX + 1), "giới hạn"),
])
def test_hours_a_package_cannot_mean_refuse_it_in_words(sent, tmp_path, hours, said):
    centre, package = sent
    bad = tmp_path / "xau.zip"
    with_manifest(package, bad, lambda m: m.update({KEY: hours}))
    before = snapshot(centre)
    for dry_run in (True, False):
        with pytest.raises(InputError) as refused:
            import_package(centre, bad, dry_run=dry_run)
        message = str(refused.value)
        assert message.startswith("Gói xau.zip không dùng được: bản kê manifest.json, trường "
                                  f"{KEY} (giờ làm việc của máy gửi)"), message
        assert said in message and "Chưa ghi gì" in message, message
        assert len(message) < 600
    assert snapshot(centre) == before


def test_many_changes_of_hours_are_named_in_a_bounded_warning_in_little_time(sent, tmp_path):
    """As many dated changes as the limit allows, each of as many sessions as a day holds:
    read in well under a second, the warning names the hours governing the package's dossier
    (the latest change) and the day taking them would apply from."""
    centre, package = sent
    many = [{"valid_from": (dt.date(2020, 1, 1) + dt.timedelta(days=n)).isoformat(),
             "hours": [[f"{h:02d}:00", f"{h:02d}:{30 + n % 2}"] for h in range(24)]}
            for n in range(office_hours.ENTRIES_MAX)]
    big = tmp_path / "nhieu.zip"
    with_manifest(package, big, lambda m: m.update({KEY: many}))
    started = time.perf_counter()
    said = [w for w in import_package(centre, big, dry_run=True).warnings
            if w.startswith("Giờ làm việc của máy gửi khác")]
    assert time.perf_counter() - started < 5
    assert len(said) == 1 and len(said[0]) < 2000, len(said[0])
    # the change in force on its dossier's day named, and the day taking it applies from
    assert "tiếp nhận 20/10/2025 (1 hồ sơ): máy gửi 00:00–00:31, 01:00–01:31" in said[0]
    assert "thành của máy gửi từ 09/04/2020" in said[0]


def test_the_same_hours_set_again_from_a_later_day_are_the_same_hours(sent, tmp_path):
    """What governs a dossier is the hours in force on its day: the same hours written again
    from a later day (as an older MotCua kept them) are not a difference to name."""
    centre, package = sent
    again = tmp_path / "lai.zip"
    with_manifest(package, again, lambda m: m.update(
        {KEY: [GOOD, {**GOOD, "valid_from": "2025-08-01"}]}))
    assert not [w for w in import_package(centre, again, dry_run=True).warnings
                if w.startswith("Giờ làm việc")]
    rules.set_office_hours(centre, [["07:30", "11:30"], ["13:30", "17:00"]], dt.date(2025, 9, 1))
    said = [w for w in import_package(centre, again, dry_run=True).warnings
            if w.startswith("Giờ làm việc")]
    assert said and "máy gửi 07:00–11:30, 13:30–17:00, máy này 07:30–11:30, 13:30–17:00" \
        in said[0], said


def test_a_day_cut_into_every_minute_is_named_in_a_bounded_warning(sent, tmp_path):
    """break33: the warning named every session of a change: three changes of 1,440 one-minute
    sessions each (a day cut into every minute, 26 KB a change, well inside the manifest's
    limit) made a warning of ~54,000 characters in the preview and the command's output. The
    sessions past the first few are counted, not named."""
    centre, package = sent
    minutes = [[f"{m // 60:02d}:{m % 60:02d}", f"{(m + 1) // 60:02d}:{(m + 1) % 60:02d}"]
               for m in range(1440)]
    many = [{"valid_from": f"2025-0{month}-01", "hours": minutes[month - 1:]}
            for month in range(1, 5)]
    big = tmp_path / "tung-phut.zip"
    with_manifest(package, big, lambda m: m.update({KEY: many}))
    said = [w for w in import_package(centre, big, dry_run=True).warnings
            if w.startswith("Giờ làm việc của máy gửi khác")]
    assert len(said) == 1 and len(said[0]) < 2000, len(said[0])
    # the package's dossier is governed by the latest change (from 01/04/2025): its first four
    # of 1,437 sessions named, the rest counted (round 33's warning names the governing hours)
    assert "máy gửi 00:03–00:04, 00:04–00:05, 00:05–00:06, 00:06–00:07 (và 1.433 buổi khác)" \
        in said[0]
