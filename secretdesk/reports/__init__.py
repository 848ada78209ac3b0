"""Printouts as deterministic PDF bytes (DESIGN.md §4); the only package that uses reportlab.

The services fill the plain dataclasses of ``model`` from the register and call one
renderer per document; the GUI previews and prints the bytes, the CLI writes them to a file:

- ``registers.render_register``   register books (sổ đăng ký) with cover page
- ``slip.render_slip``            receipt slip (phiếu gửi) with QR code and tear-off stub
- ``labels.render_labels``        envelope and copy labels on A4 sheets
- ``minutes.render_minutes``      destruction minutes (biên bản tiêu hủy)
- ``permit.render_permit``        take-out permit
- ``inventory.render_inventory``  inventory with the discrepancies of a muster
- ``annual.render_annual_report`` annual statistics report

Form layouts are data (``forms``, resources/forms/*.json) chosen by the date in force;
``slipcode`` reads the code on a returned slip without reportlab. Importing this package
imports nothing heavy.
"""
