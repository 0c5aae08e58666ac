"""The one rule hiding citizens' phones, ID numbers, addresses and names (Law 91/2025/QH15
Art. 3: only what the purpose needs).

Exports, the register and report lists show `0382****28`, `0010******45` and `***, phường Hà
Đông, Hà Nội`; a user holding
`personal.full` may ask for the whole values by stating a purpose (`full_data`), which the
access log records. The receipt given to the citizen keeps them whole: it is the citizen's own.
A masked value always holds MASK_CHAR (an address opens with it), so an import recognises it
(`is_masked`) and never writes it over the real value.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from core import accounts
from core.errors import FieldError, InputError

MASK_CHAR = "*"
# What an export of dossiers masks, as its messages name it (the lists' exports mask a phone alone)
MASKED_VI = "số điện thoại, số định danh, thư điện tử và địa chỉ"
PHONE_VI = "số điện thoại"
MASKED_ADDRESS = MASK_CHAR * 3  # how every masked address opens (mask_address)
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
    text = (value or "").strip()
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
    """'Nguyễn Văn An' -> 'Nguyễn *** An': enough for the citizen to recognise, not to identify."""
    words = (name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0][:1] + MASK_CHAR * 3
    return f"{words[0]} {MASK_CHAR * 3} {words[-1]}"


def mask_email(value: str | None) -> str:
    """'an.nguyen@gmail.com' -> 'a***@gmail.com': the provider stays, the person does not."""
    local, at, domain = (value or "").strip().partition("@")
    if not local:
        return ""
    return local[0] + MASK_CHAR * 3 + (at + domain if at else "")


# The words that open an administrative unit's name in an address: commune, ward, special zone
# and province since 01/07/2025, district and town in the addresses written before (and their
# abbreviations: 'P.5, Q.3, TP.HCM'). Lower case; several words where the name needs them.
UNIT_WORDS = ("thị trấn", "thị xã", "thành phố", "đặc khu", "phường", "xã", "quận", "huyện",
              "tỉnh")
UNIT_SHORT = ("tp", "tx", "tt", "p", "q")  # with a point ('P.', 'TP.'), and the first three without
# Words before which a unit's word is a street's name ('đường Xã Đàn', 'phố Huyện'), and the word
# after which it is a road ('Tỉnh lộ 10', 'Huyện lộ 5'): no administrative tail starts there.
STREET_WORDS = ("đường", "phố", "ngõ", "ngách", "hẻm", "kiệt", "lộ")
ROAD_WORD = "lộ"
_PARTS = re.compile(r"[,;] | [-–] ")  # between the parts of an address, once spaced (_spaced)
# A unit's name starting at a word: a unit's word and a name after it (not a road's 'lộ'), or an
# abbreviation with its point ('P.5', 'Q. 3', 'TP.HCM') or a bare 'TP', 'TX', 'TT' and a name.
_UNIT = re.compile(
    rf"(?<!\S)(?:(?P<word>{'|'.join(UNIT_WORDS)})(?= (?!{ROAD_WORD}(?:\s|$))\S)"
    rf"|(?:{'|'.join(UNIT_SHORT)})\.(?:\S| \S)|(?:{'|'.join(UNIT_SHORT[:3])})(?= \S))",
    re.IGNORECASE)


def _spaced(value: str | None) -> str:
    """The address with its spaces made one, and one after each comma or semicolon (NFC)."""
    text = " ".join(unicodedata.normalize("NFC", value or "").split())
    for sep in ",;":  # str methods: a regular expression's substitution took 4 times as long
        if sep in text:
            text = f"{sep} ".join(part.strip() for part in text.split(sep) if part.strip())
    return text.strip(",; ")


def _unit_start(text: str) -> int | None:
    """Where the first administrative unit's name starts in `text`, or None."""
    for found in _UNIT.finditer(text):
        start = found.start()
        if start == 0 and not found.group("word"):
            continue  # an address opening 'P.301' names a room: only a unit's word spelt whole
        if start and text[:start].split()[-1].lower() in STREET_WORDS:
            continue
        return start
    return None


def mask_address(value: str | None) -> str:
    """An address with its house, street, lane and hamlet hidden and its administrative tail
    kept, which a report's reader needs (where the citizen lives, not at which door):
    'Số 12 ngõ 5 phố Lê Lợi, phường Hà Đông, Hà Nội' -> '***, phường Hà Đông, Hà Nội';
    'Thôn Pá Lòng xã An Sơn huyện Văn Quan' -> '*** xã An Sơn huyện Văn Quan'. The tail starts at
    the first unit's word (UNIT_WORDS); an address with none keeps the parts after the first
    (commas, ';' or ' - ') that hold no digit and open with no hamlet's or street's word
    ('Thôn Pá Lòng, An Sơn, Lạng Sơn' -> '***, An Sơn, Lạng Sơn'); an address of one part is
    '***'. It always opens with '***', even an address that is its unit alone ('Xã An Sơn' ->
    '***, Xã An Sơn'), so a masked address is known as one (`is_masked`). A phone or an ID
    number typed into the kept tail is masked by mask_number ('…, ĐT 0912****78')."""
    return _masked_address(value or "")


