"""Writing a package: the catalogue, and the dossiers and votes changed since a date (spec 9)."""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import actor_names, installation, timefmt, typed_dates
from core.accounts import require
from core.errors import InputError, OperationError, os_reason
from core.exchange import (
    held_before,
    held_cleared,
    held_units,
    office_hours,
    part,
    records,
    signing,
    slots,
)
from core.exchange.package import (
    FORMAT,
    FORMAT_VERSION,
    ROWS_PART,
    WRITABLE_VERSIONS,
    PackageWriter,
)
from core.paths import (
    SAVE_AGAIN,
    file_name_part,
    refuse_existing,
    refuse_unfit_output,
    require_folder,
)
from core.privacy import access
from core.unit_scope import scope_in, scope_param, subtree_codes
from core.version import VERSION
from db import events_codec, stored_json
from db.moments import text_sql
from db.schema import SCHEMA_VERSION

Progress = Callable[[int, int], object]
DEFAULT_FORMAT = FORMAT_VERSION  # what the window and `exchange export` write
# The export window's choice of format 2 (gui.package_export), named where a format-2 package
# is the cause (core.exchange.signing: an unsigned package): a clerk who ticked it reads it
FORMAT_2_CHOICE = "Xuất gói theo định dạng 2"

# A dossier counts as changed since a day when anything recorded about it is: its reception,
# the last write of its row, an event, a payment or its cancellation, a wait, a vote on it (the
# package carries that vote, and a vote cannot arrive without its dossier).
CHANGED_SQL = """
SELECT d.id FROM dossier_rows d WHERE {scope} (
  d.received_at >= :since_seconds OR d.updated_at >= :since_seconds
  OR EXISTS (SELECT 1 FROM event_rows r WHERE r.dossier_id = d.id AND {events_since})
  OR EXISTS (SELECT 1 FROM payment_rows p WHERE p.dossier_id = d.id
             AND (p.paid_at >= :since_seconds OR p.cancelled_at >= :since_seconds))
  OR EXISTS (SELECT 1 FROM supplements s WHERE s.dossier_id = d.id
             AND (s.requested_at >= :since OR s.completed_at >= :since))
  OR EXISTS (SELECT 1 FROM vote_rows v WHERE v.dossier_id = d.id
             AND (v.voted_at >= :since_seconds OR v.cancelled_at >= :since_seconds)))
ORDER BY d.id"""
SCOPE = f"{scope_in('d.unit_code', ':tree')} OR {scope_in('d.competent_unit_code', ':tree')}"


def _changed_sql(scope: str) -> str:
    return CHANGED_SQL.format(scope=scope, events_since=events_codec.since_sql("r", "since"))


def changed_dossiers(db, since: dt.date, unit: str | None) -> list[int]:
    params: dict = events_codec.since_params("since", since)
    if unit is None:
        return [r[0] for r in db.execute(_changed_sql(""), params)]
    params["tree"] = scope_param(subtree_codes(db, unit))
    sql = _changed_sql(f"({SCOPE}) AND")
    return [r[0] for r in db.execute(sql, params)]


def changed_votes(db, since: dt.date, unit: str | None) -> list[dict]:
    """The votes changed since the day. Of a unit's tree: a vote travels with its dossier (the
    package holds the dossier whenever it holds the vote: a vote's change makes its dossier
    changed, CHANGED_SQL), so a vote on a dossier goes by the dossier's units (SCOPE), whatever
    unit the vote names; a vote without a dossier goes by its own unit."""
    sql, params = _votes_sql(db, records.VOTES_SQL, since, unit)
    return [records.vote_record(row) for row in db.execute(sql, params)]


def changed_vote_ids(db, since: dt.date, unit: str | None) -> list[int]:
    """The ids of the same votes (a format-3 package copies their rows)."""
    select = "SELECT v.id FROM votes v LEFT JOIN dossiers d ON d.id = v.dossier_id"
    sql, params = _votes_sql(db, select, since, unit)
    return [row[0] for row in db.execute(sql, params)]


