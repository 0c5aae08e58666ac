"""Column-mapping profiles: which column of another system's dossier file holds which field.

Real exports of the provincial one-stop systems and the national portal differ by vendor, so an
import names, for each MotCua field, the column of the file that holds it. The national-portal
profile (`national`, the DVCQG field names MaHoSo, MaTTHC, …) is built in; offices save their
own under a name, kept as JSON in the settings table (key `import_profiles`), and reuse them
next month.

    profile = get_profile(db, "national")
    profile.columns  # {"code": "MaHoSo", "procedure_code": "MaTTHC", …}
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import sqlite_utils

from core import limits
from core.accounts import require
from core.errors import InputError
from core.textnorm import clean_text
from core.transfer.layout import Expected, column_key
from core.transfer.profile_columns import (  # noqa: F401 (the checks, read from here too)
    check_columns,
    refuse_lone_times,
    refuse_shared,
)
from core.vnsort import sorted_vn
from db import settings
from db.errors import DatabaseDamagedError

SETTING = "import_profiles"
NATIONAL = "national"
NAME_MAX = 60
HEADER_ROW_MAX = 99  # a header row a clerk may name; titles take a handful of rows

# The fields a file may bring, in the order the mapping step shows them, with their labels.
FIELDS: dict[str, str] = {
    "code": "Mã hồ sơ", "procedure_code": "Mã thủ tục", "procedure_name": "Tên thủ tục",
    "channel": "Kênh thực hiện", "applicant_name": "Chủ hồ sơ",
    "received_at": "Ngày tiếp nhận", "received_at_time": "Giờ tiếp nhận",
    "due_at": "Ngày hẹn trả", "due_at_time": "Giờ hẹn trả",
    "finished_at": "Ngày kết thúc xử lý", "finished_at_time": "Giờ kết thúc xử lý",
    "returned_at": "Ngày trả kết quả", "returned_at_time": "Giờ trả kết quả",
    "status": "Trạng thái hồ sơ", "unit_code": "Mã đơn vị tiếp nhận",
    "competent_unit_code": "Mã đơn vị giải quyết", "applicant_phone": "Số điện thoại",
    "applicant_address": "Địa chỉ", "fee": "Phí, lệ phí", "paid_online": "Thanh toán trực tuyến",
    "e_result": "Kết quả điện tử", "extended_due_at": "Ngày hẹn trả mới (gia hạn)",
    "supplement_waits": "Các lần bổ sung", "motcua_status": "Trạng thái MotCua",
    "applicant_id_no": "Số định danh", "applicant_email": "Thư điện tử",
    "representative": "Người được ủy quyền", "result_delivery": "Cách nhận kết quả",
    "digitised": "Đã số hóa thành phần hồ sơ", "result_digitised": "Đã số hóa kết quả",
}
REQUIRED = ("code", "procedure_code", "channel", "applicant_name", "received_at", "status")
TIME_FIELDS = ("received_at", "due_at", "finished_at", "returned_at", "extended_due_at")
# A vendor's file often holds a moment in two columns, the date in one and the time of day in
# another ("Ngày nhận" 02/01/2025, "Giờ nhận" 08:30): the time column of a moment, mapped
# beside its date column, is read with it (core.transfer.mapped.join_time); without one, the
# date alone follows core.transfer.day_only's rule.
TIME_OF_DAY = {"received_at_time": "received_at", "due_at_time": "due_at",
               "finished_at_time": "finished_at", "returned_at_time": "returned_at"}

# Names of the national portal (DVCQG) where it has one; the rest are MotCua's additions in
# the same style, written by `export --profile national` so nothing is lost on the way back.
NATIONAL_COLUMNS = {
    "code": "MaHoSo", "procedure_code": "MaTTHC", "procedure_name": "TenTTHC",
    "channel": "KenhThucHien", "applicant_name": "ChuHoSo", "received_at": "NgayTiepNhan",
    "due_at": "NgayHenTra", "finished_at": "NgayKetThucXuLy", "returned_at": "NgayTra",
    "status": "TrangThaiHoSo", "unit_code": "MaDonViTiepNhan",
    "competent_unit_code": "MaDonViGiaiQuyet", "applicant_phone": "SoDienThoai",
    "applicant_address": "DiaChi", "fee": "PhiLePhi", "paid_online": "DuocThanhToanTrucTuyen",
    "e_result": "KetQuaDienTu", "extended_due_at": "NgayHenTraMoi",
    "supplement_waits": "CacLanBoSung", "motcua_status": "TrangThaiMotCua",
    # the applicant's ID number as the portal's dossier API names it (SoDinhDanh, peers A3);
    # the rest MotCua's, for the receipt's details (Mẫu 01) and the 766 digitisation flags
    "applicant_id_no": "SoDinhDanh", "applicant_email": "Email",
    "representative": "NguoiDuocUyQuyen", "result_delivery": "HinhThucNhanKetQua",
    "digitised": "DaSoHoaThanhPhan", "result_digitised": "DaSoHoaKetQua",
}
# Other names a column is found under when the file lacks the profile's own (by column_key):
# the portal's paid-online flag is DuocThanhToanTrucTuyen (brief 3, indicator 3.6); MotCua's
# national exports before 02/12/2026 wrote it ThanhToanTrucTuyen, and those files still read.
ALIASES: dict[str, tuple[str, ...]] = {"duocthanhtoantructuyen": ("thanhtoantructuyen",)}


def found_in(column: str | None, header: set[str] | frozenset[str]) -> str | None:
    """The key (column_key) under which the file's header (a set of keys) holds a profile's
    `column`: its own name, else one of its ALIASES; None when the file has neither."""
    if not column:
        return None
    key = column_key(column)
    for name in (key, *ALIASES.get(key, ())):
        if name in header:
            return name
    return None


# the name of the window's columns as chosen, not saved as a profile (gui.reconciliation.mapping)
UNSAVED = "(chưa lưu)"


def profile_words(name: str) -> str:
    """How a message names the mapping used: "mẫu cột 'iGate Lạng Sơn'", or for the window's
    columns not saved, what they are ("mẫu cột '(chưa lưu)'" read as a profile of that name)."""
    if name == UNSAVED:
        return "các cột đang chọn trong cửa sổ, chưa lưu thành mẫu cột"
    return f"mẫu cột '{name}'"


@dataclass(frozen=True)
class Profile:
    name: str
    columns: dict[str, str] = field(default_factory=dict)  # field -> the file's column name
    builtin: bool = False
    # The file's header row when a vendor's file needs it named; None: found by the columns'
    # names (core.transfer.layout.find_header), which is what almost every file needs.
    header_row: int | None = None

    def expected(self) -> Expected:
        """The names the header row must carry: the required fields' columns."""
        required = [f for f in REQUIRED if f in self.columns]
        return Expected(tuple(self.columns[f] for f in required), tuple(self.columns.values()),
                        tuple(field_label(f, self.columns[f]) for f in required))

    def source(self, name: str) -> str | None:
        return self.columns.get(name)

    def label(self, name: str) -> str:
        """How an error names a column: the file's name with the field's meaning."""
        return column_label(self.columns.get(name), name)


