"""One masking rule, and a full-data pass only with the right and a stated purpose."""
from __future__ import annotations

import pytest

from core.accounts import PermissionDenied
from core.errors import FieldError
from core.privacy import masking
from db import actor

CLERK = actor.Actor("an", "Lê An", frozenset({"clerk"}))
LEADER = actor.Actor("lan", "Hà Lan", frozenset({"leader"}))


def test_phone_and_id_keep_the_first_four_and_last_two_digits():
    assert masking.mask_phone("0382123428") == "0382****28"
    assert masking.mask_phone("038 212 3428") == "0382****28"
    assert masking.mask_id_no("001203012345") == "0012******45"
    assert masking.mask_id_no("012345678") == "0123***78"  # an old CMND


def test_an_id_number_keeps_the_documents_shape():
    """A passport kept its digits alone ('1234*67'): its letter is its kind of document."""
    assert masking.mask_id_no("C1234567") == "C*****67"
    assert masking.mask_id_no(" AB123456") == "AB****56"
    assert masking.mask_id_no("0101234567-001") == "0101******-*01"  # a branch's tax code
    assert masking.id_no("C1234567") == "C*****67" and masking.is_masked("C*****67")
    assert masking.mask_phone(None) == "" and masking.mask_phone("12") == "12"
    assert "123" not in masking.mask_phone("0912312345")
    assert masking.is_masked("0382****28") and not masking.is_masked("0382123428")
    assert masking.mask_email("an.nguyen@gmail.com") == "a***@gmail.com"
    assert masking.mask_email("") == "" and masking.email(None) is None


def test_the_kiosk_and_the_monthly_report_use_the_same_rule():
    from core import kiosk
    from core.pdf import monthly_sections
    assert kiosk.mask_name is masking.mask_name
    assert monthly_sections.mask_phone is masking.mask_phone


def test_full_data_needs_the_right_and_a_purpose():
    with actor.acting_as(CLERK), pytest.raises(PermissionDenied, match="dữ liệu cá nhân"):
        masking.full_data("Tra cứu")
    with actor.acting_as(LEADER):
        with pytest.raises(FieldError, match="mục đích"):
            masking.full_data("   ")
        granted = masking.full_data("  Đối chiếu  với Công an xã ")
    assert granted == masking.FullData("Đối chiếu với Công an xã", "lan")
    assert masking.phone("0912345678", granted) == "0912345678"
    assert masking.phone("0912345678") == "0912****78"
    assert masking.id_no(None) is None
