"""Routing engine: the default rules place the sample requests; the keyword syntax behaves."""

import csv
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from routing import default_catalogue as catalogue
from routing.engine import (
    FALLBACK_UNIT,
    Decision,
    Rule,
    choose_unit,
    normalise_text,
    parse_keywords,
    validate_keywords,
)

DATA = Path(__file__).parent.parent / "data"
UNIT_CODES = {unit["code"] for unit in catalogue.UNITS}
TYPE_CODES = {request_type["code"] for request_type in catalogue.REQUEST_TYPES}
DEFAULT_RULES = tuple(
    Rule(
        id=None,
        name=row["name"],
        unit=row["unit"],
        request_type=row["request_type"],
        keywords=parse_keywords(row["keywords"]),
        priority=row["priority"],
    )
    for row in catalogue.RULES
)


def read_cases(filename: str) -> list[dict[str, str]]:
    with open(DATA / filename, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def case_params(filename: str) -> list:
    return [
        pytest.param(row, id=f"{filename.removesuffix('.csv')}:{line}-{row['language']}")
        for line, row in enumerate(read_cases(filename), start=2)
    ]


def rule(unit: str = "posintra", keywords: str = "", request_type: str | None = None) -> Rule:
    return Rule(
        id=None,
        name=f"{unit} rule",
        unit=unit,
        request_type=request_type,
        keywords=parse_keywords(keywords),
    )


def matches(keywords: str, text: str) -> bool:
    return choose_unit(text, "other", [rule(keywords=keywords)]).rule is not None


# The default catalogue places the sample requests ------------------------------------------


@pytest.mark.parametrize(
    "case", case_params("routing-cases.csv") + case_params("routing-extra-cases.csv")
)
def test_default_rules_route_sample_request(case):
    decision = choose_unit(case["text"], case["request_type"], DEFAULT_RULES)

    reason = decision.rule.name if decision.rule else "no rule"
    assert decision.unit == case["unit"], f"{reason}, matched {decision.matched}"


def test_extra_cases_are_new_and_cover_every_unit_and_language():
    shared_texts = {row["text"] for row in read_cases("routing-cases.csv")}
    extra = read_cases("routing-extra-cases.csv")

    assert len(extra) >= 45
    assert not shared_texts & {row["text"] for row in extra}
    assert {row["unit"] for row in extra} == UNIT_CODES
    assert Counter(row["unit"] for row in extra)[FALLBACK_UNIT] >= 6
    languages = Counter(row["language"] for row in extra)
    assert set(languages) == {"fi", "sv", "en"}
    assert max(languages.values()) - min(languages.values()) <= 3
    assert {row["request_type"] for row in extra} <= TYPE_CODES


@pytest.mark.parametrize("row", catalogue.RULES, ids=lambda row: row["name"])
def test_default_rule_keywords_are_valid(row):
    assert validate_keywords(row["keywords"]) == []
    assert row["unit"] in UNIT_CODES
    assert row["request_type"] is None or row["request_type"] in TYPE_CODES
    assert row["priority"] is None


def test_default_rules_send_each_typed_request_to_its_default_unit_first():
    orders = [row["order"] for row in catalogue.RULES]
    assert orders == sorted(set(orders))
    typed = [row for row in catalogue.RULES if row["request_type"] is not None]
    assert catalogue.RULES[: len(typed)] == typed, "typed rules come before keyword rules"
    assert all(row["keywords"] == "" for row in typed)
    expected = {
        request_type["code"]: request_type["default_unit"]
        for request_type in catalogue.REQUEST_TYPES
        if request_type["code"] != "other"
    }
    assert {row["request_type"]: row["unit"] for row in typed} == expected


@pytest.mark.parametrize(
    "text",
    [
        "Haluaisin antaa palautetta kaupungin tapahtumasta.",
        "Who should I contact about a sponsorship?",
        "Lupaus on lupaus: saimme lupauksen, että asia hoidetaan.",
        "Tarvitsemme pysäköintiluvan tapahtuman ajaksi.",
        "Tilaus ja tilanne: tilasimme tilat tapahtumaan.",
        "We want constructive feedback on our personal data policy.",
        "Vi har sommarlov och planerar en utflykt.",
        "Vi planlägger ett evenemang på torget.",
        "Haluamme irtisanoa vuokrasopimuksen ja palauttaa avaimet.",
        "Vi vill säga upp vårt avtal om avfallshämtning.",
        "Our laboratory would like to build a stronger brand.",
    ],
)
def test_default_rules_leave_ordinary_words_to_the_service_desk(text):
    assert choose_unit(text, "other", DEFAULT_RULES).unit == FALLBACK_UNIT


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("We want to hire developers and ask about wage subsidy.", "employment-services"),
        ("We need funding to expand to Germany.", "posintra"),
        ("We need a business plan.", "posintra"),
        ("We need a business plot.", "urban-development"),
        ("A building permit for our new hall.", "urban-development"),
        ("A work permit for our new cook.", "employment-services"),
        ("Haemme rahoitusta tontin ostoon.", "urban-development"),
        ("We are a growing company with 20 employees looking for funding.", "posintra"),
    ],
)
def test_default_rules_resolve_overlaps(text, unit):
    assert choose_unit(text, "other", DEFAULT_RULES).unit == unit


