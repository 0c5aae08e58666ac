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
    **{kind: kind for kind in PLACE_KINDS}}
_KIND_WORDS = max(len(kind.split()) for kind in SENTENCE_KINDS)
_ROMAN = re.compile(r"(X{0,3})(IX|IV|V?I{0,3})")  # "chi nhánh khu vực II"


def sentence_name(line: str) -> str:
    """An agency's or a place's name typed in capitals (a header's line) as a sentence writes
    it: its kinds as SENTENCE_KINDS writes them, every other word — a body's or a place's own
    name — each syllable capitalised ("ỦY BAN NHÂN DÂN TỈNH BÀ RỊA - VŨNG TÀU" → "Ủy ban nhân
    dân tỉnh Bà Rịa - Vũng Tàu", "NÀ LẦU" → "Nà Lầu", "PHÒNG TƯ PHÁP" → "Phòng Tư Pháp"), its
    first letter capitalised. A name typed in upper and lower case (the clerk wrote it so) is
    kept as typed; "" stays ""."""
    text = unicodedata.normalize("NFC", line or "").strip()
    if text.upper() != text and text.lower() != text:
        return text
    words, naming = text.lower().split(), False
    out: list[str] = []
    while words:
        size = next((n for n in range(min(_KIND_WORDS, len(words)), 0, -1)
                     if " ".join(words[:n]) in SENTENCE_KINDS), 0)
        kind = " ".join(words[:size])
        if size and not (naming and out[-1].lower() in PLACE_KINDS and kind in PLACE_KINDS):
            out.append(SENTENCE_KINDS[kind])  # "phường xã đàn": a place's name, not its kind
            naming = True
        else:
            size, word = 1, words[0]
            numeral = bool(out) and out[-1] in ("số", "khu vực") and _ROMAN.fullmatch(
                word.upper()) is not None
            out.append(word.upper() if numeral else _syllable(word))
        words = words[size:]
    phrase = " ".join(out)
    return phrase[:1].upper() + phrase[1:]


def _syllable(word: str) -> str:
    """A syllable of a body's or a place's name: "hồ" → "Hồ", "rịa-vũng" → "Rịa-Vũng", "m'đrắk" → "M'Đrắk"."""
    return re.sub(r"(^|[-'’])(\w)", lambda m: m[1] + m[2].upper(), word)
