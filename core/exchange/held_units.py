"""What a sender left behind, per unit, and only what is its own (spec 9; round 33).

Round 32's `held_before {records, from}` (core.exchange.held_before) erred toward «Thiếu» twice:

- an all-units package from 01/11 said "N records left behind" though the unit packages of
  U1 from 01/10 had brought every one of them: the centre could not tell which unit they were;
- the dossiers and votes a sender got from the centre (or from another installation) in a
  package counted as its own left behind, though the centre has them from where they came.

So the entry now says, beside its totals, per unit of the package's scope:

    "held_before": {"records": N, "from": ..., "units": [
        {"unit": "U1", "competent": "U9" | null, "records": n, "from": "2025-10-01 08:00:00"}]}

`unit`/`competent`: the dossier's receiving and competent units (a vote on a dossier: its
dossier's; a vote without one: its own unit, competent null) — a unit package carries a
dossier when either is in its unit's tree (core.exchange.export.SCOPE), so the centre can say
which of its unit packages brought it. At most UNITS_MOST lines: a sender with more writes
none, and the centre judges by the totals as before. Older centres read past the new key.

A record is the sender's own unless it arrived in a package (its row's id in a range an origin
record keeps, core.actor_names) and nothing of it was written here since: an event, a payment,
a vote, a complaint or an extension of the sender's own makes it its own again (an `import`
event a merge wrote is the merge's, not the clerk's), and a vote brought in but cancelled
since counts as its own (who cancelled it is not kept apart). Rows an
older version merged before origin records existed (round 27) cannot be told apart: they count
as the sender's own, as before.

Review33c: what is not the sender's own is not dropped — the centre cannot know it has it (a
commune merging its counter's packages while the counter never sends to the centre). It is
said apart, per the installation whose package brought it (`brought`, lines with `by`), and
counted in the totals as round 32 did (an older centre judges by them); the centre takes it as
sent only from itself or from a sender whose packages carrying that unit it has. A unit
package also says its tree's codes when made (`tree`): a unit moved under it later was not in
it.
"""
from __future__ import annotations

import json

from core.actor_names import origin_records
from core.moment import CLOSED_IN
from core.unit_scope import scope_in, scope_param, subtree_codes
from db.moments import text_sql

KEY = "units"
UNITS_MOST = 500    # lines a package writes or the centre takes (a province has a few hundred
                    # units; a hostile manifest's map is not stored)
CODE_MOST = 100     # characters of a unit code a line may carry (core.unit_text: 40)
BROUGHT = "brought"  # the same of records other installations' packages brought ("by")
TREE = "tree"       # a unit package's scope as made: the codes of its unit's tree then
OPEN = "open"       # of those records, the dossiers still open: counted as carried over
                    # ("kỳ trước chuyển sang") in every later period (round 34)
# a dossier not closed as the report counts it (core.indicators.drill: a closed status with its
# finish), so one of the report's carried over at any moment after the package's first day;
# the one rule of it for a package (OPEN_SQL, held_cleared.day)
CLOSED_SQL = f"(d.status IN ({CLOSED_IN}) AND d.finished_at IS NOT NULL)"
OPEN_SQL = f"SUM(CASE WHEN {CLOSED_SQL} THEN 0 ELSE 1 END)"
CHILDREN = ("event_rows", "payment_rows", "vote_rows", "complaints", "extensions")


def _received(db) -> dict[str, list[tuple[int, int, str, int]]]:
    """Per table the sorted ranges of ids packages brought here (core.actor_names), each with
    the installation whose package it was and its place in the order they were merged."""
    spans: dict[str, list[tuple[int, int, str, int]]] = {}
    for order, said in enumerate(origin_records(db)):
        by = str(said.get("installation") or "")[:CODE_MOST]
        for table, span in (said.get("rows") or {}).items():
            if isinstance(span, list) and len(span) == 2:
                spans.setdefault(table, []).append((int(span[0]), int(span[1]), by, order))
    return {table: sorted(found) for table, found in spans.items()}


