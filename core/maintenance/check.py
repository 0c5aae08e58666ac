"""`check`: is the database intact, and do the stored indicator sums agree with the dossiers?

The structural checks (core.maintenance.inspect: which program and schema version the file
belongs to, the whole schema, integrity, foreign keys, the stored facts) run read-only before
anything is migrated, so a damaged or foreign file is reported and left alone. The derived-data
check then sums what every dossier's stored facts and every vote contribute (`core.facts.marks`)
and compares it with `kpi_daily`, the table the indicators read: a difference there means
reports would show wrong figures. The register's search index is compared with the dossiers'
keys and rebuilt when it differs (`search_index`). Last, the history (core.maintenance.audit): the hash chain
of the events, and every dossier's stored fields against what its events say.
"""
from __future__ import annotations

import datetime as dt
import sqlite3
from collections import Counter
from pathlib import Path

from core import catalogue, facts, unit_absent, unit_text
from core.database import open_database
from core.maintenance.audit import against, audit_findings, head_column_missing
from core.maintenance.inspect import Finding, examine
from core.timefmt import vn_date, vn_number
from db import facts_codec, fulltext, vote_origin
from db.connection import transaction
from db.readonly import read_connection
from db.schema import KPI_COLUMNS

EXAMPLES = 5


def check_database(path: str | Path) -> list[Finding]:
    """All findings about the database at `path`; a missing file raises (nothing is created)."""
    path = Path(path)
    if not path.is_file():
        open_database(path, create=False)  # raises its clear "not found" message, writes nothing
    found = examine(path)
    if not found[0].ok:
        # not a MotCua file (empty, another program's, unreadable) or a newer version's: that
        # one finding says it all. Its history read as ours added "chưa có chuỗi lịch sử (lược
        # đồ cũ): hãy mở bằng MotCua để nâng cấp" under "không phải là cơ sở dữ liệu MotCua"
        return found
    if not all(f.ok for f in found):
        # never migrate or rebuild a file that is damaged; the history is still read
        # (read-only), so an edit by SQL is named even when it also shows elsewhere
        return found + _history_read_only(path)
    db = open_database(path, create=False, mode="read")
    try:
        if getattr(db, "read_only", False):
            return found + [Finding(True, "Mở ở chế độ chỉ đọc (tệp chỉ đọc hoặc ổ đĩa đầy): "
                                          "bỏ qua việc so số liệu tổng hợp (kpi_daily)."),
                            dossiers_in_unit_life(db), unit_links(db), unit_texts(db),
                            vote_origins(db), *audit_findings(db)]
        return found + derived_data(db)
    finally:
        db.close()


def _history_read_only(path: Path) -> list[Finding]:
    try:
        conn = read_connection(path)
    except sqlite3.Error:
        return []  # examine has said why the file cannot be read
    try:
        return audit_findings(conn)
    except sqlite3.Error:
        return []  # a damaged file: examine has named the damage
    finally:
        conn.close()


def fingerprint_matches(path: str | Path, fingerprint: str) -> tuple[bool, str]:
    """(ok, Vietnamese verdict): does the database at `path` still match a paper that printed
    `fingerprint`? Read-only: what `check` would call a problem (a dropped trigger, a changed
    row) is exactly what this answer is about, so only an unreadable file is refused."""
    path = Path(path)
    if not path.is_file():
        open_database(path, create=False)  # raises its clear "not found" message
    try:
        conn = read_connection(path)
    except sqlite3.Error:
        return False, "Không so được: " + "; ".join(f.text for f in examine(path) if not f.ok)
    try:
        if head_column_missing(conn):
            return False, ("Cơ sở dữ liệu chưa có chuỗi lịch sử (lược đồ cũ): hãy mở bằng MotCua "
                           "để nâng cấp rồi so lại.")
        return against(conn, fingerprint)
    except sqlite3.DatabaseError:
        return False, "Không so được: " + "; ".join(f.text for f in examine(path) if not f.ok)
    finally:
        conn.close()


