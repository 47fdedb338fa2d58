"""Media relations: consent-only contacts, a list, a release sent through the outbox by real
SMTP (aiosmtpd with STARTTLS), and the unsubscribe link in the mail."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pantau.alerts.channels import load_channel
from pantau.alerts.outbox import deliver_due
from pantau.newsroom import PublishError
from pantau.newsroom.media import add_contact, add_member, create_list, send_release
from tests.alerts.receivers import SMTPServer
from tests.alerts.support import mail_env
from tests.newsroom.fixtures import principal, published_release


def test_release_mailed_to_consenting_contacts_with_a_working_unsubscribe(
    tmp_path: Path, seeded_db_file: Path
) -> None:
    with SMTPServer(tmp_path) as smtp:
        env = mail_env(tmp_path, seeded_db_file, smtp)
        release = published_release(env)
        with env.db.writer() as s:
            rina = principal(s, "rina")
            with pytest.raises(PublishError) as refused:
                add_contact(
                    s,
                    rina,
                    rina.agency_id,
                    name="Tanpa Izin",
                    outlet="X",
                    email="x@x.id",
                    consent=False,
                )
            assert refused.value.field == "consent"
            ani = add_contact(
                s,
                rina,
                rina.agency_id,
                name="Ani",
                outlet="Kaltim Post",
                email="ani@kaltimpost.test",
                consent=True,
                beat="pemerintahan",
            )
            eko = add_contact(
                s,
                rina,
                rina.agency_id,
                name="Eko",
                outlet="Tribun",
                email="eko@tribun.test",
                consent=True,
            )
            media_list = create_list(s, rina, rina.agency_id, "Media Samarinda")
            add_member(s, rina, media_list.id, ani.id)
            add_member(s, rina, media_list.id, eko.id)
            koord = principal(s, "koord")
            assert send_release(s, koord, release.id, media_list.id, env.settings) == 2
            assert send_release(s, koord, release.id, media_list.id, env.settings) == 0
        report = deliver_due(env.db, {"email": load_channel("email", env.settings)}, env.settings)
        assert report.sent == 2 and smtp.box.tls == [True, True]
        mails = {m["To"]: m for m in smtp.box.messages}
        body = mails["ani@kaltimpost.test"].get_content()
        assert release.title in body and f"/rilis/{release.slug}" in body
        link = re.search(r"/rilis/berhenti/\S+", body)
        assert link is not None
        client = env.client()
        assert 'id="unsubscribe"' in client.get(link.group(0)).text  # a scanner's GET does nothing
        assert 'id="unsubscribed"' in client.post(link.group(0)).text
        assert client.post("/rilis/berhenti/palsu").status_code == 404
        second = published_release(env, headline="Pemkot Samarinda Tambah Dua Posko Banjir")
        with env.db.writer() as s:
            assert (
                send_release(s, principal(s, "koord"), second.id, media_list.id, env.settings) == 1
            )
        env.db.dispose()
