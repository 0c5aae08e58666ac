"""The register of a period before 01/07/2025 as it was kept then: Mẫu 06 of Circular
01/2018/TT-VPCP (Sổ theo dõi hồ sơ), the forms of the dossiers' time (issue 13 §1).

Its columns, as the 2018 form had them (docs/reports.md; the column list is also the one the
project brief gives for Mẫu 06): STT, code, procedure, **number of copies**, applicant,
address/phone, the unit in charge, then "Nhận và trả kết quả": received, due, **sent to the
unit in charge** (the desk hands the file over: the first `start_processing` event), **result
received from it** (`finished_at`: done, refused or stopped), returned; the signature and a note.
The 2025 register (Mẫu 07 of Circular 03/2025) dropped the copies and the two hand-over dates and
added how the result is received. core.pdf.book draws either; this module is the old one's shape.
"""
from __future__ import annotations

# (heading, width in mm, left-aligned, one line); the widths fill the 252 mm text width.
COLUMNS = (("STT", 8, False, True), ("Mã hồ sơ", 37, False, True),
           ("Tên thủ tục hành chính", 28, True, False), ("Số lượng hồ sơ (bộ)", 10, False, False),
           ("Tên cá nhân, tổ chức", 22, True, False), ("Địa chỉ, số điện thoại", 22, True, False),
           ("Cơ quan chủ trì giải quyết", 20, True, False),
           ("Ngày, giờ nhận", 16, False, False), ("Ngày, giờ hẹn trả", 16, False, False),
           ("Ngày, giờ chuyển hồ sơ", 16, False, False),
           ("Ngày, giờ nhận kết quả", 16, False, False), ("Ngày, giờ trả kết quả", 16, False, False),
           ("Ký nhận", 10, False, False), ("Ghi chú", 15, True, False))
GROUP = ("Nhận và trả kết quả", 7, 11)  # header over columns 8–12
# read after the 2025 register's columns: copies, the hand-over to the unit, the result back
EXTRA_SQL = (", d.copies, (SELECT MIN(e.at) FROM events e WHERE e.dossier_id = d.id"
             " AND e.action = 'start_processing'), d.finished_at")


def line(common: list[str], extra: tuple, when) -> list[str]:
    """One 2018 register line from the 2025 line's cells (`common`: number, code, procedure,
    applicant, contact, unit, received, due, returned, delivery, signature, note) and the extra
    values of EXTRA_SQL; `when` formats a stored time as the register prints it."""
    number, code, procedure, name, contact, unit, received, due, returned, _, sign, note = common
    copies, sent, finished = extra
    return [number, code, procedure, f"{copies or 1:02d}", name, contact, unit, received, due,
            when(sent), when(finished), returned, sign, note]
