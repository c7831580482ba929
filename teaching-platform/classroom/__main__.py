"""``python -m classroom`` runs the ``course`` command."""

import sys

from classroom.cli import main

if __name__ == "__main__":
    sys.exit(main())
