"""Security: headers on every response, redirects that stay on the site, odd ids are 404s, CSRF on
every form, rate limits, hostile text (RTL marks, 10 kB strings) shown as text, and a command line
that never passes terminal escapes from the data to the screen."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest

from planner import storage
from planner.catalogue import DEFAULT_PATH
from planner.cli import cli
from planner.web import create_app

ROOT = Path(__file__).resolve().parent.parent
PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
}
RTL = "\u202eevil.exe\u202c gnp."
LONG = "Ж" * 5000 + "<script>alert(1)</script>" + "x" * 5000  # over 10 kB in UTF-8
HOSTILE = f'"><img src=x onerror=alert(1)> `${{alert(2)}}` \\ {RTL} {LONG}'


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.forms: list[dict] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "img":
            self.parts.append("<IMG-ELEMENT>")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def _scripts(page: str) -> str:
    return "\n".join(re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.DOTALL))


# -- headers --


@pytest.mark.parametrize(
    "url", ["/", "/attractions", "/crossing", "/plan", "/api/v1/attractions", "/nope", "/api/x"]
)
def test_every_response_carries_the_security_headers(client, url):
    response = client.get(url)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # plain http: no HSTS


def test_the_inline_map_script_has_this_requests_nonce(client):
    response = client.get("/attractions")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
    page = response.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", page)
    assert inline and all(f'nonce="{nonce}"' in attrs for attrs in inline)


def test_hsts_only_over_https_unless_configured(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://"})
    client = app.test_client()
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=")
    off = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://", "HSTS": "off"}
    )
    assert (
        "Strict-Transport-Security" not in off.test_client().get("/", base_url="https://x").headers
    )


def _set_cookies(response) -> dict[str, str]:
    return {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}


def test_cookies_are_samesite_lax_and_secure_over_https_or_when_configured():
    app = create_app({"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://"})
    plain = _set_cookies(app.test_client().get("/plan?lang=ru"))
    assert "SameSite=Lax" in plain["session"] and "Secure" not in plain["session"]
    assert "SameSite=Lax" in plain["lang"] and "Secure" not in plain["lang"]
    https = _set_cookies(app.test_client().get("/plan?lang=ru", base_url="https://localhost"))
    assert all("Secure" in https[k] and "SameSite=Lax" in https[k] for k in ("session", "lang"))
    always = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://", "SECURE_COOKIES": "on"}
    )
    behind = _set_cookies(always.test_client().get("/plan?lang=zh"))
    assert all("Secure" in behind[k] for k in ("session", "lang"))


def test_behind_a_proxy_https_is_seen_from_x_forwarded_proto():
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": "sqlite://", "PROXIES": 1}
    )
    response = app.test_client().get("/", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" in response.headers


# -- redirects and ids --


@pytest.mark.parametrize(
    "path", ["//evil.example/", "//", "//evil.example/attractions", "/static//evil.example", "///x"]
)
def test_a_double_slash_path_never_redirects_to_the_host_header(client, path):
    response = client.get(
        "/", environ_overrides={"PATH_INFO": path}, headers={"Host": "evil.example"}
    )
    location = response.headers.get("Location", "")
    assert response.status_code < 500
    assert "evil.example" not in location and not location.startswith("//")


def test_redirect_after_creating_a_plan_is_a_path_on_this_site(client):
    token = re.search(
        r'name="csrf_token" value="([^"]+)"', client.get("/plan").get_data(as_text=True)
    )
    response = client.post(
        "/plan",
        data={
            "csrf_token": token.group(1),
            "arrive_date": "2027-07-10",
            "arrive_time": "09:00",
            "depart_date": "2027-07-11",
            "depart_time": "18:00",
            "stay_first": "heihe",
            "nationality": "CN",
            "pace": "normal",
            "lang": "en",
            "transport_heihe": ["walk"],
            "transport_blagoveshchensk": ["walk"],
        },
    )
    assert response.status_code == 302, visible(response.get_data(as_text=True))[-300:]
    assert response.headers["Location"].startswith("/plans/")


@pytest.mark.parametrize(
    "odd", ["a/b", "../../etc/passwd", "a\\b", "%00", "a;b", "\u202e", "x" * 300]
)
@pytest.mark.parametrize(
    "prefix", ["/attractions/", "/plans/", "/api/v1/attractions/", "/api/v1/plans/"]
)
def test_ids_with_slashes_or_odd_characters_are_404(client, prefix, odd):
    response = client.get(prefix + quote(odd, safe=""))
    assert response.status_code == 404
    if prefix.startswith("/api/"):
        assert response.get_json()["ok"] is False


def test_edit_tokens_are_compared_in_constant_time(monkeypatch, tmp_path):
    calls = []
    real = storage.hmac.compare_digest
    monkeypatch.setattr(storage.hmac, "compare_digest", lambda a, b: calls.append(1) or real(a, b))
    store = storage.open_store(f"sqlite:///{tmp_path / 't.sqlite3'}")
    plan, token = store.create("t", {}, {})
    assert store.token_matches(plan.id, token) and not store.token_matches(plan.id, "wrong")
    assert len(calls) == 2


# -- CSRF ------------------------------------------------------------------------------------------


def test_every_post_form_in_the_templates_carries_a_csrf_token():
    templates = list((ROOT / "templates").rglob("*.html"))
    assert any(
        re.search(r'<form\b[^>]*method="post"', t.read_text(encoding="utf-8"), re.IGNORECASE)
        for t in templates
    ), "the templates have POST forms to check"
    for template in templates:
        text = template.read_text(encoding="utf-8")
        for form in re.findall(r"<form\b[^>]*>.*?</form>", text, flags=re.DOTALL | re.IGNORECASE):
            if re.search(r'method="post"', form, re.IGNORECASE):
                assert "csrf_token()" in form, f"{template.name}: a POST form without CSRF"


def test_every_form_post_route_refuses_a_request_without_csrf_token(app):
    client = app.test_client()
    form_posts = [
        r
        for r in app.url_map.iter_rules()
        if "POST" in r.methods and not r.rule.startswith("/api/")
    ]
    assert len(form_posts) >= 2, "form POST routes to check"
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<int:\w+>", "1", rule.rule)
        path = re.sub(r"<\w+>", "x", path)
        app.config["WTF_CSRF_ENABLED"] = True
        response = client.post(path, data={"title": "x"})
        assert response.status_code == 400, rule.rule


# -- rate limits --


@pytest.fixture()
def limited(tmp_path, limit_store):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'l.sqlite3'}",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": limit_store,
            "RATELIMIT_PLAN_CREATE": "2 per minute",
            "PLAN_TIME_LIMIT": 60,
            "WTF_CSRF_ENABLED": False,
        }
    )
    return app.test_client()


def test_plan_creation_over_the_limit_is_a_429_in_the_envelope(limited):
    statuses = [limited.post("/api/v1/plans", json=PLAN).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    response = limited.post("/api/v1/plans", json=PLAN)
    body = response.get_json()
    assert body["ok"] is False and body["status"] == 429 and "too many requests" in body["error"]
    assert int(response.headers["Retry-After"]) > 0


def test_form_submissions_over_the_limit_get_a_429_page(limited):
    statuses = [limited.post("/plan", data={}).status_code for _ in range(3)]
    assert statuses[:2] == [400, 400] and statuses[2] == 429
    page = limited.post("/plan", data={})
    assert "Too many requests" in visible(page.get_data(as_text=True))


def test_pdf_downloads_and_address_lookups_over_their_limits_are_429(tmp_path, limit_store):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": limit_store,
            "RATELIMIT_PDF": "2 per minute",
            "RATELIMIT_GEOCODE": "2 per minute",
            "PLAN_TIME_LIMIT": 60,
        }
    )
    client = app.test_client()
    plan_id = client.post("/api/v1/plans", json=PLAN).get_json()["plan"]["id"]
    pdf = f"/plans/{plan_id}.pdf"
    # Each render counts (one per language here); the cached file is served without cost.
    assert client.head(f"{pdf}?lang=zh").status_code == 200
    assert [client.get(f"{pdf}?lang=zh").status_code for _ in range(3)] == [200] * 3
    assert client.get(f"{pdf}?lang=ru").status_code == 200
    assert client.head(f"{pdf}?lang=en").status_code == 429
    assert client.get(f"{pdf}?lang=en").status_code == 429
    lookups = [client.get("/api/v1/geocode?q=Lenin+street").status_code for _ in range(3)]
    assert lookups[2] == 429 and lookups[:2] != [429, 429]


def test_reading_is_not_limited(limited):
    assert all(limited.get("/api/v1/attractions").status_code == 200 for _ in range(5))


def test_rate_limits_are_off_in_tests_by_default(client):
    assert all(client.post("/api/v1/plans", json={}).status_code == 400 for _ in range(15))


# -- hostile text --


@pytest.fixture()
def hostile(tmp_path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    feature = next(f for f in data["features"] if f["properties"]["kind"] == "attraction")
    props = feature["properties"]
    for field in ("name:en", "name:zh", "name:ru", "address"):
        props[field] = f"{field} {HOSTILE}"
    props["note"] = {lang: f"note {HOSTILE}" for lang in ("zh", "ru", "en")}
    props["name"] = props["name:zh"] if props["city"] == "heihe" else props["name:ru"]
    path = tmp_path / "hostile.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "CATALOGUE_PATH": str(path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'h.sqlite3'}",
        }
    )
    return app.test_client(), props["id"]


@pytest.mark.parametrize("url", ["/attractions?lang=en", "/attractions/{id}?lang=en"])
def test_rtl_marks_and_10kb_names_are_text_on_pages_and_in_map_popups(hostile, url):
    client, place = hostile
    response = client.get(url.format(id=place))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = visible(page)
    assert f"name:en {HOSTILE}" in text  # every character shown, in order, none dropped
    assert "<IMG-ELEMENT>" not in text and "<img src=x" not in page
    scripts = _scripts(page)
    assert "<img src=x" not in scripts and "<script>alert(1)" not in scripts
    assert "`${alert(2)}`" not in scripts  # the template literal stays closed
    assert "\u202e" in text  # the mark is kept as a character of the text, not removed


def test_rtl_marks_and_long_text_in_a_plan_title_and_notes_are_text(client):
    body = {**PLAN, "title": f'"><img onerror=1> {RTL} `${{x}}`', "notes": HOSTILE[:4900]}
    created = client.post("/api/v1/plans", json=body)
    assert created.status_code == 201, created.get_json()
    plan_id = created.get_json()["plan"]["id"]
    page = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    text = visible(page)
    # bidi overrides are removed on the way in (they would reorder the text beside them)
    title, notes = (body[k].replace("\u202e", "").replace("\u202c", "") for k in ("title", "notes"))
    assert title in text and notes in text
    assert "<img onerror" not in page and "<img src=x" not in page
    assert client.get(f"/api/v1/plans/{plan_id}").get_json()["plan"]["title"] == title


# -- the command line --

ESCAPES = "\x1b[31mRED\x1b[0m \x1b]0;pwned\x07 \x9b2J \u202eabc"


def _escaped_catalogue(tmp_path: Path) -> tuple[Path, str]:
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    feature = next(
        f
        for f in data["features"]
        if f["properties"]["kind"] == "attraction" and f["properties"]["city"] == "heihe"
    )
    for field in ("name:en", "name:zh", "name:ru", "name"):
        feature["properties"][field] = f"Catalogue {ESCAPES} name"
    path = tmp_path / "escapes.geojson"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path, feature["properties"]["id"]


def _assert_clean(output: str) -> None:
    for bad in ("\x1b", "\x9b", "\x07", "\u202e"):
        assert bad not in output, repr(bad)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_plan_command_strips_terminal_escapes_from_catalogue_names(runner, tmp_path, fmt):
    path, place = _escaped_catalogue(tmp_path)
    args = [
        "plan",
        "--arrive",
        "2027-07-10T09:00+08:00",
        "--depart",
        "2027-07-11T18:00+08:00",
        "--stay",
        "heihe",
        "--must-see",
        place,
        "--format",
        fmt,
    ]
    result = runner.invoke(cli, args, env={"PLANNER_CATALOGUE_PATH": str(path)})
    assert result.exit_code == 0, result.output
    _assert_clean(result.output)
    if fmt == "text":
        assert "Catalogue [31mRED[0m" not in result.output
        assert "Catalogue RED" in result.output
    else:
        assert "\\u009b" in result.output or "Catalogue" in result.output
        json.loads(result.output)  # still valid JSON


def test_check_data_strips_terminal_escapes_from_problems(runner, tmp_path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["features"][0]["properties"]["id"] = "bad\x1b[2J\x1b]0;x\x07id"
    data["features"][0]["properties"]["visit_minutes"] = "\x1b[31mlong"
    path = tmp_path / "bad.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = runner.invoke(cli, ["check-data", "--catalogue", str(path)])
    assert result.exit_code != 0
    assert "problem" in result.output
    _assert_clean(result.output)
    assert "Traceback" not in result.output


def test_terminal_text_keeps_newlines_tabs_and_ordinary_text():
    from planner.textsafe import terminal_json, terminal_text

    assert terminal_text("a\tb\nc Ж 黑河") == "a\tb\nc Ж 黑河"
    assert terminal_text("\x1b[1;31mbold\x1b[0m\r\n") == "bold\n"
    assert terminal_text("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\") == "link"
    assert json.loads(terminal_json(json.dumps({"a": "\x9b\u202e"}, ensure_ascii=False))) == {
        "a": "\x9b\u202e"
    }


def test_the_form_and_the_api_draw_on_one_plan_creation_bucket(limited):
    """RATELIMIT_PLAN_CREATE is 2 a minute: one by the API and one by the form use it up."""
    assert limited.post("/api/v1/plans", json=PLAN).status_code == 201
    assert limited.post("/plan", data={}).status_code == 400  # counted, though refused
    assert limited.post("/api/v1/plans", json=PLAN).status_code == 429
    assert limited.post("/plan", data={}).status_code == 429


BATCH_HEADER = "title,arrive,depart,stay\n"
BATCH_ROW = "G,2027-07-10T09:00+08:00,2027-07-11T18:00+08:00,harbin\n"  # refused fast: no solver


def _batch(client, rows: int):
    import io

    text = BATCH_HEADER + BATCH_ROW * rows
    return client.post(
        "/agency/batch",
        data={"file": (io.BytesIO(text.encode()), "g.csv")},
        content_type="multipart/form-data",
    )


def test_a_batch_spends_one_plan_creation_per_row(tmp_path, limit_store):
    """5 rows × 5 uploads a minute was 250 plans a minute: now each row counts as a plan."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'b.sqlite3'}",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": limit_store,
            "RATELIMIT_PLAN_CREATE": "10 per minute",
            "WTF_CSRF_ENABLED": False,
            "PLAN_TIME_LIMIT": 0.05,
        }
    )
    client = app.test_client()
    assert _batch(client, 6).status_code == 302
    refused = _batch(client, 5)  # 6 + 5 > 10
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "split the file" in visible(refused.get_data(as_text=True))
    assert _batch(client, 4).status_code == 302  # exactly the 10
    assert client.post("/api/v1/plans", json=PLAN).status_code == 429  # the API's bucket too
