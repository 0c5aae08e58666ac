"""Packages signed by their installation, senders' keys pinned at the centre (issue 16 §3,
spec 9 and 10: every change attributable).

Each installation has an Ed25519 key pair, made once, lazily, at its first export
(`own_key`), and signs every package it writes (the checksums of its members:
core.exchange.package.signature). The centre pins a sender's public key at the first signed
package it imports from that installation (trust on first use, as SSH does), in the import's
own transaction (a preview pins nothing). Then, before the manifest steers anything (the
disk's room, the order, the preview, the merge), every package of an operation is held to
what is pinned (`Trust.check`, the one rule the command and the window share): a package of
a pinned installation signed with another key, or unsigned, is refused, nothing written. An
unsigned package of an installation never seen signing (an older program) is taken, said so
in the preview. The administrator forgets a pinned key (`forget`: `exchange forget-key`)
when the sender was really reinstalled; the forgetting is recorded with the other setting
changes (setting_changes), as is every pinning.

What it guarantees: a package that comes to the centre as a known sender's was made by the
holder of that sender's database, and was not changed since. What it does not: the private
key sits in the sender's database (settings), so whoever holds that file (a copy, a backup)
can sign as that installation; the first package of a sender is taken on its word.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core import actor_names, installation, timefmt
from core.accounts import require
from core.errors import InputError
from core.exchange.package import signature
from core.exchange.package.reader import PackageReader
from core.exchange.package.signature import Signed
from db import stored_json
from db.connection import transaction
from db.settings import log_change

PIN_PREFIX = "exchange_signer:"  # + the sender's installation id -> {"public_key", "pinned_at", "package"}
KNOWN, NEW, UNSIGNED = "known", "new", "unsigned"
STATUS_VI = {KNOWN: "hợp lệ (máy đã biết)", NEW: "hợp lệ — máy mới, khoá được ghi nhận",
             UNSIGNED: "không có chữ ký (phiên bản cũ)"}
UNSIGNED_NOTE_VI = "gói không có chữ ký — tạo bởi phiên bản cũ"
NO_SENDER_VI = ("Chưa nhập gói có chữ ký nào: chưa ghi nhận khoá của máy gửi nào. Khoá của một "
                "máy được ghi nhận khi nhập gói có chữ ký đầu tiên của máy ấy.")
SHORT_VI = {KNOWN: "hợp lệ", NEW: "hợp lệ, máy mới", UNSIGNED: "không (bản cũ)"}  # a table's cell


def recorded(status: str, signed: Signed | None) -> dict:
    """What the import's own audit record keeps of a package's signature (spec 10: who sent
    it, and how that is known): its status against the keys pinned here (KNOWN, NEW: pinned by
    this import, UNSIGNED) and the key that signed it. Written by core.actor_names.record_origin
    in the import's transaction, for the command and the window alike."""
    return {"status": status, **({"public_key": signed.public_key.hex()} if signed else {})}


def status_text(status: str, dry_run: bool = False) -> str:
    """What the preview says of a package's signature ("Chữ ký: …")."""
    if status == NEW and dry_run:
        return "hợp lệ — máy mới, khoá sẽ được ghi nhận khi nhập"
    return STATUS_VI.get(status, "")


# ----- this installation's key -----------------------------------------------------------
def own_key(db) -> Ed25519PrivateKey:
    """This installation's signing key, made the first time it is asked for (an existing
    database gets one at its first export). Its raw private bytes live in the database's
    settings on purpose: the key signs AS this installation, and the database file is what
    this installation is (its id, its slot, its dossiers); whoever holds that file could
    already write anything as it, so the key asks for no more trust than the file itself, and
    it travels with the file to a replacement PC (`exchange identity --same-machine`) and in
    its backups. A copy made a new machine gets a key of its own
    (installation.become_new_machine drops the copied one)."""
    row = db.execute("SELECT value FROM settings WHERE key = ?",
                     [installation.SIGNING_KEY]).fetchone()
    if row is None:
        made = Ed25519PrivateKey.generate().private_bytes_raw().hex()
        with transaction(db) as conn:  # another process may have made one meanwhile: kept
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                         "NOTHING", [installation.SIGNING_KEY, json.dumps({"private": made})])
            row = conn.execute("SELECT value FROM settings WHERE key = ?",
                               [installation.SIGNING_KEY]).fetchone()
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(stored_json.loads(row[0])["private"]))


