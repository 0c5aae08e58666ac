"""What differs between the two sides of a pair (core.reconcile.matching makes the pairs): a
field differs when the province would see another value: status compared by the national code
(TrangThaiHoSo, so a refusal after appraisal, 9 nationally, equals "đã xử lý xong"), times to
the minute (exports in dd/MM/yyyy HH:mm have no seconds)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.labels import CHANNEL_VI, STATUS_VI, unit_text
from core.moment import counted_unit
from core.timefmt import parse_db_time, vn_date, vn_datetime, vn_money
from core.transfer.portal_cells import same_status

if TYPE_CHECKING:
    from core.reconcile.matching import Pair


@dataclass(slots=True)
class Difference:
    pair: Pair
    field: str  # Vietnamese name of what differs
    ours: str
    theirs: str



def _minute(value: str | None) -> str | None:
    return value[:16] if value else None


def _time(value: str | None) -> str:
    return vn_datetime(parse_db_time(value)) if value else "(trống)"


def _day(value: str) -> str:
    """A moment the file gave as a day only, as it wrote it (the mapping preview's words)."""
    return f"{vn_date(parse_db_time(value))} (chỉ có ngày)"


# The digitisation flags (Decision 766 4.2) as a difference names them: the field the file
# holds -> (what differs, the words of yes and no); NOT_RECORDED for documents whose
# digitisation nobody recorded (counted as not digitised, as the figure counts them)
DIGITISATION = {
    "digitised": ("Số hoá thành phần hồ sơ", "Đã số hoá đủ thành phần",
                  "Chưa số hoá đủ thành phần"),
    "result_digitised": ("Số hoá kết quả", "Đã số hoá kết quả", "Chưa số hoá kết quả"),
}
NOT_RECORDED = "Chưa ghi nhận (tính là chưa số hoá)"


def _flag_words(name: str, value: bool | None) -> str:
    _, yes, no = DIGITISATION[name]
    return NOT_RECORDED if value is None else yes if value else no


def differences(pairs: list[Pair], compare_payment: bool, compare_fee: bool,
                units: dict[str, str] | None = None,
                flags: tuple[str, ...] = (), receiving: bool = False, resolving: bool = False,
                day_only: dict[str, frozenset[str]] | None = None) -> list[Difference]:
    """Every field of every pair the province would see differently. `units` ({code: name}):
    how a unit is named. `receiving`: the file names the receiving unit (MaDonViTiepNhan),
    compared; without it the import takes the unit from the code, which names the competent
    unit, and every dossier received at a centre for a commune would differ. `resolving`: the
    file names the resolving unit (MaDonViGiaiQuyet), compared as the figures count it
    (core.moment.counted_unit) whether or not the file names the receiving unit too (review38:
    a file with MaDonViGiaiQuyet alone compared none, and the notes beside the counts sent the
    leader to «Khác nhau (0)»); without it the province's is only the receiving unit read
    again, no difference. `flags`: the digitisation flags (DIGITISATION's keys) the file
    holds, compared; a file without one says nothing of it. `day_only` ({provincial code:
    fields}): the moments a row gives as a day without a time, compared by their day and shown
    as the file wrote them (the time day_only's rule gave them is MotCua's, not the
    province's)."""
    out = []
    for pair in pairs:
        days = (day_only or {}).get(pair.theirs.code, frozenset())
        out.extend(_pair_differences(pair, compare_payment, compare_fee, flags, days,
                                     _unit_differences(pair, units or {}, receiving, resolving)))
    return out


def _unit_differences(pair: Pair, units: dict[str, str], receiving: bool,
                      resolving: bool) -> list[Difference]:
    """The units the file names, each with its name where known ('UBND xã Tân Đoàn (XTD)')."""
    def named(code: str) -> str:
        return unit_text(units[code], code) if code in units else code
    ours, theirs, out = pair.ours, pair.theirs, []
    if receiving and ours.unit != theirs.unit:
        out.append(Difference(pair, "Đơn vị tiếp nhận", named(ours.unit), named(theirs.unit)))
    mine, other = (counted_unit(i.competent, i.unit) for i in (ours, theirs))
    if resolving and mine != other:
        out.append(Difference(pair, "Đơn vị giải quyết", named(mine), named(other)))
    return out


def _pair_differences(pair: Pair, compare_payment: bool, compare_fee: bool,
                      flags: tuple[str, ...] = (),
                      days: frozenset[str] = frozenset(),
                      units: list[Difference] | None = None) -> list[Difference]:
    """`units`: the pair's differences of unit (`_unit_differences`), listed after its code's."""
    ours, theirs, out = pair.ours, pair.theirs, []
    if pair.by_code and ours.code != theirs.code:  # re-coded here: the province has the old
        out.append(Difference(pair, "Mã hồ sơ", ours.code, theirs.code))
    out += units or []
    if not same_status(ours.status, theirs.status):
        out.append(Difference(pair, "Trạng thái", STATUS_VI[ours.status], STATUS_VI[theirs.status]))
    if ours.channel != theirs.channel:
        out.append(Difference(pair, "Kênh", CHANNEL_VI[ours.channel], CHANNEL_VI[theirs.channel]))
    times = (("Tiếp nhận", "received_at", ours.received, theirs.received),
             ("Hạn trả", "due_at", ours.due, theirs.due),
             ("Kết thúc xử lý", "finished_at", ours.finished, theirs.finished))
    for name, column, mine, other in times:
        # a pair made by procedure + applicant + time lists its reception gap too (issue 16
        # §2: "a different … reception"; walk33 found it only in «Đã ghép» and section V)
        if column in days and other:  # the file gave the day alone: the day is compared
            if (mine or "")[:10] != other[:10]:
                out.append(Difference(pair, name, _time(mine), _day(other)))
        elif _minute(mine) != _minute(other):
            out.append(Difference(pair, name, _time(mine), _time(other)))
    if compare_payment and ours.paid_online != theirs.paid_online:
        words = {True: "Đã thanh toán trực tuyến", False: "Chưa thanh toán trực tuyến"}
        out.append(Difference(pair, "Thanh toán", words[ours.paid_online], words[theirs.paid_online]))
    if compare_fee and ours.fee != theirs.fee:
        out.append(Difference(pair, "Phí, lệ phí", vn_money(ours.fee), vn_money(theirs.fee)))
    for name in flags:
        mine, other = getattr(ours, name), getattr(theirs, name)
        if bool(mine) != bool(other):  # as the figure counts them: not recorded is not digitised
            out.append(Difference(pair, DIGITISATION[name][0], _flag_words(name, mine),
                                  _flag_words(name, other)))
    return out
