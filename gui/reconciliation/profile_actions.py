"""The mapping panel's profile buttons: save the columns chosen as a named profile, rename,
delete, and share one as a file between offices (core.transfer.profiles decides; a name
taken is asked about). Split from gui.reconciliation.mapping to keep it under 400 lines."""
from __future__ import annotations

from core.errors import InputError, MotCuaError
from core.paths import file_name_part
from core.transfer.profiles import (
    NAME_MAX,
    ProfileTaken,
    adopt_profile,
    delete_profile,
    get_profile,
    read_profile_file,
    rename_profile,
    save_profile,
    taken_name,
    write_profile_file,
)
from gui import file_dialogs, ops, widgets


class ProfileActions:
    """Mixed into MappingPanel: it has `db`, `profiles` (the combo box), `columns()`,
    `chosen_row` and `reload_profiles()`."""

    def save_profile(self) -> None:
        self._save_as("")

    def _save_as(self, typed: str) -> None:
        """Ask a name and save; a name refused (the built-in's, too long…) is said under this
        step's title and asked again with the name typed, to correct rather than retype."""
        name = widgets.ask_text(self, "Lưu mẫu cột", "Tên mẫu cột (ví dụ: iGate Lạng Sơn):",
                                text=typed, limit=NAME_MAX)
        if not name:
            return
        columns, row = self.columns(), self.chosen_row
        taken = taken_name(self.db, name)
        if taken is not None and not widgets.confirm(
                self, "Lưu mẫu cột", f"Đã có mẫu cột '{taken}'. Thay các cột của mẫu đó bằng "
                "các cột đang chọn?", yes="Thay", no="Không thay"):
            return
        refused: list[InputError] = []
        op = ops.Op(self, lambda db: save_profile(db, name, columns, row), ops.SETTINGS,
                    doing="lưu mẫu cột")
        op.failure(lambda exc: refused.append(exc) if isinstance(exc, InputError)
                   else op.show(exc))
        if op.run(self.db):
            self.reload_profiles(name.strip())
        elif refused:
            widgets.warn(self, "Lưu mẫu cột", str(refused[0]))
            self._save_as(name)

    def rename_profile(self) -> None:
        old = self.profiles.currentData()
        name = widgets.ask_text(self, "Đổi tên mẫu cột", f"Tên mới của mẫu cột '{old}':",
                                text=old, limit=NAME_MAX)
        if not name or name.strip() == old:
            return
        op = ops.Op(self, lambda db: rename_profile(db, old, name), ops.SETTINGS,
                    doing="đổi tên mẫu cột")
        if op.run(self.db):
            self.reload_profiles(name.strip())

    def export_profile(self) -> None:
        profile = get_profile(self.db, self.profiles.currentData())
        path = file_dialogs.save_path(self, "Xuất mẫu cột ra tệp",
                                      f"mau_cot_{file_name_part(profile.name)}.json",
                                      "Mẫu cột (*.json)")
        if not path:
            return
        try:
            write_profile_file(profile, path)
        except MotCuaError as exc:
            widgets.warn(self, "Xuất mẫu cột", str(exc))
            return
        widgets.inform(self, "Xuất mẫu cột", f"Đã xuất mẫu cột '{profile.name}' ra tệp {path} "
                       f"({len(profile.columns)} cột).")

    def import_profile(self) -> None:
        path = file_dialogs.open_file_name(self, "Nhập mẫu cột từ tệp", "", "Mẫu cột (*.json)")
        if not path:
            return
        try:
            read = read_profile_file(path)
        except MotCuaError as exc:
            widgets.warn(self, "Nhập mẫu cột", str(exc))
            return
        name = widgets.ask_text(self, "Nhập mẫu cột", "Tên của mẫu cột trên máy này:",
                                text=read.name, limit=NAME_MAX)
        if not name or not name.strip():
            return
        done = self._adopt(read, name, replace=False)
        if done is None:
            return
        profile, how = done
        said = {"same": "đã có đúng các cột này; không đổi gì",
                "replaced": "đã được thay", "new": "đã được nhập"}[how]
        widgets.inform(self, "Nhập mẫu cột", f"Mẫu cột '{profile.name}' {said}.")
        self.reload_profiles(profile.name)

    def _adopt(self, read, name: str, replace: bool):
        """core.transfer.profiles.adopt_profile decides; a name taken by other columns is asked
        about (ProfileTaken) and tried again replacing. (profile, how) or None."""
        taken: list[ProfileTaken] = []
        op = ops.Op(self, lambda db: adopt_profile(db, read, name, replace=replace),
                    ops.SETTINGS, doing="nhận mẫu cột")
        op.failure(lambda exc: taken.append(exc) if isinstance(exc, ProfileTaken)
                   else op.show(exc))
        if op.run(self.db):
            return op.result
        if taken and widgets.confirm(self, "Nhập mẫu cột", f"Đã có mẫu cột '{taken[0].taken}' "
                                     "với các cột khác. Thay các cột của mẫu đó bằng mẫu "
                                     "trong tệp?", yes="Thay", no="Không thay"):
            return self._adopt(read, name, replace=True)
        return None

    def delete_profile(self) -> None:
        name = self.profiles.currentData()
        if not widgets.confirm(self, "Xóa mẫu cột",
                               f"Xóa mẫu cột '{name}'? Các tệp sau sẽ phải chọn lại cột cho "
                               "từng trường hoặc dùng mẫu khác.", yes="Xóa", no="Không xóa"):
            return
        op = ops.Op(self, lambda db: delete_profile(db, name), ops.SETTINGS,
                    doing="xoá mẫu cột")
        if op.run(self.db):
            self.reload_profiles()
