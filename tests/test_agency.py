"""Agencies: branding and group logistics on the plan, the admin token, hostile text as text."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest

from planner.agency import LogoInvalid, check_logo
from planner.request_spec import RequestInvalid, spec_from_json
from planner.web import create_app

PNG = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 20).decode()
HOSTILE = "<script>alert(1)</script>{{ 7*7 }}"
BODY = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-12T18:00+08:00",
    "stay": ["heihe", "blagoveshchensk"],
    "nationality": "CN",
    "visas": ["RU"],
    "party_size": 3,
    "group_tour": True,
    "title": "Group",
    "agency": {"name": HOSTILE, "contact": "+86 456 000", "logo": PNG},
    "group": {
        "passengers": [{"name": "<b>Li</b> Wei", "document_no": "E1"}, {"name": "Wang"}],
        "meeting_point": "heihe-river-port",
        "meeting_minutes_before": 20,
        "guides": {"heihe": {"name": "Zhang", "phone": "+86 1"}},
    },
}


VOID = {"br", "img", "input", "meta", "link", "hr"}


class Page(HTMLParser):
    """Text of each element by class (with its children's text), and attributes of void tags."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.open: list[tuple[str, list[str], int]] = []
        self.texts: dict[str, list[str]] = {}
        self.attrs: dict[str, list[dict]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag in VOID:
            for cls in classes:
                self.attrs.setdefault(cls, []).append(dict(attrs))
            return
        slots = []
        for cls in classes:
            self.texts.setdefault(cls, []).append("")
            slots.append(len(self.texts[cls]) - 1)
        self.open.append((tag, classes, slots))

    def handle_endtag(self, tag):
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data):
        for _tag, classes, slots in self.open:
            for cls, slot in zip(classes, slots, strict=True):
                self.texts[cls][slot] += data

    def text(self, cls: str) -> list[str]:
        return [" ".join(t.split()) for t in self.texts.get(cls, [])]


def _svg(body: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(body.encode()).decode()


def test_a_small_png_and_a_plain_svg_are_accepted():
    assert check_logo(PNG).startswith("data:image/png;base64,")
    plain = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>'
    assert check_logo(_svg(plain)).startswith("data:image/svg+xml")


@pytest.mark.parametrize(
    "logo",
    [
        _svg('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        _svg('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
        _svg(
            '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.example/a.png"/></svg>'
        ),
        _svg('<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>'),
        "data:image/png;base64," + base64.b64encode(b"GIF89a").decode(),
        "https://example.org/logo.png",
        "data:text/html;base64,PHNjcmlwdD4=",
        # animation sets an href after the check; a stylesheet instruction; XHTML inside
        _svg(
            '<svg xmlns="http://www.w3.org/2000/svg"><image href="#a"><set attributeName="href"'
            ' to="http://evil.example/x.png"/></image></svg>'
        ),
        _svg(
            '<svg xmlns="http://www.w3.org/2000/svg"><a><animate attributeName="href"'
            ' values="http://evil.example/"/></a></svg>'
        ),
        _svg(
            '<?xml-stylesheet href="http://evil.example/s.css"?>'
            '<svg xmlns="http://www.w3.org/2000/svg"/>'
        ),
        _svg(
            '<svg xmlns="http://www.w3.org/2000/svg"><img xmlns="http://www.w3.org/1999/xhtml"'
            ' src="http://evil.example/a.png"/></svg>'
        ),
        _svg(
            '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill: image(&quot;'
            'http://evil.example/a.png&quot;)"/></svg>'
        ),
    ],
)
def test_unsafe_or_wrong_logos_are_refused(logo):
    with pytest.raises(LogoInvalid):
        check_logo(logo)


@pytest.mark.parametrize(
    "style",
    [
        '<style>@import url("https://evil.example/x.css")</style>',
        "<style>@import 'https://evil.example/x.css';</style>",
        "<style>rect { fill: url(https://evil.example/p.svg#a) }</style>",
        "<style>rect { background: URL( //evil.example/p.png ) }</style>",
        "<style>@\\69mport 'x.css';</style>",
        "<style>@font-face { src: local(x), url(f.woff) }</style>",
        '<rect style="fill: url(\'https://evil.example/a\')" width="4" height="4"/>',
    ],
)
def test_an_svg_logo_with_external_references_in_its_css_is_refused(style):
    with pytest.raises(LogoInvalid):
        check_logo(_svg(f'<svg xmlns="http://www.w3.org/2000/svg">{style}</svg>'))


def test_an_svg_logo_with_local_css_is_accepted():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg"><style>rect { fill: url(#g); stroke: red }'
        '</style><rect width="4" height="4"/></svg>'
    )
    assert check_logo(_svg(svg)).startswith("data:image/svg+xml")


def test_a_large_logo_is_refused_with_its_limit():
    big = (
        "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 60_000).decode()
    )
    with pytest.raises(RequestInvalid) as info:
        spec_from_json({**BODY, "agency": {"logo": big}})
    assert info.value.errors[0].code in ("logo_too_large", "too_long")


def test_more_passengers_than_the_party_is_a_field_error():
    group = {**BODY["group"], "passengers": [{"name": n} for n in "ABCD"]}
    with pytest.raises(RequestInvalid) as info:
        spec_from_json({**BODY, "group": group})
    assert [e.field for e in info.value.errors] == ["group.passengers"]


def test_group_document_has_meeting_times_before_each_crossing(client):
    made = client.post("/api/v1/plans", json=BODY).get_json()
    assert made["ok"], made
    group = made["plan"]["group"]
    assert [p["name"] for p in group["passengers"]] == ["<b>Li</b> Wei", "Wang"]
    assert group["meeting_point"]["place_id"] == "heihe-river-port"
    assert group["crossings"], "the group changes bank, so it crosses"
    crossing = group["crossings"][0]
    from datetime import datetime

    gap = datetime.fromisoformat(crossing["report_by"]) - datetime.fromisoformat(
        crossing["meet_at"]
    )
    assert gap.total_seconds() == 20 * 60
    assert crossing["guide_before"] == {"name": "Zhang", "phone": "+86 1"}
    assert made["plan"]["agency"]["name"] == HOSTILE


def test_group_report_time_is_earlier_than_a_single_travellers(client):
    alone = {k: v for k, v in BODY.items() if k not in ("agency", "group")}
    # The same way of getting about for both (a tour rides its chartered minibus for 'taxi',
    # which may choose another departure): compare the same departure.
    alone["transport"] = {"heihe": ["walk", "bus"], "blagoveshchensk": ["walk", "bus"]}
    one = client.post("/api/v1/plans", json={**alone, "party_size": 1, "group_tour": False})
    group = client.post("/api/v1/plans", json=alone)
    a = one.get_json()["plan"]["days"][1]["crossings"][0]
    g = group.get_json()["plan"]["days"][1]["crossings"][0]
    assert (a["mode"], a["depart"]) == (g["mode"], g["depart"])
    assert g["report_by"] < a["report_by"]
    assert "group_checkpoint_minutes" in {w["code"] for w in g["warnings"]}


def test_plan_page_shows_hostile_agency_and_passenger_names_as_text(client):
    plan_id = client.post("/api/v1/plans", json=BODY).get_json()["plan"]["id"]
    html = client.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html and "<b>Li</b>" not in html
    page = Page(html)
    assert page.text("agency-name") == [HOSTILE]  # {{ 7*7 }} shown, not evaluated
    assert page.text("passenger") == ["<b>Li</b> Wei · E1", "Wang"]
    assert page.attrs["agency-logo"][0]["src"].startswith("data:image/png;base64,")
    assert page.text("meeting"), "a meeting time before the crossing"


def _csrf(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_plan_form_takes_the_agency_section(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'f.sqlite3'}",
            "TILES": "none",
        }
    )
    client = app.test_client()
    token = _csrf(client, "/plan")
    form = {
        "csrf_token": token,
        "arrive_date": "2027-07-10",
        "arrive_time": "09:00",
        "depart_date": "2027-07-12",
        "depart_time": "18:00",
        "stay_first": "heihe",
        "nationality": "CN",
        "visas": "RU",
        "party_size": "2",
        "group_tour": "on",
        "pace": "normal",
        "transport_heihe": ["walk", "taxi"],
        "transport_blagoveshchensk": ["walk", "taxi"],
        "lang": "en",
        "agency_name": "Amur & Co",
        "passengers": "Ivan Petrov | 1234\nAnna",
        "meeting_point": "Hotel lobby",
        "meeting_minutes_before": "10",
    }
    response = client.post("/plan", data=form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    parsed = Page(page)
    assert parsed.text("agency-name") == ["Amur & Co"]
    assert parsed.text("passenger") == ["Ivan Petrov · 1234", "Anna"]


@pytest.fixture()
def admin_client(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
            "TILES": "none",
            "ADMIN_TOKEN": "s3cret-admin-token-2026",
        }
    )
    return app.test_client()


def test_notices_page_is_disabled_without_an_admin_token(client):
    response = client.get("/agency/notices")
    assert response.status_code == 404
    assert "PLANNER_ADMIN_TOKEN" in response.get_data(as_text=True)


def test_notices_need_the_admin_token(admin_client):
    assert admin_client.get("/agency/notices").status_code == 401
    token = _csrf(admin_client, "/agency/notices")
    wrong = admin_client.post("/agency/login", data={"csrf_token": token, "token": "guess"})
    assert wrong.status_code == 403
    refused = admin_client.post(
        "/agency/notices",
        data={
            "csrf_token": token,
            "start": "2027-02-05",
            "end": "2027-02-08",
            "scope": "all",
            "effect": "suspended",
            "text_en": "closed",
        },
    )
    assert refused.status_code == 401
    assert admin_client.get("/api/v1/notices").get_json()["notices"] == []


def test_admin_publishes_and_withdraws_a_notice(admin_client):
    token = _csrf(admin_client, "/agency/notices")
    ok = admin_client.post(
        "/agency/login", data={"csrf_token": token, "token": "s3cret-admin-token-2026"}
    )
    assert ok.status_code == 302
    made = admin_client.post(
        "/agency/notices",
        data={
            "csrf_token": token,
            "start": "2027-02-05",
            "end": "2027-02-08",
            "scope": "heihe-river-port",
            "effect": "suspended",
            "text_en": HOSTILE,
        },
    )
    assert made.status_code == 302
    notices = admin_client.get("/api/v1/notices").get_json()["notices"]
    assert [(n["scope"], n["texts"]["en"]) for n in notices] == [("heihe-river-port", HOSTILE)]
    page = admin_client.get("/agency/notices").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    bad = admin_client.post(
        "/agency/notices",
        data={
            "csrf_token": token,
            "start": "2027-02-08",
            "end": "2027-02-05",
            "scope": "all",
            "effect": "info",
            "text_en": "x",
        },
    )
    assert bad.status_code == 400
    gone = admin_client.post(
        f"/agency/notices/{notices[0]['id']}/delete", data={"csrf_token": token}
    )
    assert gone.status_code == 302
    assert admin_client.get("/api/v1/notices").get_json()["notices"] == []


def test_notice_forms_need_csrf(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'c.sqlite3'}",
            "TILES": "none",
            "ADMIN_TOKEN": "s3cret-admin-token-2026",
            "WTF_CSRF_ENABLED": True,
        }
    )
    response = app.test_client().post("/agency/login", data={"token": "s3cret-admin-token-2026"})
    assert response.status_code == 400


