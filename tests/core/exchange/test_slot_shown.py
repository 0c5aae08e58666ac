"""Review of round 32: a sender's code slot is said by one rule wherever it is shown — the
package preview (core.exchange.checks.sender_text) and the report's sources table
(core.exchange.sources) — and only as a PC can hold it (whole numbers, 1 ≤ K ≤ N ≤ 99). The
preview showed whatever the manifest held, cut to four characters: "số hiệu None/None" for a
package without a slot, "0/0", "1000/1000" for 10**30 of 10**31, "<b>x/[1, " for markup and a
list; the report's row read back a stored "0/0" or Arabic-Indic digits."""
from __future__ import annotations

import pytest

from core.exchange import slots, sources
from core.exchange.checks import sender_text

ID = "abcdef0123456789abcdef0123456789"


def test_a_plain_slot_is_said_alike_in_the_preview_and_the_report():
    sender = {"id": ID, "slot": 2, "of": 3}
    assert slots.slot_text(sender) == "2/3"
    assert sender_text({"installation": sender}) == "tất cả — máy abcdef01 (số hiệu 2/3)"


@pytest.mark.parametrize("slot, of", [(None, None), (0, 0), (10**30, 10**31), ("<b>xx", [1] * 100),
                                      ("2", 3), (4, 3), (True, 3), (1, 100), (2.0, 3)])
def test_a_slot_no_pc_can_hold_is_not_said(slot, of):
    sender = {"id": ID, "slot": slot, "of": of}
    assert slots.slot_text(sender) == ""
    assert sender_text({"installation": sender}) == "tất cả — máy abcdef01"


def test_a_package_without_an_installation_is_named_without_a_slot():
    assert sender_text({"installation": None}) == "tất cả — máy khác"


@pytest.mark.parametrize("stored, shown", [("2/3", "2/3"), ("0/0", ""), ("\u0661/\u0663", ""),
                                           ("4/3", ""), ("1/100", ""), ("2/3/4", ""), (23, "")])
def test_a_stored_slot_is_read_by_the_same_rule(stored, shown):
    assert sources._stored_slot(stored) == shown
