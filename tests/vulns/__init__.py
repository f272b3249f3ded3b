"""Tests for cleanshift.vulns."""
