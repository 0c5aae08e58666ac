"""Walk-in votes a package may be bringing a second time, by a second route (round 34's walk;
docs/updating.md §2.4).

A vote without a dossier recorded before schema 25 carries no origin (db.vote_origin): a counter's
such vote that reached the centre through a commune PC that merged the counter's package, and then
again in the counter's own package, is stored twice — nothing either copy holds tells them apart
from two identical votes of two PCs (core.actor_names.WalkIns keeps them two). Not decided here;
said, in the preview and the dry run before anything is written: the new walk-in votes of a
package, with no origin, identical in every field to a stored one with no origin that another
installation's package brought (its origin record's ids, core.actor_names.record_origin)."""
from __future__ import annotations

import datetime as dt
from collections import Counter

from core import actor_names
from core.timefmt import vn_date
from db import moments, vote_origin

# The package's new walk-in votes without origin, grouped by their fields (a group's smallest
# id, how many, its moment), each group with every stored one of the same fields: a row for
# each stored vote, not for each pair — a package of 3,000 identical votes at a centre holding
# 3,000 such made 9,000,000 pairs, 47 s of CPU and 1.4 GB for a dry run (break35). GROUP BY
# takes NULLs as one value, as the join's IS does.
SAME_FIELDS = """
WITH n AS (
  SELECT min(id) AS first, count(*) AS votes, voted_at, unit_code, rating, comment, reasons,
         source FROM vote_rows
  WHERE id > :before AND dossier_id IS NULL AND origin IS NULL
  GROUP BY voted_at, unit_code, rating, comment, reasons, source)
SELECT n.first, n.votes, n.voted_at, o.id FROM n JOIN vote_rows o
  ON o.voted_at = n.voted_at AND o.unit_code = n.unit_code AND o.rating = n.rating
 AND o.comment IS n.comment AND o.reasons IS n.reasons AND o.source IS n.source
WHERE o.id <= :before AND o.dossier_id IS NULL AND o.origin IS NULL
ORDER BY o.id
"""


# Is there any? A package of schema 25 on gives every vote its origin, so nearly every package
# brings none: asked first by `votes_dossier` (dossier_id IS NULL, ids above `before`), a seek,
# where SAME_FIELDS walks every stored walk-in vote (the centre's, growing part by part) and the
# records' spans are read (every merged package's): ~2 % of the merge's main thread at 50
# packages of 20,000 dossiers (docs/speed.md, thirty-sixth round)
ANY_NEW = ("SELECT 1 FROM vote_rows WHERE id > ? AND dossier_id IS NULL AND origin IS NULL "
           "LIMIT 1")


def twice(conn, before: int, sender: str) -> tuple[int, Counter, dt.date | None]:
    """Of the votes written after id `before` by a package of `sender`: how many may be a vote
    another installation's package brought here, how many of them each such installation
    brought one like (a vote like two installations' counts for both), and the day of the
    last of them (None: none)."""
    if not sender or conn.execute(ANY_NEW, [before]).fetchone() is None:
        return 0, Counter(), None
    brought = vote_origin.Spans(conn)
    groups: dict[int, tuple[int, int]] = {}  # a group's first id → (its votes, its moment)
    by: dict[str, set[int]] = {}  # another installation → the groups it brought one like
    for first, count, voted, old in conn.execute(SAME_FIELDS, {"before": before}):
        groups[first] = (count, voted)
        for other in brought.of(old) - {"", sender}:
            by.setdefault(other, set()).add(first)
    told = set().union(*by.values()) if by else set()
    last = max((groups[first][1] for first in told), default=None)
    text = moments.to_text(last)  # (seconds: db.moments)
    day = dt.date.fromisoformat(text[:10]) if text else None
    return (sum(groups[first][0] for first in told),
            Counter({other: sum(groups[first][0] for first in firsts)
                     for other, firsts in by.items()}), day)


def warning(conn, before: int, sender: str) -> str | None:
    """The note of `twice`, or None. Either route may come first (the counter's own package
    before the commune's relaying it, or after), and a route may pass through the centre (a
    counter that imported the centre's package sends its votes back: review34a): the note is
    true of each, and said alike by a preview and by an import (`exchange import` without
    --dry-run writes before it is read: its remedy is named too, read34)."""
    count, found, last = twice(conn, before, sender)
    if not count or last is None:
        return None
    routes = ", ".join(f"{actor_names.machine(other)} ({n} phiếu)"
                       for other, n in sorted(found.items()))
    return (f"{count} phiếu đánh giá không gắn hồ sơ, không mang nguồn (ghi trước khi cập nhật), "
            f"giống hệt phiếu đã nhận qua gói của {routes}. Nếu những phiếu ấy đã đi qua một máy "
            "khác (máy xã nhập gói của quầy rồi gửi tiếp, hay một máy nhập gói của trung tâm rồi "
            "gửi lại) thì đó là cùng phiếu và sẽ bị đếm hai lần khi gói này được nhập: đang xem "
            "trước thì đừng nhập gói này, hãy xin máy "
            f"gửi xuất lại gói từ ngày {vn_date(last + dt.timedelta(days=1))}, sau ngày của phiếu "
            "cuối cùng trong số ấy (docs/updating.md, mục 2); đã nhập rồi thì khôi phục bản sao "
            "lưu làm trước lần nhập (Dữ liệu → Khôi phục từ bản sao lưu…) rồi nhập gói xuất lại "
            "ấy. "
            "Nếu hai máy thật sự ghi hai phiếu giống hệt vào cùng một lúc thì đó là hai phiếu, nhập "
            "như thường.")