@lru_cache(maxsize=4096)  # a commune's export repeats its hamlets' addresses (~10 µs each)
def _masked_address(value: str) -> str:
    text = _spaced(value)
    if not text:
        return ""
    start = _unit_start(text)
    if start is None:
        shown = _mask_parts(text)
    else:
        shown = _hidden_before(text[:start].rstrip(), text[start:])
    return _LONG_NUMBER.sub(lambda found: mask_number(found.group()), shown)


# A run of digits long enough to be a phone or an ID number (7 or more, a space or a point
# between them allowed: '0912 345 678', '0912.345.678') typed into an address's kept tail
# ('…, Hà Nội, ĐT 0912345678'): masked by the numbers' rule (mask_number); a ward's or a house's
# number is shorter and stays.
_LONG_NUMBER = re.compile(r"(?<![\d.])\d(?:[ .]?\d){6,}(?![\d])")


def _hidden_before(before: str, tail: str) -> str:
    """'***' for `before`, then the separator it ended with, then `tail`."""
    if not before:
        return f"{MASKED_ADDRESS}, {tail}"
    if before[-1] in ",;":
        return f"{MASKED_ADDRESS}{before[-1]} {tail}"
    if before.endswith((" -", " –")):
        return f"{MASKED_ADDRESS} {before[-1]} {tail}"
    return f"{MASKED_ADDRESS} {tail}"


# Words opening the part of an address below the commune (a house, a lane, a hamlet, a flat).
BELOW_UNIT = ("số", "nhà", "ngõ", "ngách", "hẻm", "kiệt", "đường", "phố", "thôn", "xóm", "tổ",
              "ấp", "bản", "khu", "khối", "khóm", "buôn", "làng", "sóc", "plei", "phòng", "tầng",
              "lô", "căn", "tòa", "toà", "chung", "km", "cụm")


def _mask_parts(text: str) -> str:
    """An address naming no unit: the leading parts hidden while they hold a digit or open with
    a word of BELOW_UNIT (at least the first), the rest kept as written."""
    parts, seps = _PARTS.split(text), _PARTS.findall(text)
    hidden = 1
    while hidden < len(parts) and (any(ch.isdigit() for ch in parts[hidden])
                                   or parts[hidden].split(" ")[0].lower() in BELOW_UNIT):
        hidden += 1
    if hidden == len(parts):
        return MASKED_ADDRESS
    return MASKED_ADDRESS + "".join(sep + part for sep, part in zip(seps[hidden - 1:],
                                                                   parts[hidden:], strict=True))


# Every personal field of a dossier (Law 91/2025/QH15) and how a report's reader sees it: the
# one list of what is a citizen's data (the data-subject request corrects these, a report masks
# them by field whatever the column is called in another system's file).
MASK_BY_FIELD = {"applicant_name": mask_name, "applicant_phone": mask_phone,
                 "applicant_address": mask_address, "applicant_id_no": mask_id_no,
                 "applicant_email": mask_email, "representative": mask_name}
PERSONAL_FIELDS = tuple(MASK_BY_FIELD)


def mask_field(field_name: str, value: str | None) -> str | None:
    """`value` of MotCua's field `field_name` as a report shows it: masked by the field's rule
    when personal (MASK_BY_FIELD), else unchanged."""
    mask = MASK_BY_FIELD.get(field_name)
    return value if mask is None or value is None else mask(value)


def is_masked(value, field_name: str | None = None) -> bool:
    """Whether a cell holds a masked value: nothing real holds '*' in a phone or an ID number
    (digits); an address, typed freely, is masked only when it opens with '***'."""
    if not isinstance(value, str):
        return False
    if field_name == "applicant_address":
        return value.lstrip().startswith(MASKED_ADDRESS)
    return MASK_CHAR in value


@dataclass(frozen=True)
class FullData:
    """Permission to see whole phones and ID numbers, for a stated purpose (logged)."""
    purpose: str
    login: str


def full_data(purpose: str | None) -> FullData:
    """The pass for full data: the current user must hold `personal.full` and say why."""
    who = accounts.require("personal.full")
    text = " ".join((purpose or "").split())
    if not text:
        raise FieldError("purpose", "Cần ghi rõ mục đích sử dụng dữ liệu cá nhân đầy đủ.")
    if len(text) > PURPOSE_MAX:
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
