"""Release photos: re-encoded on upload so that what the public gets is small and says nothing
it should not.

A phone photo carries EXIF (the GPS position of the officer's house, the camera's serial) and
weighs megabytes. Every upload is decoded with Pillow, turned upright from its EXIF orientation,
shrunk to :data:`MAX_SIDE` pixels and saved again as a JPEG without any metadata (see
:mod:`pantau.writing.images`, which re-encodes agency logos the same way); the original bytes
are never stored. Anything Pillow cannot read as an image is refused with a reason.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from pantau.newsroom.publish import PublishError
from pantau.newsroom.releases import PUBLISHED
from pantau.store.newsroom_models import Release, ReleasePhoto
from pantau.store.types import utcnow
from pantau.writing.images import ImageLimits, ImageRefused, Refusal, reencode

__all__ = [
    "MAX_SIDE",
    "MAX_UPLOAD_BYTES",
    "add_photo",
    "clean_image",
    "photo_bytes",
    "photo_ids",
]

#: Longest side of a stored photo: sharp on a phone and in a 1200 px social-media preview.
MAX_SIDE = 1600
#: Largest upload read (a 12-megapixel phone JPEG is 3-6 MB).
MAX_UPLOAD_BYTES = 15 * 1024 * 1024
#: Most pixels decoded: refuses decompression bombs well above any camera's output.
MAX_PIXELS = 60_000_000
#: JPEG quality: no visible loss at the stored size, about a fifth of the original's bytes.
JPEG_QUALITY = 85
_PHOTO_LIMITS = ImageLimits(MAX_UPLOAD_BYTES, MAX_PIXELS, MAX_SIDE)


def clean_image(raw: bytes) -> tuple[bytes, int, int]:
    """(JPEG bytes without metadata, width, height) of an uploaded image; :class:`PublishError`
    when it is too large or not an image."""
    try:
        clean = reencode(raw, _PHOTO_LIMITS, "RGB", "JPEG", quality=JPEG_QUALITY, optimize=True)
    except ImageRefused as refused:
        if refused.refusal is Refusal.TOO_MANY_BYTES:
            message = f"Foto terlalu besar (maksimal {MAX_UPLOAD_BYTES // 2**20} MB)."
        elif refused.refusal is Refusal.TOO_MANY_PIXELS:
            message = "Resolusi foto terlalu besar."
        else:
            message = f"Berkas bukan gambar yang dapat dibaca: {refused.detail or 'kosong'}"
        raise PublishError("photo", message) from None
    return clean.data, clean.width, clean.height


def add_photo(s: Session, release_id: int, raw: bytes, alt: str) -> int:
    """Store a cleaned photo of a release; the alt text (for screen readers) is required."""
    alt = " ".join(alt.split())[:300]
    if not alt:
        raise PublishError("photo_alt", "Tuliskan keterangan foto (teks alternatif).")
    data, width, height = clean_image(raw)
    photo = ReleasePhoto(release_id=release_id, data=data, width=width, height=height, alt=alt)
    s.add(photo)
    s.flush()
    return photo.id


def photo_ids(s: Session, release_id: int) -> list[tuple[int, str, int, int]]:
    """(id, alt, width, height) of a release's photos, in upload order."""
    rows = s.execute(
        select(ReleasePhoto.id, ReleasePhoto.alt, ReleasePhoto.width, ReleasePhoto.height)
        .where(ReleasePhoto.release_id == release_id)
        .order_by(ReleasePhoto.id)
    )
    return [(i, a, w, h) for i, a, w, h in rows]


def photo_bytes(s: Session, photo_id: int, now: datetime | None = None) -> bytes | None:
    """The JPEG of a photo whose release is visible now, or ``None``."""
    return s.scalar(
        select(ReleasePhoto.data)
        .join(Release, Release.id == ReleasePhoto.release_id)
        .where(
            ReleasePhoto.id == photo_id,
            Release.state == PUBLISHED,
            Release.published_at <= (now or utcnow()),
        )
    )
