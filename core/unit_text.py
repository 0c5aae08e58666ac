"""A unit's code and name as the catalogue keeps them: the one rule of their length and their
characters (beside core.catalogue.check_unit, the rule of a unit's links and dates).

A unit's code is printed in reports, travels in a package's JSON scope and in its file's name
(core.exchange.export.suggested_name); its name is printed in the header of every document
(core.report_header, cut there at the header's limit, core.limits "header"). So a code is at
most 40 characters (core.limits "unit_code", as every code of the program), a name at most
200 ("unit_name", the header line's own limit: «Trung tâm Phục vụ hành chính công tỉnh Thừa
Thiên Huế» is 53, «Bộ phận Tiếp nhận và Trả kết quả …» of a centre 116). Neither
holds a control character (a tab, a line break, U+0001: it would cut the line it is printed
on), and a code no invisible one either (a bidi override, a zero-width space: two codes would
look the same, a scope or a file name hold what nobody sees). Both are judged as stored: what
is typed (the desk, `import units`) has its spaces at the ends removed first
(core.catalogue.save_unit, core.transfer.cells), a package's unit is kept as its installation
recorded it, so one with spaces at the ends of its code or name was not written by a desk and
is refused. A code stored already is its unit's key: kept (check_unit_text's `new_code`).

The desk (core.catalogue.save_unit), `import units` (core.transfer.units), a package's new or
chosen unit (core.exchange.catalogue) and `check` (core.maintenance.check: units an older
version stored) all ask it here, in the same words. A refused character is named by its
number (U+0009), never printed as it is.
"""
from __future__ import annotations

import unicodedata

from core import limits
from core.errors import FieldError
from core.printable import UNPRINTABLE, bundled_glyphs
from core.textnorm import bidi_reason

CODE_WORDS, NAME_WORDS = "Mã đơn vị", "Tên đơn vị"
UNIT_CODE_REQUIRED = "Cần nhập mã đơn vị."
UNIT_NAME_REQUIRED = "Cần nhập tên đơn vị."
CODE_MAX = limits.TEXT["unit_code"][0]
# A code: no control (Cc: tab, line breaks, C1, DEL), format (Cf: bidi, zero-width, BOM),
# surrogate (Cs: a lone "\ud800" of a JSON package), line or paragraph separator. A name: no
# control character, surrogate or bidi control (name_reason, the desk's words); another format
# character (the joiner of an emoji, a zero-width space a package recorded) the documents
# leave out (core.printable.drawable), and the desk
# and `import units` remove the invisible ones first (core.validation.clean_printed).
CODE_REFUSED = frozenset(("Cc", "Cf", "Cs", "Zl", "Zp"))
NAME_REFUSED = frozenset(("Cc", "Cs"))
ENDS = "có khoảng trắng ở đầu hoặc cuối"


def unprintable_reason(text: str, refused: frozenset = CODE_REFUSED) -> str | None:
    """"chứa ký tự điều khiển không in được (mã U+0009) ở vị trí 3", or None: the first
    character of a category `refused`."""
    if text.isprintable():  # the common case: printable ASCII or Vietnamese, one C call
        return None
    for place, char in enumerate(text, 1):
        kind = unicodedata.category(char)
        if kind in refused or char in "\ufffe\uffff":
            what = "ký tự điều khiển" if kind == "Cc" else "ký tự ẩn"
            return f"chứa {what} không in được (mã U+{ord(char):04X}) ở vị trí {place}"
    return None


def drawn_reason(code: str) -> str | None:
    """"chứa ký tự không in được trên phiếu (mã U+1F600) ở vị trí 2", or None: a code begins
    each of its dossiers' codes, printed on the citizen's receipt; a character the documents'
    font lacks prints as □ (core.printable), X😀's and X🙂's dossiers alike (break33)."""
    if code.isascii():
        return None
    glyphs = bundled_glyphs()
    for place, char in enumerate(code, 1):
        if ord(char) not in glyphs:
            return f"chứa {UNPRINTABLE} (mã U+{ord(char):04X}) ở vị trí {place}"
    return None


