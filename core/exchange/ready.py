"""Whether an import the preview showed can start, and if not, why: one rule for the window's
preview (gui.package_preview: "Nhập gói" disabled with these words beside it) and the command
(`exchange import`: a --dry-run says them after "NHẬP THẬT SẼ DỪNG", an import stopped says
them), so a clerk never starts an import the preview already knows will be refused.

An import is refused, writing nothing, when (the preview knows each):
- a conflicting dossier has no choice (keep this installation's or take the package's);
- a code several packages bring in versions not on one line has no version chosen;
- a clash is kept both ("Giữ cả hai": the package's dossier under a new code issued here)
  while this installation may issue no code: its file is a copy nobody has answered for, or
  its slot is unconfirmed (core.exchange.recode.issuing_refused, the words the import's own
  refusal says). The dry run found it itself and carries it as a field of its results
  (merge.ExchangeResult.refused_both, not among the warnings): as previewed, that is the
  reason; after the window's choices, the rule is asked again for the records they keep both.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from core.exchange import compare, merge, recode
from core.exchange.decide import to_decide
from core.timefmt import vn_number

CONFLICTS, VERSIONS, CODES = "conflicts", "versions", "codes"
CODES_NAMED = 5  # codes a reason names (the first, in the preview's order); the rest counted
UNTICK_BOTH_VI = f"Bỏ đánh dấu mọi \"{recode.BOTH_VI}\""  # the window's action for CODES


@dataclass(frozen=True)
class Chosen:
    """What the clerk chose in the window after the preview (the preview itself ran with no
    choice but "keep both" for every clash): `default` for every conflict not named, per
    code `choices` (keep / theirs / both / both+theirs), `versions` per code of several
    versions, `clashes` for the clashes not listed (beyond the preview's SHOWN)."""
    default: str | None
    choices: Mapping[str, str] = field(default_factory=dict)
    versions: Mapping[str, str] = field(default_factory=dict)
    clashes: str | None = recode.BOTH


@dataclass(frozen=True)
class Block:
    kind: str    # CONFLICTS, VERSIONS or CODES
    reason: str  # Vietnamese: what stops the import, naming packages and codes, what to do


@dataclass(frozen=True)
class Readiness:
    blocks: tuple[Block, ...] = ()

    @property
    def can_start(self) -> bool:
        return not self.blocks

    def kinds(self) -> set[str]:
        return {b.kind for b in self.blocks}

    def text(self) -> str:
        return "\n".join(b.reason for b in self.blocks)


def readiness(conn, results: Sequence, crossed: Sequence[compare.Crossed] = (),
              chosen: Chosen | None = None) -> Readiness:
    """Of an operation's preview — its packages (merge.ExchangeResult each, as given) and the
    codes they bring in several versions (merge.BatchResult.crossed) — what would stop the
    import. `chosen`: the window's choices made since (None: the command, whose options the
    dry run already applied). `conn`: this installation's database (None: codes not asked)."""
    counted = [r for r in results if not getattr(r, "same_as", "")]
    blocks = []
    if chosen is None or chosen.default is None:
        said = _conflicts(results, crossed)
        if said:
            blocks.append(Block(CONFLICTS, said))
    left = to_decide(results, crossed, () if chosen is None else chosen.versions).versions
    if left:
        blocks.append(Block(VERSIONS, _versions([c for c in crossed if c.code in left])))
    said = _codes(conn, counted, chosen)
    if said:
        blocks.append(Block(CODES, said))
    return Readiness(tuple(blocks))


def _codes(conn, counted: Sequence, chosen: Chosen | None) -> str | None:
    """Why no code may be issued for the records kept both: as the dry run said it (its
    results' `refused_both`, every clash kept both as the command chose), or, after the
    window's choices, for the records those keep both (`conn` None: not asked)."""
    if chosen is None:
        return next((r.refused_both for r in counted if getattr(r, "refused_both", "")), None)
    count = kept_both(counted, chosen)
    return recode.issuing_refused(conn, count) if count and conn is not None else None


def kept_both(counted: Sequence, chosen: Chosen | None) -> int:
    """The dossiers the import would bring in under a new code issued here: as the dry run
    counted them, or by the window's choices (a code chosen both, and the clashes the preview
    does not list, which follow `chosen.clashes`)."""
    if chosen is None:
        return sum(r.resolved[recode.BOTH] for r in counted)
    listed = [c for r in counted for c in r.conflicts][:merge.CONFLICTS_SHOWN]  # (combined)
    choices, every = chosen.choices, chosen.clashes in recode.CHOICES_BOTH
    # each listed clash record (two packages may bring one code: two dossiers), …
    both = sum(c.clash and choices.get(c.code, chosen.clashes) in recode.CHOICES_BOTH
               for c in listed)
    # … each code chosen both that lists none (a clash kept here before, chosen again), …
    codes = {c.code for c in listed}
    both += sum(choice in recode.CHOICES_BOTH and code not in codes
                for code, choice in choices.items())
    # … and the clashes not listed, which follow the choice for every clash
    unlisted = sum(r.clashes for r in counted) - sum(c.clash for c in listed)
    return both + (max(unlisted, 0) if every else 0)


def _named(codes: Iterable[str], count: int) -> str:
    codes = list(codes)
    shown = codes[:CODES_NAMED]
    more = f" và {vn_number(count - len(shown))} mã khác" if count > len(shown) else ""
    return ", ".join(shown) + more


def _conflicts(results: Sequence, crossed: Sequence) -> str | None:
    left = to_decide(results, crossed)
    if not left.conflicts:
        return None
    by_package: dict[str, list[str]] = {}
    clashes: set[str] = set()
    for result, label in zip(results, merge.package_labels(list(results)), strict=True):
        if result.same_as or not result.pending:  # (a package given twice: said once)
            continue
        for conflict in result.conflicts:
            if conflict.code in left.codes:
                by_package.setdefault(label, [])
                if conflict.code not in by_package[label]:
                    by_package[label].append(conflict.code)
                if conflict.clash:
                    clashes.add(conflict.code)
    where = "; ".join(f"gói {label}: {_named(codes, len(codes))}"
                      for label, codes in list(by_package.items())[:CODES_NAMED])
    both = (f"; {vn_number(len(clashes))} mã là hai hồ sơ khác nhau: --clashes both giữ cả "
            "hai, hồ sơ của gói nhận mã mới của máy này" if clashes else "")
    return (f"{vn_number(left.conflicts)} hồ sơ xung đột chưa chọn"
            + (f" ({where})" if where else "")
            + ": chọn cho từng hồ sơ giữ của máy này hay lấy theo gói (trên cửa sổ: đánh dấu "
            "\"Lấy theo gói\" ở hồ sơ lấy theo gói, hồ sơ không đánh dấu giữ như máy này; "
            f"lệnh: --conflicts keep hoặc --conflicts theirs{both}).")


def _versions(open_: Sequence[compare.Crossed]) -> str:
    clashes = [c.code for c in open_ if c.clash]
    example = next((v.idents[0] for v in open_[0].versions if v.idents), compare.HERE)
    both = (f", trong đó {vn_number(len(clashes))} mã là hai hồ sơ khác nhau: --clashes both "
            "giữ cả hai" if clashes else "")
    return (f"{vn_number(len(open_))} mã có nhiều phiên bản chưa chọn "
            f"({_named((c.code for c in open_), len(open_))}): chọn đúng một phiên bản cho mỗi "
            "mã — bản của máy này hoặc bản của một gói (trên cửa sổ: bấm chọn ở bảng phiên "
            "bản; lệnh: --choose MÃ=GÓI hoặc --choose MÃ=here cho từng mã, ví dụ --choose "
            f"{open_[0].code}={example}{both}).")