def package_signer(db) -> Callable[[bytes], bytes]:
    """What PackageWriter.finish signs the checksums with: this installation's key and id."""
    key, ident = own_key(db), installation.installation_id(db)
    return lambda checksums: signature.member(ident, key, checksums)


# ----- the senders' keys pinned here --------------------------------------------------------
def pinned(db, ident: str) -> dict | None:
    """What this installation pinned for sender `ident` (read on `db`, or on the import's
    connection), None when nothing; a damaged pin (not the JSON object MotCua writes, no key
    in hex) is refused in words naming the sender and what to do, never checked against."""
    row = db.execute("SELECT value FROM settings WHERE key = ?", [PIN_PREFIX + ident]).fetchone()
    if row is None:
        return None
    value = _read_pin(row[0])
    if not _is_key(value.get("public_key")):
        raise InputError(_damaged_pin(ident))
    return value


def _is_key(key) -> bool:
    """A pinned public key as MotCua writes it: hex, not empty (another value is a damaged pin,
    not another sender's key to warn of as an impostor)."""
    try:
        return isinstance(key, str) and bool(bytes.fromhex(key))
    except ValueError:
        return False


def _read_pin(raw) -> dict:
    """A pin's stored value, {} when damaged (the listing still shows its sender)."""
    try:
        value = stored_json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}


def _held_to(known: dict, signed: Signed, package: str) -> None:
    """A signed package held to its sender's pinned key: another key is refused."""
    if known.get("public_key") != signed.public_key.hex():
        raise InputError(_other_key_named(package, signed, known))


def _sender(reader: PackageReader) -> str:
    if reader.signed is not None:
        return reader.signed.installation
    return str((reader.manifest.data.get("installation") or {}).get("id") or "")


@dataclass
class Trust:
    """One operation's packages held to the keys pinned here and to each other (whatever
    their order: two keys for one sender, or a signed and an unsigned package of one sender,
    refused alike); `statuses` (as given) for the preview, `pin` in the import's transaction."""
    db: object
    statuses: list[str] = field(default_factory=list)
    to_pin: dict[str, tuple[Signed, str]] = field(default_factory=dict)

    def check(self, readers: Sequence[PackageReader]) -> None:
        signing: dict[str, tuple[Signed, str]] = {}  # sender -> its first signed package here
        for reader in readers:
            if reader.signed is None:
                continue
            first = signing.setdefault(reader.signed.installation, (reader.signed, reader.path.name))
            if first[0].public_key != reader.signed.public_key:
                raise InputError(_two_keys(reader, first[1]))
        self.statuses, self.to_pin = [], {}
        for reader in readers:
            ident = _sender(reader)
            known = pinned(self.db, ident) if ident else None
            if reader.signed is None:
                if known is not None or ident in signing:
                    raise InputError(_unsigned(reader, ident, known, signing.get(ident)))
                self.statuses.append(UNSIGNED)
            elif known is None:
                self.statuses.append(NEW)
                self.to_pin.setdefault(ident, signing[ident])
            else:
                _held_to(known, reader.signed, reader.path.name)
                self.statuses.append(KNOWN)

    def pin(self, conn) -> None:
        """The new senders' keys pinned, inside the import's transaction, each recorded.
        `check` read the pins before the transaction: another MotCua on the same file may have
        pinned one since (the same package imported twice at once). Its own key is kept as
        it is; another key is refused as `check` refuses it."""
        at = timefmt.to_db_time(timefmt.now())
        for ident, (signed, package) in self.to_pin.items():
            if (known := pinned(conn, ident)) is not None:
                _held_to(known, signed, package)
                continue
            value = json.dumps({"public_key": signed.public_key.hex(), "pinned_at": at,
                                "package": package}, ensure_ascii=False)
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", [PIN_PREFIX + ident, value])
            log_change(conn, "settings", PIN_PREFIX + ident, None, value)


