"""The agent on each server: discovers sites, runs commands, reports back."""
