"""Dialogs: modal screens that take plain values in and return a value.

They never call Graph. A pane builds a dialog from values it already has (a user record, the
tenant's extension attributes), and either receives the dialog's result when it closes or, for
forms that must stay open while Graph answers, a ``submit`` callback (see
:class:`~b2c_tui.tui.dialogs.form.FormDialog`).
"""
