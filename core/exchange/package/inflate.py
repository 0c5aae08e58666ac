"""How a package's deflated members are inflated: ISA-L's decompressor when it is there, zlib's
otherwise (core.exchange.package)."""
from __future__ import annotations

import types
import zlib


def inflate_module() -> types.ModuleType:
    """The module whose raw-deflate decompressor reads a package's members: ISA-L's
    (`isal.isal_zlib` of the `isal` package, in requirements.txt and so in the built program;
    zlib's interface: decompress with max_length, unconsumed_tail, eof, flush) when it can be
    imported, else zlib (an environment without it: slower, the same bytes). zipfile's own
    checks apply to either (`_inflated_by`)."""
    try:
        from isal import isal_zlib
    except ImportError:
        return zlib
    return isal_zlib


INFLATE = inflate_module()
_ZLIB_DECOMPRESS = type(zlib.decompressobj(-zlib.MAX_WBITS))
# what a member's stream that is no deflate stream raises (zipfile passes it on as it is): a
# damaged part, like a CRC-32 that does not match
NOT_DEFLATE = tuple({zlib.error, INFLATE.error})


def _inflated_by(member) -> None:
    """A deflated member, just opened by zipfile, inflated by INFLATE's decompressor (ISA-L's:
    the rows part of 20,000 dossiers extracted in 47 ms where zlib's took 66 ms, docs/speed.md,
    fifteenth round). Only the inflating changes: zipfile's reader still
    reads at most the compressed size the zip's directory declares, asks the decompressor
    for at most the bytes it wants at a time (bounded memory), gives no more than the member's
    declared size, raises EOFError on a stream cut short and BadZipFile when the CRC-32 of what
    it gave is not the declared one, as with zlib's. Its decompressor is an attribute of its
    own (`_decompressor`), replaced before the first read and only where it is zlib's: a
    Python whose reader differs keeps zlib's, slower, never wrong."""
    if INFLATE is not zlib and type(getattr(member, "_decompressor", None)) is _ZLIB_DECOMPRESS:
        member._decompressor = INFLATE.decompressobj(-zlib.MAX_WBITS)
