"""Offline preview: evaluate the program for a stack under the Pulumi mock engine."""
