"""The package file (spec 9): a zip of parts, a manifest and their checksums.

Format 3 (the default since 01/12/2026, issue 16):

    manifest.json       sender, installation, period, versions, counts, each part's SHA-256
    rows.motcua         the rows part: a MotCua database file at the current schema holding the
                        catalogue, the package's dossiers with every child row and its votes,
                        in the program's own tables with the sender's ids (core.exchange.part)
    checksums.sha256    `sha256sum -c` lines for every member above (manifest included)
    (zip comment)       the sender's Ed25519 signature over checksums.sha256's bytes (since
                        12/2026; a package without it still opens: core.exchange.signing). In
                        the archive's comment, which a format-3 reader older than the
                        signature ignores; round 28's member signature.json is still read

Formats 1 and 2 (still written with `exchange export --format 2`, for a centre not yet
upgraded, and always read):

    manifest.json, checksums.sha256 as above, and JSON Lines parts
    units.jsonl, procedures.jsonl, calendar.jsonl, dossiers.jsonl, votes.jsonl

Every format gives the merge the same records (`records`, `lines`): a format-3 package's are
read from its rows part by core.exchange.records, the functions that make a format-2 package's.

A package comes from another office, by USB stick or mail: it is read as hostile. Only the
known member names are accepted, the sizes the zip declares are checked before anything is read
(zipfile never unpacks more than a member declares), the manifest's bytes are checked against
checksums.sha256 before any of its fields is used (`sums`), and every part's checksum is verified,
streaming, before a single record is parsed. JSON Lines are read in place, never extracted,
with a length cap on a line. The rows part is the one thing written to disk: under a temporary
name of our own (never the member's name), its size checked against the limit and the free
space first, hashed while it is written, then opened read only and checked as a hostile
database (core.exchange.part.open_checked) before a row is read; the file is removed when the
reader closes, whatever happened.

MODULES (one responsibility each)
    layout       the format, its versions, the members' names and the sizes a member may have
    inflate      the decompressor that inflates the members (ISA-L's, else zlib's)
    writer       PackageWriter: a package written under a temporary name, named when whole
    refused      a refused package in the clerk's words (a member that does not inflate: damaged)
    sums         checksums.sha256 read and the manifest's bytes checked against it, before a
                 field of the manifest is used
    spreadsheet  an Excel or CSV file given where a package goes, named as what it is
    manifest     the manifest's shape, the package's identity, the program and schema that made it
    reader       PackageReader: opened, verified, read, closed; built of
      opened       the state and small tools its pieces share
      verifying    members, manifest, checksums and counts
      rows         a format-3 rows part extracted, checked, reopened, rested
      reading      the records, from a rows part or a JSON Lines part
    temp_parts   a part's file in the temporary folder, held by a lock, removed, swept
"""
from __future__ import annotations

from core.exchange.package.inflate import INFLATE, inflate_module
from core.exchange.package.layout import (
    CHECKSUMS,
    CHUNK,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PARTS,
    RATIO_MAX,
    READABLE_VERSIONS,
    ROWS_PART,
    WRITABLE_VERSIONS,
    parts_of,
)
from core.exchange.package.manifest import package_ident
from core.exchange.package.reader import PackageReader
from core.exchange.package.temp_parts import (
    HELD_PREFIX,
    PART_PREFIX,
    PART_SUFFIX,
    STALE_SECONDS,
    new_part,
    remove_part,
    sweep_stale_parts,
)
from core.exchange.package.writer import PackageWriter

__all__ = ["CHECKSUMS", "CHUNK", "FORMAT", "FORMAT_VERSION", "HELD_PREFIX", "INFLATE", "MANIFEST",
           "PARTS", "PART_PREFIX", "PART_SUFFIX", "RATIO_MAX", "READABLE_VERSIONS", "ROWS_PART",
           "STALE_SECONDS", "WRITABLE_VERSIONS", "PackageReader", "PackageWriter",
           "inflate_module", "new_part", "package_ident", "parts_of", "remove_part",
           "sweep_stale_parts"]
