"""Copy the reference tables the app needs from ../shared/reference into data/.

Run by a maintainer; the app only reads data/. The copies are byte-for-byte, so the
provenance notes in ../shared/reference/*.md apply unchanged (summarised in data/README.md).
"""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REF = ROOT.parent / "shared" / "reference"

COPIES = {
    "kg_admin1.csv": "regions.csv",
    "kg_admin1.md": "regions.md",
    "kg_admin1_aliases.csv": "region_aliases.csv",
    "ogp_kg_nap_2018_2020.csv": "ogp_commitments.csv",
    "ogp_kg_nap_2018_2020.md": "ogp_commitments.md",
}

if __name__ == "__main__":
    for src, dst in COPIES.items():
        shutil.copyfile(REF / src, ROOT / "data" / dst)
        print(f"data/{dst} <- shared/reference/{src}")