# Keyword syntax ----------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["tontti", "tontin", "tonttia", "tonteista", "Tontit"])
def test_stem_matches_finnish_inflections(word):
    assert matches("tont", f"Etsimme {word} Kuninkaanportista")


@pytest.mark.parametrize("word", ["kontti", "teollisuustontti", "stont"])
def test_stem_matches_only_at_the_start_of_a_word(word):
    assert not matches("tont", f"Etsimme {word} Kuninkaanportista")


@pytest.mark.parametrize(
    "word", ["teollisuustontti", "yritystontin", "tonttia", "industritomten", "Tomt"]
)
def test_star_also_matches_inside_compound_words(word):
    assert matches("*tont, *tomt", f"Vi söker {word}.")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tell me about the wage subsidy", True),
        ("wages subsidies for two people", True),
        ("Wage-subsidy?", True),
        ("a subsidy for the wage", False),
        ("wage and subsidy", False),
        ("minimumwage subsidy", False),
    ],
)
def test_phrase_matches_consecutive_word_starts(text, expected):
    assert matches("wage subsid", text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Behöver vi lov?", True), ("LOV.", True), ("han lovar", False), ("sommarlov", False)],
)
def test_equals_sign_matches_the_exact_word_only(text, expected):
    assert matches("=lov", text) is expected


def test_exact_word_inside_a_phrase():
    assert matches("job =ad", "Can you publish our job ad?")
    assert not matches("job =ad", "Our job address changed")


@pytest.mark.parametrize(
    "text",
    [
        "TONTTI!!!",
        "(tontti)",
        "tontti,tomt;plot",
        "…tontti…",
        "«Tontti»",
        "tontti_alue",
        "\ttontti\n",
    ],
)
def test_case_and_punctuation_do_not_matter(text):
    assert matches("tont", text)


def test_unicode_forms_and_case_folding_do_not_matter():
    decomposed = unicodedata.normalize("NFD", "Miljötillstånd för vår verkstad")
    assert decomposed != unicodedata.normalize("NFC", decomposed)
    assert matches("*miljötillst", decomposed)
    assert matches(unicodedata.normalize("NFD", "*MILJÖTILLST"), "miljötillståndet")
    assert matches("=strasse", "Die Straße")


def test_normalise_text_keeps_nordic_letters_and_splits_on_punctuation():
    assert normalise_text("  Ympäristö-LUPA, för Åbo!  ") == "ympäristö lupa för åbo"


# Rule semantics ----------------------------------------------------------------------------


def test_rule_without_keywords_matches_its_request_type_only():
    rules = [rule("urban-development", request_type="zoning")]

    assert choose_unit("anything at all", "zoning", rules).unit == "urban-development"
    assert choose_unit("", "zoning", rules).unit == "urban-development"
    assert choose_unit("anything at all", "other", rules).unit == FALLBACK_UNIT


