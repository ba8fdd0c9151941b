"""The style-transfer engine and its worker. Importing this package imports no torch (see launch.py)."""
