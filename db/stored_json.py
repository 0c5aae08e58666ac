"""The one rule for reading a JSON value the database keeps (a setting, an event's details, a
ledger's sums): a value edited by SQL may be anything, and what json cannot read is a
ValueError, the «not what MotCua writes» every reader already handles.

json.loads raises RecursionError, no ValueError, on a text nested past Python's recursion limit
(200,000 «[» put by SQL): a reader catching ValueError met it as a crash log at start-up, in
`check` or on a screen (review36). Every reader of a stored value goes through `loads`, or
`value_or` where an unreadable value is read as none.
"""
from __future__ import annotations

import json
from typing import Any


def loads(text: str | bytes, **options: Any) -> Any:
    """The value `text` holds (json.loads with `options`); a ValueError for anything json
    cannot read (a text nested past Python's recursion limit too)."""
    try:
        return json.loads(text, **options)
    except RecursionError as exc:
        raise ValueError("JSON nested too deep") from exc


def value_or(text: str | bytes | None, default: Any) -> Any:
    """The value `text` holds, or `default` when there is none or json cannot read it."""
    if not text:
        return default
    try:
        return loads(text)
    except (TypeError, ValueError):
        return default


def object_of(text: str | bytes | None) -> dict:
    """The object `text` holds; {} when there is none, json cannot read it, or it holds no
    object (an event's details edited by SQL: `check` names the event through the chain)."""
    value = value_or(text, {})
    return value if isinstance(value, dict) else {}
