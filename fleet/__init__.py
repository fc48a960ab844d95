"""`python -m fleet`: the same registry set-up on every cluster of a fleet (Pulumi Kubernetes Operator)."""
