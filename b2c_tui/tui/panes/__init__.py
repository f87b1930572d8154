"""Resource panes: one module (or package) per resource, each a description over the kit
(:mod:`b2c_tui.tui.kit`) plus what is truly specific to it.

Panes never import each other (an import-linter contract holds it); they talk through typed
messages (:mod:`b2c_tui.tui.messages`). The navigation lists them in :mod:`b2c_tui.tui.registry`.
"""
