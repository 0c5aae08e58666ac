"""One masking rule, and a full-data pass only with the right and a stated purpose."""
from __future__ import annotations

import re

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


@pytest.mark.parametrize("address, shown", [
    ("Số 12 ngõ 5 phố Lê Lợi, phường Hà Đông, Hà Nội", "***, phường Hà Đông, Hà Nội"),
    ("Số 12, ngõ 5, phố Lê Lợi, phường Hà Đông, Hà Nội", "***, phường Hà Đông, Hà Nội"),
    ("Thôn Pá Lòng, huyện Văn Quan, tỉnh Lạng Sơn", "***, huyện Văn Quan, tỉnh Lạng Sơn"),
    ("Thôn Pá Lòng xã An Sơn huyện Văn Quan tỉnh Lạng Sơn",
     "*** xã An Sơn huyện Văn Quan tỉnh Lạng Sơn"),
    ("Khối 2, thị trấn Văn Quan, huyện Văn Quan", "***, thị trấn Văn Quan, huyện Văn Quan"),
    ("Xóm 3 - xã Ea Tu - TP Buôn Ma Thuột - Đắk Lắk",
     "*** - xã Ea Tu - TP Buôn Ma Thuột - Đắk Lắk"),
    ("Ấp Bình Thạnh; xã Bình Hòa; tỉnh An Giang", "***; xã Bình Hòa; tỉnh An Giang"),
    ("123/4 Nguyễn Trãi, P.5, Q.3, TP.HCM", "***, P.5, Q.3, TP.HCM"),
    ("Tổ 5,phường 1 ,  TP Vũng Tàu, Bà Rịa - Vũng Tàu", "***, phường 1, TP Vũng Tàu, Bà Rịa - Vũng Tàu"),
    # a unit's word in a street's or a road's name starts no tail
    ("Số 12 đường Xã Đàn, phường Kim Liên, Hà Nội", "***, phường Kim Liên, Hà Nội"),
    ("Số 5 Tỉnh lộ 10, xã Phạm Văn Hai", "***, xã Phạm Văn Hai"),
    ("P.301, tòa A, số 5 Láng Hạ, phường Láng, Hà Nội", "***, phường Láng, Hà Nội"),  # a room
    # no unit's word: nothing tells a street or a hamlet from a commune (round 23: 'Số 5, Lê
    # Lợi, Hà Nội' kept the street), so all is hidden but a province's name (round 24)
    ("Tổ 5, ngõ 3, Hà Đông, Hà Nội", "***, Hà Nội"),
    ("Thôn Pá Lòng, An Sơn, Văn Quan, Lạng Sơn", "***, Lạng Sơn"),
    ("Thôn Bản Chu", "***"), ("Xóm 3 Nà Lầu", "***"), ("Số 12, ngõ 5", "***"),
    ("Xã An Sơn", "***, Xã An Sơn"),  # the unit alone: still known as masked
    ("", ""), (None, ""),
])
def test_an_address_keeps_its_administrative_tail(address, shown):
    assert masking.mask_address(address) == shown
    assert masking.mask_field("applicant_address", address) == (shown if address is not None
                                                                else None)


@pytest.mark.parametrize("address, shown", [
    # a part holding a number after the units is no unit's: hidden whole (it was shown with
    # the number masked before round 23)
    ("Số 5, ngõ 12, phường Kim Liên, Hà Nội, ĐT 0912345678", "***, phường Kim Liên, Hà Nội"),
    ("Thôn 2, xã An Sơn, CCCD 001203012345", "***, xã An Sơn"),
    ("Tổ 5, phường Hà Đông, Hà Nội - 0912 345 678", "***, phường Hà Đông, Hà Nội"),
    ("Xóm 1, xã Tân Lập sđt 0912.345.678", "***, xã Tân Lập"),
    # typed as a unit's name, a long number is no unit's name (round 24: '***, xã 0912****78')
    ("Xóm 1, xã 0912345678", "***"),
    # shorter runs are a ward's or a district's number, kept
    ("Số 5, phường 12, quận 10, TP.HCM", "***, phường 12, quận 10, TP.HCM"),
])
def test_a_phone_or_id_number_after_the_units_is_never_shown(address, shown):
    assert masking.mask_address(address) == shown


def test_a_masked_address_is_known_by_its_opening_stars_and_whole_with_a_pass():
    assert masking.is_masked("***, xã An Sơn", "applicant_address")
    assert masking.is_masked("***", "applicant_address")
    # typed freely, an address may hold a star: whole, it is no masked one
    assert not masking.is_masked("Lô B*2, khu công nghiệp Đồng Văn", "applicant_address")
    assert masking.address("Thôn Bản Chu") == "***" and masking.address(None) is None
    with actor.acting_as(LEADER):
        granted = masking.full_data("Đối chiếu")
    assert masking.address("Thôn Bản Chu", granted) == "Thôn Bản Chu"


def test_the_exchange_lists_mask_an_address_by_the_same_rule():
    from core.exchange import compare
    address = "Số 12 ngõ 5 phố Lê Lợi, phường Hà Đông, Hà Nội"
    assert compare.value_shown("applicant_address", address) == masking.mask_address(address)


@pytest.mark.parametrize("typed, said", [
    ("Đối chiếu \u202eaX nôC\u202c", "Mục đích chứa ký tự ẩn đảo chiều chữ (mã U+202E) ở vị trí 11"),
    ("Chuyển\u2067 máy", "Mục đích chứa ký tự ẩn đảo chiều chữ (mã U+2067) ở vị trí 7"),
    ("Chuyển\x1cmáy", "Mục đích chứa ký tự điều khiển không in được (mã U+001C) ở vị trí 7"),
    ("Chuyển máy\x85", "Mục đích chứa ký tự điều khiển không in được (mã U+0085) ở vị trí 11"),
    ("Chuyển máy\x00", "(mã U+0000) ở vị trí 11"),
])
def test_a_purpose_with_a_bidi_or_control_character_is_refused(typed, said):
    """The purpose of a full-data export, logged for the leader to read, judged as every other
    free text (core.textnorm.hidden_reason, mend35): taken, a bidi control turned it around in
    the access log, and a control character (U+001C, NEL) became a space silently."""
    with actor.acting_as(LEADER):
        with pytest.raises(FieldError, match=re.escape(said)):
            masking.full_data(typed)
        assert masking.full_data("Chuyển\u200bmáy\u00ad mới").purpose == "Chuyển máy mới"
