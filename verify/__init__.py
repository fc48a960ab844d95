"""``python -m verify``: does the deployed registry work, with its own credentials, as the stack meant?"""
