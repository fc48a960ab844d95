"""Specs: pure functions from settings to the exact objects the providers receive."""
