"""What a package holds: its format and versions, its members' names, the parts each format
version has, and the sizes a member may have (core.exchange.package)."""
from __future__ import annotations

from core.exchange import part as rows_part

FORMAT = "motcua-exchange"
FORMAT_VERSION = 3
# 3 (issue 16, 01/12/2026): the dossiers, votes and catalogue in one part, a MotCua database
# file SQLite reads and copies in C (core.exchange.part), instead of five JSON Lines parts.
# 2 (issue 16, 30/11/2026): a dossier carries its digitisation flags (`digitised`,
# `result_digitised`) and its complaints (Decision 766 4.2 and 5.4); a version 1 package is read
# as holding none of them (`upgrade_record`).
READABLE_VERSIONS = (1, 2, 3)
WRITABLE_VERSIONS = (2, 3)
MANIFEST = "manifest.json"
CHECKSUMS = "checksums.sha256"
# the sender's Ed25519 signature over checksums.sha256's bytes (core.exchange.package.signature):
# since round 29 in the zip's archive comment, which a reader older than the signature ignores;
# round 28 wrote it as this member (still read), which that reader refused as a stranger. Not
# listed in checksums.sha256 (it covers them); a package made before 12/2026 has none
SIGNATURE = "signature.json"
PARTS = ("units.jsonl", "procedures.jsonl", "calendar.jsonl", "dossiers.jsonl", "votes.jsonl")
ROWS_PART = rows_part.NAME
MEMBERS = (MANIFEST, CHECKSUMS, SIGNATURE) + PARTS + (ROWS_PART,)
# the logical parts the merge asks for, and the manifest's count of each
COUNTED = {name: name.removesuffix(".jsonl") for name in PARTS}


def parts_of(version) -> tuple[str, ...]:
    """The parts a package of this format version holds."""
    return (ROWS_PART,) if version == 3 else PARTS


MANIFEST_MAX = 1_000_000            # bytes: a manifest is a few hundred
SIGNATURE_MAX = 4_096               # bytes: a signature member is ~330
PART_MAX = 4_000_000_000            # uncompressed bytes of one part (1M dossiers: ~2 GB)
RATIO_MAX = 200                     # JSON text compresses ~10×; a zip bomb 1000× and more
ROWS_MAX = 4_000_000_000            # bytes of the rows part (1M dossiers: ~0.9 GB)
SPACE_SPARE = 100_000_000           # free bytes left on the temporary folder's disk
LINE_MAX = 16_000_000               # one record (a dossier with its whole history)
CHUNK = 1 << 20
