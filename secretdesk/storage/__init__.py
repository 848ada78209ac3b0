"""The only package that imports sqlcipher3 (DESIGN.md §1)."""
