"""The kept facts of the copied dossiers, read in the second process (`_facts_job`): the texts
Store would write otherwise, the dossiers whose facts are computed at the centre, and their kpi
marks summed there per operation (`_Marks`, asked for once at the end: `_marks_total`). Each
distinct facts text of a part is read once (`_reading`)."""
from __future__ import annotations

import json
from collections import Counter
from typing import Any

from core import facts
from core.exchange.fastcopy.chain_jobs import _forget_tails
from core.exchange.fastcopy.partdb import _open_part
from db import facts_codec


# The kpi marks of the kept facts read by the process running the facts jobs, summed there per
# operation (Copier.token) until Copier.finish asks for them (`_marks_total`): one Counter
# crosses to the main process, not each part's ~70,000 keys a 20,000-dossier part (pickled,
# then added one by one by Python in the main process: ~0.1 s a part there)
class _Marks:
    """An operation's kpi marks in the process reading its facts: those laid on a row's own
    unit and a day (nearly all, ~200,000 a 20,000-dossier part) as (unit, day) → {column:
    count}, the others as {(unit, day, column): count}. A mark is added by a look-up of its
    column in its row's day's dict, not a tuple made and hashed twice a mark (the part's
    job ~¼ quicker); `total` makes the one Counter at the end."""
    __slots__ = ("by_day", "other")

    def __init__(self) -> None:
        self.by_day: dict[tuple, dict] = {}
        self.other: Counter = Counter()

    def __bool__(self) -> bool:
        return bool(self.by_day or self.other)

    def day(self, unit, date) -> dict:
        """The columns' counts of the unit on that day."""
        found = self.by_day.get((unit, date))
        if found is None:
            found = self.by_day[(unit, date)] = {}
        return found

    def total(self) -> Counter:
        total = Counter({(unit, day, column): count for (unit, day), columns
                         in self.by_day.items() for column, count in columns.items()})
        total.update(self.other)
        return total


_MARKS: dict[str, _Marks] = {}
# The copied dossiers' kept facts with the row values they are read with (the counted unit,
# the moments as the view's text), in part order
_COPIED_FACTS = ("SELECT facts, COALESCE(NULLIF(competent_unit_code, ''), unit_code), "
                 "datetime(received_at, 'unixepoch'), datetime(calc_due_at, 'unixepoch'), "
                 "datetime(finished_at, 'unixepoch') FROM dossier_rows WHERE id NOT IN "
                 "(SELECT id FROM temp.left) ORDER BY id")


def _facts_job(path: str, left: list[int], token: str) -> tuple[list, list]:
    """Store._derived's reading of the copied dossiers' kept facts, by their place among the
    copied ones: (the texts Store would write where the sender's differ; the places of those
    without readable facts, computed at the centre); their kpi marks are added to the
    operation's (`_MARKS`). A text is read once a process for all the rows it fits
    (`_reading`): a 20,000-dossier part holds ~2,300 distinct facts texts, each read, written
    again and marked as `_kept_facts` and facts.marks do, the marks then laid on each row's
    unit and days."""
    conn = _open_part(path, left)
    marks = _MARKS.setdefault(token, _Marks())
    other, on_day = marks.other, marks.day
    get = other.get
    rewrite, computed = [], []
    try:
        rows = conn.execute(_COPIED_FACTS)
        readings, read = _READINGS, _reading
        for place, (text, unit, received, due, finished) in enumerate(rows):
            if text.__class__ is not str or "\\" in text:  # an escape may hide a key: read alone
                reading = read(text, unit, received, due, finished, None)
            else:  # each row value the text does not restate is a marker in the reading's key
                key = (text, unit if '"u"' in text else unit is None,
                       received if '"d"' in text else received is None,
                       due if '"hz"' in text else None,
                       finished if '"fd"' in text else not finished)
                reading = readings.get(key, _UNREAD)
                if reading is _UNREAD:
                    if len(readings) >= READINGS_MAX:
                        readings.clear()
                    reading = readings[key] = read(text, unit, received, due, finished, key)
            if reading is None:
                computed.append(place)
                continue
            stored, plain, on_received, on_finish, on_days, named = reading
            if plain is None:  # facts.marks refused them: Store._derived computes them here,
                computed.append(place)  # the marks counted from the facts kept (_Counted)
                continue
            # added into the operation's marks as they are made (no part's Counter merged,
            # no Counter.__missing__ a new key): a job that fails fails the operation, which
            # forgets them (Copier.close)
            for mark, count in plain:
                other[mark] = get(mark, 0) + count
            if on_received:
                columns = on_day(unit, received[:10])
                for column, count in on_received:
                    columns[column] = columns.get(column, 0) + count
            if on_finish:
                columns = on_day(unit, finished[:10])
                for column, count in on_finish:
                    columns[column] = columns.get(column, 0) + count
            for day, column, count in on_days:
                columns = on_day(unit, day)
                columns[column] = columns.get(column, 0) + count
            for who, kind, day, column, count in named:
                mark = (who, day if kind == 0 else received[:10] if kind == 1 else finished[:10],
                        column)
                other[mark] = get(mark, 0) + count
            if stored is not None:
                rewrite.append((place, stored))
    finally:
        conn.close()
    return rewrite, computed


