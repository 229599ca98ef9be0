"""Low-level pieces of the zip patcher: OPC parts, sheets, styles, notes (see ../xlsxpatch.py)."""
