"""Whose header and signer a document prints: the office's, or the unit's it reports on.

A commune reports directly since 1/7/2025 (Law 72/2025; Decree 118/2025): the monthly report,
Biểu 06 in Excel and the register of one commune are the commune's documents, issued under its
header ("ỦY BAN NHÂN DÂN XÃ YÊN PHÚC"), dated at its place and signed by its leader — not under
the office's header, as if the office issued them. `header_for(db, unit)` is the one rule every
document of a scope asks (core.pdf.monthly_data, core.pdf.book, core.workbook.bieu06, the
window's preview and the CLI's message):

1. no unit (the whole database): the office's header (Cài đặt › Tiêu đề văn bản);
2. the unit has a header of its own (Danh mục › Đơn vị › Tiêu đề báo cáo của đơn vị), or for
   a reception point or a branch the unit it belongs to: that one — a reception point prints
   its commune's; a commune never prints its province's;
3. the unit is the office's own unit (the first start's answer, core.office_setup.home_unit),
   belongs to it (its reception point, its branch) or lies above it (a province's report of
   everything): the office's header;
4. otherwise a header made from the catalogue's name of the issuing unit (the unit, or for a
   reception point or a branch the unit it belongs to): "UBND xã Yên Phúc" prints "ỦY BAN NHÂN DÂN
   XÃ YÊN PHÚC", place "Yên Phúc", "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH" with the signer's name
   left blank to be written by hand. No name is invented: what is not in the catalogue stays
   empty, and `UnitHeader.note` says what was used.

Stored in the settings table (key "unit_report_headers": {unit code: header}); schema unchanged.
A unit's code never changes (core.catalogue.save_unit saves by code), so the key stays valid.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from core import limits
from core.errors import FieldError
from db import settings
from db.connection import transaction

KEY = "unit_report_headers"
# What a header holds besides the recipients: the office's fields (db.settings.DEFAULTS).
FIELDS = ("parent_agency", "agency", "office", "place", "doc_symbol", "signer_authority",
          "signer_title", "signer_name")
# Units that issue documents of their own; a branch or a reception point prints the header of
# the unit it belongs to.
ISSUERS = ("commune", "district", "province", "centre", "department")
_UBND = re.compile(r"^(ubnd|ủy ban nhân dân|uỷ ban nhân dân)\s+", re.IGNORECASE)
_LOCAL = re.compile(r"^(xã|phường|thị trấn|đặc khu)\s+(.+)$", re.IGNORECASE)
# Who signs for a body that is no people's committee, by the kind its name begins with: its head
# (Decree 30/2020 Art. 13.1 and Phụ lục I ô 7: the head signs with the head's title, «TRƯỞNG
# PHÒNG» for a «Phòng …» of a district; «GIÁM ĐỐC» a «Sở …» or a «Trung tâm …»). Longest kind
# first («Văn phòng …» is no «Phòng …»). A name of another kind has no title made for it, nor
# has a kind whose head is titled otherwise (review39a: the land registration office's head is
# its «GIÁM ĐỐC», a notary office's its «TRƯỞNG VĂN PHÒNG», a «Phòng khám» no department).
HEAD_TITLES = (("văn phòng đăng ký", "GIÁM ĐỐC"), ("văn phòng công chứng", ""),
               ("phòng khám", ""), ("văn phòng", "CHÁNH VĂN PHÒNG"), ("thanh tra", "CHÁNH THANH TRA"),
               ("phòng", "TRƯỞNG PHÒNG"), ("sở", "GIÁM ĐỐC"), ("trung tâm", "GIÁM ĐỐC"))

# The fields as Cài đặt and Danh mục › Đơn vị name them (one table for both screens).
LABELS_VI = {"parent_agency": "Cơ quan chủ quản", "agency": "Cơ quan ban hành",
             "office": "Bộ phận", "place": "Địa danh", "doc_symbol": "Ký hiệu văn bản",
             "signer_authority": "Thẩm quyền ký", "signer_title": "Chức vụ người ký",
             "signer_name": "Họ tên người ký"}

OFFICE, OWN, ABOVE, MADE = "office", "own", "above", "made"

# Nơi nhận (Decree 30/2020, Art. 8 and Phụ lục I ô 9b) is part of every document a leader signs:
# at least the copy kept by the clerical office, last. A header whose recipients were left empty
# (Cài đặt, Danh mục › Đơn vị, a header made from a unit's name) prints this line alone.
FILED = "Lưu: VT"
# What the recipients' box says while empty (Cài đặt, Danh mục › Đơn vị): the documents still
# print FILED, so nobody types it in for fear of a report without Nơi nhận.
RECIPIENTS_HINT = f"Mỗi dòng một nơi; dòng cuối «- {FILED}.» luôn được in."


@dataclass(frozen=True)
class UnitHeader:
    header: dict           # as documents print it (core.limits.clip_header applied)
    source: str            # OFFICE | OWN | ABOVE | MADE
    unit: str | None       # the unit reported on (None: all)
    owner: str | None      # the unit whose header it is (ABOVE, MADE), None for the office's
    owner_name: str = ""

    @property
    def note(self) -> str:
        """What the document is issued under, in a sentence for the screen and the CLI."""
        issuer = self.header.get("agency") or self.header.get("parent_agency")
        if not issuer and self.source != MADE:
            return self._unset_note()
        if self.source == OFFICE:
            return f"Tiêu đề và người ký: của cơ quan ({issuer}), theo Cài đặt › Tiêu đề văn bản."
        if self.source == OWN:
            return f"Tiêu đề và người ký: của đơn vị ({issuer}), theo Danh mục › Đơn vị."
        if self.source == ABOVE:
            return (f"Tiêu đề và người ký: của {self.owner_name} ({issuer}), đơn vị cấp trên "
                    "của đơn vị này, theo Danh mục › Đơn vị.")
        # made from the catalogue (the unit's name is always there), under its parent's
        issuer = " / ".join(line for line in (self.header.get("parent_agency"),
                                              self.header.get("agency")) if line) or "—"
        missing = [label for key, label in (("place", "địa danh"),
                                            ("signer_name", "họ tên người ký"))
                   if not self.header.get(key)]
        blank = f"; để trống {', '.join(missing)}" if missing else ""
        return (f"{self.owner_name} chưa có tiêu đề báo cáo riêng: dùng tiêu đề lập theo tên "
                f"đơn vị trong danh mục ({issuer}){blank}. Nhập tiêu đề và người ký ở "
                "Danh mục › Đơn vị › Tiêu đề báo cáo của đơn vị.")

    def _unset_note(self) -> str:
        """A header whose issuing agency is empty (a new office's Cài đặt, a unit's header
        saved without it): said plainly, with where to fill it in — never "của cơ quan (—)"."""
        if self.source == OFFICE:
            whose, where = "của cơ quan", "Cài đặt › Tiêu đề văn bản"
        else:
            whose = "của đơn vị" if self.source == OWN else f"của {self.owner_name}"
            where = "Danh mục › Đơn vị › Tiêu đề báo cáo của đơn vị"
        return (f"Tiêu đề và người ký {whose}: chưa đặt — báo cáo in trống tên cơ quan ban hành"
                f" và người ký. Vào {where} để nhập.")


def stored(db) -> dict[str, dict]:
    value = settings.get(db, KEY)
    return value if isinstance(value, dict) else {}


def own_header(db, code: str) -> dict | None:
    """The header saved for `code` itself, or None."""
    value = stored(db).get(code)
    return value if isinstance(value, dict) else None


def _chain(db, code: str) -> list[tuple[str, str, str | None]]:
    """(code, name, level) of `code` and the units above it, nearest first, to the top: the
    units above read one by one (a chain is 3–5 units; a recursive query stopped at 50 levels,
    and a deeper office below a province was then not seen below it; reading the whole
    catalogue took 4–37 ms a document). A loop of parents (refused at the desk and in the
    units file) ends the walk where it comes back."""
    chain: list[tuple[str, str, str | None]] = []
    seen: set[str] = set()
    current: str | None = code
    while current is not None and current not in seen:
        row = db.execute("SELECT name, level, parent_code FROM units WHERE code = ?",
                         [current]).fetchone()
        if row is None:
            break
        seen.add(current)
        chain.append((current, row[0], row[1]))
        current = row[2]
    return chain


def _office_below(db, code: str, home: str) -> bool:
    """The office's unit lies below `code` (a report of a province the office belongs to)."""
    return any(c == code for c, _n, _l in _chain(db, home))


