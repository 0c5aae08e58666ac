"""Realistic, deterministic demo data: Văn Quan (Lạng Sơn) before and after the 1/7/2025 merger.

Until 30/6/2025 the old district and its 17 communes receive and resolve; from 1/7/2025 the
six merged communes, the provincial public-administration centre's branch and a reception
point do, and part of what one unit receives another resolves (resources/demo/units.json).

`generate(db, dossiers=N, seed=S, today=date, progress=None)` fills an empty database with the
units, the procedure catalogue, calendar overrides, the report header and N dossiers over the
15 months ending `today`, with their waits, extensions, payments, votes, status history and
derived data (calc_due_at, facts, the search index, kpi_daily), and the demo's accounts (an
administrator, a leader, two clerks per desk: core.demo.accounts, password DEMO_PASSWORD) to
whom every reception, event, payment and vote is attributed. The same seed and `today` give the
same data. No role is asked: it only fills an empty file, never the office's data.
Everything is written in one transaction: a cancel or an error leaves the database as it was.
"""
from __future__ import annotations

import datetime as dt
import gc
import os
import time
from collections import deque
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass
from itertools import islice

from core import helper_processes, paths, timefmt
from core.bulk import bulk_session, without_indexes
from core.calendar import load_calendar
from core.demo.accounts import DEMO_PASSWORD, DEMO_PIN, write_accounts
from core.demo.catalogue import load, write_reference
from core.demo.chunk import Rows, generate_chunk, pack, unpack
from core.demo.context import Context
from core.demo.season import Chunk, period, plan
from core.demo.writer import LOADED_TABLES, Writer
from core.errors import InputError, OperationError
from core.timefmt import vn_number
from db import fulltext
from db.connection import transaction

__all__ = ["DEMO_PASSWORD", "DEMO_PIN", "MAX_DOSSIERS", "DemoCancelled", "Summary",
           "check_arguments", "generate", "refuse_if_filled"]

CHUNK_SIZE = 5000          # dossiers per chunk; part of the seed's meaning, do not vary it
PARALLEL_FROM = 60_000     # below this, worker processes cost more than they save
MAX_DOSSIERS = 5_000_000

Progress = Callable[[int, int], bool]


class DemoCancelled(OperationError):
    """The user cancelled; nothing was written."""


@dataclass
class Summary:
    units: int
    procedures: int
    dossiers: int
    first_day: dt.date
    last_day: dt.date
    seconds: float


def generate(db, dossiers: int = 20000, seed: int = 1, today: dt.date | None = None,
             progress: Progress | None = None, workers: int | None = None) -> Summary:
    """Fill an empty database with demo data; see the module docstring.

    `progress(done, total)` is called after each chunk; returning False cancels (rollback).
    Refuses (InputError) a database that already holds dossiers.
    """
    check_arguments(dossiers, seed)
    refuse_if_filled(db)
    started = time.perf_counter()
    # a demo made now stops at this minute (nothing received, paid or voted later today); one
    # made for a given day (tests, benches) runs to that day's close of office, reproducibly
    clock = None
    if today is None:
        clock = timefmt.now()
        today = clock.date()
    first, last = period(today)
    catalogue = load()
    with bulk_session(db), transaction(db) as conn:
        refuse_if_filled(db)  # checked again under the write lock
        write_reference(db, conn, catalogue)
        cal = load_calendar(db)
        end = cal.end_of_office_day(today)
        ctx = Context(cal, catalogue, seed, first, last, min(end, clock) if clock else end)
        write_accounts(conn, ctx.staff, catalogue.office_unit, ctx.now)
        chunks = plan(cal, first, last, catalogue.receiving_units(), dossiers, seed,
                      catalogue.season, CHUNK_SIZE)
        _fill(conn, ctx, chunks, dossiers, progress, _workers(workers, dossiers))
    return Summary(len(catalogue.units), len(catalogue.procedures), dossiers, first, last,
                   time.perf_counter() - started)