def test_rule_with_type_and_keywords_needs_both():
    rules = [rule("urban-development", "tont", request_type="premises")]

    assert choose_unit("tontti", "premises", rules).unit == "urban-development"
    assert choose_unit("tontti", "other", rules).unit == FALLBACK_UNIT
    assert choose_unit("toimitila", "premises", rules).unit == FALLBACK_UNIT


def test_first_matching_rule_wins():
    # given two rules that both match the text
    employment = rule("employment-services", "hire")
    posintra = rule("posintra", "funding")
    text = "Funding to hire staff"

    # then the order decides
    assert choose_unit(text, "other", [employment, posintra]).rule is employment
    assert choose_unit(text, "other", [posintra, employment]).rule is posintra


def test_rules_that_do_not_match_are_skipped():
    rules = [rule("urban-development", "tont"), rule("employment-services", "rekry")]

    decision = choose_unit("Rekrytoimme kokin", "other", rules)

    assert decision.rule is rules[1]
    assert decision.unit == "employment-services"


def test_no_rules_fall_back_to_the_service_desk():
    assert choose_unit("Tontti", "other", []) == Decision(unit=FALLBACK_UNIT, rule=None, matched=())


def test_fallback_unit_can_be_chosen():
    decision = choose_unit("Palautetta", "other", [rule(keywords="tont")], fallback="posintra")

    assert decision == Decision(unit="posintra", rule=None, matched=())


def test_rule_whose_keywords_have_no_words_never_matches():
    broken = Rule(id=7, name="broken", unit="posintra", keywords=("***", "=", "!!"))

    assert choose_unit("*** = !!", "other", [broken]).unit == FALLBACK_UNIT


def test_ad_hoc_keywords_are_normalised_like_parsed_ones():
    ad_hoc = Rule(id=None, name="ad hoc", unit="posintra", keywords=("  *TONT ", "Wage  Subsid"))

    assert choose_unit("teollisuustontti", "other", [ad_hoc]).unit == "posintra"
    assert choose_unit("wage subsidy", "other", [ad_hoc]).unit == "posintra"


# The explanation: which words matched ------------------------------------------------------


def test_matched_lists_the_texts_words_in_order_without_repeats():
    rules = [rule("urban-development", "*tont\nasemakaav\n=lupa")]

    decision = choose_unit(
        "Asemakaavan muutos: tontin ja teollisuustontin lupa. Tontin!", "other", rules
    )

    assert decision.matched == ("asemakaavan", "tontin", "teollisuustontin", "lupa")


def test_matched_shows_the_whole_phrase():
    decision = choose_unit(
        "We need a Business-Plan and business advice", "other", [rule(keywords="business plan")]
    )

    assert decision.matched == ("business plan",)


def test_matched_prefers_the_longer_phrase():
    decision = choose_unit(
        "help with a business plan", "other", [rule(keywords="business, business plan")]
    )

    assert decision.matched == ("business plan",)


def test_matched_is_empty_for_type_rules_and_fallback():
    typed = rule("urban-development", request_type="zoning")

    assert choose_unit("tontti", "zoning", [typed]).matched == ()
    assert choose_unit("tontti", "other", [typed]).matched == ()


# Parsing and validating the admin's keywords field -----------------------------------------


def test_parse_keywords_reads_lines_commas_and_skips_comments_and_blanks():
    raw = """
    # Finnish plots
    tont,  *TONTT   # tontti, tontin

    Wage   Subsid,, ,
    =lov
    """

    assert parse_keywords(raw) == ("tont", "*tontt", "wage subsid", "=lov")


def test_parse_keywords_normalises_and_removes_duplicates():
    raw = "Tont\ntont\n" + unicodedata.normalize("NFD", "Miljö") + "\nmiljö"

    assert parse_keywords(raw) == ("tont", "miljö")


def test_parse_keywords_treats_punctuation_like_spaces():
    assert parse_keywords("lay-off, co‑working, *teollisuus-tontti") == (
        "lay off",
        "co working",
        "*teollisuus tontti",
    )


