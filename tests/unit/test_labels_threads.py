"""Label widths are measured from several sessions' threads at once without harming the server.

Each session's script runs in a thread of its own. Measuring through one shared FreeType face from
two threads at once corrupted the heap and aborted the whole server (``malloc(): unaligned tcache
chunk detected``) as soon as four participants opened a map together. The check runs in a child
process, so that a crash shows as a failed test instead of taking pytest down with it.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import threading
from atlas.draw import labels

# Every character a first time from many threads at once: the cache cannot hide the shared face.
chars = [chr(c) for c in range(0x20, 0x250)] + [chr(c) for c in range(0x400, 0x530)]
widths = {}
barrier = threading.Barrier(8)

def work(k):
    barrier.wait()
    for i in range(len(chars)):
        ch = chars[(i * 7 + k * 131) % len(chars)]
        widths[(k, ch)] = labels.text_box("Ош " + ch)[0]

threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
for t in threads:
    t.start()
for t in threads:
    t.join()
one = {ch: labels.text_box("Ош " + ch)[0] for ch in chars}
assert all(w == one[ch] for (k, ch), w in widths.items()), "threads measured different widths"
print("measured", len(widths))
"""


def test_eight_threads_measure_labels_at_once_and_agree() -> None:
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", CHILD], cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.split() == ["measured", str(8 * (0x250 - 0x20 + 0x530 - 0x400))]
