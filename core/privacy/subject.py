"""A data-subject request (Law 91/2025/QH15 Art. 4: to know, access and correct): every dossier
of one person found by ID number, phone or name, exported, and a field corrected with an event.

The search folds like the register's (core.textnorm, core.searchkey): "nguyen van an" finds
"Nguyễn Văn An"; a name must match whole (not every An), a phone by its digits, an ID exactly.
A correction goes through core.dossiers.correct_field: the stored field and a `correct` event in
the one hash-chained history (core.history), so `check` still agrees afterwards.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core import accounts, dossiers, searchkey, timefmt
from core.errors import FieldError, InputError
from core.labels import STATUS_VI
from core.privacy import access, documents, masking
from core.textnorm import fold, search_words
from db.connection import transaction

# The personal fields a data subject may have corrected (the rest are the office's record).
PERSONAL = masking.PERSONAL_FIELDS
FIND_SQL = """
SELECT d.id, d.code, d.applicant_name, d.applicant_phone, d.applicant_id_no, d.applicant_email,
       d.applicant_address, d.representative, d.received_at, d.status, p.name, u.name
FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
LEFT JOIN units u ON u.code = d.unit_code
"""
HEADER = ("Mã hồ sơ", "Tiếp nhận", "Thủ tục", "Đơn vị", "Trạng thái", "Họ tên", "Điện thoại",
          "Số định danh", "Thư điện tử", "Địa chỉ", "Người được ủy quyền")


@dataclass(frozen=True)
class Found:
    id: int
    code: str
    name: str
    phone: str | None
    id_no: str | None
    email: str | None
    address: str | None
    representative: str | None
    received_at: str
    status: str
    procedure: str
    unit: str | None

    def cells(self, full: masking.FullData | None) -> list:
        return [self.code, timefmt.vn_date(timefmt.parse_db_time(self.received_at)),
                self.procedure, self.unit, STATUS_VI.get(self.status, self.status), self.name,
                masking.phone(self.phone, full), masking.id_no(self.id_no, full),
                masking.email(self.email, full),
                masking.address(self.address, full), self.representative]


def _digits(text: str | None) -> str:
    """A phone's digits, '+84 912…' and '0912…' alike."""
    digits = "".join(ch for ch in (text or "") if ch.isdigit())
    return "0" + digits[2:] if digits.startswith("84") and len(digits) == 11 else digits


def _query(db, where: str, params: list) -> list[Found]:
    return [Found(*row) for row in db.execute(FIND_SQL + " WHERE " + where + " ORDER BY "
                                              "d.received_at, d.id", params)]


def _by_phone(db, phone: str) -> list[Found]:
    digits = _digits(phone)
    if len(digits) < 9:
        raise FieldError("phone", "Nhập đủ số điện thoại (ít nhất 9 chữ số).")
    # a phone is stored as typed ('0912 345 678', '+84…'): SQLite strips the separators, the
    # last nine digits narrow, Python compares whole numbers
    bare = "d.applicant_phone"
    for ch in (" ", ".", "-", "(", ")"):
        bare = f"REPLACE({bare}, '{ch}', '')"
    rows = _query(db, f"{bare} LIKE ?", ["%" + digits[-9:]])
    return [r for r in rows if _digits(r.phone) == digits]


def _by_name(db, name: str) -> list[Found]:
    words = search_words(name)
    if len(words) < 2:
        raise FieldError("name", "Nhập đủ họ và tên (ít nhất hai chữ) để tìm đúng một người.")
    clauses, params = searchkey.match(words)
    wanted = " ".join(words)
    return [r for r in _query(db, " AND ".join(clauses), params) if fold(r.name) == wanted]


def find(db, id_no: str | None = None, phone: str | None = None,
         name: str | None = None) -> list[Found]:
    """The dossiers of one person, by exactly one of ID number, phone or name (logged)."""
    given = [k for k, v in (("id_no", id_no), ("phone", phone), ("name", name)) if v and v.strip()]
    if len(given) != 1:
        raise InputError("Tìm theo đúng một trong: số định danh, số điện thoại, họ tên.")
    accounts.require("privacy.manage")
    if id_no and id_no.strip():
        found = _query(db, "d.applicant_id_no = ?", [id_no.strip()])
    elif phone and phone.strip():
        found = _by_phone(db, phone)
    else:
        found = _by_name(db, name or "")
    access.record(db, "subject.find", details={"search_by": given[0], "count": len(found)})
    return found


def export(db, found: list[Found], path, full: masking.FullData | None,
           progress=None) -> Path:
    """The person's dossiers to .csv/.xlsx/.pdf/.txt (masked unless `full`); logged per dossier,
    the rows and the file together (documents.write_logged; `progress`: the command line's
    Ctrl+C, asked before the COMMIT)."""
    accounts.require("privacy.manage")
    title = "Dữ liệu cá nhân trong các hồ sơ của người yêu cầu"
    notes = [f"Lập lúc {timefmt.vn_datetime(timefmt.now())}: {len(found)} hồ sơ."]

    def log() -> None:
        for item in found:
            access.record(db, "subject.export", item.id, full.purpose if full else None,
                          {"file": Path(path).name, "full": full is not None})

    return documents.write_logged(
        db, path, lambda to: documents.write(to, title, notes, HEADER,
                                            [f.cells(full) for f in found]), log, progress)


def correct(db, dossier_id: int, field: str, value, reason: str) -> None:
    """Correct one personal field at the person's request: a `correct` event (core.history)."""
    accounts.require("privacy.manage")
    if field not in PERSONAL:
        raise FieldError(field, "Chỉ sửa được thông tin cá nhân của người nộp: "
                                + ", ".join(dossiers.CORRECTABLE[f] for f in PERSONAL) + ".")
    with transaction(db):  # the correction and its log row together
        dossiers.correct_field(db, dossier_id, field, value, reason=reason)
        access.record(db, "subject.correct", dossier_id, details={"field": field})