class _Row:
    """A marker standing for a row's value (its counted unit, reception day or finish day)
    in the kpi marks of a facts text that leaves it out (`_reading`): compared by identity,
    and true."""
    __slots__ = ()


_UNIT, _DAY, _FINISH = _Row(), _Row(), _Row()
_UNREAD = _Row()  # no reading of this key yet
_READINGS: dict[tuple, Any] = {}  # `_reading`'s results in this process, by key
READINGS_MAX = 20000  # then forgotten: ~2 KB each (a facts text, its marks), ≤ ~45 MB


def _reading(text, unit, received, due, finished, key) -> tuple | None:
    """What `_facts_job` takes of one kept facts text, for every row of the same `key`: None
    (unreadable: computed at the centre, `_kept_facts`), or (the text Store writes when it is
    not `text`, else None; the kpi marks naming no row value, as ((unit, day, column), count),
    or None when facts.marks refuses the facts; those laid on the row's own unit and its
    reception day, as (column, count); on its unit and finish day, the same; on its unit and
    a day of the text, as (day, column, count); those of another unit on one of the row's
    days, as (unit, 1 the reception day or 2 the finish day, None, column, count)). `key`
    None: for this row alone, no marker.
    A row value the text does not restate (the key holds only whether it is None, or empty)
    stands in the facts as a marker: what decode and encode make of the row's values then
    depends on nothing else (facts_codec fills the keys left out with them, and leaves out
    the keys equal to them), and facts.marks only puts them in its keys (and tests that a
    finish day is there: a marker is true, and stands for a finish day only where the row has
    one)."""
    found = _kept_facts(text, unit, received, due, finished)
    if found is None:
        return None
    full, stored = found
    rewritten = stored if stored != text else None
    if key is not None:
        full = dict(full)
        if key[1].__class__ is bool and "u" in full and full["u"] is unit:
            full["u"] = _UNIT
        if key[2] is False and full.get("d") == received[:10]:
            full["d"] = _DAY
        if key[4] is False and full.get("fd") == finished[:10]:
            full["fd"] = _FINISH
    counted: Counter = Counter()
    try:
        facts.marks(full, counted)
    except (ValueError, KeyError, TypeError, AttributeError):
        return rewritten, None, (), (), (), ()
    plain: list[tuple] = []
    on_received: list[tuple] = []
    on_finish: list[tuple] = []
    on_days: list[tuple] = []
    named: list[tuple] = []
    for (who, day, column), count in counted.items():
        kind = 1 if day is _DAY else 2 if day is _FINISH else 0
        if who is _UNIT:
            (on_received if kind == 1 else on_finish if kind == 2 else on_days).append(
                (column, count) if kind else (day, column, count))
        elif kind:
            named.append((who, kind, None, column, count))
        else:
            plain.append(((who, day, column), count))
    return rewritten, tuple(plain), tuple(on_received), tuple(on_finish), tuple(on_days), \
        tuple(named)


def _marks_total(token: str) -> Counter:
    """The kpi marks of the operation's kept facts (`_facts_job`), forgotten here, with the
    readings of its facts texts."""
    _READINGS.clear()
    _forget_tails(token)
    return _MARKS.pop(token, _Marks()).total()


def _kept_facts(text, unit, received, due, finished) -> tuple[dict, str] | None:
    """(full facts, stored text) as Store._derived keeps a package's facts, or None: none, or
    unreadable. The package carries facts_codec.full_text and Store reads it with json.loads:
    facts_codec.decode gives that very dict (json keeps its values and order) without the
    round trip through JSON text, which only a text decode refuses still takes."""
    if text is None:
        return None
    try:
        try:
            full = facts_codec.decode(text, unit, received, due, finished)
        except (ValueError, KeyError, TypeError):
            full = json.loads(facts_codec.full_text(text, unit, received, due, finished) or "")
        stored = facts_codec.encode(full, unit, received, due, finished)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return full, stored
