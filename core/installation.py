"""This installation: its id, its slot in the code allocation, and the allocation itself (spec 4).

Several installations may issue codes for the same unit on the same day while offline (the
counter PCs of a centre, a commune receiving for itself while the centre's branch receives for
it). Codes keep the format `{unit}-{YYMMDD}-{NNNN}`; what keeps them apart is the sequence
number: an installation in slot `s` of a group of `of` slots only issues numbers `n` with
`n ≡ s (mod of)`. Slot 2 of 3 issues 0002, 0005, 0008 …; slot 3 of 3 issues 0003, 0006 … Two
installations with different slots of the same group can never draw the same number, whatever
each does offline, and the sequence still restarts each day per unit and keeps at least 4
digits. A single PC is slot 1 of 1: 0001, 0002, 0003 … exactly as before slots existed.

The slot is set by the administrator when a PC joins the group (`exchange identity --slot S
--of N`, or the Dữ liệu menu); it lives in the settings, as does the installation id made once
the first time it is asked for. Packages carry both, so the centre sees a misconfigured PC
(two senders with the same slot) when it imports (core.exchange.preview).
"""
from __future__ import annotations

import datetime as dt
import json
import uuid

from core.accounts import require
from core.errors import InputError
from db import settings
from db.connection import transaction

ID_KEY = "installation_id"
SLOT_KEY = "code_slot"
SLOTS_MAX = 99  # a group larger than this should run one shared server (docs/multi-counter.md)


def installation_id(db) -> str:
    """This installation's id, made once (a random UUID) and kept in the settings."""
    stored = settings.get(db, ID_KEY)
    if stored:
        return str(stored)
    with transaction(db) as conn:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", [ID_KEY]).fetchone()
        if row is not None:  # another process made it between our read and our lock
            return str(json.loads(row[0]))
        made = uuid.uuid4().hex
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", [ID_KEY, json.dumps(made)])
    return made


def slot(db) -> tuple[int, int]:
    """(slot, of): this installation's residue class of sequence numbers; (1, 1) by default."""
    stored = settings.get(db, SLOT_KEY) or {}
    return int(stored.get("slot", 1)), int(stored.get("of", 1))


def check_slot(number: int, of: int) -> None:
    if not 1 <= of <= SLOTS_MAX:
        raise InputError(f"Số máy trong nhóm phải từ 1 đến {SLOTS_MAX}, không phải {of}.")
    if not 1 <= number <= of:
        raise InputError(f"Số hiệu máy phải từ 1 đến {of} (số máy trong nhóm), không phải "
                         f"{number}.")


def set_slot(db, number: int, of: int) -> None:
    """Give this installation slot `number` of a group of `of` (the administrator's step)."""
    require("settings.edit")  # a wrong slot makes two machines hand out the same codes
    check_slot(number, of)
    settings.put(db, SLOT_KEY, {"slot": number, "of": of})


def next_number(last: int, number: int, of: int) -> int:
    """The smallest sequence number after `last` in slot `number` of `of` (n ≡ number mod of)."""
    candidate = last + 1
    return candidate + (number - candidate) % of


def allocate_code(conn, unit_code: str, received_at: dt.datetime) -> str:
    """The next free code `{unit}-{YYMMDD}-{NNNN}` (spec 4), inside the caller's transaction.

    `unit_code` is the competent unit's identifier (Circular 03/2025 Art. 13 as amended by
    Circular 04/2025). BEGIN IMMEDIATE serialises writers, so two clerks never get the same
    number; this installation's slot keeps it apart from other installations; codes brought
    by imports and packages are skipped. The sequence has at least 4 digits and goes on with
    5 after 9999: a busy centre is never refused a code.
    """
    day = received_at.strftime("%y%m%d")
    row = conn.execute("SELECT value FROM settings WHERE key = ?", [SLOT_KEY]).fetchone()
    stored = json.loads(row[0]) if row else {}
    number, of = int(stored.get("slot", 1)), int(stored.get("of", 1))
    found = conn.execute("SELECT last FROM code_counters WHERE unit_code = ? AND day = ?",
                         [unit_code, day]).fetchone()
    last = found[0] if found else 0
    while True:
        last = next_number(last, number, of)
        code = f"{unit_code}-{day}-{last:04d}"
        if not conn.execute("SELECT 1 FROM dossiers WHERE code = ?", [code]).fetchone():
            break
    conn.execute("INSERT INTO code_counters(unit_code, day, last) VALUES (?, ?, ?) "
                 "ON CONFLICT(unit_code, day) DO UPDATE SET last = excluded.last",
                 [unit_code, day, last])
    return code
