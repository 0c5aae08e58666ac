"""The breach kit (Law 91/2025/QH15 Art. 23 [S]: notify the competent agency within 72 hours of
discovering a breach, with a written record; Decree 13/2023/NĐ-CP Art. 23 and Decree 356/2025
for the notice's contents): for a period and a set of units, who had personal data held here,
how many, and a draft notice the office completes and files.

"Held" = received before the period ended and not yet anonymised when it began. A person is
one ID number, or (without one) one folded name with one phone.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from core import accounts, timefmt
from core.clock import refuse_future
from core.errors import InputError
from core.privacy import access, documents, masking
from core.textnorm import fold
from core.unit_scope import scope_in, scope_param, unit_subtree
from db import settings

HELD_SQL = """
SELECT id, code, applicant_name, applicant_id_no, applicant_phone, applicant_email,
       applicant_address, representative
FROM dossier_rows
WHERE received_at < unixepoch(:end) AND (anonymised_at IS NULL OR anonymised_at >= unixepoch(:start))
"""
HEADER = ("STT", "Họ tên", "Số định danh", "Điện thoại", "Thư điện tử", "Địa chỉ", "Số hồ sơ",
          "Mã hồ sơ")
CODES_SHOWN = 3
DEADLINE_HOURS = 72


@dataclass
class Person:
    name: str
    id_no: str | None = None
    phone: str | None = None
    email: str | None = None
    address: str | None = None
    codes: list[str] = field(default_factory=list)

    def cells(self, number: int, full: masking.FullData | None) -> list:
        codes = ", ".join(self.codes[:CODES_SHOWN]) + ("…" if len(self.codes) > CODES_SHOWN else "")
        return [number, self.name, masking.id_no(self.id_no, full), masking.phone(self.phone, full),
                masking.email(self.email, full),
                masking.address(self.address, full), len(self.codes), codes]


@dataclass
class Census:
    start: dt.date
    end: dt.date
    units: list[str]
    people: list[Person]
    dossiers: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # data kind -> people holding it


def _scope(db, units: Sequence[str]) -> set[str] | None:
    if not units:
        return None
    scope: set[str] = set()
    for code in units:
        found = unit_subtree(db, code)
        if not found:
            raise InputError(f"Không có đơn vị mã '{code}'.")
        scope.update(c for c, _ in found)
    return scope


def census(db, start: dt.date, end: dt.date, units: Sequence[str] = ()) -> Census:
    """Who had personal data held in [start, end] at these units (all units when none)."""
    accounts.require("privacy.manage")
    if start > end:
        raise InputError(f"Ngày bắt đầu {start:%d/%m/%Y} sau ngày kết thúc {end:%d/%m/%Y}.")
    scope = _scope(db, units)
    sql, params = HELD_SQL, {"start": start.isoformat(),
                             "end": (end + dt.timedelta(days=1)).isoformat()}
    if scope is not None:
        sql += (f" AND ({scope_in('unit_code', ':scope')} OR "
                f"{scope_in('competent_unit_code', ':scope')})")
        params["scope"] = scope_param(sorted(scope))
    result = Census(start, end, list(units), [])
    people: dict[tuple, Person] = {}
    for _, code, name, id_no, phone, email, address, representative in db.execute(
            sql + " ORDER BY id", params):
        result.dossiers += 1
        digits = "".join(ch for ch in phone or "" if ch.isdigit())
        key = ("id", id_no) if id_no else ("np", fold(name), digits)
        person = people.setdefault(key, Person(name, id_no, phone, email, address))
        person.codes.append(code)
        for attr, value in (("email", email), ("address", address), ("phone", phone)):
            if value and not getattr(person, attr):
                setattr(person, attr, value)
        if representative:
            result.counts["representative"] = result.counts.get("representative", 0) + 1
    result.people = sorted(people.values(), key=lambda p: fold(p.name))
    for kind in ("id_no", "phone", "email", "address"):
        result.counts[kind] = sum(1 for p in result.people if getattr(p, kind))
    return result


def notice(db, found: Census, discovered: dt.datetime) -> list[str]:
    """The draft notice: paragraphs ('# ' starts a heading); '…' marks what the office fills."""
    from core.pdf.agency_names import sentence_name  # "ỦY BAN NHÂN DÂN XÃ …" in a sentence

    header = settings.get(db, "report_header") or {}
    agency = sentence_name(header.get("agency") or header.get("office") or "") or "…"
    deadline = discovered + dt.timedelta(hours=DEADLINE_HOURS)
    c, n = found.counts, timefmt.vn_number
    return [
        "Kính gửi: Cục An ninh mạng và phòng, chống tội phạm sử dụng công nghệ cao (A05), "
        "Bộ Công an.",
        f"Căn cứ Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, {agency} thông báo vi phạm quy "
        "định về bảo vệ dữ liệu cá nhân như sau:",
        "# 1. Mô tả vi phạm",
        f"Thời điểm phát hiện: {timefmt.vn_datetime(discovered)}. Hạn thông báo (72 giờ): "
        f"{timefmt.vn_datetime(deadline)}. Thời gian, địa điểm, hành vi vi phạm, tổ chức, cá "
        "nhân liên quan: …",
        f"Dữ liệu cá nhân cơ bản trong hồ sơ thủ tục hành chính tiếp nhận từ ngày "
        f"{timefmt.vn_date(found.start)} đến ngày {timefmt.vn_date(found.end)}"
        + (f" tại các đơn vị {', '.join(found.units)}" if found.units else "") + ": "
        f"{n(len(found.people))} người, {n(found.dossiers)} hồ sơ; họ tên và địa chỉ; "
        f"số định danh của {n(c.get('id_no', 0))} người; số điện thoại của "
        f"{n(c.get('phone', 0))} người; thư điện tử của {n(c.get('email', 0))} người; "
        f"{n(c.get('representative', 0))} hồ sơ có người được ủy quyền. Danh sách kèm theo.",
        "# 2. Người phụ trách bảo vệ dữ liệu cá nhân, cách liên lạc",
        "Họ tên, chức vụ, điện thoại, thư điện tử: …",
        "# 3. Hậu quả, thiệt hại có thể xảy ra",
        "…",
        "# 4. Biện pháp đã và sẽ thực hiện để xử lý, giảm thiểu tác hại",
        "…",
        "Thông báo này lập thành văn bản và gửi trong 72 giờ kể từ khi phát hiện; nếu gửi "
        "muộn, nêu rõ lý do: …",
    ]


def write_kit(db, found: Census, path, discovered: dt.datetime,
              full: masking.FullData | None, progress=None) -> Path:
    """The draft notice and the list in one .pdf/.txt (or the list alone as .csv/.xlsx); the
    file and its access_log row together (documents.write_logged; `progress`: the command
    line's Ctrl+C, asked before the COMMIT)."""
    refuse_future(discovered, "discovered", "Thời điểm phát hiện sự cố")  # the 72 h run from it
    rows = [p.cells(i, full) for i, p in enumerate(found.people, 1)]
    paragraphs = [*notice(db, found, discovered), "# Danh sách người có dữ liệu"]

    def log() -> None:
        access.record(db, "breach.list", purpose=full.purpose if full else None,
                      details={"count": len(found.people), "full": full is not None,
                               "from": found.start.isoformat(), "to": found.end.isoformat(),
                               "units": ",".join(found.units), "file": Path(path).name})

    return documents.write_logged(
        db, path, lambda to: documents.write(
            to, "Thông báo vi phạm quy định về bảo vệ dữ liệu cá nhân (dự thảo)", paragraphs,
            HEADER, rows), log, progress)
