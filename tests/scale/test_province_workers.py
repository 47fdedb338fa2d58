"""Two ``pantau run`` workers on one PostgreSQL store share two provinces, one each; one of them
is SIGKILLed while a stream is pushed, the other takes its province over, and when it comes back
the provinces are shared again. Every mention is clustered exactly once: none lost, none
doubled, in either province."""

from __future__ import annotations

import re
import signal
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from pantau.store import Database, Issue, Mention, Source
from tests.scale.streams import store
from tests.scale.test_two_runners import T0, Worker, settled_counts, start_workers, wait_for

#: Each province's source, its code, and what it says (naming no place: the source decides).
SOURCES = {"kaltim": "64", "kalsel": "63"}
TOPICS = [
    "banjir merendam rumah warga sejak subuh nomor {i}",
    "jalan poros rusak berlubang truk terguling lagi nomor {i}",
    "harga cabai di pasar naik lagi emak emak pusing nomor {i}",
]
#: Mentions pushed per province, in chunks, while the workers run (one killed a third in).
PER_PROVINCE, CHUNK = 600, 30
KILL_AT = PER_PROVINCE // 3 // CHUNK * CHUNK
CLAIM = re.compile(r"proses (\d+) (memegang|melepas|kehilangan) pengelompokan (\d\d)\b")
#: Longest wait for the workers to settle their shares (each starts in seconds, then at most a
#: few rounds of PANTAU_FLOW_MAX_LAG_SECONDS).
SHARE_S = 90


def provinces(worker: Worker) -> set[str]:
    """The provinces ``worker`` holds now, by its log of claims and releases."""
    held: set[str] = set()
    for line in list(worker.log):
        m = CLAIM.search(line)
        if m and int(m.group(1)) == worker.proc.pid:
            (held.add if m.group(2) == "memegang" else held.discard)(m.group(3))
    return held


def push(db: Database, start: int, count: int) -> None:
    """One push request per province: ``count`` mentions each."""
    for name in SOURCES:
        rows = range(start, start + count)
        store(
            db,
            name,
            (
                (f"{name}-{i}", TOPICS[i % 3].format(i=i), T0 + timedelta(seconds=20 * i), f"a{i}")
                for i in rows
            ),
        )


def one_each(workers: list[Worker]) -> bool:
    shares = [provinces(w) for w in workers]
    return all(len(p) == 1 for p in shares) and set().union(*shares) == set(SOURCES.values())


@pytest.mark.slow
@pytest.mark.postgres
def test_a_killed_workers_province_is_taken_over_and_each_mention_clustered_once(
    pg_server_url: str, tmp_path: Path
) -> None:
    db, env = start_workers(pg_server_url, tmp_path)
    with db.writer() as s:
        for name, province in SOURCES.items():
            s.add(Source(name=name, kind="mapping", channel="social", province=province))
    workers = [Worker(env), Worker(env)]
    try:
        wait_for(lambda: one_each(workers), SHARE_S, "each worker to own one province")
        for start in range(0, PER_PROVINCE, CHUNK):
            push(db, start, CHUNK)
            time.sleep(0.1)
            if start == KILL_AT:
                # the text stage's owner: it hands over the text stage and its province
                victim = next(w for w in workers if w.owns())
                taken = provinces(victim)
                victim.proc.send_signal(signal.SIGKILL)
                victim.proc.wait()
                survivor = next(w for w in workers if w is not victim)
                wait_for(
                    lambda: provinces(survivor) == set(SOURCES.values()),
                    SHARE_S,
                    f"the survivor to take province {taken} over",
                )
                workers = [survivor, Worker(env)]  # the killed one, restarted
        wait_for(lambda: one_each(workers), SHARE_S, "the provinces to be shared again")
        mentions, placed, counted = settled_counts(db)
        total = PER_PROVINCE * len(SOURCES)
        assert mentions == placed == total  # none lost
        assert counted == total  # none clustered twice
        with db.session() as s:
            for province in SOURCES.values():
                of = Mention.tenant == province
                assert s.scalar(select(func.count()).where(of)) == PER_PROVINCE
                sized = s.scalar(
                    select(func.sum(Issue.size)).where(
                        Issue.tenant == province, Issue.merged_into_id.is_(None)
                    )
                )
                assert sized == PER_PROVINCE  # each province's issues count its own, once
    except BaseException:
        for w in workers:
            print("".join(w.log[-40:]), sep="\n----\n")
        raise
    finally:
        for w in workers:
            w.stop()
        db.dispose()
