"""A new database for a test at the price of a file copy (round 36, fast36).

The product makes a new file in two parts (core.database._create_new): what every new file
holds, the same in each (`new_contents`: 26 migrations and the first contents, ~0.2 s of CPU
here), then what is the file's own (a new installation id and its place, `remember_home`; its
identity in `_MADE_HERE`; the rename into place). A test process makes the first part once, by
the product's own `new_contents`, into a template file under its base temporary folder; every
new database of a test is then a copy of that template, and the second part is done by the
product exactly as for any new file. So each file still gets its own id, its own place, and is
known as made here.

Two templates, one for each way a test's migration goes (tests/conftest.py's `slot_confirmed`):
the conftest's slot-confirming migration (an unmarked test: its code slot is 1 of 1) or the
product's own, untouched (a test marked `slot_unconfirmed`: no slot, a real office's question).
Each is made by `new_contents` with the migration of the test that first asks for it, so it
holds exactly what that way writes: the unconfirmed one no slot row (round 39, fast39a).

The copy is made only while nothing that builds the contents has been replaced by the test
(the functions listed in `_builders`, compared with those its template was made with; the
migration is compared under the conftest's wrapper): a test that patches one of them to see a
creation fail, or that is marked `real_new_database`, goes the real way.
tests/db/test_new_database_template.py proves a copy of either equals a file made the real way.
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

TEMPLATES = {True: "new-database-template.db", False: "new-database-template-unconfirmed.db"}
# the templates of this process (a pytest-xdist worker), by whether the migration confirms the
# code slot: each one's path and the builders it was made by
_made: dict[bool, dict[str, object]] = {}


def _builders() -> dict[str, object]:
    """What building a new file's contents goes through, as it stands now."""
    from core import database, facts, official_calendar
    from db import connection, schema, vacuum
    migrate = schema.migrate
    confirms_slot = getattr(migrate, "confirms_slot", False)
    return {"connect": database.connect, "first_contents": database._first_contents,
            # the conftest's wrapper is a new function in each test: the product's one under it
            "migrate": migrate.wraps if confirms_slot else migrate,  # type: ignore[attr-defined]
            "apply_migration": schema.apply_migration, "run_migration": schema.run_migration,
            "migrations": tuple(schema.MIGRATIONS), "schema_version": schema.SCHEMA_VERSION,
            "load_calendar": official_calendar.load_into_new, "record_rules": facts.record_rules,
            "reclaim": vacuum.reclaim, "enable_wal": connection.enable_wal,
            "confirms_slot": confirms_slot}


def template(folder: Path, real: Callable[[Path], None], confirms_slot: bool) -> Path:
    """The template file of this process for this way of migrating, made once in `folder` by
    `real` (the product's core.database.new_contents)."""
    if confirms_slot not in _made:
        path = folder / TEMPLATES[confirms_slot]
        real(path)
        _made[confirms_slot] = {"path": path, "builders": _builders()}
    return _made[confirms_slot]["path"]  # type: ignore[return-value]


def copying(folder: Path, real: Callable[[Path], None]) -> Callable[[Path], None]:
    """A stand-in for core.database.new_contents: a copy of the template of the test's way of
    migrating, or the real way when a builder differs from that template's."""
    def new_contents(partial: Path) -> None:
        # a folder that is not there or not writable: the product's own refusal, word for word
        if not (partial.parent.is_dir() and os.access(partial.parent, os.W_OK)):
            real(partial)
            return
        builders = _builders()
        made = template(folder, real, bool(builders["confirms_slot"]))
        if builders != _made[bool(builders["confirms_slot"])]["builders"]:
            real(partial)
            return
        shutil.copyfile(made, partial)
    return new_contents
