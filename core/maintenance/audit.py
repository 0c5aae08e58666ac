"""Does the stored history still prove the data? (spec 10, issue 15)

- `verify_chain`: every event's `hash` is the hash of its content and of the event before it:
  an edited, inserted or deleted event breaks the chain at that event (a deletion at the next
  one, whose id no longer follows), and the first broken link is named with its dossier.
- `verify_fields`: every dossier's audited fields (received, due, finished, returned, status,
  channel, fee) are what its events say (core.history.replay); the first dossier that differs is
  named with the fields, so an edit of `dossiers.received_at` by SQL shows.
- `fingerprint`: the head of the chain in 12 hex digits, printed on every monthly report;
  `against` says whether the data still holds that head with nothing before it changed.
- `compare_chains`: where a restored copy's chain stands against the current one.

The chain proves nothing alone against someone who rewrites every hash after an edit: the
fingerprint on signed paper, or a backup, is what such a rewrite cannot match.
"""
from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from core import fees, history, labels, timefmt
from core.maintenance import audit_rows, recoded
from core.maintenance.inspect import Finding
from db import chain, events_codec, ledger
from db.chain import AUDITED, links

FINGERPRINT_DIGITS = 12
EXAMPLES = 5


@dataclass(frozen=True)
class Head:
    event_id: int
    digest: bytes  # as stored: the first 8 bytes of the full hash since schema 20 (db.chain)
    at: str  # the head event's moment

    @property
    def fingerprint(self) -> str:
        return format_fingerprint(self.digest.hex())


def format_fingerprint(hex_digits: str) -> str:
    """'3f2a9c01b7e4…' → '3F2A-9C01-B7E4': short enough to print and to type back."""
    digits = hex_digits[:FINGERPRINT_DIGITS].upper()
    return "-".join(digits[i:i + 4] for i in range(0, len(digits), 4))


def parse_fingerprint(text: str) -> str | None:
    """The hex digits of a typed fingerprint (spaces, dashes and case ignored), or None."""
    digits = "".join(ch for ch in text.lower() if ch not in " -.:")
    if len(digits) != FINGERPRINT_DIGITS or any(ch not in "0123456789abcdef" for ch in digits):
        return None
    return digits


def chain_head(db) -> Head | None:
    row = db.execute("SELECT id, hash, at FROM events WHERE hash IS NOT NULL "
                     "ORDER BY id DESC LIMIT 1").fetchone()
    return Head(row[0], row[1], row[2]) if row else None


def footer_line(db, moment) -> str:
    """'Dấu kiểm chứng dữ liệu: 3F2A-9C01-B7E4 (lúc 10:15 30/11/2026)' for a report's footer."""
    if head_column_missing(db):
        return ""
    top = chain_head(db)
    if top is None:
        return f"Dấu kiểm chứng dữ liệu: chưa có sự kiện nào (lúc {timefmt.vn_datetime(moment)})"
    return f"Dấu kiểm chứng dữ liệu: {top.fingerprint} (lúc {timefmt.vn_datetime(moment)})"