def column_label(source: str | None, name: str) -> str:
    """A column of another system's file as a message names it: its name in the file with
    the field's meaning, 'NgayTiepNhan (Ngày tiếp nhận)'; the name alone when it is the
    meaning already (a vendor's 'Ngày tiếp nhận' was 'Ngày tiếp nhận (Ngày tiếp nhận)')."""
    meaning = FIELDS.get(name, name)
    if not source:
        return meaning
    return source if column_key(source) == column_key(meaning) else f"{source} ({meaning})"


def field_label(name: str, source: str) -> str:
    """A field as a note about a profile names it: in Vietnamese, its column in the profile
    in brackets, 'Mã hồ sơ (MaHoSo)' (walk33: a vendor's file mapped by hand was told of
    'MaHoSo, MaTTHC, …', names of the national profile it was first read with)."""
    meaning = FIELDS.get(name, name)
    return meaning if column_key(source) == column_key(meaning) else f"{meaning} ({source})"


NATIONAL_PROFILE = Profile(NATIONAL, dict(NATIONAL_COLUMNS), builtin=True)


def _saved(db: sqlite_utils.Database) -> dict[str, dict]:
    """The saved profiles that are well formed ({name: {"columns": {field: column}}}).

    The value may have been damaged (a restored or hand-edited database): a broken one is read
    as no saved profile rather than stopping every import and the mapping screen.
    """
    try:
        value = settings.get(db, SETTING)
    except DatabaseDamagedError:  # (settings.get's word for a value json cannot read)
        return {}
    if not isinstance(value, dict):
        return {}
    return {name: entry for name, entry in value.items() if _well_formed(entry)}


