"""Dossiers for the Annex I form tests, made through core.dossiers so their history is real."""
from __future__ import annotations

import datetime as dt

from core import dossiers
from db.connection import transaction
from tests.core.pdf import sample

T = dt.datetime
CLERK = "Hà Thị Mai"
DOCUMENTS = [  # name, form, count, received, note
    ("Tờ khai đăng ký biến động đất đai", "original", 1, 1, None),
    ("Giấy chứng nhận quyền sử dụng đất", "original", 1, 1, None),
    ("Căn cước của người nhận chuyển nhượng", "certified_copy", 2, 1, None),
    ("Hợp đồng chuyển nhượng có công chứng", "copy", 1, 0, None),
    ("Sơ đồ thửa đất", "copy", 1, 1, "Thiếu chữ ký của chủ sử dụng đất liền kề"),
]


def _extra(db, dossier_id: int, **values) -> None:
    """Columns of schema v7 the intake API does not take yet (email, representative…)."""
    with transaction(db) as conn:
        for column, value in values.items():
            conn.execute(f"UPDATE dossiers SET {column} = ? WHERE id = ?", [value, dossier_id])


def add_documents(db, dossier_id: int, documents=DOCUMENTS) -> None:
    with transaction(db) as conn:
        conn.executemany("INSERT INTO dossier_components(dossier_id, position, name, form, count,"
                         " received, note) VALUES (?,?,?,?,?,?,?)",
                         [(dossier_id, n, *doc) for n, doc in enumerate(documents, start=1)])


def receive(db, at: T, *, unit="X01", procedure="1.003596", name="Lê Hoàng Yến") -> tuple[int, str]:
    return dossiers.create_dossier(
        db, unit_code=unit, procedure_code=procedure, applicant_name=name, received_at=at,
        applicant_phone="0382123428", applicant_address="Thôn Nà Lầu, xã Văn An",
        applicant_id_no="020190001234", actor=CLERK)


def office(db) -> dict[str, str]:
    """The sample office with one dossier per form; returns kind -> code."""
    sample.catalogue_only(db)
    codes = {}
    full_id, codes["full"] = receive(db, T(2026, 10, 5, 9, 15))
    _extra(db, full_id, applicant_email="yen.le@example.vn", representative="Lê Văn Hùng "
           "(con trai, giấy ủy quyền số 12/UQ ngày 01/10/2026)", result_delivery="post",
           competent_unit_code="P01")
    add_documents(db, full_id)
    dossiers.start_processing(db, full_id, at=T(2026, 10, 5, 14, 0), actor="Nông Văn Bình")
    dossiers.request_supplement(db, full_id, reason="Hợp đồng chuyển nhượng chưa có công chứng.",
                                at=T(2026, 10, 6, 10, 0), actor="Nông Văn Bình")
    dossiers.receive_supplement(db, full_id, at=T(2026, 10, 8, 9, 0), actor=CLERK)
    dossiers.extend(db, full_id, new_due_at=T(2026, 10, 30, 16, 0), at=T(2026, 10, 22, 15, 0),
                    reason="Cần xác minh ranh giới thửa đất tại thực địa.", actor="Nông Văn Bình")
    dossiers.finish(db, full_id, at=T(2026, 10, 29, 10, 0), actor="Nông Văn Bình")
    dossiers.return_result(db, full_id, at=T(2026, 10, 30, 8, 30), actor=CLERK)
    stop_id, codes["stopped"] = receive(db, T(2026, 10, 6, 8, 0), name="Trần Văn Đức")
    dossiers.stop(db, stop_id, reason="Người nộp đề nghị dừng để bổ sung thỏa thuận thừa kế.",
                  at=T(2026, 10, 7, 15, 30), actor=CLERK)
    rej_id, codes["rejected"] = receive(db, T(2026, 10, 6, 9, 0), name="Phạm Quốc Việt")
    dossiers.start_processing(db, rej_id, at=T(2026, 10, 6, 10, 0), actor=CLERK)
    dossiers.reject(db, rej_id, reason="Thửa đất đang có tranh chấp, chưa đủ điều kiện đăng ký "
                    "biến động.", at=T(2026, 10, 9, 16, 0), actor="Nông Văn Bình")
    _, codes["plain"] = receive(db, T(2026, 10, 7, 10, 0), procedure="1.001193",
                                name="Nguyễn Thị Ánh")
    old_id, codes["old"] = receive(db, T(2025, 3, 4, 9, 0), name="Hoàng Thị Ưng")
    dossiers.extend(db, old_id, new_due_at=T(2025, 3, 25, 16, 0), at=T(2025, 3, 17, 9, 0),
                    reason="Chờ ý kiến của cơ quan thuế.", actor=CLERK)
    return codes
