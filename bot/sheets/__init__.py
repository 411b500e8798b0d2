"""Spreadsheets officers download, written the same way wherever they are asked for."""
