"""Reports stage: the dashboard's figures, daily and weekly reports, charts and data exports.

- :mod:`~pantau.reports.filters`, :mod:`~pantau.reports.overview`,
  :mod:`~pantau.reports.issue_view`: what the overview and the issue page show;
- :mod:`~pantau.reports.documents`, :mod:`~pantau.reports.charts`,
  :mod:`~pantau.reports.render`, :mod:`~pantau.reports.docx_writer`: the daily "Laporan
  Monitoring Media" and the weekly "Isu Aktual" as HTML, PDF and DOCX;
- :mod:`~pantau.reports.export`: CSV and JSON Lines exports streamed with flat memory;
- :mod:`~pantau.reports.delivery`: subscriptions and sending the due reports by e-mail.
"""

from __future__ import annotations

from pantau.reports.documents import Report, daily_report, weekly_report
from pantau.reports.export import export_lines
from pantau.reports.filters import DashFilter
from pantau.reports.issue_view import IssueDetail, issue_detail
from pantau.reports.overview import Overview, overview
from pantau.reports.render import render_report

__all__ = [
    "DashFilter",
    "IssueDetail",
    "Overview",
    "Report",
    "daily_report",
    "export_lines",
    "issue_detail",
    "overview",
    "render_report",
    "weekly_report",
]