def check_arguments(dossiers: int, seed: int) -> None:
    if not isinstance(dossiers, int) or not 1 <= dossiers <= MAX_DOSSIERS:
        raise InputError(f"Số hồ sơ mẫu phải từ 1 đến {vn_number(MAX_DOSSIERS)} (--dossiers), "
                         f"không phải {dossiers!r}.")
    if not isinstance(seed, int) or seed < 0:
        raise InputError(f"Hạt giống ngẫu nhiên (--seed) phải là số nguyên không âm, "
                         f"không phải {seed!r}.")


def refuse_if_filled(db) -> None:
    """A file that holds dossiers is the wrong file for a demo: bad input (spec 6: exit 2),
    nothing written."""
    count = db.execute("SELECT COUNT(*) FROM dossiers").fetchone()[0]
    if count:
        raise InputError(
            f"Cơ sở dữ liệu đã có {count:,} hồ sơ; chỉ tạo dữ liệu mẫu vào cơ sở dữ liệu chưa có "
            "hồ sơ nào. Hãy chọn tệp mới bằng --db.".replace(",", "."))


def _workers(requested: int | None, dossiers: int) -> int:
    if requested is not None:
        return max(1, requested)
    if dossiers < PARALLEL_FROM or paths.is_frozen():
        return 1  # a frozen build would need freeze_support() for worker processes
    return max(1, min(2, os.cpu_count() or 1))


def _fill(conn, ctx: Context, chunks: list[Chunk], dossiers: int, progress: Progress | None,
          workers: int) -> None:
    total = dossiers + max(1, dossiers // 20)  # the last 5%: indexes and kpi_daily
    done = 0
    writer = Writer(conn)
    with without_indexes(conn, LOADED_TABLES), fulltext.deferred(conn, caller_indexes=True), \
            closing(_produce(ctx, chunks, workers)) as produced:  # workers ended on a stop too
        for rows in produced:
            writer.write(rows)
            done += len(rows.dossiers)
            if progress is not None and progress(done, total) is False:
                raise DemoCancelled("Đã huỷ tạo dữ liệu mẫu; cơ sở dữ liệu không thay đổi.")
        writer.finish()
    if progress is not None and progress(total, total) is False:
        raise DemoCancelled("Đã huỷ tạo dữ liệu mẫu; cơ sở dữ liệu không thay đổi.")


def _produce(ctx: Context, chunks: list[Chunk], workers: int) -> Generator[Rows, None, None]:
    """The chunks' rows, in order, generated here or by worker processes (same result)."""
    if workers <= 1 or len(chunks) < 2:
        for chunk in chunks:
            yield generate_chunk(ctx, chunk)
        return
    # the workers ignore Ctrl+C from their very start (core.helper_processes): the terminal
    # sends it to every process of `demo`, and each worker printed its KeyboardInterrupt's
    # traceback; the main process alone hears it and stops at its next chunk, rolled back
    # (core.stopping)
    # one chunk a worker given at a time, not all (imap): once the demo stops, the workers
    # finish the chunk each has and end by themselves
    # (helper_processes.stop: terminate() killed one writing its rows and hung for ever)
    pool = helper_processes.pool(workers, initializer=_init_worker, initargs=(ctx,))
    try:
        given = iter(chunks)
        ahead = deque(pool.apply_async(_work, (chunk,)) for chunk in islice(given, workers))
        while ahead:
            blob = ahead.popleft().get()
            ahead.extend(pool.apply_async(_work, (chunk,)) for chunk in islice(given, 1))
            yield unpack(blob)
    finally:
        helper_processes.stop(pool)


_CONTEXT: Context | None = None


def _init_worker(ctx: Context) -> None:
    global _CONTEXT
    _CONTEXT = ctx
    gc.freeze()  # the context lives as long as the worker: no collection needs to walk it


def _work(chunk: Chunk) -> bytes:
    if _CONTEXT is None:  # each worker process gets it from _init_worker first
        raise RuntimeError("demo worker without its context")
    # A chunk allocates millions of objects it keeps until the end (its rows), which makes the
    # cyclic collector walk them again and again (a sixth of a worker's time); it makes no
    # cycles worth collecting meanwhile, and the first collection after it finds any there are.
    gc.disable()
    try:
        return pack(generate_chunk(_CONTEXT, chunk))
    finally:
        gc.enable()
