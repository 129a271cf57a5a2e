"""Reading: a statement file (text, Markdown with front matter, saved HTML) -> Document."""
