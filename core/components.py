"""The documents of a dossier (thành phần hồ sơ, issue 13 §2).

A procedure lists the components a dossier of it needs (name, original/copy/certified copy,
count, required or not: table procedure_components). At intake the clerk ticks what the citizen
handed in; those rows are copied to dossier_components with what was received and whether each
was digitised (Circular 03/2025: the centre digitises what it receives; Decision 766 indicator
4.2 counts it). A supplement request names the components missing or incorrect, with a note
(Mẫu 02 prints them); receiving the supplement marks them received again.

Read by the window, the receipt (Mẫu 01: `dossier_components`) and the supplement slip (Mẫu 02:
`missing_components`). Keep these names stable: core.pdf calls them.
"""
from __future__ import annotations

from dataclasses import dataclass

from core import accounts, dossiers, facts, history, limits, timefmt
from core.accounts import require
from core.errors import FieldError
from core.labels import DOCUMENT_FORM_VI
from core.moment import RESOLVED
from core.textnorm import clean_text
from db import actor, stored_json
from db.connection import transaction
from db.schema import DOCUMENT_FORMS
from db.settings import log_change

COUNT_MAX = 99  # copies of one document: beyond any procedure's list
PROBLEMS = ("missing", "incorrect")
PROBLEM_VI = {"missing": "Còn thiếu", "incorrect": "Chưa đúng, chưa đầy đủ"}


@dataclass(frozen=True)
class Component:
    """One line of a procedure's list."""
    name: str
    form: str = "original"
    count: int = 1
    required: bool = True

    @property
    def form_vi(self) -> str:
        return DOCUMENT_FORM_VI[self.form]


@dataclass(frozen=True)
class DossierComponent:
    """One document of a dossier, as received (or flagged by a supplement request)."""
    position: int
    name: str
    form: str
    count: int
    received: bool
    digitised: bool
    note: str | None = None

    @property
    def form_vi(self) -> str:
        return DOCUMENT_FORM_VI.get(self.form, self.form)


@dataclass(frozen=True)
class MissingComponent:
    """A component named in a supplement request (Mẫu 02's list)."""
    position: int
    name: str
    form: str
    count: int
    problem: str          # missing | incorrect
    note: str | None

    @property
    def form_vi(self) -> str:
        return DOCUMENT_FORM_VI.get(self.form, self.form)

    @property
    def problem_vi(self) -> str:
        return PROBLEM_VI[self.problem]


# ----- a procedure's list ---------------------------------------------------------------------
def procedure_components(db, procedure_code: str) -> list[Component]:
    rows = db.execute("SELECT name, form, count, required FROM procedure_components "
                      "WHERE procedure_code = ? ORDER BY position", [procedure_code]).fetchall()
    return [Component(r[0], r[1], r[2], bool(r[3])) for r in rows]


def component_problem(name, form, count) -> tuple[str, str] | None:
    """(field, Vietnamese reason) of the first thing wrong with one line, or None.
    The one rule for the editor, the import and the core API."""
    if not isinstance(name, str) or not name.strip():
        return "name", "cần nhập tên thành phần hồ sơ"
    if reason := limits.too_long("name", name.strip()):
        return "name", f"tên thành phần hồ sơ {reason}"
    if form not in DOCUMENT_FORMS:
        return "form", ("hình thức phải là một trong: "
                        + ", ".join(f"{k} ({v})" for k, v in DOCUMENT_FORM_VI.items()))
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= COUNT_MAX:
        return "count", f"số lượng phải là số nguyên từ 1 đến {COUNT_MAX}"
    return None


def stored_name(name: str) -> str:
    """A component's name as stored (and compared with what was stored): cleaned as every
    text, NFC, trimmed; counted then by core.limits.text_length."""
    return clean_text(name).strip()


def check_components(items: list[Component]) -> list[Component]:
    """The list cleaned (names trimmed), or FieldError('components', …) naming line and field."""
    names = {"name": "Tên giấy tờ", "form": "Hình thức", "count": "Số lượng"}
    seen: dict[str, int] = {}
    out = []
    for line, item in enumerate(items, start=1):
        problem = component_problem(item.name, item.form, item.count)
        if problem:
            raise FieldError("components", f"Thành phần hồ sơ dòng {line}, {names[problem[0]]}: "
                                           f"{problem[1]}.")
        name = stored_name(item.name)
        if name.casefold() in seen:
            raise FieldError("components", f"Thành phần hồ sơ dòng {line} trùng tên với dòng "
                                           f"{seen[name.casefold()]}: “{name}”.")
        seen[name.casefold()] = line
        out.append(Component(name, item.form, item.count, bool(item.required)))
    return out


