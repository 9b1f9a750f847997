"""Bytes to text: encoding detection, binary rejection, double-encoding repair, line endings."""

import codecs
import re
from dataclasses import dataclass

_CONTROL = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# UTF-8 read as Windows-1252 turns "ä" into "Ã¤", a no-break space into "Â\xa0", "−" into "âˆ’".
_CP1252_HIGH = "\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e" \
    "\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
MOJIBAKE = re.compile(f"[\u00c2\u00c3][\u0080-\u00bf{_CP1252_HIGH}]|\u00e2\u20ac|\u00e2\u02c6")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    repaired_lines: int


def is_binary(data: bytes) -> bool:
    """Text files never contain NUL; a few other control bytes are tolerated, many are not."""
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 200)


def _utf16_encoding(data: bytes) -> str | None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = data[:400]
    if len(sample) >= 4 and sample[1::2].count(0) > 0.9 * len(sample[1::2]) and sample[1] == 0:
        return "utf-16-le"
    if len(sample) >= 4 and sample[0::2].count(0) > 0.9 * len(sample[0::2]) and sample[0] == 0:
        return "utf-16-be"
    return None


def _decode_single_byte(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return data.decode("latin-1"), "latin-1"


def decode_bytes(data: bytes) -> tuple[str, str] | None:
    """Return (text, encoding), or None for binary data."""
    utf16 = _utf16_encoding(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            return None
    if is_binary(data):
        return None
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    try:
        return body.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode_single_byte(body)


def repair_mojibake(text: str) -> str:
    """Undo one round of UTF-8-read-as-Windows-1252; unchanged when that is not what happened."""
    for encoding in ("cp1252", "latin-1"):
        try:
            return text.encode(encoding).decode("utf-8")
        except UnicodeError:
            continue
    return text


def may_hold_mojibake(text: str) -> bool:
    """Substring tests are far faster than the regex on a 50 MB file, and almost always say no."""
    return "\u00c3" in text or "\u00c2" in text or "\u00e2" in text


def _repair_lines(text: str) -> tuple[str, int]:
    lines = text.split("\n")
    repaired = 0
    for index, line in enumerate(lines):
        if MOJIBAKE.search(line):
            fixed = repair_mojibake(line)
            if fixed != line:
                lines[index] = fixed
                repaired += 1
    return "\n".join(lines), repaired


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def decode(data: bytes) -> Decoded | None:
    decoded = decode_bytes(data)
    if decoded is None:
        return None
    text, encoding = decoded
    text = normalise_newlines(text.lstrip("\ufeff"))
    repaired = 0
    if may_hold_mojibake(text):
        text, repaired = _repair_lines(text)
    return Decoded(text, encoding, repaired)
