"""The file name a save of each form suggests (walk35b): Vietnamese without diacritics, one
table in core (core.pdf.form_set.FILE_STEMS) — the names were English ("receipt-…", "apology-…")."""
from __future__ import annotations

import re

from core.pdf.form_set import FILE_STEMS, KINDS, file_name


def test_every_form_has_a_vietnamese_ascii_name():
    assert set(FILE_STEMS) == set(KINDS)
    assert file_name("receipt", "X01-250611-0001") == "giay-tiep-nhan-X01-250611-0001.pdf"
    assert file_name("apology", "X01-250611-0001") == "xin-loi-gia-han-X01-250611-0001.pdf"
    for kind in KINDS:
        name = file_name(kind, "X01-250611-0001")
        assert re.fullmatch(r"[a-z-]+-X01-250611-0001\.pdf", name), name
        assert kind not in name  # not the program's English word for it


def test_a_desk_form_without_a_code_and_an_odd_code():
    assert file_name("refusal") == "tu-choi-tiep-nhan.pdf"
    assert file_name("stop", "../A:B") == "dung-giai-quyet-.._A_B.pdf"
