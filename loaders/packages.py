"""Office files (.docx, .xlsx) are zip packages of XML parts. Before any XML parser sees one, its directory is
checked: a part that unpacks past :data:`MAX_UNPACKED` bytes or far past its packed size (a zip bomb), and a part
that declares a DOCTYPE or entities (which Office never writes; nested entities are how a tiny file asks a parser
for gigabytes) are refused with a clear error, so only ordinary packages reach python-docx and openpyxl.
"""
from __future__ import annotations

import io
import zipfile

from govgraph.loaders import LoadError, Source

MAX_UNPACKED = 200 * 1024 * 1024  # all parts together, unpacked
MAX_RATIO = 200  # unpacked bytes per packed byte, beyond which a part is a bomb, not a document
DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")


def check_package(source: Source) -> None:
    """:raises LoadError: the package is not a zip, unpacks too large, or declares XML entities."""
    try:
        package = zipfile.ZipFile(io.BytesIO(source.data))
    except zipfile.BadZipFile:
        return  # not a package: the reader says what it is
    with package:
        members = package.infolist()
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED:
            raise LoadError(source.path, f"the package unpacks to {total // (1024 * 1024):,} MB; the limit is "
                                         f"{MAX_UNPACKED // (1024 * 1024)} MB")
        for member in members:
            if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(member.compress_size, 1):
                raise LoadError(source.path, f"part {member.filename} unpacks to {member.file_size:,} bytes from "
                                             f"{member.compress_size:,} (a zip bomb, not a document)")
            if member.filename.endswith((".xml", ".rels")):
                with package.open(member) as part:
                    head = part.read(64 * 1024)
                if any(d in head for d in DECLARATIONS):
                    raise LoadError(source.path, f"part {member.filename} declares a DOCTYPE or XML entities, "
                                                 "which Office files never do; it was not read")
