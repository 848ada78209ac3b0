"""One dialog per use case that writes to the vault (gui/write.py is their pattern)."""
