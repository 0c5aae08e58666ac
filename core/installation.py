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

A PC set up by copying another PC's file would keep that PC's id and slot, and the two would
hand out the same codes. So the file remembers where it was made (`HOME_KEY`: the machine's
name and the file's absolute path, `place_of`; kept only in the file's own settings), and the
allocation refuses to issue a code on another machine, or beside the original on the same one
(`check_home`, in the same transaction), until the administrator says what this file is: a new
machine with copied data (`become_new_machine`: a new id and a slot of its own) or the same
installation on a replacement PC (`stay_the_same`: id and slot kept). A file that remembers
nothing yet (made before this check) takes its place silently; a file moved to another folder
of the same PC, with nothing left at the old path, follows silently (what an administrator who
moved the data folder expects: nothing else can issue its codes); restoring this PC's own backup
over its file keeps the place, so nothing is asked.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from core import limits
from core.accounts import require
from core.errors import InputError, OperationError
from db import settings
from db.connection import transaction
from db.settings import log_change

ID_KEY = "installation_id"
SLOT_KEY = "code_slot"
SLOTS_MAX = limits.SLOTS_MAX
# this installation's Ed25519 key that signs its packages (core.exchange.signing.own_key)
SIGNING_KEY = "exchange_signing_key"
HOME_KEY = "installation_home"  # {"machine": name, "place": hash of machine and path}


def machine_name() -> str:
    """This computer's name as the administrator knows it (Windows: the computer name, which
    is case-insensitive; Linux: the host name). The one place that asks the system."""
    name = os.environ.get("COMPUTERNAME") if os.name == "nt" else None
    return (name or socket.gethostname() or "?").strip().upper()


def place_of(path: str, machine: str | None = None) -> dict | None:
    """Where a database file is: {"machine", "path"}; None for a database in memory. The path
    is normalised the system's way (case on Windows, links resolved)."""
    if not path:
        return None
    return {"machine": machine or machine_name(),
            "path": os.path.normcase(os.path.realpath(path))}


@dataclass(frozen=True)
class Home:
    """Where this file was made for, and where it is now. `state`:
    - "here": the same machine and path; "new": nothing remembered yet (taken silently);
    - "moved": this machine, another path, and no file left at the old one: the administrator
      moved the data folder; the file follows silently (nothing else can issue its codes);
    - "twin": this machine, another path, and the old file still there: a copy that could be
      used beside the original; "copied": another machine. These two ask before any code."""
    state: str
    made_on: str | None
    now_on: str | None
    made_at: str | None = None

    @property
    def ask(self) -> bool:
        return self.state in ("twin", "copied")

    def text(self) -> str:
        """What the administrator reads before choosing (the dialog, the command line)."""
        if self.state == "copied":
            return (f"Tệp dữ liệu này được lập cho máy «{self.made_on}», nay đang mở trên máy "
                    f"«{self.now_on}».")
        if self.state == "twin":
            return (f"Tệp dữ liệu này là bản chép của tệp {self.made_at} trên chính máy này, và "
                    "tệp ấy vẫn còn.")
        return "Tệp dữ liệu này được lập cho máy này."


def _file_of(conn) -> str:
    for _seq, name, file in conn.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return file or ""
    return ""


def home(db) -> Home:
    """Where this file was made for, against where it is open now (no write)."""
    here = place_of(_file_of(db))
    made = settings.get(db, HOME_KEY)
    if made is not None and not isinstance(made, dict):
        raise settings.damaged(db, HOME_KEY)  # acted on: it decides whether codes are issued
    if here is None:
        return Home("here", None, None)
    if not made:
        return Home("new", None, here["machine"])
    was = (made.get("machine"), here["machine"], made.get("path"))
    if made.get("machine") != here["machine"]:
        return Home("copied", *was)
    if made.get("path") == here["path"]:
        return Home("here", *was)
    return Home("twin" if os.path.exists(str(made.get("path"))) else "moved", *was)


def moved_message(where: Home) -> str:
    """Why no code is issued here yet, and who does what about it."""
    return (f"{where.text()} Chưa cấp mã hồ sơ mới, để không cấp trùng mã với máy đã lập tệp. "
            "Quản trị viên cần chọn trong Dữ liệu → Máy này trong nhóm trao đổi… (hoặc lệnh "
            "`exchange identity --new-machine --slot K --of N` nếu đây là máy mới chép dữ "
            "liệu, `exchange identity --same-machine` nếu đây là máy thay thế máy cũ, máy cũ "
            "không còn dùng).")


def check_home(conn) -> None:
    """Inside the allocating transaction: refuse a code while the file is open elsewhere than
    where it was made, undecided; a file that remembers nothing takes this place."""
    where = home(conn)
    if where.ask:
        raise OperationError(moved_message(where))
    if where.state in ("new", "moved"):
        _put_home(conn)


