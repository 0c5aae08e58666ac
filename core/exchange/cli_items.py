"""`--catalogue-item KIND:CODE=ours|theirs` of `exchange import` (core.exchange.cli), read into
the import's per-item choices: a kind named, a code given (a day read, a sender as the preview
names it), each item chosen once; anything else refused in Vietnamese before the database is
opened, nothing written."""
from __future__ import annotations

from core.errors import InputError
from core.exchange import catalogue as cat
from core.exchange.choices import hours_key
from core.typed_dates import parse_day


def catalogue_items(given: list[str]) -> dict[str, str]:
    """`--catalogue-item units:X01=theirs` (repeated) as the import's per-item choices."""
    items: dict[str, str] = {}
    for text in given:
        item, _, choice = text.rpartition("=")
        kind = item.partition(":")[0]
        if kind not in cat.KIND_VI or ":" not in item or choice not in (cat.OURS, cat.THEIRS):
            raise InputError(f"--catalogue-item {text!r} không hợp lệ: viết LOẠI:MÃ=ours|theirs, "
                             "LOẠI là units, procedures, calendar hoặc hours (giờ làm việc "
                             "của máy gửi: hours:SỐ-HIỆU-MÁY, như bản xem trước ghi; ví dụ "
                             "units:X01=theirs).")
        if not item.partition(":")[2].strip():  # "hours:  " was the sender "?": matched none
            raise InputError(_blank_code(text, kind))
        if kind == "calendar":  # a day as the preview writes it too; one that is none, named
            day = parse_day(item.partition(":")[2], f"--catalogue-item {text}")
            item = f"calendar:{day.isoformat()}"
        if kind == "hours":  # the sender as the preview names it, from its whole id too
            item = f"hours:{hours_key(item.partition(':')[2])}"
        if item in items:  # as --choose: which of two choices was meant is not guessed
            raise InputError(f"--catalogue-item: {item} được chọn hai lần; chỉ chọn một lần "
                             "(ours hoặc theirs).")
        items[item] = choice
    return items


def _blank_code(text: str, kind: str) -> str:
    """The Vietnamese refusal of a `--catalogue-item` whose code is only spaces."""
    what = {"hours": "số hiệu máy gửi (ví dụ hours:c3cd08e7)",
            "calendar": "một ngày (ví dụ calendar:2025-10-24)",
            "units": "mã đơn vị (ví dụ units:X01)"}.get(kind, "mã thủ tục")
    return (f"--catalogue-item {text!r} không hợp lệ: sau «{kind}:» phải có {what} như bản "
            "xem trước ghi, ở đây để trống hoặc chỉ có dấu cách. Chưa ghi gì.")
