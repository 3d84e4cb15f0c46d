"""No page state may call a service on the event loop: every call goes through `run_service`, awaited.

Reflex runs every visitor's events on one asyncio loop (in `make run` the payment sandbox too), so one
synchronous database, argon2 or provider call in an event handler freezes everybody. This reads the
source of every state class of the app (event handlers, helpers and computed vars, and the app's own
helper functions they call), resolves each call to the object it names, and refuses:
  - a call to a function of `services` (unless it is in PURE: computation without I/O),
  - a service handed to a synchronous function, and a function calling a callable it was handed
    (that is how a sync `guard(fn, ...)` would run `fn` on the loop),
  - `asyncio.to_thread` anywhere but the one helper (barby_app/state/offloop.py),
  - a coroutine (run_service, guard, a state's async helper) called without `await`.
The first test proves the checker catches each of those in a deliberately bad state, so it cannot pass
by resolving nothing; the second runs it on the real app and checks it saw the app's service calls.
The browser test tests/backoffice/test_offloop_browser.py shows the effect on the running app.
"""

from __future__ import annotations

import ast
import asyncio
import inspect
import sys
import textwrap
from collections.abc import Iterator
from types import FunctionType

import reflex as rx

import barby_app.barby_app  # noqa: F401  (registers every page and state)
from barby_app.state.offloop import run_service
from services.backoffice.search import parse_filters
from services.backoffice.shows import show_form_values
from services.catalog import filter_shows
from services.clock import format_money, local, now
from services.giftcards import normalize_code
from services.giftcards.redemption import typed_cap
from services.order_access import return_url
from services.settings import get_settings
from services.staff.roles import powers

# Services that only compute (no database, no network, no hashing): fine to call on the loop.
PURE = {filter_shows, parse_filters, show_form_values, powers, local, get_settings, format_money, now, normalize_code,
        typed_cap, return_url}


def _resolve(node: ast.expr, namespace: dict, owner: object | None) -> object | None:
    """The object a call's target names (`fn`, `module.fn`, `self.method`), or None if it is a local value."""
    if isinstance(node, ast.Name):
        return namespace.get(node.id)
    if isinstance(node, ast.Attribute):
        if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            target = getattr(owner, node.attr, None)
        else:
            base = _resolve(node.value, namespace, owner)
            target = getattr(base, node.attr, None) if base is not None else None
        return getattr(target, "fn", target) if isinstance(target, rx.event.EventHandler) else target
    return None


def _module(thing: object) -> str:
    return getattr(thing, "__module__", None) or ""


