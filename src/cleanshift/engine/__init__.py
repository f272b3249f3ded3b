"""The scan engine: walks trees, matches YARA rules, yields findings.

It knows nothing of HTTP or the control plane, so the standalone
``cleanshift scan`` and the agent share it.
"""
