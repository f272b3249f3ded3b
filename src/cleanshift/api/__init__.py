"""The control plane's HTTP API (FastAPI)."""
