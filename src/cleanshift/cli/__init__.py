"""The ``cleanshift`` command line: one module per command group."""