def test_a_notice_with_an_unknown_effect_or_scope_lists_the_choices_as_the_form_words_them(
    admin_client,
):
    token = _csrf(admin_client, "/agency/notices")
    admin_client.post(
        "/agency/login", data={"csrf_token": token, "token": "s3cret-admin-token-2026"}
    )
    bad = admin_client.post(
        "/agency/notices?lang=ru",
        data={
            "csrf_token": token,
            "start": "2027-02-05",
            "end": "2027-02-08",
            "scope": "nowhere",
            "effect": "bogus",
            "text_en": "x",
        },
    )
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "выберите одно из" in page
    assert "info, suspended" not in page and "all, ship" not in page


BIDI = "\u202e\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\x00\x1b\x07\x7f"


def test_bidi_and_control_characters_in_user_text_are_removed_on_the_way_in(client):
    body = {
        **BODY,
        "title": f"Trip{BIDI}",
        "notes": f"line 1\r\nline 2\t{BIDI}end",
        "agency": {"name": f"ACME{BIDI}", "contact": f"+86{BIDI} 1"},
        "group": {
            "passengers": [{"name": f"Ivan{BIDI}", "document_no": f"AB1234{BIDI}"}],
            "meeting_point": f"Lobby{BIDI}",
            "guides": {"heihe": {"name": f"Zhang{BIDI}", "phone": f"+86{BIDI}"}},
        },
    }
    plan = client.post("/api/v1/plans", json=body).get_json()["plan"]
    spec = client.get(f"/api/v1/plans/{plan['id']}").get_json()["plan"]["request"]
    assert spec["title"] == "Trip" and spec["notes"] == "line 1\nline 2\tend"
    assert spec["agency"]["name"] == "ACME" and spec["agency"]["contact"] == "+86 1"
    assert spec["group"]["passengers"] == [{"name": "Ivan", "document_no": "AB1234"}]
    assert spec["group"]["guides"]["heihe"] == {"name": "Zhang", "phone": "+86"}
    for path in (f"/plans/{plan['id']}", f"/plans/{plan['id']}/print"):
        html = client.get(path).get_data(as_text=True)
        assert not any(c in html for c in BIDI), path
        assert "<bdi>Ivan</bdi>" in html  # and the names are isolated from their neighbours