def _votes_sql(db, select: str, since: dt.date, unit: str | None) -> tuple[str, dict]:
    params: dict = {"since": since.isoformat()}
    where = "(v.voted_at >= :since OR v.cancelled_at >= :since)"
    if unit is None:
        return select + f" WHERE {where} ORDER BY v.id", params
    params["tree"] = scope_param(subtree_codes(db, unit))
    scope = (f"CASE WHEN v.dossier_id IS NULL THEN {scope_in('v.unit_code', ':tree')} "
             f"ELSE ({SCOPE}) END")
    return (select + f" WHERE {where} AND {scope} ORDER BY v.id"), params


@dataclass(frozen=True)
class LastExport:
    at: dt.datetime     # when this installation wrote it
    since: dt.date      # the day its changes started from


def last_export(db, unit: str | None) -> LastExport | None:
    """This installation's latest package that covered `unit` (one of the unit's own, or one of
    all units; for all units, only one of all units), read from the access log where every
    export is recorded (export_package)."""
    rows = db.execute("SELECT at, details FROM access_log WHERE action = 'export.package' "
                      "ORDER BY id DESC").fetchall()
    for at, details in rows:
        said = stored_json.loads(details or "{}")
        if said.get("units") not in (None, unit):
            continue
        try:
            return LastExport(timefmt.parse_db_time(at), dt.date.fromisoformat(said["from"]))
        except (KeyError, TypeError, ValueError):
            continue  # a row written before "from" was recorded: look further back
    return None


def default_since(db, unit: str | None, today: dt.date) -> dt.date:
    """The day a new package should start from so that nothing done here is left out: the day
    of the last package sent (what changed since it was written, and that day again: the merge
    is idempotent, so a day sent twice costs nothing), or, before any, the first day with a
    dossier. Not the first of the month: exported on the 1st it would leave out the end of the
    month before, and the centre's report would miss those dossiers."""
    last = last_export(db, unit)
    if last is not None:
        return min(last.at.date(), today)
    first = db.execute(f"SELECT {text_sql('MIN(received_at)')} FROM dossier_rows").fetchone()[0]
    return min(timefmt.parse_db_time(first).date(), today) if first else today


def parse_since(text: str | None, today: dt.date, what: str = "Ngày bắt đầu của gói") -> dt.date:
    """The day a package starts from, as typed (the export dialog, `exchange export --since`):
    exactly that day by the one rule of typed days (core.typed_dates.parse_day), or an
    InputError saying what is wrong with it — never another day (a date field that turns 31/02
    into 28/02, or "26" into 0026, exports another period); a day after today is refused too."""
    chosen = typed_dates.parse_day(text, what)
    if chosen > today:
        raise InputError(f"{what} {timefmt.vn_date(chosen)} là sau hôm nay "
                         f"({timefmt.vn_date(today)}): gói sẽ không có gì. Chọn hôm nay hoặc "
                         "một ngày trước đó.")
    return chosen


def suggested_name(db, unit: str | None, since: dt.date, today: dt.date) -> str:
    """The package's file name, different for every PC: two counters that save their packages
    into one shared folder or USB stick must not write over each other's (the second 'replace?'
    would drop the first counter's dossiers on the way to the centre). A unit's code may hold
    '/', '\\' or ':' (core.unit_text keeps them): made a plain file name's part
    (core.paths.file_name_part), the suggestion never opening another folder or a device."""
    number, _of = installation.slot(db)
    machine = f"may{number}-{installation.installation_id(db)[:4]}"
    scope = file_name_part(unit) if unit else "tat-ca"
    return f"goi-{scope}-{machine}-tu{since:%Y%m%d}-{today:%Y%m%d}.zip"


