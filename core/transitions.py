"""The dossier's lifecycle as a table (spec 3): which action leads from which statuses to which,
the actions that need a reason, and why an action cannot be taken now (the window keeps every
action in its place and says this on the disabled ones). The writing of each transition stays
in core.dossiers, which names these again for its callers."""
from __future__ import annotations

from core.labels import STATUS_VI
from core.moment import OPEN

# action -> (statuses it may start from, status it leads to, Vietnamese name of the action)
TRANSITIONS = {
    "start_processing": (("received",), "processing", "chuyển xử lý"),
    "request_supplement": (("received", "processing"), "supplement", "yêu cầu bổ sung"),
    "receive_supplement": (("supplement",), "processing", "nhận hồ sơ bổ sung"),
    "finish": (("received", "processing"), "done", "hoàn thành xử lý"),
    "return_result": (("done",), "returned", "trả kết quả"),
    "reject": (OPEN, "rejected", "từ chối giải quyết"),
    "withdraw": (OPEN, "withdrawn", "rút hồ sơ"),
    "stop": (OPEN, "stopped", "dừng xử lý"),
}
NEEDS_REASON = ("reject", "withdraw", "stop", "request_supplement")



def allowed_actions(status: str) -> list[str]:
    """Transitions allowed from `status`, plus extension while open (the window enables these)."""
    actions = [name for name, (sources, _, _) in TRANSITIONS.items() if status in sources]
    if status in OPEN:
        actions.append("extend")
    return actions


def unavailable_reason(status: str, action: str, *, extended: bool = False) -> str | None:
    """Why `action` cannot be taken now on a dossier in `status`, or None when it can (the
    window keeps every action in its place and says this on the disabled ones)."""
    sources: tuple[str, ...]
    if action == "extend":
        if extended:
            return "Hồ sơ đã được gia hạn; chỉ được hẹn lại một lần."
        sources = OPEN
        name = "gia hạn"
    else:
        sources, _, name = TRANSITIONS[action]
    if status in sources:
        return None
    allowed = " hoặc ".join(f"“{STATUS_VI[s]}”" for s in sources)
    return f"Hồ sơ đang ở trạng thái “{STATUS_VI[status]}”: chỉ {name} khi hồ sơ {allowed}."
