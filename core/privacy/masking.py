"""The one rule hiding citizens' phones, ID numbers, addresses and names (Law 91/2025/QH15
Art. 3: only what the purpose needs).

Exports, the register and report lists show `0382****28`, `0010******45` and `***, phường Hà
Đông, Hà Nội`; a user holding
`personal.full` may ask for the whole values by stating a purpose (`full_data`), which the
access log records. The receipt given to the citizen keeps them whole: it is the citizen's own.
A masked value always holds MASK_CHAR (an address opens or ends with it), so an import recognises it
(`is_masked`) and never writes it over the real value. No mask shows the characters nobody
sees (core.textnorm.shown_text; a name's and an address's read them as breaks first): a value
stored before the entries refused them, or received in another installation's package, never
shows a report reader letters turned around by a bidi control, nor hides a phone behind a
zero-width space.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core import accounts, limits
from core.errors import FieldError, InputError
from core.privacy import addresses, spacing
from core.textnorm import (
    BIDI_CONTROLS,
    CONTROLS,
    FORMAT_REMOVED,
    clean_text,
    has_hidden,
    hidden_reason,
    nfc,
    shown_text,
    zwsp_spaced,
)

MASK_CHAR = "*"
# What an export of dossiers masks, as its messages name it (the lists' exports mask a phone alone)
MASKED_VI = "số điện thoại, số định danh, thư điện tử và địa chỉ"
PHONE_VI = "số điện thoại"
MASKED_ADDRESS = addresses.MASKED  # how every masked address opens (mask_address)
PURPOSE_MAX = 300


def _digits(value: str | None) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())


def mask_number(value: str | None) -> str:
    """'0382123428' -> '0382****28': the first four and the last two digits, enough for a clerk
    to recognise a number, not to call it or to use it as an identity."""
    digits = _digits(value)
    if not digits:
        return ""
    if len(digits) <= 6:
        return digits[:2] + MASK_CHAR * (len(digits) - 2)
    return digits[:4] + MASK_CHAR * (len(digits) - 6) + digits[-2:]


def mask_phone(phone: str | None) -> str:
    return mask_number(phone)


def mask_id_no(value: str | None) -> str:
    """An ID number as the document writes it, its digits hidden: a CCCD, a CMND or a tax code
    by the phone's rule ('001203012345' -> '0012******45', a branch's '0101234567-001' ->
    '0101******-*01'), a passport's letters kept and its digits but the last two hidden
    ('C1234567' -> 'C*****67': its digits have no province or year to know it by). Masked to
    its digits alone, a passport lost its letter and read as a CMND ('1234*67')."""
    text = shown_text(value or "").strip()
    digits = _digits(text)
    if not digits:
        return ""
    masked = iter(_passport_digits(digits) if any(ch.isalpha() for ch in text)
                  else mask_number(digits))
    return "".join(next(masked) if ch.isdigit() else ch for ch in text)


def _passport_digits(digits: str) -> str:
    return MASK_CHAR * (len(digits) - 2) + digits[-2:] if len(digits) > 2 \
        else MASK_CHAR * len(digits)


def mask_name(name: str | None) -> str:
    """'Nguyễn Văn An' -> 'Nguyễn *** An': enough for the citizen to recognise, not to identify.
    A phone or an ID number typed after the name ('Nguyễn Văn An 0912345678', '… ĐT: 0912…',
    a provincial file's 'ChuHoSo') is no part of it: the name ends before it (its last word
    showed the whole phone, 'Nguyễn *** 0912345678')."""
    words = _name_words(_words(name or ""))
    if not words:
        return MASK_CHAR * 3 if name and name.strip() else ""
    if len(words) == 1:
        return words[0][:1] + MASK_CHAR * 3
    return f"{words[0]} {MASK_CHAR * 3} {words[-1]}"


def _words(name: str) -> list[str]:
    """The words of a name as its mask reads them: a zero-width space a break or nothing by the
    rule of names (core.textnorm.zwsp_spaced), any other hidden character a break. Taken away
    first, the characters nobody sees glued the words around them: "Nguyễn Văn\u200bAn" and
    "Nguyễn Văn\u202eAn" showed 'Nguyễn *** VănAn', the middle name with the last."""
    if not has_hidden(name):
        return name.split()
    return [word for word in _BREAKS.split(zwsp_spaced(name)) if word]


# Words that open a number typed after a name: a phone's, an ID's or a tax code's
NUMBER_WORDS = frozenset(("đt", "sđt", "dt", "sdt", "đtdđ", "dđ", "tel", "phone", "mobile",
                          "cccd", "cmnd", "cmt", "mst", "sđd", "hc"))
_FIRST_DIGIT = re.compile(r"\d")
_NOT_LETTER = re.compile(r"[\W_]+")


def _name_words(words: list[str]) -> list[str]:
    """The words of a name up to a number typed after it: a word holding a digit (its letters
    before the digit kept: 'An0912345678' -> 'An') or a number's word ('ĐT', 'SĐT:', 'CCCD')."""
    name: list[str] = []
    for n, word in enumerate(words):
        digit = _FIRST_DIGIT.search(word)
        if digit is None and _NOT_LETTER.sub("", word).lower() not in NUMBER_WORDS:
            name.append(word)
            continue
        letters = word[:digit.start()] if digit else ""
        if _NOT_LETTER.sub("", letters).lower() not in NUMBER_WORDS:
            name.append(letters)
        return _ended(name) if n or letters else name
    return name


