"""The breach kit: who was held in a period at some units, and the draft notice."""
from __future__ import annotations

import datetime as dt

from core.privacy import breach, masking
from db import settings
from tests.core.privacy.conftest import ID_NO, PHONE
from tests.pdfread import pdf_text

NOW = dt.datetime(2026, 11, 30, 9, 0)


def test_people_are_counted_once_per_person(office, db):
    found = breach.census(db, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    names = [p.name for p in found.people]
    assert found.dossiers == 4 and len(names) == 3  # the two dossiers of one ID are one person
    assert found.counts["id_no"] == 1 and found.counts["phone"] == 3
    only_u2 = breach.census(db, dt.date(2025, 1, 1), dt.date(2025, 12, 31), ["U2"])
    assert sorted(p.name for p in only_u2.people) == ["Lê Văn Bình", "Trần Thị Hoa"]
    before = breach.census(db, dt.date(2010, 1, 1), dt.date(2013, 12, 31))
    assert before.people == [] and before.dossiers == 0


def test_the_kit_holds_the_notice_and_the_masked_list(office, db, tmp_path):
    found = breach.census(db, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    breach.write_kit(db, found, tmp_path / "kit.txt", NOW, None)
    text = (tmp_path / "kit.txt").read_text(encoding="utf-8")
    assert "72 giờ" in text and "03/12/2026" in text  # the deadline, 72 h after discovery
    assert "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15" in text and "A05" in text
    assert "3 người, 4 hồ sơ" in text
    assert PHONE not in text and ID_NO not in text and "0012******45" in text
    breach.write_kit(db, found, tmp_path / "kit.pdf", NOW, masking.full_data("Báo cáo A05"))
    pdf = pdf_text(tmp_path / "kit.pdf")
    assert "Mô tả vi phạm" in pdf and "Trần Thị Hoa" in pdf and ID_NO in pdf
    purposes = [r[0] for r in db.execute("SELECT purpose FROM access_log WHERE action = "
                                         "'breach.list' ORDER BY id")]
    assert purposes == [None, "Báo cáo A05"]


def test_a_discovery_in_the_future_is_refused(office, db, tmp_path):
    import pytest

    from core.errors import FieldError
    found = breach.census(db, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    with pytest.raises(FieldError, match="Thời điểm phát hiện sự cố"):
        breach.write_kit(db, found, tmp_path / "kit.txt", dt.datetime.now() + dt.timedelta(days=2),
                         None)
    assert not (tmp_path / "kit.txt").exists()


def test_the_notice_names_the_agency_as_a_sentence_writes_it(office, db):
    # the header's agency is typed in capitals; the notice's sentence capitalises its place only
    settings.put(db, "report_header", dict(settings.DEFAULTS["report_header"],
                                           agency="ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH"))
    found = breach.census(db, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    text = "\n".join(breach.notice(db, found, NOW))
    assert ("QH15, Ủy ban nhân dân thành phố Hồ Chí Minh thông báo vi phạm quy định" in text)
    assert "ỦY BAN" not in text
