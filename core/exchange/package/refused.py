"""A package refused, in the clerk's words: what is wrong with it and that nothing was written
(core.exchange.package)."""
from __future__ import annotations

import zipfile
from pathlib import Path

from core.errors import InputError
from core.exchange.package.inflate import NOT_DEFLATE
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



# what reading a member raises when its bytes in the zip are damaged (zipfile passes the
# inflater's own errors on as they are; ValueError: a header's fields that make no sense)
NOT_INFLATED = (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, RuntimeError,
                *NOT_DEFLATE)


def _why_not_inflated(exc: BaseException) -> str:
    """What zipfile or the inflater said of a member it could not give, in the clerk's words
    (their own texts are English and name zlib's internals)."""
    text = str(exc)
    if isinstance(exc, EOFError):
        return "dữ liệu nén bị cắt cụt giữa chừng"
    if "CRC" in text:
        return "mã kiểm tra CRC-32 của dữ liệu giải nén không khớp"
    if isinstance(exc, NotImplementedError):
        return "tệp được nén theo một kiểu MotCua không đọc được"
    if isinstance(exc, RuntimeError):  # zipfile: "File … is encrypted, password required"
        return "tệp được đặt mật khẩu"
    if isinstance(exc, zipfile.BadZipFile):
        return "phần đầu của tệp trong tệp nén hỏng"
    return "luồng dữ liệu nén (deflate) sai, có thể hỏng khi sao chép"


def damaged(path: Path, name: str, exc: BaseException) -> InputError:
    """A member the package holds that does not inflate (a CRC-32 that does not match, a
    stream cut short, an invalid block): the package is damaged, said with the member's name,
    never zlib's or zipfile's own text."""
    return InputError(f"Gói {path.name} bị hỏng: tệp {name} trong gói không giải nén được "
                      f"({_why_not_inflated(exc)}). Hãy chép lại gói từ máy gửi; nếu vẫn vậy, "
                      "xin máy gửi xuất lại gói. Chưa ghi gì vào cơ sở dữ liệu.")
