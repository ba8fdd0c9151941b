import time

STARTED = time.perf_counter()  # before any import of ours: --timings counts them

import sys  # noqa: E402

from engine.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(started=STARTED))
