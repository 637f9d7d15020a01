"""`python -m bench [--scale 0.1 ...]`: the benchmark, run outside the installed package.

The benchmark is a development tool: it lives beside the project, not in its wheel, and runs
with the project's settings on whatever DATABASE_URL names (see `make bench`)."""

import os
import sys

import django


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
    django.setup()
    from bench.command import Command  # needs the apps loaded: it imports the models

    Command().run_from_argv(["python -m bench", "bench", *argv])


if __name__ == "__main__":
    main(sys.argv[1:])
