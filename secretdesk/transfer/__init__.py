"""Signed export packages and removable media (DESIGN.md §5).

layout.py names the files and the formats shared by package.py (writing) and verify.py
(reading); media.py finds removable volumes and ejects them. Signing goes through
secretdesk.crypto (minisign, signify); this package never imports ``cryptography``.
"""
