"""Benchmark the upload path: read + match + aggregate a generated CSV of dated amounts by oblast.

Prints:
  BENCH upload_300k_s <value> s        wall time of read_upload + match_column + aggregate, 300,000 rows
  BENCH upload_300k_vs_parse <ratio> x that time / a bare pandas.read_csv(engine="pyarrow") of the file
  BENCH upload_1m_s <value> s          the same for 1,000,000 rows
  BENCH upload_1m_peak_mb <value> MB   peak RSS (ru_maxrss) of a fresh subprocess doing the 1M run

Peak memory is measured as the peak resident set size of a child process (resource.ru_maxrss),
so it counts pandas/pyarrow native buffers that tracemalloc would miss. Files go to a temp dir.

    .venv/bin/python scripts/bench_upload.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

NAMES = [
    "Чуйская область",
    "г. Бишкек",
    "Ошская обл.",
    "Ош шаары",
    "Нарынская",
    "Таласская область",
    "Иссык-Кульская обл.",
    "Джалал-Абадская область",
    "Баткенская область",
    "Ysyk-Köl oblusu",
]


def make_csv(path: Path, rows: int, seed: int = 1) -> None:
    """Dated amounts by oblast name, ';'-separated with decimal commas (as Excel saves in Russian)."""
    rng = np.random.default_rng(seed)
    dates = pd.Timestamp("2019-01-01") + pd.to_timedelta(rng.integers(0, 1500, rows), unit="D")
    amounts = np.round(rng.gamma(2.0, 5000.0, rows), 2)
    df = pd.DataFrame(
        {
            "Дата": dates.strftime("%Y-%m-%d"),
            "Область": np.array(NAMES)[rng.integers(0, len(NAMES), rows)],
            "Сумма": pd.Series(amounts).map("{:.2f}".format).str.replace(".", ",", regex=False),
            "Проект": rng.integers(1, 500, rows),
        }
    )
    df.to_csv(path, sep=";", index=False)


def run_upload(path: Path) -> float:
    """Seconds for the whole upload path on one file."""
    from atlas import read
    from atlas.places import regions

    t0 = time.perf_counter()
    up = read.read_upload(path.read_bytes(), path.name)
    res = regions.match_column(up.table[up.roles.region])
    agg = regions.aggregate_by_region(up.table, res.codes, up.roles.values[0], "sum")
    elapsed = time.perf_counter() - t0
    assert res.matched_rows == len(up.table) and len(agg) == 9, (res.matched_rows, len(agg))
    return elapsed


def bare_parse(path: Path) -> float:
    t0 = time.perf_counter()
    pd.read_csv(path, sep=";", engine="pyarrow")
    return time.perf_counter() - t0


def child_peak(path: Path) -> tuple[float, float]:
    """Run the upload path in a fresh process; return (seconds, peak RSS in MB)."""
    code = (
        f"import resource, sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path;"
        f"from scripts.bench_upload import run_upload; s = run_upload(Path({str(path)!r}));"
        "print(s, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    secs, mb = out.stdout.split()
    return float(secs), float(mb)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        small, big = Path(tmp) / "300k.csv", Path(tmp) / "1m.csv"
        make_csv(small, 300_000)
        make_csv(big, 1_000_000, seed=2)
        run_upload(small)  # warm imports and caches, as a running app would have them
        upload = min(run_upload(small) for _ in range(3))
        parse = min(bare_parse(small) for _ in range(3))
        print(
            f"# 300k file {small.stat().st_size / 2**20:.1f} MB, 1M file {big.stat().st_size / 2**20:.1f} MB"
        )
        print(f"BENCH upload_300k_s {upload:.3f} s")
        print(f"BENCH upload_300k_vs_parse {upload / parse:.2f} x")
        secs, mb = child_peak(big)
        print(f"BENCH upload_1m_s {secs:.3f} s")
        print(f"BENCH upload_1m_peak_mb {mb:.0f} MB")


if __name__ == "__main__":
    main()
