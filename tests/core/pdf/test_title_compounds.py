"""A form's title never splits a compound word between its lines (Decree 30/2020 ô 5):
«ĐỀ NGHỊ GIA / HẠN THỜI GIAN» on Mẫu 04 read as two words a clerk had to explain."""
from __future__ import annotations

import pytest

from core.pdf import blocks, dossier_forms, form_set
from tests.core.pdf import forms_sample
from tests.pdfread import page_texts_pdfium

FORMS = [("apology", "full"), ("apology", "old"), ("receipt", "full"), ("supplement", "full"),
         ("refusal", "rejected"), ("stop", "stopped"), ("control", "full")]


def title_lines(lines: list[str], title: str) -> list[str]:
    """The printed lines that together read `title` (first page, in order)."""
    for start, first in enumerate(lines):
        if not first or not title.startswith(first):
            continue
        taken = [first]
        for nxt in lines[start + 1:]:
            if " ".join(taken) == title:
                break
            taken.append(nxt)
        if " ".join(taken) == title:
            return taken
    raise AssertionError(f"{title!r} not found in {lines}")


def splits(lines: list[str]) -> list[str]:
    """Each compound of blocks.TITLE_COMPOUNDS cut between two of `lines`."""
    cut = []
    for above, below in zip(lines, lines[1:], strict=False):
        pair = f"{above.split()[-1]} {below.split()[0]}".lower()
        cut += [pair] if pair in blocks.TITLE_COMPOUNDS else []
    return cut


@pytest.mark.parametrize(("kind", "which"), FORMS)
def test_no_title_line_ends_inside_a_compound_word(db, tmp_path, kind, which):
    codes = forms_sample.office(db)
    data = dossier_forms.build(db, kind, codes[which])
    (tmp_path / f"{kind}.pdf").write_bytes(data)
    title = dossier_forms.available(db, codes[which]).forms.titles[kind]
    page = page_texts_pdfium(data)[0]
    lines = [" ".join(x.split()) for x in page.splitlines()]
    printed = title_lines(lines, title)
    assert splits(printed) == [], printed
    if kind == "apology" and which == "full":
        assert len(printed) == 2  # a long title: two lines, neither ends on «GIA»
        assert not (printed[0].endswith("GIA") and printed[1].startswith("HẠN")), printed


@pytest.mark.parametrize("title", sorted({t for f in (form_set.FORMS_2025, form_set.FORMS_2018)
                                          for t in f.titles.values()}))
def test_balanced_title_lines_keep_compounds_at_every_width(title):
    full = blocks.text_width(title, 12, True)
    for step in range(10, 100, 5):  # from the whole line down to a tenth of it
        lines = blocks.title_lines(title, full * step / 100, 12)
        assert " ".join(lines) == title
        assert splits(lines) == [], (step, lines)
