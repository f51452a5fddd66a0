"""innograph: what every package shares — settings, the error tree and the CLI."""

__version__ = "0.1.0"