def made_header(name: str) -> dict:
    """The header a unit's catalogue name gives, nothing added but the usual titles of a UBND
    (Decree 30/2020, Phụ lục I): "UBND xã Yên Phúc" -> agency "ỦY BAN NHÂN DÂN XÃ YÊN PHÚC",
    place "Yên Phúc", "TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH"; another name is printed as it is,
    with no place, signed by its head's title when its kind has one ("Phòng Tư pháp" ->
    "TRƯỞNG PHÒNG", head_title)."""
    header = dict(settings.DEFAULTS["report_header"], parent_agency="", signer_name="",
                  recipients=[])  # recipient_lines prints FILED
    name = " ".join(name.split())
    rest = _UBND.sub("", name, count=1)
    if rest != name:  # a people's committee
        local = _LOCAL.match(rest)
        header.update(agency=f"ỦY BAN NHÂN DÂN {rest}".upper(),
                      place=local.group(2) if local else "",
                      signer_authority="TM. ỦY BAN NHÂN DÂN", signer_title="CHỦ TỊCH")
    else:
        header.update(agency=name.upper(), place="", signer_authority="",
                      signer_title=head_title(name), doc_symbol="BC")
    return header


def head_title(name: str) -> str:
    """The title of the head of the body `name` (HEAD_TITLES), "" for a kind it does not list."""
    first = name.lower().split()
    return next((title for kind, title in HEAD_TITLES
                 if first[:len(kind.split())] == kind.split()), "")


