"""A PDF costs a bounded amount: a plan past the print caps (days, passengers, note length) gets
a 422 saying why instead of a render, and a render past its time or size bound is stopped and
answered the same way, never retried on every request."""

from __future__ import annotations

from html import unescape

import pytest

from planner.web import create_app

PLAN = {
    "arrive": "2027-07-10T09:00+08:00",
    "depart": "2027-07-11T18:00+08:00",
    "stay": "heihe",
    "nationality": "CN",
}


def _client(tmp_path, **config):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
            "PLAN_TIME_LIMIT": 0.05,
            "PDF_CACHE_DIR": str(tmp_path / "pdf"),
            **config,
        }
    )
    return app.test_client()


def _plan(client, **fields) -> str:
    made = client.post("/api/v1/plans", json={**PLAN, **fields})
    assert made.status_code == 201, made.get_json()
    return made.get_json()["plan"]["id"]


def test_a_plan_with_notes_past_the_print_cap_gets_a_422_saying_so_in_its_language(
    tmp_path, monkeypatch
):
    from planner import printing

    renders: list[str] = []
    monkeypatch.setattr(printing, "pdf_from_html", lambda html, *a: renders.append(html) or b"")
    client = _client(tmp_path, PDF_MAX_NOTE_CHARS=100)
    plan_id = _plan(client, notes="x" * 150)
    answers = {lang: client.get(f"/plans/{plan_id}.pdf?lang={lang}") for lang in ("en", "ru")}
    assert {r.status_code for r in answers.values()} == {422}
    en, ru = (unescape(answers[k].get_data(as_text=True)) for k in ("en", "ru"))
    assert "notes of at most 100 characters; this plan's notes have 150" in en
    assert "print view" in en
    assert "не длиннее 100 символов" in ru
    assert renders == []  # nothing was rendered
    assert client.get(f"/plans/{plan_id}/print").status_code == 200  # the print view still is


def test_a_plan_with_more_days_or_passengers_than_a_pdf_holds_gets_a_422_in_chinese(tmp_path):
    client = _client(tmp_path, PDF_MAX_DAYS=1)
    plan_id = _plan(client)
    answer = client.get(f"/plans/{plan_id}.pdf?lang=zh")
    assert answer.status_code == 422
    assert "PDF 最多容纳 1 天；此行程有 2 天" in answer.get_data(as_text=True)


def test_a_render_past_its_time_bound_is_stopped_and_answered_422_without_a_retry(
    tmp_path, monkeypatch
):
    from planner.web import jobs

    calls: list[float] = []
    real = jobs._render_bounded

    def counted(html, partial, seconds):
        calls.append(seconds)
        return real(html, partial, seconds)

    monkeypatch.setattr(jobs, "_render_bounded", counted)
    client = _client(tmp_path, PDF_RENDER_SECONDS=0.05)  # no PDF is made that quickly
    plan_id = _plan(client)
    first = client.get(f"/plans/{plan_id}.pdf")
    again = client.get(f"/plans/{plan_id}.pdf")
    assert [first.status_code, again.status_code] == [422, 422]
    assert "could not be made within 1 seconds" in first.get_data(as_text=True)
    assert calls == [0.05]  # the failure is remembered for this revision: not rendered again
    assert not list((tmp_path / "pdf").glob("*.pdf"))


def test_a_pdf_past_its_size_bound_is_not_kept_and_answered_422(tmp_path):
    client = _client(tmp_path, PDF_MAX_MB=0.001)  # about 1 kB: smaller than any PDF
    plan_id = _plan(client)
    answer = client.get(f"/plans/{plan_id}.pdf?lang=ru")
    assert answer.status_code == 422
    assert "PDF получился бы больше 0.001 МБ" in answer.get_data(as_text=True)
    assert not list((tmp_path / "pdf").glob("*.pdf"))


def test_a_render_within_its_time_bound_runs_in_a_child_process_and_is_served(tmp_path):
    client = _client(tmp_path, PDF_RENDER_SECONDS=120)
    plan_id = _plan(client)
    answer = client.get(f"/plans/{plan_id}.pdf")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")


@pytest.mark.parametrize("key", ["PDF_RENDER_SECONDS", "PDF_MAX_MB", "PDF_MAX_DAYS"])
def test_a_pdf_bound_that_is_not_a_number_stops_the_app_with_its_name(tmp_path, key):
    with pytest.raises(RuntimeError, match=f"PLANNER_{key}"):
        _client(tmp_path, **{key: "lots"})
