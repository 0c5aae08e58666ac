"""The cost of a package's signature (issue 16 §3, core.exchange.signing): a demo office of N
dossiers exported (format 3, signed), then, over R runs, the signing of its checksums.sha256 and
the verification of its signature as the reader does it, and the reader's cheap half (members,
checksums, signature, manifest) on the package with and without its signature (the zip comment).

    .venv/bin/python bench/bench_signature.py [N=20000] [RUNS=200]
"""
from __future__ import annotations

import datetime as dt
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core import demo, installation  # noqa: E402
from core.database import open_database  # noqa: E402
from core.exchange import export_package, signing  # noqa: E402
from core.exchange.package import CHECKSUMS, PackageReader  # noqa: E402
from core.exchange.package.layout import SIGNATURE  # noqa: E402
from core.exchange.package.signature import member  # noqa: E402


def timed(action, runs: int) -> float:
    """The median of `runs` calls, in milliseconds."""
    took = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        took.append(time.perf_counter() - start)
    return statistics.median(took) * 1000


def main() -> None:
    dossiers = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as folder:
        office = open_database(Path(folder) / "office.db")
        demo.generate(office, dossiers=dossiers, seed=5, today=dt.date(2026, 11, 30))
        package = Path(folder) / "goi.zip"
        start = time.perf_counter()
        export_package(office, package, dt.date(2020, 1, 1))
        export_s = time.perf_counter() - start
        key, ident = signing.own_key(office), installation.installation_id(office)
        office.close()
        with zipfile.ZipFile(package) as archive:
            sums = archive.read(CHECKSUMS)
            members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
        bare = Path(folder) / "khong-ky.zip"  # the signature (the zip's comment) left out
        with zipfile.ZipFile(bare, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in members.items():
                if name != SIGNATURE:
                    archive.writestr(name, data)

        def opened(path):
            with PackageReader(path, verify=False):
                pass
        print(f"package: {dossiers} dossiers, {package.stat().st_size / 1e6:.1f} MB, "
              f"export {export_s:.2f} s; checksums.sha256 {len(sums)} bytes")
        print(f"sign (the signature's bytes made): {timed(lambda: member(ident, key, sums), runs):.3f} ms")
        with PackageReader(package, verify=False) as reader:
            from core.exchange.package.signature import signed_by
            print(f"verify (signed_by): {timed(lambda: signed_by(reader, sums), runs):.3f} ms")
        print(f"reader's cheap half, signed: {timed(lambda: opened(package), runs):.3f} ms; "
              f"unsigned: {timed(lambda: opened(bare), runs):.3f} ms")


if __name__ == "__main__":
    main()