# ----- the chain ---------------------------------------------------------------------------
def first_break(db, after: int = 0, start: bytes | None = None, progress=None,
                upto: int | None = None) -> tuple[int, str | None, str] | None:
    """(event id, dossier code, what is wrong) of the first broken link, or None; from the
    beginning, or (the quick check at start) after event `after` whose full hash is `start`,
    up to event `upto` (else to the end). Each stored hash is compared with the prefix it keeps
    of the recomputed full one (db.chain: 8 bytes since schema 20), and each mark of
    `chain_marks` with the full hash at its event (a mark edited or missing is named: appends
    and the quick check rely on them). `progress(done, total)` is told every 65,536 events (the
    window's background pass)."""
    end = (1 << 62) if upto is None else upto
    stored = db.execute("SELECT id, hash FROM events WHERE id > ? AND id <= ? ORDER BY id",
                        [after, end])
    content, words = events_codec.raw_content(db, after, upto)
    total = db.execute("SELECT COUNT(*) FROM events WHERE id > ? AND id <= ?",
                       [after, end]).fetchone()[0] if progress else 0
    cut, marked, every = chain.width(db), chain.has_marks(db), chain.MARK_EVERY
    marks = chain.marks(db, after, upto)
    previous = after  # ids follow each other: events are never deleted, a rollback leaves no gap
    for done, ((event_id, digest), (_, _prev, expected)) in enumerate(zip(
            stored, links(content, start, words), strict=True)):
        if progress and not done & 0xFFFF:
            progress(done, total)
        if digest is None:
            return event_id, _code(db, event_id), "sự kiện chưa được niêm phong (không có mã băm)"
        if digest != expected[:cut] and previous and event_id != previous + 1:
            return event_id, _code(db, event_id), ("sự kiện không nối tiếp sự kiện trước nó "
                                                   "(có sự kiện bị xoá, chèn hoặc sửa)")
        if digest != expected[:cut]:
            return event_id, _code(db, event_id), "nội dung sự kiện đã bị sửa sau khi ghi"
        if marked and (event_id // every != previous // every or event_id in marks) \
                and marks.get(event_id) != expected:  # (chain.is_mark, inlined: every event)
            return event_id, _code(db, event_id), MARK_WRONG
        previous = event_id
    return None


MARK_WRONG = ("mã băm đầy đủ lưu làm mốc cho sự kiện này (bảng chain_marks) bị sửa, thiếu hoặc "
              "thừa")


def _code(db, event_id: int) -> str | None:
    row = db.execute("SELECT d.code FROM events e JOIN dossiers d ON d.id = e.dossier_id "
                     "WHERE e.id = ?", [event_id]).fetchone()
    return row[0] if row else None


def verify_chain(db, progress=None) -> Finding:
    return ledger.read_again_lenient(db, lambda: _verify_chain(db, progress))


def _verify_chain(db, progress=None) -> Finding:
    broken = first_break(db, progress=progress)
    if broken is None:
        total = db.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        return Finding(True, f"Chuỗi lịch sử xử lý nguyên vẹn ({timefmt.vn_number(total)} sự kiện).")
    event_id, code, what = broken
    return Finding(False, f"Chuỗi lịch sử bị đứt ở sự kiện số {event_id} của hồ sơ "
                          f"{code or '(không rõ)'}: {what}.")


# ----- stored fields against the events ------------------------------------------------------
def mismatches(db, limit: int = EXAMPLES, ranges: list[tuple[int, int]] | None = None,
               ) -> tuple[int, list[tuple[str, list[str]]]]:
    """(how many dossiers differ from their history, the first `limit` of them with fields);
    of all dossiers, or of those whose ids fall in `ranges` (the quick check at start)."""
    count = 0
    shown: list[tuple[str, list[str]]] = []
    kept = fees.Kept.load(db)  # the fees kept when a procedure's fee changed: no event says them
    for lo, hi in ranges if ranges is not None else [(0, 1 << 62)]:
        for code, wrong in _differing(db, lo, hi, kept):
            count += 1
            if len(shown) < limit:
                shown.append((code, wrong))
    return count, shown


def _differing(db, lo: int, hi: int, kept: fees.Kept) -> Iterator[tuple[str, list[str]]]:
    dossiers = db.execute("SELECT id, code, procedure_code, " + ", ".join(AUDITED)
                          + " FROM dossiers WHERE id BETWEEN ? AND ? ORDER BY id", [lo, hi])
    events = itertools.groupby(events_codec.replay_rows(db, lo, hi), key=lambda row: row[0])
    current = next(events, None)
    for dossier_id, code, procedure, *values in dossiers:
        while current is not None and current[0] < dossier_id:
            current = next(events, None)  # events of a dossier no longer stored
        rows = [row[1:] for row in current[1]] if current and current[0] == dossier_id else []
        stored = dict(zip(AUDITED, values, strict=True))
        replayed = history.replay(rows) if rows else {}
        wrong = history.differences(stored, replayed) if rows else ["không có sự kiện nào"]
        if "fee" in wrong and kept.explains(procedure, stored["received_at"], stored["fee"],
                                            replayed.get("fee")):
            wrong.remove("fee")
        if wrong:
            yield code, wrong


def verify_fields(db, ranges: list[tuple[int, int]] | None = None) -> Finding:
    count, shown = mismatches(db, ranges=ranges)
    if not count:
        return Finding(True, "Thông tin của mọi hồ sơ (tiếp nhận, hạn, xong, trả, trạng thái, "
                             "kênh, lệ phí) khớp với lịch sử xử lý.")
    named = "; ".join(f"{code} ({', '.join(FIELD_VI.get(f, f) for f in fields)})"
                      for code, fields in shown)
    text = (f"Hồ sơ khác với lịch sử xử lý (bị sửa ngoài MotCua?): {named}"
            f" — tổng {timefmt.vn_number(count)} hồ sơ.")
    # a re-coded dossier the old program's keep-both damaged: repaired by an import or in its
    # window, not from a backup (core.exchange.recode.repairable; imported here only then:
    # the exchange is big)
    from core.exchange import recode
    found, arrived = recode.repairable(db, shown)
    if not found and not arrived:
        return Finding(False, text)
    said = [text] + ([recode.repair_text(found)] if found else []) + \
        ([recoded.arrived_text(db, arrived)] if arrived else [])
    return Finding(False, " ".join(said), repair=len(found) + len(arrived) == count)


FIELD_VI = labels.DOSSIER_FIELD_VI  # the fields `mismatches` compares with the history


def audit_findings(db, progress=None) -> list[Finding]:
    if head_column_missing(db):
        return [Finding(False, "Cơ sở dữ liệu chưa có chuỗi lịch sử (lược đồ cũ): hãy mở bằng "
                               "MotCua để nâng cấp rồi kiểm tra lại.")]
    with snapshot(db):  # a text no MotCua writes read leniently: named, not a crash (quick35)
        return ledger.read_again_lenient(db, lambda: once([
            verify_chain(db, progress), audit_rows.verify_head(db), verify_fields(db),
            *audit_rows.verify_rows(db)]))


def once(findings: list[Finding]) -> list[Finding]:
    """Each problem said once: an event edited in the last stretch of the chain is found by the
    chain pass and again by the recorded head's recheck (audit_rows.verify_head hashes the chain
    again from its nearest mark), in the same words; `check` said it twice and counted 2."""
    said: set[str] = set()
    kept = []
    for finding in findings:
        if not finding.ok:
            if finding.text in said:
                continue
            said.add(finding.text)
        kept.append(finding)
    return kept


@contextlib.contextmanager
def snapshot(db) -> Iterator[None]:
    """One read transaction: the passes read side by side (events and dossiers, stored and
    recomputed hashes) while a clerk may be writing; all must see the same data."""
    conn = getattr(db, "conn", db)
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")  # nothing was written


def head_column_missing(db) -> bool:
    return "hash" not in [row[1] for row in db.execute("PRAGMA table_info(events)")]


# ----- a fingerprint on paper ----------------------------------------------------------------
def find_digits(db, digits: str) -> tuple[int, str] | None:
    """(id, moment) of the event whose hash starts with the fingerprint's digits, if any."""
    row = db.execute("SELECT id, at FROM events WHERE substr(hex(hash), 1, ?) = ? "
                     "ORDER BY id LIMIT 1", [len(digits), digits.upper()]).fetchone()
    return (row[0], row[1]) if row else None


def against(db, text: str) -> tuple[bool, str]:
    """Does the data still match a paper that printed fingerprint `text`? (ok, Vietnamese)"""
    digits = parse_fingerprint(text)
    if digits is None:
        return False, (f"Dấu kiểm chứng {text!r} không hợp lệ: cần đúng {FINGERPRINT_DIGITS} chữ số "
                       "thập lục phân (0-9, A-F), ví dụ 3F2A-9C01-B7E4.")
    with snapshot(db):
        return _against(db, digits)


def _against(db, digits: str) -> tuple[bool, str]:
    shown = format_fingerprint(digits)
    found = find_digits(db, digits)
    if found is None:
        return False, (f"KHÔNG KHỚP: dữ liệu hiện tại không còn sự kiện nào mang dấu {shown}; "
                       "lịch sử đã bị thay đổi sau khi in báo cáo (hoặc đây là cơ sở dữ liệu khác).")
    event_id, at = found
    broken = first_break(db)
    if broken is not None and broken[0] <= event_id:
        return False, (f"KHÔNG KHỚP: có sự kiện mang dấu {shown} nhưng lịch sử trước đó đã bị sửa "
                       f"(chuỗi đứt ở sự kiện số {broken[0]} của hồ sơ {broken[1] or '(không rõ)'}).")
    count, shown_rows = mismatches(db, 1)
    if count:
        return False, (f"KHÔNG KHỚP: lịch sử còn nguyên dấu {shown} nhưng {timefmt.vn_number(count)} "
                       f"hồ sơ có thông tin khác với lịch sử (đầu tiên: {shown_rows[0][0]}).")
    rows = [f.text for f in audit_rows.verify_rows(db) if not f.ok]
    if rows:
        return False, f"KHÔNG KHỚP: lịch sử còn nguyên dấu {shown} nhưng {rows[0]}"
    later = db.execute("SELECT COUNT(*) FROM events WHERE id > ?", [event_id]).fetchone()[0]
    moment = timefmt.vn_datetime(timefmt.parse_db_time(at))
    if not later:
        return True, f"KHỚP: dữ liệu đúng như lúc in (dấu {shown}, sự kiện cuối lúc {moment}); chưa có gì thay đổi."
    return True, (f"KHỚP: dữ liệu đến dấu {shown} (sự kiện lúc {moment}) còn nguyên; sau đó có thêm "
                  f"{timefmt.vn_number(later)} sự kiện mới được ghi đúng quy trình.")


# ----- a restored copy against the current ----------------------------------------------------
def compare_chains(restored, current) -> str:
    """Where the restored database's chain stands against the current one (both open
    connections), in one Vietnamese sentence."""
    mine, theirs = _head_or_none(restored), _head_or_none(current)
    if theirs is None:
        return "Cơ sở dữ liệu cũ chưa có chuỗi lịch sử để so sánh."
    if mine is None:
        return "Bản sao lưu chưa có sự kiện nào trong chuỗi lịch sử."
    if mine.digest[:chain.STORED_BYTES] == theirs.digest[:chain.STORED_BYTES]:
        return f"Chuỗi lịch sử của bản khôi phục trùng với dữ liệu trước đó (dấu {mine.fingerprint})."
    if _holds(current, mine):
        lost = current.execute("SELECT COUNT(*) FROM events WHERE id > ?", [mine.event_id]).fetchone()[0]
        return (f"Bản khôi phục cũ hơn: chuỗi của nó (dấu {mine.fingerprint}) nằm trong dữ liệu trước đó; "
                f"{timefmt.vn_number(lost)} sự kiện ghi sau bản sao lưu không còn.")
    if _holds(restored, theirs):
        return (f"Bản khôi phục mới hơn dữ liệu trước đó (dấu {theirs.fingerprint} nằm trong chuỗi "
                f"của nó, dấu mới {mine.fingerprint}).")
    return (f"Chuỗi lịch sử của bản khôi phục (dấu {mine.fingerprint}) KHÁC với dữ liệu trước đó "
            f"(dấu {theirs.fingerprint}): hai lịch sử đã rẽ nhánh.")


def _head_or_none(conn) -> Head | None:
    return None if head_column_missing(conn) else chain_head(conn)


def _holds(conn, head: Head) -> bool:
    """Ids never change in an append-only history: the same hash at the same id means the same
    chain up to there (compared on the prefix both keep: a copy from before schema 20 keeps
    full hashes)."""
    row = conn.execute("SELECT hash FROM events WHERE id = ?", [head.event_id]).fetchone()
    return (row is not None and row[0] is not None
            and row[0][:chain.STORED_BYTES] == head.digest[:chain.STORED_BYTES])
