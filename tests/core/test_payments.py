"""Payments (issue 11): the default method follows the dossier, overpayment warns, a mistake is
cancelled with a reason and leaves every figure, and future times are refused."""
from __future__ import annotations

import datetime as dt

import pytest

from core import dossiers as D
from core import payments, timefmt
from core.errors import FieldError, OperationError
from core.indicators import compute
from core.indicators.drill import dossiers_behind
from core.maintenance.check import expected_sums, stored_sums
from tests.core.factories import add_procedures, add_units

T0 = dt.datetime(2025, 3, 3, 8, 0)
NOW = dt.datetime(2025, 3, 20, 10, 0)
MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@pytest.fixture
def catalogue(db, monkeypatch):
    monkeypatch.setattr(timefmt, "now", lambda: NOW)
    add_units(db)
    add_procedures(db)
    return db


def new(db, channel="direct", procedure="P.SD"):  # P.SD: fee 10.000 đ
    return D.create_dossier(db, unit_code="U1", procedure_code=procedure, channel=channel,
                            applicant_name="Trần Thị Hoa", received_at=T0)[0]


def online_payment(db):
    return compute(db, *MARCH)["total"]["online_payment"]


@pytest.mark.parametrize("channel, method", [("direct", "cash"), ("postal", "postal"),
                                             ("online", "online")])
def test_the_default_method_follows_the_channel(channel, method):
    assert payments.default_method(channel) == method


def test_overpayment_warns_with_the_amounts_and_stores_nothing_until_confirmed(catalogue):
    dossier_id = new(catalogue)
    payments.add_payment(catalogue, dossier_id, amount=10000, method="cash", paid_at=T0)
    with pytest.raises(payments.OverpaymentWarning) as warning:
        payments.add_payment(catalogue, dossier_id, amount=20000, method="cash", paid_at=T0)
    assert warning.value.message == (
        "Hồ sơ U1-250303-0001 lệ phí 10.000 đ, đã thu 10.000 đ. Ghi thêm 20.000 đ thì tổng thu "
        "là 30.000 đ, vượt 20.000 đ. Chưa ghi khoản thu này.")
    assert warning.value.overpayment.excess == 20000
    assert catalogue.execute("SELECT COUNT(*) FROM payments").fetchone()[0] == 1
    payments.add_payment(catalogue, dossier_id, amount=20000, method="cash", paid_at=T0,
                         confirm_overpayment=True)
    assert payments.paid_total(catalogue, dossier_id) == 30000
    assert '"over_fee": 20000' in catalogue.execute(
        "SELECT details FROM events WHERE action = 'payment' ORDER BY id DESC").fetchone()[0]


def test_a_payment_within_the_fee_and_a_fee_free_dossier(catalogue):
    dossier_id = new(catalogue)
    payments.add_payment(catalogue, dossier_id, amount=4000, method="cash", paid_at=T0)
    payments.add_payment(catalogue, dossier_id, amount=6000, method="cash", paid_at=T0)
    free = new(catalogue, procedure="P.WD2")
    with pytest.raises(payments.OverpaymentWarning, match="không thu lệ phí, chưa thu khoản nào"):
        payments.add_payment(catalogue, free, amount=5000, method="cash", paid_at=T0)


def test_cancelling_a_payment_moves_the_rate_back_and_keeps_the_history(catalogue):
    dossier_id = new(catalogue, channel="online")
    before = online_payment(catalogue)
    payment_id = payments.add_payment(catalogue, dossier_id, amount=10000, method="online",
                                      paid_at=T0 + dt.timedelta(hours=1))
    assert online_payment(catalogue)["paid_online"] == before["paid_online"] + 1
    assert dossiers_behind(catalogue, "online_payment.paid_online", *MARCH) == [dossier_id]
    with pytest.raises(FieldError, match="Cần ghi lý do"):
        payments.cancel_payment(catalogue, payment_id, reason="  ")
    payments.cancel_payment(catalogue, payment_id, reason="Bấm nhầm hình thức", actor="lan")
    assert online_payment(catalogue) == before
    assert dossiers_behind(catalogue, "online_payment.paid_online", *MARCH) == []
    assert stored_sums(catalogue) == expected_sums(catalogue)  # kpi_daily kept in step
    row = catalogue.execute("SELECT amount, cancelled_at, cancel_reason, cancelled_by "
                            "FROM payments WHERE id = ?", [payment_id]).fetchone()
    assert row == (10000, "2025-03-20 10:00:00", "Bấm nhầm hình thức", "lan")
    event = catalogue.execute("SELECT action, reason, actor, details FROM events "
                              "WHERE dossier_id = ? ORDER BY id DESC", [dossier_id]).fetchone()
    assert event[:3] == ("cancel_payment", "Bấm nhầm hình thức", "lan")
    assert f'"payment_id": {payment_id}' in event[3]
    # the fee is unpaid again: the right payment goes through without a warning
    payments.add_payment(catalogue, dossier_id, amount=10000, method="cash", paid_at=NOW)
    # refused in the lists' words (core.cancelling): when it was cancelled
    with pytest.raises(OperationError, match="của hồ sơ .* đã huỷ lúc 10:00 20/03/2025[.]$"):
        payments.cancel_payment(catalogue, payment_id, reason="Lần nữa")


def test_a_cancellation_cannot_be_undone_in_the_database(catalogue):
    dossier_id = new(catalogue)
    payment_id = payments.add_payment(catalogue, dossier_id, amount=10000, method="cash",
                                      paid_at=T0)
    payments.cancel_payment(catalogue, payment_id, reason="Nhập trùng")
    with pytest.raises(Exception, match="stays cancelled"):
        catalogue.execute("UPDATE payments SET cancelled_at = NULL WHERE id = ?", [payment_id])


def test_future_and_early_payment_times_are_refused(catalogue):
    dossier_id = new(catalogue)
    with pytest.raises(FieldError) as error:
        payments.add_payment(catalogue, dossier_id, amount=1000, method="cash",
                             paid_at=NOW + dt.timedelta(minutes=6))
    assert error.value.field == "paid_at" and "ở tương lai" in error.value.message
    payments.add_payment(catalogue, dossier_id, amount=1000, method="cash",
                         paid_at=NOW + dt.timedelta(minutes=5))  # within the clock tolerance
    with pytest.raises(FieldError, match="trước (thời điểm|khi) tiếp nhận"):
        payments.add_payment(catalogue, dossier_id, amount=1000, method="cash",
                             paid_at=T0 - dt.timedelta(minutes=1))
