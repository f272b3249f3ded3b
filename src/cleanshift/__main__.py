"""``python -m cleanshift`` runs the CLI."""

from cleanshift.cli.main import run

run()
