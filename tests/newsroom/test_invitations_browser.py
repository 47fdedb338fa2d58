"""A press conference as people click it, in headless Chromium: the officer finds the media pages
from the navigation, composes the invitation and sends it to a list; the journalist answers from
the link in the mail (real SMTP) on a phone, without an account; the attendee list shows it."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from pantau.alerts.channels import load_channel
from pantau.alerts.outbox import deliver_due
from pantau.store.types import utcnow
from tests.alerts.receivers import SMTPServer
from tests.alerts.support import mail_env
from tests.conftest import LiveServer, browser_login
from tests.newsroom.test_invitations import PLACE, SPEAKER, TOPIC, media_list
from tests.newsroom.test_newsroom_browser import PHONE

pytestmark = pytest.mark.browser


def test_officer_invites_a_list_and_a_journalist_answers_from_the_mail(
    tmp_path: Path, seeded_db_file: Path, browser
) -> None:
    with SMTPServer(tmp_path) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp)
        media_list(env, ("Ani", "ani@kaltimpost.test"))
        errors: list[str] = []
        with LiveServer(env.app) as server:
            officer = browser.new_context().new_page()
            officer.on("pageerror", lambda e: errors.append(str(e)))
            browser_login(officer, server.url, "rina")
            officer.click("nav >> a[href='/kelola-media']")
            officer.click("#events-link")
            starts = (utcnow() + timedelta(days=3)).astimezone(ZoneInfo(env.settings.timezone))
            officer.fill("#e-headline", "Konferensi Pers Penanganan Banjir Sempaja")
            officer.fill("#e-topic", TOPIC)
            officer.fill("#e-starts", starts.strftime("%Y-%m-%dT%H:%M"))
            officer.fill("#e-place", PLACE)
            officer.fill("#e-speakers", SPEAKER)
            officer.click("#event-form button[type=submit]")
            officer.wait_for_url(re.compile(r".*/kelola-media/undangan/\d+$"))
            assert "UNDANGAN PELIPUTAN" in officer.locator("#invitation-text").inner_text()
            officer.click("#invite")
            officer.wait_for_selector("#invitation-queued")
            assert officer.locator("#invitation-queued").inner_text().endswith("1")
            event_url = officer.url.split("?")[0]

            channels = {"email": load_channel("email", env.settings)}
            assert deliver_due(env.db, channels, env.settings).sent == 1
            [mail] = smtp.box.messages
            link = re.search(r"/rilis/undangan/\S+", mail.get_content())
            assert link is not None

            journalist = browser.new_context(viewport=PHONE).new_page()  # no account
            journalist.on("pageerror", lambda e: errors.append(str(e)))
            journalist.goto(server.url + link.group(0))
            assert TOPIC in journalist.locator("main").inner_text()
            journalist.check("#answer-wakil")
            journalist.fill("#delegate", "Budi Santoso")
            journalist.click("#rsvp-send")
            journalist.wait_for_selector("#rsvp-done")
            overflow = journalist.evaluate("document.documentElement.scrollWidth - innerWidth")
            assert overflow <= 0, f"{overflow}px of horizontal overflow at 390px"

            officer.goto(event_url)
            assert officer.locator("#count-wakil").inner_text() == "1"
            assert "Budi Santoso" in officer.locator("#attendee-table").inner_text()
        assert errors == []
        env.db.dispose()
