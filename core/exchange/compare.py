"""What a package's dossier is to this installation: new, changed, identical, older, conflict.

Events are append-only at both ends, so histories compare like branches:
- identical: the same content and the same history;
- older: every event of the package is already here (this installation went on since);
- changed: the history here is the start of the package's (the sender went on): the package's
  later events are appended and its content taken — a fast-forward, never a loss;
- conflict: the histories diverged (the same code for two different dossiers, or both ends
  changed the same dossier). Never overwritten silently: the clerk chooses, per dossier or for
  all, to keep this installation's or take the package's (spec 9);
- after a take of a package's version ("theirs"), the sender's later record is compared with
  the line of the version taken (core.exchange.taken): going on from it, changed;
- decided: a conflict (or, once taken, an older one) whose choice was made at an earlier import
  of this very record (core.exchange.store remembers each choice in the settings, by code and
  the record's `digest`): importing the same package again asks nothing and changes nothing.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from core import labels, timefmt
from core.exchange import records, slots, taken
from core.privacy import masking
from core.timefmt import vn_number
from db import stored_json

NEW, CHANGED, IDENTICAL, OLDER, CONFLICT = "new", "changed", "identical", "older", "conflict"
DECIDED = "decided"
OUTCOME_VI = {NEW: "mới", CHANGED: "thay đổi", IDENTICAL: "giống hệt",
              OLDER: "máy này mới hơn", CONFLICT: "xung đột",
              DECIDED: "xung đột đã chọn ở lần nhập trước"}

PART_VI = {"waits": "yêu cầu bổ sung", "extension": "gia hạn", "payments": "thanh toán",
           "components": "thành phần hồ sơ", "complaints": "phản ánh, kiến nghị",
           "events": "lịch sử xử lý"}


@dataclass
class Conflict:
    code: str
    ours: str        # a short description of this installation's dossier
    theirs: str      # and of the package's
    differs: list[str]
    clash: bool = False  # two different dossiers that got the same code (not one, changed twice)
    package: str = ""    # the package's file name, when several are merged in one operation
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (what, here, package)
    # the package whose record goes on from this one (a counter took this package and went
    # on): taking "the package's" takes that one's (core.exchange.merge._one_end)
    continued_by: str = ""
    # taking the package's would be refused (core.exchange.held_absent.version_refused)
    refused: str = ""

    def continued_text(self) -> str:
        return (f" (gói {self.continued_by} đi tiếp bản này: lấy theo gói là lấy bản của gói "
                f"{self.continued_by})") if self.continued_by else ""

    def changes_text(self) -> str:
        """What differs with both values, "trạng thái: Đang xử lý → Yêu cầu bổ sung; …"."""
        return changes_text(self.changes)

    def differs_text(self) -> str:
        return (f"{CLASH_VI} — " if self.clash else "") + ", ".join(self.differs)

    def whose_text(self, mixed: bool) -> str:
        """Whose dossier the row is, before what differs: another citizen's (a clash); in a
        code that is both (`mixed_codes`), this installation's own too."""
        if self.clash:
            return f"{CLASH_VI} — "
        return f"{SAME_VI} — " if mixed else ""

    def line(self) -> str:
        head = f"{CLASH_VI}, khác" if self.clash else "khác"
        differs = self.changes_text() or ", ".join(self.differs)
        return (f"{self.code}: {head} {differs} — máy này: {self.ours}; gói: {self.theirs}"
                + self.continued_text() + refused_text(self.refused))


def refused_text(refused: str) -> str:
    """" — LƯU Ý: bản này đưa hồ sơ ra ngoài …" after a version that would be refused."""
    return f" — LƯU Ý: {refused}" if refused else ""


CLASH_VI = "HAI HỒ SƠ KHÁC NHAU cùng mã"
SAME_VI = "CÙNG HỒ SƠ của máy này (sửa ở nơi khác)"
MIXED_CLASH_VI = ("Mã này còn có phiên bản của chính hồ sơ của máy này (dòng \"CÙNG HỒ SƠ\"): "
                  "\"Lấy theo gói\" dành cho phiên bản ấy; hồ sơ của người khác này thì \"Giữ "
                  "cả hai\" (nhận với mã mới) hoặc bỏ dấu (không nhận) — không bao giờ thay hồ "
                  "sơ của máy này.")
