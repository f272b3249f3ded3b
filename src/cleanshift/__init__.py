"""CleanShift: find and fix what attackers leave on web servers."""

__version__ = "0.1.0"
