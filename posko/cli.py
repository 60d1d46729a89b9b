"""The ``posko`` console script: Django's management commands plus Posko's own.

``posko triage …`` runs the triage engine offline, without Django or a database.
"""

from __future__ import annotations

import os
import sys

# `posko triage …` subcommands that need the database (a Django management command);
# everything else under `posko triage` runs offline.
DB_TRIAGE = frozenset({"retrain", "versions", "rollback"})
# `posko patrol …` subcommands that run offline (the rest are a Django management command).
OFFLINE_PATROL = frozenset({"match", "eval", "calibrate"})


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "triage" and (len(argv) == 2 or argv[2] not in DB_TRIAGE):
        from posko.triage.cli import main as triage_main

        return triage_main(argv[2:], sys.stdin, sys.stdout, sys.stderr)
    if len(argv) > 2 and argv[1] == "patrol" and argv[2] in OFFLINE_PATROL:
        from posko.patrol.engine.patrol_cli import main as patrol_main

        return patrol_main(argv[2:], sys.stdin, sys.stdout, sys.stderr)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "posko.config.settings")
    from django.core.management import execute_from_command_line

    argv[0] = "posko"
    execute_from_command_line(argv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
