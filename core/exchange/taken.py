"""What a dossier taken "theirs" (the package's version, store.take_theirs) is to the sender's
later records of it.

Taking a version keeps this installation's events and appends the package's missing ones (an
event both hold is kept once, where it stood here), then an `import` event: the take. The
history here is then no longer the start of the sender's, so the sender's NEXT record of the
dossier read as a conflict again, although the clerk took exactly the sender's version.

Since round 27 the take's details also name what was taken: {"taken": {"events": N,
"sha256": …}}, the count of the package's events and a SHA-256 over them (`taken_details`).
A later record whose first N events hash to it goes on from the version taken: this dossier's
line, as the sender sees it, is those N events and what was recorded here since the take
(`line`); the record is compared with that line as with any history (compare.classify):
going on from it, a plain change (its later events appended); diverged (the sender's first N
events not those taken, or this installation went on differently since), a conflict, as
before. A take recorded by an older program (no digest) gives no line: its sender's next
record is asked as before.

A take also puts the package's events beside this installation's, out of the sender's order
where an event was held by both: a record of the taken line from BEFORE the version taken
(the sender's earlier month-end) then read as a conflict instead of older, and the same
operation run again stopped on it (an older program did not remember such records as taken,
merge._Run._taken_before). `all_here` reads such a record as older: every one of its events is
here, in a history that holds a take, and it is not the version taken itself.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter

from core import history
from db import stored_json

TAKE_ACTION = "import"
TAKE_REASON = "Lấy theo gói trao đổi "  # + package name + " (xung đột)", since the first format
TAKE_END = " (xung đột)"
TAKEN = "taken"
# a record's event: (at, actor, action, from_status, to_status, reason, details)
ACTION, REASON, DETAILS = 2, 5, 6


def events_digest(events: list) -> str:
    """A SHA-256 over a record's events, as a package carries them (compare.digest's text)."""
    text = json.dumps(events, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def take_details(fields: dict, events: list) -> dict:
    """The take event's details: the fields taken (core.history replays them) and what of the
    sender's history was taken."""
    return {"state": history.state_details(fields),
            TAKEN: {"events": len(events), "sha256": events_digest(events)}}


def _details(event: list) -> dict:
    try:
        data = stored_json.loads(event[DETAILS]) if event[DETAILS] else {}
    except (TypeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _is_take(event: list) -> bool:
    reason = event[REASON]
    return (event[ACTION] == TAKE_ACTION and isinstance(reason, str)
            and reason.startswith(TAKE_REASON) and reason.endswith(TAKE_END))


def last_take(events: list) -> int | None:
    """The place of the latest take in a history, or None."""
    for place in range(len(events) - 1, -1, -1):
        if _is_take(events[place]):
            return place
    return None


def _taken(event: list) -> tuple[int, str] | None:
    """(count, digest) a take recorded; None for a take of an older program."""
    said = _details(event).get(TAKEN)
    if not isinstance(said, dict):
        return None
    count, digest = said.get("events"), said.get("sha256")
    if isinstance(count, bool) or not isinstance(count, int) or count < 0 or \
            not isinstance(digest, str):
        return None
    return count, digest


def line(ours: list, theirs: list) -> list | None:
    """This installation's history as the line of the sender's version it took: the package's
    first N events (when they are the very ones taken, by their digest) and the events
    recorded here since the take. None when the history holds no take with a digest, or the
    package's history does not begin with what was taken, or holds nothing after it."""
    place = last_take(ours)
    if place is None:
        return None
    said = _taken(ours[place])
    if said is None:
        return None
    count, digest = said
    if len(theirs) <= count or events_digest(theirs[:count]) != digest:
        return None
    return theirs[:count] + ours[place + 1:]


def fresh(ours: list, tail: list) -> bool:
    """None of a record's later events is here already. One is when the sender took this
    installation's version in turn (its take appended this installation's events, its own
    take among them): appending them would hold them twice — a conflict, as before."""
    here = _counted(ours)
    return not any(key in here for key in _counted(tail))


def tail(ours: list, theirs: list) -> list:
    """The package's events this installation lacks, of a record going on from its history
    (compare.CHANGED): after the history here, or after its line since a take (`line`)."""
    if theirs[:len(ours)] == ours:
        return theirs[len(ours):]
    taken_line = line(ours, theirs)
    if taken_line is None or theirs[:len(taken_line)] != taken_line:
        raise ValueError("the package's history does not go on from this installation's")
    return theirs[len(taken_line):]


def payments(ours: list, theirs: list) -> list:
    """Our payments as the sender's line holds them: without those the take cancelled (ours,
    cancelled, that the package has not). A payment recorded or cancelled here since stays."""
    held = [p[:5] for p in theirs]
    return [p for p in ours if p[5] is None or p[:5] in held]


def all_here(local: dict, package: dict) -> bool:
    """The package's record is older than this installation's though its events are not in
    the same order here: the history here holds a take, every event of the package is here
    (an event both held kept once), it has fewer, and it is not the version taken (neither
    the events the take names nor the fields it set)."""
    ours, theirs = local["events"], package["events"]
    place = last_take(ours)
    if place is None or len(theirs) >= len(ours):
        return False
    take = ours[place]
    said = _taken(take)
    if said is not None and said[0] == len(theirs) and events_digest(theirs) == said[1]:
        return False
    if _details(take).get("state") == history.state_details(package["fields"]):
        return False
    here, need = _counted(ours), _counted(theirs)
    return all(here[key] >= count for key, count in need.items())


def _counted(events: list) -> Counter:
    """Events counted by their content; one holding a value no event has (a list in a hostile
    package) as its text, which matches no event held here: nothing is read as here then."""
    try:
        return Counter(map(tuple, events))
    except TypeError:
        return Counter(json.dumps(e, ensure_ascii=False) for e in events)