def _well_formed(entry) -> bool:
    columns = entry.get("columns", {}) if isinstance(entry, dict) else None
    return isinstance(columns, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in columns.items())


def _header_row(entry: dict) -> int | None:
    """A saved header row (profiles saved before there was one have none: found by names)."""
    row = entry.get("header_row")
    return row if type(row) is int and 1 <= row <= HEADER_ROW_MAX else None


def list_profiles(db: sqlite_utils.Database) -> list[Profile]:
    """The built-in national profile first, then the saved ones in Vietnamese alphabetical
    order (core.vnsort: 'iGate' among the I's, not after 'Viettel' as code points put it)."""
    saved = _saved(db)
    return [NATIONAL_PROFILE] + [Profile(name, dict(saved[name].get("columns", {})),
                                         header_row=_header_row(saved[name]))
                                 for name in sorted_vn(saved)]


def get_profile(db: sqlite_utils.Database, name: str | None) -> Profile:
    name = clean_text(name or NATIONAL)  # a name typed with combining marks is the saved one
    for profile in list_profiles(db):  # … and one saved so before names were kept NFC too
        if clean_text(profile.name) == name:
            return profile
    known = ", ".join(p.name for p in list_profiles(db))
    raise InputError(f"Không có mẫu cột tên '{name}'. Các tên đã có: {known}.")


def save_profile(db: sqlite_utils.Database, name: str, columns: dict[str, str],
                 header_row: int | None = None) -> Profile:
    """Save (or replace) a named profile; the built-in one cannot be replaced. `header_row`:
    the file's header row, kept only when the clerk named one (None: found by names).
    A profile is a setting of the office (spec 10): only an account that may change settings
    saves, renames or deletes one, and settings.put records who changed what."""
    require("settings.edit")
    name = check_name(name)
    clean = check_columns(columns)
    if header_row is not None and not 1 <= header_row <= HEADER_ROW_MAX:
        raise InputError(f"Dòng tiêu đề phải từ 1 đến {HEADER_ROW_MAX}.")
    saved = _saved(db)
    replaced = taken_name(db, name)
    if replaced is not None:  # one profile per name in any letter case, as rename_profile
        del saved[replaced]
    saved[name] = {"columns": clean} | ({"header_row": header_row} if header_row else {})
    settings.put(db, SETTING, saved)
    return Profile(name, clean, header_row=header_row)


