"""SP4N-LAPOR! complaint exports into the ``complaint`` channel.

The LAPOR! admin dashboard exports a table of reports (CSV, comma or semicolon separated). Its
column titles vary between versions and instances, so each field accepts the names seen in the
wild. Reporters' names and contact details are deliberately not imported: a complaint's content
is what officers act on, and LAPOR! protects reporters' identities (anonymous/confidential
reports). Times without a zone are read as WIB, the national system's clock.
"""

from __future__ import annotations

import logging
from typing import Any

from pantau.ingest.connector import RecordError
from pantau.ingest.exports import Converted, ExportConnector, get_date, get_str
from pantau.records import MentionIn

__all__ = ["COLUMNS", "LaporConnector"]

logger = logging.getLogger(__name__)

#: Accepted column titles per field (compared case-insensitively, spaces and dots ignored).
COLUMNS: dict[str, tuple[str, ...]] = {
    "ticket": (
        "nomor tiket",
        "no tiket",
        "no. tiket",
        "tracking id",
        "id laporan",
        "nomor laporan",
    ),
    "date": ("tanggal laporan", "tanggal", "waktu laporan", "tanggal dibuat"),
    "title": ("judul laporan", "judul"),
    "text": ("isi laporan", "isi", "laporan", "uraian"),
    "category": ("kategori", "kategori laporan", "topik"),
    "agency": ("instansi tujuan", "instansi", "instansi terdisposisi", "disposisi"),
    "status": ("status", "status laporan"),
    "region": ("lokasi", "kabupaten/kota", "wilayah"),
}
_LAPOR_TZ = "Asia/Jakarta"


def _key(title: str) -> str:
    return " ".join(title.lower().replace(".", " ").split())


def _pick(row: dict[str, str], field: str, *, required: bool) -> str | None:
    names = {_key(n) for n in COLUMNS[field]}
    for column, _value in row.items():
        if _key(column) in names:
            return get_str(row, column, required=required)
    if required:
        raise RecordError(f"kolom tidak ditemukan (salah satu dari {COLUMNS[field]})", field)
    return None


class LaporConnector(ExportConnector):
    """``--format lapor``: SP4N-LAPOR! report exports."""

    name = "lapor"
    channel = "complaint"
    reader = "csv"

    def convert(self, record: Any) -> Converted:
        """One report row as a complaint mention."""
        if not isinstance(record, dict):
            raise RecordError("baris laporan harus berupa baris tabel")
        ticket = _pick(record, "ticket", required=True)
        date_column = next(
            (c for c in record if _key(c) in {_key(n) for n in COLUMNS["date"]}), "tanggal"
        )
        yield MentionIn(
            external_id=str(ticket),
            text=str(_pick(record, "text", required=True)),
            title=_pick(record, "title", required=False),
            channel="complaint",
            platform="lapor",
            url=f"https://www.lapor.go.id/laporan/detil/{ticket}",
            published_at=get_date(record, date_column, required=True, default_tz=_LAPOR_TZ),
            extra={
                "category": _pick(record, "category", required=False),
                "agency": _pick(record, "agency", required=False),
                "status": _pick(record, "status", required=False),
                "location": _pick(record, "region", required=False),
            },
        )
