"""Full screens and modal screens (help, the `:` and `/` prompt)."""