def check_name(name: str | None) -> str:
    """A profile's name as it will be kept (trimmed, as texts are stored: NFC, no invisible
    format character; a name typed with combining marks was a second «iGate Lạng Sơn»), or
    InputError saying what is wrong; its length by the one rule (core.limits.text_length)."""
    name = clean_text(name or "").strip()
    if not name:
        raise InputError("Hãy đặt tên cho mẫu cột.")
    if limits.text_length(name) > NAME_MAX:
        raise InputError(f"Tên mẫu cột dài quá {NAME_MAX} ký tự.")
    # a name is one line in a list and on the command line (--profile): no control character,
    # tab or line break (a NUL cut the name where the window and the terminal showed it)
    if any(c in name for c in "\t\r\n"):
        raise InputError("Tên mẫu cột không được có dấu xuống dòng hay tab; hãy đặt tên khác.")
    reason = limits.control_reason(name)
    if reason:
        raise InputError(f"Tên mẫu cột {reason}; hãy đặt tên khác.")
    if name.lower() == NATIONAL:
        raise InputError(f"Tên '{NATIONAL}' là của mẫu Cổng Dịch vụ công quốc gia có sẵn; "
                         "hãy đặt tên khác.")
    return name


def _saved_one(saved: dict[str, dict], name: str, doing: str) -> dict:
    """The saved profile `name`; the built-in one, or a name not saved, refused by name."""
    if name == NATIONAL:
        raise InputError(f"Mẫu cột Cổng Dịch vụ công quốc gia ('{NATIONAL}') có sẵn trong "
                         f"MotCua, không {doing} được.")
    if name not in saved:
        raise InputError(f"Không có mẫu cột tên '{name}' (có thể vừa bị đổi tên hoặc xóa ở "
                         "máy khác); hãy chọn lại.")
    return saved[name]


def taken_name(db: sqlite_utils.Database, name: str, but: str | None = None) -> str | None:
    """The saved profile (other than `but`) that `name` names in any letter case: the one a
    save under `name` replaces (the window asks first), a rename to `name` is refused for."""
    wanted = clean_text(name or "").strip().lower()
    return next((other for other in _saved(db)  # one saved before names were kept NFC too
                 if other != but and clean_text(other).lower() == wanted), None)


def rename_profile(db: sqlite_utils.Database, name: str, new_name: str) -> Profile:
    """Give the saved profile `name` another name: its columns and header row kept; a name
    another saved profile has (in any letter case) is refused, not overwritten."""
    require("settings.edit")
    saved = _saved(db)
    entry = _saved_one(saved, name, "đổi tên")
    new_name = check_name(new_name)
    taken = taken_name(db, new_name, but=name)
    if taken is not None:
        raise InputError(f"Đã có mẫu cột tên '{taken}'; hãy đặt tên khác.")
    del saved[name]
    saved[new_name] = entry
    settings.put(db, SETTING, saved)
    return Profile(new_name, dict(entry["columns"]), header_row=_header_row(entry))


def delete_profile(db: sqlite_utils.Database, name: str) -> None:
    """Delete the saved profile `name` (the built-in one cannot be)."""
    require("settings.edit")
    saved = _saved(db)
    _saved_one(saved, name, "xóa")
    del saved[name]
    settings.put(db, SETTING, saved)


# ----- a profile as a file: a province's mapping shared between offices -----------------------
FILE_KIND = "motcua-mau-cot"  # what the file says it is
FILE_VERSION = 1
FILE_MAX = 256 * 1024  # a profile is a few hundred bytes; a bigger file is something else


def profile_document(profile: Profile) -> dict:
    """The file `profile export` writes: what it is, the name, the columns, the header row."""
    return {"loai": FILE_KIND, "phien_ban": FILE_VERSION, "ten": profile.name,
            "cot": dict(profile.columns), "dong_tieu_de": profile.header_row}


