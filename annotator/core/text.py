"""Import normalisation, exactly as the text/offset contract says
(docs/adr/0004-text-normalised-once.md).

decode (UTF-8, a UTF-8 BOM stripped; a UTF-16/32 BOM selects that codec; Windows-1252 only as
an explicit fallback that is reported) -> CRLF and lone CR to LF -> Unicode NFC. NUL bytes and
lone surrogates are rejected. Nothing else changes: boilerplate and the headline stay.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from annotator.core import limits
from annotator.core.errors import TextDecodeError

#: Larger files are refused (see :mod:`annotator.core.limits`).
MAX_FILE_BYTES = limits.MAX_FILE_BYTES

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with UTF-16's.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 controls other than tab, line feed, form feed and carriage return, plus DEL.
_CONTROL = re.compile("[\x01-\x08\x0b\x0e-\x1f\x7f]")
#: The same characters as bytes: each is one byte of its own value in UTF-8 (never part of a
#: longer sequence) and in Windows-1252. This table maps them to 0, every other byte to 1.
_CONTROL_BYTES = bytes(0 if _CONTROL.match(chr(byte)) else 1 for byte in range(256))


@dataclass(frozen=True, slots=True)
class DecodedText:
    text: str
    encoding: str
    #: Human-readable notes about anything that was not plain UTF-8 (a fallback codec).
    warnings: tuple[str, ...] = ()


def normalise(text: str, *, path: str | None = None, line: int | None = None) -> str:
    """Normalise text that is already a ``str`` (from JSON or CSV): line breaks, then NFC."""
    if "\x00" in text:
        raise TextDecodeError("contains a NUL character", path=path, line=line)
    try:
        # Encoding is the fast check (C speed); only a failure pays for finding the position.
        text.encode("utf-8")
    except UnicodeEncodeError:
        match = _LONE_SURROGATE.search(text)
        assert match is not None
        raise TextDecodeError(
            f"contains a lone surrogate U+{ord(match.group()):04X} at character {match.start()}",
            path=path,
            line=line,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def decode(
    data: bytes,
    *,
    path: str | None = None,
    allow_cp1252: bool = True,
    max_bytes: int = MAX_FILE_BYTES,
) -> DecodedText:
    """Decode a file's bytes and normalise them. Raises :class:`TextDecodeError`."""
    if len(data) > max_bytes:
        raise TextDecodeError(
            f"file is {len(data) / 1_048_576:.1f} MB; the limit is "
            f"{max_bytes / 1_048_576:.0f} MB per file (split it, or import it as JSONL)",
            path=path,
        )
    encoding = "utf-8"
    body = data
    for bom, codec in _BOMS:
        if data.startswith(bom):
            encoding, body = codec, data[len(bom) :]
            break
    warnings: list[str] = []
    if encoding == "utf-8" and b"\x00" in body:
        # UTF-8 text never holds NUL bytes; a file that does is binary or BOM-less UTF-16.
        raise TextDecodeError(
            "contains NUL bytes: a binary file, or UTF-16/32 without a byte-order mark",
            path=path,
        )
    try:
        text = body.decode(encoding, errors="strict")
    except UnicodeDecodeError as exc:
        if encoding != "utf-8" or not allow_cp1252:
            raise TextDecodeError(
                f"is not valid {encoding}: byte 0x{body[exc.start]:02x} at offset {exc.start}",
                path=path,
            ) from exc
        try:
            text = body.decode("cp1252", errors="strict")
        except UnicodeDecodeError:
            raise TextDecodeError(
                f"is neither UTF-8 nor Windows-1252: byte 0x{body[exc.start]:02x} at offset "
                f"{exc.start} is invalid in both",
                path=path,
            ) from exc
        encoding = "cp1252"
        warnings.append(
            f"not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start}); "
            "decoded as Windows-1252"
        )
    except UnicodeError as exc:  # e.g. an odd number of bytes after a UTF-16 BOM
        raise TextDecodeError(f"is not valid {encoding}: {exc}", path=path) from exc
    if encoding in ("utf-8", "cp1252"):
        # Counted on the bytes, in C: a regex over the text cost more than reading the file.
        controls = body.translate(_CONTROL_BYTES).count(0)
    else:
        controls = len(_CONTROL.findall(text))
    if controls and controls * 100 > len(text):
        raise TextDecodeError(
            f"looks binary: {controls} control characters in {len(text)} characters", path=path
        )
    return DecodedText(text=normalise(text, path=path), encoding=encoding, warnings=tuple(warnings))