def write_procedure_components(conn, procedure_code: str, items: list[Component]) -> None:
    """Replace a procedure's list inside the caller's transaction (positions 1, 2, …).
    Dossiers keep their own copy, so a changed list never rewrites what was received."""
    conn.execute("DELETE FROM procedure_components WHERE procedure_code = ?", [procedure_code])
    conn.executemany(
        "INSERT INTO procedure_components(procedure_code, position, name, form, count, required)"
        " VALUES (?,?,?,?,?,?)",
        [(procedure_code, i, c.name, c.form, c.count, int(c.required))
         for i, c in enumerate(items, start=1)])


def save_procedure_components(db, procedure_code: str, items: list[Component]) -> None:
    """Validate and save a procedure's whole list in one transaction."""
    require("catalogue.edit")
    items = check_components(items)
    if not db.execute("SELECT 1 FROM procedures WHERE code = ?", [procedure_code]).fetchone():
        raise FieldError("procedure_code", f"Thủ tục {procedure_code!r} không có trong danh mục.")
    with transaction(db) as conn:
        log_components(conn, procedure_code, items)
        write_procedure_components(conn, procedure_code, items)


def log_components(conn, procedure_code: str, items: list[Component]) -> None:
    """The setting_changes row of a procedure's new list (before it is written)."""
    old = [r[0] for r in conn.execute("SELECT name FROM procedure_components WHERE "
                                      "procedure_code = ? ORDER BY position", [procedure_code])]
    new = [c.name for c in items]
    # compared as stored now (check_components: NFC, trimmed): a list saved before round 34
    # with Unikey's separate tone marks (NFD), saved again unchanged, changed nothing to log
    if [stored_name(name) for name in old] != new:
        log_change(conn, "catalogue", f"{procedure_code}: thành phần hồ sơ",
                   "; ".join(old) or None, "; ".join(new) or None)


# ----- a dossier's documents ------------------------------------------------------------------
def dossier_components(db, dossier_id: int) -> list[DossierComponent]:
    """Every document of the dossier in the procedure's order (Mẫu 01 prints those received)."""
    rows = db.execute("SELECT position, name, form, count, received, digitised, note FROM "
                      "dossier_components WHERE dossier_id = ? ORDER BY position",
                      [dossier_id]).fetchall()
    return [DossierComponent(r[0], r[1], r[2], r[3], bool(r[4]), bool(r[5]), r[6]) for r in rows]


def received_components(db, dossier_id: int) -> list[DossierComponent]:
    """What the citizen handed in (Mẫu 01's list of documents received)."""
    return [c for c in dossier_components(db, dossier_id) if c.received]


def missing_components(db, dossier_id: int) -> list[MissingComponent]:
    """The components named by the dossier's latest supplement request (Mẫu 02), as they were
    named then (the request's event keeps them: a later change does not rewrite an old slip).
    Without a request naming any: the documents not received."""
    row = db.execute("SELECT details FROM events WHERE dossier_id = ? AND action = "
                     "'request_supplement' ORDER BY at DESC, id DESC LIMIT 1",
                     [dossier_id]).fetchone()
    named = stored_json.object_of(row[0] if row else None).get("components", [])
    if named:
        return [MissingComponent(c["position"], c["name"], c["form"], c["count"],
                                 c["problem"], c.get("note")) for c in named]
    return [MissingComponent(c.position, c.name, c.form, c.count, "missing", c.note)
            for c in dossier_components(db, dossier_id) if not c.received]


def flagged_details(db, dossier_id: int, flagged: dict[int, tuple[str, str | None]]) -> list[dict]:
    """The supplement request's list as stored in its event: position → (problem, note)."""
    by_position = {c.position: c for c in dossier_components(db, dossier_id)}
    out = []
    for position, (problem, note) in sorted(flagged.items()):
        if position not in by_position:
            raise FieldError("components", f"Hồ sơ không có thành phần số {position}.")
        if problem not in PROBLEMS:
            raise FieldError("components", f"Tình trạng thành phần không hợp lệ: {problem!r}.")
        limits.check_text("note", note)
        c = by_position[position]
        out.append({"position": position, "name": c.name, "form": c.form, "count": c.count,
                    "problem": problem, "note": clean_text(note or "").strip() or None})
    return out


def mark_flagged(conn, dossier_id: int, details: list[dict]) -> None:
    """Inside the request's transaction: the flagged documents are no longer counted received."""
    conn.executemany("UPDATE dossier_components SET received = 0, note = ? "
                     "WHERE dossier_id = ? AND position = ?",
                     [(d["note"] or PROBLEM_VI[d["problem"]], dossier_id, d["position"])
                      for d in details])


def mark_supplied(conn, dossier_id: int, positions: list[int] | None = None) -> None:
    """Inside the receipt of a supplement: these documents (default: all not received) arrived."""
    if positions is None:
        conn.execute("UPDATE dossier_components SET received = 1 WHERE dossier_id = ? "
                     "AND received = 0", [dossier_id])
        return
    conn.executemany("UPDATE dossier_components SET received = 1 WHERE dossier_id = ? "
                     "AND position = ?", [(dossier_id, p) for p in positions])


