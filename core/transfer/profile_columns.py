"""The checks of a profile's columns (core.transfer.profiles), a saved one's and one read from
a file alike: unknown fields, a required one missing, a column given to two fields, a time
column without its date column, a column name no header carries."""
from __future__ import annotations

from core.errors import InputError
from core.limits import text_length
from core.timefmt import vn_number
from core.transfer.layout import column_key

# a column name a profile may give: a header cell is a few words ("Ngày tiếp nhận hồ sơ"); a
# file carrying one of 100,000 characters had it stored and matching no file ever, in silence
COLUMN_NAME_MAX = 200


def check_columns(columns: dict[str, str]) -> dict[str, str]:
    """The mapping with blank entries dropped; refuses unknown fields, a missing required field
    and one column given to two fields."""
    from core.transfer.profiles import FIELDS, REQUIRED
    clean = {k: v.strip() for k, v in columns.items() if v and v.strip()}
    unknown = sorted(set(clean) - set(FIELDS))
    if unknown:
        raise InputError(f"Trường không có trong MotCua: {', '.join(unknown)}.")
    refuse_long_names(clean)
    missing = [FIELDS[f] for f in REQUIRED if f not in clean]
    if missing:
        raise InputError("Chưa chọn cột cho trường bắt buộc: " + ", ".join(missing) + ".")
    refuse_shared(clean)
    refuse_lone_times(clean)
    return clean


def refuse_long_names(columns: dict[str, str]) -> None:
    """A column name longer than COLUMN_NAME_MAX characters is refused, naming its field;
    counted by the one length rule (core.limits.text_length): a header typed or saved with
    Unikey's combining marks is as long as its letters, not its code points."""
    from core.transfer.profiles import FIELDS
    for name, source in columns.items():
        if (length := text_length(source)) > COLUMN_NAME_MAX:
            raise InputError(f"Tên cột của trường '{FIELDS.get(name, name)}' dài "
                             f"{vn_number(length)} ký tự, quá {COLUMN_NAME_MAX} ký tự: "
                             "không tiêu đề cột nào dài như vậy. Hãy ghi đúng tên cột như dòng "
                             "tiêu đề của tệp.")


def refuse_lone_times(columns: dict[str, str]) -> None:
    """A time column is read with its date column: one chosen without the other is refused."""
    from core.transfer.profiles import FIELDS, TIME_OF_DAY
    lone = [FIELDS[t] for t, day in TIME_OF_DAY.items() if t in columns and not columns.get(day)]
    if lone:
        raise InputError("Cột giờ chỉ dùng kèm cột ngày của nó: " + ", ".join(
            f"'{name}' cần chọn cả cột '{FIELDS[TIME_OF_DAY[t]]}'"
            for t, name in zip([t for t in TIME_OF_DAY if t in columns
                                and not columns.get(TIME_OF_DAY[t])], lone, strict=True))
            + ".")


def refuse_shared(columns: dict[str, str]) -> None:
    """Refuse one column of the file given to two fields (a saved profile, and a mapping read
    without being saved: the window's mapping once read a column of names as the due dates and
    answered with 200 'not a date' errors instead of naming the choice)."""
    from core.transfer.profiles import FIELDS
    seen: dict[str, tuple[str, str]] = {}  # column key -> (field, the column as first given)
    for name, source in columns.items():
        key = column_key(source)
        if not key:
            continue
        if key in seen:
            first, spelt = seen[key]
            raise InputError(f"Cột '{spelt.strip()}' được chọn cho cả "
                             f"'{FIELDS.get(first, first)}' và '{FIELDS.get(name, name)}'; mỗi "
                             "cột chỉ cho một trường.")
        seen[key] = (name, source)
