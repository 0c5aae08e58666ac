"""Importing a package (spec 9): verify, preview, and merge all of it in one transaction.

    result = import_package(db, "xa-dong-giap.zip", dry_run=True)      # the preview
    result = import_package(db, path, conflicts="keep"|"theirs"|None, choices={code: …})

The package is verified whole first (members, sizes, checksums, manifest: core.exchange.package).
Then everything runs in one transaction: the catalogue rows this installation lacks, each
dossier classified (core.exchange.compare) and written, the votes, the facts. A dry run, a
conflict without a choice, a bad record or a cancel roll it all back: nothing is written.
Importing the same package again finds everything identical and writes nothing.
"""
from __future__ import annotations

import contextlib
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from core import facts, installation, timefmt
from core.accounts import require
from core.errors import InputError
from core.exchange import catalogue as cat
from core.exchange import checks, compare, records
from core.exchange.package import PackageReader
from core.exchange.store import Store
from core.moment import chunks, marks
from core.version import VERSION
from db import fulltext, settings
from db.connection import transaction

Progress = Callable[[int, int], object]
BATCH = 2000
KEEP, THEIRS = "keep", "theirs"
CONFLICTS_SHOWN = 500
CACHE_KIB = 256 * 1024


@dataclass
class ExchangeResult:
    path: str
    manifest: dict
    dry_run: bool
    dossiers: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    catalogue: Counter = field(default_factory=Counter)
    conflicts: list[compare.Conflict] = field(default_factory=list)
    conflict_count: int = 0
    resolved: Counter = field(default_factory=Counter)   # keep / theirs
    catalogue_diffs: list[cat.CatalogueDiff] = field(default_factory=list)
    catalogue_taken: list[str] = field(default_factory=list)   # items taken from the package
    warnings: list[str] = field(default_factory=list)
    fast: bool = False
    written: bool = False

    @property
    def pending(self) -> bool:
        """Conflicts met without a choice: nothing was written; ask the clerk."""
        return self.conflict_count > sum(self.resolved.values())


class _Rollback(Exception):
    """Leave the transaction without keeping anything (a dry run, conflicts to choose)."""


def import_package(db, path: str | Path, *, dry_run: bool = False, conflicts: str | None = None,
                   choices: dict[str, str] | None = None, progress: Progress | None = None,
                   catalogue: str | None = None,
                   catalogue_choices: dict[str, str] | None = None) -> ExchangeResult:
    """Preview (dry_run) or merge a package. `conflicts`: the choice for every conflict;
    `choices`: per dossier code, overriding it. Unresolved conflicts write nothing.
    `catalogue` ("ours"/"theirs", default ours) and `catalogue_choices` (per item, "units:X01")
    decide the catalogue rows the package holds differently (core.exchange.catalogue)."""
    require("data.import")  # it writes dossiers and the catalogue, as `import` does
    if conflicts not in (None, KEEP, THEIRS):
        raise InputError(f"Cách xử lý xung đột {conflicts!r} không hợp lệ: chọn keep hoặc theirs.")
    for choice in [catalogue, *(catalogue_choices or {}).values()]:
        if choice not in (None, cat.OURS, cat.THEIRS):
            raise InputError(f"Cách xử lý danh mục khác nhau {choice!r} không hợp lệ: chọn ours "
                             "hoặc theirs.")
    with PackageReader(path) as reader:
        result = ExchangeResult(str(path), reader.manifest.data, dry_run)
        _sender_warnings(db, reader.manifest.data, result)
        merger = _Merger(db, reader, result, conflicts, choices or {}, progress)
        merger.catalogue_default, merger.catalogue_choices = catalogue, catalogue_choices or {}
        try:
            with _big_cache(db), transaction(db) as conn:
                merger.run(conn)
                if dry_run or result.pending:
                    raise _Rollback
        except _Rollback:
            return result
        except checks.BadRecord as exc:
            raise reader.bad(f"{merger.where}: {exc}.") from None
        except (sqlite3.IntegrityError, sqlite3.InterfaceError, sqlite3.ProgrammingError):
            # a value of the wrong kind (a list where text goes) or against a constraint: the
            # batch written last holds it
            raise reader.bad(f"{merger.where} (hoặc một dòng ngay trước): dữ liệu sai kiểu hoặc "
                             "trái ràng buộc của cơ sở dữ liệu.") from None
    result.written = True
    return result