def refuse_target(path: Path, replace: bool) -> None:
    """The file a package is to be written to: in a folder that is there, and never written
    over unless `replace` (the clerk confirmed it): last month's package on the USB stick,
    not yet taken to the centre, would be lost, and the centre then misses its dossiers. Both
    are the typed name's fault, said before anything is written (spec 6: exit code 2)."""
    if path.is_dir():
        raise InputError(f"{path} là một thư mục: hãy ghi cả tên tệp gói, ví dụ "
                         f"{path / 'goi.zip'}. Chưa ghi gì.")
    require_folder(path)
    # the rule of every file written; the command line has said it already (core.cli.WRITES)
    # and passes --overwrite as `replace`: a file here now came while the window's save dialog
    # was open or the package being written
    refuse_existing(path, replace, SAVE_AGAIN)


def _check_unit(db, unit: str | None) -> None:
    if unit is not None and not db.execute("SELECT 1 FROM units WHERE code = ?",
                                           [unit]).fetchone():
        raise InputError(f"Đơn vị {unit!r} không có trong danh mục.")


def export_package(db, path: str | Path, since: dt.date, unit: str | None = None,
                   progress: Progress | None = None,
                   format_version: int | None = None, *, replace: bool = False) -> dict:
    """Write the package of `unit` (all units when None) for what changed since `since`;
    returns its manifest. A failure leaves no half-written file behind, and a file the name
    held stays as it was. `format_version`: 3 (the rows part, core.exchange.part), 2 (JSON
    Lines, for a centre not yet upgraded), or None: DEFAULT_FORMAT. `replace`: write over a
    file of that name — only once the clerk has said so (the window's save dialog asks);
    otherwise such a file is refused (refuse_target): it may be last month's package, not
    yet sent."""
    require("data.export")  # the package carries every citizen's details of the unit
    path, format_version = _checked_request(db, path, unit, format_version, replace)
    ident, (slot, of) = installation.installation_id(db), installation.slot(db)
    # format 3 is signed (core.exchange.signing), in the zip's comment that a format-3 reader
    # older than the signature ignores; format 2, for a centre reading no format 3, is not
    sign = signing.package_signer(db) if format_version >= 3 else None
    exported_at = timefmt.to_db_time(timefmt.now())
    ids = changed_dossiers(db, since, unit)
    vote_ids = changed_vote_ids(db, since, unit)
    votes: list = changed_votes(db, since, unit) if format_version == 2 else vote_ids
    writer = _open_writer(path, replace)
    try:
        if format_version == 2:
            counts = _write_parts(db, writer, ids, votes, progress)
        else:
            counts = _write_rows_part(db, writer, ids, votes, progress)
        # a Huỷ clicked after the last dossier (or during a small package, which never reports
        # before this) leaves no file and no record of an export: the next package then starts
        # where the last one really sent did (default_since)
        if progress is not None and progress(len(ids), len(ids)) is False:
            raise InterruptedError("export cancelled")
        writer.finish({
            "format": FORMAT, "format_version": format_version, "program_version": VERSION,
            "schema_version": SCHEMA_VERSION, "sender_unit": unit,
            "installation": {"id": ident, "slot": slot, "of": of},
            # the units and days it issued codes for: the centre warns only where codes can
            # clash (core.exchange.slots)
            slots.ISSUED_KEY: slots.issued_since(db, since),
            "period": {"since": since.isoformat(), "until": exported_at},
            "created_at": exported_at, "counts": counts,
            "rules_fingerprint": records.rules_fingerprint(db.conn),
            # the hours its due times were computed with: the centre says when its own differ
            office_hours.MANIFEST_KEY: office_hours.carried(db),
            # what it holds of the scope and leaves behind (all before `since`), per unit and
            # only its own: the centre tells "nothing before this package" from "older data
            # never sent", and which of its unit packages brought what
            held_before.MANIFEST_KEY: {**held_units.carried(db, unit, ids, vote_ids),
                                       held_cleared.KEY: held_cleared.day(db, unit, since, ids)},
            # who the rows' logins are (core.actor_names): names only, for those rows' logins
            actor_names.MANIFEST_KEY: actor_names.package_names(db, ids, vote_ids)}, sign)
    except BaseException as exc:
        _abort(writer, exc, path, replace)
        raise
    _record_export(db, path, since, unit, counts)
    return {"counts": counts, "installation": ident, "path": str(path)}


