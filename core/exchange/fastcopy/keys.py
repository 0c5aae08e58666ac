"""The copied dossiers' search keys: computed by the second process from each part's rows
(`_keys_job`), written to a deflated file of their own a part, and given to fulltext.deferred's
fill at the end of the parts (`given_keys`), but those that may have changed since."""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

from core.exchange.fastcopy.jobs import _Jobs, _Later
from core.exchange.fastcopy.partdb import _open_part
from core.exchange.package import INFLATE, new_part, remove_part
from db import fulltext, searchtext

# The search keys' files (`_keys_job`) deflated at this level by package.INFLATE's module
# (ISA-L's): a 20,000-dossier part's 2.6 MB of keys are 0.48 MB, made in 4 ms and read in 2.4
# ms; kept till the fill at the end, 50 parts' took 128 MB of the temporary folder
# (docs/speed.md, sixteenth round)
KEYS_LEVEL = 1


def _keys_job(path: str, left: list[int], units: dict[str, str], out: str) -> int | None:
    """The search keys of the part's copied dossiers (all but `left`), in part order, as the
    centre's view `dossier_keys` computes them (db.searchtext.key_sql, its very expression and
    function) from the same rows, with `units` (the centre's unit names, code → name, as they
    stood when asked; a table of that name in temp comes before the part's own in the look-up
    of a name SQLite makes): written to the file `out` in UTF-8, one a line (a key holds no
    line break: each of its parts is folded with its whitespace squeezed into spaces),
    deflated (KEYS_LEVEL).
    Returns how many, or None where a row stops it (a text that is no UTF-8, a value the
    function refuses …, or no room on the disk): the view then computes them at the centre,
    and says what it meets. Runs in the second process (`Copier.ask_keys`)."""
    conn = _open_part(path, left)
    try:
        searchtext.register(conn)
        conn.execute("CREATE TEMP TABLE units(code TEXT PRIMARY KEY, name TEXT NOT NULL)")
        conn.executemany("INSERT INTO temp.units VALUES (?, ?)", list(units.items()))
        keys = [key for (key,) in conn.execute(
            f"SELECT {searchtext.key_sql('d')} FROM main.dossier_rows d WHERE d.id NOT IN "
            "(SELECT id FROM temp.left) ORDER BY d.id")]
        text = "\n".join(keys)
        if text.count("\n") != len(keys) - 1:  # not one a line: the view, at the centre
            return None
        with open(out, "wb") as file:
            file.write(INFLATE.compress(text.encode("utf-8"), KEYS_LEVEL))
    except (sqlite3.Error, ValueError, TypeError, OSError):
        return None
    finally:
        conn.close()
    return len(keys)


def read_keys(out: str | Path) -> list[str]:
    """The keys `_keys_job` wrote to the file `out`, in order."""
    with open(out, "rb") as file:
        return INFLATE.decompress(file.read()).decode("utf-8").split("\n")


