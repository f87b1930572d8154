"""What every Graph family of the emulator is: a route table over rules in the store.

A family is a class. Its handlers are methods marked with :func:`route` (the table: method
and path templates, as moto's ``urls``); they read the request, call the rules that live in
the store's parts and answer through the OData kit with the family's :class:`Dialect`.
Families never import each other: what two of them share belongs to the store.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeVar

from ..http import GraphError, Request, Response, empty
from ..odata import DIRECTORY, IDENTITY, Dialect, ResourceSpec, entity, page

if TYPE_CHECKING:
    from ..router import Router
    from ..store import Store

BOTH = ("v1.0", "beta")
BETA = ("beta",)

Handler = Callable[[Request], "Response | Awaitable[Response]"]
H = TypeVar("H", bound=Callable[..., Any])
T_co = TypeVar("T_co", covariant=True)
_ROUTES = "_graph_routes"


def route(method: str, *templates: str) -> Callable[[H], H]:
    """Mark a family method as the handler of ``method`` on each path template (the path
    after the version: ``/users/{id}``; see :class:`~..router.Router`)."""

    def mark(handler: H) -> H:
        known = getattr(handler, _ROUTES, ())
        setattr(handler, _ROUTES, (*known, *((method.upper(), t) for t in templates)))
        return handler

    return mark


class Family:
    """A Graph family served by the emulator.

    Subclasses set :attr:`versions` (where the operations exist), :attr:`throttle` (the
    throttling budget they draw on, see :mod:`..throttle`) and :attr:`dialect`, and mark
    their handlers with :func:`route`.
    """

    versions: ClassVar[tuple[str, ...]] = BOTH
    throttle: ClassVar[str] = "directory"
    dialect: ClassVar[Dialect] = DIRECTORY

    def __init__(self, store: Store) -> None:
        self.store = store

    def routes(self) -> Iterator[tuple[str, str, Handler]]:
        """``(method, template, bound handler)`` for every marked method, in definition
        order (an override in a subclass replaces the method it overrides)."""
        seen: set[str] = set()
        for klass in type(self).__mro__:
            for name, member in vars(klass).items():
                if name in seen or not inspect.isfunction(member):
                    continue
                seen.add(name)
                handler = member.__get__(self, type(self))
                for method, template in getattr(member, _ROUTES, ()):
                    yield method, template, handler

    def register(self, router: Router) -> None:
        """Add this family's routes to ``router``."""
        for method, template, handler in self.routes():
            router.add(method, template, handler, versions=self.versions, family=self.throttle)

    # -- the dialect's answers ---------------------------------------------------------------
    def not_found(self, key: str, kind: str = "") -> GraphError:
        """The family's 404 for ``key``."""
        return self.dialect.not_found(key, kind)

    def bad_request(self, message: str) -> GraphError:
        """The family's 400 with ``message``."""
        return self.dialect.bad_request(message)


@dataclass(frozen=True)
class ItemRules:
    """What ``PATCH`` and ``DELETE`` on one item do: rules of a store part, called with the
    store, the item and (for an update) the request body; both answer 204 No Content."""

    update: Callable[[Store, Any, dict[str, Any]], object] | None = None
    delete: Callable[[Store, Any], object] | None = None


class ItemFamily(Family):
    """A family over a collection whose items a path names (``/things/{id}``).

    Subclasses say what a 404 calls an item (:attr:`kind`), where the collection and its
    items are (:attr:`base`, or :attr:`collection_path` and :attr:`item_paths`), how a path
    finds one (:meth:`lookup`), how one reads back (:attr:`spec`, :meth:`render`), what the
    collection lists (:meth:`listed`) and which rules update and delete an item
    (:attr:`changes`): the ``GET``, ``PATCH`` and ``DELETE`` routes follow from that.
    """

    kind: ClassVar[str] = ""
    #: The collection's path; its items are ``{base}/{id}`` unless :attr:`item_paths` says.
    base: ClassVar[str | None] = None
    collection_path: ClassVar[str | None] = None
    item_paths: ClassVar[tuple[str, ...]] = ()
    changes: ClassVar[ItemRules] = ItemRules()
    #: How items read back: set, ``GET`` lists the collection and reads an item.
    spec: ClassVar[ResourceSpec | None] = None
    #: One item's ``@odata.context`` fragment, when it is not the spec's (with the selection).
    entity_context: ClassVar[str | None] = None

    def lookup(self, request: Request) -> Any:
        """The item the request's path names; the dialect's 404 when there is none."""
        raise NotImplementedError

    def render(self, item: Any, request: Request) -> dict[str, Any]:
        """An item as a ``GET`` returns it."""
        return dict(item)

    def listed(self, request: Request) -> Iterable[tuple[Any, dict[str, Any]]]:
        """``(key, record as listed)`` of the collection, in its order."""
        raise NotImplementedError

    def routes(self) -> Iterator[tuple[str, str, Handler]]:
        yield from super().routes()
        collection = self.collection_path or self.base
        if self.spec is not None and collection is not None:
            yield "GET", collection, self._list
        items = self.item_paths or ((f"{self.base}/{{id}}",) if self.base else ())
        for path in items:
            if self.spec is not None:
                yield "GET", path, self._get
            if self.changes.update is not None:
                yield "PATCH", path, self._update
            if self.changes.delete is not None:
                yield "DELETE", path, self._delete

    def _list(self, request: Request) -> Response:
        assert self.spec is not None
        return page(request, self.spec, self.listed(request))

    def _get(self, request: Request) -> Response:
        assert self.spec is not None
        item = self.render(self.lookup(request), request)
        return entity(request, self.spec, item, context_url=self.entity_context)

    def _update(self, request: Request) -> Response:
        assert self.changes.update is not None
        self.changes.update(self.store, self.lookup(request), request.json_object())
        return empty(204)

    def _delete(self, request: Request) -> Response:
        assert self.changes.delete is not None
        self.changes.delete(self.store, self.lookup(request))
        return empty(204)


class Keyed(Protocol[T_co]):
    """A collection of the store addressed by key (a ``CIDict`` of the identity state)."""

    def get(self, key: str) -> T_co | None: ...

    def values(self) -> Sequence[T_co]: ...


class IdentityFamily(ItemFamily):
    """A family of the identity services over one keyed collection of the store (named by
    :meth:`items`, a path's ``{id}`` addressing an item, read back with an ``@odata.context``
    that names no selection)."""

    throttle = "identity"
    dialect = IDENTITY

    def _get(self, request: Request) -> Response:
        assert self.spec is not None
        item = self.render(self.lookup(request), request)
        context = self.entity_context or f"{self.spec.entity_set}/$entity"
        return entity(request, self.spec, item, context_url=context)

    def items(self) -> Keyed[Any]:
        """The store's collection this family serves."""
        raise NotImplementedError

    def lookup(self, request: Request) -> Any:
        key = request.params["id"]
        found = self.items().get(key)
        if found is None:
            raise self.not_found(key, self.kind)
        return found

    def listed(self, request: Request) -> Iterable[tuple[Any, dict[str, Any]]]:
        return enumerate(self.render(item, request) for item in self.items().values())
