"""Keys from a description: bindings, read-only hiding and refusal, rows they need.

:class:`Operations` is mixed into a pane (or a screen). A subclass sets ``operations`` (a
tuple of :class:`~.spec.Operation`) and ``binding_prefix``; its ``BINDINGS`` are made from them
when the class is created (Textual merges bindings at that moment), after any ``BASE_BINDINGS``
of its own. Write operations are hidden when the tenant is read-only (``check_action`` returns
``False``) and their keys answer with one line instead of doing nothing (:class:`WriteGuard`);
operations that need a row (or a selection) are disabled while there is none.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType

from ..keys import WriteGuard
from .spec import Operation


class Operations(WriteGuard):
    """Bindings and ``check_action`` from ``operations``; see the module docs."""

    operations: ClassVar[tuple[Operation, ...]] = ()
    binding_prefix: ClassVar[str] = "pane"
    BASE_BINDINGS: ClassVar[list[BindingType]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        if "operations" in cls.__dict__ or "BASE_BINDINGS" in cls.__dict__:
            cls.BINDINGS = [*cls.BASE_BINDINGS,  # type: ignore[attr-defined]
                            *(cls.operation_binding(op) for op in cls.operations)]
            cls.write_actions = frozenset(op.name for op in cls.operations if op.write)
        super().__init_subclass__(**kwargs)

    @classmethod
    def operation_binding(cls, op: Operation) -> Binding:
        """The binding of ``op`` (its action is ``op.name``)."""
        return op.binding(cls.binding_prefix)

    def has_row(self) -> bool:
        """Whether a row is under the cursor (operations with ``needs_row`` need one)."""
        return True

    def has_selection(self) -> bool:
        """Whether rows are selected (operations with ``needs_selection`` need some)."""
        return True

    def operation_state(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``check_action`` for operations: ``False`` hides a write in read-only mode,
        ``None`` disables one that needs a row (or a selection) while there is none; ``True``
        otherwise (and for actions that are not operations)."""
        if self.write_hidden(action, parameters):
            return False
        op = next((o for o in self.operations if o.name == action), None)
        if op is not None and op.needs_row and not self.has_row():
            return None
        if op is not None and op.needs_selection and not self.has_selection():
            return None
        return True