def test_parse_keywords_drops_stray_modifiers_and_empty_patterns():
    assert parse_keywords("tont*, **tomt, *, =, #only a comment, !!") == ("tont", "*tomt")


def test_parse_keywords_of_nothing():
    assert parse_keywords("") == ()
    assert parse_keywords("\n  \n# comment only\n") == ()


def test_validate_keywords_accepts_good_text():
    assert validate_keywords("# plots\ntont, *tomt\nwage subsid\n=lov\nstart a business") == []
    assert validate_keywords("") == []


def test_validate_keywords_accepts_punctuation_that_reads_as_a_space():
    raw = "lay-off\nco‑working\n“business plan”\ni'm starting\n" + unicodedata.normalize(
        "NFD", "*miljötillst"
    )

    assert validate_keywords(raw) == []


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("lu", "at least 3 letters"),
        ("*to", "at least 3 letters"),
        ("=ab cd", "at least 3 letters"),
        ("tont*", "* and = may only stand at the beginning of a word"),
        ("*=tont", "* and = may only stand at the beginning of a word"),
        ("tont *", "* and = may only stand at the beginning of a word"),
        ("tont.*", "* and = may only stand at the beginning of a word"),
        ("(tontti|tomt)", "the character “(” has no meaning here"),
        ("tont?", "the character “?” has no meaning here"),
        ("tont; tomt", "separate patterns with a comma or a new line"),
        ("tont|tomt", "the character “|” has no meaning here"),
        ("+tont", "the character “+” has no meaning here"),
        ("--", "there is no word to look for"),
        ("tont\nTONT", "is listed more than once"),
    ],
)
def test_validate_keywords_explains_problems(raw, fragment):
    problems = validate_keywords(raw)

    assert len(problems) == 1
    assert fragment in problems[0]


def test_validate_keywords_names_the_pattern_and_reports_each_problem():
    problems = validate_keywords("tont\nlu\n*tomt\nab, tont?")

    assert len(problems) == 3
    assert problems[0].startswith("“lu”")
    assert problems[1].startswith("“ab”")
    assert problems[2].startswith("“tont?”")


def test_validate_keywords_translates_messages_before_filling_them_in():
    finnish = {
        "“{pattern}” is listed more than once.": "“{pattern}” on listassa useammin kuin kerran."
    }

    problems = validate_keywords("tont, TONT", translate=lambda message: finnish[message])

    assert problems == ["“TONT” on listassa useammin kuin kerran."]


# Properties --------------------------------------------------------------------------------

request_types = st.sampled_from(sorted(TYPE_CODES)) | st.text(max_size=20)


@settings(max_examples=300, deadline=None)
@given(text=st.text(), request_type=request_types)
def test_choose_unit_with_default_rules_never_fails(text, request_type):
    decision = choose_unit(text, request_type, DEFAULT_RULES)

    assert decision.unit == FALLBACK_UNIT or decision.unit in {r.unit for r in DEFAULT_RULES}
    assert (decision.rule is None) == (decision.unit == FALLBACK_UNIT)
    words = normalise_text(text)
    assert all(word in words for word in decision.matched)


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(),
    raw_keywords=st.lists(st.text(max_size=30), max_size=4),
    request_type=request_types,
)
def test_choose_unit_with_arbitrary_keywords_never_fails(text, raw_keywords, request_type):
    rules = [
        rule(unit, raw, request_type=None if index % 2 else request_type)
        for index, (unit, raw) in enumerate(zip(sorted(UNIT_CODES), raw_keywords, strict=False))
    ]

    decision = choose_unit(text, request_type, rules)

    assert decision.unit == FALLBACK_UNIT or decision.unit in {r.unit for r in rules}
    assert isinstance(validate_keywords("\n".join(raw_keywords)), list)


@given(raw=st.text())
def test_parsed_keywords_parse_to_themselves(raw):
    patterns = parse_keywords(raw)

    assert parse_keywords("\n".join(patterns)) == patterns
    assert all(pattern == pattern.strip() and pattern for pattern in patterns)
