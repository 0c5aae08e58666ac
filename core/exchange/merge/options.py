"""What the clerk gave, checked before anything is merged: the choices' words, a package given
twice, and the version choices named by the packages' identities (core.exchange.merge)."""
from __future__ import annotations

import json
from pathlib import Path

from core.errors import InputError
from core.exchange import catalogue as cat
from core.exchange import compare, recode
from core.exchange.merge.results import ExchangeResult
from core.exchange.merge.terms import KEEP, THEIRS
from core.exchange.package import PackageReader


def _check_options(conflicts: str | None, catalogue: str | None,
                   catalogue_choices: dict[str, str] | None, clashes: str | None = None,
                   choices: dict[str, str] | None = None) -> None:
    if conflicts not in (None, KEEP, THEIRS):
        raise InputError(f"Cách xử lý xung đột {conflicts!r} không hợp lệ: chọn keep hoặc theirs.")
    for choice in [clashes, *(choices or {}).values()]:
        if choice not in (None, KEEP, THEIRS, *recode.CHOICES_BOTH):
            raise InputError(f"Cách xử lý xung đột {choice!r} không hợp lệ: chọn keep, theirs "
                             "hoặc both (hai hồ sơ khác nhau cùng mã: giữ cả hai; both+theirs: giữ cả "
                             "hai và lấy theo gói bản của chính hồ sơ máy này).")
    for choice in [catalogue, *(catalogue_choices or {}).values()]:
        if choice not in (None, cat.OURS, cat.THEIRS):
            raise InputError(f"Cách xử lý danh mục khác nhau {choice!r} không hợp lệ: chọn ours "
                             "hoặc theirs.")


def _twice(paths: list[Path], readers: list[PackageReader]) -> dict[int, tuple[str, str]]:
    """Packages chosen again (the same file, or a copy under another name: the same manifest,
    checksums and all), by position: the package given first that each is, and the note it
    gets. Merging one again changes nothing (spec 9), so it is merged (nothing more written)
    and counted ONCE: its counts are left out of the operation's totals (ExchangeResult
    .same_as), which say what is written — "Cộng 2 gói" added 43 + 43 clashes for the same
    rows (round 21)."""
    seen: dict[str, Path] = {}
    out = {}
    for index, (path, reader) in enumerate(zip(paths, readers, strict=True)):
        key = json.dumps(reader.manifest.data, sort_keys=True, ensure_ascii=False)
        if key in seen:
            same = "" if seen[key].resolve() == path.resolve() else \
                f" ({path.name} là bản sao của {seen[key].name})"
            out[index] = (str(seen[key]), twice_text(seen[key].name, same))
        else:
            seen[key] = path
    return out


def twice_text(name: str, same: str = "") -> str:
    return (f"Gói {name} được đưa hai lần{same}: chỉ tính một lần (lần sau không ghi thêm gì "
            "và không được cộng vào tổng).")


def _chosen_packages(versions: dict[str, str], paths: list[Path],
                     results: list[ExchangeResult]) -> dict[str, str]:
    """The version choices with each package named by its identity (ExchangeResult.ident):
    given as that identity, as the path given, or as the file name of one package only (two
    packages of one name in two folders, or a file renamed since the preview, are told
    apart by their identity)."""
    out = {}
    idents = [r.ident for r in results]
    listed = ", ".join(f"{p.name} (gói {i})" for p, i in zip(paths, idents, strict=True))
    for code, choice in versions.items():
        if choice == compare.HERE or choice in idents:
            out[code] = choice
            continue
        given = {i for p, i in zip(paths, idents, strict=True) if str(p) == str(choice)}
        named = {i for p, i in zip(paths, idents, strict=True) if p.name == choice}
        if len(given) == 1 or len(named) == 1:
            out[code] = next(iter(given or named))
            continue
        if named:
            raise InputError(f"Chọn phiên bản cho hồ sơ {code}: {len(named)} gói khác nhau cùng "
                             f"tên {choice} (gói {', '.join(sorted(named))}); chọn bằng số hiệu "
                             f"gói, ví dụ {code}={min(named)}.")
        raise InputError(f"Chọn phiên bản cho hồ sơ {code}: {choice!r} không phải gói nào "
                         f"đang nhập (các gói: {listed}) cũng không phải {compare.HERE} (bản "
                         "của máy này).")
    return out
