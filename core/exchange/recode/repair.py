"""A re-coded dossier an older program damaged at the import that kept both: which ones
`check` can name the repairing command of, and what it says."""
from __future__ import annotations

from collections.abc import Sequence

from core.exchange.recode.reading import any_aliases
from core.exchange.recode.terms import BOTH_VI, RECODE
from core.timefmt import vn_number
from db import stored_json
from db.batches import in_chunks, marks

# ----- a re-coded dossier the program before 61ac080 damaged (`check`'s advice) -------------
# Keeping both then wrote the package's "0 đồng" as no fee (the fee rule of the OTHER citizen's
# dossier held here) while the re-coded dossier's history says 0: `check` finds its fee unlike
# its history. Importing the package again choosing its version (`--choose MÃ=GÓI`, round 21)
# writes the package's values under the code issued here and appends to the history: repaired,
# with nothing restored from a backup (which would lose everything written since).
REPAIRABLE = ("fee",)  # the fields that fault left wrong


def repairable(conn, differing: Sequence[tuple[str, list[str]]],
               ) -> tuple[dict[str, str], dict[str, str]]:
    """Of dossiers whose stored fields differ from their history (code, fields:
    core.maintenance.audit.mismatches), those re-coded HERE at an import whose only wrong
    field is one that fault left wrong: {code here: the package's file name}. Re-coded here:
    a recode event that names what this installation's code_aliases row of the code holds
    (core.exchange.kept_both writes both: the sender, its code, the package). A dossier another
    installation re-coded carries THAT installation's recode event (its alias here, learned
    or adopted, names the package this one imported it from): its event names a package this
    one never imported and a choice only that installation can make — no repair named
    (review22). Nor for a dossier re-coded twice (B's X the centre's Y, then Z here: the
    centre's recode event beside this one's): the package it came in may carry the centre's
    damage, and importing it again writes the same wrong fee — `check` cannot tell whose old
    program wrote it, so it names no command that may not repair (round 23). Those re-coded
    at another installation come second: {code here: the package it came in}; their damage
    came in that package, so a backup holds it too (core.maintenance.recoded words that)."""
    wanted = sorted({code for code, fields in differing
                     if fields and set(fields) <= set(REPAIRABLE)})
    if not wanted or not any_aliases(conn):
        return {}, {}
    found: dict[str, str] = {}
    elsewhere: dict[str, str] = {}  # also re-coded at another installation before
    for chunk in in_chunks(wanted):
        for code, details, sender, sender_code, alias_package in conn.execute(
                f"SELECT d.code, e.details, a.sender, a.sender_code, a.package FROM events e "
                f"JOIN dossiers d ON d.id = e.dossier_id JOIN code_aliases a ON a.local_code "
                f"= d.code WHERE e.action = ? AND d.code IN ({marks(chunk)}) ORDER BY e.id",
                [RECODE, *chunk]):
            try:
                said = stored_json.loads(details or "{}")
            except ValueError:
                continue
            if not isinstance(said, dict):
                continue
            package = said.get("package")
            if isinstance(package, str) and package and package == alias_package and \
                    said.get("original_code") == sender_code and \
                    (said.get("sender") or f"?:{code}") == sender:
                found.setdefault(code, package)
            else:
                elsewhere.setdefault(code, alias_package)
    return ({code: package for code, package in found.items() if code not in elsewhere},
            elsewhere)


def repair_text(found: dict[str, str]) -> str:
    """What `check` says of the dossiers `repairable` found: not edited outside MotCua, and
    the one command that puts each right (no backup to restore)."""
    each = "; ".join(f"{code}: exchange import <gói {package}> --choose {code}={package}"
                     for code, package in sorted(found.items()))
    return (f"{vn_number(len(found))} hồ sơ trong số đó được cấp mã mới ở máy này khi nhập gói "
            f"(\"{BOTH_VI}\"): lệ phí bị phiên bản MotCua cũ ghi sai lúc ấy, không phải bị sửa "
            "ngoài MotCua — không cần khôi phục bản sao lưu. Sửa bằng cách nhập lại gói ấy và "
            f"chọn phiên bản của gói (lệnh): {each}.")
