"""Trust Framework policies and policy keys: the domain under the policies and keys panes and
the ``b2c-tui policies`` / ``b2c-tui keys`` commands. No Textual, no I/O on import.

Modules, by role:

- :mod:`.xmlsafe` / :mod:`.parser`: read a policy safely (defusedxml rules, BOM, UTF-16, a
  16 MB reading limit) into a :class:`~.model.Policy` with every definition and reference and
  its position (:mod:`.model`; lines and columns are 1-based).
- :mod:`.index`: :class:`~.index.PolicyIndex` for the XML viewer: ``symbol_at`` /
  ``reference_at(policy_id, line, col)``, ``definition_of(ref, chain)`` following the base chain,
  ``uses_of(symbol, chain)``. Build it in a worker thread (parsing is the cost: ~60 ms for a
  1 MB policy); queries take microseconds and the index never changes once built.
- :mod:`.inheritance`: :class:`~.inheritance.InheritanceGraph`: chains, policy sets side by
  side, ``tree()`` rows for a tree view, problems (missing base, cycle, another tenant),
  ``upload_order()``.
- :mod:`.lint`: :func:`~.lint.lint_policies`, findings with file, line, rule and severity.
- :mod:`.settings`: per-profile placeholder settings and prefixes for parallel sets.
- :mod:`.diff`: set and document diffs (unified text, side-by-side rows), normalising only
  what Graph itself changes.
- :mod:`.local`: policy folders on disk; :mod:`.tenant`: reading policies, keysets and the
  tenant's names over Graph.
- :mod:`.plan` (dry run, ``lint_folder``), :mod:`.push` (push, restore, delete; backups first,
  read-only refused before anything is sent), :mod:`.pull`, :mod:`.backups` (the journal).
- :mod:`.keys` (listing rows without secrets, key health) and :mod:`.key_material` (checks
  before sending, certificates read locally, create-then-add, rotation plans).

Everything that talks to Graph is ``async`` and takes a :class:`~b2c_tui.graph.GraphClient`;
CPU-heavy steps (parsing many documents, lint) run in ``asyncio.to_thread`` so an event loop
driving them stays responsive.
"""
