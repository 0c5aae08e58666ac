"""The clerk's choices of conflicting package records, kept in the settings: what one import
operation holds and makes (ChoiceBook), and what holds for one dossier (stored_choices)."""
from __future__ import annotations

import json
import re

from core.exchange import compare
from db import stored_json
from db.settings import log_change

# The clerk's choices of conflicting package records (spec 9: the same package imported again
# asks nothing and changes nothing), in the settings, each write logged (setting_changes: who,
# when, what). Since the eighteenth round ONE row per operation and sending installation:
#   exchange_choices:<moment>:<sender>  {"at", "sender", "packages": [its packages' names],
#                                        "choices": {code: {record digest: [choice, package]}}}
# (`package`: its place in "packages"). Before, one row per dossier code (a month-end's
# thousands of rows and log lines), still read:
#   exchange_choice:<code>  {record digest: {"choice", "package", "at", "sender"}}
CHOICE_PREFIX = "exchange_choice:"
CHOICES_PREFIX = "exchange_choices:"
# after the sender's key: the choices that kept this installation's dossier of a clash
CLASH_KEPT = "~khac"


def sender_key(installation_id: object) -> str:
    """The sending installation as a choice names it: the 8 characters of its id shown in
    the package's name ("other.zip (máy c3cd08e7)"); "?" for a package naming none."""
    return str(installation_id or "?")[:8]


def hours_key(typed: str) -> str:
    """A sender typed for its hours as the preview names it (`sender_key`, 8 characters
    of its id): its whole id, spaces around or hex digits in capitals (as the settings screen
    or a note may show it) were taken for another sender and the hours kept, break34."""
    key = typed.strip()
    if all(c in "0123456789abcdefABCDEF" for c in key):  # an id MotCua makes (uuid4().hex)
        key = key.lower()
    return sender_key(key)


def _sender_of(entry: dict) -> str:
    """The sender of a stored choice; one kept before senders were stored: read from the
    package's name, "other.zip (máy c3cd08e7)"."""
    if "sender" in entry:
        return str(entry["sender"])
    named = re.search(r"\(máy ([^)]*)\)$", str(entry.get("package", "")))
    return named.group(1) if named else "?"


def _prefixed(conn, prefix: str) -> list[tuple[str, str]]:
    """The settings rows whose key starts with `prefix` (ending in ':'), by the key's index."""
    return conn.execute("SELECT key, value FROM settings WHERE key >= ? AND key < ? ORDER BY key",
                        [prefix, prefix[:-1] + ";"]).fetchall()


class ChoiceBook:
    """The choices made, as they hold now, for one import operation (read once, when first
    asked) and the ones it makes (`remember`), written at its end in one row per sender
    (`write`). Of one dossier and one sender, only the latest operation's choices hold: a
    sender's record of a dossier only grows (its history is appended to), so once a later
    record was decided the earlier one comes back only from a package file superseded since;
    kept for ever, one such choice was added each time a centre merged a later record of a
    conflicting dossier. Re-importing the latest packages of each sender still asks nothing
    and writes nothing. What this gives up: re-importing a superseded file asks again about a
    dossier whose later record was kept here ("keep"); after "theirs" the earlier record is
    older than this installation's (compare.OLDER) and nothing is asked. An operation may
    choose for several records of one sender's dossier (two of its packages, the later going
    on from the earlier): all of them hold."""

    def __init__(self, conn):
        self.conn = conn
        # code: sender: digest: (choice, package name, moment)
        self._held: dict[str, dict[str, dict[str, tuple[str, str, str]]]] | None = None
        self._mine: set[tuple[str, str]] = set()  # (code, sender) chosen in this operation
        self._made: dict[str, dict] = {}  # sender: the row it gets (`write`)

    @property
    def held(self) -> dict[str, dict[str, dict[str, tuple[str, str, str]]]]:
        if self._held is None:
            self._held = _read_choices(self.conn)
        return self._held

    def made(self, packages: list[dict]) -> dict[str, str]:
        """Of these package records, those chosen at an earlier import (or earlier in this
        one): {code: "keep"/"theirs"}."""
        if not packages:
            return {}
        out = {}
        for package in packages:
            senders = self.held.get(package["code"])
            if not senders:
                continue
            key = compare.digest(package)
            for digests in senders.values():
                if key in digests:
                    out[package["code"]] = digests[key][0]
                    break
        return out

    def kept_from(self, packages: list[dict], sender: str) -> set[str]:
        """Of these package records' codes, those whose earlier record from the same sender was
        NOT taken (a choice "keep"): a later record of it that merely goes on from what is here
        (compare.CHANGED) is asked again, as a conflict, not taken silently — the clerk chose
        this installation's version (or another package's) over that sender's line."""
        if not packages:
            return set()
        return {p["code"] for p in packages
                if any(c[0] == "keep" for c in self.held.get(p["code"], {}).get(sender, {})
                       .values())}

    def remember(self, package: dict, choice: str, source: str, now: str, sender: str) -> None:
        """The clerk's choice for this package record, replacing the same sender's choices of
        that dossier made at earlier operations (kept with the others of this one)."""
        code = package["code"]
        senders = self.held.setdefault(code, {})
        if (code, sender) not in self._mine:
            senders[sender] = {}
            self._mine.add((code, sender))
        key = compare.digest(package)
        senders[sender][key] = (choice, source, now)
        # one row per sender: a clash kept is marked in it (CLASH_KEPT, a third element an
        # older program's reading leaves aside)
        named = sender.removesuffix(CLASH_KEPT)
        row = self._made.setdefault(named, {"at": now, "sender": named, "packages": [],
                                            "choices": {}})
        if source not in row["packages"]:
            row["packages"].append(source)
        row["choices"].setdefault(code, {})[key] = [choice, row["packages"].index(source)] + (
            [CLASH_KEPT] if sender != named else [])

    def write(self, now: str) -> None:
        """This operation's choices: one row per sender (logged: who, when, which records),
        inside the operation's transaction."""
        for sender, row in sorted(self._made.items()):
            row["at"] = now
            base = f"{CHOICES_PREFIX}{now}:{sender}"
            key, number = base, 1
            while self.conn.execute("SELECT 1 FROM settings WHERE key = ?", [key]).fetchone():
                number += 1
                key = f"{base}:{number}"
            value = json.dumps(row, ensure_ascii=False, sort_keys=True)
            log_change(self.conn, "exchange", key, None, value)
            self.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", [key, value])
        self._made = {}


