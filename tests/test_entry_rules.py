"""Entry rules for every passport: the passport-index base layer under the sourced rules."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from planner.cli import cli
from planner.crossing import (
    DEFAULT_BASE_PATH,
    crossing_options,
    entry_decision,
    load_crossing_data,
    load_visa_base,
)
from planner.crossing.base import VisaBaseError, parse_visa_base
from planner.messages import english

DATA = load_crossing_data()
SPRING = date(2027, 3, 1)  # after China's unilateral list (31 Dec 2026) and both trials ended


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def crossings(runner, *args: str) -> dict:
    result = runner.invoke(cli, ["crossings", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_belarusian_crosses_from_heihe_into_russia_without_a_visa(runner):
    """The reported bug: `crossings --from heihe ... --nationality BY` said 'not permitted'."""
    body = crossings(
        runner, "--from", "heihe", "--after", "2026-12-15T09:00+08:00", "--nationality", "BY"
    )
    assert body["options"], body["reasons"]
    assert "entry_not_permitted" not in {r["code"] for r in body["reasons"]}
    basis = body["options"][0]["entry_basis"]
    assert basis["code"] == "entry_layer_rule"
    assert basis["params"]["rule"] == "ru-visa-free-eurasec"
    assert "30 Nov 2000" in basis["text"] and "checked 2026-12-07" in basis["text"]


@pytest.mark.parametrize("nationality", ["KG", "TJ"])
def test_kyrgyz_and_tajik_passports_enter_russia_under_the_2000_agreement(nationality):
    answer = crossing_options("heihe", at("2027-03-01T09:00+08:00"), nationality, data=DATA)
    assert answer.options, answer.reasons
    assert {o.entry_rule for o in answer.options} == {"ru-visa-free-eurasec"}


@pytest.mark.parametrize("nationality", ["BY", "RS", "TH", "SG", "AE"])
def test_mutual_exemptions_let_these_passports_into_china_for_30_days(nationality):
    answer = crossing_options(
        "blagoveshchensk", at("2027-03-01T08:00+09:00"), nationality, data=DATA
    )
    assert answer.options, answer.reasons
    option = answer.options[0]
    assert option.entry_rule == f"cn-visa-free-{nationality.lower()}"
    stay = [w for w in option.warnings if w.code == "stay_limited"]
    assert [w.params["days"] for w in stay] == [30]


@pytest.mark.parametrize("nationality", ["US", "GB"])
def test_american_and_british_passports_need_a_visa_for_russia(nationality):
    answer = crossing_options("heihe", at("2027-03-01T09:00+08:00"), nationality, data=DATA)
    assert answer.options == ()
    (reason,) = [r for r in answer.reasons if r.code == "entry_not_permitted"]
    assert (reason.params["layer"], reason.params["layer_date"]) == ("base", "2025-01-12")
    assert "visa required" in english(reason)
    with_visa = crossing_options(
        "heihe", at("2027-03-01T09:00+08:00"), nationality, data=DATA, entry_permits=("RU",)
    )
    assert with_visa.options and with_visa.options[0].entry_rule == "declared-visa"


def test_an_e_visa_passport_is_told_to_get_the_e_visa_not_let_in(runner):
    body = crossings(
        runner, "--from", "heihe", "--after", "2027-03-01T09:00+08:00", "--nationality", "DE"
    )
    assert body["options"] == []
    (reason,) = [r for r in body["reasons"] if r["code"] == "entry_not_permitted"]
    codes = [d["code"] for d in reason["params"]["details"]]
    assert codes[:2] == ["entry_layer_base", "e_visa_needed"]
    assert "needs the e-visa for Russia" in reason["text"]


def test_an_answer_names_its_layer_and_date_in_text_json_and_page(runner, client):
    text = runner.invoke(
        cli,
        ["crossings", "--from", "heihe", "--after", "2027-03-01T09:00+08:00"]
        + ["--nationality", "BR", "--limit", "1"],
    )
    assert text.exit_code == 0, text.output
    assert "entry allowed by: the passport-index dataset of 2025-01-12 (secondary" in text.output
    body = crossings(
        runner, "--from", "heihe", "--after", "2027-03-01T09:00+08:00", "--nationality", "BR"
    )
    basis = body["options"][0]["entry_basis"]
    assert basis["code"] == "entry_layer_base"
    assert basis["params"]["date"] == "2025-01-12" and basis["params"]["grade"] == "secondary"
    html = client.get("/crossing?from=heihe&date=2027-03-01&nationality=BR&lang=ru")
    page = html.get_data(as_text=True).replace("\xa0", " ").replace("\u202f", " ")
    # the page writes the dataset's date in words (the JSON keeps ISO)
    assert "Въезд разрешён на основании: набор данных Passport Index от 12 янв. 2025 г." in page
    assert "Базовый слой:" in page  # the rules table lists the base layer with its check date


def test_an_ended_regime_is_not_brought_back_by_the_older_base_layer():
    """The dataset still shows Germany visa-free into China (the unilateral list); after the
    list ended on 31 Dec 2026, the rule decides and says the dataset is not applied."""
    assert DATA.visa_base is not None
    assert DATA.visa_base.requirement("DE", "CN").kind == "visa_free"
    before = entry_decision("CN", "DE", date(2026, 12, 20), data=DATA)
    after = entry_decision("CN", "DE", SPRING, data=DATA)
    assert before.permitted and before.layer == "rule"
    assert not after.permitted and after.layer == "rule"
    assert after.reason is not None
    codes = [d.code for d in after.reason.params["details"]]
    assert "entry_base_not_applied" in codes and "entry_rule_ended" in codes


def test_a_named_regime_not_yet_in_force_is_not_replaced_by_the_base_layer():
    """Thailand's exemption began on 1 Mar 2024: the 2025 dataset does not reach back before."""
    assert not entry_decision("CN", "TH", date(2024, 2, 20), data=DATA).permitted
    assert entry_decision("CN", "TH", date(2024, 3, 1), data=DATA).permitted