def header_for(db, unit: str | None) -> UnitHeader:
    """The header, place and signer of every document of `unit`'s scope (None: all units)."""
    return _header_for(db, unit, governed=True)


def _header_for(db, unit: str | None, governed: bool) -> UnitHeader:
    """header_for; `governed` False: a department's made header without the lines of the body
    above it (asked for that body's place: a loop of departments never recurses)."""
    office = limits.clip_header(settings.get(db, "report_header"))
    if not unit:
        return UnitHeader(office, OFFICE, None, None)
    from core.office_setup import home_unit
    home = home_unit(db)
    chain = _chain(db, unit)
    headers = stored(db)
    issuer = chain[0] if chain else None
    # up to the unit that issues `unit`'s documents: a reception point's or a branch's is the
    # unit it belongs to; a commune's is the commune itself, never the province above it
    for code, name, level in chain:
        if isinstance(headers.get(code), dict):
            full = dict(settings.DEFAULTS["report_header"], **headers[code])
            return UnitHeader(limits.clip_header(full), OWN if code == unit else ABOVE, unit,
                              code, name)
        if code == home:
            return UnitHeader(office, OFFICE, unit, None)
        if level in ISSUERS:
            issuer = (code, name, level)
            break
    if issuer is None or (home and _office_below(db, unit, home)):
        return UnitHeader(office, OFFICE, unit, None)
    code, name, level = issuer
    made = made_header(name)
    if governed and level == "department":
        made.update(_governing_lines(db, chain, code))
    return UnitHeader(limits.clip_header(made), MADE, unit, code, name)


def _governing_lines(db, chain: list[tuple[str, str, str | None]], code: str) -> dict:
    """A department with no header of its own is named under the body it belongs to, as Decree
    30/2020 Phụ lục I II.2 heads a body by its direct parent then itself («UBND HUYỆN VĂN QUAN /
    PHÒNG TƯ PHÁP»; the parent's name as the catalogue writes it, II.2 allowing «UBND»), and
    dated at the place that parent sits (II.4): every document of the department, its monthly
    report and the letters it writes as the resolving body (core.pdf.slips) alike. {} for a
    department at the top of the catalogue."""
    codes = [c for c, _n, _l in chain]
    above = chain[codes.index(code) + 1] if code in codes[:-1] else None
    if above is None:
        return {}
    return {"parent_agency": " ".join(above[1].split()).upper(),
            "place": _place_of(db, above[0])}


