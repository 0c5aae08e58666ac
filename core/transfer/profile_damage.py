"""A saved profile damaged outside MotCua (a hand-edited or restored database: a required
field's column emptied, one column given to two fields) is refused by its name when it is
used by its name (the command line's --profile NAME: import, export, reconcile), not used
as it is (the window shows its columns to be chosen again and saved): the header search then asked for
the columns "MaHoSo, MaTTHC, KenhThucHien, ChuHoSo, , TrangThaiHoSo", an empty name among them.
A field this program no longer has is left out, as the mapping step leaves it out."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.errors import InputError

if TYPE_CHECKING:
    from core.transfer.profiles import Profile


def whole(profile: Profile) -> Profile:
    """`profile` when its columns pass the checks of a profile saved now; InputError naming it
    and what is wrong otherwise."""
    from core.transfer.profiles import FIELDS, check_columns
    try:
        check_columns({f: c for f, c in profile.columns.items() if f in FIELDS})
    except InputError as exc:
        raise InputError(f"Mẫu cột '{profile.name}' đã lưu bị hỏng (có lẽ bị sửa ngoài MotCua): "
                         f"{exc} Hãy chọn lại cột và lưu lại mẫu ấy, hoặc xoá nó (profile "
                         "delete).") from None
    return profile
