"""Trust Framework policy domain logic (parsing, inheritance, diff, upload order). No Textual."""
