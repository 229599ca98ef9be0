"""Write vbaProject.bin (MS-OVBA) from VBA sources, in pure Python: no Excel needed.

``compression`` is the MS-OVBA 2.4.1 codec, ``cfb`` the compound-file container and
``project`` puts the streams of a VBA project together (see :func:`build_vba_project`).
"""

from pohon_xl.excel.vba.cfb import CfbError, build_compound_file
from pohon_xl.excel.vba.compression import CompressionError, compress, decompress
from pohon_xl.excel.vba.project import (
    STANDARD_REFERENCES,
    ModuleType,
    Reference,
    SysKind,
    VbaModule,
    VbaProjectError,
    build_vba_project,
    module_stream_text,
)

__all__ = [
    "CfbError",
    "CompressionError",
    "ModuleType",
    "Reference",
    "STANDARD_REFERENCES",
    "SysKind",
    "VbaModule",
    "VbaProjectError",
    "build_compound_file",
    "build_vba_project",
    "compress",
    "decompress",
    "module_stream_text",
]