@contextlib.contextmanager
def _big_cache(db) -> Iterator[None]:
    """A larger page cache while a package goes in: the dossiers' ten indexes take rows in
    every corner of a centre's big table (bounded: CACHE_KIB, back to normal afterwards)."""
    before = db.conn.execute("PRAGMA cache_size").fetchone()[0]
    db.conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA cache_size = {int(before)}")


def _sender_warnings(db, manifest: dict, result: ExchangeResult) -> None:
    sender = manifest.get("installation") or {}
    ours = settings.get(db, installation.ID_KEY)  # read only: a dry run makes nothing
    number, of = installation.slot(db)
    if sender.get("id") == ours:
        result.warnings.append("Gói này do chính máy này xuất.")
    elif (sender.get("slot"), sender.get("of")) == (number, of) and of > 1:
        result.warnings.append(f"Máy gửi cũng giữ số hiệu cấp mã {number}/{of} như máy này: hai "
                               "máy có thể cấp trùng mã hồ sơ. Hãy cho mỗi máy một số hiệu riêng.")
    elif sender.get("of") not in (None, of):
        result.warnings.append(f"Máy gửi chia mã theo {sender.get('of')} máy, máy này theo {of}: "
                               "các máy trong nhóm cần cùng một số máy để không cấp trùng mã.")


