"""Test helpers for the PDF documents: figures in the shape of spec 8, PDF text and fonts."""
from __future__ import annotations

import subprocess
from pathlib import Path

TARGETS = {"on_time": 0.9, "online_full": 0.7, "online_payment": 0.45, "satisfaction": 0.95}


def _rate(num: int, den: int):
    return None if den == 0 else round(num / den, 4)


def figures(online=0, direct=0, carried=0, early=0, on_time=0, late=0, withdrawn=0,
            overdue=0, full=0, eligible=0, paid=0, fee=0, satisfied=0, votes=0) -> dict:
    """One unit's figures (spec 8) from the counts; in progress is whatever remains."""
    total = online + direct + carried
    resolved = early + on_time + late
    progress = total - resolved - withdrawn
    rates = {"on_time": _rate(early + on_time, resolved), "online_full": _rate(full, eligible),
             "online_payment": _rate(paid, fee), "satisfaction": _rate(satisfied, votes)}
    exact = {"on_time": (early + on_time, resolved), "online_full": (full, eligible),
             "online_payment": (paid, fee), "satisfaction": (satisfied, votes)}
    return {
        "received": {"total": total, "online": online, "direct_postal": direct,
                     "carried_over": carried},
        "resolved": {"total": resolved, "early": early, "on_time": on_time, "late": late},
        "withdrawn": withdrawn,
        "in_progress": {"total": progress, "within_time": progress - overdue, "overdue": overdue},
        "on_time_rate": rates["on_time"],
        "online_full": {"count": full, "eligible": eligible, "received": online + direct,
                        "rate": rates["online_full"]},
        "online_payment": {"paid_online": paid, "fee_dossiers": fee,
                           "rate": rates["online_payment"]},
        "satisfaction": {"votes": votes, "satisfied": satisfied, "rate": rates["satisfaction"]},
        "meets": {k: None if d == 0 else n / d >= TARGETS[k] for k, (n, d) in exact.items()},
    }


def kpi_doc(units: list[tuple[str, str, dict]], start="2026-10-01", end="2026-10-31") -> dict:
    """A whole spec-8 document; the total adds the units up."""
    keys = ("online", "direct", "carried", "early", "on_time", "late", "withdrawn", "overdue",
            "full", "eligible", "paid", "fee", "satisfied", "votes")
    sums = dict.fromkeys(keys, 0)
    for _, _, f in units:
        counts = _counts(f)
        for k in keys:
            sums[k] += counts[k]
    return {"from": start, "to": end,
            "policy": {"supplement": "pause", "due_basis": "original",
                       "online_denominator": "eligible"},
            "targets": dict(TARGETS),
            "units": [{"code": c, "name": n, **f} for c, n, f in units],
            "total": figures(**sums)}


def _counts(f: dict) -> dict:
    return {"online": f["received"]["online"], "direct": f["received"]["direct_postal"],
            "carried": f["received"]["carried_over"], "early": f["resolved"]["early"],
            "on_time": f["resolved"]["on_time"], "late": f["resolved"]["late"],
            "withdrawn": f["withdrawn"], "overdue": f["in_progress"]["overdue"],
            "full": f["online_full"]["count"], "eligible": f["online_full"]["eligible"],
            "paid": f["online_payment"]["paid_online"], "fee": f["online_payment"]["fee_dossiers"],
            "satisfied": f["satisfaction"]["satisfied"], "votes": f["satisfaction"]["votes"]}


def pdf_text(path: Path, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_fonts(path: Path) -> list[dict]:
    """pdffonts' table: name, type, emb, sub per font."""
    lines = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    out = []
    for line in lines:
        parts = line.split()
        # columns: name type [encoding...] emb sub uni object ID
        out.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4]})
    return out


def page_sizes(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(path)], check=True,
                          capture_output=True, text=True).stdout
    sizes = []
    for line in info.splitlines():
        if line.startswith("Page") and "size:" in line:
            parts = line.split("size:")[1].split()
            sizes.append((float(parts[0]), float(parts[2])))
    return sizes


def render_pages(path: Path, out_dir: Path, dpi: int = 40) -> list[Path]:
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(path), str(out_dir / "p")],
                   check=True, capture_output=True)
    return sorted(out_dir.glob("p*.png"))


def page_texts_pdfium(path: Path) -> list[str]:
    """Each page's text as PDFium reads it (it also reads the rotated draft mark)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
