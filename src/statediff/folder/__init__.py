"""The statements folder: statement files by series, their checks, and the reports built from them."""
