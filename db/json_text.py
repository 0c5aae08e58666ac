"""JSON text made by the C encoder called directly, for the tight loops that make millions.

`json.JSONEncoder.encode` builds its C encoder again at every call (a closure, a markers dict
for the circular check, two Python calls): for the small arrays and objects of the hash chain
(db.chain, ~94,000 events a package of 20,000 dossiers) and of the stored facts
(db.facts_codec) that is half the time of a call. `encoder` makes the C encoder once and
returns a function giving exactly the text `JSONEncoder(...).encode` gives for a list, a tuple
or a dict (tests/db/test_json_text.py), without the circular check: what these loops encode
are rows read from SQLite or JSON text, which cannot hold a cycle.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import (  # type: ignore[attr-defined]
    c_make_encoder,
    encode_basestring,
    encode_basestring_ascii,
)
from typing import Any


def encoder(ensure_ascii: bool = True, separators: tuple[str, str] = (",", ":")
            ) -> Callable[[Any], str]:
    """`json.JSONEncoder(ensure_ascii=…, separators=…).encode` for a list, tuple or dict."""
    slow = json.JSONEncoder(ensure_ascii=ensure_ascii, separators=separators,
                            check_circular=False)
    if c_make_encoder is None:  # a Python built without the json accelerator
        return slow.encode
    item_separator, key_separator = separators
    chunks = c_make_encoder(None, slow.default,
                            encode_basestring_ascii if ensure_ascii else encode_basestring,
                            None, key_separator, item_separator, False, False, True)
    join = "".join
    return lambda value: join(chunks(value, 0))
