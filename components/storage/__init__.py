"""The storage kinds, a folder each (``components/storage/kind.py`` says what a folder holds)."""
