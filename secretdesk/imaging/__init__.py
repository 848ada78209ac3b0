"""Reading scans: the one package that imports Pillow, pypdfium2 and zxing-cpp (DESIGN.md §1).

Nothing from a scan is executed or rendered by anything else: images are opened by Pillow,
PDF pages rendered by PDFium, QR codes read by zxing-cpp from those pixels.
"""
