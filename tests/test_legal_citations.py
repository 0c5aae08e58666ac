"""No text the user reads cites a repealed text as if it were in force (issue 13 §6).

Decree 61/2018 and 107/2021 were replaced by Decree 118/2025/NĐ-CP on 01/7/2025, Circular
01/2018/TT-VPCP by Circular 03/2025/TT-VPCP. An old text may still be named where a rule dates
from it, but then next to the text in force. Checked over every string literal of gui/ and core/
(window labels, messages, PDF wording; docstrings are for developers) and every paragraph of the
docs.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEALED = re.compile(r"61/2018|01/2018|107/2021|(Decree|Nghị định|NĐ) 61\b|(Circular|Thông tư|TT) 01\b")
IN_FORCE = re.compile(r"118/2025|03/2025|04/2025|297/2025|307/2025")


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                ids.add(id(body[0].value))
    return ids


def user_strings() -> list[tuple[str, str]]:
    out = []
    for folder in ("gui", "core"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                        and id(node) not in skip:
                    out.append((f"{path.relative_to(ROOT)}:{node.lineno}", node.value))
    return out


def doc_paragraphs() -> list[tuple[str, str]]:
    out = []
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for i, paragraph in enumerate(re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))):
            out.append((f"{path.relative_to(ROOT)} §{i}", paragraph))
    return out


def offenders(items: list[tuple[str, str]]) -> list[str]:
    return [f"{where}: {text[:120]!r}" for where, text in items
            if REPEALED.search(text) and not IN_FORCE.search(text)]


def test_window_and_pdf_strings_never_cite_a_repealed_text_alone():
    assert offenders(user_strings()) == []


def test_docs_never_cite_a_repealed_text_alone():
    assert offenders(doc_paragraphs()) == []


def test_the_check_catches_an_old_citation():
    assert offenders([("x", "Tính lại từ đầu (NĐ 61/2018 Đ.19)")])
    assert offenders([("x", "theo Thông tư 01/2018/TT-VPCP")])
    assert not offenders([("x", "Nghị định 297/2025 (có từ Nghị định 61/2018)")])


def test_the_settings_and_extension_texts_name_the_texts_in_force():
    strings = [text for _, text in user_strings()]
    assert any("297/2025" in s and "Tính lại từ đầu" in s for s in strings)
    assert any("118/2025" in s and "hẹn lại một lần" in s for s in strings)


def test_the_retention_explanation_names_the_texts_of_the_period():
    """Retention rests on the archival period of the office's Danh mục hồ sơ (Decree 30/2020
    Annex V), the retention table (Circular 10/2022/TT-BNV) and Law 91/2025 Art. 3; one text,
    core.privacy.retention.BASIS_VI, shown by the window and the command line."""
    from core.privacy.retention import BASIS_VI
    for text in ("Danh mục hồ sơ", "30/2020/NĐ-CP", "10/2022/TT-BNV", "91/2025/QH15"):
        assert text in BASIS_VI, text
    assert not offenders([("retention", BASIS_VI)])
