"""A new database for a test at the price of a file copy (round 36, fast36).

The product makes a new file in two parts (core.database._create_new): what every new file
holds, the same in each (`new_contents`: 26 migrations and the first contents, ~0.2 s of CPU
here), then what is the file's own (a new installation id and its place, `remember_home`; its
identity in `_MADE_HERE`; the rename into place). A test process makes the first part once, by
the product's own `new_contents`, into a template file under its base temporary folder; every
new database of a test is then a copy of that template, and the second part is done by the
product exactly as for any new file. So each file still gets its own id, its own place, and is
known as made here.

The copy is made only while nothing that builds the contents has been replaced by the test
(the functions listed in `_builders`, compared with those the template was made with; the
migration is the conftest's slot-confirming one): a test that patches one of them to see a
creation fail, or that is marked `real_new_database` or `slot_unconfirmed`, goes the real way.
tests/db/test_new_database_template.py proves a copy equals a file made the real way.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

TEMPLATE = "new-database-template.db"
# the template of this process (a pytest-xdist worker): its path and the builders it was made by
_made: dict[str, object] = {}


def _builders() -> dict[str, object]:
    """What building a new file's contents goes through, as it stands now."""
    from core import database, facts, official_calendar
    from db import connection, schema, vacuum
    return {"connect": database.connect, "first_contents": database._first_contents,
            "apply_migration": schema.apply_migration, "run_migration": schema.run_migration,
            "migrations": tuple(schema.MIGRATIONS), "schema_version": schema.SCHEMA_VERSION,
            "load_calendar": official_calendar.load_into_new, "record_rules": facts.record_rules,
            "reclaim": vacuum.reclaim, "enable_wal": connection.enable_wal,
            "confirms_slot": getattr(schema.migrate, "confirms_slot", False)}


def template(folder: Path, real: Callable[[Path], None]) -> Path:
    """The template file of this process, made once in `folder` by `real` (the product's
    core.database.new_contents)."""
    if "path" not in _made:
        path = folder / TEMPLATE
        real(path)
        _made.update(path=path, builders=_builders())
    return _made["path"]  # type: ignore[return-value]


def copying(folder: Path, real: Callable[[Path], None]) -> Callable[[Path], None]:
    """A stand-in for core.database.new_contents: a copy of the template, or the real way when
    a builder differs from the template's."""
    def new_contents(partial: Path) -> None:
        # a folder that is not there or not writable: the product's own refusal, word for word
        plain = partial.parent.is_dir() and os.access(partial.parent, os.W_OK)
        if not plain or not _builders()["confirms_slot"]:
            real(partial)
            return
        made = template(folder, real)
        if _builders() != _made["builders"]:
            real(partial)
            return
        shutil.copyfile(made, partial)
    return new_contents
