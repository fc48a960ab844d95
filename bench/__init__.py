"""``python -m bench``: what the offline preview costs per stack, against the floor of importing Pulumi."""
