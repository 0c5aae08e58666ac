"""A package refused, in the clerk's words: what is wrong with it and that nothing was written
(core.exchange.package)."""
from __future__ import annotations

from pathlib import Path

from core.errors import InputError
from core.timefmt import vn_number


def _unreadable_zip(path: Path) -> str:
    """Why a file zipfile cannot open is no package, in the clerk's words: a zip cut short (a
    USB stick pulled out during the copy) is not 'not a package' — the sender need only copy it
    again; an empty file or a database chosen by mistake say so too."""
    try:
        with path.open("rb") as file:
            head = file.read(16)
    except OSError:
        head = b""
    if not head:
        return "tệp rỗng (0 byte): có thể chép chưa xong. Hãy chép lại gói từ máy gửi."
    if head.startswith(b"PK\x03\x04"):
        return ("tệp nén bị cắt cụt hoặc hỏng (có thể rút USB hay ngắt mạng khi đang chép): "
                f"chỉ có {vn_number(path.stat().st_size)} byte, thiếu phần cuối của tệp nén. "
                "Hãy chép lại gói từ máy gửi.")
    if head.startswith(b"SQLite format 3"):
        return ("đây là một tệp cơ sở dữ liệu, không phải gói trao đổi. Hãy chọn tệp gói .zip "
                "do Dữ liệu → Xuất gói trao đổi… tạo ra.")
    return "tệp không phải gói trao đổi MotCua (không đọc được tệp nén)."


def _bad(path: Path, why: str) -> InputError:
    return InputError(f"Gói {path.name} không dùng được: {why} Chưa ghi gì vào cơ sở dữ liệu.")

