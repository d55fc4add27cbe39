"""The Host header is not trusted: share links, QR codes and batch files use PLANNER_PUBLIC_URL
or one of the trusted hosts (by default those `make run` serves), never a Host a client sends."""

from __future__ import annotations

import io
import zipfile

import pytest

from planner.web import create_app

PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
}
EVIL = {"Host": "evil.example"}


def _app(tmp_path, **config):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite3'}",
            "PLAN_TIME_LIMIT": 0.05,
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )


def test_a_hostile_host_header_is_refused_by_default(tmp_path):
    client = _app(tmp_path).test_client()
    plan_id = client.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"]
    for path in (f"/plans/{plan_id}", f"/plans/{plan_id}/print", f"/plans/{plan_id}.ics", "/"):
        response = client.get(path, headers=EVIL)
        assert response.status_code == 400, path
        assert "evil.example" not in response.get_data(as_text=True)
    assert client.get(f"/plans/{plan_id}", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def test_share_link_qr_and_exports_use_the_public_url_whatever_the_host(tmp_path):
    app = _app(tmp_path, PUBLIC_URL="https://plan.example.org/", TRUSTED_HOSTS="*")
    client = app.test_client()
    plan_id = client.post("/api/v1/plans", json=PLAN, headers=EVIL).get_json()["plan"]["id"]
    share = f"https://plan.example.org/plans/{plan_id}"
    page = client.get(f"/plans/{plan_id}", headers=EVIL).get_data(as_text=True)
    assert share in page and "evil.example" not in page
    printed = client.get(f"/plans/{plan_id}/print", headers=EVIL).get_data(as_text=True)
    assert share in printed and "evil.example" not in printed
    gpx = client.get(f"/plans/{plan_id}.gpx", headers=EVIL).get_data(as_text=True)
    assert share in gpx and "evil.example" not in gpx


def test_the_qr_code_encodes_the_public_url(tmp_path, monkeypatch):
    from planner import printing

    encoded: list[str] = []
    real = printing.qr_svg
    monkeypatch.setattr(printing, "qr_svg", lambda url: encoded.append(url) or real(url))
    app = _app(tmp_path, PUBLIC_URL="https://plan.example.org", TRUSTED_HOSTS="*")
    client = app.test_client()
    plan_id = client.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"]
    client.get(f"/plans/{plan_id}/print", headers=EVIL)
    assert encoded and all(u.startswith("https://plan.example.org/") for u in encoded)


def test_a_batch_zip_uses_the_public_url_not_the_uploaders_host(tmp_path):
    app = _app(tmp_path, PUBLIC_URL="https://plan.example.org", TRUSTED_HOSTS="*")
    client = app.test_client()
    text = (
        "title,arrive,depart,stay,nationality,visas\n"
        "G,2027-07-10T09:00+08:00,2027-07-11T18:00+08:00,heihe,CN,RU\n"
    )
    response = client.post(
        "/agency/batch",
        data={"file": (io.BytesIO(text.encode()), "g.csv")},
        content_type="multipart/form-data",
        headers=EVIL,
    )
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    job = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    archive = zipfile.ZipFile(io.BytesIO(client.get(job["download"]).data))
    gpx = next(archive.read(n) for n in archive.namelist() if n.endswith(".gpx")).decode()
    assert "https://plan.example.org/plans/" in gpx
    assert all(b"evil.example" not in archive.read(n) for n in archive.namelist())


@pytest.mark.parametrize("url", ["plan.example.org", "ftp://plan.example.org", "https://"])
def test_a_public_url_that_is_not_an_http_url_stops_the_app(tmp_path, url):
    with pytest.raises(RuntimeError, match="PLANNER_PUBLIC_URL"):
        _app(tmp_path, PUBLIC_URL=url)


def test_the_public_urls_host_is_trusted_beside_the_local_ones(tmp_path):
    app = _app(tmp_path, PUBLIC_URL="https://plan.example.org")
    client = app.test_client()
    assert client.get("/", headers={"Host": "plan.example.org"}).status_code == 200
    assert client.get("/").status_code == 200
    assert client.get("/", headers=EVIL).status_code == 400
