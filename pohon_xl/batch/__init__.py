"""Batch mode: an inbox of workbooks (files, .zip, .eml) -> returned workbooks, reply
e-mails and the consolidated workbook of the whole body (``pohon-xl batch``)."""

from pohon_xl.batch.cross import CATALOGUE, cross_check
from pohon_xl.batch.inbox import Inbox, InboxItem, Limits, collect
from pohon_xl.batch.run import BatchResult, FileResult, run_batch

__all__ = [
    "CATALOGUE",
    "BatchResult",
    "FileResult",
    "Inbox",
    "InboxItem",
    "Limits",
    "collect",
    "cross_check",
    "run_batch",
]
