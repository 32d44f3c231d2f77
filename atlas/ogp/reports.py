"""A civil-society monitoring report of an OGP commitment: its fields, validation, statistics and samples."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg, plural_msg
from atlas.ogp import commitments as ogp
from atlas.places.gazetteer import CODES

NATIONAL = "national"
STATUSES: dict[str, str] = {
    "not_started": N_("not started"),
    "in_progress": N_("in progress"),
    "completed": N_("completed"),
    "stalled": N_("stalled"),
    "unclear": N_("unclear"),
}
KG_TZ = timezone(timedelta(hours=6))
EARLIEST_OBSERVATION = date(2018, 1, 1)  # the plan was drafted in 2018; earlier dates are typos
MAX_TEXT = {"activity": 500, "evidence": 1000, "organisation": 200, "contact": 200}
SAMPLE_ORG_PREFIX = "Sample: "


def local_today() -> date:
    """Today's date in Kyrgyzstan (UTC+6 all year, no daylight saving since 2005).

    A report made at 03:00 in Naryn is dated by the local calendar, not by UTC, so it is not "in the future".

    >>> isinstance(local_today(), date)
    True
    """
    return datetime.now(KG_TZ).date()


def refuse(text: str, params: dict | None = None) -> UserError:
    return UserError(Msg(text, params or {}))


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Report:
    """One monitoring observation. ``regions`` holds ISO codes (``CODES``) or just ``("national",)``.

    >>> Report("KG0001", ("KG-B",), "completed", "https://x.kg", date(2020, 1, 5), "NGO").status
    'completed'
    """

    commitment_id: str
    regions: tuple[str, ...]
    status: str
    evidence: str
    observed_on: date
    organisation: str
    activity: str = ""
    contact: str = ""
    id: int | None = None
    is_sample: bool = False
    hidden: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


EDITABLE = (
    "commitment_id",
    "regions",
    "status",
    "evidence",
    "observed_on",
    "organisation",
    "activity",
    "contact",
)


@dataclass(frozen=True)
class ReportFilter:
    """What ``list_reports`` keeps; ``None`` means no condition. ``region`` matches a code or "national".

    >>> ReportFilter(status="stalled").status
    'stalled'
    """

    commitment_id: str | None = None
    status: str | None = None
    region: str | None = None
    organisation: str | None = None
    observed_from: date | None = None
    observed_to: date | None = None


@dataclass(frozen=True)
class ReportStats:
    """Dashboard tables.

    ``by_commitment``: index commitment_id, one column per status key, plus ``total``.
    ``by_region``: index region code (``CODES`` then "national"), columns reports, completed, share_completed
    (NaN where there are no reports: no data is not zero). ``timeline``: columns month (first day), reports.
    """

    by_commitment: pd.DataFrame
    by_region: pd.DataFrame
    timeline: pd.DataFrame


class ReportInvalid(UserError):
    """A report with problems; ``problems`` maps a field name to its message (for per-widget errors)."""

    def __init__(self, problems: dict[str, Msg]):
        super().__init__(
            plural_msg(
                "The report was not saved: {n} field needs fixing.",
                "The report was not saved: {n} fields need fixing.",
                len(problems),
            )
        )
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Validation (pure)

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*)://")
_DANGEROUS = re.compile(r"^\s*(javascript|data|vbscript|file)\s*:", re.IGNORECASE)
_LINK = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+\S*$|^https?://localhost\S*$", re.IGNORECASE)


def _evidence_problem(text: str) -> Msg | None:
    if not text:
        return Msg(N_("Add evidence: a link or a short description."))
    if _DANGEROUS.match(text) or (
        _SCHEME.match(text) and _SCHEME.match(text).group(1).lower() not in ("http", "https")
    ):
        return Msg(N_("An evidence link must start with http:// or https://."))
    if _SCHEME.match(text) and not _LINK.match(text):
        return Msg(N_("The evidence link is not a complete web address."))
    return None


def evidence_link(evidence: str) -> str | None:
    """The evidence as a URL a page may render as a link, or ``None`` when it is plain text.

    >>> evidence_link("https://gov.kg/a"), evidence_link("Minutes seen at the akimiat")
    ('https://gov.kg/a', None)
    """
    text = (evidence or "").strip()
    return text if _LINK.match(text) else None


def as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _clean_regions(regions: Any) -> tuple[tuple[str, ...], Msg | None]:
    items = [regions] if isinstance(regions, str) else list(regions or ())
    codes = list(dict.fromkeys(str(r).strip() for r in items if str(r).strip()))
    unknown = [c for c in codes if c not in CODES and c != NATIONAL]
    if not codes:
        return (), Msg(N_('Choose at least one region, or "national".'))
    if unknown:
        return (), Msg(N_("Unknown region code(s): {codes}."), {"codes": ", ".join(unknown)})
    if NATIONAL in codes and len(codes) > 1:
        return (), Msg(N_('Choose either "national" or regions, not both.'))
    return tuple(c for c in (*CODES, NATIONAL) if c in codes), None


def validate_report(report: Report, known_ids: set[str] | None = None, today: date | None = None) -> Report:
    """Return ``report`` tidied (stripped text, ordered regions); raise ``ReportInvalid`` listing problems.

    ``known_ids``: commitment IDs allowed (default: the bundled table's present and known-missing IDs).

    >>> r = Report(" KG0001 ", ["KG-C", "KG-B"], "completed", "seen", date(2020, 1, 1), "NGO")
    >>> validate_report(r).regions
    ('KG-B', 'KG-C')
    """
    today = today or local_today()
    known_ids = known_ids if known_ids is not None else ogp.known_ids(ogp.bundled_commitments())
    problems: dict[str, Msg] = {}
    text = {name: str(getattr(report, name) or "").strip() for name in MAX_TEXT}
    cid = str(report.commitment_id or "").strip().upper()
    if cid not in known_ids:
        problems["commitment_id"] = Msg(N_('Unknown commitment "{value}"; choose one from the list.'), {"value": cid})
    regions, region_problem = _clean_regions(report.regions)
    if region_problem:
        problems["regions"] = region_problem
    if report.status not in STATUSES:
        problems["status"] = Msg(N_("Choose a status from the list."))
    observed = as_date(report.observed_on)
    if observed is None:
        problems["observed_on"] = Msg(N_("The date observed is not a date like 2020-05-31."))
    elif observed > today:
        problems["observed_on"] = Msg(
            N_("The date observed ({value}) is in the future."), {"value": observed.isoformat()}
        )
    elif observed < EARLIEST_OBSERVATION:
        problems["observed_on"] = Msg(
            N_("The date observed is before {earliest}, when the plan did not exist yet."),
            {"earliest": EARLIEST_OBSERVATION.isoformat()},
        )
    if problem := _evidence_problem(text["evidence"]):
        problems["evidence"] = problem
    if not text["organisation"]:
        problems["organisation"] = Msg(N_("Name the organisation that made the observation."))
    for name, limit in MAX_TEXT.items():
        if len(text[name]) > limit and name not in problems:
            problems[name] = Msg(N_("This text is too long: at most {limit} characters."), {"limit": limit})
    if problems:
        raise ReportInvalid(problems)
    return replace(report, commitment_id=cid, regions=regions, observed_on=observed, **text)


# ---------------------------------------------------------------------------------------------
# Statistics and samples (pure)


def compute_stats(reports: list[Report]) -> ReportStats:
    """Dashboard tables from a list of reports (see ``ReportStats``).

    >>> int(compute_stats([]).by_region.loc["KG-B", "reports"])
    0
    """
    status_keys = list(STATUSES)
    by_c = pd.DataFrame([(r.commitment_id, r.status) for r in reports], columns=["commitment_id", "status"])
    by_commitment = (
        pd.crosstab(by_c["commitment_id"], by_c["status"])
        if len(by_c)
        else pd.DataFrame(index=pd.Index([], name="commitment_id"))
    )
    by_commitment = by_commitment.reindex(columns=status_keys, fill_value=0).astype(int)
    by_commitment.columns.name = None
    by_commitment["total"] = by_commitment.sum(axis=1)
    pairs = [(code, r.status == "completed") for r in reports for code in r.regions]
    per = pd.DataFrame(pairs, columns=["region", "completed"])
    grouped = per.groupby("region")["completed"].agg(reports="size", completed="sum")
    by_region = grouped.reindex([*CODES, NATIONAL], fill_value=0).astype(int)
    by_region.index.name = "region"
    share = by_region["completed"] / by_region["reports"].where(by_region["reports"] > 0)
    by_region["share_completed"] = share  # NaN where no reports: "no data" is not 0 %
    months = pd.Series([r.observed_on.replace(day=1) for r in reports], dtype="object")
    timeline = months.value_counts().sort_index().rename_axis("month").reset_index(name="reports")
    return ReportStats(by_commitment, by_region, timeline)


def sample_reports(commitments: pd.DataFrame, count: int = 60, seed: int = 2018) -> list[Report]:
    """Illustrative, clearly labelled reports for demos (deterministic for a seed); never real data.

    >>> sample_reports(ogp.bundled_commitments(), 3)[0].is_sample
    True
    """
    rng = random.Random(seed)
    ids = sorted(commitments["commitment_id"])
    orgs = [
        f"{SAMPLE_ORG_PREFIX}{name}"
        for name in ("Youth Initiative", "Mountain Villages Forum", "Budget Watch", "Women's Council")
    ]
    start, span = date(2019, 1, 1), (date(2020, 12, 31) - date(2019, 1, 1)).days
    out = []
    for n in range(count):
        regions = (NATIONAL,) if rng.random() < 0.15 else tuple(rng.sample(CODES, rng.choice((1, 1, 1, 2))))
        out.append(
            Report(
                commitment_id=rng.choice(ids),
                regions=regions,
                status=rng.choice(list(STATUSES)),
                evidence="Illustrative sample, not a real observation",
                organisation=rng.choice(orgs),
                observed_on=start + timedelta(days=rng.randrange(span)),
                activity=f"Sample activity {n + 1}",
                is_sample=True,
            )
        )
    return out
