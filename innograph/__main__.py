"""``python -m innograph`` runs the command-line tool."""

from innograph.cli import main

main()