def form_reason(code: str) -> str | None:
    """"viết dấu ở dạng tổ hợp (mã U+0303 ở vị trí 3)", or None: a code whose marks are
    combining characters (Unikey's «Unicode tổ hợp») looks exactly like the same code written
    precomposed and would be another unit (break33); one that begins with a mark prints a mark
    on nothing. What is typed is taken precomposed first (core.catalogue.save_unit,
    core.transfer.cells); a package's code is judged as recorded."""
    if code and unicodedata.combining(code[0]):
        return f"bắt đầu bằng một dấu không có chữ mang nó (mã U+{ord(code[0]):04X})"
    if code.isascii() or unicodedata.is_normalized("NFC", code):
        return None
    for place, char in enumerate(code, 1):
        if unicodedata.combining(char) or unicodedata.normalize("NFC", char) != char:
            return f"viết dấu ở dạng tổ hợp (mã U+{ord(char):04X} ở vị trí {place})"
    return "viết dấu ở dạng tổ hợp"


def _reason(text: str, field: str, refused: frozenset) -> str | None:
    if text != text.strip():
        return ENDS
    return limits.too_long(field, text) or unprintable_reason(text, refused)


def code_reason(code: str) -> str | None:
    """Why `code`, as stored, cannot be a unit's code (a phrase: the import puts it after
    "Dòng N, cột code"), or None; a blank code is the caller's (UNIT_CODE_REQUIRED)."""
    return (_reason(code, "unit_code", CODE_REFUSED) or form_reason(code)
            or drawn_reason(code))


def name_reason(name: str) -> str | None:
    """Why `name`, as stored, cannot be a unit's name (a phrase), or None. A bidi control (a
    right-to-left override) too, as the desk refuses it (core.validation.clean_printed): every
    list showing the unit would show its letters turned around, another name seen."""
    return _reason(name, "unit_name", NAME_REFUSED) or bidi_reason(name)


def check_unit_text(code: str, name: str, new_code: bool = True) -> None:
    """FieldError naming the field ("Mã đơn vị chứa ký tự điều khiển … ở vị trí 3.") when the
    stored `code` or `name` breaks the rule; blank ones in the desk's words. A code stored
    already (`new_code` False: an older version's, which `check` names) is the unit's key and
    kept: its name, dates and links may still be corrected, its successor named."""
    if not code:
        raise FieldError("code", UNIT_CODE_REQUIRED)
    if new_code and (reason := code_reason(code)):
        raise FieldError("code", f"{CODE_WORDS} {reason}.")
    if not name:
        raise FieldError("name", UNIT_NAME_REQUIRED)
    if reason := name_reason(name):
        raise FieldError("name", f"{NAME_WORDS} {reason}.")


def shown(text: str, most: int = CODE_MAX) -> str:
    """A code or a name for a message: each refused character as U+FFFD (never printed as it
    is), cut at `most` characters."""
    cut = text if len(text) <= most else text[:most - 1]  # (a package's line: up to 16 MB)
    cut = "".join("\ufffd" if unprintable_reason(c) else c for c in cut)
    return cut if len(text) <= most else cut + "…"


def stored_faults(db, most: int = 5) -> tuple[int, list[str]]:
    """The units stored against the rule (an older version wrote them): how many, and the
    first `most` said ("mã 'X�Y': Mã đơn vị chứa ký tự …"), one read of the catalogue."""
    said: list[str] = []
    count = 0
    for code, name in db.execute("SELECT code, name FROM units ORDER BY code"):
        try:
            check_unit_text(code or "", name or "")
        except FieldError as exc:
            count += 1
            if len(said) < most:
                said.append(f"mã {shown(code or '')!r}: {exc.message.rstrip('.')}")
    return count, said
