"""Where a rerun of each page spends its time: py-spy samples the script thread of AppTest reruns.

    .venv/bin/python scripts/profile_reruns.py                 # every page in PAGES, top 12 each
    .venv/bin/python scripts/profile_reruns.py overview --top 25

For each page a fresh process opens the page in AppTest, warms it (imports and first-use caches are not
a rerun's cost), attaches ``py-spy record`` to itself, then times RERUNS reruns that flip one widget between
two values where the page has an obvious one (else reruns with no change). It prints the mean rerun time
and the functions of the project (atlas/, ui/, app_pages/) and of Streamlit's serialisation with the
largest inclusive share of the samples taken inside the script run. Figures are AppTest wall times: they
leave out the websocket but include everything the page script does.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RERUNS = 30
# page script, widget key to flip, its two values (None: rerun with no change)
PAGES: dict[str, tuple[str, str | None, tuple]] = {
    "overview": ("app_pages/overview.py", None, ()),
    "builder": ("app_pages/builder.py", "builder_palette", ("Blues", "YlGnBu")),
    "ogp": ("app_pages/ogp.py", None, ()),
    "dashboard": ("app_pages/dashboard.py", None, ()),
    "register_map": ("app_pages/register_map.py", None, ()),
    "present": ("app_pages/present.py", None, ()),
    "reports": ("app_pages/reports.py", None, ()),
}
_OURS = re.compile(r"\((?:/[^:]*/)?(atlas|ui|app_pages)/[^:]*:\d+\)|streamlit/(elements|proto)/")


def drive(page: str, raw: Path) -> float:
    """Open ``page`` in AppTest, warm it, then time RERUNS reruns with py-spy attached to this process."""
    os.environ.setdefault("ACHYK_VAR_DIR", tempfile.mkdtemp(prefix="achyk-prof-"))
    sys.path.insert(0, str(ROOT))
    from streamlit.testing.v1 import AppTest

    script, key, values = PAGES[page]
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    if script != "app_pages/overview.py":
        at.switch_page(script).run()
    for _ in range(3):  # imports and first-use caches are not a rerun's cost
        at.run()
    spy = Path(sys.executable).with_name("py-spy")
    cmd = [str(spy), "record", "--pid", str(os.getpid()), "--rate", "250", "--format", "raw", "--output", str(raw)]
    recorder = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)  # let py-spy attach
    started = time.perf_counter()
    for i in range(RERUNS):
        if key:
            widget = next(w for w in at.selectbox if w.key == key)
            widget.set_value(values[i % 2])
        at.run()
    elapsed = (time.perf_counter() - started) / RERUNS * 1000
    recorder.send_signal(signal.SIGINT)
    recorder.wait(timeout=60)
    return elapsed


def shares(raw: Path) -> tuple[int, collections.Counter]:
    """Samples inside the script run, and the inclusive sample count of each function of interest."""
    total, counts = 0, collections.Counter()
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, n = line.rpartition(" ")
        if "exec_func_with_error_handling" not in stack:
            continue
        total += int(n)
        seen = {frame for frame in stack.split(";") if _OURS.search(frame)}
        for frame in seen:
            counts[frame] += int(n)
    return total, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="*", default=list(PAGES))
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:  # one page per process, so one page's caches never speed up another's figure
        with tempfile.TemporaryDirectory() as tmp:
            raw = Path(tmp) / "stacks.txt"
            mean_ms = drive(args.drive, raw)
            total, counts = shares(raw)
        print(f"PROFILE {args.drive} rerun_ms_mean {mean_ms:.0f} samples_in_script {total}")
        for frame, n in counts.most_common(args.top):
            print(f"  {100 * n / max(total, 1):5.1f}%  {frame}")
        return
    for page in args.pages:
        subprocess.run([sys.executable, __file__, "--drive", page, "--top", str(args.top)], check=True)


if __name__ == "__main__":
    main()