def forget(db, given: str) -> str:
    """The administrator forgets a sender's pinned key (the sender was reinstalled, or restored
    a backup older than its key): its next signed package pins its key again. `given`: the
    installation id, or its first 8 characters or more (as the preview names it). Returns the
    id. Recorded in setting_changes."""
    require("settings.edit")  # a forgotten key lets the next package of that sender in
    given = given.strip()
    keys = [r[0].removeprefix(PIN_PREFIX) for r in db.execute(
        "SELECT key FROM settings WHERE key LIKE ? ORDER BY key", [PIN_PREFIX + "%"])]
    found = [k for k in keys if k == given] or \
        ([k for k in keys if k.startswith(given)] if len(given) >= 8 else [])
    if len(found) != 1:
        listed = ", ".join(k for k in keys) or "chưa có máy nào"
        raise InputError(f"Không có khoá nào ghi nhận cho máy {given!r}" + (
            " (nhiều máy bắt đầu như thế: ghi đủ mã cài đặt)" if found else "")
            + f". Các máy đã ghi nhận khoá: {listed}. Chưa thay đổi gì.")
    ident = found[0]
    with transaction(db) as conn:
        row = conn.execute("SELECT value FROM settings WHERE key = ?",
                           [PIN_PREFIX + ident]).fetchone()
        conn.execute("DELETE FROM settings WHERE key = ?", [PIN_PREFIX + ident])
        log_change(conn, "settings", PIN_PREFIX + ident, row[0] if row else None, None)
    return ident


def pins(db) -> list[tuple[str, dict]]:
    """Every sender whose key is pinned here, with what was pinned."""
    return [(key.removeprefix(PIN_PREFIX), _read_pin(value)) for key, value in db.execute(
        "SELECT key, value FROM settings WHERE key LIKE ? ORDER BY key", [PIN_PREFIX + "%"])]


@dataclass(frozen=True)
class KnownSender:
    """One pinned sender as the administrator reads it (`exchange keys`, the window's «Máy gửi
    gói đã biết»): the machine, its units as its packages named them, the key's fingerprint."""
    installation: str
    machine: str       # "máy c3cd08e7", as the preview and the refusals name it
    units: str         # the units its merged packages carried ('' when none merged yet)
    fingerprint: str   # first 16 hex of SHA-256 of the public key, in fours
    pinned_at: str     # "HH:MM dd/mm/yyyy", '' when unreadable
    package: str       # the package whose import pinned it


def fingerprint(public_key_hex: str) -> str:
    """A pinned key's fingerprint (signature.fingerprint_of), '?' when it is not hex."""
    try:
        return signature.fingerprint_of(bytes.fromhex(public_key_hex))
    except (TypeError, ValueError):
        return "?"


def _units(db, ident: str) -> str:
    """The units the packages merged from `ident` carried (core.exchange.sources' rows)."""
    from core.exchange import sources
    names = dict(db.execute("SELECT code, name FROM units").fetchall())
    start = sources.PREFIX + ident + ":"
    said = [key[len(start):] for (key,) in db.execute(
        "SELECT key FROM settings WHERE substr(key, 1, ?) = ? ORDER BY key", [len(start), start])]
    return ", ".join("mọi đơn vị" if unit == sources.ALL_UNITS else names.get(unit, unit)
                     for unit in said)


def known_senders(db) -> list[KnownSender]:
    """Every sender whose key is pinned here, as `exchange keys` and the window list them."""
    out = []
    for ident, said in pins(db):
        try:
            at = timefmt.vn_datetime(timefmt.parse_db_time(said["pinned_at"]))
        except (KeyError, TypeError, ValueError):
            at = ""
        out.append(KnownSender(ident, actor_names.machine(ident), _units(db, ident),
                               fingerprint(str(said.get("public_key") or "")), at,
                               str(said.get("package") or "")))
    return out


