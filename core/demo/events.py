"""One demo dossier's status history, made where the dossier is generated.

The history is in the vocabulary of core.dossiers (action, from, to): receive → payment →
start_processing → request/receive_supplement → extend → finish | reject | withdraw | stop →
return_result, in order of time; `step` orders events that share a time. It used to be derived
by one SELECT per chunk in the writing process, which is the one process that cannot run in
parallel: made here, in the worker that generates the chunk, together with the JSON text its
hash covers (db.chain.encode_content), it leaves the writer nothing but the SHA-256 chaining.
The details are the JSON texts SQLite's json_object gave (compact, keys in this order).
"""
from __future__ import annotations

import datetime as dt
import json

from core.demo.lifecycle import Life
from db.chain import encode_content

_DETAILS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
FINISH_ACTIONS = {"rejected": "reject", "withdrawn": "withdraw", "stopped": "stop"}


def _t(moment: dt.datetime | None) -> str | None:
    return None if moment is None else str(moment)


def history(dossier_id: int, code: str, received: str, clerk: str, handler: str, channel: str,
            fee: int | None, life: Life, payment: tuple | None) -> list[tuple]:
    """(dossier id, content JSON for db.chain, at, actor, action, from, to, reason, details)
    of every event of one dossier, in the order they are chained. `payment` is the dossier's
    payments row, if any; `clerk` received it, `handler` processes it."""
    started = _t(life.start)
    timed: list[tuple] = [(received, 0, clerk, "receive", None, "received", None,
              _DETAILS({"channel": channel, "fee": fee, "due_at": None}))]
    if started is not None:
        timed.append((started, 2, handler, "start_processing", "received", "processing", None,
                      None))
    if payment is not None:
        _, amount, method, paid_at, _, actor = payment
        status = "received" if started is None or paid_at <= started else "processing"
        timed.append((paid_at, 1, actor, "payment", status, status, None,
                       _DETAILS({"amount": amount, "method": method})))
    for requested, completed, reason in life.waits:
        timed.append((_t(requested), 3, handler, "request_supplement", "processing",
                      "supplement", reason, None))
        if completed is not None:
            timed.append((_t(completed), 4, clerk, "receive_supplement", "supplement",
                          "processing", None, None))
    if life.extension:
        at, previous, new_due, reason = life.extension
        timed.append((_t(at), 5, handler, "extend", "processing", "processing", reason,
                      _DETAILS({"previous_due_at": _t(previous), "new_due_at": _t(new_due)})))
    if life.finished is not None:
        timed.append((_t(life.finished), 6, handler, FINISH_ACTIONS.get(life.status, "finish"),
                      life.end_from, "done" if life.status == "returned" else life.status,
                      life.end_reason, None))
    if life.returned is not None:
        timed.append((_t(life.returned), 7, clerk, "return_result", "done", "returned", None,
                      None))
    timed.sort(key=lambda event: event[:2])
    return [(dossier_id, encode_content(code, at, actor, action, source, target, reason,
                                        details), at, actor, action, source, target, reason,
             details)
            for at, _, actor, action, source, target, reason, details in timed]
