"""The one look of MotCua's readable workbooks: number formats, font, and the Excel date serial.

Number format codes are locale-independent in the file: `#,##0` shows "1.250.000" on a Vietnamese
Windows and "1,250,000" on an English one, which is what a clerk expects of a spreadsheet.
"""
from __future__ import annotations

import datetime as dt

DATE_TIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"
MONEY_FORMAT = '#,##0 "đ"'
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.00%"
# Decree 30/2020 documents are in Times New Roman; the workbook prints next to them.
FONT_NAME = "Times New Roman"
FONT_SIZE = 11

_EPOCH = dt.datetime(1899, 12, 30)


def excel_serial(moment: dt.datetime | dt.date) -> float:
    """The spreadsheet's day number of a moment (1900 date system, as Excel and LibreOffice use).

    Days since 30/12/1899 plus the fraction of the day, rounded to the second so a cell shows
    exactly the minute MotCua recorded."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime(moment.year, moment.month, moment.day)
    delta = moment.replace(tzinfo=None) - _EPOCH
    return round(delta.days + delta.seconds / 86400, 8)