def _read_choices(conn) -> dict[str, dict[str, dict[str, tuple[str, str, str]]]]:
    """The choices as they hold: of each dossier and sender, the latest operation's (the rows
    of either form, by their moment; of one moment, the older form first)."""
    groups: list[tuple[str, int, str, str, str, dict[str, tuple[str, str, str]]]] = []
    for key, text in _prefixed(conn, CHOICE_PREFIX):
        try:
            entries = stored_json.loads(text)
        except ValueError:
            continue
        by_sender: dict[str, dict[str, tuple[str, str, str]]] = {}
        for digest, entry in (entries if isinstance(entries, dict) else {}).items():
            if isinstance(entry, dict) and entry.get("choice") in ("keep", "theirs"):
                by_sender.setdefault(_sender_of(entry), {})[digest] = (
                    entry["choice"], str(entry.get("package", "")), str(entry.get("at", "")))
        for sender, digests in by_sender.items():
            at = max(e[2] for e in digests.values())
            groups.append((at, 0, key, key[len(CHOICE_PREFIX):], sender, digests))
    for key, text in _prefixed(conn, CHOICES_PREFIX):
        try:
            row = stored_json.loads(text)
            at, sender, packages = str(row["at"]), str(row["sender"]), list(row["packages"])
            for code, digests in dict(row["choices"]).items():
                taken = {digest: made for digest, made in dict(digests).items()
                         if made[0] in ("keep", "theirs")}
                apart = {digest for digest, made in taken.items() if made[2:] == [CLASH_KEPT]}
                groups.append((at, 1, key, code, sender, {
                    digest: (made[0], str(packages[made[1]]), at)
                    for digest, made in taken.items() if digest not in apart}))
                if apart:  # the clashes kept here, apart from the sender's line (keep_ours)
                    groups.append((at, 1, key, code, sender + CLASH_KEPT, {
                        digest: (taken[digest][0], str(packages[taken[digest][1]]), at)
                        for digest in apart}))
        except (ValueError, KeyError, TypeError, IndexError, AttributeError):
            continue
    held: dict[str, dict[str, dict[str, tuple[str, str, str]]]] = {}
    for _at, _form, _key, code, sender, digests in sorted(groups, key=lambda g: g[:3]):
        held.setdefault(code, {})[sender] = digests
    return held


def stored_choices(conn, code: str) -> dict[str, dict]:
    """The choices that hold for one dossier, {record digest: {"choice", "package", "at",
    "sender"}} (what an audit or a clerk asks: who chose what, when; the log of changes names
    who)."""
    return {digest: {"choice": c, "package": p, "at": at,
                     "sender": sender.removesuffix(CLASH_KEPT)}
            for sender, digests in _read_choices(conn).get(code, {}).items()
            for digest, (c, p, at) in digests.items()}
