"""The package dossiers kept both ("Giữ cả hai", core.exchange.recode) written under the codes
issued here, in bulk (issue 16 §3, round 25).

Each such dossier gets a new code from this installation's allocator, its rows, its `recode`
event, its code_aliases row and the origin of its rows (core.actor_names). Written one by one
that cost 8.5–9.6 ms a dossier under load (~55 statements each: the file's home and the slot
read again for every code, one origin record a dossier, the chain's head read and sealed for
every event): 26 s for 3,107 dossiers. Now the codes are allocated in one pass
(installation.allocate_codes), the dossiers of a run of one package inserted with one
store.insert_new, each one's recode event appended after its own events in the same chain
append, the aliases in one executemany and one origin record a run. The state left is the one
the one-by-one writing left — the same codes, ids, events in the same order (the same chain),
aliases — but the origin records: one a run of one package's dossiers instead of one a
dossier (the same ranges, so every row names the same origin).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from core import actor_names, installation, timefmt
from core.exchange import replaced
from core.exchange.recode import RECODE
from core.exchange.store import Store, sender_key
from db import actor as actors

ALIAS_SQL = ("INSERT INTO code_aliases(sender, sender_code, local_code, package, at, actor) "
             "VALUES (?, ?, ?, ?, ?, ?)")
RUN_MOST = 500  # dossiers written at once: the progress moves between runs


@dataclass
class Take:
    """One package dossier to keep both: the package's Store (its `now`, its `here`), the
    record, the package's file name, its sender's whole id ("" before ids), its manifest, its
    signature as the origin record keeps it (core.exchange.signing.recorded)."""
    store: Store
    record: dict
    package: str
    sender: str
    manifest: dict
    signature: dict


def take_all(conn, takes: Sequence[Take], step: Callable[[int], None] | None = None
             ) -> list[str]:
    """The takes written in order in the caller's transaction; their new codes, in order.
    `step(done)` is told between runs."""
    codes = installation.allocate_codes(conn, [_wanted(take.record) for take in takes])
    who, here = actors.login(), replaced.here_key(conn)
    done = 0
    for run in _runs(takes):
        _write_run(conn, run, codes[done:done + len(run)], who, here)
        done += len(run)
        if step is not None:
            step(done)
    return codes


def _wanted(record: dict) -> tuple:
    """The unit and moment a record's new code is issued for (reception's rule)."""
    fields = record["fields"]
    return (fields["competent_unit_code"] or fields["unit_code"],
            timefmt.parse_db_time(fields["received_at"]))


def _runs(takes: Sequence[Take]) -> list[list[Take]]:
    """The takes cut where the package changes (one origin record a run), at most RUN_MOST."""
    runs: list[list[Take]] = []
    for take in takes:
        if runs and runs[-1][0].store is take.store and len(runs[-1]) < RUN_MOST:
            runs[-1].append(take)
        else:
            runs.append([take])
    return runs


def _write_run(conn, run: list[Take], codes: list[str], who: str, here: str | None) -> None:
    """One package's takes: rows, events (each dossier's recode event after its own, as the
    one-by-one writing chained them), aliases, the ids of the events written here, the
    origin of the rows."""
    first = run[0]
    store, now = first.store, first.store.now
    before = actor_names.maxima(conn)
    records = [{**take.record, "code": code,
                "events": [*take.record["events"], _event(take, now, who, here)]}
               for take, code in zip(run, codes, strict=True)]
    store.insert_new(records)
    # a package of a version before installations had an id: its sender cannot be told from
    # another such one, so its later packages are not followed (recode.aliases), and its row
    # is its own ("?:" and the code here)
    conn.executemany(ALIAS_SQL, [(take.sender or f"?:{code}", take.record["code"], code,
                                  take.package, now, who)
                                 for take, code in zip(run, codes, strict=True)])
    store.here.extend(_recode_ids(conn, records))
    actor_names.record_origin(conn, first.manifest, first.package, before,
                              store.here, now, first.signature)


def _event(take: Take, now: str, who: str, here: str | None) -> tuple:
    """The recode event, as history.record wrote it (its details as JSON text)."""
    code = take.record["code"]
    details = {"original_code": code, "package": take.package, "sender": take.sender}
    return (now, who, RECODE, None, None, recode_reason(code, take.package, take.sender, here),
            json.dumps(details, ensure_ascii=False))


def _recode_ids(conn, records: list[dict]) -> list[int]:
    """The ids of the recode events just appended: each record's last event (the chain's
    append gives the ids in order, one after the other, up to the last)."""
    last = conn.execute("SELECT MAX(id) FROM event_rows").fetchone()[0]
    ids, at = [], last - sum(len(record["events"]) for record in records)
    for record in records:
        at += len(record["events"])
        ids.append(at)
    return ids


def recode_reason(original: str, package: str, sender: str, here: str | None) -> str:
    """The recode event's note. It travels in the dossier's history (packages carry it; every
    receiver stores and shows it), so it names the installations as the move's note does
    (core.exchange.moved, replaced.machine), never "this PC", false wherever else it is read:
    `sender` (the package's installation, whose code it was: its whole id, "" before ids) and
    `here` (this installation, replaced.here_key: None with no id yet, named by what it did).
    Notes already written ("… trên máy này …", before round 25) keep their text: no code reads
    the note back (the event is known by its action and details)."""
    where = replaced.machine(here, package) + (f" khi máy ấy nhập gói {package}" if here else "")
    whose = f"máy gửi {sender_key(sender)}" if sender else f"máy gửi gói {package}"
    return (f"Cấp mã mới ở {where}: mã {original} của {whose} đã là mã của một hồ sơ khác ở "
            f"{replaced.machine(here, package)} (giữ cả hai hồ sơ)")
