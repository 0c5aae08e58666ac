"""Do the payments, votes, waits and extensions, and the chain's end, still hold? (spec 10,
issue 15 §2)

- `verify_rows`: the sums of the ledger (db.ledger) are recomputed from the rows of each table
  and compared bucket by bucket: an UPDATE of any column of a payment, vote, wait or extension
  by SQL, a deleted or an added row shows, named with the table and the range of ids, and
  whether rows went missing, appeared, or changed.
- `verify_head`: the chain still ends at the event the writers recorded as its head, so
  deleting the last events (which breaks no link) is named.
"""
from __future__ import annotations

from core import timefmt
from core.maintenance.inspect import Finding
from db import chain, ledger

TABLE_VI = {"payments": "Khoản thu", "votes": "Phiếu đánh giá", "supplements": "Yêu cầu bổ sung",
            "extensions": "Gia hạn"}
EXAMPLES = 3


def verify_rows(db) -> list[Finding]:
    """A finding for each table that differs from its ledger, or one saying all agree (spec 10:
    any single edit of such a row shows)."""
    wrong, rows = [], []
    for table in ledger.TABLES:
        try:
            recorded = ledger.stored(db, table)
        except ledger.Unreadable:  # edited by SQL: the writers leave it so (db.ledger._apply)
            wrong.append(Finding(False, f"{TABLE_VI[table]}: sổ kiểm không đọc được (bị sửa ngoài "
                                        "MotCua), không kiểm được các dòng có bị sửa không."))
            continue
        if recorded is None:
            wrong.append(Finding(False, f"{TABLE_VI[table]}: chưa có sổ kiểm (cơ sở dữ liệu của "
                                        "phiên bản trước chưa mở lại bằng MotCua, hoặc sổ kiểm "
                                        "đã bị xoá)."))
            continue
        now = ledger.sums(db, table)
        rows.append(timefmt.vn_number(sum(count for count, _ in now.values())))
        problem = _compare(table, recorded, now)
        if problem:
            wrong.append(Finding(False, problem))
    if wrong:
        return wrong
    return [Finding(True, f"Khoản thu, phiếu đánh giá, yêu cầu bổ sung, gia hạn ({', '.join(rows)} "
                          "dòng) khớp với sổ kiểm.")]


def _compare(table: str, recorded: ledger.Sums, now: ledger.Sums) -> str | None:
    wrong = sorted(bucket for bucket in recorded.keys() | now.keys()
                   if recorded.get(bucket, [0, 0]) != now.get(bucket, [0, 0]))
    if not wrong:
        return None
    said = "; ".join(_bucket_text(b, recorded.get(b, [0, 0])[0], now.get(b, [0, 0])[0])
                     for b in wrong[:EXAMPLES])
    more = f" và {len(wrong) - EXAMPLES} khoảng khác" if len(wrong) > EXAMPLES else ""
    return f"{TABLE_VI[table]} bị sửa ngoài MotCua: {said}{more}."


def _bucket_text(bucket: int, recorded: int, now: int) -> str:
    lo = max(bucket << ledger.BUCKET_BITS, 1)
    hi = ((bucket + 1) << ledger.BUCKET_BITS) - 1
    where = f"các dòng số {timefmt.vn_number(lo)}–{timefmt.vn_number(hi)}"
    if now < recorded:
        return f"{where} thiếu {timefmt.vn_number(recorded - now)} dòng (bị xoá)"
    if now > recorded:
        return f"{where} thừa {timefmt.vn_number(now - recorded)} dòng (thêm không qua MotCua)"
    return f"{where} có dòng bị sửa nội dung"


def _full_head_differs(db, event_id: int, recorded: str) -> str | None:
    """Since schema 20 the table keeps a prefix of each hash (db.chain) and the writers chain the
    next event over the recorded full hash: the events from the nearest mark up to the head are
    hashed again (at most 1,024) and the head's full hash must be the recorded one. What is
    wrong (an event of them edited is named as the chain pass names it), or None."""
    if not chain.has_marks(db):
        return None
    broken, full = chain.recheck_to(db, event_id)
    if broken is not None:
        row = db.execute("SELECT d.code FROM events e JOIN dossiers d ON d.id = e.dossier_id "
                         "WHERE e.id = ?", [broken]).fetchone()
        return (f"Chuỗi lịch sử bị đứt ở sự kiện số {broken} của hồ sơ "
                f"{row[0] if row else '(không rõ)'}: nội dung sự kiện đã bị sửa sau khi ghi.")
    if full == bytes.fromhex(recorded):
        return None
    return (f"Mã băm đầy đủ MotCua ghi cho sự kiện cuối (số {event_id}) không khớp với chuỗi "
            "tính lại từ mốc gần nhất (bản ghi đầu chuỗi đã bị sửa).")


def _same_prefix(db, stored: bytes, recorded: str) -> bool:
    try:
        full = bytes.fromhex(recorded)
    except ValueError:
        return False
    return len(full) == chain.FULL_BYTES and stored == full[:chain.width(db)]


def verify_head(db) -> Finding:
    """The chain ends where the writers last recorded it (db.ledger.record_head)."""
    top = db.execute("SELECT id, hash FROM events WHERE hash IS NOT NULL "
                     "ORDER BY id DESC LIMIT 1").fetchone()
    recorded = ledger.recorded_head(db)
    if recorded is None:
        if top is None:
            return Finding(True, "Chuỗi lịch sử chưa có sự kiện nào.")
        return Finding(False, "Chưa có bản ghi đầu chuỗi lịch sử (cơ sở dữ liệu của phiên bản "
                              "trước chưa mở lại bằng MotCua, hoặc bản ghi đã bị xoá).")
    event_id, digest = recorded
    if top is None or top[0] < event_id:
        end = f"chỉ còn đến sự kiện số {top[0]}" if top else "không còn sự kiện nào"
        return Finding(False, f"Chuỗi lịch sử mất các sự kiện cuối: MotCua ghi đến sự kiện số "
                              f"{event_id} nhưng chuỗi {end} (sự kiện cuối bị xoá).")
    if top[0] > event_id:
        return Finding(False, f"Chuỗi lịch sử có {timefmt.vn_number(top[0] - event_id)} sự kiện "
                              f"sau sự kiện số {event_id} không do MotCua ghi.")
    if not _same_prefix(db, top[1], digest):
        return Finding(False, f"Sự kiện cuối của chuỗi (số {event_id}) không phải sự kiện "
                              "MotCua đã ghi (bị thay).")
    differs = _full_head_differs(db, event_id, digest)
    if differs:
        return Finding(False, differs)
    return Finding(True, f"Chuỗi lịch sử kết thúc đúng ở sự kiện MotCua ghi sau cùng (số {event_id}).")
