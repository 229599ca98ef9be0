"""pohon-xl: performance cascading (penjenjangan kinerja) in Excel workbooks."""

__version__ = "0.1.0"
__all__ = ["__version__"]