def _last_brought(db, spans: dict, dossiers: list[tuple[int, str, int]]) -> list[tuple[int, str]]:
    """Each dossier with the installation whose package last wrote a row of it: a dossier
    counter X brought and counter Y's package then finished (a child row in Y's range) is
    Y's to have sent — the centre holding X's packages lacks the finish (round 33 kept it
    X's). Read only when packages of more than one installation were merged here."""
    if len({by for found in spans.values() for _low, _high, by, _order in found}) < 2:
        return [(dossier, by) for dossier, by, _order in dossiers]
    last = {dossier: (order, by) for dossier, by, order in dossiers}
    for table in CHILDREN:
        for low, high, by, order in spans.get(table, []):
            for (dossier,) in db.execute(f"SELECT DISTINCT dossier_id FROM {table} "
                                         "WHERE id BETWEEN ? AND ?", [low, high]):
                if dossier in last and order > last[dossier][0]:
                    last[dossier] = (order, by)
    return [(dossier, by) for dossier, (_order, by) in last.items()]


def not_own(db, scope: str, params: dict, carried: list[int]) -> dict[str, tuple[list, list]]:
    """The dossiers of `scope` (SQL over `d`, `params`) that packages brought, the package
    (`carried`) does not carry and nothing here changed since, and the votes packages brought
    and nobody cancelled since: {the installation whose package brought them: (dossier ids,
    vote ids)}. Whether the centre has them from there is the centre's to say (held_lines)."""
    spans = _received(db)
    taken, dossiers = set(carried), []
    for low, high, by, order in spans.get("dossier_rows", []):
        dossiers += [(row[0], by, order) for row in db.execute(
            f"SELECT d.id FROM dossier_rows d WHERE {scope}d.id BETWEEN :low AND :high",
            {**params, "low": low, "high": high}) if row[0] not in taken]
    own = _touched_here(db, spans) if dossiers else set()
    out: dict[str, tuple[list, list]] = {}
    for dossier, by in _last_brought(db, spans, [d for d in dossiers if d[0] not in own]):
        if dossier not in own:
            out.setdefault(by, ([], []))[0].append(dossier)
    for low, high, by, _order in spans.get("vote_rows", []):
        out.setdefault(by, ([], []))[1].extend(row[0] for row in db.execute(
            "SELECT id FROM vote_rows WHERE id BETWEEN ? AND ? AND cancelled_at IS NULL",
            [low, high]))
    return out


def _gaps(spans: list[tuple[int, int, str, int]]) -> list[tuple[int, int]]:
    """The ids outside every range (rows written here), as ranges."""
    out, low = [], 1
    for first, last, *_said in spans:
        if first > low:
            out.append((low, first - 1))
        low = max(low, last + 1)
    return [*out, (low, 2**63 - 1)]


def _touched_here(db, spans: dict) -> set[int]:
    """The dossiers with a row written here (outside every package's range): read along the
    ids written here only, so the cost is this installation's own work, not what it took in.
    An `import` event a merge wrote (a conflict taken from the package) lies inside that
    package's range: the merge's record, not the clerk's work."""
    touched: set[int] = set()
    for table in CHILDREN:
        for low, high in _gaps(spans.get(table, [])):
            touched.update(row[0] for row in db.execute(
                f"SELECT DISTINCT dossier_id FROM {table} WHERE id BETWEEN ? AND ?",
                [low, high]))
    return touched


