"""A package moving a dossier this installation already holds out of its unit's dates (issue 16
§3, round 31): the version it brings (taken as changed, "theirs" on a conflict or a clash, the
last version of several packages) has a reception day, a receiving unit or a competent unit
that the unit was not in existence on, by this installation's catalogue.

The desk's correction (core.dossiers._check_reception) and `import dossiers`
(core.transfer.dossiers._check_existence) refuse such a move; a package took it unchecked
(core.exchange.store._take_fields) and `check` then named the dossier
(core.maintenance.check.dossiers_in_unit_life). One rule: core.moment.unit_absent_reason, through
its set form (core.unit_absent.units_absent over the held ids) and the desk's exemption
(core.unit_absent.moved_out: a dossier already outside keeps its day and units). The whole
operation is refused, as for a new dossier (core.exchange.checks.absent_refusal), in the same
transaction, so nothing is written and the preview, the dry run and the import say the same.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Set

from core import unit_absent
from core.moment import unit_absent_reason
from core.timefmt import vn_number
from core.unit_absent import Absent, Held


def moved_refusal(conn, first_new: int, before: dict[int, Held],
                  package_of: Callable[[int], int | None],
                  names: list[str], new_units: Set[str] = frozenset()
                  ) -> tuple[int | None, str] | None:
    """The held dossiers (ids below `first_new`) an operation's packages changed (`package_of`:
    the package whose version now stands, None for a dossier no package changed) so that they
    are received at, or given to, a unit not in existence on their reception day, those
    already there before it (`before`, unit_absent.held_outside) keeping what they had:
    (the package of the first, why in Vietnamese), or None. One query of index look-ups (the
    held dossiers outside, ~0 in a sound database); the packages asked only of those."""
    found = unit_absent.units_absent(conn, 0, first_new)
    if found:
        found = unit_absent.moved_out(found, before)
    packages = {r.id: package_of(r.id) for r in found}
    found = [r for r in found if packages[r.id] is not None]
    if not found:
        return None
    return said(conn, found, packages, names, lambda count, first: (
        f"{count} hồ sơ máy này đang giữ bị gói đổi ngày tiếp nhận, đơn vị tiếp nhận hoặc đơn "
        "vị giải quyết sang một đơn vị, vào ngày đơn vị ấy không hoạt động theo danh mục của "
        "máy này — sửa thông tin hồ sơ ở quầy và lệnh nhập hồ sơ (import dossiers) cũng không "
        "chuyển hồ sơ đã có như thế; nhận vào, hồ sơ được tính ở dòng của một đơn vị không hoạt "
        "động vào ngày tiếp nhận và dữ liệu xuất ra không nhập lại được. Hồ sơ "
        f"{first.code} theo gói: "), (
        ". Nếu đơn vị ấy thực sự còn tiếp nhận, giải quyết hồ sơ những ngày đó, sửa ngày hoạt "
        "động của đơn vị trong Danh mục như trên rồi nhập lại gói; nếu không, đừng nhập gói "
        "này: hãy báo nơi gửi xem lại ngày tiếp nhận và đơn vị của các hồ sơ ấy và đặt ngày "
        "hoạt động của đơn vị trong Danh mục của máy ấy, rồi gửi gói mới."), new_units)


def said(conn, found: list[Absent], packages: dict[int, int | None], names: list[str],
         head: Callable[[str, Absent], str], advice: str, new_units: Set[str] = frozenset()
         ) -> tuple[int | None, str]:
    """(the package of the first dossier found, the refusal's words): `head` (given the count
    of that package's dossiers and its first, the earliest of the first unit, which the list
    begins with) then its rule's words for that dossier, its dossiers per unit with the dates
    that would keep them, `advice` (advice_for: the sender's, for a unit new here), the
    other packages counted. The one shape of checks.absent_refusal (new dossiers) and
    moved_refusal (held ones)."""
    index = packages[found[0].id]
    own = [r for r in found if packages[r.id] == index]
    first = own[0]
    return index, (head(vn_number(unit_absent.dossier_count(own)), first)
                   + f"{unit_absent.WHAT_VI[first.column]} {first.reason}. "
                   + unit_absent.units_text(conn, own) + advice_for(own, advice, new_units)
                   + others_text(found, packages, index, names))


def advice_for(rows: list[Absent], advice: str, new_units: Set[str]) -> str:
    """What to do (`advice`: fix the unit's dates in this installation's Danh mục and import
    again, or have the sender fix its dossiers), unless a unit named came into the catalogue
    in this very operation (`new_units`: the units its catalogue step added): its dates are
    the sender's, nothing here to fix — the sender fixes them and exports again."""
    fresh = sorted({r.unit for r in rows} & set(new_units))
    if not fresh:
        return advice
    named = ", ".join(fresh)
    sender = (f"ngày hoạt động của đơn vị {named} trong Danh mục của máy ấy (hoặc ngày tiếp "
              "nhận và đơn vị của các hồ sơ ấy) rồi xuất gói mới")
    if len(fresh) == len({r.unit for r in rows}):
        return (f". Đơn vị {named} mới vào danh mục của máy này cùng lần nhập này, với ngày "
                "hoạt động của máy gửi: danh mục của máy này chưa có gì để sửa. Đừng nhập gói "
                f"này: hãy báo nơi gửi sửa {sender}.")
    return (f"{advice} Riêng đơn vị {named} mới vào danh mục của máy này cùng lần nhập này, "
            f"với ngày hoạt động của máy gửi: hãy báo nơi gửi sửa {sender}.")


def others_text(found: list[Absent], packages: dict[int, int | None], index: int | None,
                names: list[str]) -> str:
    """" Gói khác của lần nhập này cũng có hồ sơ như thế: b.zip (4 hồ sơ).", or "": the
    packages other than `index` with dossiers found, each counted."""
    others: dict[int | None, set[str]] = {}
    for row in found:
        if packages[row.id] != index:
            others.setdefault(packages[row.id], set()).add(row.code)
    if not others:
        return ""
    return (" Gói khác của lần nhập này cũng có hồ sơ như thế: " + ", ".join(
        f"{names[i] if i is not None else '?'} ({vn_number(len(codes))} hồ sơ)"
        for i, codes in sorted(others.items(), key=lambda item: item[0] or 0)) + ".")


def version_refused(conn, local: dict, record: dict) -> str:
    """What the preview says of a version to choose (a conflict's "theirs", one of several
    packages' versions of a held dossier) that moved_refusal would refuse once chosen: its
    reception day, receiving or competent unit puts the dossier (`local`: as held here) at a
    unit not in existence that day (unit_absent_reason, the one rule; what it already had is
    kept, as unit_absent.moved_out keeps it), or "". Asked only of the conflicts listed: a
    unit look-up or two each."""
    fields, held = record["fields"], local["fields"]
    moment, held_day = (fields["received_at"] or "")[:10], (held["received_at"] or "")[:10]
    if not moment:  # records carry the text of the view `dossiers`, 'YYYY-MM-DD HH:MM:SS'
        return ""
    day = dt.date.fromisoformat(moment)
    for column in ("unit_code", "competent_unit_code"):
        unit = fields[column]
        before = held[column] or (held["unit_code"] if column == "competent_unit_code" else None)
        if unit is None or (held_day, before) == (moment, unit):
            continue
        row = conn.execute("SELECT name, valid_from, valid_to FROM units WHERE code = ?",
                           [unit]).fetchone()
        reason = row and unit_absent_reason(row[0], row[1], row[2], day)
        if reason:
            return (f"bản này đưa hồ sơ ra ngoài thời gian hoạt động của đơn vị "
                    f"({unit_absent.WHAT_VI[column]} {reason}): chọn bản này thì gói bị từ "
                    "chối")
    return ""