def _ended(name: list[str]) -> list[str]:
    """A name cut before a number without the marks left at its end ('An,', 'An -', 'An (')."""
    name = [word for word in name if word]
    while name and not _NOT_LETTER.sub("", name[-1]):
        name.pop()
    if name:
        name[-1] = name[-1].rstrip(":-–.,;/+(")
    return name


_BREAKS = re.compile(f"(?:\\s|[{BIDI_CONTROLS}{FORMAT_REMOVED}{CONTROLS}])+")


def mask_email(value: str | None) -> str:
    """'an.nguyen@gmail.com' -> 'a***@gmail.com': the provider stays, the person does not."""
    local, at, domain = shown_text(value or "").strip().partition("@")
    if not local:
        return ""
    return local[0] + MASK_CHAR * 3 + (at + domain if at else "")


def _spaced(value: str | None) -> str:
    """The address with its spaces made one, one after each comma or semicolon, and a hyphen or
    a slash between words spaced as a separator ('Số 5-ngõ 3' -> 'Số 5 - ngõ 3', 'xã An
    Sơn/thôn Bãi' -> 'xã An Sơn / thôn Bãi'; NFC)."""
    # an underscore is a space mistyped ('phường Láng_ngõ Chùa'), never part of an address
    text = " ".join(nfc(value or "").replace("_", " ").split())
    for sep in ",;":  # str methods: a regular expression's substitution took 4 times as long
        if sep in text:
            parts = [part.strip() for part in text.split(sep)]  # each stripped once
            text = f"{sep} ".join(part for part in parts if part)
    if "-" in text or "–" in text:
        text = spacing.spaced_hyphens(text)
    if "/" in text:
        text = spacing.spaced_slashes(text)
    if "." in text:
        text = spacing.spaced_points(text)
    return text.strip(",;-–/ ")


def mask_address(value: str | None) -> str:
    """An address with its house, street, lane, hamlet and flat hidden and its administrative
    units kept, which a report's reader needs (where the citizen lives, not at which door):
    'Số 12 ngõ 5 phố Lê Lợi, phường Hà Đông, Hà Nội' -> '***, phường Hà Đông, Hà Nội';
    'xã Đồng Giáp, thôn Bãi, số 5' -> '***, xã Đồng Giáp' (written the other way round);
    'Thôn Bản Chu, An Sơn' -> '***' (no unit named: nothing tells a hamlet from a commune).
    Which pieces stay: core.privacy.addresses. It always opens with '***', even an address that
    is its unit alone ('Xã An Sơn' -> '***, Xã An Sơn'), or, written from the province down,
    ends with it ('Tỉnh Lạng Sơn, xã Tri Lễ, thôn Nà Pe' -> 'Tỉnh Lạng Sơn, xã Tri Lễ, ***'), so
    a masked address is known as one (`is_masked`). A phone or an ID number left in a kept
    piece is masked by mask_number.
    Masked as stored, then cleaned (core.textnorm.shown_text: no bidi, format or control
    character in the result): a character nobody sees marks a break (core.privacy.marks), so
    'xã Tri Lễ\u200bthôn Pá Lòng' hides its hamlet; taken away first, it glued the hamlet to
    the commune's name ('***, xã Tri Lễthôn Pá Lòng')."""
    return shown_text(_masked_address(value or ""))


@lru_cache(maxsize=4096)  # a commune's export repeats its hamlets' addresses
def _masked_address(value: str) -> str:
    text = _spaced(value)
    if not text:
        return ""
    return _LONG_NUMBER.sub(lambda found: mask_number(found.group()), addresses.shown(text))


# A run of digits long enough to be a phone or an ID number (7 or more, a space or a point
# between them allowed: '0912 345 678', '0912.345.678') typed into an address's kept tail
# ('…, Hà Nội, ĐT 0912345678'): masked by the numbers' rule (mask_number); a ward's or a house's
# number is shorter and stays.
_LONG_NUMBER = re.compile(r"(?<![\d.])\d(?:[ .]?\d){6,}(?![\d])")


# Every personal field of a dossier (Law 91/2025/QH15) and how a report's reader sees it: the
# one list of what is a citizen's data (the data-subject request corrects these, a report masks
# them by field whatever the column is called in another system's file).
MASK_BY_FIELD = {"applicant_name": mask_name, "applicant_phone": mask_phone,
                 "applicant_address": mask_address, "applicant_id_no": mask_id_no,
                 "applicant_email": mask_email, "representative": mask_name}
