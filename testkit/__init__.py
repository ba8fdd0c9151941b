"""What the tests and the benchmarks share: the Bot API stand-in, the bot as a process, pictures.

Not part of the installed package; importable from the project root (pytest, `python -m bench.x`).
"""
