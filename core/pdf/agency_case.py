"""How a sentence writes an agency's or a place's name typed in capitals: "Ủy ban nhân dân xã
Yên Phúc", its kind as Decree 30/2020 (Phụ lục II) writes it in running text, every other word
— the proper name of a body or a place — each syllable capitalised ("NÀ LẦU" → "Nà Lầu", the
lead's decision of round 39: it was "Nà lầu"). The slips' sentences, the breach notice and the
place of every "…, ngày …" line (core.pdf.vnformat.place_date) write names by this one rule;
the header's own upper-case lines stay upper case (core.pdf.agency_names).
"""
from __future__ import annotations

import re
import unicodedata

from core.privacy.places import COUNTRY, PROVINCES

# the kinds of place an agency's name ends with (Decree 30/2020: "ỦY BAN NHÂN DÂN / TỈNH LẠNG
# SƠN"): the place's kind and its name keep one line when it holds them
PLACE_KINDS = frozenset({"tỉnh", "thành phố", "huyện", "quận", "thị xã", "thị trấn", "xã",
                         "phường", "đặc khu"})
# the kinds of body whose name goes on with its function or field (Decree 30/2020, Phụ lục II:
# "Bộ Tài nguyên và Môi trường", "Sở Tài chính", "Văn phòng Đăng ký đất đai"): the field's
# first syllable capitalised, and each one after "và", a comma or a dash; the rest lower case
BODY_KINDS = frozenset({"phòng", "sở", "ban", "văn phòng", "thanh tra", "chi cục", "cục", "bộ",
                        "bộ phận", "trung tâm", "bảo hiểm xã hội", "công an"})
# how a sentence writes an agency's kind (Decree 30/2020, Phụ lục II: the first letter and the
# words of its function capitalised, "Trung tâm Phục vụ hành chính công"; Decree 61/2018's
# "Bộ phận Tiếp nhận và Trả kết quả"); a kind of place, a branch, "tại" stay lower case
SENTENCE_KINDS = {
    "ủy ban nhân dân": "Ủy ban nhân dân", "uỷ ban nhân dân": "Uỷ ban nhân dân",
    "hội đồng nhân dân": "Hội đồng nhân dân", "ubnd": "UBND", "hđnd": "HĐND",
    "trung tâm phục vụ hành chính công": "Trung tâm Phục vụ hành chính công",
    "trung tâm hành chính công": "Trung tâm Hành chính công",
    "bộ phận một cửa": "Bộ phận Một cửa",
    "bộ phận tiếp nhận và trả kết quả": "Bộ phận Tiếp nhận và Trả kết quả",
    "chi nhánh": "chi nhánh", "điểm tiếp nhận": "điểm tiếp nhận", "tp.": "TP.",
    "khu vực": "khu vực", "số": "số", "tại": "tại", "thuộc": "thuộc", "của": "của",
    **{kind: kind for kind in PLACE_KINDS}, **{kind: kind.capitalize() for kind in BODY_KINDS}}
_NAMED_PLACES = PROVINCES | COUNTRY  # a province's or the country's name ends a body's field
_KIND_WORDS = max(len(kind.split()) for kind in SENTENCE_KINDS)
_ROMAN = re.compile(r"(X{0,3})(IX|IV|V?I{0,3})")  # "chi nhánh khu vực II"


def sentence_name(line: str, bodies: bool = True) -> str:
    """An agency's or a place's name typed in capitals (a header's line) as a sentence writes
    it: its kinds as SENTENCE_KINDS writes them, every other word — a place's own name — each
    syllable capitalised ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU" → "Ủy ban nhân dân tỉnh Bà
    Rịa - Vũng Tàu", "NÀ LẦU" → "Nà Lầu"); a body's field after its kind as Decree 30 writes it
    ("PHÒNG TƯ PHÁP HUYỆN VĂN QUAN" → "Phòng Tư pháp huyện Văn Quan"); its first letter
    capitalised. `bodies` False: a place alone (the place line: "HỘI AN TÂY" is no «Hội»).
    A name typed in upper and lower case (the clerk wrote it so) is kept as typed; "" stays ""."""
    text = unicodedata.normalize("NFC", line or "").strip()
    if text.upper() != text and text.lower() != text:
        return text
    words, reading = text.lower().split(), _Reading(bodies)
    while words:
        words = words[reading.take(words):]
    phrase = " ".join(reading.out)
    return phrase[:1].upper() + phrase[1:]


