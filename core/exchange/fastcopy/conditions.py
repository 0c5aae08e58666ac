"""The checks of core.exchange.checks restated as SQL conditions on a part's rows: the screen's
pieces (`screen` puts them together). Each is built from the rules' own constants (db.schema's
lists, checks' widths and years, core.limits.CONTROL), never restated by hand, so that a record
checks refuses is always flagged; what the screen flags is then judged by checks itself."""
from __future__ import annotations

import sqlite3

from core.exchange import checks, records
from core.limits import CONTROL
from core.moment import CLOSED
from db import events_codec, vote_origin
from db.schema import CHANNELS, COMPLAINT_CHANNELS, PAYMENT_METHODS, RATINGS, STATUSES

# checks.TIME in GLOB (ASCII digits: a text checks.TIME takes with other digits is flagged, and
# then judged by checks itself)
TIME_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9] [0-9][0-9]:[0-9][0-9]:[0-9][0-9]"
TEXT_FIELDS = tuple(f for f in records.FIELDS if f not in ("fee", "e_result", "copies",
                                                            "digitised", "result_digitised",
                                                            *checks.TIME_FIELDS))
# the moment columns of dossier_rows a record carries (seconds, db.moments), and calc_due_at
MOMENTS = (*checks.TIME_FIELDS, "calc_due_at")


def _listed(values) -> str:
    """A tuple of constants as an SQL list: the rule's own values (db.schema), never restated."""
    return "(" + ", ".join("'" + str(v).replace("'", "''") + "'" for v in values) + ")"


def _ranges(test) -> str:
    """The BMP code points (but NUL) `test` accepts, as the ranges of a GLOB class."""
    out: list[list[int]] = []
    for point in range(1, 0x10000):
        if test(chr(point)):
            if out and out[-1][1] == point - 1:
                out[-1][1] = point
            else:
                out.append([point, point])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in out)


_PARAMS: dict[str, object] = {}


def params() -> dict[str, object]:
    """The screen's bound values, derived once from the rules' own definitions: the control
    characters of core.limits.CONTROL (a GLOB class; NUL apart, GLOB stops at it), the
    whitespace str.strip() removes (checks' "not blank"), checks.TIME's shape."""
    if not _PARAMS:  # made whole, then put in at once: a screen's thread may ask too
        if any(CONTROL.match(chr(p)) for p in range(0x10000, 0x110000, 0x101)):
            raise AssertionError("CONTROL beyond the BMP: widen the screen's class")
        made: dict[str, object] = {"control": f"*[{_ranges(CONTROL.match)}]*"}
        spaces = [p for p in range(0x10000) if chr(p).isspace()]
        made["space"] = "".join(map(chr, spaces))
        # the run of code points around "A" that holds no whitespace (33 to 132): `_not_blank`
        made["solid_low"] = max(p for p in spaces if p < ord("A")) + 1
        made["solid_high"] = min(p for p in spaces if p > ord("A")) - 1
        made["time"] = TIME_GLOB
        moments = sqlite3.connect(":memory:")
        try:
            first, last = moments.execute(
                "SELECT unixepoch(?), unixepoch(?)",
                [f"{checks.FIRST_MOMENT}-01-01 00:00:00", checks.LAST_MOMENT]).fetchone()
        finally:
            moments.close()
        made["first_second"], made["last_second"] = first, last
        made["first_moment"], made["last_moment"] = checks.FIRST_MOMENT, checks.LAST_MOMENT
        _PARAMS.update(made)
    return _PARAMS


def _refused(ok: str) -> str:
    """A row's checks `ok` not passed (false or NULL), as a condition. In a value (the
    COALESCE(ok, 0) this was) SQLite 3.40 evaluates every operand of AND and OR, so each row
    paid for every check, the coded details' JSON parsed even where the first byte says it is
    not JSON; in CASE WHEN's condition they stop at the first operand that decides (the
    screen ~40 % fewer VM steps: docs/speed.md, twelfth round)."""
    return f"CASE WHEN {ok} THEN 0 ELSE 1 END"


def _has_control(expr: str) -> str:
    return f"({expr} GLOB :control OR instr({expr}, char(0)) > 0)"


def _texts_clean(columns, alias: str) -> str:
    """No control character in any text value of these columns (checks._check_texts)."""
    joined = " || char(10) || ".join(
        f"COALESCE(CASE typeof({alias}.{c}) WHEN 'text' THEN {alias}.{c} END, '')" for c in columns)
    return f"NOT {_has_control(joined)}"


def _moment(expr: str, required: bool) -> str:
    """A moment stored as seconds whose text (the view's datetime) checks.TIME takes: the
    seconds of the years checks keeps (`params`: checks.FIRST_MOMENT to LAST_MOMENT), cheaper
    than formatting each one; a value of another kind is flagged (text kept by SQL: checks judges, the existing path
    converts)."""
    ok = f"(typeof({expr}) = 'integer' AND {expr} BETWEEN :first_second AND :last_second)"
    return ok if required else f"({expr} IS NULL OR {ok})"


