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

# the kinds of place an agency's name ends with (Decree 30/2020: "ỦY BAN NHÂN DÂN / TỈNH LẠNG
# SƠN"): the place's kind and its name keep one line when it holds them
PLACE_KINDS = frozenset({"tỉnh", "thành phố", "huyện", "quận", "thị xã", "thị trấn", "xã",
                         "phường", "đặc khu"})
# the kinds of body whose name goes on with its function or field (Decree 30/2020, Phụ lục II:
# "Bộ Tài nguyên và Môi trường", "Sở Tài chính", "Văn phòng Đăng ký đất đai"): the field's
# first syllable capitalised, and each one after "và", a comma or a dash; the rest lower case
BODY_KINDS = frozenset({"phòng", "sở", "ban", "văn phòng", "thanh tra", "chi cục", "cục", "bộ",
                        "trung tâm", "bảo hiểm xã hội", "công an", "đội", "hội"})
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
_KIND_WORDS = max(len(kind.split()) for kind in SENTENCE_KINDS)
_ROMAN = re.compile(r"(X{0,3})(IX|IV|V?I{0,3})")  # "chi nhánh khu vực II"


def sentence_name(line: str) -> str:
    """An agency's or a place's name typed in capitals (a header's line) as a sentence writes
    it: its kinds as SENTENCE_KINDS writes them, every other word — a body's or a place's own
    name — each syllable capitalised ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU" → "Ủy ban nhân
    dân tỉnh Bà Rịa - Vũng Tàu", "NÀ LẦU" → "Nà Lầu"); a body's field after its kind as Decree
    30 writes it ("PHÒNG TƯ PHÁP HUYỆN VĂN QUAN" → "Phòng Tư pháp huyện Văn Quan"); its first
    letter capitalised. A name typed in upper and lower case (the clerk wrote it so) is
    kept as typed; "" stays ""."""
    text = unicodedata.normalize("NFC", line or "").strip()
    if text.upper() != text and text.lower() != text:
        return text
    words, naming, field = text.lower().split(), False, False
    out: list[str] = []
    while words:
        size = next((n for n in range(min(_KIND_WORDS, len(words)), 0, -1)
                     if " ".join(words[:n]) in SENTENCE_KINDS), 0)
        kind = " ".join(words[:size])
        if size and (field and (kind in BODY_KINDS or _starts_field(out[-1])) or (
                kind in BODY_KINDS and naming and out[-1].lower() in PLACE_KINDS)):
            # "Phòng Văn hóa", "Thương binh và Xã hội": a word of the field, not a kind;
            # "xã Phòng Điền", "thị trấn Bộ …": a place's name
            size = 0
        if size and not (naming and out[-1].lower() in PLACE_KINDS and kind in PLACE_KINDS):
            out.append(SENTENCE_KINDS[kind])  # "phường xã đàn": a place's name, not its kind
            naming, field = True, kind in BODY_KINDS
        else:
            size, word = 1, words[0]
            numeral = bool(out) and out[-1] in ("số", "khu vực") and _ROMAN.fullmatch(
                word.upper()) is not None
            out.append(word.upper() if numeral else word if word == "và"
                       else _field_word(out[-1], word) if field else _syllable(word))
        words = words[size:]
    phrase = " ".join(out)
    return phrase[:1].upper() + phrase[1:]


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
