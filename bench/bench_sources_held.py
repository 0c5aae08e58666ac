"""The cost of the monthly report's «NGUỒN SỐ LIỆU» (core.exchange.sources.sources) at a big
centre (held35): senders' rows noted through the tree's own note_package (each tree writes its
rows as it keeps them), each sender's first package of an older program (held_before without
`open`: the report applies the later packages' statements, held_cleared) and eleven later ones
with `cleared` and lines, and two packages of one unit with a unit moved under it between them
(`partly`, held_partly), then the section computed for November, CPU and wall.

    PYTHONPATH=<tree> python bench/bench_sources_held.py COPY_OF_A_BIG_CENTRE.db [SENDERS]

The database is written (rows `exchange_source:*`): give it a copy."""
from __future__ import annotations

import datetime as dt
import sys
import time

from core.database import open_database
from core.exchange import sources
from db.connection import transaction

UNITS_PER_LINE = 68


def _lines(db, with_open: bool) -> list[dict]:
    codes = [code for (code,) in db.execute("SELECT code FROM units ORDER BY code LIMIT ?",
                                            [UNITS_PER_LINE])]
    return [{"unit": code, "competent": None, "records": 3, "from": "2026-10-02 08:00:00",
             **({"open": 0} if with_open else {})} for code in codes]


def _manifest(sender: int, since: dt.date, made: dt.datetime, lines: list[dict],
              cleared: str | None, unit: str | None = None, tree: list | None = None) -> dict:
    held: dict = {"records": 3 * len(lines), "from": "2026-10-02 08:00:00", "units": lines,
                  "brought": [], **({"tree": tree} if tree is not None else {})}
    if cleared is not None:
        held.update(open=0, cleared=cleared)
    return {"period": {"since": since.isoformat(), "until": made.strftime("%Y-%m-%d %H:%M:%S")},
            "installation": {"id": f"{sender:032x}", "slot": 2, "of": 3}, "sender_unit": unit,
            "created_at": made.strftime("%Y-%m-%d %H:%M:%S"), "held_before": held}


def note(db, senders: int) -> None:
    older, newer = _lines(db, False), _lines(db, True)
    with transaction(db) as conn:
        for sender in range(1, senders + 1):
            made = dt.datetime(2026, 11, 1, 9)
            sources.note_package(conn, _manifest(sender, dt.date(2026, 11, 1), made, older, None),
                                 "dau.zip", "2026-11-01 10:00:00")
            unit, moved = newer[0]["unit"], newer[1]["unit"]  # a unit moved under it between
            for step, tree in enumerate(([unit], [unit, moved])):  # its two unit packages
                since = dt.date(2026, 9 + step, 1)
                sources.note_package(conn, _manifest(sender, since, dt.datetime(2026, 10 + step,
                                                     1, 9), newer[:2], since.isoformat(), unit,
                                                     tree), f"dv{step}.zip",
                                     f"2026-{10 + step}-01 10:00:00")
            for week in range(11):  # the ordinary packages after it, one a few days
                since = made.date()
                made = made + dt.timedelta(days=3)
                sources.note_package(conn, _manifest(sender, since, made, newer,
                                                     since.isoformat()),
                                     f"goi{week}.zip", made.strftime("%Y-%m-%d 17:00:00"))


def main() -> None:
    db = open_database(sys.argv[1])
    note(db, int(sys.argv[2]) if len(sys.argv) > 2 else 50)
    for _ in range(5):
        cpu, wall = time.process_time(), time.perf_counter()
        found = sources.sources(db, dt.date(2026, 11, 1), dt.date(2026, 11, 30),
                                dt.datetime(2026, 12, 5, 10))
        print(f"sources: {len(found.rows)} rows, {len(found.warnings)} warnings, "
              f"CPU {1000 * (time.process_time() - cpu):.0f} ms, "
              f"wall {1000 * (time.perf_counter() - wall):.0f} ms", flush=True)


if __name__ == "__main__":
    main()
