"""A procedure's fee changes for the dossiers received from now on, never for those already
received (the audit of 01/12/2026: W1's fee 0 → 5.000 turned November's online-payment rate of a
unit from 1/3 into 1/5 after the leader could have signed it).

The fee is not a dated rule (spec 2.1 dates office hours, time limits and online levels; schema
23 has no column to date a fee), and a dossier whose own fee is empty follows its procedure's
fee (spec 7). So when a procedure's fee changes, `keep_old_fee` writes the fee they had until now
into the own `fee` of that procedure's dossiers received before the moment of the change whose
own fee is empty, in the caller's transaction, and records the change in the catalogue's change
log (setting_changes, area "catalogue", key "<code>: mức phí": old fee, the new one, the moment and
how many dossiers kept the old fee). Every path that changes a fee calls it: the Danh mục screen
and a package's procedure (core.catalogue), `import procedures` and its window (core.transfer).

A dossier that arrives later by `import dossiers` with an empty fee, received before a recorded
change, takes the fee its procedure had at its reception the same way (`Kept.fee_at`, in
core.transfer.dossier_writer). A package's copy of a dossier held here is read with the fee that
stands here when the two differ only by a fee kept on either side (`keep_in_package`), so it
neither conflicts nor follows the new fee; a package's new dossier keeps its empty fee, being
received under the sender's catalogue.

No event is written per dossier: the value is the one each dossier already had, its figures do
not move, and a dossier from another installation with an extra event would no longer match its
sender's history (core.exchange.compare). `check` vouches for it instead through the log
(`Kept.explains`): a dossier whose history leaves its fee empty may carry exactly the fee its
procedure had before the first recorded change after its reception — any other value still
shows. The log is append-only (db.schema), like the event history.
"""
from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field

from core import timefmt
from core.timefmt import vn_money, vn_number
from db.settings import log_change

AREA = "catalogue"
SUFFIX = ": mức phí"  # the key of a fee change: "<procedure code>: mức phí"
# A procedure's dossiers with no fee of their own, received before (<) or from (>=) a moment
EMPTY_FEE = "procedure_code = ? AND fee IS NULL AND received_at {} unixepoch(?)"


def keep_old_fee(conn, code: str, old_fee: int | None, new_fee: int | None,
                 moment: dt.datetime | None = None) -> int | None:
    """Inside the caller's transaction: the dossiers of `code` received before `moment` (default
    now) with no fee of their own get `old_fee`; the change is logged. How many kept it, or None
    when the fee does not change."""
    old, new = old_fee or 0, new_fee or 0
    if old == new:
        return None
    at = timefmt.to_db_time(moment or timefmt.now())
    count = conn.execute(f"UPDATE dossier_rows SET fee = ? WHERE {EMPTY_FEE.format('<')}",
                         [old, code, at]).rowcount
    log_change(conn, AREA, code + SUFFIX, str(old),
               f"{new}; từ {at}; {vn_number(count)} hồ sơ đã tiếp nhận giữ mức phí cũ", at=at)
    return count


def kept_count(db, code: str, moment: dt.datetime | None = None) -> int:
    """How many dossiers `keep_old_fee` would give the old fee now (a dry run's count)."""
    at = timefmt.to_db_time(moment or timefmt.now())
    return db.execute(f"SELECT COUNT(*) FROM dossier_rows WHERE {EMPTY_FEE.format('<')}",
                      [code, at]).fetchone()[0]


def following(db, code: str, moment: dt.datetime | None = None) -> list[int]:
    """The dossiers of `code` that follow its fee after a change now: no fee of their own,
    received from `moment` on (none but those received at a later clock)."""
    at = timefmt.to_db_time(moment or timefmt.now())
    return [r[0] for r in db.execute(
        f"SELECT id FROM dossier_rows WHERE {EMPTY_FEE.format('>=')} ORDER BY id", [code, at])]


def message(count: int | None, old_fee: int | None, dry_run: bool = False) -> str | None:
    """What the administrator is told after saving a new fee (screen and command line), or
    before it (`dry_run`: a preview of the import)."""
    if count is None:
        return None
    if dry_run:
        return (f"nếu nhập, mức phí mới áp dụng cho hồ sơ tiếp nhận từ nay; {vn_number(count)} "
                f"hồ sơ đã tiếp nhận sẽ giữ mức phí cũ {vn_money(old_fee or 0)}.")
    return (f"Mức phí mới áp dụng cho hồ sơ tiếp nhận từ nay; {vn_number(count)} hồ sơ đã "
            f"tiếp nhận giữ mức phí cũ {vn_money(old_fee or 0)}.")


@dataclass
class Kept:
    """The recorded fee changes, per procedure: (moment text, old fee) in order of moment."""
    changes: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    @classmethod
    def load(cls, db) -> Kept:
        out: dict[str, list[tuple[str, int]]] = {}
        for key, at, old in db.execute(
                "SELECT key, at, old_value FROM setting_changes WHERE area = ? AND key LIKE ? "
                "ORDER BY at, id", [AREA, "%" + SUFFIX]):
            try:
                out.setdefault(key[:-len(SUFFIX)], []).append((at, int(old)))
            except (TypeError, ValueError):
                continue  # not a row this module wrote: vouches for nothing
        return cls(out)

    def fee_at(self, code: str, received_at: str | None) -> int | None:
        """The fee `keep_old_fee` gave a dossier of `code` received at `received_at`: the old fee
        of the first change after its reception; None when no change came after it."""
        changes = self.changes.get(code)
        if not changes or received_at is None:
            return None
        index = bisect.bisect_right([at for at, _ in changes], received_at)
        return changes[index][1] if index < len(changes) else None

    def explains(self, code: str, received_at: str | None, stored_fee, replayed_fee) -> bool:
        """A stored fee the history does not say, written by `keep_old_fee`."""
        return (replayed_fee is None and stored_fee is not None
                and stored_fee == self.fee_at(code, received_at))


def keep_in_package(conn, local: dict[str, dict], batch: list[dict]) -> None:
    """A package's dossiers held here (`local`: their records here, by code), read with the fee
    that stands here when the two differ only by a fee kept (core.exchange.merge):
    - kept here, empty in the package (this installation changed the fee): the kept one, so the
      dossier stays identical, or moves on, with the fee it had, not the new one;
    - empty here, kept by the sender (the sender changed the fee), equal to the fee it has here:
      empty, so it stays identical instead of conflicting over the same fee.
    Its new dossiers are left as they come."""
    kept: Kept | None = None
    current: dict[str, int | None] = {}
    for record in batch:
        mine = local.get(record["code"])
        if mine is None or (record["fields"]["fee"] is None) == (mine["fields"]["fee"] is None):
            continue
        kept = kept if kept is not None else Kept.load(conn)
        ours = mine["fields"]
        here = kept.fee_at(ours["procedure_code"], ours["received_at"])
        if ours["fee"] is not None:
            if here == ours["fee"]:
                record["fields"]["fee"] = ours["fee"]
            continue
        if here is None:
            code = ours["procedure_code"]
            if code not in current:
                row = conn.execute("SELECT fee FROM procedures WHERE code = ?", [code]).fetchone()
                current[code] = row[0] if row else None
            here = current[code]
        if record["fields"]["fee"] == (here or 0):
            record["fields"]["fee"] = None