def derived_data(db) -> list[Finding]:
    return [_facts_present(db), _kpi_daily_matches(db), one_vote_a_dossier(db),
            dossiers_in_unit_life(db), unit_links(db), unit_texts(db), vote_origins(db),
            search_index(db), *audit_findings(db)]


def unit_links(db) -> Finding:
    """No loop of the catalogue's parent or successor links (core.catalogue.stored_loops: the
    desk's, `import units`' and a package's one rule, read and walked once a link): a database
    written before them, or edited by SQL, may hold one; a unit's scope then ends where its
    walk comes back (core.unit_scope.unit_subtrees). Each loop said once, from its first code."""
    said = []
    for link, (what, _self) in catalogue.LINK_WORDS.items():
        loops = catalogue.stored_loops(db, link)
        cycles = {id(cycle): cycle for cycle, _place in loops.values()}
        said += [f"{what} tạo thành vòng lặp: {catalogue.loop_words(cycle, 0)}"
                 for cycle in sorted(cycles.values(), key=min)[:EXAMPLES]]
    if not said:
        return Finding(True, "Danh mục đơn vị không có vòng lặp cấp trên hay đơn vị kế thừa.")
    text = "; ".join(said)
    return Finding(False, f"Danh mục đơn vị có vòng lặp: {text[0].upper()}{text[1:]}. Hãy sửa "
                          "cấp trên hoặc đơn vị kế thừa của một đơn vị trên vòng trong Danh mục "
                          "rồi chạy lại lệnh kiểm tra (check).", repair=True)


def unit_texts(db) -> Finding:
    """Every unit's code and name within the catalogue's rule (core.unit_text: no more than 40
    and 200 characters, no control character, a code no invisible one, nothing at the ends): a
    database written before the desk, `import units` and a package's units refused them may
    hold one. Said in their words, a code's refused character as U+FFFD; the database is
    opened and used as before."""
    count, said = unit_text.stored_faults(db, EXAMPLES)
    if not count:
        return Finding(True, "Mã và tên mọi đơn vị trong Danh mục đúng quy tắc (độ dài, không có "
                             "ký tự điều khiển).")
    more = f"; và {vn_number(count - len(said))} đơn vị khác" if count > len(said) else ""
    return Finding(False, f"{vn_number(count)} đơn vị trong Danh mục có mã hoặc tên trái quy tắc "
                          f"(lưu từ phiên bản cũ): {'; '.join(said)}{more}. Hãy sửa tên trong "
                          "Danh mục; mã sai: thêm đơn vị mới với mã đúng, ghi nó là đơn vị kế "
                          "thừa của đơn vị cũ, rồi chạy lại lệnh kiểm tra (check).", repair=True)


def dossiers_in_unit_life(db) -> Finding:
    """Every dossier received at, and given to, a unit in existence on its reception day (the
    desk's rule, core.moment.unit_absent_reason, found by core.unit_absent.units_absent: one
    query of index look-ups from the dated units). A database written before round 29 (a unit's
    end date set before its dossiers) or 30 (a package's dossier at a dissolved commune) may
    hold such dossiers: they count in a dissolved unit's row, and the database's export no
    longer imports into a fresh one (spec 7). Said with the unit's dates that keep them."""
    found = unit_absent.units_absent(db)
    if not found:
        return Finding(True, "Mọi hồ sơ được tiếp nhận và giao giải quyết ở đơn vị đang hoạt "
                             "động vào ngày tiếp nhận (theo ngày hoạt động trong Danh mục).")
    return Finding(False, f"{vn_number(unit_absent.dossier_count(found))} hồ sơ được tiếp nhận "
                          "tại, hoặc giao giải quyết cho, đơn vị vào ngày đơn vị ấy không hoạt "
                          "động (có thể có từ trước khi MotCua chặn việc này ở Danh mục và khi nhập "
                          "gói trao đổi): hồ sơ được tính ở dòng của một đơn vị không hoạt động vào "
                          "ngày tiếp nhận và dữ liệu xuất ra (export) không nhập lại được vào cơ "
                          "sở dữ liệu mới. "
                          f"{unit_absent.units_text(db, found)}. Nếu đơn vị thực sự còn tiếp "
                          "nhận, giải quyết hồ sơ những ngày đó, sửa ngày hoạt động của đơn vị "
                          "trong Danh mục như trên rồi chạy lại lệnh kiểm tra (check).",
                   repair=True)