def read_profile_file(path) -> Profile:
    """The profile a `profile export` file holds, checked as a saved one is (not saved);
    InputError naming the file and what is wrong."""
    from pathlib import Path

    from core.errors import read_reason
    from core.paths import refuse_unfit_input
    path = Path(path)
    refuse_unfit_input(path)  # a pipe would wait for a writer: the import hung
    try:
        if path.stat().st_size > FILE_MAX:
            raise InputError(f"Tệp {path.name} quá lớn để là một mẫu cột.")
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InputError(f"Không tìm thấy tệp {path}.") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise InputError(f"Tệp {path.name} không phải tệp mẫu cột của MotCua (không đọc được "
                         "nội dung JSON).") from None
    except OSError as exc:
        raise InputError(f"Không đọc được tệp {path.name}: {read_reason(exc)}.") from None
    if not isinstance(document, dict) or document.get("loai") != FILE_KIND:
        raise InputError(f"Tệp {path.name} không phải tệp mẫu cột của MotCua.")
    if document.get("phien_ban") != FILE_VERSION:
        raise InputError(f"Tệp {path.name} là mẫu cột của phiên bản MotCua khác (phiên bản tệp "
                         f"{document.get('phien_ban')!r}); hãy cập nhật MotCua.")
    columns, row = document.get("cot"), document.get("dong_tieu_de")
    if not isinstance(columns, dict) or not _well_formed({"columns": columns}):
        raise InputError(f"Tệp {path.name}: phần 'cot' phải ghi mỗi trường một tên cột.")
    if row is not None and not (type(row) is int and 1 <= row <= HEADER_ROW_MAX):
        raise InputError(f"Tệp {path.name}: dòng tiêu đề phải từ 1 đến {HEADER_ROW_MAX}.")
    name = document.get("ten")
    name = name if isinstance(name, str) else ""
    try:
        checked = check_columns(columns)
    except InputError as exc:  # another office's file: which file, which profile is wrong
        named = f" (mẫu cột '{name}')" if name.strip() else ""
        raise InputError(f"Tệp {path.name}{named}: {exc}") from None
    return Profile(name, checked, header_row=row)


def write_profile_file(profile: Profile, path) -> None:
    """Write `profile` as a shared file (.json), whole or not at all."""
    from pathlib import Path

    from core.pdf.document import write_atomic
    path = Path(path)
    if path.suffix.lower() != ".json":
        raise InputError(f"Tệp mẫu cột {path.name} phải có đuôi .json.")
    text = json.dumps(profile_document(profile), ensure_ascii=False, indent=2) + "\n"
    write_atomic(path, text.encode("utf-8"))


class ProfileTaken(InputError):
    """A profile of that name exists with other columns: replace it only when asked to."""

    def __init__(self, taken: str):
        super().__init__(f"Đã có mẫu cột '{taken}' với các cột khác.")
        self.taken = taken


def same_columns(a: Profile, b: Profile) -> bool:
    """The same mapping, whatever the letter case or spacing of the column names."""
    def keys(p: Profile) -> dict[str, str]:
        return {k: column_key(v) for k, v in p.columns.items()}
    return keys(a) == keys(b) and a.header_row == b.header_row


def adopt_profile(db: sqlite_utils.Database, read: Profile, name: str | None = None,
                  replace: bool = False) -> tuple[Profile, str]:
    """Save a profile read from a shared file under `name` (else the file's own name): the
    profile and what was done ("new", "replaced", "same"). ProfileTaken when a profile of that
    name holds other columns and `replace` is not given; InputError when no name is known or
    the name is the built-in profile's. The one rule of the window and `profile import`."""
    chosen = (name or read.name or "").strip()
    if not chosen:
        raise InputError("Tệp mẫu cột không ghi tên mẫu; hãy đặt tên cho mẫu.")
    if chosen.lower() == NATIONAL:
        raise InputError(f"Tên '{NATIONAL}' là của mẫu Cổng Dịch vụ công quốc gia có sẵn; hãy "
                         "đặt tên khác.")
    taken = taken_name(db, chosen)
    if taken is not None:
        if same_columns(get_profile(db, taken), read):
            return get_profile(db, taken), "same"
        if not replace:
            raise ProfileTaken(taken)
    saved = save_profile(db, chosen, read.columns, read.header_row)
    return saved, "new" if taken is None else "replaced"