MIXED_VERSIONS_VI = ("Mã này còn có các phiên bản khác nhau của chính hồ sơ của máy này (chọn ở "
                     "bảng phiên bản bên dưới): hồ sơ của người khác này thì \"Giữ cả hai\" "
                     "(nhận với mã mới) hoặc bỏ dấu (không nhận) — không bao giờ thay hồ sơ của "
                     "máy này.")
BOTH_VI = "Giữ cả hai"  # a clash's third choice (core.exchange.recode)


CLASH_CODES_SHOWN = 5


def mixed_codes(conflicts: Iterable[Conflict], crossed: Iterable[str] = ()) -> set[str]:
    """The codes whose conflicts are both another citizen's dossier (a clash) and this
    installation's own dossier changed elsewhere (core.exchange.recode.choice's `mixed`): a
    plain conflict of the code listed, or (`crossed`: the codes several packages bring in
    versions to choose among, merge.BatchResult.crossed) this installation's own versions
    chosen among (merge._Run.other_citizen). The clash's "Lấy theo gói" never applies there:
    the other citizen's dossier is kept both or left out."""
    kinds: dict[str, set[bool]] = {}
    for conflict in conflicts:
        kinds.setdefault(conflict.code, set()).add(conflict.clash)
    versions = set(crossed)
    return {code for code, seen in kinds.items()
            if len(seen) == 2 or (True in seen and code in versions)}


def clash_warning(count: int, codes: Iterable[str] = ()) -> str | None:
    """What the clerk must know before choosing for a code given to two different dossiers:
    whichever side is kept, the other citizen's dossier does not come in (spec 4: installations
    must never issue the same code; one of them is in the wrong slot). `codes`: those codes,
    as far as listed (the first few are named)."""
    if not count:
        return None
    named = list(codes)[:CLASH_CODES_SHOWN]
    more = f" và {vn_number(count - len(named))} mã khác" if count > len(named) else ""
    which = f" ({', '.join(named)}{more})" if named else ""
    return (f"{vn_number(count)} mã hồ sơ{which} được cấp cho hai hồ sơ khác nhau (khác người "
            "nộp, thủ tục hoặc đơn vị): máy gửi và máy đã cấp mã ấy dùng cùng một số hiệu cấp mã. "
            f"\"{BOTH_VI}\" (trên cửa sổ: đánh dấu sẵn; lệnh: --clashes both) nhận hồ sơ của "
            "gói với mã mới của máy này, mã cũ vẫn tra được; giữ một bên thì hồ sơ bên kia "
            f"không vào được máy này — hãy báo máy gửi các mã ấy, và {slots.SEPARATE_SLOTS}.")


def is_subsequence(short: list, long: list) -> bool:
    it = iter(long)
    return all(any(item == other for other in it) for item in short)


def payments_follow(ours: list, theirs: list) -> bool:
    """Our payments are the start of theirs, a cancellation there being the only change."""
    if len(ours) > len(theirs):
        return False
    for mine, other in zip(ours, theirs, strict=False):
        if mine[:5] != other[:5] or (mine[5] is not None and mine[5:] != other[5:]):
            return False
    return True


# Who the dossier is: no event but a correction changes these, so two histories that agree
# while these differ belong to two different dossiers that got the same code.
IDENTITY = ("unit_code", "procedure_code", "applicant_name", "applicant_id_no",
            "competent_unit_code")


def _corrected(events: list) -> set[str]:
    """The fields corrections of `events` name (a package's details may be anything: a field
    that is no text names none)."""
    out = set()
    for event in events:
        if event[2] == "correct" and event[6]:
            try:
                field = stored_json.loads(event[6]).get("field")
            except (ValueError, AttributeError):
                continue
            if isinstance(field, str):
                out.add(field)
    return out


def same_dossier(local: dict, package: dict) -> bool:
    differ = {f for f in IDENTITY if local["fields"][f] != package["fields"][f]}
    return not differ or differ <= _corrected(local["events"]) | _corrected(package["events"])