# The steps of `export_package`, in its order.
def _checked_request(db, path: str | Path, unit: str | None, format_version: int | None,
                     replace: bool) -> tuple[Path, int]:
    """The package's file and format, once the unit, the format and the file are known fit."""
    _check_unit(db, unit)
    format_version = DEFAULT_FORMAT if format_version is None else format_version
    if format_version not in WRITABLE_VERSIONS:
        raise InputError(f"Định dạng gói {format_version!r} không có: chọn "
                         f"{' hoặc '.join(map(str, WRITABLE_VERSIONS))}.")
    path = Path(path)
    if path.suffix.lower() != ".zip":
        raise InputError(f"Tệp gói phải có đuôi .zip: {path.name}.")
    refuse_unfit_output(path)  # a failed package removes its file: never a device's
    refuse_target(path, replace)
    return path, format_version


def _open_writer(path: Path, replace: bool) -> PackageWriter:
    try:
        return PackageWriter(path, replace)
    except OSError as exc:
        raise OperationError(f"Không ghi được tệp {path}: {os_reason(exc)}.") from None


def _abort(writer: PackageWriter, exc: BaseException, path: Path, replace: bool) -> None:
    """Remove the half-written package; a failure of its disk is said naming the package.
    (Called while `exc` is handled: the caller raises it again when this does not.)"""
    writer.abort()
    if isinstance(exc, FileExistsError):  # made there by someone else while it was written
        refuse_target(path, replace)
    if isinstance(exc, OSError) and not isinstance(exc, InterruptedError):  # a Huỷ is no failure
        # the package's disk, not the database's: name the package (main named the database)
        raise OperationError(f"Không ghi được tệp gói {path}: {os_reason(exc)}. Chưa có "
                             "tệp gói nào được ghi; cơ sở dữ liệu không bị ảnh hưởng.") from exc


def _record_export(db, path: Path, since: dt.date, unit: str | None, counts: dict) -> None:
    # the package carries every citizen's details unmasked (the other machine needs them whole)
    details = {"rows": counts["dossiers"], "file": path.name, "full": True,
               "from": since.isoformat()}
    access.record(db, "export.package", details={**details, "units": unit} if unit else details)


def _write_parts(db, writer: PackageWriter, ids: list[int], votes: list[dict],
                 progress: Progress | None) -> dict:
    conn = db.conn
    counts = {"units": writer.part("units.jsonl", records.unit_records(conn)),
              "procedures": writer.part("procedures.jsonl", records.procedure_records(conn)),
              "calendar": writer.part("calendar.jsonl", records.calendar_records(conn))}
    tally = {"events": 0, "waits": 0, "payments": 0, "components": 0, "complaints": 0,
             "extensions": 0}

    def counted():
        for done, record in enumerate(records.dossier_records(conn, ids), 1):
            for key in ("events", "waits", "payments", "components", "complaints"):
                tally[key] += len(record[key])
            tally["extensions"] += record["extension"] is not None
            if progress and done % 2000 == 0 and progress(done, len(ids)) is False:
                raise InterruptedError("export cancelled")
            yield record

    counts["dossiers"] = writer.part("dossiers.jsonl", counted())
    counts.update(tally)
    counts["votes"] = writer.part("votes.jsonl", votes)
    return counts


def _write_rows_part(db, writer: PackageWriter, ids: list[int], vote_ids: list[int],
                     progress: Progress | None) -> dict:
    """Format 3: the rows part made in a temporary folder (removed whatever happens), then
    deflated into the zip. Its counts are the manifest's, as format 2 tallies them."""
    with tempfile.TemporaryDirectory(prefix="motcua-xuat-") as folder:
        made = Path(folder) / ROWS_PART
        counts = part.build(db.conn, made, ids, vote_ids, progress)
        writer.file_part(ROWS_PART, made)
    return counts
