"""core.limits.text_length and fit_text on a pasted «zalgo» text (a long run of combining marks
of two classes, break35) and on honest text, CPU time of one call each.

    python bench/bench_text_length.py [--repeat 3]

Prints, per text, the characters, the length text_length gives and the best CPU time (process
time, the machine is shared) of text_length, of fit_text to the name's limit (200) and of
clean_text (what is stored). Timed figures stay out of the test suite."""
from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core import limits  # noqa: E402
from core.textnorm import clean_text  # noqa: E402

TEXTS = {
    "zalgo 10,001": "a" + "\u0301\u0323" * 5_000,
    "zalgo 40,001": "a" + "\u0301\u0323" * 20_000,
    "zalgo 100,001": "a" + "\u0301\u0323" * 50_000,
    "NFD Vietnamese 32,767": (unicodedata.normalize("NFD", "Nguyễn Thị Hường, xã Đồng Giáp ") * 2000)[:32_767],
    "NFC Vietnamese 32,767": ("Nguyễn Thị Hường, xã Đồng Giáp " * 2000)[:32_767],
}


def best(call, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.process_time()
        call()
        times.append(time.process_time() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    for name, text in TEXTS.items():
        length = limits.text_length(text)
        counted = best(lambda t=text: limits.text_length(t), repeat)
        fitted = best(lambda t=text: limits.fit_text(t, len(t), 200), repeat)
        cleaned = best(lambda t=text: clean_text(t), repeat)
        print(f"{name:24} length {length:>7}  text_length {counted:7.3f} s  "
              f"fit_text {fitted:7.3f} s  clean_text {cleaned:7.3f} s", flush=True)


if __name__ == "__main__":
    main()
