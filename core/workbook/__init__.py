"""Workbooks people read in a spreadsheet program (issue 19): Vietnamese headers and labels, real
date and number cells, frozen header, autofilter, printable. The interchange .xlsx of spec 7 stays
in core.transfer (English codes, dates as text) for import/export round trips."""
