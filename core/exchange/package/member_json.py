"""The one reading of a package member's JSON: the manifest, a part's line (format 1–2), the
signature (its member or the zip's comment). Each kept its own `json.loads` with its own rule
(mend38): a line was decoded leniently (surrogates passed) and never looked at for an escaped
half of a UTF-16 pair, which is valid JSON — `"\\udcff"` in a dossier's field crashed the import
with UnicodeEncodeError where the manifest's same character was refused in words (break33).

One rule now, whatever the member: at most its size bound (core.exchange.package.layout), text
in its encoding (strict: no surrogate bytes), JSON as db.stored_json reads it (nesting past
Python's limit a ValueError), no lone half of a UTF-16 pair anywhere in it; each refusal one
Vietnamese sentence naming the member. Its shape (an object, its fields) is its reader's.
"""
from __future__ import annotations

import json
import re
from typing import Any

from core.timefmt import vn_number
from db import stored_json

# the only way a lone half reaches a value once the text is strict UTF-8: an escape \uD800–\uDFFF
# (a pair's halves are escapes too; only then is the value looked at whole)
_ESCAPED_HALF = re.compile(rb"\\u[dD][89abcdefABCDEF]")


class MemberRefused(ValueError):
    """Why a member (named in the message) cannot be read as JSON."""


def loads(raw: bytes, where: str, limit: int, encoding: str = "utf-8") -> Any:
    """The JSON value of `raw`, a package's `where` («bản kê manifest.json», «phần X, dòng N»,
    «chữ ký số trong tệp signature.json»), or MemberRefused saying why, `where` first."""
    if len(raw) > limit:
        raise MemberRefused(f"{where} dài bất thường (hơn {vn_number(limit)} byte)")
    try:
        value = stored_json.loads(raw.decode(encoding))
    except (UnicodeDecodeError, ValueError):
        raise MemberRefused(f"{where} không phải JSON hợp lệ") from None
    if _ESCAPED_HALF.search(raw) and (half := lone_half(value)):
        raise MemberRefused(f"{where} có ký tự không hợp lệ (mã U+{half:04X}, một nửa cặp "
                            "UTF-16 đứng riêng)")
    return value


def lone_half(value: Any) -> int | None:
    """The code of a lone half of a UTF-16 pair in `value` (any key or string, at any depth),
    None for none: such a text can be neither hashed nor written as UTF-8 (break33)."""
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return ord(exc.object[exc.start])
    return None
