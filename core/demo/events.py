"""One demo dossier's status history, made where the dossier is generated.

The history is in the vocabulary of core.dossiers (action, from, to): receive → payment →
start_processing → request/receive_supplement → extend → finish | reject | withdraw | stop →
return_result, in order of time; `step` orders events that share a time. It used to be derived
by one SELECT per chunk in the writing process, which is the one process that cannot run in
parallel: made here, in the worker that generates the chunk, together with the bytes its
hash covers (db.chain.encode_tail), it leaves the writer nothing but the SHA-256 chaining.
The details are the JSON texts SQLite's json_object gave (compact, keys in this order).

The JSON is written here with the C string encoder json.dumps itself uses (ensure_ascii off),
one call per value: the same text as db.chain.encode_content (tests/core/demo/test_demo_events.py
compares them), at a third of the cost of a JSONEncoder call per event and per details.
"""
from __future__ import annotations

import datetime as dt
from json.encoder import encode_basestring as _s

from core.demo.lifecycle import Life
from db.events_codec import moment_code

FINISH_ACTIONS = {"rejected": "reject", "withdrawn": "withdraw", "stopped": "stop"}


def _t(moment: dt.datetime | None) -> str | None:
    return None if moment is None else str(moment)


def _j(value: str | None) -> str:
    """The JSON of a text or None, as json.dumps(value, ensure_ascii=False) writes it."""
    return "null" if value is None else _s(value)


def _n(value: int | None) -> str:
    """The JSON of a whole number or None."""
    return "null" if value is None else str(int(value))


class _Known(dict):
    """The JSON of the texts events repeat (logins, actions, statuses, reasons), made once."""

    def __missing__(self, value: str | None) -> str:
        text = self[value] = _j(value)
        return text


_KNOWN = _Known()


def tail(code_json: str, at: str, actor, action, source, target, reason, details) -> bytes:
    """db.chain.encode_tail of an event, `code_json` the dossier code already encoded."""
    known = _KNOWN
    return (f"{code_json},{_s(at)},{known[actor]},{known[action]},{known[source]},"
            f"{known[target]},{known[reason]},{'null' if details is None else _s(details)}]"
            ).encode()


def history(dossier_id: int, code: str, received: str, clerk: str, handler: str, channel: str,
            fee: int | None, life: Life, payment: tuple | None) -> list[tuple]:
    """(dossier id, db.chain.encode_tail bytes, at, actor, action, from, to, reason, details)
    of every event of one dossier, in the order they are chained, `at` in its stored form
    (db.events_codec.moment_code: here, not in the writer, the one process that cannot run in
    parallel). `payment` is the dossier's
    payments row, if any; `clerk` received it, `handler` processes it."""
    started = _t(life.start)
    timed: list[tuple] = [(received, 0, clerk, "receive", None, "received", None,
              f'{{"channel":{_s(channel)},"fee":{_n(fee)},"due_at":null}}')]
    if started is not None:
        timed.append((started, 2, handler, "start_processing", "received", "processing", None,
                      None))
    if payment is not None:
        _, amount, method, paid_at, _, actor = payment
        status = "received" if started is None or paid_at <= started else "processing"
        timed.append((paid_at, 1, actor, "payment", status, status, None,
                       f'{{"amount":{_n(amount)},"method":{_s(method)}}}'))
    for requested, completed, reason in life.waits:
        timed.append((_t(requested), 3, handler, "request_supplement", "processing",
                      "supplement", reason, None))
        if completed is not None:
            timed.append((_t(completed), 4, clerk, "receive_supplement", "supplement",
                          "processing", None, None))
    if life.extension:
        at, previous, new_due, reason = life.extension
        timed.append((_t(at), 5, handler, "extend", "processing", "processing", reason,
                      f'{{"previous_due_at":{_j(_t(previous))},"new_due_at":{_j(_t(new_due))}}}'))
    if life.finished is not None:
        timed.append((_t(life.finished), 6, handler, FINISH_ACTIONS.get(life.status, "finish"),
                      life.end_from, "done" if life.status == "returned" else life.status,
                      life.end_reason, None))
    if life.returned is not None:
        timed.append((_t(life.returned), 7, clerk, "return_result", "done", "returned", None,
                      None))
    timed.sort(key=lambda event: event[:2])
    code_json = _s(code)
    return [(dossier_id, tail(code_json, at, actor, action, source, target, reason, details),
             moment_code(at), actor, action, source, target, reason, details)
            for at, _, actor, action, source, target, reason, details in timed]
