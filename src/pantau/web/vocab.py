"""Words that templates translate from data (channels, stages, roles...), marked for extraction.

``pybabel extract`` cannot see ``_(issue.stage)``; listing the values here puts them in the
catalogs, and a test checks every one has an Indonesian translation.
"""

from __future__ import annotations

__all__ = ["VOCABULARY"]


def _(message: str) -> str:
    return message


VOCABULARY: tuple[str, ...] = (
    # channels
    _("news"),
    _("social"),
    _("complaint"),
    _("official"),
    # lifecycle stages
    _("potential"),
    _("emerging"),
    _("current"),
    _("crisis"),
    _("dormant"),
    # workflow statuses
    _("baru"),
    _("ditelaah"),
    _("ditangani"),
    _("dipantau"),
    _("selesai"),
    # issue-management steps of the action log
    _("identifikasi"),
    _("analisis"),
    _("opsi_strategi"),
    _("aksi"),
    _("evaluasi"),
    # document review statuses (writing desk)
    _("draf"),
    _("ditinjau"),
    _("disetujui"),
    _("diterbitkan"),
    # style-check severities
    _("error"),
    _("warning"),
    _("info"),
    # roles
    _("admin"),
    _("koordinator"),
    _("analis"),
    _("pimpinan"),
    # sentiment
    _("positive"),
    _("neutral"),
    _("negative"),
    # source health
    _("ok"),
    _("unknown"),
    _("silent"),
    _("failing"),
    _("low"),
    # risk components
    _("volume"),
    _("growth"),
    _("negativity"),
    _("reach"),
    _("engagement"),
    _("influencers"),
    _("coordination"),
    _("crossover"),
    _("complaints"),
    _("sensitive"),
    _("regions"),
)
