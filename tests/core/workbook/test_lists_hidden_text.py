"""review24 finding 2: the «Xuất Excel» lists wrote a bidi control as stored, so a leader read a
payment's receipt number or a vote's comment turned around ("Biên lai 12\u202e34" shows
"Biên lai 1243"). The lists' workbooks now show a text as every export does
(core.textnorm.shown_text), and the entries refuse a bidi control in those two texts."""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from core import dossiers as D
from core import kiosk, payments, textnorm, timefmt, votes
from core.errors import FieldError
from core.workbook import lists
from tests.core.factories import add_procedures, add_units

RLO = "\u202e"
T0 = dt.datetime(2025, 3, 3, 8, 0)
NOW = dt.datetime(2025, 3, 20, 10, 0)


@pytest.fixture
def catalogue(db, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    add_units(db)
    add_procedures(db)
    return db


def _dossier(db) -> int:
    return D.create_dossier(db, unit_code="U1", procedure_code="P.SD", channel="direct",
                            applicant_name="Trần Thị Hoa", received_at=T0)[0]


def _cells(path) -> list[str]:
    sheet = openpyxl.load_workbook(path).active
    return [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]


def test_the_payments_and_votes_lists_show_no_bidi_control_stored_before_the_rule(catalogue,
                                                                                  tmp_path):
    dossier_id = _dossier(catalogue)
    payment_id = payments.add_payment(catalogue, dossier_id, amount=10000, method="cash",
                                      paid_at=T0, reference="Biên lai 12")
    vote_id = votes.add_vote(catalogue, unit_code="U1", rating="satisfied", voted_at=T0,
                             dossier_id=dossier_id, comment="Rất tốt")
    # as an older version stored them, or a package brought them (taken as sent)
    catalogue.execute("UPDATE payment_rows SET reference = ? WHERE id = ?",
                      [f"Biên lai 12{RLO}34", payment_id])
    catalogue.execute("UPDATE vote_rows SET comment = ? WHERE id = ?",
                      [f"Cán bộ{RLO} tận tình\u200b", vote_id])
    catalogue.execute("UPDATE units SET name = ? WHERE code = 'U1'", [f"UBND xã{RLO} An Sơn"])
    catalogue.commit()
    lists.export_list(catalogue, lists.PAYMENTS, [payment_id], tmp_path / "thu.xlsx", "x")
    lists.export_list(catalogue, lists.VOTES, [vote_id], tmp_path / "phieu.xlsx", "x")
    paid, voted = _cells(tmp_path / "thu.xlsx"), _cells(tmp_path / "phieu.xlsx")
    assert "Biên lai 1234" in paid
    assert "Cán bộ tận tình" in voted and "UBND xã An Sơn" in voted
    assert not any(textnorm.has_hidden(cell) for cell in paid + voted), paid + voted


def test_a_payment_reference_with_a_bidi_control_is_refused_naming_the_field(catalogue):
    dossier_id = _dossier(catalogue)
    with pytest.raises(FieldError) as caught:
        payments.add_payment(catalogue, dossier_id, amount=10000, method="cash", paid_at=T0,
                             reference=f"12{RLO}34")
    assert caught.value.field == "reference"
    assert caught.value.message.startswith(
        "Số biên lai / mã giao dịch chứa ký tự ẩn đảo chiều chữ (mã U+202E) ở vị trí 3")
    assert catalogue.execute("SELECT COUNT(*) FROM payments").fetchone()[0] == 0


def test_a_vote_comment_with_a_bidi_control_is_refused_naming_the_field(catalogue):
    dossier_id = _dossier(catalogue)
    with pytest.raises(FieldError, match=r"^Góp ý chứa ký tự ẩn đảo chiều chữ \(mã U\+202E\)"):
        votes.add_vote(catalogue, unit_code="U1", rating="satisfied", voted_at=T0,
                       dossier_id=dossier_id, comment=f"Tốt{RLO} lắm")
    assert catalogue.execute("SELECT COUNT(*) FROM votes").fetchone()[0] == 0


def test_a_kiosk_comment_with_a_bidi_control_is_refused_and_the_vote_kept(catalogue):
    """The comment comes after the vote (core.kiosk.add_details): the vote stays, the comment
    with a bidi control is refused, one with a zero-width space stored cleaned."""
    cast = kiosk.cast_vote(catalogue, "U1", "dissatisfied", at=T0)
    with pytest.raises(FieldError, match=r"^Góp ý chứa ký tự ẩn đảo chiều chữ"):
        kiosk.add_details(catalogue, cast.vote_id, [], f"Chờ{RLO} lâu")
    assert catalogue.execute("SELECT comment FROM votes").fetchall() == [(None,)]
    kiosk.add_details(catalogue, cast.vote_id, [], "Chờ\u200b lâu")
    assert catalogue.execute("SELECT comment FROM votes").fetchall() == [("Chờ lâu",)]
