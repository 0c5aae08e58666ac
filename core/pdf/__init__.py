"""Official PDF documents (Decree 30/2020 layout): the monthly report, the register, the slips.

Every builder returns PDF bytes and takes `draft`: the preview shows the draft (a diagonal
"BẢN NHÁP"), saving and printing use the real one.
"""