class _Keys(_Jobs):
    """The Copier's search keys of the copied dossiers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # the copied dossiers' search keys asked for (`ask_keys`): (first id, count, the unit
        # names they were computed with, their file, the job)
        self.keys: list[tuple[int, int, dict[str, str], str, _Later]] = []
        self.key_files: list[str] = []  # each removed once read, or at the end (`forget_keys`)
        self.watching = False  # temp.fastcopy_rekey's trigger is on the centre's connection

    # Computed by the second process (`_keys_job`) from each part's rows and the centre's unit
    # names as they stand after the part's catalogue, written to a file of their own, and
    # indexed from it by fulltext.deferred's fill at the end of the parts (`given_keys`), the
    # main process computing only those whose key may have changed since: a unit renamed,
    # added or gone (a later part's catalogue, a clerk's choice of theirs), a copied dossier
    # whose key's columns a later part's records changed (temp.fastcopy_rekey).
    REKEY = "fastcopy_rekey"

    def ask_keys(self, path: str, left: list[int], first: int, count: int) -> None:
        """The search keys of a part's copied dossiers (ids first … first + count - 1) asked
        of the second process for later (`given_keys`)."""
        conn = self.conn
        if not self.watching:  # the copied dossiers' key columns watched from the first on
            self.watching = True
            columns = ", ".join(("id",) + fulltext.KEY_COLUMNS)
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.REKEY}(id INTEGER PRIMARY KEY)")
            conn.execute(f"DELETE FROM temp.{self.REKEY}")
            conn.execute(f"DROP TRIGGER IF EXISTS temp.{self.REKEY}")
            # (none is deleted: its events are append-only, db.chain)
            conn.execute(
                f"CREATE TEMP TRIGGER {self.REKEY} AFTER UPDATE OF {columns} ON "
                f"main.dossier_rows WHEN OLD.id >= {int(first)} OR NEW.id >= {int(first)} "
                f"BEGIN INSERT OR IGNORE INTO {self.REKEY} VALUES (OLD.id); "
                f"INSERT OR IGNORE INTO {self.REKEY} VALUES (NEW.id); END")
        units = dict(conn.execute("SELECT code, name FROM main.units"))
        if self.keys and self.keys[-1][2] == units:
            units = self.keys[-1][2]  # one dict for the parts that met the same names
        # a file of the rows parts' kind (package.sweep_stale_parts removes a crash's)
        handle, held = new_part("khoa-")  # held by this process till removed
        os.close(handle)
        out = str(held)
        self.key_files.append(out)
        job = self.later(_keys_job, str(path), left, units, out, rank=0)
        self.use(path, job)
        self.keys.append((first, count, units, out, job))

    def given_keys(self) -> Iterator[fulltext.Given]:
        """The keys the second process computed, part after part (fulltext.index_new's
        `given`, called by fulltext.deferred's fill at the end of the parts, before `finish`):
        each part's first id and keys, None (computed by the view) for the dossiers whose key
        may no longer be what was computed — a unit of theirs whose name is not the one used
        (renamed, added, gone), a key column changed since it was copied — and none at all
        for a part whose job gave none."""
        self.flush()  # (merge._Run has given them all already)
        conn = self.conn
        rekey = {r[0] for r in conn.execute(f"SELECT id FROM temp.{self.REKEY}")} \
            if self.watching else set()
        names = dict(conn.execute("SELECT code, name FROM main.units"))
        try:
            for first, count, units, out, job in self.keys:
                got = job.get()
                if got is None:
                    continue
                if got != count:
                    raise RuntimeError(f"{got} search keys for {count} copied dossiers")
                keys = cast(list[str | None], read_keys(out))
                remove_part(out)  # (else left to forget_keys, or sweep_stale_parts)
                if len(keys) != count:
                    raise RuntimeError(f"{len(keys)} search keys read for {count}")
                renamed = json.dumps([code for code in units.keys() | names.keys()
                                      if units.get(code) != names.get(code)])
                redo = {i for i in rekey if first <= i < first + count}
                if renamed != "[]":
                    redo.update(r[0] for r in conn.execute(
                        "SELECT id FROM main.dossier_rows WHERE id BETWEEN :first AND :last "
                        "AND (unit_code IN (SELECT value FROM json_each(:codes)) OR "
                        "competent_unit_code IN (SELECT value FROM json_each(:codes)))",
                        {"first": first, "last": first + count - 1, "codes": renamed}))
                for i in redo:
                    keys[i - first] = None
                yield first, keys
                del keys  # (the next part's read once this one is indexed)
        finally:
            self.forget_keys()

    def forget_keys(self) -> None:
        """The keys' files removed and the watch on the copied dossiers ended."""
        for out in self.key_files:
            remove_part(out)  # (one still open on Windows: left to sweep_stale_parts)
        self.key_files = []
        if self.watching:
            with contextlib.suppress(sqlite3.Error):
                self.conn.execute(f"DROP TRIGGER IF EXISTS temp.{self.REKEY}")
        self.keys, self.watching = [], False
