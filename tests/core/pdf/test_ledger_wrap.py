"""A ledger cell's word wider than its column is cut where it fits (core.pdf.ledger.Measure):
found by halving, not by trying every shorter prefix, so a 5,000-character word an older
version stored prints in a moment (it took 51 s: the count of widths measured grew with the
cube of the word)."""
from __future__ import annotations

from reportlab.pdfbase.pdfmetrics import stringWidth

from core.pdf import fonts, ledger


def _measure() -> ledger.Measure:
    fonts.register_fonts()
    return ledger.Measure(fonts.NAMES["regular"], 9)


def _lines_the_slow_way(measure: ledger.Measure, word: str, width: float) -> list[str]:
    """The old rule, written plainly: the longest prefix that fits, by trying each length."""
    out = []
    while stringWidth(word, measure.font, measure.size) > width and len(word) > 1:
        cut = len(word) - 1
        while cut > 1 and stringWidth(word[:cut], measure.font, measure.size) > width:
            cut -= 1
        out.append(word[:cut])
        word = word[cut:]
    return [*out, word]


def test_a_long_word_is_cut_at_the_same_places_as_before():
    measure = _measure()
    for word in ("0" * 300, "Nguyễn" * 40, "W" * 57 + "i" * 91, "ab"):
        assert measure.wrap(word, 60) == _lines_the_slow_way(measure, word, 60), word
    assert measure.wrap("W", 1) == ["W"]  # one character wider than the column stays whole


def test_a_5000_character_phone_takes_few_width_measures(monkeypatch):
    measure = _measure()
    calls = []
    real = ledger.stringWidth

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(ledger, "stringWidth", counted)
    lines = measure.wrap("0" * 5000, 60)
    assert "".join(lines) == "0" * 5000 and len(lines) > 100
    assert len(calls) < 20 * len(lines)  # ~log2(5000) a line; trying every prefix: ~5,000 a line