class _Merger:
    def __init__(self, db, reader: PackageReader, result: ExchangeResult, default: str | None,
                 choices: dict[str, str], progress: Progress | None):
        self.db, self.reader, self.result = db, reader, result
        self.default, self.choices, self.progress = default, choices, progress
        self.where = "bản kê"
        self.catalogue_default: str | None = None
        self.catalogue_choices: dict[str, str] = {}
        self.total = int(reader.manifest.counts.get("dossiers") or 0)

    def run(self, conn) -> None:
        conn.execute("PRAGMA defer_foreign_keys = ON")  # units may name parents listed later
        calendar_added = self._catalogue(conn)
        calendar_added |= self._take_catalogue()
        fingerprint = records.rules_fingerprint(conn, VERSION)
        self.result.fast = fingerprint == self.reader.manifest.data.get("rules_fingerprint")
        self.units = {r[0] for r in conn.execute("SELECT code FROM units")}
        self.procedures = {r[0] for r in conn.execute("SELECT code FROM procedures")}
        now = timefmt.to_db_time(timefmt.now())
        sender = (self.reader.manifest.data.get("installation") or {}).get("id") or "?"
        self.store = Store(conn, now, f"{Path(self.result.path).name} (máy {str(sender)[:8]})",
                           self.result.fast)
        had_dossiers = conn.execute("SELECT 1 FROM dossiers LIMIT 1").fetchone() is not None
        # the package's new dossiers are indexed for search in one pass at the end: nothing
        # here changes a stored key (facts, which rewrite keys, run after, with the triggers)
        with fulltext.deferred(conn, new_from=self.store.next_id):
            self._dossiers(conn)
        self._votes(conn)
        if self.result.dry_run or self.result.pending:
            return
        self._facts(calendar_added and had_dossiers)

    # ----- catalogue ---------------------------------------------------------------------
    def _catalogue(self, conn) -> bool:
        """Add the catalogue rows this installation lacks; differing ones stay ours (the
        catalogue is the administrator's) and are named. True when calendar days came in."""
        added_days = False
        for part, kind, columns, key in (
                ("units.jsonl", "units", records.UNIT_COLUMNS, "code"),
                ("procedures.jsonl", "procedures", records.PROCEDURE_COLUMNS, "code"),
                ("calendar.jsonl", "calendar", records.CALENDAR_COLUMNS, "date")):
            ours = {r[key]: r for r in getattr(records, f"{_reader_name(kind)}_records")(conn)}
            for number, record in enumerate(self.reader.records(part), 1):
                self.where = f"phần {part}, dòng {number}"
                checks.check_catalogue(record, columns, key)
                mine = ours.get(record[key])
                if mine is None:
                    _insert_catalogue(conn, kind, record, columns)
                    self.result.catalogue[f"{kind}_new"] += 1
                    added_days |= kind == "calendar"
                elif mine != record:
                    self.result.catalogue[f"{kind}_different"] += 1
                    self.result.catalogue_diffs.append(cat.diff(kind, record[key], mine, record))
        return added_days

    def _take_catalogue(self) -> bool:
        """The differing rows the clerk chose to take from the package, after every new row is
        in (a unit may name a parent the package brings). True when one was taken."""
        for item in self.result.catalogue_diffs:
            if cat.choice_of(item, self.catalogue_default, self.catalogue_choices) == cat.THEIRS:
                self.where = f"danh mục, {item.title()}"
                cat.take_theirs(self.db, item)
                self.result.catalogue_taken.append(item.item)
        return bool(self.result.catalogue_taken)

    # ----- dossiers ----------------------------------------------------------------------
    def _dossiers(self, conn) -> None:
        batch: list[dict] = []
        done = 0
        for number, record in enumerate(self.reader.records("dossiers.jsonl"), 1):
            self.where = f"phần dossiers.jsonl, dòng {number}"
            code = checks.code_of(record)
            self.where += f" (hồ sơ {code})"
            checks.check_dossier(record, self.units, self.procedures)
            batch.append(record)
            if len(batch) >= BATCH:
                done += self._batch(conn, batch)
                batch = []
                self._report(done)
        done += self._batch(conn, batch)
        self._report(done)

    def _report(self, done: int) -> None:
        if self.progress and self.progress(done, max(self.total, done)) is False:
            raise InterruptedError("import cancelled")

    def _batch(self, conn, batch: list[dict]) -> int:
        codes = [r["code"] for r in batch]
        if len(set(codes)) != len(codes):
            raise checks.BadRecord("một mã hồ sơ xuất hiện hai lần trong gói")
        ids = records.ids_by_code(conn, codes)
        local = {r["code"]: r for r in records.dossier_records(conn, list(ids.values()), False)}
        new = []
        for record in batch:
            code = record["code"]
            outcome = compare.classify(local.get(code), record)
            self.result.dossiers[outcome] += 1
            if outcome == compare.NEW:
                new.append(record)
            elif outcome == compare.CHANGED:
                self.store.fast_forward(ids[code], local[code], record)
            elif outcome == compare.CONFLICT:
                self._conflict(ids[code], local[code], record)
        if new:
            self.store.insert_new(new)
        return len(batch)

    def _conflict(self, dossier_id: int, local: dict, record: dict) -> None:
        self.result.conflict_count += 1
        if len(self.result.conflicts) < CONFLICTS_SHOWN:
            self.result.conflicts.append(compare.conflict_of(local, record))
        choice = self.choices.get(record["code"], self.default)
        if choice is None:
            return
        self.result.resolved[choice] += 1
        if choice == THEIRS:
            self.store.take_theirs(dossier_id, local, record)

    # ----- votes -------------------------------------------------------------------------
    def _votes(self, conn) -> None:
        """Votes are identified by all they say (spec 7); identical ones are counted, so a
        package with two equal paper votes brings two, and importing it again brings none.
        Read in batches: memory stays bounded whatever the part holds. A stored vote matches one
        vote of the package at most (`used`); votes this import adds are never matched."""
        self.first_new_vote = conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM votes").fetchone()[0]
        self.used: set[int] = set()
        batch: list[dict] = []
        for number, vote in enumerate(self.reader.records("votes.jsonl"), 1):
            self.where = f"phần votes.jsonl, dòng {number}"
            checks.check_vote(vote, self.units)
            batch.append(vote)
            if len(batch) >= BATCH:
                self._vote_batch(conn, batch)
                batch = []
        self._vote_batch(conn, batch)

    def _vote_batch(self, conn, batch: list[dict]) -> None:
        # the dossiers the batch's votes name, in one look-up (not one query a vote)
        dossiers = records.ids_by_code(conn, sorted({v["dossier_code"] for v in batch
                                                     if v["dossier_code"] is not None}))
        stored = _stored_votes(conn, batch, dossiers, self.first_new_vote, self.used)
        fresh: list[tuple[dict, int | None]] = []
        for vote in batch:
            mine = stored.get(records.vote_key(vote))
            if not mine:
                fresh.append((vote, _vote_dossier(dossiers, vote)))
                self.result.votes[compare.NEW] += 1
                continue
            vote_id, cancelled = mine.pop(0)
            self.used.add(vote_id)
            if cancelled is None and vote["cancelled_at"] is not None:
                self.store.cancel_vote(vote_id, vote)
                self.result.votes[compare.CHANGED] += 1
            else:
                self.result.votes[compare.IDENTICAL] += 1
        self.store.insert_votes(fresh)

    # ----- facts -------------------------------------------------------------------------
    def _facts(self, recompute_all: bool) -> None:
        """Derived data of what was written: the sender's when the rules are the same here,
        else computed; everything when new calendar days changed existing due times."""
        conn = self.store.conn
        facts.write_kpi_rows(conn, self.store.delta)
        if recompute_all:
            facts.rebuild_all(self.db)
            return
        facts.refresh(self.db, self.store.refresh)


