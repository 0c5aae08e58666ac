"""What an import gives back: one ExchangeResult a package, a BatchResult an operation, and
each package named as the clerk reads it (core.exchange.merge)."""
from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from core.exchange import catalogue as cat
from core.exchange import compare

CONFLICTS_SHOWN = 500


@dataclass
class ExchangeResult:
    path: str
    manifest: dict
    dry_run: bool
    dossiers: Counter = field(default_factory=Counter)
    votes: Counter = field(default_factory=Counter)
    catalogue: Counter = field(default_factory=Counter)
    conflicts: list[compare.Conflict] = field(default_factory=list)
    conflict_count: int = 0
    clashes: int = 0     # of the conflicts: two different dossiers under one code
    crossed: int = 0     # of the conflicts: codes several packages bring (BatchResult.crossed)
    crossed_resolved: int = 0  # … of those, the ones a version was chosen for (in `resolved`)
    resolved: Counter = field(default_factory=Counter)   # keep / theirs
    catalogue_diffs: list[cat.CatalogueDiff] = field(default_factory=list)
    catalogue_taken: list[str] = field(default_factory=list)   # items taken from the package
    warnings: list[str] = field(default_factory=list)
    fast: bool = False
    written: bool = False
    new_ids: tuple[int, int] | None = None  # the ids its new dossiers got (first, last)
    ident: str = ""  # the package's identity (core.exchange.package.package_ident)
    # clashes kept here at an earlier import (this installation's dossier kept, the other
    # citizen's left out) that the package still brings: named "both" (--choose MÃ=both, the
    # window's list of codes chosen before) they come in under a new code (recode)
    reopenable: list[compare.Conflict] = field(default_factory=list)
    reopened: int = 0  # … of those, the ones reopened by this operation (conflicts again)
    # the package given before it in the operation that it is (the same file, or a copy under
    # another name: `_twice`): merged again, it adds nothing and is counted once, as that one
    same_as: str = ""
    # a preview's "Giữ cả hai" this installation may issue no code for: the import's refusal
    refused_both: str = ""  # in its words (recode.issuing_refused; read by core.exchange.ready)
    # its signature against the sender's key pinned here (core.exchange.signing: KNOWN, NEW,
    # UNSIGNED; "" for an operation's combined result)
    signature: str = ""

    @property
    def pending(self) -> bool:
        """Conflicts met without a choice: nothing was written; ask the clerk."""
        return self.conflict_count > sum(self.resolved.values())


@dataclass
class BatchResult:
    """Several packages merged in one operation: one ExchangeResult each, one transaction.
    `crossed`: the codes several packages bring in versions not on one line of history, each
    with every version (compare.Crossed), to be chosen one by one (`versions`)."""
    results: list[ExchangeResult]
    dry_run: bool
    bulk: bool = False
    written: bool = False
    crossed: list[compare.Crossed] = field(default_factory=list)

    @property
    def pending(self) -> bool:
        return any(r.pending for r in self.results) or \
            any(c.chosen is None for c in self.crossed)

    def total(self, name: str) -> Counter:
        """The sum over the packages of one Counter of theirs ("dossiers", "votes" …)."""
        out: Counter = Counter()
        for result in self.counted:
            out.update(getattr(result, name))
        return out

    @property
    def counted(self) -> list[ExchangeResult]:
        """The packages the totals add up: a package given twice once (`same_as`)."""
        return [r for r in self.results if not r.same_as]

    def combined(self) -> ExchangeResult:
        """All packages as one result (totals, every warning, conflict and differing catalogue
        row once), for a preview or a summary of the whole operation."""
        if len(self.results) == 1:
            return self.results[0]
        out = ExchangeResult(f"{len(self.results)} gói", {}, self.dry_run, self.total("dossiers"),
                             self.total("votes"), self.total("catalogue"))
        seen: set[str] = set()
        for result, name in zip(self.results, package_labels(self.results), strict=True):
            out.warnings += [f"{name}: {w}" for w in result.warnings]
            out.refused_both = out.refused_both or result.refused_both  # (one operation's)
            if result.same_as:  # its counts and conflicts are the first one's: said once
                continue
            out.conflicts += [dataclasses.replace(c, package=name) for c in
                              result.conflicts[:CONFLICTS_SHOWN - len(out.conflicts)]]
            out.reopenable += [dataclasses.replace(c, package=name) for c in
                               result.reopenable[:CONFLICTS_SHOWN - len(out.reopenable)]]
            out.reopened += result.reopened
            out.conflict_count += result.conflict_count
            out.clashes += result.clashes
            out.crossed += result.crossed
            out.crossed_resolved += result.crossed_resolved
            out.resolved.update(result.resolved)
            out.catalogue_diffs += [d for d in result.catalogue_diffs if d.item not in seen]
            seen |= {d.item for d in result.catalogue_diffs}
            out.catalogue_taken += [i for i in result.catalogue_taken if i not in out.catalogue_taken]
        out.written = self.written
        return out


def package_labels(results: list[ExchangeResult]) -> list[str]:
    """Each package of an operation as the clerk reads it everywhere (the preview's lists, the
    versions, the messages): its file name, and its identity when another package of the
    operation has that name (two folders' "quay-1.zip": "quay-1.zip (gói 4f1a2b3c)")."""
    names = [Path(r.path).name for r in results]
    return [name if names.count(name) == 1 or not result.ident else
            compare.package_named(name, result.ident)
            for name, result in zip(names, results, strict=True)]
