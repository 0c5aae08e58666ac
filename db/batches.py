"""Long lists of ids or codes asked of SQLite in slices.

SQLite refuses a statement with more parameters than its build allows: 999 by default before
3.32, and still a compile-time option (SQLITE_MAX_VARIABLE_NUMBER) a system SQLite may set low.
So a list of ids is asked `… IN (?,?,…)` CHUNK at a time, with room left for the statement's
other parameters. One helper for every such loop (core and db), so the limit is said once.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence, Sized
from typing import TypeVar, overload

CHUNK = 500  # ids a statement: under 999, the lowest variable limit a build is known to keep

T = TypeVar("T")


@overload
def in_chunks(items: list[T], size: int = CHUNK) -> Iterator[list[T]]: ...
@overload
def in_chunks(items: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]: ...


def in_chunks(items, size=CHUNK):
    """`items` in consecutive slices of at most `size` (none for an empty list); a list's
    slices are lists."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def marks(items: Sized) -> str:
    """The question marks of an `IN (…)` for `items`: '?,?,?'."""
    return ",".join("?" * len(items))


def rows_in(conn, sql: str, items: Sequence, size: int = CHUNK) -> Iterator[tuple]:
    """The rows of `sql` for every slice of `items`, in order, the slice's question marks in
    the place of `{marks}` (a plain replacement: the statement's other braces stay as they
    are); the slice is the statement's only parameters."""
    for chunk in in_chunks(items, size):
        yield from conn.execute(sql.replace("{marks}", marks(chunk)), chunk)
