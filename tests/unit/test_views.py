"""ViewSpec round trips (links, JSON) and captions; hostile links never break the page."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import numpy as np
import pytest

from atlas.draw.classify import K_MAX, K_MIN, PALETTES, SCHEMES
from atlas.draw.views import MAP_TYPES, TEXT_LIMITS, ViewSpec, describe
from atlas.i18n import LANGS
from atlas.values.indicators import AGGREGATIONS, NORMALISATIONS

# Characters that break naive link and JSON handling, plus Kyrgyz/Russian letters users type.
ALPHABET = list("abcXYZ019 &=?#%+,;:|/\\\"'<>{}[]ёЁңөүҢӨҮабвгдеж€😀é") + ["\u00a0"]


def rand_text(rng: np.random.Generator, max_len: int, newlines: bool = False) -> str:
    chars = ALPHABET + (["\n", "\t"] if newlines else [])
    n = int(rng.integers(0, max_len + 1))
    return "".join(rng.choice(chars, n))


def rand_float(rng: np.random.Generator) -> float:
    scale = 10.0 ** int(rng.integers(-8, 13))
    return float(rng.normal() * scale)


def random_spec(seed: int) -> ViewSpec:
    """A random valid spec: every field drawn from its whole range of valid values."""
    rng = np.random.default_rng(seed)
    pick = lambda options: str(rng.choice(sorted(options)))  # noqa: E731
    scheme = pick(SCHEMES)
    n_breaks = int(rng.integers(1 if scheme == "manual" else 0, K_MAX))
    breaks = tuple(sorted({rand_float(rng) for _ in range(n_breaks)}))
    filters = {rand_text(rng, 12): tuple(rand_text(rng, 10) for _ in range(rng.integers(0, 4)))
               for _ in range(rng.integers(0, 3))}
    upload = "upload:" + hashlib.sha256(str(seed).encode()).hexdigest()
    return ViewSpec(
        dataset=str(rng.choice(["ngo_sample", "regions", upload, "sdg:SI_POV_NAHC", "sdg:SL_TLF_UEM:sex=F",
                                "sdg:_L_KG_040202_1A:urbanisation=R"])),
        column=rand_text(rng, 30),
        aggregation=pick(AGGREGATIONS),
        normalisation=pick(NORMALISATIONS),
        filters=filters,
        map_type=pick(MAP_TYPES),
        scheme=scheme,
        k=int(rng.integers(K_MIN, K_MAX + 1)),
        breaks=breaks,
        palette=pick(PALETTES),
        reverse=bool(rng.integers(0, 2)),
        center=None if rng.random() < 0.3 else rand_float(rng),
        year=None if rng.random() < 0.3 else int(rng.integers(1990, 2031)),
        since=None if rng.random() < 0.5 else int(rng.integers(1990, 2031)),
        labels=bool(rng.integers(0, 2)),
        title=rand_text(rng, 40),
        subtitle=rand_text(rng, 40),
        note=rand_text(rng, 80, newlines=True),
        source=rand_text(rng, 40),
        author=rand_text(rng, 20),
        lang=pick(LANGS),
    )


SEEDS = range(150)


@pytest.mark.parametrize("seed", SEEDS)
def test_random_specs_round_trip_through_a_real_link(seed):
    spec = random_spec(seed)
    params = spec.to_query_params()
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in params.items())
    assert ViewSpec.from_query_params(params) == (spec, [])
    # As the browser sends it: percent-encoded, then parsed back into lists.
    url = "http://localhost/Map?" + urlencode(params)
    parsed = parse_qs(urlsplit(url).query, keep_blank_values=True)
    assert ViewSpec.from_query_params(parsed) == (spec, [])


@pytest.mark.parametrize("seed", SEEDS)
def test_random_specs_round_trip_through_json(seed):
    spec = random_spec(seed)
    assert ViewSpec.from_json(spec.to_json()) == (spec, [])
    # The store keeps to_dict() through its own json.dumps.
    assert ViewSpec.from_dict(json.loads(json.dumps(spec.to_dict()))) == (spec, [])


def test_default_spec_gives_an_empty_link():
    assert ViewSpec().to_query_params() == {}
    assert ViewSpec.from_query_params({}) == (ViewSpec(), [])


def test_link_keys_are_short_and_omit_defaults():
    params = ViewSpec(palette="RdBu", breaks=(1000.0, 2500.5), scheme="manual").to_query_params()
    assert params == {"s": "manual", "b": "1000,2500.5", "p": "RdBu"}


HOSTILE = [
    ({"k": "99"}, "k"),
    ({"k": "3.5"}, "k"),
    ({"k": "1" * 500}, "k"),
    ({"s": "jenks"}, "s"),
    ({"p": "<script>"}, "p"),
    ({"d": "../../etc/passwd"}, "d"),
    ({"d": "upload:abc"}, "d"),
    ({"y": "20x0"}, "y"),
    ({"y": "3000"}, "y"),
    ({"ce": "nan"}, "ce"),
    ({"ce": "inf"}, "ce"),
    ({"b": "3,2,1"}, "b"),
    ({"b": "1,,2"}, "b"),
    ({"b": ",".join(["1"] * 50)}, "b"),
    ({"f": "{not json"}, "f"),
    ({"f": "[1, 2]"}, "f"),
    ({"f": '{"theme": "Health"}'}, "f"),
    ({"f": "[" * 100_000}, "f"),
    ({"r": "maybe"}, "r"),
    ({"t": "x" * (TEXT_LIMITS["title"] + 1)}, "t"),
    ({"t": "bell\x07"}, "t"),
    ({"l": "de"}, "l"),
    ({"m": "3d"}, "m"),
    ({"a": ["sum", "bogus"]}, "a"),
    ({"n": []}, "n"),
]


@pytest.mark.parametrize(("params", "key"), HOSTILE)
def test_hostile_links_fall_back_and_report(params, key):
    spec, problems = ViewSpec.from_query_params(params)
    assert spec == ViewSpec()
    assert [m.params["key"] for m in problems] == [key]
    text = problems[0].render()
    assert text.startswith(f"Ignored {key}=") and len(text) < 200


def test_good_fields_survive_next_to_bad_ones_and_unknown_keys_are_ignored():
    spec, problems = ViewSpec.from_query_params({"k": "zz", "p": "Greens", "utm_source": "x", "t": "Школы"})
    assert (spec.k, spec.palette, spec.title) == (ViewSpec().k, "Greens", "Школы")
    assert len(problems) == 1


def test_manual_scheme_without_breaks_falls_back():
    spec, problems = ViewSpec.from_query_params({"s": "manual"})
    assert spec.scheme == ViewSpec().scheme and "Manual classes" in problems[0].render()


def test_unknown_builtin_dataset_is_reported_when_the_caller_lists_them():
    spec, problems = ViewSpec.from_query_params({"d": "budget_2030"}, datasets=["ngo_sample", "regions"])
    assert spec.dataset == "ngo_sample" and len(problems) == 1
    upload = "upload:" + "a" * 64
    assert ViewSpec.from_query_params({"d": upload}, datasets=["regions"]) == (ViewSpec(dataset=upload), [])


@pytest.mark.parametrize("text", ["", "null", "[]", "42", '"x"', "{", '{"k": "seven"}', b"\xff\xfe"])
def test_bad_json_never_raises(text):
    spec, problems = ViewSpec.from_json(text)
    assert isinstance(spec, ViewSpec) and problems


@pytest.mark.parametrize("seed", range(40))
def test_fuzzed_links_never_raise_and_yield_valid_specs(seed):
    rng = np.random.default_rng(1000 + seed)
    short = "d c a n f m s k b p r ce y lb t st no so au l".split()
    keys = [f.name for f in dataclasses.fields(ViewSpec)] + short
    params = {str(rng.choice(keys)): rand_text(rng, 30) for _ in range(8)}
    spec, problems = ViewSpec.from_query_params(params)
    # Whatever came in, what came out is valid: it round-trips cleanly.
    assert ViewSpec.from_query_params(spec.to_query_params()) == (spec, [])
    assert all(m.render() for m in problems)


# --- captions ------------------------------------------------------------------------------------


PER_10K = "NGO projects per 10,000 people"
CAPTIONS = [
    (ViewSpec(year=2021), "NGO projects", f"{PER_10K}, 2021, natural breaks (5 classes)"),
    (ViewSpec(), "NGO projects", f"{PER_10K} (population 2021), natural breaks (5 classes)"),
    (ViewSpec(normalisation="none", aggregation="sum", column="budget_kgs", scheme="quantiles", k=4),
     None, "Total of budget_kgs, quantiles (4 classes)"),
    (ViewSpec(normalisation="share", map_type="bubbles"), None, "Number of rows, % of the national total"),
    (ViewSpec(normalisation="per_1000km2", scheme="manual", breaks=(1.0, 2.0)), "Schools",
     "Schools per 1,000 km², manual breaks (3 classes)"),
    (ViewSpec(normalisation="none", aggregation="mean", column="x", filters={"theme": ("Health", "Water")},
              scheme="unclassed", year=2019),
     None, "Average of x, 2019, only theme: Health, Water, continuous colour scale"),
    (ViewSpec(normalisation="none", column="budget"),
     None, "Number of budget values, natural breaks (5 classes)"),
]


@pytest.mark.parametrize(("spec", "unit", "caption"), CAPTIONS)
def test_describe(spec, unit, caption):
    assert describe(spec, unit_label=unit) == caption


def test_describe_goes_through_the_translator():
    seen: list[str] = []

    def spy(text: str) -> str:
        seen.append(text)
        return "«" + text + "»"

    caption = describe(ViewSpec(year=2021), spy, unit_label="Проекты")
    assert "{what} per 10,000 people" in seen and "natural breaks ({k} classes)" in seen
    assert caption == "«Проекты per 10,000 people», 2021, «natural breaks (5 classes)»"


def test_a_translation_with_broken_placeholders_falls_back_to_english():
    caption = describe(ViewSpec(year=2021), str.upper, unit_label="Проекты")
    assert caption == "Проекты per 10,000 people, 2021, natural breaks (5 classes)"