def test_without_the_base_layer_only_the_rules_answer():
    bare = DATA.read_from(DATA.source, visa_base=None)
    assert entry_decision("RU", "BR", SPRING, data=DATA).permitted
    decision = entry_decision("RU", "BR", SPRING, data=bare)
    assert not decision.permitted and decision.layer == "none"


def test_base_layer_file_records_its_source_date_grade_and_licence():
    text = DEFAULT_BASE_PATH.read_text(encoding="utf-8")
    base = load_visa_base()
    assert base.url.startswith("https://github.com/ilyankou/passport-index-dataset/")
    assert base.commit in base.url and len(base.commit) == 40
    assert (base.date, base.checked, base.grade) == (
        date(2025, 1, 12),
        date(2026, 12, 7),
        "secondary",
    )
    assert base.licence == "MIT" and "Copyright (c) 2019 Ilya Ilyankou" in text
    destinations = {destination for _, destination in base.rows}
    assert destinations == {"CN", "RU"}
    assert len(base.rows) > 390  # every passport, both destinations


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.replace("# date: 2025-01-12\n", ""), "missing '# date"),
        (lambda t: t.replace("BY,RU,90", "BY,RU,maybe"), "unknown requirement"),
        (lambda t: t.replace("BY,RU,90", "BY,DE,90"), "bad codes"),
    ],
)
def test_a_broken_base_layer_is_refused_with_the_problem(change, problem):
    text = change(DEFAULT_BASE_PATH.read_text(encoding="utf-8"))
    with pytest.raises(VisaBaseError, match=problem):
        parse_visa_base(text, "passport_index.csv")


def test_entry_rules_command_lists_twenty_passports_both_ways(runner):
    result = runner.invoke(cli, ["entry-rules", "--on", "2027-03-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 40
    by = {(r["nationality"], r["enters"]): r for r in rows}
    assert by[("BY", "RU")]["allowed"] and by[("BY", "RU")]["layer"] == "rule"
    assert by[("UZ", "RU")]["allowed"] and by[("UZ", "RU")]["layer_date"] == "2025-01-12"
    assert not by[("US", "RU")]["allowed"] and not by[("GB", "CN")]["allowed"]
    assert by[("DE", "CN")]["base_says"]["code"] == "base_visa_free_days"  # the override shows
    assert not by[("DE", "CN")]["allowed"]
    text = runner.invoke(cli, ["entry-rules", "--on", "2027-03-01", "--nationality", "kg"])
    assert text.exit_code == 0
    assert "KG -> Russia: allowed" in text.output and "KG -> China: not allowed" in text.output


@pytest.mark.parametrize(
    "args", [["--on", "someday"], ["--on", "2027-03-01", "--nationality", "QQ"]]
)
def test_entry_rules_command_bad_input_is_a_message(runner, args):
    result = runner.invoke(cli, ["entry-rules", *args])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "Error" in result.output


def test_base_layer_header_lists_where_it_disagrees_with_the_unilateral_rule():
    """The header says which countries of China's unilateral list the dataset shows visa-free
    (possibly the list itself) and which it does not know yet; it must match the files."""
    text = DEFAULT_BASE_PATH.read_text(encoding="utf-8")
    base = load_visa_base()
    rule = next(r for r in DATA.entry_rules if r.id == "cn-visa-free-unilateral")
    free = [c for c in rule.countries if base.requirement(c, "CN").kind == "visa_free"]
    other = [c for c in rule.countries if c not in free]
    assert free and other
    assert f"shows {len(free)} of its {len(rule.countries)} countries visa-free" in text
    assert f"({' '.join(free)})" in text and f"({' '.join(other)})" in text


def test_a_us_passport_is_told_china_needs_a_consular_visa_not_the_datasets_e_visa():
    """The dataset lists 'e-visa' for US passports into China; a sourced rule says it is only
    the online application, and it decides: the refusal names that rule and its check date."""
    assert DATA.visa_base is not None
    assert DATA.visa_base.requirement("US", "CN").kind == "e_visa"
    decision = entry_decision("CN", "US", SPRING, data=DATA)
    assert not decision.permitted and decision.layer == "rule"
    assert decision.reason is not None
    first = decision.reason.params["details"][0]
    assert first.code == "entry_layer_rule" and first.params["rule"] == "cn-visa-us"
    text = english(decision.reason)
    assert "checked 2026-12-07" in text and "e_visa_needed" not in {
        d.code for d in decision.reason.params["details"]
    }
