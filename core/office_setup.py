"""A real office's first start, and which database file is the demo.

The demo lives in its own file (`paths.demo_db_path()`), marked in its settings, so demo data
never lands in the office's real database. A new real database starts empty, with no report
header, and asks once for the office's unit, its report header and this year's targets; the
answers are stored in the existing `units` and `settings` tables.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from core import installation
from core.accounts import require
from core.errors import FieldError, InputError
from core.moment import unit_span_refusal
from core.paths import resource_path
from core.validation import clean_printed
from db import settings
from db.connection import transaction

DEMO_KEY = "demo_data"       # true in the demo file only
SETUP_KEY = "office_setup"   # {"unit_code", "date"} once the first-start questions are answered

# The national references shown next to the year's targets (docs/legal.md; legal-2026.md).
NATIONAL_REFERENCES = (
    "Nghị quyết 71/NQ-CP (2025), mục tiêu đến năm 2030: 90% thủ tục đủ điều kiện được cung cấp "
    "trực tuyến toàn trình; thanh toán trực tuyến 80%; số hóa hồ sơ 100%; trả kết quả điện tử "
    "100%; tái sử dụng dữ liệu 80%.",
    "Quyết định 2629/QĐ-TTg (01/12/2025), giai đoạn 2025–2027: mọi thủ tục đủ điều kiện được "
    "cung cấp trực tuyến toàn trình; 95% người dân, doanh nghiệp hài lòng.",
    "Chỉ tiêu cụ thể của từng năm do UBND tỉnh giao: hãy nhập theo văn bản của tỉnh.",
)
TARGET_LABELS = (("on_time", "Hồ sơ giải quyết đúng hạn"),
                 ("online_full", "Hồ sơ trực tuyến toàn trình"),
                 ("online_payment", "Thanh toán trực tuyến"),
                 ("satisfaction", "Mức độ hài lòng"))
HEADER_FIELDS = ("parent_agency", "agency", "place", "signer_title", "signer_name")


# the day the communes and wards of the 2025 arrangement began work (the list's resolution,
# Nghị quyết 1672/NQ-UBTVQH15, in force with the two-tier local government)
REORGANISED = dt.date(2025, 7, 1)


@dataclass(frozen=True)
class Choice:
    name: str    # as shown and stored: "UBND xã Văn Quan"
    level: str   # units.level: commune | centre
    place: str   # the place line of documents: "Văn Quan"
    since: dt.date | None = None  # the day it began work: the 2025 arrangement's 01/07/2025


@lru_cache(maxsize=1)
def _units_file() -> dict:
    with open(resource_path("units", "lang-son-2025.json"), encoding="utf-8") as handle:
        return json.load(handle)


def unit_choices() -> list[Choice]:
    """The provincial centre, then the wards and communes in Vietnamese alphabetical order."""
    data = _units_file()
    centre = Choice(data["centre"]["name"], "centre", data["province"])
    local = [Choice(f"UBND phường {n}", "commune", n, REORGANISED) for n in data["wards"]]
    local += [Choice(f"UBND xã {n}", "commune", n, REORGANISED) for n in data["communes"]]
    return [centre] + sorted(local, key=lambda c: _vi_key(c.place))


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"


def _vi_key(text: str) -> tuple:
    """Vietnamese alphabetical order (Đ after D, Ă/Â after A); tones only break ties."""
    import unicodedata
    letters = []
    for char in text.lower():
        base = unicodedata.normalize("NFD", char)
        # keep the letter's own marks (breve, circumflex, horn, đ), drop the tone marks
        kept = "".join(c for c in base if c not in "\u0300\u0301\u0303\u0309\u0323")
        kept = unicodedata.normalize("NFC", kept)
        if kept == " ":
            letters.append(-1)  # word by word: "Chi Lăng" before "Chiến Thắng"
        else:
            letters.append(_ALPHABET.index(kept) if kept in _ALPHABET else 100 + ord(kept[0]))
    return tuple(letters), text


def suggested_header(choice: Choice) -> dict:
    """The header a unit usually prints (Decree 30/2020 layout); the clerk may change it."""
    province = _units_file()["province"]
    parent = f"ỦY BAN NHÂN DÂN TỈNH {province.upper()}"
    if choice.level == "centre":
        return {"parent_agency": parent, "agency": "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
                "place": province, "signer_title": "GIÁM ĐỐC", "signer_name": ""}
    kind = "PHƯỜNG" if choice.name.startswith("UBND phường") else "XÃ"
    return {"parent_agency": parent, "agency": f"ỦY BAN NHÂN DÂN {kind} {choice.place.upper()}",
            "place": choice.place, "signer_title": "CHỦ TỊCH", "signer_name": ""}


def signing(level: str) -> dict[str, str]:
    """What the office's documents print beside the header and the first start does not ask
    (Decree 30/2020, Phụ lục I): a People's Committee is led collectively, so its chairman signs
    "TM. ỦY BAN NHÂN DÂN" and its reports are numbered "…/BC-UBND"; a centre is led by its
    director, who signs under the centre's own title ("GIÁM ĐỐC", never "TM. ỦY BAN NHÂN DÂN"
    above it), its reports numbered "…/BC-TTPVHCC". Both editable in Cài đặt."""
    if level == "centre":
        return {"signer_authority": "", "doc_symbol": "BC-TTPVHCC"}
    return {"signer_authority": "TM. ỦY BAN NHÂN DÂN", "doc_symbol": "BC-UBND"}


def is_demo(db) -> bool:
    return bool(settings.get(db, DEMO_KEY))


def home_unit(db) -> str | None:
    """The unit whose desk the report header describes (answered at the first start; the demo
    records its own), or None in a file set up before the question existed."""
    answer = settings.get(db, SETUP_KEY)
    return answer.get("unit_code") if isinstance(answer, dict) else None


def mark_demo(db) -> None:
    """This file holds demo data: the window says so and the first-start questions are skipped."""
    settings.put(db, DEMO_KEY, True)


def needs_first_start(db) -> bool:
    """A real database nobody has set up yet, with nothing in it (an older database in use
    is never asked again)."""
    if getattr(db, "read_only", False) or is_demo(db) or settings.get(db, SETUP_KEY):
        return False
    return not db.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() and \
        not db.execute("SELECT 1 FROM units LIMIT 1").fetchone()


SLOT_QUESTION = ("Hãy chọn: máy này là máy duy nhất cấp mã hồ sơ cho đơn vị của mình, hay là "
                 "máy số mấy trong bao nhiêu máy cùng cấp mã (để hai máy không cấp trùng mã).")


def checked_slot(db, slot: tuple[int, int] | None) -> tuple[int, int] | None:
    """The answer to "which PC of how many issues codes" (spec 4): required while nobody has
    said it (core.installation.slot_confirmed); None keeps an answer given before."""
    if slot is None:
        if not installation.slot_confirmed(db):
            raise FieldError("code_slot", SLOT_QUESTION)
        return None
    try:
        installation.check_slot(*slot)
    except InputError as exc:
        raise FieldError("code_slot", str(exc)) from None
    return slot


def save_first_start(db, *, unit_code: str, unit_name: str, level: str, header: dict,
                     targets: dict[str, float], year: int, today: dt.date,
                     slot: tuple[int, int] | None = None,
                     valid_from: dt.date | None = None) -> None:
    """Store the answers: the unit (with the day it began work, `valid_from`: a commune
    formed in the 2025 reorganisation began on 01/07/2025; None: not said), the report header,
    this year's targets and which PC of how many this one is in issuing codes, `slot` =
    (number, of); (1, 1): the only one (one transaction)."""
    require("settings.edit")
    unit_code = unit_code.strip()
    unit_name = clean_printed("unit_name", "Tên đơn vị", unit_name,
                              "Hãy chọn hoặc nhập tên đơn vị của cơ quan.")
    if not unit_code:
        raise FieldError("unit_code", "Hãy nhập mã định danh điện tử của đơn vị (phần đầu của "
                         "mã hồ sơ, ví dụ 000.31.27.H37).")
    for key, value in targets.items():
        if not 0 <= value <= 1:
            raise FieldError(key, "Chỉ tiêu phải từ 0% đến 100%.")
    if valid_from is not None and valid_from > today:
        raise FieldError("valid_from", f"Ngày bắt đầu hoạt động {valid_from:%d/%m/%Y} còn sau "
                         "hôm nay: đơn vị chưa hoạt động thì chưa tiếp nhận được hồ sơ. Để trống "
                         "hoặc nhập ngày đơn vị đã bắt đầu hoạt động.")
    if refusal := unit_span_refusal(db, unit_code, valid_from, None):  # dossiers already held
        raise FieldError(*refusal)
    slot = checked_slot(db, slot)
    from core.report_header import checked
    fields, lines = checked({k: v for k, v in header.items() if k != "recipients"},
                            header.get("recipients", []))  # what Cài đặt allows
    full_header = {**settings.DEFAULTS["report_header"], **signing(level), **fields}
    if "recipients" in header:
        full_header["recipients"] = lines
    per_year = settings.targets_per_year(db, "targets")
    per_year[str(year)] = targets
    with transaction(db) as conn:
        since = valid_from.isoformat() if valid_from else None
        conn.execute("INSERT INTO units(code, name, level, parent_code, valid_from) "
                     "VALUES (?, ?, ?, NULL, ?) ON CONFLICT(code) DO UPDATE SET "
                     "name = excluded.name, level = excluded.level, valid_from = excluded.valid_from",
                     [unit_code, unit_name, level, since])
        settings.log_change(conn, "units", unit_code, None,
                            f"{unit_name}; {level}" + (f"; từ {since}" if since else ""))
        answers: list[tuple[str, object]] = [
            ("report_header", full_header), ("targets", per_year),
            (SETUP_KEY, {"unit_code": unit_code, "date": today.isoformat()})]
        if slot is not None:
            answers.append((installation.SLOT_KEY, {"slot": slot[0], "of": slot[1]}))
        for key, stored in answers:
            settings.log_change(conn, "settings", key, None, json.dumps(stored, ensure_ascii=False))
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) "
                         "DO UPDATE SET value = excluded.value",
                         [key, json.dumps(stored, ensure_ascii=False)])


def skip_first_start(db, today: dt.date) -> None:
    """The clerk chose to answer later (in Danh mục and Cài đặt): do not ask again."""
    require("settings.edit")
    settings.put(db, SETUP_KEY, {"unit_code": None, "date": today.isoformat()})
