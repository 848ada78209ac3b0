"""Entry point of the frozen application (PyInstaller runs this file as ``__main__``)."""

from secretdesk.__main__ import main

if __name__ == "__main__":
    main()
