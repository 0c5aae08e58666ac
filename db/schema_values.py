"""The values a column of the schema may hold (its CHECKs) and the indicators' sum columns: what
the screens and rules offer, and what the migrations (db.schema_v1_v7, db.schema_v8_on) write
into their CHECK constraints. Re-exported by db.schema."""
from __future__ import annotations

CHANNELS = ("direct", "postal", "online")
STATUSES = ("received", "processing", "supplement", "done", "returned", "rejected",
            "withdrawn", "stopped")
LIMIT_UNITS = ("working_days", "working_hours", "calendar_days", "same_day")
ONLINE_LEVELS = ("full", "partial", "none")
UNIT_LEVELS_V1 = ("province", "district", "commune", "department", "centre")
# Two-tier local government (from 1/7/2025): the provincial centre's branches and its reception
# points join the levels (spec 7).
UNIT_LEVELS = UNIT_LEVELS_V1 + ("branch", "reception_point")
DOCUMENT_FORMS = ("original", "copy", "certified_copy")
RESULT_DELIVERIES = ("desk", "post", "online")
PAYMENT_METHODS = ("online", "transfer", "cash", "postal")
RATINGS = ("very_satisfied", "satisfied", "neutral", "dissatisfied")
CALENDAR_KINDS = ("holiday", "workday")


def sql_in(values: tuple[str, ...]) -> str:
    """A CHECK's list of values: ('a', 'b')."""
    return "(" + ", ".join(f"'{v}'" for v in values) + ")"


# Version 2: storage for fast indicators. Each dossier carries its computed due time and the
# facts the indicators need (classification under each policy, overdue spans); kpi_daily sums
# those facts per unit and day. Both are derived data: `kpi_stale` asks core to rebuild them.
KPI_COLUMNS_V2 = (
    "recv_online", "recv_direct_postal", "closed",
    "online_full", "online_eligible", "fee_dossiers", "paid_online",
    "withdrawn", "votes", "satisfied",
) + tuple(f"{kind}_{variant}" for variant in ("po", "pe", "ro", "re")
          for kind in ("early", "on_time", "late", "od_start", "od_end"))
# Added by KPI_766 (spec 5.1, core.scorecard766): closed not late under 766 (finish day), the
# spans of open dossiers late under 766, 766-online and digitised (reception day), electronic
# result and complained (finish day of a resolved dossier).
KPI_COLUMNS_766 = ("i_ok", "i_od_start", "i_od_end", "i_online", "i_digitised", "i_eresult",
                   "i_complained")
KPI_COLUMNS = KPI_COLUMNS_V2 + KPI_COLUMNS_766

# Version 3: the clerk's invitations to the satisfaction kiosk (core.kiosk). The kiosk may run as
# its own process, so the hand-off lives in the database; the kiosk polls the pending row of its
# unit every second (db.schema_v1_v7 V3's partial index).
INVITATION_STATES = ("pending", "voted", "replaced", "cancelled")
# Schema 9 (db.schema_v8_on ACCOUNTS): an account's roles; schema 10: how a complaint came in
ROLES = ("clerk", "leader", "admin")
COMPLAINT_CHANNELS = ("direct", "phone", "written", "online", "email")