def _put_home(conn) -> None:
    """This place is the file's; and its id is made now if it has none yet (a copy made before
    then would otherwise make its own on the first ask, and a replacement PC lose the id)."""
    conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO NOTHING",
                 [ID_KEY, json.dumps(uuid.uuid4().hex)])
    here = place_of(_file_of(conn))
    if here is not None:
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                     "UPDATE SET value = excluded.value", [HOME_KEY, json.dumps(here)])


def remember_home(db, path: str | os.PathLike | None = None) -> None:
    """A file that remembers nothing takes the place it is open at (the program's start), or
    `path` (a new file, built under another name then renamed into place)."""
    if path is not None:
        here = place_of(str(path))
        with transaction(db) as conn:
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                         "NOTHING", [ID_KEY, json.dumps(uuid.uuid4().hex)])
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                         "UPDATE SET value = excluded.value", [HOME_KEY, json.dumps(here)])
        return
    if home(db).state in ("new", "moved"):
        with transaction(db) as conn:
            if home(conn).state in ("new", "moved"):
                _put_home(conn)


def stay_the_same(db) -> None:
    """The administrator's answer "this machine replaces the old one (no longer used), or the
    file only moved": the id and the slot go on here, and this place is the file's."""
    require("settings.edit")
    where = home(db)
    with transaction(db) as conn:
        log_change(conn, "settings", HOME_KEY, where.made_on, f"giữ mã cài đặt, máy {where.now_on}")
        _put_home(conn)


def become_new_machine(db, number: int, of: int) -> str:
    """The administrator's answer "this is a new machine; its data was copied from one still in
    use": a new installation id and slot `number` of `of`; `number` must differ from the old
    one's (the old machine keeps its number, in a group of `of` too). Codes already in the file stay
    as they are: they were issued by the old machine and are the same dossiers there. Returns
    the new id."""
    require("settings.edit")
    check_slot(number, of)
    old_number, old_of = slot(db)
    if of == 1:
        raise InputError("Máy mới chép dữ liệu cần một số hiệu riêng trong nhóm: số máy trong "
                         "nhóm phải từ 2 trở lên (và máy cũ cũng đặt cùng số máy ấy).")
    if number == old_number:
        raise InputError(f"Số hiệu {number} là của máy cũ (tệp chép từ đó; máy cũ giữ số hiệu "
                         f"ấy, trong nhóm {of} máy): chọn một số hiệu khác cho máy này.")
    made = uuid.uuid4().hex
    with transaction(db) as conn:
        old = conn.execute("SELECT value FROM settings WHERE key = ?", [ID_KEY]).fetchone()
        for key, value in ((ID_KEY, made), (SLOT_KEY, {"slot": number, "of": of})):
            before = conn.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
            log_change(conn, "settings", key, before[0] if before else None, json.dumps(value))
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                         "UPDATE SET value = excluded.value", [key, json.dumps(value)])
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                     "UPDATE SET value = excluded.value",
                     ["installation_copied_from", old[0] if old else json.dumps(None)])
        # the old machine's signing key is its own: this one makes its own at its first export
        conn.execute("DELETE FROM settings WHERE key = ?", [SIGNING_KEY])
        _put_home(conn)
    return made


def suggested_new_slot(number: int, of: int,
                       taken: frozenset[tuple[int, int]] | set[tuple[int, int]] = frozenset()
                       ) -> tuple[int, int]:
    """A slot for a new machine copied from one in slot `number` of `of`: the next slot of
    the same group that neither the old machine nor a sender whose packages the file merged
    holds (`taken`, core.actor_names.seen_slots: a centre's copy must not be offered a
    counter's slot, whose codes it would then issue again), or 2 of 2 when the old machine was
    alone (it must then become 1 of 2). Every slot of the group held: one more machine in the
    group (of + 1), which every machine of it must then be told."""
    if of == 1:
        return 2, 2
    held = {n for n, o in taken if o == of} | {number}
    for step in range(1, of):
        candidate = (number + step - 1) % of + 1
        if candidate not in held:
            return candidate, of
    if of < SLOTS_MAX:
        return of + 1, of + 1
    return number % of + 1, of


def stored_id(db) -> str | None:
    """This installation's id as kept, None before it is made. Anything but a text is damage
    (a number, a list edited in): the id is written into every package and origin record."""
    stored = settings.get(db, ID_KEY)
    if stored is None:
        return None
    if not isinstance(stored, str) or not stored:
        raise settings.damaged(db, ID_KEY)
    return stored


def installation_id(db) -> str:
    """This installation's id, made once (a random UUID) and kept in the settings."""
    stored = stored_id(db)
    if stored:
        return stored
    with transaction(db) as conn:
        made_meanwhile = stored_id(conn)
        if made_meanwhile is not None:  # another process made it between our read and our lock
            return made_meanwhile
        made = uuid.uuid4().hex
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", [ID_KEY, json.dumps(made)])
    return made


def slot(db) -> tuple[int, int]:
    """(slot, of): this installation's residue class of sequence numbers; (1, 1) while not
    confirmed (shown so, but no code is issued then: `slot_confirmed`)."""
    stored = settings.get(db, SLOT_KEY)
    return (1, 1) if stored is None else _slot_kept(db, stored)