def test_bidi_characters_in_a_crossing_notice_are_removed(admin_client):
    token = _csrf(admin_client, "/agency/notices")
    admin_client.post(
        "/agency/login", data={"csrf_token": token, "token": "s3cret-admin-token-2026"}
    )
    made = admin_client.post(
        "/agency/notices",
        data={
            "csrf_token": token,
            "start": "2027-02-05",
            "end": "2027-02-08",
            "scope": "all",
            "effect": "info",
            "text_en": f"Ice{BIDI} today",
        },
    )
    assert made.status_code == 302
    notices = admin_client.get("/api/v1/notices").get_json()["notices"]
    assert notices[0]["texts"]["en"] == "Ice today"


@pytest.mark.parametrize(("lang", "words"), [("zh", "最多 48 KB"), ("ru", "не более 48 КБ")])
def test_a_logo_over_64_kb_is_refused_with_the_file_size_limit_in_plain_words(client, lang, words):
    big = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" * 8300).decode()
    body = {**BODY, "lang": lang, "agency": {"name": "A", "logo": big}}
    answer = client.post(f"/api/v1/plans?lang={lang}", json=body).get_json()
    messages = " ".join(e["message"] for e in answer["errors"])
    assert words in messages and "65" not in messages and "data:" not in messages


ADMIN = "s3cret-admin-token-2026"
NOTICE = {
    "start": "2027-02-05",
    "end": "2027-02-08",
    "scope": "all",
    "effect": "info",
    "text_en": "ice on the river",
}


