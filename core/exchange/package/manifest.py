"""A package's manifest: its shape checked (what a package says is not trusted), its identity,
the program and schema that made it, and a version 1 record read as version 2
(core.exchange.package)."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from core import actor_names
from core.exchange import office_hours
from core.exchange.package.layout import READABLE_VERSIONS
from core.exchange.package.refused import _bad


@dataclass
class Manifest:
    data: dict
    parts: dict[str, dict] = field(default_factory=dict)

    @property
    def counts(self) -> dict:
        return self.data.get("counts", {})


def package_ident(manifest: dict) -> str:
    """A package's identity as a clerk can read and type it (8 hex digits): of its manifest,
    which names the sending installation, the moment it was made, its period and every part's
    SHA-256. The same package under another name or in another folder has the same identity;
    two packages with the same file name have not. What a version choice names
    (core.exchange.merge.import_packages: `versions`), shown in every preview."""
    text = json.dumps(manifest, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]



# manifest field -> the kinds of value the reader and the preview accept (the rest is shown or
# compared as text): what a package says is not trusted, a list where a dict goes must not crash
_MANIFEST_SHAPES: dict[str, tuple[type, ...]] = {
    "sender_unit": (str, type(None)), "installation": (dict, type(None)),
    "period": (dict, type(None)), "counts": (dict,), "created_at": (str, type(None)),
    "rules_fingerprint": (str, type(None)), "office_hours": (list, type(None))}
SENDER_MAX = 100


def _check_manifest_shape(path: Path, data: dict) -> None:
    for key, kinds in _MANIFEST_SHAPES.items():
        if key in data and not isinstance(data[key], kinds):
            raise _bad(path, f"bản kê manifest.json có trường {key} sai kiểu.")
    counts = data.get("counts", {})
    if not all(type(n) is int and 0 <= n < 10**12 for n in counts.values()):
        raise _bad(path, "bản kê manifest.json có số đếm (counts) không phải số tự nhiên.")
    if len(data.get("sender_unit") or "") > SENDER_MAX or len(str(data.get("created_at"))) > SENDER_MAX:
        raise _bad(path, "bản kê manifest.json có mã đơn vị gửi hoặc thời điểm xuất dài bất thường.")
    if reason := actor_names.check_names(data.get(actor_names.MANIFEST_KEY)):
        raise _bad(path, f"bản kê manifest.json, trường {actor_names.MANIFEST_KEY} (họ và tên "
                   f"của người ghi hồ sơ ở máy gửi): {reason}. Hãy xin máy gửi xuất lại gói.")
    if reason := office_hours.check(data.get(office_hours.MANIFEST_KEY)):
        raise _bad(path, f"bản kê manifest.json, trường {office_hours.MANIFEST_KEY} (giờ làm "
                   f"việc của máy gửi): {reason}. Hãy xin máy gửi xuất lại gói.")


def _sender(data: dict) -> str | None:
    """The program version the package says made it, when it looks like one (what a package
    says is not trusted: shown only then)."""
    sender = data.get("program_version")
    if isinstance(sender, str) and re.fullmatch(r"[0-9][0-9A-Za-z.+-]{0,30}", sender):
        return sender
    return None


def _update_advice(sender: str | None) -> str:
    return f"Hãy cập nhật MotCua ở máy này{f' lên bản {sender} hoặc mới hơn' if sender else ''}"


def _newer_format(data: dict) -> str:
    """Which program made the package and which this is, so the clerk knows what to install."""
    from core.version import VERSION
    sender = _sender(data)
    made = f"gói do MotCua {sender} xuất, " if sender else "gói "
    return (f"{made}theo định dạng phiên bản {data.get('format_version')!r}; MotCua {VERSION} ở "
            f"máy này chỉ đọc định dạng {', '.join(map(str, READABLE_VERSIONS))}. "
            f"{_update_advice(sender)}.")


def newer_schema(data: dict) -> str | None:
    """Why a package of a format this program reads is refused all the same: its manifest's
    `schema_version` is higher than this program's (db.schema.SCHEMA_VERSION), so a newer
    MotCua made it, whose dossiers may carry what this one would drop or misread; None when
    it is not (an older schema is read: a format-2 package's records are the same, a format-3
    part is brought forward by the migrations before it is read, core.exchange.part). Checked from the
    manifest, before any part is read, so the clerk hears "update this program" and not that
    the part is damaged or of another schema."""
    from core.version import VERSION
    from db.schema import SCHEMA_VERSION

    schema = data.get("schema_version")
    if type(schema) is not int or schema <= SCHEMA_VERSION:
        return None
    sender = _sender(data)
    made = f"gói do MotCua {sender}" if sender else "gói do một bản MotCua mới hơn"
    sender = sender if sender != VERSION else None  # a build of the same number: no "lên bản"
    return (f"{made} xuất, theo lược đồ dữ liệu phiên bản {schema}, mới hơn lược đồ "
            f"{SCHEMA_VERSION} của MotCua {VERSION} ở máy này: máy này không đọc đúng được "
            f"gói. {_update_advice(sender)}, rồi nhập lại gói.")


def upgrade_record(record: dict) -> None:
    """A version 1 dossier record as version 2 reads it: not digitised (unknown for a dossier
    without a component list), no complaints. Left as it is when it is not even a version 1
    record: the checks then name what is wrong."""
    fields = record.get("fields")
    if isinstance(fields, dict):
        fields.setdefault("digitised", None)
        fields.setdefault("result_digitised", 0)
    record.setdefault("complaints", [])

