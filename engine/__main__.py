import time

STARTED = time.perf_counter()  # before any import of ours: --timings counts them

import os  # noqa: E402
import sys  # noqa: E402

from engine.cli import main  # noqa: E402

if __name__ == "__main__":
    code = main(started=STARTED)
    if sys.argv[1:2] == ["stylize"]:
        # The picture is written and the summary said: leave without the interpreter tearing torch
        # down: its last garbage collection and module teardown are a noticeable part of a short run.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)
