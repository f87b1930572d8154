"""Benchmarks with recorded results (see RESULTS.md); run one with ``python -m benchmarks.NAME``."""

# The explorer's own settings (its frame rate) apply before any benchmark imports textual, as
# they do when b2c-tui runs.
import b2c_tui.tui  # noqa: F401
