"""Arbor task runner for job pools (standard library only, Python 3.8+).

A handlers script for ``pythonProfile({ script: PYTHON_TASKS_PATH })``: it serves one
handler, ``$task``, whose argument names a function in a ``.py`` file and its arguments:

    { "u": "/app/tasks/resize.py", "n": "thumbnail", "a": ["/tmp/in.png", 128] }

The file is imported once per worker (cached by its real path) and the function is called
as ``thumbnail(*a)``; module state (a cache, a counter, a loaded model) stays across calls.
An ``async def`` function is awaited the way arbor_worker.py awaits async handlers
(``asyncio.run``, one event loop per call). ``u`` may also be a ``file:`` URL. An unknown
file or function fails the request with ``TaskNotFoundError`` (code ``task_not_found``)
naming it; a malformed argument with ``TaskArgumentError`` (code ``invalid_task``). A file
that fails to import raises its own error and is tried again on the next call.

Example (tasks.py):

    calls = 0

    def count(step):
        global calls
        calls += step
        return calls

    # from Node: worker.request('$task', { u: '/app/tasks.py', n: 'count', a: [1] })  -> 1, then 2, ...
"""

import importlib.util
import os
import sys
import threading
from urllib.parse import unquote, urlparse


class TaskNotFoundError(LookupError):
    """The task's file or function does not exist."""

    code = "task_not_found"


class TaskArgumentError(TypeError):
    """The ``$task`` argument is not ``{ u: <.py path>, n: <function name>, a: [<args>] }``."""

    code = "invalid_task"


_modules = {}  # real path -> module
_lock = threading.Lock()  # with capacity > 1, requests run on threads: import each file once


def _path_of(u):
    if not isinstance(u, str) or u == "":
        raise TaskArgumentError("$task: u must be the path (or file: URL) of a .py file, got %r" % (u,))
    if u.startswith("file:"):
        parsed = urlparse(u)
        if parsed.netloc not in ("", "localhost"):
            raise TaskArgumentError("$task: u must be a local file: URL, got %r" % (u,))
        u = unquote(parsed.path)
    return os.path.realpath(os.path.abspath(u))


def _module_of(path):
    module = _modules.get(path)
    if module is not None:
        return module
    with _lock:
        module = _modules.get(path)
        if module is not None:
            return module
        if not os.path.isfile(path):
            raise TaskNotFoundError("$task: no task file %s (u must name an existing .py file)" % path)
        name = "arbor_task_%d_%s" % (len(_modules), os.path.splitext(os.path.basename(path))[0])
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise TaskNotFoundError("$task: cannot import %s as a Python module (u must name a .py file)" % path)
        module = importlib.util.module_from_spec(spec)
        directory = os.path.dirname(path)
        if directory not in sys.path:
            sys.path.insert(0, directory)  # the task file can import its neighbours
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[name]  # not cached: the next call imports it again
            raise
        _modules[path] = module
        return module


def run_task(arg):
    """The ``$task`` handler: ``{ "u": path, "n": name, "a": [args] }`` -> ``name(*args)`` from that file."""
    if not isinstance(arg, dict):
        raise TaskArgumentError("$task takes { u: <.py path>, n: <function name>, a: [<args>] }, got %r" % (arg,))
    path = _path_of(arg.get("u"))
    name = arg.get("n")
    if not isinstance(name, str) or name == "":
        raise TaskArgumentError("$task: n must be a function name in %s, got %r" % (path, name))
    args = arg.get("a", [])
    if args is None:
        args = []
    if not isinstance(args, list):
        raise TaskArgumentError("$task: a must be a list of positional arguments for %s, got %r" % (name, args))
    module = _module_of(path)
    fn = getattr(module, name, None)
    if fn is None or not callable(fn):
        defined = sorted(k for k, v in vars(module).items() if callable(v) and not k.startswith("_") and getattr(v, "__module__", None) == module.__name__)
        raise TaskNotFoundError("$task: %s has no function %r (it defines: %s)" % (path, name, ", ".join(defined) or "none"))
    return fn(*args)  # a coroutine is awaited by arbor_worker's _run


HANDLERS = {"$task": run_task}
