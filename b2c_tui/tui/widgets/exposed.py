"""``Exposed``: a public, read-only attribute over a private one that only its widget writes.

A widget keeps the state it alone may change (the cursor, the sort, the layout) in a private
attribute and lets the rest of the explorer read it. ``unified = Exposed[bool]("_unified",
"...")`` says so in one line where a ``@property`` that only returns the attribute takes three.
Read on the class it is the descriptor (its ``__doc__`` for ``help()``), on an instance the
value.

It is a ``property`` whose getter is ``operator.attrgetter``: the read runs in C, with no
Python frame, which matters because the table's painter reads the cursor and the layout for
every row it draws (a descriptor written in Python was measured at 2.4 times a plain property's
cost; this is a little cheaper than one). The typed ``__get__`` overloads are for mypy only,
since ``property(attrgetter(...))`` alone would read as ``Any``.
"""

from __future__ import annotations

from operator import attrgetter
from typing import TYPE_CHECKING, Generic, Never, Self, TypeVar, overload

T = TypeVar("T")


class Exposed(property, Generic[T]):
    """Reads the instance's ``private`` attribute; assigning raises ``AttributeError``, as it
    does for a property without a setter (naming the attribute)."""

    def __init__(self, private: str, doc: str | None = None) -> None:
        super().__init__(attrgetter(private), self._refuse, None, doc)
        self.__doc__ = doc
        self.private = private
        self.name = private

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def _refuse(self, instance: object, value: object) -> None:
        raise AttributeError(f"{type(instance).__name__}.{self.name} is read-only")

    if TYPE_CHECKING:
        @overload  # type: ignore[override]
        def __get__(self, instance: None, owner: type | None = None) -> Self: ...

        @overload
        def __get__(self, instance: object, owner: type | None = None) -> T: ...

        def __get__(self, instance: object | None, owner: type | None = None) -> T | Self: ...

        # ``Never``, so that mypy refuses an assignment, as it does for a read-only property.
        def __set__(self, instance: object, value: Never) -> None: ...
