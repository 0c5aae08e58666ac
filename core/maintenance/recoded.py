"""`check`'s advice for a re-coded dossier whose fee arrived wrong in a package (round 23).

A dossier re-coded at another installation first (the centre kept both: B's X became its Y;
maybe this one kept both again: Z) carries that installation's recode event, and its stored
fee may be what an older MotCua wrote wrong there, while its history still says the fee the
sender recorded at reception (core.exchange.recode.repairable sorts these out). The damage
came in the package: a backup of this file holds it too, and restoring one would lose
everything written since, so `check` does not send the clerk to a backup. What the clerk can
do is what fixes any wrong field: correct the fee in the dossier's window ("Sửa thông tin…",
a "correct" event with its reason: the history then says the stored fee), or ask the sender.
"""
from __future__ import annotations

from core import history
from core.timefmt import vn_money, vn_number
from db import events_codec


def recorded_fees(db, codes) -> dict[str, int | None]:
    """{code: the fee its history says} of these dossiers (core.history.replay)."""
    found: dict[str, int | None] = {}
    for code in sorted(codes):
        row = db.execute("SELECT id FROM dossiers WHERE code = ?", [code]).fetchone()
        if row is None:
            continue
        rows = [r[1:] for r in events_codec.replay_rows(db, row[0], row[0])]
        found[code] = history.replay(rows).get("fee")
    return found


def arrived_text(db, arrived: dict[str, str]) -> str:
    """What `check` says of the dossiers re-coded elsewhere ({code: the package it came in}):
    what happened, the fee to enter and where, and no backup."""
    fees = recorded_fees(db, arrived)
    each = "; ".join(f"{code}: {_fee_vi(fees.get(code))}" for code in sorted(arrived))
    packages = ", ".join(sorted(set(arrived.values())))
    return (f"{vn_number(len(arrived))} hồ sơ trong số đó đã được cấp mã mới ở một máy khác "
            f"trước khi đến máy này (gói {packages}): lệ phí đang lưu khác với lệ phí máy gửi "
            f"đã ghi khi tiếp nhận ({each}). Sai lệch đến cùng gói, không phải bị sửa ngoài "
            "MotCua, và bản sao lưu cũng mang sai lệch ấy — không khôi phục bản sao lưu. Sửa "
            "trong cửa sổ hồ sơ: nút \"Sửa thông tin…\", trường \"Lệ phí\", nhập lệ phí đã ghi "
            "khi tiếp nhận và ghi lý do; nếu chưa chắc lệ phí nào đúng, hỏi nơi gửi gói.")


def _fee_vi(fee: int | None) -> str:
    return "không ghi lệ phí (theo lệ phí của thủ tục)" if fee is None else vn_money(fee)
