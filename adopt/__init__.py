"""``python -m adopt``: a stack file that reproduces a registry configured by hand."""
