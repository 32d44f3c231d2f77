"""Generate the ILLUSTRATIVE sample of NGO projects (data/sample_ngo_projects.csv). Not real data.

No public registry of NGO activity by oblast exists, so demos use this seeded, synthetic table:
organisations, projects per region, office coordinates inside the right region, themes drawn
from the OGP policy areas of the 2018-2020 plan, years 2018-2023, beneficiaries and budgets.
Project counts loosely follow population so that per-capita maps show real variation.

Run: .venv/bin/python scripts/make_sample_ngo.py (same seed → same file).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from atlas.places import gazetteer, geo  # noqa: E402

SEED = 2018
THEMES = [
    "Open Data", "Access to Information", "Public Participation", "Anti-Corruption",
    "Fiscal Openness", "Health", "Education", "Local Commitments", "Public Service Delivery",
]
ORG_KINDS = ["public association", "public foundation", "association of legal entities", "local initiative group"]
ORG_WORDS = ["Ayalga", "Bilim", "Meerim", "Tunduk", "Yntymak", "Jashtyk", "Aichurok", "Kelechek", "Ak-Jol",
             "Bereke", "Umut", "Nur", "Sanat", "Jaryk", "Insan", "Tabigat", "Oomat", "Tynchtyk"]
# Relative activity per region: a deliberate spread so per-capita maps have something to show.
ACTIVITY = {"KG-B": 0.7, "KG-C": 1.0, "KG-J": 0.8, "KG-N": 1.6, "KG-O": 0.6, "KG-T": 1.2, "KG-Y": 1.3,
            "KG-GB": 2.2, "KG-GO": 1.4}


def _point_in(code: str, rng: np.random.Generator, shapes: dict) -> tuple[float, float]:
    poly = shapes[code]
    minx, miny, maxx, maxy = poly.bounds
    while True:
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if poly.contains(shapely.Point(lon, lat)):
            return (round(lon, 5), round(lat, 5))


def main() -> None:
    rng = np.random.default_rng(SEED)
    regions = gazetteer.regions()
    shapes = dict(zip(geo.admin1("full")["iso_3166_2"], geo.admin1("full").geometry, strict=True))
    rows = []
    for code in gazetteer.CODES:
        expected = regions.at[code, "population"] / 10_000 * 0.9 * ACTIVITY[code]
        for _ in range(int(rng.poisson(expected))):
            lon, lat = _point_in(code, rng, shapes)
            kind = str(rng.choice(ORG_KINDS, p=[0.5, 0.25, 0.1, 0.15]))
            rows.append({
                "organisation": f"{rng.choice(ORG_WORDS)} {kind}",
                "org_type": kind,
                "region_code": code,
                "region_ru": regions.at[code, "name_ru"],
                "lat": lat,
                "lon": lon,
                "theme": str(rng.choice(THEMES)),
                "year": int(rng.integers(2018, 2024)),
                "beneficiaries": int(rng.lognormal(5.5, 0.9)),
                "budget_kgs": int(round(rng.lognormal(13.2, 0.8), -3)),
            })
    df = pd.DataFrame(rows).sort_values(["region_code", "year"]).reset_index(drop=True)
    df.insert(0, "project_id", [f"P{i:04d}" for i in range(1, len(df) + 1)])
    out = Path(__file__).resolve().parents[1] / "data" / "sample_ngo_projects.csv"
    df.to_csv(out, index=False)
    print(f"{out.name}: {len(df)} illustrative projects")
    print(df.groupby("region_code").size().to_string())


if __name__ == "__main__":
    main()
