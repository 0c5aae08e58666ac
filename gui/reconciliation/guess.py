"""A vendor's export whose columns are named as the window names the fields ("Mã thủ tục",
"Tên thủ tục", "Ngày tiếp nhận"): those columns are chosen already, for the clerk to check,
instead of eleven pickers left at "(không có)" beside columns of the very same names."""
from __future__ import annotations

import unicodedata

from core.transfer.layout import column_key


def _key(name: str) -> str:
    return column_key(unicodedata.normalize("NFC", name))


def by_field_name(labels: dict[str, str], keys) -> dict[str, str]:
    """field -> the key of the file's column named as the field's label (`labels`: field ->
    its Vietnamese name, core.transfer.profiles.FIELDS), for the fields such a column names."""
    found = {_key(key): key for key in keys if key}
    return {name: found[_key(label)] for name, label in labels.items() if _key(label) in found}
