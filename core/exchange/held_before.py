"""What a sender held before its package's first day and did not send (spec 9: the centre's
report is only as complete as what it took).

A package carries what changed since its first day (`since`); what the sender held of the
package's scope before that day and did not change since stays behind. The centre's report of
a month before a sender's first package said «Đủ» all the same (round 32 walkthrough: three PCs
whose first packages started on 03/12 were «Đủ» in November), although it could not tell a PC
that held nothing before 03/12 from a commune whose November dossiers never arrived.

The package now says it, in its manifest (signed with it, core.exchange.signing):

    "held_before": {"records": N, "from": "2026-10-20 08:00:00" | null}

N dossiers and votes of the scope that the package does not carry — every moment of theirs is
before `since` — and the earliest of their moments (None when N is 0). A vote counts whether or
not its dossier travels: a package carries the votes changed since its first day, so a dossier
changed on 04/12 travels without its vote of 20/11 (review32f). A
program older than this key ignores it (an unknown manifest key is read past); a package
without it (made by an older program) leaves the centre not knowing.

Since round 33 the entry also says it per unit, and counts only the sender's own records
(core.exchange.held_units writes it; core.exchange.held_lines reads the lines and judges a
unit with all the sender's packages carrying it). This module reads and keeps the entry.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.exchange import held_lines
from core.exchange.held_lines import Fellows, Line
from core.exchange.held_units import OPEN
from core.timefmt import parse_db_time, to_db_time, vn_date, vn_number

if TYPE_CHECKING:
    from core.exchange.sources import Source

MANIFEST_KEY = "held_before"


@dataclass(frozen=True)
class Held:
    """What a package said it left behind: `records` before its first day, from `first`; per
    unit (`lines`, core.exchange.held_lines) when it said so in a form that can be taken."""
    records: int
    first: dt.datetime | None
    lines: tuple[Line, ...] | None = None
    open: int | None = None  # of `records`, dossiers still open (None: not said, before round 34)


def read(manifest: dict) -> Held | None:
    """The manifest's entry checked (what a package says is not trusted); None when it has
    none (an older program) or none that can be read (then nothing is known either)."""
    said = manifest.get(MANIFEST_KEY)
    if not isinstance(said, dict):
        return None
    records, first = said.get("records"), said.get("from")
    if type(records) is not int or not 0 <= records < 10**12:
        return None
    if records == 0:
        return Held(0, None, open=0)
    still = said.get(OPEN)
    if not (type(still) is int and 0 <= still <= records):
        still = None  # not said (an older program) or not as written: not known
    lines = held_lines.read(said.get(held_lines.KEY), records, _moment,
                            said.get(held_lines.BROUGHT, []))
    if lines is not None and lines and (lines[0].open is None) != (still is None):
        lines = None  # the lines and the totals say `open` alike, or the lines are not taken
    return Held(records, _moment(first), lines, still)


def _moment(text) -> dt.datetime | None:
    """A moment as the centre keeps them (naive, local, in a year a calendar has); None for
    any other: an offset made the report's comparisons raise TypeError (review32f)."""
    try:
        moment = parse_db_time(text) if isinstance(text, str) else None
    except ValueError:
        return None
    if moment is None or moment.tzinfo is not None or not 1900 <= moment.year <= 2199:
        return None
    return moment


def stored(held: Held | None, since: str) -> dict:
    """What the centre keeps of it beside the package's first day (sources' row, `start`)."""
    out: dict = {"since": since}
    if held is not None:
        out["records"] = held.records
        if held.open is not None:
            out[OPEN] = held.open
        # all it left behind is dated before its first day: a `from` on or after it is not
        # taken (a far-future one would clear every period before it)
        if held.first is not None and held.first < parse_db_time(since):
            out["from"] = to_db_time(held.first)
        if held.lines is not None:
            out[held_lines.KEY] = held_lines.stored(held.lines, parse_db_time(since), to_db_time)
    return out


def earlier_start(old: dict | None, new: dict) -> dict:
    """The start a sender's data is known from: of its package with the earliest first day; of
    two with the same day, one that said what it left behind, the more left behind, the one
    that said it per unit."""
    if not readable(old):
        return new
    assert old is not None
    if new["since"] != old["since"]:
        return new if new["since"] < old["since"] else old
    if "records" not in new or ("records" in old and old["records"] > new["records"]):
        return old
    if "records" in old and old["records"] == new["records"] and \
            (OPEN in old, held_lines.KEY in old) >= (OPEN in new, held_lines.KEY in new):
        return old
    return new  # of two alike, the one that says which are still open, or says it per unit


