"""Batch plans: one stored plan per CSV row; bad rows reported by line, good rows produced."""

from __future__ import annotations

import html
import io
import json
import re
import zipfile

import pytest

from planner.cli import cli

HEADER = "title,arrive,depart,stay,nationality,visas,party_size,group_tour,lang,passengers\n"
GOOD = (
    "Group {n},2027-07-1{n}T09:00+08:00,2027-07-1{m}T18:00+08:00,heihe,CN,RU,2,no,en,"
    "Li Wei;Wang Fang\n"
)
CSV = (
    HEADER
    + GOOD.format(n=0, m=1)
    + "No offset,2027-07-10T09:00,2027-07-11T18:00+08:00,heihe,CN,RU,2,no,en,\n"
    + GOOD.format(n=2, m=3)
    + "Bad city,2027-07-10T09:00+08:00,2027-07-11T18:00+08:00,harbin,CN,RU,1,no,en,\n"
    + GOOD.format(n=4, m=5)
)
ONE = HEADER + GOOD.format(n=0, m=1)  # one group: where the rows do not matter


def test_batch_command_reports_bad_rows_by_line_and_produces_good_ones(runner, tmp_path):
    source = tmp_path / "groups.csv"
    source.write_text(CSV, encoding="utf-8")
    out = tmp_path / "out"
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    result = runner.invoke(cli, ["batch", str(source), "--out", str(out), "--database", db])
    assert result.exit_code == 1, result.output
    assert "line 3: arrive:" in result.output
    assert "line 5: stay" in result.output
    assert "5 row(s): 3 planned, 2 failed" in result.output
    plans = sorted(out.glob("*/plan.json"))
    assert len(plans) == 3
    record = json.loads(plans[0].read_text(encoding="utf-8"))
    assert record["share_path"] == f"/plans/{record['id']}" and record["edit_token"]
    assert [p["name"] for p in record["document"]["group"]["passengers"]] == ["Li Wei", "Wang Fang"]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [r["line"] for r in report["rows"] if not r["ok"]] == [3, 5]
    # Names with a space: a random id (base64) can hold "Li", never "Li Wei".
    assert "Li Wei" not in json.dumps(report)  # passenger names stay out of reports
    folder = plans[0].parent  # the printable PDF and the four exports beside each plan
    assert (folder / "plan.pdf").read_bytes().startswith(b"%PDF")
    assert b"BEGIN:VCALENDAR" in (folder / "plan.ics").read_bytes()
    assert json.loads((folder / "plan.geojson").read_text())["type"] == "FeatureCollection"
    assert b"<gpx" in (folder / "plan.gpx").read_bytes()
    assert b"<kml" in (folder / "plan.kml").read_bytes()


