"""Adapters between workbooks (files, live Excel) and the pure core."""
