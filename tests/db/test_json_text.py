"""db.json_text: the C encoder called directly gives JSONEncoder's very text (the hash chain
and the stored facts depend on every byte)."""
from __future__ import annotations

import json

import pytest

from db import json_text

VALUES = [
    [],
    ["HS-001", "2025-01-02 08:00:00", "canbo.x", "receive", None, "received", "Tiếp nhận", None],
    ("tuple", 1, -2, 3.5, float("inf"), float("-inf"), True, False, None),
    ["quote \" backslash \\ newline \n tab \t nul \x00 ￾ emoji 😀", {"k": [1, {"x": "ý"}]}],
    {"u": "000.21.27.H37", "d": "2024-07-29", "fee": 1, "c": "o", "s": [["2024-08-01", None]],
     "ý": "Nguyễn", "n": None, "b": True},
    [10**30, -0.0, 1e-7, [[[]]], {}],
]


@pytest.mark.parametrize("ensure_ascii", [True, False])
@pytest.mark.parametrize("separators", [(",", ":"), (", ", ": ")])
def test_same_text_as_json_encoder(ensure_ascii, separators):
    fast = json_text.encoder(ensure_ascii=ensure_ascii, separators=separators)
    slow = json.JSONEncoder(ensure_ascii=ensure_ascii, separators=separators).encode
    for value in VALUES:
        assert fast(value) == slow(value)


def test_nan_and_unencodable_values_as_json_encoder():
    fast = json_text.encoder(ensure_ascii=False)
    assert fast([float("nan")]) == "[NaN]"
    with pytest.raises(TypeError, match="not JSON serializable"):
        fast([b"bytes"])
    with pytest.raises(TypeError):
        fast([object()])
    assert fast(["after an error"]) == '["after an error"]'  # no state left behind
