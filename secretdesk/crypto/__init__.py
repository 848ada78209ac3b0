"""The only package that imports ``cryptography`` (DESIGN.md §1)."""