def test_batch_command_exits_0_when_every_row_is_planned(runner, tmp_path):
    source = tmp_path / "ok.csv"
    source.write_text(HEADER + GOOD.format(n=0, m=1), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    result = runner.invoke(
        cli, ["batch", str(source), "--out", str(tmp_path / "o"), "--database", db]
    )
    assert result.exit_code == 0, result.output


def test_batch_command_refuses_unknown_columns(runner, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text("title,arive\nx,y\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    result = runner.invoke(cli, ["batch", str(source), "--out", str(tmp_path), "--database", db])
    assert result.exit_code == 1 and "unknown column(s): arive" in result.output


def _csrf(client, path: str) -> str:
    import re

    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_batch_upload_runs_a_job_and_offers_a_zip(app, client):
    app.config["BATCH_WAIT"] = True
    token = _csrf(client, "/agency/batch")
    response = client.post(
        "/agency/batch",
        data={"csrf_token": token, "file": (io.BytesIO(CSV.encode()), "groups.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    status = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    assert (status["status"], status["total"], status["failed"]) == ("done", 5, 2)
    assert [r["line"] for r in status["rows"] if not r["ok"]] == [3, 5]
    page = client.get(f"/agency/batch/{job_id}").get_data(as_text=True)
    assert "batch-progress.js" in page and "<progress" in page
    archive = client.get(status["download"])
    assert archive.mimetype == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(archive.data)).namelist()
    assert "report.json" in names and sum(n.endswith("/plan.json") for n in names) == 3
    assert sum(n.endswith("/plan.pdf") for n in names) == 3
    ok_row = next(r for r in status["rows"] if r["ok"])
    assert client.get(ok_row["share_path"]).status_code == 200


def test_batch_upload_refuses_too_many_rows(client):
    token = _csrf(client, "/agency/batch")
    rows = HEADER + GOOD.format(n=0, m=1) * 51
    response = client.post(
        "/agency/batch",
        data={"csrf_token": token, "file": (io.BytesIO(rows.encode()), "g.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "too many rows" in response.get_data(as_text=True)


def test_old_batch_jobs_are_deleted_when_a_new_one_comes(app, client):
    """A job's zip holds edit tokens: after BATCH_KEEP_DAYS it is gone (404), its plans stay."""
    from datetime import timedelta

    from sqlalchemy import update

    from planner.store_schema import batch_jobs
    from planner.store_schema import utc_now as _now

    app.config["BATCH_WAIT"] = True

    def upload() -> str:
        token = _csrf(client, "/agency/batch")
        response = client.post(
            "/agency/batch",
            data={"csrf_token": token, "file": (io.BytesIO(ONE.encode()), "groups.csv")},
            content_type="multipart/form-data",
        )
        return response.headers["Location"].rsplit("/", 1)[-1]

    old = upload()
    share = next(r for r in client.get(f"/api/v1/batch/{old}").get_json()["job"]["rows"] if r["ok"])
    engine = app.extensions["plan_store"].engine
    with engine.begin() as conn:
        conn.execute(
            update(batch_jobs)
            .where(batch_jobs.c.id == old)
            .values(updated_at=_now() - timedelta(days=8))
        )
    recent = upload()
    assert client.get(f"/api/v1/batch/{old}").status_code == 404
    assert client.get(f"/api/v1/batch/{recent}").status_code == 200
    assert client.get(share["share_path"]).status_code == 200


def test_a_batch_retention_that_is_not_a_number_stops_the_app_with_its_name(tmp_path):
    from planner.web import create_app

    with pytest.raises(RuntimeError, match="PLANNER_BATCH_KEEP_DAYS"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "BATCH_KEEP_DAYS": "a week",
            }
        )


def _upload(client, text: str, lang: str = "en"):
    token = _csrf(client, f"/agency/batch?lang={lang}")
    return client.post(
        f"/agency/batch?lang={lang}",
        data={"csrf_token": token, "file": (io.BytesIO(text.encode()), "g.csv")},
        content_type="multipart/form-data",
    )


def test_batch_upload_reads_a_csv_whose_lines_end_in_a_lone_cr(app, client):
    app.config["BATCH_WAIT"] = True
    response = _upload(client, (HEADER + GOOD.format(n=0, m=1)).replace("\n", "\r"))
    assert response.status_code == 302
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    status = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]
    assert (status["status"], status["total"], status["failed"]) == ("done", 1, 0)


BIG_CELL = HEADER + GOOD.format(n=0, m=1).replace("Group 0", "G" * 140_000)


def test_batch_upload_with_a_cell_beyond_the_csv_limit_is_a_form_error(client):
    response = _upload(client, BIG_CELL)
    assert response.status_code == 400
    assert "line 2 cannot be read as CSV" in response.get_data(as_text=True)


def test_batch_command_with_a_cell_beyond_the_csv_limit_is_one_line_error(runner, tmp_path):
    source = tmp_path / "big.csv"
    source.write_text(BIG_CELL, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    result = runner.invoke(cli, ["batch", str(source), "--out", str(tmp_path), "--database", db])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "line 2 cannot be read as CSV" in result.output and result.output.count("\n") == 1


@pytest.mark.parametrize(
    "text, lang, said, english",
    [
        ("title,arive\nx,y\n", "zh", "未知的列：arive", "unknown column"),
        ("title,arrive\nx,y\n", "ru", "не хватает столбцов: depart, stay", "missing column"),
        ("", "zh", "文件为空", "the file is empty"),
        (HEADER + GOOD.format(n=0, m=1) * 51, "ru", "не более 50 групп", "too many rows"),
        (BIG_CELL, "zh", "第 2 行无法按 CSV 读取", "cannot be read as CSV"),
    ],
)
def test_batch_upload_says_what_is_wrong_with_the_file_in_the_readers_language(
    client, text, lang, said, english
):
    response = _upload(client, text, lang)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert said in page and english not in page


def test_batch_row_errors_name_the_csv_column_not_the_request_path(app, client):
    app.config["BATCH_WAIT"] = True
    too_many = GOOD.format(n=0, m=1).replace(",2,no,en,", ",1,no,en,")  # 2 names, party of 1
    bad_lang = GOOD.format(n=2, m=3).replace(",en,", ",xx,")
    response = _upload(client, HEADER + too_many + bad_lang, lang="zh")
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    rows = client.get(f"/api/v1/batch/{job_id}?lang=zh").get_json()["job"]["rows"]
    errors = [e for r in rows for e in r["errors"]]
    assert any(e.startswith("passengers: ") for e in errors), errors
    assert any(e.startswith("lang: ") for e in errors), errors
    page = client.get(f"/agency/batch/{job_id}?lang=zh").get_data(as_text=True)
    assert "group.passengers" not in page and "passengers: " in page


BAD_ROW = HEADER + "Bad city,2027-07-10T09:00+08:00,2027-07-11T18:00+08:00,harbin,CN,RU,1,no,en,\n"


def test_batch_progress_polled_every_second_is_never_429_while_a_6th_upload_is(
    tmp_path, limit_store
):
    """The progress page polls the status once a second: the upload limit must not stop it."""
    from planner.web import create_app

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "t",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": limit_store,
            "BATCH_WAIT": True,
        }
    )
    client = app.test_client()
    uploads = [_upload(client, BAD_ROW) for _ in range(6)]
    assert [r.status_code for r in uploads] == [302] * 5 + [429]
    job_id = uploads[0].headers["Location"].rsplit("/", 1)[-1]
    polls = [client.get(f"/api/v1/batch/{job_id}").status_code for _ in range(40)]
    assert len(polls) == 40 and set(polls) == {200}
    assert client.get(f"/agency/batch/{job_id}").status_code == 200


def test_a_rate_limit_that_cannot_be_read_stops_the_app_with_its_name(tmp_path):
    from planner.web import create_app

    with pytest.raises(RuntimeError, match="PLANNER_RATELIMIT_BATCH_STATUS"):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "t",
                "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
                "RATELIMIT_BATCH_STATUS": "lots",
            }
        )


SEVEN_WRONG = (
    "title,arrive,depart,stay,nationality,party_size,group_tour,allow_last_crossing,pace,"
    "must_see,lang\n"
    "Seven wrong,2027-07-10T09:00+08:00,2027-07-11T18:00+08:00,harbin,CN,many,maybe,perhaps,"
    "fast,nowhere,xx\n"
)


def test_a_batch_row_with_seven_mistakes_reports_all_seven_on_the_page_and_in_the_report(
    app, client
):
    app.config["BATCH_WAIT"] = True
    response = _upload(client, SEVEN_WRONG, lang="en")
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    (row,) = client.get(f"/api/v1/batch/{job_id}").get_json()["job"]["rows"]
    columns = sorted(e.split(":", 1)[0] for e in row["errors"])
    expected = ["allow_last_crossing", "group_tour", "lang", "must_see", "pace", "party_size"]
    assert columns == sorted([*expected, "stay"]), row["errors"]
    page = client.get(f"/agency/batch/{job_id}").get_data(as_text=True)
    block = page.split('<ul class="row-errors">', 1)[1].split("</ul>", 1)[0]
    shown = [html.unescape(t) for t in re.findall(r"<li>(.*?)</li>", block)]
    assert len(shown) == 7 and any(t.startswith("pace: ") for t in shown), shown


def test_the_batch_command_prints_every_mistake_of_a_row(runner, tmp_path):
    source = tmp_path / "seven.csv"
    source.write_text(SEVEN_WRONG, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    result = runner.invoke(
        cli, ["batch", str(source), "--out", str(tmp_path / "o"), "--database", db]
    )
    assert result.exit_code == 1
    assert result.output.count("line 2: ") == 7, result.output


def test_a_bad_row_in_the_past_names_its_date_beside_its_other_mistakes(runner, tmp_path):
    source = tmp_path / "old.csv"
    source.write_text(
        "title,arrive,depart,stay,party_size\n"
        "Old,2020-07-10T09:00+08:00,2020-07-11T18:00+08:00,heihe,many\n",
        encoding="utf-8",
    )
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    result = runner.invoke(
        cli, ["batch", str(source), "--out", str(tmp_path / "o"), "--database", db]
    )
    assert result.exit_code == 1
    assert "line 2: party_size: " in result.output and "line 2: arrive: " in result.output