# ----- the refusals, in the administrator's words -----------------------------------------------
def _known_since(known: dict) -> str:
    try:
        day = timefmt.vn_date(timefmt.parse_db_time(known["pinned_at"]).date())
    except (KeyError, TypeError, ValueError):
        day = "?"
    return f"khoá ghi nhận từ gói {str(known.get('package'))[:80]} ngày {day}"


def _forget_advice(ident: str) -> str:
    machine = actor_names.machine(ident)
    return (f"Nếu {machine} đã được cài lại (hoặc khôi phục từ một bản sao lưu cũ), quản trị "
            f"viên hãy hỏi lại người dùng {machine} cho chắc, rồi chạy lệnh `exchange "
            f"forget-key {ident}` để quên khoá cũ và nhập lại gói: khoá mới sẽ được ghi nhận. "
            "Chưa ghi gì vào cơ sở dữ liệu.")


def _damaged_pin(ident: str) -> str:
    machine = actor_names.machine(ident)
    return (f"Khoá đã ghi nhận của {machine} bị hỏng (mục cài đặt {PIN_PREFIX}{ident} không "
            f"đọc được): không kiểm tra được chữ ký các gói của {machine}. Quản trị viên hãy "
            f"chạy lệnh `exchange forget-key {ident}` (hoặc «Quên khoá máy này…» ở «Dữ liệu › "
            "Máy gửi gói đã biết…») để bỏ khoá hỏng, rồi nhập lại gói: khoá của máy ấy sẽ được "
            "ghi nhận lại từ gói có chữ ký đầu tiên. Chưa ghi gì vào cơ sở dữ liệu.")


def _other_key_named(package: str, signed: Signed, known: dict) -> str:
    ident = signed.installation
    return (f"Gói {package}: chữ ký không khớp với {actor_names.machine(ident)} đã "
            f"biết ({_known_since(known)}; gói này ký bằng khoá {signed.fingerprint}). "
            "Gói có thể do một máy khác mạo danh, hoặc đã bị sửa. " + _forget_advice(ident))


def _unsigned(reader: PackageReader, ident: str, known: dict | None,
              signed_here: tuple[Signed, str] | None) -> str:
    since = _known_since(known) if known else f"gói {signed_here[1] if signed_here else '?'} " \
        "trong lần nhập này có chữ ký"
    from core.exchange.export import FORMAT_2_CHOICE  # (export imports this module)
    return (f"Gói {reader.path.name}: không có chữ ký, nhưng {actor_names.machine(ident)} đã "
            f"ký các gói của mình ({since}). Chữ ký có thể đã bị bỏ đi sau khi gói bị sửa; một "
            f"gói định dạng 2 (ô «{FORMAT_2_CHOICE}» của hộp Xuất gói; dòng lệnh: --format 2) "
            "cũng không có chữ ký: xin máy gửi xuất lại gói theo định dạng 3 (mặc định: bỏ chọn "
            "ô ấy). " + _forget_advice(ident))


def _two_keys(reader: PackageReader, first: str) -> str:
    assert reader.signed is not None
    ident = reader.signed.installation
    return (f"Gói {reader.path.name} và gói {first} cùng là của "
            f"{actor_names.machine(ident)} nhưng ký bằng hai khoá khác nhau: một trong hai gói "
            "do một máy khác mạo danh. Hỏi lại máy gửi, rồi chỉ nhập gói của đúng máy ấy. "
            "Chưa ghi gì vào cơ sở dữ liệu.")


__all__ = ["KNOWN", "NEW", "NO_SENDER_VI", "PIN_PREFIX", "SHORT_VI", "STATUS_VI", "UNSIGNED", "UNSIGNED_NOTE_VI",
           "KnownSender", "Trust", "fingerprint", "forget", "known_senders", "own_key",
           "package_signer", "pinned", "pins", "recorded", "status_text"]