def _place_of(db, code: str) -> str:
    """Where the body `code` sits, for the date line of a department under it: its header's
    place, but none from the office's header when the office merely lies below it (a
    province's «Sở Tư pháp» is not dated at the district office's place — review38); the
    note of the header then says the place is empty."""
    parent = _header_for(db, code, governed=False)
    from core.office_setup import home_unit
    home = home_unit(db)
    if parent.source == OFFICE and home and code != home and _office_below(db, code, home):
        return ""
    return parent.header.get("place", "")


def _bare(line: str) -> str:
    """A recipient as typed without its leading '-' and trailing ';'/'.'."""
    line = line.strip().rstrip(";.").strip()
    return line[1:].strip() if line.startswith("-") else line


def is_filed(line: str) -> bool:
    """Whether a recipient line is the copy kept on file ('Lưu: …'), printed last."""
    return _bare(line).lower().startswith("lưu")


def recipient_lines(recipients: list[str] | None) -> list[str]:
    """The 'Nơi nhận' lines a document prints: '- X;' each as typed (a leading '-' or a
    trailing ';'/'.' typed is not doubled), the last '- Lưu: VT.' (FILED, added when missing and
    kept last whatever order was typed). Never empty: no recipients typed prints FILED alone."""
    items = [_bare(r) for r in recipients or [] if r and r.strip()]
    filed = [r for r in items if is_filed(r)] or [FILED]
    items = [r for r in items if not is_filed(r)] + filed
    return [f"- {r};" for r in items[:-1]] + [f"- {items[-1]}."]


def checked(fields: dict[str, str], recipients: list[str]) -> tuple[dict[str, str], list[str]]:
    """A header as typed, checked as the office's (Cài đặt) and a unit's (Danh mục) alike:
    each line within the header limit, at most RECIPIENTS_MAX printed lines (FILED among them:
    one fewer typed) of RECIPIENT_MAX characters (what a page's last lines hold). Printed at
    the top and the foot of every document: each line cleaned and refused, the character
    named, when the documents' font cannot draw it (core.validation.printed_line, the rule of
    a unit's name)."""
    from core.validation import printed_line
    for key, text in fields.items():  # a line too long: said under that line
        if reason := limits.too_long("header", text.strip()):
            raise FieldError(key, f"{LABELS_VI.get(key, key)} {reason}.")
    clean = {key: printed_line(key, LABELS_VI.get(key, key), text)
             for key, text in fields.items()}
    typed = [line for line in recipients if line.strip()]
    lines = [printed_line("recipients", f"Nơi nhận, dòng {number},", line)
             for number, line in enumerate(typed, start=1)]
    # the printed lines counted, the filed one (added when not typed) among them
    if len(recipient_lines(lines)) > limits.RECIPIENTS_MAX or \
            any(limits.text_length(line) > limits.RECIPIENT_MAX for line in lines):
        raise FieldError("recipients", f"Nơi nhận: tối đa {limits.RECIPIENTS_MAX - 1} dòng "
                                       f"(dòng «- {FILED}.» được in thêm), mỗi dòng tối đa "
                                       f"{limits.RECIPIENT_MAX} ký tự (như khi in).")
    return clean, lines


def save_unit_header(db, code: str, fields: dict[str, str], recipients: list[str]) -> None:
    """Save the header of the unit `code` (the office's rules); all fields empty removes it, and
    the unit's documents go back to the rule of `header_for`."""
    from core.accounts import require
    require("settings.edit")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown header fields: {sorted(unknown)}")
    if not db.execute("SELECT 1 FROM units WHERE code = ?", [code]).fetchone():
        raise FieldError("code", "Hãy chọn một đơn vị đã lưu trong danh mục.")
    clean, lines = checked(fields, recipients)
    empty = not any(clean.values()) and not lines
    if not empty and not clean.get("agency"):
        raise FieldError("agency", "Cần nhập tên cơ quan ban hành (dòng in đậm của tiêu đề).")
    with transaction(db):
        headers = stored(db)
        if empty:
            headers.pop(code, None)
        else:
            headers[code] = {**clean, "recipients": lines}
        settings.put(db, KEY, headers)