class _Reading:
    """sentence_name's reading, word by word: what it has written (`out`) and where it is — in
    a name after a kind (`naming`), in a body's field (`field`), in a place (`in_place`: a kind
    of body after a place's kind is the place's name, "xã Phòng Điền", "Hội An Tây")."""

    def __init__(self, bodies: bool):
        self.bodies, self.naming, self.field, self.in_place = bodies, False, False, False
        self.out: list[str] = []

    def take(self, words: list[str]) -> int:
        """Write the kind or the word(s) `words` begins with; how many words were read."""
        size = self._kind_size(words)
        if size:
            kind = " ".join(words[:size])
            self.out.append(SENTENCE_KINDS[kind])
            self.naming, self.field = True, kind in BODY_KINDS
            self.in_place = self.in_place or kind in PLACE_KINDS
            return size
        place = _province_size(words) if self.field else 0
        if place:  # "SỞ TƯ PHÁP HÀ NỘI": the field ends at a province's name
            self.out.extend(_syllable(word) for word in words[:place])
            self.field, self.in_place = False, True
            return place
        self.out.append(self._word(words[0]))
        return 1

    def _kind_size(self, words: list[str]) -> int:
        size = next((n for n in range(min(_KIND_WORDS, len(words)), 0, -1)
                     if " ".join(words[:n]) in SENTENCE_KINDS), 0)
        kind, before = " ".join(words[:size]), self.out[-1] if self.out else ""
        if not size or kind in BODY_KINDS and not self.bodies:
            return 0
        if kind in BODY_KINDS and (self.in_place or self.field):
            return 0  # "xã Phòng Điền", "Hội An Tây"; "Phòng Văn hóa" inside a field
        if self.field and (_starts_field(before) or _social(words)):
            return 0  # "Thương binh và Xã hội", "Bảo trợ xã hội": words of the field
        if kind in PLACE_KINDS and self.naming and before.lower() in PLACE_KINDS:
            return 0  # "phường xã đàn": a place's name, not its kind
        return size

    def _word(self, word: str) -> str:
        before = self.out[-1] if self.out else ""
        if word == "và":
            return word
        if _numeral(word, before) or not _voiced(word):
            return word.upper()  # "khu vực II", "phường IV", "TP.HCM", "KH&ĐT"
        return _field_word(before, word) if self.field else _syllable(word)


def _social(words: list[str]) -> bool:
    """Whether `words` begin with a field's "xã hội" (social), not a commune's kind: followed by
    nothing or by a kind ("TRUNG TÂM BẢO TRỢ XÃ HỘI TỈNH LẠNG SƠN"; "… XÃ HỘI HOAN" is a
    commune)."""
    rest = words[2:]
    return words[:2] == ["xã", "hội"] and (not rest or any(
        " ".join(rest[:n]) in SENTENCE_KINDS for n in range(1, _KIND_WORDS + 1)))


def _numeral(word: str, before: str) -> bool:
    """A Roman numeral: after "số", "khu vực" or a place's kind, or any but those a syllable
    may spell ("vi", "xi", "i": "Tường Vi")."""
    if not _ROMAN.fullmatch(word.upper()):
        return False
    return before in ("số", "khu vực") or before.lower() in PLACE_KINDS or word not in (
        "vi", "xi", "i")


def _voiced(word: str) -> bool:
    """Whether `word` has a vowel: a Vietnamese syllable does, an abbreviation may not
    ("HCM", "CNTT", "BQL", "KH&ĐT" stay upper case)."""
    bare = unicodedata.normalize("NFD", word.replace("đ", "d"))
    return any(ch in "aeiouy" for ch in bare)


def _province_size(words: list[str]) -> int:
    """How many words at the start of `words` name a province or the country
    (core.privacy.places: "hà nội", "việt nam"), 0 if none."""
    return next((n for n in range(min(5, len(words)), 0, -1)
                 if " ".join(words[:n]) in _NAMED_PLACES), 0)


def _field_word(before: str, word: str) -> str:
    """A syllable of a body's field ("PHÒNG TƯ PHÁP" → "Phòng Tư pháp"): capitalised after
    the kind, "và", a comma or a dash, lower case otherwise."""
    return _syllable(word) if before.lower() in BODY_KINDS or _starts_field(before) else word


def _starts_field(before: str) -> bool:
    """After "và", a comma or a dash a body's field names a new field ("Tài chính - Kế hoạch")."""
    return before in ("và", "-", "–") or before.endswith((",", "-", "–"))


def _syllable(word: str) -> str:
    """A syllable of a body's or a place's name: "hồ" → "Hồ", "rịa-vũng" → "Rịa-Vũng", "m'đrắk" → "M'Đrắk"."""
    return re.sub(r"(^|[-'’])(\w)", lambda m: m[1] + m[2].upper(), word)
