"""The demo, corrected in the browser: the Samarinda flood issue that swallowed the water
utility's complaints is split by the key phrase "pdam", two copies of one chatter post are merged,
a chatter issue is dismissed; then new mentions of each kind arrive through the real pipeline and
go where the coordinator said."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import case, func, select
from typer.testing import CliRunner

from pantau.cli import _load, app
from pantau.flow import Pipeline
from pantau.settings import Settings
from pantau.store import Database, Issue, Mention, Source
from tests.conftest import LiveServer
from tests.workflow.test_browser_corrections import _correct

pytestmark = pytest.mark.browser
PDAM = "air pdam keruh lagi di palaran samarinda, tidak mengalir dari subuh {i}"


class Demo:
    def __init__(self, folder: Path, password: str) -> None:
        from pantau.web.app import create_app

        self.settings = Settings.from_env(
            {},
            database_url=f"sqlite:///{folder / 'demo.db'}",
            data_dir=str(folder),
            secret_key="demo-test-secret-" + "x" * 32,
        )
        self.db = Database(self.settings.database_url)
        self.app = create_app(self.settings, self.db)
        self.password = password

    def issue_of(self, ids: list[int]) -> set[int | None]:
        with self.db.session() as s:
            return set(s.scalars(select(Mention.issue_id).where(Mention.id.in_(ids))))

    def add(self, texts: list[str]) -> list[int]:
        with self.db.writer() as s:
            src = s.scalar(select(Source).where(Source.name == "uji-lanjutan"))
            if src is None:
                src = Source(name="uji-lanjutan", kind="mapping", channel="social")
                s.add(src)
                s.flush()
            last = s.scalar(select(func.max(Mention.published_at)))
            start = s.scalar(select(func.count(Mention.id))) or 0
            ids = []
            for n, text in enumerate(texts, start=1):
                m = Mention(
                    source_id=src.id,
                    external_id=f"lanjut-{start + n}",
                    text=text,
                    channel="social",
                    author=f"warga{start + n}",
                    published_at=last + timedelta(minutes=3 * n),
                )
                s.add(m)
                s.flush()
                ids.append(m.id)
        Pipeline(self.db, self.settings).run_pending()
        return ids


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    folder = tmp_path_factory.mktemp("demo")
    _load()
    done = CliRunner().invoke(
        app,
        ["demo", "--no-serve", "--database", str(folder / "demo.db")],
        env={"PANTAU_DATA_DIR": str(folder), "PANTAU_SECRET_KEY": "demo-test-secret-" + "x" * 32},
    )
    assert done.exit_code == 0, done.output
    password = re.search(r"kata sandi: (\S+)", " ".join(done.output.split()))
    assert password is not None
    d = Demo(folder, password.group(1))
    yield d
    d.db.dispose()


def test_the_demo_flood_is_split_copies_merged_chatter_dismissed(demo: Demo, browser) -> None:  # type: ignore[no-untyped-def]
    with demo.db.session() as s:
        pdam = func.sum(case((func.lower(Mention.text).contains("pdam"), 1), else_=0))
        flood, pdam_posts = s.execute(
            select(Mention.issue_id, pdam)
            .where(Mention.issue_id.is_not(None))
            .group_by(Mention.issue_id)
            .order_by(pdam.desc())
            .limit(1)
        ).one()
        assert pdam_posts >= 10, "the demo's flood issue no longer holds the PDAM complaints"
        copies = s.execute(
            select(Issue.label, func.min(Issue.id), func.max(Issue.id))
            .where(Issue.listed())
            .group_by(Issue.label)
            .having(func.count(Issue.id) > 1)
        ).first()
        assert copies is not None, "the demo has no two copies of one issue any more"
        _, keep, copy = copies
        chatter = s.scalar(select(Issue.id).where(Issue.listed(), Issue.label.ilike("%bola%")))
        assert chatter is not None
        copy_text = s.scalar(select(Mention.text).where(Mention.issue_id == copy))
        chatter_text = s.scalar(select(Mention.text).where(Mention.issue_id == chatter))
    errors: list[str] = []
    with LiveServer(demo.app) as server:
        base = server.url
        page = browser.new_context().new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{base}/login")
        page.fill("#username", "demo")
        page.fill("#password", demo.password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        split = {"phrase": "pdam", "label": "Air PDAM tidak mengalir di Samarinda"}
        water = int(_correct(page, base, flood, "Pisahkan sebutan", split).rsplit("/", 1)[1])
        assert water != flood
        assert _correct(page, base, copy, "Gabungkan ke isu lain", {"into_id": str(keep)}).endswith(
            f"/issues/{keep}"
        )
        _correct(page, base, chatter, "Abaikan sebagai derau", {"reason": "obrolan, bukan isu"})
        page.goto(f"{base}/issues")
        listed = page.locator("table").inner_text()
        assert "Air PDAM tidak mengalir di Samarinda" in listed

    with demo.db.session() as s:
        assert s.scalar(select(func.count()).where(Mention.issue_id == water)) >= pdam_posts
        flood_pdam = s.scalar(
            select(func.count()).where(
                Mention.issue_id == flood, func.lower(Mention.text).contains("pdam")
            )
        )
        assert flood_pdam == 0
    # the stream goes on: each kind goes where people said
    assert demo.issue_of(demo.add([PDAM.format(i=i) for i in range(6)])) == {water}
    assert demo.issue_of(demo.add([f"{copy_text} {i}" for i in range(3)])) <= {keep, None}
    again = demo.add([f"{chatter_text} {i}" for i in range(6)])
    with demo.db.session() as s:
        listed_ids = set(s.scalars(select(Issue.id).where(Issue.listed())))
        assert not (demo.issue_of(again) - {None}) & listed_ids  # dismissed, or no issue at all
        assert s.get(Issue, water).merged_into_id is None
        assert s.get(Issue, copy).merged_into_id == keep
    assert errors == []