def readable(start) -> bool:
    """A stored start as `stored` writes it (the one rule of its readers: `start_of`,
    `earlier_start`, held_cleared.applied); anything else, edited by SQL, is read as no start
    (never compared: an `open` beside records "5" stopped the report and the import, review36)."""
    if not isinstance(start, dict) or not isinstance(start.get("since"), str):
        return False
    if _moment(start["since"]) is None or ("from" in start and _moment(start["from"]) is None):
        return False
    records = start.get("records", 0)  # (`open` 0 alone: an older program's start settled,
    if type(records) is not int:       # held_cleared.applied)
        return False
    if held_lines.KEY in start and _lines(start) is None:
        return False
    return OPEN not in start or (type(start[OPEN]) is int and 0 <= start[OPEN] <= records)


def _lines(start: dict) -> tuple[Line, ...] | None:
    records = start.get("records")
    return held_lines.start_lines(start.get(held_lines.KEY), records, _moment) \
        if type(records) is int else None


@dataclass(frozen=True)
class Start:
    """Where a sender's data begins at the centre, and what it left behind before then."""
    at: dt.datetime
    known: bool                   # its package said what it held before (a newer program)
    records: int = 0              # left behind, all before `at`
    first: dt.datetime | None = None
    lines: tuple[Line, ...] | None = None  # the same per unit (a package since round 33)
    open: int | None = None       # of `records`, dossiers still open (None: not said)


def start_of(start) -> Start | None:
    """A stored start read back; None for one not as written (a row of an older version)."""
    if not readable(start):
        return None
    at = parse_db_time(start["since"])
    if "records" not in start:
        return Start(at, False, open=start.get(OPEN))
    first = parse_db_time(start["from"]) if "from" in start else None
    return Start(at, True, start["records"], first, _lines(start), start.get(OPEN))


# ----- the report: a sender's data beginning after the period's start --------------------------

def counts_in(records: int, first: dt.datetime | None, still: int | None, at: dt.datetime,
              begin: dt.datetime, needed: dt.datetime) -> bool | None:
    """Whether records left behind before `at` (the package's first day; the earliest from
    `first`, `still` of them open) count in the figures of [begin, needed): True, False, or
    None when not known (a package before round 34 did not say which are open). The one rule
    of the report's sources. A dossier counts while received in the period or carried over
    into it (received before, not closed before its start: core.indicators.drill); records
    left behind are all dated before `at`, so a period beginning on or after it counts only
    the open ones (round 33 said «Đủ» for a commune whose first package began 01/10 while
    its open dossiers of September, carried over into every later month, never arrived)."""
    if records == 0 or (first is not None and first >= needed):
        return False
    if at > begin:
        return True  # received or closed within the period, for all that is said of them
    return None if still is None else still > 0


def settled(start: Start, first: dt.datetime, begin: dt.datetime) -> bool:
    """A start of a program before round 32 (it said nothing of what it left behind) that a
    later package settled (held_cleared.applied: none of it is still open), for a period
    beginning on or after it: such a period counts only what is still open (counts_in)."""
    return not start.known and start.open == 0 and start.at <= first <= begin


def lacking(row: Source, begin: dt.datetime, needed: dt.datetime,
            fellows: Fellows | None = None) -> tuple[bool, str] | None:
    """(unsure, the warning) when what the sender left behind before its data here begins
    counts in the period (counts_in) and did not reach this installation by another of its
    packages; None when nothing is missing there. Round 32: November «Đủ» for PCs whose first
    packages began on 03/12; round 34: «Đủ» for a sender whose first package began before
    the period although its older open dossiers, carried over into it, never arrived. A
    package that said per unit what it left behind is judged per unit with the sender's
    other packages (`fellows`: a unit package from 01/10 brought what an all-units one from
    01/11 left)."""
    first = row.covered[0][0] if row.covered else row.since
    start = row.start
    if start is None or not start.known or start.at > first:
        if start is not None and settled(start, first, begin):
            return None
        if first > begin:
            return True, unknown_start_sentence(row, begin, first, needed)
        return True, unknown_open_sentence(row, begin, first, needed)
    if start.lines is None:
        said = counts_in(start.records, start.first, start.open, start.at, begin, needed)
        if not said:
            return None if said is False else (True, unknown_open_sentence(row, begin, first, needed))
        return False, _sentence(row, start, begin, first, needed)
    lacks, unknown = held_lines.missing(row, begin, needed, fellows)
    if not lacks:
        return (True, unknown_open_sentence(row, begin, unknown, needed)) if unknown else None
    moments = [line.first for line in lacks if line.first is not None]
    counted = [line.open for line in lacks]
    lacked = Start(start.at, True, sum(line.records for line in lacks),
                   min(moments) if len(moments) == len(lacks) else None, None,
                   None if None in counted else sum(c or 0 for c in counted))
    units = ""
    if fellows is not None and {line.unit for line in lacks} != {row.unit}:
        units = f" ({held_lines.named(lacks, fellows.names, first <= begin)})"
    return False, _sentence(row, lacked, begin, first, needed, units)