def classify(local: dict | None, package: dict) -> str:
    if local is None:
        return NEW
    ours, theirs = local["events"], package["events"]
    if records.state(local) == records.state(package) and ours == theirs:
        return IDENTICAL
    if not same_dossier(local, package) or ours == theirs:
        return CONFLICT
    if len(theirs) < len(ours) and is_subsequence(theirs, ours):
        return OLDER
    if ours == theirs[:len(ours)] and payments_follow(local["payments"], package["payments"]):
        return CHANGED
    return _after_take(local, package)


def _after_take(local: dict, package: dict) -> str:
    """A record of a dossier whose history here holds a take of a package's version
    (core.exchange.taken): compared with the line of the version taken when the record goes on
    from it (the sender's next record), or older when all its events are here; else, as
    before, a conflict."""
    theirs = package["events"]
    line = taken.line(local["events"], theirs)
    if line is None:
        return OLDER if taken.all_here(local, package) else CONFLICT
    if len(theirs) > len(line) and theirs[:len(line)] == line and payments_follow(
            taken.payments(local["payments"], package["payments"]), package["payments"]) and \
            taken.fresh(local["events"], theirs[len(line):]):
        return CHANGED
    return OLDER if line[:len(theirs)] == theirs else CONFLICT


def digest(record: dict) -> str:
    """A package record's content and history, hashed: the same record in the same package, or
    sent again unchanged in a later one, has the same digest."""
    text = records.state(record) + "\n" + json.dumps(record["events"], ensure_ascii=False,
                                                      separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def describe(record: dict) -> str:
    fields = record["fields"]
    status = labels.STATUS_VI.get(fields["status"], fields["status"])
    return (f"{fields['applicant_name']}, {fields['procedure_code']}, tiếp nhận "
            f"{_moment(fields['received_at'])}, {status.lower()}")


def _moment(text: str) -> str:
    """A stored moment as the clerk reads it everywhere else (08:03 01/04/2025); a package's
    text that is no moment is shown as it is."""
    try:
        return timefmt.vn_datetime(timefmt.parse_db_time(text))
    except (TypeError, ValueError):
        return str(text)[:16]


def package_named(name: str, ident: str) -> str:
    """A package as a choice names it: its file name and its identity, "quay-2.zip (gói
    4f1a2b3c)" (core.exchange.package.package_ident)."""
    return f"{name} (gói {ident})"


HERE = "here"  # the centre's own version of a dossier, as a choice among versions (`Crossed`)
HERE_VI = "Máy này"
NONE_VI = "(trống)"
MOMENT_FIELDS = ("received_at", "due_at", "finished_at", "returned_at", "extended_due_at")


SHOWN_WHOLE = ("applicant_name", "representative")  # personal, yet what a choice is made by


def value_shown(name: str, value: object) -> str:
    """A dossier field's value as the clerk reads it on every screen (labels in core.labels);
    a citizen's phone, ID number, address or e-mail masked by its rule (core.privacy.masking
    .mask_field, as every report shows them): the conflicts and versions are printed by the
    command and shown in the window, where whoever reads the output or the screen sees them.
    The names stay whole: the clerk tells the two citizens of a clash apart by them."""
    if value is None or value == "":
        return NONE_VI
    if name in masking.MASK_BY_FIELD and name not in SHOWN_WHOLE:
        return masking.mask_field(name, str(value)) or NONE_VI
    if name in MOMENT_FIELDS:
        return _moment(str(value))
    if name == "status":
        return labels.STATUS_VI.get(str(value), str(value))
    if name == "channel":
        return labels.CHANNEL_VI.get(str(value), str(value))
    if name == "result_delivery":
        return labels.RESULT_DELIVERY_VI.get(str(value), str(value))
    if isinstance(value, bool) or name in ("e_result", "digitised", "result_digitised"):
        return "có" if value else "không"
    if name == "fee" and isinstance(value, int):
        return f"{vn_number(value)} đồng"
    return str(value)


def changes(local: dict, package: dict) -> list[tuple[str, str, str]]:
    """What differs between two records of one code, each field with both values (here, there),
    and each part (payments, events …) with its count of rows."""
    out = [(labels.DOSSIER_FIELD_VI.get(name, name), value_shown(name, local["fields"][name]),
            value_shown(name, package["fields"][name]))
           for name in records.FIELDS if local["fields"][name] != package["fields"][name]]
    for part, said in PART_VI.items():
        mine, theirs = local[part], package[part]
        if mine != theirs:
            count = (lambda rows: 0 if rows is None else 1) if part == "extension" else len
            new = f"{vn_number(count(theirs))} dòng"
            if count(mine) == count(theirs):  # as many rows, not the same ones
                new += " khác nội dung"
            out.append((said, f"{vn_number(count(mine))} dòng", new))
    return out


def changes_text(made: list[tuple[str, str, str]]) -> str:
    return "; ".join(f"{what}: {old} → {new}" for what, old, new in made)


@dataclass
class Version:
    """One version of a dossier met in an operation: this installation's (`packages` empty)
    or the one one or more packages bring (the same record in each)."""
    packages: list[str]
    description: str
    changes: list[tuple[str, str, str]]  # against `against`'s version
    against: str = HERE_VI  # this installation's (or, a code it lacks, the first package's)
    # the packages bringing an earlier record of this version's line (a counter took it and
    # went on): no version of their own (core.exchange.merge._ends)
    continues: list[str] = field(default_factory=list)
    # the identities of `packages` (core.exchange.package.package_ident), what a choice names
    idents: list[str] = field(default_factory=list)
    # choosing it would be refused (core.exchange.held_absent.version_refused)
    refused: str = ""

    @property
    def title(self) -> str:
        return HERE_VI if not self.packages else ", ".join(self.packages)

    def choice_names(self) -> list[str]:
        """Each package of the version with what names it in a choice, "quay-2.zip (gói
        4f1a2b3c)" (core.exchange.package.package_ident); this installation's "Máy này
        (here)"."""
        if not self.packages:
            return [f"{HERE_VI} ({HERE})"]
        return [name if name.endswith(package_named("", ident)) else package_named(name, ident)
                for name, ident in zip(self.packages, self.idents, strict=True)]

    def differs_text(self) -> str:
        """What differs from the version it is compared with, "khác máy này: trạng thái: …"."""
        if not self.changes:
            return ""
        against = "máy này" if self.against == HERE_VI else self.against
        return f"khác {against}: {changes_text(self.changes)}"


@dataclass
class Crossed:
    """A code whose versions (this installation's and those several packages of one operation
    bring) are not one line of history: the clerk picks exactly one (spec 9), whatever the
    order the packages were given in."""
    code: str
    versions: list[Version]
    clash: bool = False
    chosen: str | None = None  # HERE or the chosen package's name, once chosen

    def line(self) -> str:
        parts = []
        for version in self.versions:
            said = version.description
            if version.continues:
                said += f" (đi tiếp bản của gói {', '.join(version.continues)})"
            if version.changes:
                said += f" — {version.differs_text()}"
            said += refused_text(version.refused)
            parts.append(f"    [{', '.join(version.choice_names())}] {said}")
        head = f"{self.code}: {CLASH_VI}, " if self.clash else f"{self.code}: "
        return head + f"{vn_number(len(self.versions))} phiên bản\n" + "\n".join(parts)


def conflict_of(local: dict, package: dict, refused: str = "") -> Conflict:
    """What differs, and each side with the VALUES that differ ("thời điểm xử lý xong 10:00
    18/11/2026" here, "10:00 23/11/2026" in the package): the clerk's explicit choice (spec 9)
    is made knowing what each choice keeps, not only that something differs."""
    names = [name for name in records.FIELDS if local["fields"][name] != package["fields"][name]]
    differs = [labels.DOSSIER_FIELD_VI.get(name, name) for name in names]
    differs += [PART_VI[part] for part in PART_VI if local[part] != package[part]]
    return Conflict(package["code"], describe(local), describe(package), differs or ["nội dung"],
                    clash=not same_dossier(local, package), changes=changes(local, package),
                    refused=refused)
