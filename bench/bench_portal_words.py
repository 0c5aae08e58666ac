"""Reading a provincial dossier file through the national profile: codes against words.

    python bench/bench_portal_words.py [--rows 200000] [--repeat 3] [--against TREE]

Writes two CSV files of the same dossiers, one with TrangThaiHoSo / KenhThucHien as the
portal's codes, one as its words (mixed case, some without diacritics), and times reading every
row through core.transfer.mapped.MappedTable (the skip of statuses 1/3 and the translation into
MotCua's values, what `import --profile national` and `reconcile` do before the cell checks).
`--against TREE` runs the same measurement on another checkout (e.g. `git archive` of an older
commit) in the same run, side by side. Best of --repeat.
"""
from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = ["MaHoSo", "MaTTHC", "KenhThucHien", "ChuHoSo", "NgayTiepNhan", "NgayKetThucXuLy",
          "NgayTra", "TrangThaiHoSo"]
STATUS = {"2": "Được tiếp nhận", "4": "ĐANG XỬ LÝ", "5": "yeu cau bo sung giay to",
          "6": "Yêu cầu thực hiện nghĩa vụ tài chính", "9": "Đã xử lý xong", "10": "Đã trả kết quả",
          "1": "Mới đăng ký", "3": "Không được tiếp nhận"}
CHANNEL = {"1": "Trực tiếp", "2": "TRUC TUYEN", "3": "Bưu chính công ích"}


def write(path: Path, rows: int, words: bool) -> None:
    statuses, channels = list(STATUS), list(CHANNEL)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(rows):
            status, channel = statuses[n % len(statuses)], channels[n % len(channels)]
            out.writerow([f"XTD-250102-{n:06d}", "1.001612",
                          CHANNEL[channel] if words else channel, "Nguyễn Văn An",
                          "02/01/2025 08:00:00", "03/01/2025 10:00:00", "03/01/2025 15:00:00",
                          STATUS[status] if words else status])


def measure(folder: Path, repeat: int) -> dict[str, float]:
    from core.transfer.mapped import open_mapped
    from core.transfer.profiles import NATIONAL_PROFILE
    best = {}
    for name in ("codes", "words"):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            table = open_mapped(folder / f"{name}.csv", NATIONAL_PROFILE)
            for _number, cells in table.rows():
                table.translate(cells)
            times.append(time.perf_counter() - start)
        best[name] = min(times)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--against")
    parser.add_argument("--folder", help=argparse.SUPPRESS)  # the files, for a run on TREE
    args = parser.parse_args()
    if args.folder:  # inside the other tree's run: print its figures only
        print(json.dumps(measure(Path(args.folder), args.repeat)))
        return
    with tempfile.TemporaryDirectory() as folder:
        write(Path(folder) / "codes.csv", args.rows, words=False)
        write(Path(folder) / "words.csv", args.rows, words=True)
        trees = [Path(__file__).resolve().parent.parent] + ([Path(args.against)]
                                                            if args.against else [])
        for tree in trees:
            run = subprocess.run([sys.executable, __file__, "--folder", folder,
                                  "--repeat", str(args.repeat)], cwd=tree, check=True,
                                 capture_output=True, text=True,
                                 env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"})
            figures = json.loads(run.stdout)
            print(f"{tree}: {args.rows:,} rows, codes {figures['codes']:.2f} s, "
                  f"words {figures['words']:.2f} s (best of {args.repeat})")


if __name__ == "__main__":
    main()
