"""A dossier's event history: writing it (append-only, hash-chained) and replaying it.

Every path that writes events (core.dossiers and the modules built on it, imports, the demo)
inserts them and calls `seal` (db.chain) inside its own transaction, so the chain grows in id
order. Events also say enough for `replay` to rebuild a dossier's audited fields (db.chain.AUDITED:
received, due, extended due, finished, returned, status, channel, fee); `check` compares the
replay with the stored row, so an edit of `dossiers` by SQL shows (core.maintenance.audit).

What each event says:
- receive: `at` is the receiving moment; details carry channel, fee and the stored due time;
- finish, reject, withdraw, stop: `at` is the finishing moment; return_result: the return moment;
- extend: details `new_due_at`; correct: details `field` and `new`;
- any event with details `state` (an import, the upgrade to schema 8): all audited fields after it;
- every event with a `to_status` sets the status.
"""
from __future__ import annotations

import datetime as dt
import json

from core import timefmt
from db import actor as actors
from db import events_codec, stored_json
from db.chain import AUDITED, seal

FINISHING = ("finish", "reject", "withdraw", "stop")
SAYING = ("receive", "extend", "correct", "import")


def record(conn, dossier_id: int, at: dt.datetime | str, actor: str | None, action: str,
           from_status: str | None, to_status: str | None, reason: str | None,
           details: dict | None = None) -> None:
    """Append one event and chain it, inside the caller's transaction; `actor` None: the
    current writer (spec 10: every event records who)."""
    moment = at if isinstance(at, str) else timefmt.to_db_time(at)
    event_id = events_codec.insert_one(
        conn, dossier_id, moment, actor or actors.login(), action, from_status, to_status, reason,
        json.dumps(details, ensure_ascii=False) if details else None)
    seal(conn, event_id)  # this event only: never one slipped in by SQL


def receive_details(channel: str, fee: int | None, due_at: str | None) -> dict:
    """What a receive event records beyond its moment (the rest of the dossier's start)."""
    return {"channel": channel, "fee": fee, "due_at": due_at}


def state_details(row: dict) -> dict:
    """The audited fields of `row` (a dossier as written), for an event that sets them all."""
    return {field: row.get(field) for field in AUDITED}


def _said(text) -> dict:
    """The object a details text holds; none when it holds no object (a text edited by SQL:
    `check` names the event through the chain, and must not stop on it)."""
    return stored_json.object_of(text)


def replay(events) -> dict:
    """The audited fields the events (action, at, to_status, details text), in id order, lead
    to. A field no event speaks of is absent: it is not vouched for."""
    state: dict = {}
    for action, at, to_status, text in events:
        # only these say something in their details (a payment's amount does not): parsing
        # nothing else keeps a full check of a million events quick; details that are no text
        # (a BLOB put by SQL) are looked in only by those (a TypeError stopped check, quick35)
        data = _said(text) if text and (action in SAYING or (
            text.__class__ is str and '"state"' in text)) else {}
        if action == "receive":
            state["received_at"] = at
            if "channel" in data:  # a start recorded in full: nothing else happened yet
                state.update(due_at=data.get("due_at"), channel=data["channel"],
                             fee=data.get("fee"), extended_due_at=None, finished_at=None,
                             returned_at=None)
        elif action in FINISHING:
            state["finished_at"] = at
        elif action == "return_result":
            state["returned_at"] = at
        elif action == "extend" and "new_due_at" in data:
            state["extended_due_at"] = data["new_due_at"]
        elif action == "correct" and data.get("field") in AUDITED:
            state[data["field"]] = data.get("new")
        if to_status is not None:
            state["status"] = to_status
        if isinstance(data.get("state"), dict):
            state.update(data["state"])
    return state


def differences(stored: dict, replayed: dict) -> list[str]:
    """The audited fields whose stored value is not what the history says."""
    return [field for field in AUDITED
            if field in replayed and stored.get(field) != replayed[field]]
