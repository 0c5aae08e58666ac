"""Mẫu 04 after supplement waits: its old due time and its warning are the due time the dossier
window shows (spec 2.3, policy pause), not the stored 2.2 due time before the waits."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers
from core.errors import FieldError
from core.live_due import due_of_dossier
from core.pdf import dossier_forms, slips
from core.pdf.slip_data import load_dossier, load_extension
from tests.core.pdf import sample
from tests.core.pdf.forms_sample import CLERK, receive
from tests.pdfread import pdf_text

T = dt.datetime


def waited_twice(db, extended_at: T | None) -> tuple[int, str]:
    """Received Mon 05/10/2026 09:15, 10 working days (due 19/10 09:15); two waits of 15 and
    8 working hours move it to Thu 22/10 08:15; extended at `extended_at`."""
    sample.catalogue_only(db)
    dossier_id, code = receive(db, T(2026, 10, 5, 9, 15))
    dossiers.start_processing(db, dossier_id, at=T(2026, 10, 5, 14, 0), actor=CLERK)
    for start, end in ((T(2026, 10, 6, 10, 0), T(2026, 10, 8, 9, 0)),
                       (T(2026, 10, 12, 8, 0), T(2026, 10, 13, 8, 0))):
        dossiers.request_supplement(db, dossier_id, reason="Thiếu hợp đồng công chứng.",
                                    at=start, actor=CLERK)
        dossiers.receive_supplement(db, dossier_id, at=end, actor=CLERK)
    if extended_at is None:
        return dossier_id, code
    dossiers.extend(db, dossier_id, new_due_at=T(2026, 10, 30, 16, 0), at=extended_at,
                    reason="Cần xác minh ranh giới thửa đất.", actor=CLERK)
    return dossier_id, code


def test_apology_old_due_is_the_windows_due_after_two_waits(db, tmp_path):
    dossier_id, code = waited_twice(db, T(2026, 10, 20, 15, 0))
    window = due_of_dossier(db, dossier_id, T(2026, 12, 1, 9, 0))[1]
    assert window == T(2026, 10, 22, 8, 15)
    assert load_extension(db, load_dossier(db, code)).previous_due == window
    # the extension and its event record the due time it moved (as the demo does), not 19/10
    stored = db.execute("SELECT e.previous_due_at, v.details FROM extensions e JOIN events v "
                        "ON v.dossier_id = e.dossier_id AND v.action = 'extend'").fetchone()
    assert stored[0] == "2026-10-22 08:15:00" and '"previous_due_at": "2026-10-22 08:15:00"' \
        in stored[1].replace('":"', '": "')
    # extended 11 working hours before that due: in time, no red warning
    assert dossier_forms.warnings(db, "apology", code) == []
    path = tmp_path / "apology.pdf"
    path.write_bytes(slips.build_apology(db, code))
    text = " ".join(pdf_text(path).split())
    assert "08 giờ 15 phút, ngày 22 tháng 10 năm 2026" in text
    assert "09 giờ 15 phút, ngày 19 tháng 10 năm 2026" not in text


def test_warning_names_the_due_with_the_waits(db):
    _, code = waited_twice(db, T(2026, 10, 21, 9, 0))  # 7 h 15 before 22/10 08:15
    (warning,) = dossier_forms.warnings(db, "apology", code)
    assert "(08:15 ngày 22/10/2026)" in warning and "09:00 ngày 21/10/2026" in warning


def test_extension_before_the_due_with_the_waits_is_refused(db):
    """21/10 was after the stored 2.2 due (19/10 09:15) but before the due the waits moved it
    to (22/10 08:15): extend() took it, an apology "moving" the due time earlier."""
    dossier_id, _ = waited_twice(db, None)
    with pytest.raises(FieldError, match=r"hạn trả kết quả hiện tại \(08:15 22/10/2026\)"):
        dossiers.extend(db, dossier_id, new_due_at=T(2026, 10, 21, 16, 0), at=T(2026, 10, 20, 9, 0),
                        reason="Cần xác minh.", actor=CLERK)
    assert db.execute("SELECT COUNT(*) FROM extensions").fetchone()[0] == 0
