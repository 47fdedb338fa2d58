"""Uploaded images re-encoded before they are stored: an agency's logo, a release's photos.

An upload is hostile until decoded: it may be empty, huge, not an image at all, a truncated
file, or a decompression bomb (a 50 KB PNG can claim 50,000 x 50,000 pixels and gigabytes of
memory); a phone photo also carries EXIF (the GPS position of the officer's house, the camera's
serial). :func:`reencode` checks the cheap things first and decodes last:

1. empty, or more bytes than allowed: refused unread;
2. the header alone: a format outside the allowed ones, or more pixels than allowed, is
   refused before a pixel is decoded (Pillow's own bomb guard is a last line behind it);
3. ``verify()`` reads the file through without decoding: a truncated or corrupt one fails;
4. decoded, turned upright from its EXIF orientation, shrunk to the longest side allowed and
   saved again as a new file: no EXIF, no text chunks, nothing of the original bytes survives.

Each caller keeps its own limits (:class:`ImageLimits`) and says why in its own words: a refusal
is an :class:`ImageRefused` naming its :class:`Refusal`.

>>> import io
>>> from PIL import Image
>>> raw = io.BytesIO()
>>> Image.new("RGB", (800, 200)).save(raw, "PNG")
>>> small = reencode(raw.getvalue(), ImageLimits(10_000, 1_000_000, 400), "RGB", "PNG")
>>> (small.width, small.height)
(400, 100)
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

__all__ = ["CleanImage", "ImageLimits", "ImageRefused", "Refusal", "reencode"]


@dataclass(frozen=True)
class ImageLimits:
    """What one kind of upload may be: bytes read, pixels decoded, longest side kept, formats."""

    max_bytes: int
    max_pixels: int
    max_side: int
    #: Formats accepted, as Pillow names them; empty for any format Pillow reads.
    formats: tuple[str, ...] = ()


class Refusal(StrEnum):
    """Why an upload was refused, for the caller to say in its own words."""

    EMPTY = "empty"
    TOO_MANY_BYTES = "too_many_bytes"
    FORMAT = "format"
    TOO_MANY_PIXELS = "too_many_pixels"
    UNREADABLE = "unreadable"


class ImageRefused(ValueError):
    """An upload that is not a usable image: the refusal, and what was read before it."""

    def __init__(
        self,
        refusal: Refusal,
        *,
        kind: str | None = None,
        size: tuple[int, int] | None = None,
        detail: str = "",
    ) -> None:
        super().__init__(f"{refusal}: {detail or kind or size or ''}")
        self.refusal = refusal
        #: The format Pillow saw in the header, when it saw one.
        self.kind = kind
        #: (width, height) the header claimed, when it was read.
        self.size = size
        #: Pillow's own words, for an unreadable file.
        self.detail = detail


@dataclass(frozen=True)
class CleanImage:
    """The stored form of an upload: the new file's bytes and its size in pixels."""

    data: bytes
    width: int
    height: int


def reencode(raw: bytes, limits: ImageLimits, mode: str, fmt: str, **save: Any) -> CleanImage:
    """``raw`` checked against ``limits``, upright, shrunk, converted to ``mode`` and saved as
    ``fmt`` (with Pillow's ``save`` options); :class:`ImageRefused` says why it cannot be."""
    # imported here: the letterhead and agency code that import this module rarely see an upload
    from PIL import Image, ImageOps, UnidentifiedImageError

    if not raw:
        raise ImageRefused(Refusal.EMPTY)
    if len(raw) > limits.max_bytes:
        raise ImageRefused(Refusal.TOO_MANY_BYTES)
    try:
        with warnings.catch_warnings():
            # Pillow warns (and only above twice its limit, raises) on a bomb: refuse at once
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                kind, size = probe.format, probe.size
                if limits.formats and kind not in limits.formats:
                    raise ImageRefused(Refusal.FORMAT, kind=kind, size=size)
                if size[0] * size[1] > limits.max_pixels:
                    raise ImageRefused(Refusal.TOO_MANY_PIXELS, kind=kind, size=size)
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image) or image
                clean = upright.convert(mode)
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise ImageRefused(Refusal.TOO_MANY_PIXELS, detail=str(exc)) from None
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:  # SyntaxError: a bad PNG chunk
        raise ImageRefused(Refusal.UNREADABLE, detail=str(exc)) from None
    clean.thumbnail((limits.max_side, limits.max_side))
    out = io.BytesIO()
    clean.save(out, fmt, **save)  # a new file: no exif= given, so none is carried over
    return CleanImage(out.getvalue(), clean.width, clean.height)