def _vote_dossier(dossiers: dict[str, int], vote: dict) -> int | None:
    code = vote["dossier_code"]
    if code is None:
        return None
    if code not in dossiers:
        raise checks.BadRecord(f"phiếu gắn với hồ sơ {code!r} không có")
    return dossiers[code]


def _stored_votes(conn, batch: list[dict], dossiers: dict[str, int], below: int,
                  used: set[int]) -> dict[str, list]:
    """This installation's votes (stored before this import, not yet matched) that may be
    the batch's, by what they say: those on the batch's dossiers (index on dossier_id), and
    those without a dossier at the batch's moments of such votes (index on voted_at). Never
    all votes at a moment: a centre holds many installations' votes of the same minutes."""
    stored: dict[str, list] = {}
    sql = ("SELECT v.id, " + records.VOTES_SQL[len("SELECT "):] +
           " WHERE {} AND v.id < ? ORDER BY v.id")
    moments = sorted({v["voted_at"] for v in batch if v["dossier_code"] is None})
    for where, values in (("v.dossier_id IN ({})", sorted(set(dossiers.values()))),
                          ("v.dossier_id IS NULL AND v.voted_at IN ({})", moments)):
        for chunk in chunks(values, 500):
            for row in conn.execute(sql.format(where.format(marks(chunk))), [*chunk, below]):
                if row[0] in used:
                    continue
                stored.setdefault(records.vote_key(records.vote_record(row[1:])), []).append(
                    [row[0], row[8]])
    return stored


def _reader_name(kind: str) -> str:
    return {"units": "unit", "procedures": "procedure", "calendar": "calendar"}[kind]


def _insert_catalogue(conn, kind: str, record: dict, columns: tuple[str, ...]) -> None:
    table = {"units": "units", "procedures": "procedures", "calendar": "calendar"}[kind]
    conn.execute(f"INSERT INTO {table}({', '.join(columns)}) VALUES "
                 f"({', '.join('?' * len(columns))})", [record[c] for c in columns])
    if kind == "procedures":
        conn.executemany(f"INSERT INTO procedure_rules(procedure_code, "
                         f"{', '.join(records.RULE_COLUMNS)}) VALUES (?,?,?,?,?,?,?,?)",
                         [(record["code"], *r) for r in record.get("rules") or []])
        conn.executemany(f"INSERT INTO procedure_components(procedure_code, "
                         f"{', '.join(records.PROC_COMPONENT_COLUMNS)}) VALUES (?,?,?,?,?,?)",
                         [(record["code"], *c) for c in record.get("components") or []])
