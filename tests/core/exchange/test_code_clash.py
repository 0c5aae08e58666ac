"""Two PCs left in the same slot give one code to two different citizens' dossiers (spec 4).
The centre must be told before it chooses: whichever side it keeps, the other dossier does not
come in. Not to be confused with one dossier changed at two places (an ordinary conflict)."""
from __future__ import annotations

import datetime as dt

from core import dossiers as D
from core.exchange import export_package
from core.exchange.cli import conflicts_text
from core.exchange.merge import import_packages
from tests.core.exchange.conftest import DAY, office, receive
from tests.core.exchange.test_exchange import SINCE


def test_a_code_given_to_two_citizens_is_named_as_such(tmp_path):
    centre = office(tmp_path / "centre.db", (1, 1))
    pc = office(tmp_path / "pc.db", (1, 1))            # nobody set its slot
    ours = receive(centre, "Người Ở Trung Tâm")[1]
    theirs = receive(pc, "Người Ở Xã", minutes=20)[1]
    assert ours == theirs                                 # the clash the slots prevent
    package = tmp_path / "xa.zip"
    export_package(pc, package, SINCE)
    result = import_packages(centre, [package], dry_run=True).results[0]
    assert result.conflict_count == 1 and result.clashes == 1
    assert result.conflicts[0].clash
    assert any("hai hồ sơ khác nhau" in w and "số hiệu" in w for w in result.warnings)
    assert "HAI HỒ SƠ KHÁC NHAU cùng mã, khác người nộp" in conflicts_text(result)
    centre.close()
    pc.close()


def test_one_dossier_changed_at_two_places_is_an_ordinary_conflict(tmp_path):
    a = office(tmp_path / "a.db", (1, 2))
    dossier_id, code = receive(a, "Người Chung")
    copy = tmp_path / "copy.zip"
    export_package(a, copy, SINCE)
    b = office(tmp_path / "b.db", (2, 2))
    import_packages(b, [copy])
    at = DAY + dt.timedelta(hours=3)
    D.finish(a, dossier_id, at=at)
    D.request_supplement(b, D.find_by_code(b, code), reason="Thiếu tờ khai", at=at)
    back = tmp_path / "back.zip"
    export_package(b, back, SINCE)
    result = import_packages(a, [back], dry_run=True).results[0]
    assert result.conflict_count == 1 and result.clashes == 0
    assert not result.conflicts[0].clash
    assert not any("hai hồ sơ khác nhau" in w for w in result.warnings)
    a.close()
    b.close()


def test_two_packages_from_pcs_in_the_same_slot_are_pointed_out(tmp_path):
    centre = office(tmp_path / "centre.db", (3, 3))
    packages = []
    for name, slot in (("x1", (1, 3)), ("x2", (1, 3)), ("x3", (2, 3))):
        pc = office(tmp_path / f"{name}.db", slot)
        receive(pc, f"Khách {name}", minutes=len(packages) * 30)
        packages.append(tmp_path / f"{name}.zip")
        export_package(pc, packages[-1], SINCE)
        pc.close()
    batch = import_packages(centre, packages, dry_run=True)
    said = [[w for w in r.warnings if "cùng số hiệu cấp mã 1/3" in w] for r in batch.results]
    assert [len(s) for s in said] == [0, 1, 0] and "gói thứ 1" in said[1][0]
    centre.close()


def test_a_conflict_shows_what_each_choice_keeps(tmp_path):
    """The counter and the centre each recorded the finish of one dossier, at different
    moments: the clerk who must choose sees both moments (and the other fields that differ,
    with their values), not only that "thời điểm xử lý xong" differs."""
    counter = office(tmp_path / "counter.db", (2, 2))
    dossier_id, code = receive(counter, "Người Chung")
    first = tmp_path / "first.zip"
    export_package(counter, first, SINCE)
    centre = office(tmp_path / "centre.db", (1, 2))
    import_packages(centre, [first])
    D.finish(centre, D.find_by_code(centre, code), at=DAY + dt.timedelta(hours=3),
             e_result=False)
    D.finish(counter, dossier_id, at=DAY + dt.timedelta(hours=6), e_result=True)
    later = tmp_path / "later.zip"
    export_package(counter, later, SINCE)
    result = import_packages(centre, [later], dry_run=True).results[0]
    conflict = result.conflicts[0]
    assert ("thời điểm xử lý xong", "11:00 20/10/2025", "14:00 20/10/2025") in conflict.changes
    assert ("kết quả điện tử", "không", "có") in conflict.changes
    text = conflicts_text(result)
    assert "máy này: Người Chung" in text
    assert "thời điểm xử lý xong: 11:00 20/10/2025 → 14:00 20/10/2025" in text
    centre.close()
    counter.close()