def one_vote_a_dossier(db) -> Finding:
    """A citizen gives one vote a dossier (the kiosk, the window and the vote import refuse a
    second): a dossier with two live votes counts a vote twice in the satisfaction share, or
    holds another citizen's (an exchange choice of an older program put it there)."""
    rows = db.execute(
        "SELECT d.code, COUNT(*) FROM votes v JOIN dossiers d ON d.id = v.dossier_id "
        "WHERE v.cancelled_at IS NULL GROUP BY v.dossier_id HAVING COUNT(*) > 1 "
        "ORDER BY d.code").fetchall()
    if not rows:
        return Finding(True, "Mỗi hồ sơ có nhiều nhất một phiếu đánh giá còn hiệu lực.")
    named = "; ".join(f"{code} ({count} phiếu)" for code, count in rows[:EXAMPLES])
    more = f" và {vn_number(len(rows) - EXAMPLES)} hồ sơ khác" if len(rows) > EXAMPLES else ""
    return Finding(False, f"Hồ sơ có hơn một phiếu đánh giá còn hiệu lực (một phiếu bị tính hai "
                          f"lần, hoặc phiếu của công dân khác nằm nhầm hồ sơ): {named}{more}. "
                          "Mở hồ sơ (dòng Đánh giá nêu từng phiếu), xem Lịch sử xử lý để biết "
                          "phiếu nào thừa; bấm «Huỷ phiếu đánh giá…», chọn đúng phiếu thừa trong "
                          "bảng của hộp thoại rồi ghi lý do.", repair=True)


def vote_origins(db) -> Finding:
    """Every vote's origin (db.vote_origin) of its form, and each naming this installation the
    id of a vote of that origin here: the origin decides which stored walk-in vote a package's
    is (core.exchange.records.vote_match). An edit by SQL of a set origin also shows in the
    ledger (db.ledger.WHEN_SET: its hash covers it); this names which vote, and what is wrong
    with it. Another installation's ids are not looked up."""
    try:
        here, unread = vote_origin.stored_here(db), ""
    except ValueError:  # its votes cannot be told: said, not passed as pointing right
        here, unread = None, ("Mã cài đặt của máy này (cài đặt installation_id) không đọc được "
                              "(bị sửa bên ngoài MotCua?): không xét được phiếu do máy này ghi "
                              "có trỏ đúng phiếu của máy này không.")
    count, ids = vote_origin.faults(db, here, EXAMPLES)
    if not count:
        return Finding(not unread, unread or "Nguồn của mọi phiếu đánh giá đúng dạng, phiếu do "
                                             "máy này ghi trỏ đúng phiếu của máy này.")
    named = ", ".join(str(i) for i in ids)
    more = f" và {vn_number(count - len(ids))} phiếu khác" if count > len(ids) else ""
    return Finding(False, f"{vn_number(count)} phiếu đánh giá có nguồn (cột origin) sai dạng "
                          "hoặc trỏ tới phiếu không có ở máy này (bị sửa bên ngoài MotCua): "
                          f"phiếu số {named}{more}. Phiếu không gắn hồ sơ có thể bị khớp nhầm "
                          "khi nhập gói trao đổi." + (f" {unread}" if unread else ""))