def test_a_copied_admin_cookie_publishes_nothing_after_logout(admin_client):
    token = _csrf(admin_client, "/agency/notices")
    admin_client.post("/agency/login", data={"csrf_token": token, "token": ADMIN})
    assert admin_client.get("/agency/notices").status_code == 200
    copied = admin_client.get_cookie("session").value
    admin_client.post("/agency/logout", data={"csrf_token": token})
    thief = admin_client.application.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/agency/notices").status_code == 401
    refused = thief.post("/agency/notices", data={"csrf_token": token, **NOTICE})
    assert refused.status_code == 401
    assert thief.get("/api/v1/notices").get_json()["notices"] == []


def test_a_second_sign_in_is_not_revoked_by_another_sessions_logout(admin_client):
    other = admin_client.application.test_client()
    for client in (admin_client, other):
        token = _csrf(client, "/agency/notices")
        client.post("/agency/login", data={"csrf_token": token, "token": ADMIN})
    admin_client.post("/agency/logout", data={"csrf_token": _csrf(admin_client, "/agency/batch")})
    assert admin_client.get("/agency/notices").status_code == 401
    assert other.get("/agency/notices").status_code == 200


def test_wrong_admin_tokens_lock_the_client_out_even_for_the_right_token(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'l.sqlite3'}",
            "ADMIN_TOKEN": ADMIN,
            "RATELIMIT_ENABLED": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    client = app.test_client()
    answers = [client.post("/agency/login", data={"token": "guess"}).status_code for _ in range(8)]
    assert answers == [403] * 5 + [429] * 3
    locked = client.post("/agency/login", data={"token": ADMIN})
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0
    assert client.get("/agency/notices").status_code == 401