def left_behind(db, unit: str | None, ids: list[int],
                vote_ids: list[int]) -> tuple[list[dict], list[dict]]:
    """The lines of the map: per (unit, competent) how many of the scope's own dossiers and
    votes the package (dossiers `ids`, votes `vote_ids`) does not carry, the earliest moment;
    and the same of those other installations' packages brought, per installation (`by`)."""
    from core.exchange.export import SCOPE  # the export's own scope (it imports this module)

    params: dict = {}
    dossier_scope, vote_scope = "", ""
    if unit is not None:
        params["tree"] = scope_param(subtree_codes(db, unit))
        dossier_scope = f"({SCOPE}) AND "
        vote_scope = (f"CASE WHEN v.dossier_id IS NULL THEN {scope_in('v.unit_code', ':tree')} "
                      f"ELSE ({SCOPE}) END AND ")  # export._votes_sql's scope
    others = not_own(db, dossier_scope, params, ids)
    params.update(ids=json.dumps(ids), votes=json.dumps(vote_ids))
    every = ([d for ds, _ in others.values() for d in ds], [v for _, vs in others.values() for v in vs])
    own = _grouped(db, dossier_scope, vote_scope, {**params, "d": every[0], "v": every[1]}, "NOT")
    brought = [{**line, "by": by} for by, (ds, vs) in sorted(others.items())
               for line in _grouped(db, dossier_scope, vote_scope, {**params, "d": ds, "v": vs})]
    return own, brought


def _grouped(db, dossier_scope: str, vote_scope: str, params: dict, op: str = "") -> list[dict]:
    """Per (unit, competent) the scope's dossiers and votes not carried (`ids`, `votes`) that
    are (`op` '') or are not ('NOT') among `d` and `v`."""
    params = {**params, "d": json.dumps(params["d"]), "v": json.dumps(params["v"])}
    lines: dict[tuple, list] = {}
    for pair_unit, competent, count, first, still in [*db.execute(
            f"SELECT d.unit_code, d.competent_unit_code, COUNT(*), "
            f"{text_sql('MIN(d.received_at)')}, {OPEN_SQL} FROM dossier_rows d WHERE {dossier_scope}"
            f"d.id NOT IN (SELECT value FROM json_each(:ids)) AND d.id {op} IN "
            "(SELECT value FROM json_each(:d)) GROUP BY 1, 2", params),
            *db.execute(  # a vote of a carried dossier stays behind too when it is older
            "SELECT COALESCE(d.unit_code, v.unit_code), d.competent_unit_code, COUNT(*), "
            "MIN(v.voted_at), 0 FROM votes v LEFT JOIN dossier_rows d ON d.id = v.dossier_id "
            f"WHERE {vote_scope}v.id NOT IN (SELECT value FROM json_each(:votes)) AND v.id "
            f"{op} IN (SELECT value FROM json_each(:v)) GROUP BY 1, 2", params)]:
        line = lines.setdefault((pair_unit, competent), [0, None, 0])
        line[0] += count
        line[1] = first if line[1] is None or (first and first < line[1]) else line[1]
        line[2] += still
    return [{"unit": u, "competent": c, "records": n, "from": f, OPEN: o}
            for (u, c), (n, f, o) in sorted(lines.items(), key=lambda item: (item[0][0],
                                                                           item[0][1] or ""))]


def carried(db, unit: str | None, ids: list[int], vote_ids: list[int]) -> dict:
    """The manifest's whole entry: the totals round 32 wrote (everything held and not sent,
    as an older centre judges it), and the lines (none when more than UNITS_MOST: the centre
    then judges by the totals)."""
    own, brought = left_behind(db, unit, ids, vote_ids)
    lines = [*own, *brought]
    moments = [line["from"] for line in lines if line["from"]]
    out: dict = {"records": sum(line["records"] for line in lines),
                 "from": min(moments) if moments else None,
                 OPEN: sum(line[OPEN] for line in lines)}
    if len(lines) <= UNITS_MOST:
        out[KEY] = own
        out[BROUGHT] = brought
    if unit is not None:  # what it carried, as its tree stood (a unit moved in later: not)
        codes = subtree_codes(db, unit)
        if len(codes) <= UNITS_MOST:
            out[TREE] = sorted(codes)
    return out
