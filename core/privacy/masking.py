"""The one rule hiding citizens' phones, ID numbers and names (Law 91/2025/QH15 Art. 3: only
what the purpose needs).

Exports, the register and report lists show `0382****28` and `0010******45`; a user holding
`personal.full` may ask for the whole values by stating a purpose (`full_data`), which the
access log records. The receipt given to the citizen keeps them whole: it is the citizen's own.
A masked value always holds MASK_CHAR, so an import recognises it (`is_masked`) and never
writes it over the real value.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import accounts
from core.errors import FieldError, InputError

MASK_CHAR = "*"
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


def mask_address(value: str | None) -> str:
    """'Thôn Pá Lòng, huyện Văn Quan, tỉnh Lạng Sơn' -> '***, huyện Văn Quan, tỉnh Lạng Sơn': the
    district and province stay (where the dossier came from), the house and hamlet do not."""
    parts = [p.strip() for p in (value or "").split(",") if p.strip()]
    if not parts:
        return ""
    return ", ".join([MASK_CHAR * 3] + parts[1:])


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


def is_masked(value) -> bool:
    """Whether a cell holds a masked value (nothing real holds '*': phones and IDs are digits)."""
    return isinstance(value, str) and MASK_CHAR in value


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