def set_digitised(db, dossier_id: int, digitised: dict[int, bool]) -> None:
    """Mark documents digitised (or not) — a received document only: nothing to scan otherwise.
    The 766 digitisation figure (spec 5.1) counts them: the dossier's facts move at once."""
    accounts.require("dossier.act")
    stored = {c.position: c for c in dossier_components(db, dossier_id)}
    for position, flag in digitised.items():
        if position not in stored:
            raise FieldError("components", f"Hồ sơ không có thành phần số {position}.")
        if flag and not stored[position].received:
            raise FieldError("components", f"“{stored[position].name}” chưa được nhận, "
                                           "không thể đánh dấu đã số hóa.")
    changed = {p: bool(f) for p, f in digitised.items() if stored[p].digitised != bool(f)}
    if not changed:
        return
    with transaction(db) as conn:
        conn.executemany("UPDATE dossier_components SET digitised = ? WHERE dossier_id = ? "
                         "AND position = ?",
                         [(int(f), dossier_id, p) for p, f in changed.items()])
        _flag_event(conn, dossier_id, {"documents": [
            {"position": p, "name": stored[p].name, "digitised": int(f)}
            for p, f in sorted(changed.items())]})
        facts.refresh(db, [dossier_id])


RESULT_STATUSES = RESOLVED  # a dossier with a result to digitise (its refusal is one)


def set_flags(db, dossier_id: int, *, digitised: bool | None = None,
              result_digitised: bool | None = None) -> None:
    """The dossier's own flags (spec 5.1 indicator 4.2): its documents digitised, for a dossier
    without a document list (with one, each document says it: set_digitised), and its result
    digitised, once there is a result. None leaves a flag as it is."""
    accounts.require("dossier.act")
    with transaction(db) as conn:
        dossier = dossiers.load(db, dossier_id)
        listed = conn.execute("SELECT 1 FROM dossier_components WHERE dossier_id = ? LIMIT 1",
                              [dossier_id]).fetchone()
        if digitised is not None and listed:
            raise FieldError("digitised", f"Hồ sơ {dossier.code} có danh sách thành phần: "
                                          "đánh dấu số hóa theo từng giấy tờ.")
        if result_digitised and dossier.status not in RESULT_STATUSES:
            raise FieldError("result_digitised", f"Hồ sơ {dossier.code} chưa có kết quả để "
                                                 "đánh dấu đã số hóa.")
        old = conn.execute("SELECT digitised, result_digitised FROM dossiers WHERE id = ?",
                           [dossier_id]).fetchone()
        new = {name: int(value) for name, value, before in (
            ("digitised", digitised, old[0]), ("result_digitised", result_digitised, old[1]))
            if value is not None and before != int(value)}
        if not new:
            return
        conn.execute("UPDATE dossiers SET " + ", ".join(f"{n} = ?" for n in new) +
                     " WHERE id = ?", [*new.values(), dossier_id])
        _flag_event(conn, dossier_id, new)
        facts.refresh(db, [dossier_id])


def record_digitised(db, dossier_id: int, *, documents: dict[int, bool] | None = None,
                     digitised: bool | None = None, result_digitised: bool | None = None) -> None:
    """What the dossier window saves at once: its documents' marks and its own flags, in one
    transaction (all or nothing)."""
    with transaction(db):
        if documents:
            set_digitised(db, dossier_id, documents)
        set_flags(db, dossier_id, digitised=digitised, result_digitised=result_digitised)


def _flag_event(conn, dossier_id: int, details: dict) -> None:
    """A `digitise` event saying who marked what digitised (the history is the proof)."""
    status = conn.execute("SELECT status FROM dossiers WHERE id = ?", [dossier_id]).fetchone()[0]
    history.record(conn, dossier_id, timefmt.now(), actor.login(), "digitise", status, status,
                   None, details)


# ----- supplements ----------------------------------------------------------------------------
def request_supplement(db, dossier_id: int, *, reason: str,
                       flagged: dict[int, tuple[str, str | None]] | None = None, at=None,
                       actor=None) -> None:
    """Request a supplement naming the documents missing or incorrect (position → (problem,
    note)); the request's event keeps the list for Mẫu 02, all in one transaction."""
    require("dossier.act")
    details = flagged_details(db, dossier_id, flagged or {})
    with transaction(db) as conn:
        dossiers.request_supplement(db, dossier_id, reason=reason, at=at, actor=actor,
                                    details={"components": details} if details else None)
        mark_flagged(conn, dossier_id, details)


def receive_supplement(db, dossier_id: int, *, positions: list[int] | None = None, at=None,
                       actor=None) -> None:
    """Receive the supplement: the documents not received (or `positions`) now are."""
    require("dossier.act")
    with transaction(db) as conn:
        dossiers.receive_supplement(db, dossier_id, at=at, actor=actor)
        mark_supplied(conn, dossier_id, positions)
