"""What an upload is, from its content, not its name: a text table, a PX file, JSON-stat, an .xlsx workbook,
or none of these."""

import zipfile
from typing import BinaryIO

from stats.importing.decode import decode_bytes
from stats.importing.jsonstat import is_json
from stats.importing.px import is_px
from stats.importing.workbook import OLE_MAGIC, ZIP_MAGIC

TEXT, WORKBOOK, PX, JSON = "text", "workbook", "px", "json"
SUFFIXES = {".csv": TEXT, ".tsv": TEXT, ".txt": TEXT, ".xlsx": WORKBOOK, ".px": PX, ".json": JSON}
SNIFF_BYTES = 65536
# Files that are surely no table, whatever their name: PDF, images, executables, archives, old .xls.
_BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"MZ", b"\x7fELF", b"\x1f\x8b", b"Rar!",
                      b"7z\xbc\xaf", OLE_MAGIC)
_WORKBOOK_PARTS = ("[Content_Types].xml", "xl/workbook.xml")


def _zip_members(file: BinaryIO) -> list[zipfile.ZipInfo] | None:
    try:
        with zipfile.ZipFile(file) as archive:
            return archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def unpacked_size(file: BinaryIO) -> int | None:
    """What a zip declares its members unpack to (read from its directory, nothing unpacked); None if no zip.
    Leaves the file at its start."""
    try:
        infos = _zip_members(file)
        return None if infos is None else sum(info.file_size for info in infos)
    finally:
        file.seek(0)


def _workbook(file: BinaryIO, max_unpacked: int) -> bool:
    """A zip holding the parts of an .xlsx workbook, small enough once unpacked (no zip bomb)."""
    infos = _zip_members(file)
    if infos is None:
        return False
    names = {info.filename for info in infos}
    return all(part in names for part in _WORKBOOK_PARTS) and sum(i.file_size for i in infos) <= max_unpacked


def kind_of_name(name: str) -> str | None:
    """The kind a file name promises, by its suffix; None for a suffix that is not accepted."""
    return next((kind for suffix, kind in SUFFIXES.items() if name.lower().endswith(suffix)), None)


def upload_kind(file: BinaryIO, *, max_unpacked: int) -> str | None:
    """TEXT, PX, JSON, WORKBOOK, or None for anything else. Leaves the file at its start."""
    try:
        head = file.read(SNIFF_BYTES)
        if head.startswith(ZIP_MAGIC):
            return WORKBOOK if _workbook(file, max_unpacked) else None
        if head.startswith(_BINARY_SIGNATURES):
            return None
        # Cut at an even length, so that a UTF-16 head does not end inside a character.
        if decode_bytes(head[: len(head) - len(head) % 2]) is None:
            return None
        return PX if is_px(head) else JSON if is_json(head) else TEXT
    finally:
        file.seek(0)
