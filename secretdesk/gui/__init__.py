"""The graphical front end (PySide6). The only package that imports Qt (DESIGN.md §1)."""
