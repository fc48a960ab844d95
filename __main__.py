"""Entry point for ``pulumi up``: everything lives in ``components``."""

from components.program import main

main()