PERSONAL_FIELDS = tuple(MASK_BY_FIELD)


# Free text outside the personal fields that a citizen or a clerk types as they like — a
# complaint's content and its resolution, a vote's comment, the reason an entry was cancelled —
# and so may hold a phone, an ID number or a name ("gọi lại cho tôi 0912345678"). Where the
# reader is not the signed-in clerk (a command's stderr, kept in logs) only its length shows:
# no part of free text can be told safe (an import error printed its first 80 characters).
FREE_TEXT_FIELDS = ("content", "resolution", "comment", "cancel_reason")


def mask_free_text(text: str | None) -> str:
    """'*** (245 ký tự)': free text (FREE_TEXT_FIELDS) where its reader is not the clerk."""
    if not text:
        return ""
    return f"{MASK_CHAR * 3} ({len(text):,} ký tự)".replace(",", ".")


def mask_field(field_name: str, value: str | None) -> str | None:
    """`value` of MotCua's field `field_name` as a report shows it: masked by the field's rule
    when personal (MASK_BY_FIELD) or free text (FREE_TEXT_FIELDS), else unchanged."""
    mask = MASK_BY_FIELD.get(field_name) or (mask_free_text if field_name in FREE_TEXT_FIELDS
                                             else None)
    return value if mask is None or value is None else mask(value)


def is_masked(value, field_name: str | None = None) -> bool:
    """Whether a cell holds a masked value: nothing real holds '*' in a phone or an ID number
    (digits); an address, typed freely, is masked only when it opens or ends with '***'."""
    if not isinstance(value, str):
        return False
    if field_name == "applicant_address":
        value = value.strip()
        return value.startswith(MASKED_ADDRESS) or value.endswith(MASKED_ADDRESS)
    return MASK_CHAR in value


@dataclass(frozen=True)
class FullData:
    """Permission to see whole phones and ID numbers, for a stated purpose (logged)."""
    purpose: str
    login: str


def full_data(purpose: str | None) -> FullData:
    """The pass for full data: the current user must hold `personal.full` and say why."""
    who = accounts.require("personal.full")
    # judged as typed by the rule of every free text (core.textnorm.hidden_reason): a bidi
    # control turned the purpose around in the access log a leader reads, and a control
    # character (\x1c–\x1f, NEL) was made a space by split() and taken silently
    if reason := hidden_reason(purpose):
        raise FieldError("purpose", f"Mục đích {reason}.")
    # kept as counted (core.limits.text_length): cleaned as stored texts are, NFC, no invisible
    # character; stored as typed, a purpose of Unikey's combining marks held more than the limit
    text = " ".join(clean_text(purpose or "").split())
    if not text:
        raise FieldError("purpose", "Cần ghi rõ mục đích sử dụng dữ liệu cá nhân đầy đủ.")
    if limits.text_length(text) > PURPOSE_MAX:
        raise FieldError("purpose", f"Mục đích dài quá {PURPOSE_MAX} ký tự.")
    return FullData(text, who.login)


def full_pass(args) -> FullData | None:
    """The command line's `--full-data --purpose TEXT`: None without --full-data."""
    if not getattr(args, "full_data", False):
        return None
    if not (getattr(args, "purpose", None) or "").strip():
        raise InputError('--full-data cần --purpose "mục đích" (Luật 91/2025/QH15: dữ liệu '
                         "cá nhân chỉ dùng đúng mục đích, và mục đích được ghi vào nhật ký).")
    return full_data(args.purpose)


def phone(value: str | None, full: FullData | None = None) -> str | None:
    """A phone as an export shows it: whole with a pass, else masked."""
    if full is not None or not value:
        return value
    return mask_phone(value)


def id_no(value: str | None, full: FullData | None = None) -> str | None:
    if full is not None or not value:
        return value
    return mask_id_no(value)


def email(value: str | None, full: FullData | None = None) -> str | None:
    if full is not None or not value:
        return value
    return mask_email(value)


# The personal fields an export of dossiers masks unless full data is asked for (its csv/xlsx,
# the national profile; an import refuses them masked elsewhere: core.transfer.dossiers
# .MASKED_COLUMNS), as MASKED_VI names them; the name stays (the file is for that dossier).
EXPORT_MASKED = ("applicant_phone", "applicant_address", "applicant_id_no", "applicant_email")


def exported(field_name: str, value: str | None, full: FullData | None = None) -> str | None:
    """A dossier's field as an export of dossiers writes it: whole with a pass or when it is
    not one of EXPORT_MASKED, else masked by its field's rule (MASK_BY_FIELD)."""
    if full is not None or not value or field_name not in EXPORT_MASKED:
        return value
    return mask_field(field_name, value)


def address(value: str | None, full: FullData | None = None) -> str | None:
    """An address as an export shows it: whole with a pass, else its administrative tail."""
    if full is not None or not value:
        return value
    return mask_address(value)