def search_index(db) -> Finding:
    """The register's search index (db.fulltext) against the dossiers' keys; rebuilt at once
    when they disagree: it is derived data, nothing is lost by building it again."""
    with transaction(db) as conn:  # FTS5 checks through an INSERT: a write, though it writes nothing
        intact = fulltext.is_intact(conn)
        if not intact:
            fulltext.rebuild(conn)
    if intact:
        return Finding(True, "Chỉ mục tìm kiếm hồ sơ khớp với dữ liệu hồ sơ.")
    return Finding(False, "Chỉ mục tìm kiếm hồ sơ không khớp với dữ liệu hồ sơ (tìm kiếm có thể "
                          "bỏ sót hồ sơ). Đã dựng lại chỉ mục từ dữ liệu hồ sơ; chạy lại lệnh "
                          "kiểm tra (check) để xác nhận.")


def _facts_present(db) -> Finding:
    missing = db.execute("SELECT COUNT(*) FROM dossiers WHERE facts IS NULL").fetchone()[0]
    if missing:
        return Finding(False, f"{missing} hồ sơ chưa được tính hạn và chỉ tiêu.")
    total = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    return Finding(True, f"Cả {total} hồ sơ đã được tính hạn và chỉ tiêu.")


def expected_sums(db) -> Counter:
    """What kpi_daily should hold: every dossier's marks plus the votes, per unit, day, column."""
    expected: Counter = Counter()
    for text, *origin in db.execute(
            f"SELECT facts, {facts_codec.origin_columns()} FROM dossiers WHERE facts IS NOT NULL"):
        expected.update(facts.marks(facts_codec.decode(text, *origin)))
    for unit, day, votes, satisfied in db.execute(
            "SELECT unit_code, substr(voted_at, 1, 10), COUNT(*), "
            "SUM(rating IN ('very_satisfied', 'satisfied')) FROM votes WHERE cancelled_at IS NULL "
            "GROUP BY 1, 2"):
        expected[(unit, day, "votes")] += votes
        expected[(unit, day, "satisfied")] += satisfied
    return +expected  # drop zero counts


def stored_sums(db) -> Counter:
    stored: Counter = Counter()
    columns = ", ".join(KPI_COLUMNS)
    for row in db.execute(f"SELECT unit_code, day, {columns} FROM kpi_daily"):
        for column, value in zip(KPI_COLUMNS, row[2:], strict=True):
            if value:
                stored[(row[0], row[1], column)] = value
    return stored


def _kpi_daily_matches(db) -> Finding:
    expected, stored = expected_sums(db), stored_sums(db)
    # a key of None (a vote's moment edited past the years a date holds: no day) sorted as
    # text, beside the others, not a crash log (break34)
    wrong = sorted((key for key in expected.keys() | stored.keys() if expected[key] != stored[key]),
                   key=lambda key: tuple("" if part is None else str(part) for part in key))
    if not wrong:
        return Finding(True, "Số liệu tổng hợp của các chỉ tiêu (kpi_daily) khớp với hồ sơ và phiếu đánh giá.")
    facts.mark_stale(db)  # the next opening rebuilds them from the dossiers
    shown = "; ".join(f"đơn vị {unit}, ngày {_show_day(day)}, cột {column}: đang lưu "
                      f"{stored[(unit, day, column)]}, tính lại được {expected[(unit, day, column)]}"
                      for unit, day, column in wrong[:EXAMPLES])
    return Finding(False, f"Số liệu tổng hợp của các chỉ tiêu lệch ở {len(wrong)} ô ({shown}). "
                          "Chúng sẽ được tính lại từ hồ sơ khi mở ứng dụng lần sau.")


def _show_day(text: str | None) -> str:
    if text is None:
        return "(không đọc được)"
    try:
        return vn_date(dt.date.fromisoformat(text))
    except (TypeError, ValueError):
        return str(text)  # a malformed day is itself worth seeing as it is