class Checker:
    """Walks function bodies and collects every way they could block the event loop."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.offloaded: set[str] = set()  # services handed to run_service / guard: proof the checker resolved calls
        self.functions = 0
        self._seen: set[object] = set()

    def check_class(self, tree: ast.ClassDef, namespace: dict, owner: object) -> None:
        for item in tree.body:
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                self.check_function(item, namespace, owner, f"{tree.name}.{item.name}")

    def check_function(self, tree: ast.AST, namespace: dict, owner: object | None, where: str) -> None:
        self.functions += 1
        awaited = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Await)}
        parameters = {a.arg for node in ast.walk(tree) if isinstance(node, ast.arguments)  # a `type[...]` is a class
                      for a in (*node.posonlyargs, *node.args, *node.kwonlyargs, node.vararg, node.kwarg)
                      if a and not (a.annotation and ast.unparse(a.annotation).startswith("type["))}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                if isinstance(node.func, ast.Name) and node.func.id in parameters:
                    self.problems.append(f"{where}: calls its argument {node.func.id}() on the event loop")
                self._check_call(node, namespace, owner, where, id(node) in awaited)

    def _check_call(self, call: ast.Call, namespace: dict, owner: object | None, where: str, awaited: bool) -> None:
        target = _resolve(call.func, namespace, owner)
        name = ast.unparse(call.func)
        if target is None or inspect.isclass(target):
            return
        if target is asyncio.to_thread:
            self.problems.append(f"{where}: {name}() instead of run_service (one helper for every state)")
        elif inspect.iscoroutinefunction(target):
            if not awaited:
                self.problems.append(f"{where}: {name}() is a coroutine called without await")
            if call.args:  # run_service(fn, ...) / self.guard(fn, ...): note what it offloads
                handed = _resolve(call.args[0], namespace, owner)
                if _module(handed).startswith("services."):
                    self.offloaded.add(f"{handed.__module__}.{handed.__name__}")
        elif _module(target).startswith("services.") and target not in PURE:
            self.problems.append(f"{where}: calls {name}() on the event loop; use await run_service({name}, ...)")
        else:
            for argument in call.args:
                handed = _resolve(argument, namespace, owner)
                if callable(handed) and not inspect.isclass(handed) and handed not in PURE \
                        and _module(handed).startswith("services."):
                    self.problems.append(f"{where}: hands {ast.unparse(argument)} to {name}(), which is not async")
        if isinstance(target, FunctionType) and _module(target).startswith("barby_app.") and target is not run_service:
            self._check_app_helper(target, where)

    def _check_app_helper(self, helper: FunctionType, where: str) -> None:
        """A plain function of the app called from a state runs on the loop too: check its body as well."""
        if helper in self._seen or helper.__qualname__.count("."):  # methods are checked with their class
            return
        self._seen.add(helper)
        tree = ast.parse(textwrap.dedent(inspect.getsource(helper)))
        self.check_function(tree, helper.__globals__, None, f"{where} -> {helper.__qualname__}")


def app_states() -> Iterator[type[rx.State]]:
    def walk(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    yield from (cls for cls in walk(rx.State) if cls.__module__.startswith("barby_app."))


def check_states(states: list[type]) -> Checker:
    checker = Checker()
    for cls in states:
        module = sys.modules[cls.__module__]
        tree = ast.parse(inspect.getsource(module))
        node = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls.__name__)
        checker.check_class(node, vars(module), cls)
    return checker


BAD_STATE = '''
class BadState:
    def guard(self, fn, *args):
        return fn(self.token, *args)  # the service runs right here, on the loop

    def _reload(self):
        self.page = order_service.order_page(self.token, "B-1")  # a service, straight on the loop

    async def load(self):
        self.shows = upcoming_shows("he")  # imported by name
        self._later = run_service(upcoming_shows, "he")  # never awaited: nothing runs
        self.mail = await asyncio.to_thread(list_messages)  # right effect, but not the one helper
        self.fine = await run_service(upcoming_shows, "he")
        self.shown = filter_shows([], "x")  # pure: allowed
        self.hits = self.guard(order_service.order_page, "B-1")
'''


def test_the_checker_catches_every_way_a_state_could_block_the_loop() -> None:
    import services.backoffice.orders as order_service
    from services.catalog import upcoming_shows
    from services.delivery.mailsink import list_messages

    namespace = {"order_service": order_service, "upcoming_shows": upcoming_shows, "list_messages": list_messages,
                 "run_service": run_service, "asyncio": asyncio, "filter_shows": filter_shows}
    exec(BAD_STATE, namespace)  # our own literal: it builds the class `self` resolves against
    checker = Checker()
    checker.check_class(ast.parse(BAD_STATE).body[0], namespace, namespace["BadState"])
    assert sorted(checker.problems) == sorted([
        "BadState.guard: calls its argument fn() on the event loop",
        "BadState.load: hands order_service.order_page to self.guard(), which is not async",
        "BadState._reload: calls order_service.order_page() on the event loop; "
        "use await run_service(order_service.order_page, ...)",
        "BadState.load: calls upcoming_shows() on the event loop; use await run_service(upcoming_shows, ...)",
        "BadState.load: run_service() is a coroutine called without await",
        "BadState.load: asyncio.to_thread() instead of run_service (one helper for every state)",
    ])
    assert checker.offloaded == {"services.catalog.upcoming_shows"}


def test_no_state_of_the_app_calls_a_service_on_the_event_loop() -> None:
    states = list(app_states())
    names = {cls.__name__ for cls in states}
    assert {"HomeState", "ShowState", "CheckoutState", "OrderState", "AdminState", "OrderPageState",
            "ShowEditState", "StaffState"} <= names
    checker = check_states(states)
    assert checker.problems == []
    # The checker really resolved the app's calls: the services each page relies on are seen offloaded.
    assert {"services.catalog.upcoming_shows", "services.staff.auth.sign_in", "services.backoffice.orders.refund",
            "services.backoffice.shows.list_shows", "services.storefront.order_progress",
            "services.staff.auth.current_staff"} <= checker.offloaded
    assert checker.functions >= 60