def test_right_tokens_do_not_count_towards_the_lockout(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
            "ADMIN_TOKEN": ADMIN,
            "RATELIMIT_ENABLED": True,
            "WTF_CSRF_ENABLED": False,
        }
    )
    client = app.test_client()
    assert [client.post("/agency/login", data={"token": ADMIN}).status_code for _ in range(6)] == [
        302
    ] * 6


@pytest.mark.parametrize("short", ["admin", "s3cret-admin", "x" * 15])
def test_an_admin_token_shorter_than_16_characters_stops_the_app(tmp_path, short):
    with pytest.raises(RuntimeError, match="PLANNER_ADMIN_TOKEN must be at least 16"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}",
                "ADMIN_TOKEN": short,
            }
        )


def _with_meeting(stay: list[str], point: str) -> dict:
    return {**BODY, "stay": stay, "group": {**BODY["group"], "meeting_point": point}}


def test_a_meeting_point_on_the_other_bank_from_the_first_crossing_is_warned_in_each_language(
    client,
):
    # The group starts in Blagoveshchensk, so its first crossing leaves from there.
    body = _with_meeting(["blagoveshchensk", "heihe"], "heihe-aihui-airport")
    made = client.post("/api/v1/plans", json=body).get_json()
    assert made["ok"], made
    codes = [w["code"] for w in made["plan"]["warnings"]]
    assert "meeting_point_other_bank" in codes, codes
    plan_id = made["plan"]["id"]
    for lang, said in (
        ("en", "choose a meeting point on that bank"),
        ("ru", "выберите место сбора на этом берегу"),
        ("zh", "请在该岸选择集合地点"),
    ):
        page = client.get(f"/plans/{plan_id}?lang={lang}").get_data(as_text=True)
        assert said in page, lang


def test_a_meeting_point_far_from_the_check_point_is_warned_with_its_distance(client):
    made = client.post(
        "/api/v1/plans", json=_with_meeting(["heihe", "blagoveshchensk"], "heihe-aihui-airport")
    ).get_json()
    (far,) = [w for w in made["plan"]["warnings"] if w["code"].startswith("meeting_point")]
    assert far["code"] == "meeting_point_far" and far["params"]["km"] > 3, far


def test_a_meeting_point_at_the_departure_check_point_is_not_warned(client):
    made = client.post("/api/v1/plans", json=BODY).get_json()
    crossing = made["plan"]["group"]["crossings"][0]
    assert crossing["direction_from"] == "heihe"
    codes = [w["code"] for w in made["plan"]["warnings"]]
    assert not [c for c in codes if c.startswith("meeting_point")], codes


def test_the_batch_page_is_linked_from_the_agency_pages_and_the_plan_form(client):
    for path in ("/agency/batch", "/plan"):
        page = client.get(path).get_data(as_text=True)
        assert 'href="/agency/batch"' in page, path
    nav = client.get("/agency/batch").get_data(as_text=True).split('class="main-nav"', 1)[1]
    assert 'href="/agency/batch" aria-current="page"' in nav.split("</nav>", 1)[0]