def _text_moment(expr: str, required: bool) -> str:
    """A moment kept as text (waits, complaints) in checks.TIME's shape and years."""
    ok = (f"(typeof({expr}) = 'text' AND {expr} GLOB :time AND "
          f"{expr} BETWEEN :first_moment AND :last_moment)")
    return ok if required else f"({expr} IS NULL OR {ok})"


def _not_blank(expr: str) -> str:
    """checks' "not blank" of a text, `trim(…, :space) <> ''` (str.strip's whitespace), with
    trim() asked only where the first character might be whitespace: a text whose first
    character is in the run of code points around "A" that holds none (`params`: :solid_low
    to :solid_high) keeps it through trim, so it is not blank (trim matches a character of
    the set by its bytes, and unicode() reads those very bytes as that character; an empty
    text or a NULL has no first character, 0). SQLite's trim() reads its set of ~30
    characters again on every call: the dossiers' screen's two were a third of it
    (docs/speed.md, thirty-first round)."""
    return (f"(ifnull(unicode({expr}), 0) BETWEEN :solid_low AND :solid_high OR "
            f"trim({expr}, :space) <> '')")


def _blank_free(expr: str) -> str:
    return f"(typeof({expr}) = 'text' AND {_not_blank(expr)})"


def _fits(expr: str, most: int) -> str:
    """checks' width of a text (a value of another kind passes): NULL first, then the length,
    and typeof() only for a text too long or a value of another kind (typeof(…) <> 'text' OR
    length(…) <= most was, the same verdict for every value, a call more a field)."""
    return f"({expr} IS NULL OR length({expr}) <= {most} OR typeof({expr}) <> 'text')"


def _known(expr: str, table: str, nullable: bool = True) -> str:
    ok = f"{expr} IN (SELECT code FROM main.{table})"
    return f"({expr} IS NULL OR {ok})" if nullable else ok


def _dossier_ok(texts: bool) -> str:
    """checks.code_of and checks._check_fields (and, `texts`, _check_texts of the fields), but
    the codes the centre's catalogue must hold (`_known_bad`)."""
    return " AND ".join([
        f"typeof(d.code) = 'text' AND {_not_blank('d.code')} AND "
        f"length(d.code) <= {checks.CODE_MAX}",
        f"d.status IN {_listed(STATUSES)}", f"d.channel IN {_listed(CHANNELS)}",
        *(_moment(f"d.{m}", m == "received_at") for m in MOMENTS),
        # core.moment.unfinished_closed_reason: a closed status has its finish
        f"(d.finished_at IS NOT NULL OR d.status NOT IN {_listed(CLOSED)})",
        _blank_free("d.applicant_name"),
        *(_fits(f"d.{name}", most) for name, (most, _label) in checks.FIELD_WIDTHS.items()),
        "(d.fee IS NULL OR (typeof(d.fee) = 'integer' AND d.fee >= 0))",
        "(d.digitised IS NULL OR d.digitised IN (0, 1))", "d.result_digitised IN (0, 1)",
        *([_texts_clean(TEXT_FIELDS, "d")] if texts else [])])


def _children_bad(s: str, texts: bool) -> list[str]:
    """SELECTs of the part's dossier ids with a wait, payment or complaint checks.check_dossier
    refuses (or a payment moment not in the stored form), but a complaint's unit the centre
    lacks (`_known_bad`)."""
    return [
        f"SELECT dossier_id FROM {s}.supplements w WHERE " + _refused(
            f"{_text_moment('w.requested_at', True)} AND {_text_moment('w.completed_at', False)}"),
        f"SELECT dossier_id FROM {s}.payment_rows p WHERE " + _refused(
            f"typeof(p.amount) = 'integer' AND p.amount > 0 AND p.method IN "
            f"{_listed(PAYMENT_METHODS)} AND {_moment('p.paid_at', True)} AND "
            f"{_moment('p.cancelled_at', False)}"),
        f"SELECT dossier_id FROM {s}.complaints c WHERE dossier_id IS NOT NULL AND " + _refused(
            f"c.channel IN {_listed(COMPLAINT_CHANNELS)} AND {_blank_free('c.content')} AND "
            f"{_text_moment('c.received_at', True)} AND {_text_moment('c.resolved_at', False)} AND "
            f"{_text_moment('c.cancelled_at', False)}"
            + (f" AND {_texts_clean(records.COMPLAINT_COLUMNS, 'c')}" if texts else "")),
    ]


def _shape_code(expr: str) -> str:
    """The event_words code of a coded details blob's shape (db.events_codec.Details)."""
    return (f"CASE substr({expr}, 1, 1) WHEN x'5b' THEN CAST(substr({expr}, 2, "
            f"instr({expr}, ',') - 2) AS INTEGER) ELSE CAST({expr} AS INTEGER) END")