def _slot_kept(db, stored) -> tuple[int, int]:
    """(slot, of) of the kept value: {"slot": K, "of": N}, 1 ≤ K ≤ N ≤ SLOTS_MAX. Anything else
    is damage (a number, a slot in words, «of» 0 dividing by zero): codes are issued by it."""
    if isinstance(stored, dict):
        number, of = stored.get("slot", 1), stored.get("of", 1)
        if all(isinstance(n, int) and not isinstance(n, bool) for n in (number, of)) and \
                1 <= number <= of <= SLOTS_MAX:
            return number, of
    raise settings.damaged(db, SLOT_KEY)


def _slot_stored(db) -> bool:
    return db.execute("SELECT 1 FROM settings WHERE key = ?", [SLOT_KEY]).fetchone() is not None


def _issued_before_slots(db) -> bool:
    """An older version's file that issued codes (counters, no slot stored): slot 1 of 1 in
    fact (`keep_old_slot` records it so at its writable opening)."""
    return not _slot_stored(db) and \
        db.execute("SELECT 1 FROM code_counters LIMIT 1").fetchone() is not None


def slot_confirmed(db) -> bool:
    """Has somebody said which PC of how many this one is (the first start, the Dữ liệu menu,
    `exchange identity --slot`, the demo), or is it an older version's file that issued codes
    (1 of 1, read so without writing: a read-only opening agrees with what the writable one
    records, `keep_old_slot`)?"""
    return _slot_stored(db) or _issued_before_slots(db)


def unconfirmed_message() -> str:
    """Why a new installation issues no code yet, and what to do (spec 4)."""
    return ("Máy này chưa được xác nhận số hiệu cấp mã hồ sơ, nên chưa cấp mã hồ sơ mới: hai "
            "máy cùng cấp mã cho một đơn vị mà không được chia số hiệu sẽ cấp trùng mã. Quản trị "
            "viên hãy chọn Dữ liệu → Máy này trong nhóm trao đổi… (hoặc lệnh `exchange identity "
            "--slot K --of N`): máy duy nhất cấp mã cho các đơn vị của mình là máy 1 trong 1 máy; "
            "nhiều máy cùng cấp mã (các quầy, máy của xã và chi nhánh trung tâm tiếp nhận cho xã) "
            "thì mỗi máy một số hiệu riêng, cùng một số máy.")


OLD_SLOT_NOTE = "giữ 1/1: tệp đã cấp mã hồ sơ ở phiên bản chưa hỏi số hiệu"


def keep_old_slot(db) -> None:
    """A file that issued codes under a version that never asked (codes counted, no slot
    stored) was slot 1 of 1 in fact, and its counter goes on as it was: recorded so once, in
    setting_changes, at its opening, and nothing is asked at the counter. A file that never
    issued a code (new, or holding only imported dossiers) is asked before its first."""
    if not _issued_before_slots(db):
        return
    with transaction(db) as conn:
        if _slot_stored(conn):
            return  # another process recorded it between our read and our lock
        value = json.dumps({"slot": 1, "of": 1})
        log_change(conn, "settings", SLOT_KEY, None, f"{value} ({OLD_SLOT_NOTE})")
        conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", [SLOT_KEY, value])


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
    return allocate_codes(conn, [(unit_code, received_at)])[0]


def allocate_codes(conn, wanted: Sequence[tuple[str, dt.datetime]]) -> list[str]:
    """`allocate_code` for each (unit, moment) in turn, the same codes as so many calls one
    after the other (an exchange import keeping thousands of dossiers both): the file's home
    and the slot read once, each unit's day counter read once and written once at the end."""
    if not wanted:
        return []
    check_home(conn)
    if not _slot_stored(conn):  # nobody said which PC this is: 1 of 1 by silence would clash
        raise OperationError(unconfirmed_message())  # (spec 4)
    number, of = _slot_kept(conn, settings.get(conn, SLOT_KEY))
    lasts: dict[tuple[str, str], int] = {}
    codes = []
    for unit_code, received_at in wanted:
        key = (unit_code, received_at.strftime("%y%m%d"))
        if key not in lasts:
            found = conn.execute("SELECT last FROM code_counters WHERE unit_code = ? AND day = ?",
                                 list(key)).fetchone()
            lasts[key] = found[0] if found else 0
        last = lasts[key]
        while True:
            last = next_number(last, number, of)
            code = f"{key[0]}-{key[1]}-{last:04d}"
            if not conn.execute("SELECT 1 FROM dossiers WHERE code = ?", [code]).fetchone():
                break
        lasts[key] = last
        codes.append(code)
    conn.executemany("INSERT INTO code_counters(unit_code, day, last) VALUES (?, ?, ?) "
                     "ON CONFLICT(unit_code, day) DO UPDATE SET last = excluded.last",
                     [(*key, last) for key, last in lasts.items()])
    return codes