def _sentence(row: Source, start: Start, begin: dt.datetime, first: dt.datetime,
              needed: dt.datetime, units: str = "") -> str:
    if first > begin:
        return held_sentence(row, start, begin, first, needed, units)
    return carried_sentence(row, start, first, units)


def carried_sentence(row: Source, start: Start, first: dt.datetime, units: str = "") -> str:
    """The sender's data begins on or before the period's start, but dossiers it left behind,
    still open, are carried over into the period."""
    from core.exchange.sources import moment_text
    again = start.first if start.first is not None else first
    return (f"Số liệu của {row.who} có từ {moment_text(first)}, nhưng máy đó còn "
            f"{vn_number(start.open or 0)} hồ sơ chưa giải quyết xong tiếp nhận trước ngày đó "
            f"chưa gửi về máy này{units}: các hồ sơ ấy được tính là hồ sơ kỳ trước chuyển "
            "sang trong kỳ báo cáo, nên số liệu của máy đó trong báo cáo này còn thiếu. Hãy xin "
            f"máy đó xuất lại gói từ ngày {vn_date(again)} rồi in lại.")


def unknown_open_sentence(row: Source, begin: dt.datetime, first: dt.datetime,
                          needed: dt.datetime) -> str:
    """The package a sender's data (or a unit's) begins with, from on or before the period's
    start, made by a program that did not say what it left behind, or which of it is still
    open."""
    from core.exchange.sources import moment_text, reach_text
    return (f"Số liệu của {row.who} có từ {moment_text(first)}; gói từ ngày đó do phiên bản "
            "cũ lập, không ghi máy đó còn hồ sơ hoặc phiếu đánh giá nào từ trước ngày đó chưa "
            "gửi về máy này hay không (hồ sơ chưa giải quyết xong được tính là hồ sơ kỳ trước "
            f"chuyển sang), nên không biết số liệu từ {moment_text(begin)} đến "
            f"{reach_text(needed)} đã đủ hay chưa. Hãy xin máy đó dùng phiên bản mới xuất gói "
            "như thường lệ rồi nhập và in lại; nếu vẫn chưa rõ, "
            f"xin máy đó xuất lại gói từ ngày {vn_date(first)}.")


def held_sentence(row: Source, start: Start, begin: dt.datetime, first: dt.datetime,
                  needed: dt.datetime, units: str = "") -> str:
    from core.exchange.sources import moment_text, reach_text
    since = max(begin, start.first) if start.first is not None else begin
    # none of it open: a package from the period's start brings all the period counts; one
    # reaching further back re-sends what may have come another way (a counter its commune
    # relayed: its pre-update walk-in votes again, walk34; review34c)
    again = since if start.open == 0 or start.first is None else start.first
    return (f"Số liệu của {row.who} chỉ có từ {moment_text(first)}: máy đó còn "
            f"{vn_number(start.records)} hồ sơ hoặc phiếu đánh giá từ trước ngày đó chưa gửi về "
            f"máy này{units}, "
            f"nên thiếu số liệu từ {moment_text(since)} đến {reach_text(min(first, needed))}. "
            f"Hãy xin máy đó xuất lại gói từ ngày {vn_date(again)} rồi in lại.")


def unknown_start_sentence(row: Source, begin: dt.datetime, first: dt.datetime,
                           needed: dt.datetime) -> str:
    from core.exchange.sources import moment_text, reach_text
    return (f"Số liệu của {row.who} chỉ có từ {moment_text(first)}; gói của máy đó do phiên "
            "bản cũ lập, không ghi máy đó có số liệu trước ngày này hay không, nên không biết "
            f"số liệu từ {moment_text(begin)} đến {reach_text(min(first, needed))} đã đủ hay "
            f"chưa. Hãy xin máy đó dùng phiên bản mới xuất lại gói từ ngày {vn_date(begin)} rồi "
            "in lại.")