def _coded_ok(expr: str, word: str) -> str:
    """A coded details blob the view reads as MotCua wrote it (db.events_codec.Details), as a
    condition: not starting with a NUL; its shape's code one of the part's words (`word`), the
    integer's own digits alone, or after the '[' of a JSON array of 2 to MAX_SLOTS + 1 values
    with a ',' after them. The digits as MotCua writes them ('[7,', never '[ 7,' or '[07,'):
    then the blob is exactly what re-coding it under the same codes gives (`_Copy.events`
    copies it as it is when the words keep their codes). One branch a first byte, each
    part evaluated once and the JSON parsed last (before: every condition on every blob, the
    first byte read five times: ~40 % of the events' screen, docs/speed.md, fifteenth
    round); what it accepts is what it accepted."""
    first, digits = f"substr({expr}, 1, 1)", f"substr({expr}, 2, instr({expr}, ',') - 2)"
    code = f"CAST({digits} AS INTEGER)"
    listed = (f"({first} = x'5b' AND instr({expr}, ',') > 2 AND {word.format(code)} AND "
              f"CAST({code} AS BLOB) = {digits} AND CASE WHEN json_valid(CAST({expr} AS TEXT)) "
              f"THEN json_array_length(CAST({expr} AS TEXT)) END BETWEEN 2 AND "
              f"{events_codec.MAX_SLOTS + 1})")
    alone = (f"({first} NOT IN (x'5b', x'00') AND {word.format(f'CAST({expr} AS INTEGER)')} "
             f"AND CAST(CAST({expr} AS INTEGER) AS BLOB) = {expr})")
    return f"({listed} OR {alone})"


def _blobs_coded(conn, s: str, words: str) -> bool:
    """Is every coded details blob of the part's events one `_coded_ok` takes? Each distinct
    blob tested once (a part of 94,000 events holds ~33,000 blobs of ~300 values; the test,
    its JSON parsed, was ~⅓ of the events' screen, docs/speed.md, sixteenth round): the test
    reads nothing but the blob's bytes and the part's words, and DISTINCT tells blobs apart
    byte for byte, so it is each event's verdict. MATERIALIZED: the test is not pushed down
    into the scan of every event."""
    return conn.execute(
        f"WITH b AS MATERIALIZED (SELECT DISTINCT e.details FROM {s}.event_rows e WHERE "
        f"e.details >= x'') SELECT 1 FROM b AS e WHERE "
        f"{_refused(_coded_ok('e.details', words))} LIMIT 1", params()).fetchone() is None


def _events_bad(s: str, texts: bool, words: str, blobs_coded: bool = False) -> str:
    """The part's dossier ids with an event checks.check_dossier refuses or whose stored form
    is not the one MotCua writes (moments as seconds, words as codes the part knows, details as
    text or a coded blob the view can read): such a dossier is judged by checks, and left to the
    existing path when checks accepts it. `temp.fastcopy_words` holds the part's word codes
    whose word is free of control characters (`words`: how a code is tested to be one).
    `blobs_coded`: every details blob of the part is known to pass `_coded_ok`
    (`_blobs_coded`), which is then not tested again on each event."""
    word = words
    coded = "1" if blobs_coded else _coded_ok("e.details", word)
    ok = " AND ".join([
        _moment("e.at", True),
        *(f"(e.{c} IS NULL OR (typeof(e.{c}) = 'integer' AND {word.format('e.' + c)}))"
          for c in ("actor", "from_status", "to_status")),
        f"(typeof(e.action) = 'integer' AND {word.format('e.action')})",
        *([f"(e.reason IS NULL OR NOT {_has_control('e.reason')})"] if texts else []),
        # a BLOB is a value >= x'', a text one >= '' and below x'' (part._no_blobs): two
        # comparisons, not typeof() twice, for each of the events' details; `+e.details`, not
        # with the TEXT column's affinity, which compares a number stored there (a crafted
        # file) as its text, so that it passed as a text
        f"(e.details IS NULL OR (e.details >= x'' AND {coded}) OR (+e.details >= '' AND "
        "+e.details < x''" + (f" AND NOT {_has_control('e.details')}" if texts else "") + "))"])
    return f"SELECT dossier_id FROM {s}.event_rows e WHERE {_refused(ok)}"


def _votes_bad(s: str) -> str:
    """The part's vote ids checks.check_vote refuses (or not in the stored form), but a unit
    the centre lacks (`_known_bad`)."""
    return (f"SELECT v.id FROM {s}.vote_rows v LEFT JOIN {s}.dossier_rows d ON d.id = v.dossier_id "
            "WHERE " + _refused(
                f"v.rating IN {_listed(RATINGS)} AND "
                f"{_moment('v.voted_at', True)} AND {_moment('v.cancelled_at', False)} AND "
                "(d.id IS NULL OR typeof(d.code) = 'text') AND (v.origin IS NULL OR "
                f"{vote_origin.well_formed_sql('v.origin')})"))
