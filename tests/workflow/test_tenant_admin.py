"""Administering several provinces: an agency's province through the API and the network file,
and a provincial administrator who can place agencies and users in its own province only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from pantau.store import Agency
from pantau.store.seed import seed_province
from pantau.workflow.network_file import dump_network, load_network, read_network
from pantau.workflow.users import create_user
from tests.conftest import PASSWORD, AppEnv


@pytest.fixture
def env(tmp_path: Path, seeded_db_file: Path):  # type: ignore[no-untyped-def]
    e = AppEnv(tmp_path, seeded_db_file)
    with e.db.writer() as s:
        seed_province(s, "63")
        kaltim = s.scalar(
            select(Agency.id).where(Agency.short_name == "Diskominfo Prov. Kalimantan Timur")
        )
        create_user(s, username="admin.kaltim", password=PASSWORD, role="admin", agency_id=kaltim)
    yield e
    e.db.dispose()


def _api(env: AppEnv, username: str) -> Any:
    client = env.client()
    assert env.login(client, username).status_code == 303
    token = env.csrf(client)

    def call(method: str, path: str, body: Any = None) -> Any:
        return client.request(method, "/api/v1" + path, json=body, headers={"X-CSRF-Token": token})

    return call


def test_agencies_take_their_province_and_a_provincial_admin_stays_in_its_own(env) -> None:  # type: ignore[no-untyped-def]
    national, kaltim = _api(env, "admin"), _api(env, "admin.kaltim")
    bnpb = national(
        "POST", "/agencies", {"name": "BNPB", "level": "vertikal", "province": "nasional"}
    )
    assert bnpb.status_code == 201 and bnpb.json()["province"] == "nasional"
    kalsel = national(
        "POST", "/agencies", {"name": "BPBD Kalsel", "level": "opd", "province": "63"}
    )
    assert kalsel.json()["province"] == "63"
    # an edit that names no province keeps the one the agency has
    edited = national(
        "PUT", f"/agencies/{bnpb.json()['id']}", {"name": "BNPB RI", "level": "vertikal"}
    )
    assert edited.json()["province"] == "nasional"
    by_region = national(
        "POST", "/agencies", {"name": "PDAM Banjar", "level": "bumd", "region_code": "63.03"}
    )
    assert by_region.json()["province"] == "63"

    own = kaltim("POST", "/agencies", {"name": "PUPR Kaltim", "level": "opd"})
    assert own.status_code == 201 and own.json()["province"] == "64"
    for body in (
        {"name": "Dinas Kalsel", "level": "opd", "province": "63"},
        {"name": "Dinas Nasional", "level": "opd", "province": "nasional"},
        {"name": "Dinas Mandat", "level": "opd", "mandate_regions": ["63.71"]},
    ):
        refused = kaltim("POST", "/agencies", body)
        assert refused.status_code == 422, (body, refused.text)
    assert (
        kaltim("PUT", f"/agencies/{kalsel.json()['id']}", {"name": "x", "level": "opd"}).status_code
        == 404
    )
    listed = {a["name"] for a in kaltim("GET", "/agencies").json()}
    assert "PUPR Kaltim" in listed and "BPBD Kalsel" not in listed
    # users: of its own province's agencies only, never national ones
    user = {"username": "sari", "password": "kata-sandi-panjang-1", "role": "koordinator"}
    assert kaltim("POST", "/users", user).status_code == 422
    assert kaltim("POST", "/users", {**user, "agency_id": bnpb.json()["id"]}).status_code == 422
    assert kaltim("POST", "/users", {**user, "agency_id": kalsel.json()["id"]}).status_code == 422
    assert kaltim("POST", "/users", {**user, "agency_id": own.json()["id"]}).status_code == 201
    admins = {u["username"] for u in kaltim("GET", "/users").json()}
    assert "sari" in admins and "admin" not in admins  # the national admin is no province's


def test_the_network_file_names_each_agencys_province(env) -> None:  # type: ignore[no-untyped-def]
    text = """
province: "63"
agencies:
  - {name: BPBD Kalimantan Selatan, short_name: BPBD Kalsel, level: opd}
  - {name: Balai Wilayah Sungai, level: vertikal, province: nasional}
  - {name: PDAM Samarinda, level: bumd, region: "64.72"}
"""
    with env.db.writer() as s:
        load_network(s, read_network(text))
    with env.db.session() as s:
        provinces = dict(
            s.execute(select(Agency.name, Agency.province).where(Agency.level != "kota")).all()
        )
        dumped = {a["name"]: a["province"] for a in read_network(dump_network(s))["agencies"]}
    assert provinces["BPBD Kalimantan Selatan"] == "63"
    assert provinces["Balai Wilayah Sungai"] is None
    assert provinces["PDAM Samarinda"] == "64"  # its region says where, before the file's default
    assert dumped["Balai Wilayah Sungai"] == "nasional" and dumped["PDAM Samarinda"] == "64"


def test_sources_take_their_province_and_national_ones_stay_national(env) -> None:  # type: ignore[no-untyped-def]
    national, kaltim = _api(env, "admin"), _api(env, "admin.kaltim")
    feed = {"kind": "push", "channel": "social"}
    antara = national("POST", "/sources", {**feed, "name": "Antara", "province": "nasional"})
    assert antara.status_code == 201 and antara.json()["province"] == "nasional"
    kalsel = national("POST", "/sources", {**feed, "name": "Radar Banjar", "province": "63"})
    assert kalsel.json()["province"] == "63"
    own = kaltim("POST", "/sources", {**feed, "name": "Kaltim Post"})
    assert own.status_code == 201 and own.json()["province"] == "64"  # its administrator's
    assert kaltim("POST", "/sources", {**feed, "name": "Lain", "province": "63"}).status_code == 422
    # a national source is seen by every province, and administered by national staff only
    listed = {x["name"] for x in kaltim("GET", "/sources").json()}
    assert {"Antara", "Kaltim Post"} <= listed and "Radar Banjar" not in listed
    for source in (antara, kalsel):
        pause = kaltim("PUT", f"/sources/{source.json()['id']}", {"enabled": False})
        assert pause.status_code == 404
    assert kaltim("PUT", f"/sources/{own.json()['id']}", {"enabled": False}).status_code == 200


def test_a_single_province_installation_narrows_nothing(app_env: AppEnv) -> None:
    # everyone of the one province served sees what they always saw: here the national
    # administrator's audit entries, which a provincial scope would leave out
    admin, koord = _api(app_env, "admin"), _api(app_env, "koord")
    assert admin("POST", "/agencies", {"name": "Dinas Uji Coba", "level": "opd"}).status_code == 201
    assert "Dinas Uji Coba" in koord("GET", "/audit").text
    assert "admin" in {u["username"] for u in admin("GET", "/users").json()}


def test_a_provincial_coordinator_makes_alert_endpoints_of_its_own_province(env) -> None:  # type: ignore[no-untyped-def]
    kaltim = _api(env, "admin.kaltim")
    hook = {"name": "grup", "channel": "webhook", "address": "https://hooks.example.go.id/a"}
    # an endpoint of no agency would hear of every province's issues
    assert kaltim("POST", "/alerts/endpoints", hook).status_code == 422
    with env.db.session() as s:
        own, theirs = (
            s.scalar(select(Agency.id).where(Agency.province == p).order_by(Agency.id))
            for p in ("64", "63")
        )
    assert kaltim("POST", "/alerts/endpoints", {**hook, "agency_id": theirs}).status_code == 422
    assert kaltim("POST", "/alerts/endpoints", {**hook, "agency_id": own}).status_code == 200
