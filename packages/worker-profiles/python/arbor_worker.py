"""Arbor worker runtime for Python (standard library only, Python 3.8+).

Speaks Arbor's stdio frames: each message is a u32 little-endian length then UTF-8 JSON,
one frame or an array of frames. Replies to one batch read go out as ONE message.

Example (worker.py):

    def add(arg):
        return arg["a"] + arg["b"]

    HANDLERS = {"add": add}   # optional: else the public top-level functions are served

Run by Arbor's pythonProfile as ``python3 -u arbor_worker.py worker.py``, or serve from code:

    import arbor_worker
    arbor_worker.serve({"add": add})
"""

import importlib
import importlib.util
import inspect
import json
import os
import struct
import sys
import threading
import traceback

_LEN = struct.Struct("<I")


def _error(exc, code=None):
    err = {
        "name": type(exc).__name__,
        "message": str(exc),
        "stack": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }
    if code is None and isinstance(getattr(exc, "code", None), str):
        code = exc.code  # an exception's string code travels, as a JS error's does
    if code is not None:
        err["code"] = code
    return err


def _write_all(fd, data):
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def _dump(frame):
    return json.dumps(frame, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def _encode_reply(frame):
    """One reply as JSON; a result that JSON cannot carry fails its own request, not the batch."""
    try:
        return _dump(frame)
    except (TypeError, ValueError) as exc:
        return _dump({"t": "err", "id": frame.get("id"), "e": _error(TypeError("the reply is not JSON-serializable: %s" % exc))})


def _encode(parts):
    """One wire message from encoded frames (a batch of one goes unwrapped)."""
    body = (parts[0] if len(parts) == 1 else "[" + ",".join(parts) + "]").encode("utf-8")
    return _LEN.pack(len(body)) + body


def serve(handlers, capacity=None):
    """Serves ``handlers`` (name -> function of one argument) on stdin/stdout until stdin ends.

    ``capacity`` (default: the ARBOR_WORKER_CAPACITY environment variable, else 1) > 1 runs
    that many requests at once on a thread pool; replies then go out as they finish,
    coalesced into one message per write.

    The frame stream uses the ORIGINAL fd 1; fd 1 and sys.stdout are pointed at stderr so
    that print() cannot corrupt it. stdin EOF ends the process with os._exit(0) (a non-daemon
    thread cannot keep it alive).
    """
    out = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    if capacity is None:
        capacity = int(os.environ.get("ARBOR_WORKER_CAPACITY", "1") or "1")
    pool = _Pool(handlers, capacity, out) if capacity > 1 else None
    methods = sorted(handlers)
    version = "%d.%d.%d" % sys.version_info[:3]
    _write_all(out, _encode([_dump({"t": "ready", "pid": os.getpid(), "methods": methods, "meta": {"lang": "python", "version": version}})]))
    buf = b""
    while True:
        try:
            chunk = os.read(0, 65536)
        except InterruptedError:
            continue
        if not chunk:
            os._exit(0)
        buf += chunk
        frames = []
        while len(buf) >= 4:
            (size,) = _LEN.unpack_from(buf, 0)
            if len(buf) - 4 < size:
                break
            message = json.loads(buf[4:4 + size].decode("utf-8"))
            buf = buf[4 + size:]
            if isinstance(message, list):
                frames.extend(message)
            else:
                frames.append(message)
        if not frames:
            continue
        if pool is not None:
            pool.submit(frames)
            continue
        replies, exit_code = _handle_batch(handlers, frames)
        if replies:
            _write_all(out, _encode([_encode_reply(r) for r in replies]))
        if exit_code is not None:
            os._exit(exit_code)


def _run(handler, arg):
    value = handler(arg)
    if inspect.iscoroutine(value):
        import asyncio  # imported on the first async handler only: it costs ~40 ms per start

        value = asyncio.run(value)
    return value


class _Pool(object):
    """Runs requests on ``capacity`` threads; one writer thread coalesces the replies."""

    def __init__(self, handlers, capacity, out):
        from concurrent.futures import ThreadPoolExecutor

        self._handlers = handlers
        self._out = out
        self._executor = ThreadPoolExecutor(max_workers=capacity)
        self._queued = {}  # id -> future not yet finished
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self._replies = []
        self._exit_code = None
        writer = threading.Thread(target=self._write_loop, name="arbor-writer")
        writer.daemon = True
        writer.start()

    def _reply(self, frame, exit_code=None):
        with self._lock:
            if frame is not None:
                self._replies.append(_encode_reply(frame))
            if exit_code is not None and self._exit_code is None:
                self._exit_code = exit_code
            self._ready.notify()

    def _write_loop(self):
        while True:
            with self._lock:
                while not self._replies and self._exit_code is None:
                    self._ready.wait()
                parts, self._replies = self._replies, []
                exit_code = self._exit_code
            if parts:
                _write_all(self._out, _encode(parts))
            if exit_code is not None:
                os._exit(exit_code)

    def _task(self, fid, handler, arg):
        try:
            frame = {"t": "res", "id": fid, "v": _run(handler, arg)}
        except SystemExit as exc:
            self._reply(None, exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1))
            return
        except BaseException as exc:  # noqa: B902
            frame = {"t": "err", "id": fid, "e": _error(exc)}
        self._reply(frame)

    def submit(self, frames):
        for frame in frames:
            kind = frame.get("t")
            fid = frame.get("id")
            if kind == "ping":
                self._reply({"t": "pong", "id": fid})
            elif kind == "cancel":
                with self._lock:
                    future = self._queued.pop(fid, None)
                if future is not None and future.cancel():
                    self._reply({"t": "err", "id": fid, "e": _CANCELLED})
            elif kind == "req":
                handler = self._handlers.get(frame.get("m"))
                if handler is None:
                    self._reply({"t": "err", "id": fid, "e": _unknown(self._handlers, frame.get("m"))})
                    continue
                future = self._executor.submit(self._task, fid, handler, frame.get("a"))
                with self._lock:
                    self._queued[fid] = future
                future.add_done_callback(lambda _f, fid=fid: self._queued.pop(fid, None))


_CANCELLED = {"name": "AbortError", "message": "the request was cancelled before it ran", "code": "cancelled"}


def _unknown(handlers, method):
    return {"name": "UnknownMethodError", "message": "no handler %r; serves: %s" % (method, ", ".join(sorted(handlers))), "code": "unknown_method"}


def _handle_batch(handlers, frames):
    """Runs one batch in order; returns (replies, exit code if a handler raised SystemExit)."""
    replies = []
    cancelled = set(f.get("id") for f in frames if f.get("t") == "cancel")
    answered = set()
    for frame in frames:
        kind = frame.get("t")
        fid = frame.get("id")
        if kind == "ping":
            replies.append({"t": "pong", "id": fid})
        elif kind == "req":
            if fid in cancelled:
                replies.append({"t": "err", "id": fid, "e": _CANCELLED})
                answered.add(fid)
                continue
            handler = handlers.get(frame.get("m"))
            if handler is None:
                replies.append({"t": "err", "id": fid, "e": _unknown(handlers, frame.get("m"))})
                answered.add(fid)
                continue
            try:
                replies.append({"t": "res", "id": fid, "v": _run(handler, frame.get("a"))})
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
                return replies, code
            except BaseException as exc:  # noqa: B902 - every handler failure is the caller's error
                replies.append({"t": "err", "id": fid, "e": _error(exc)})
            answered.add(fid)
        # a cancel of a request already answered (or not in this batch) has nothing left to stop
    return replies, None


def _load(target):
    if target.endswith(".py") or os.sep in target:
        path = os.path.abspath(target)
        sys.path.insert(0, os.path.dirname(path))
        spec = importlib.util.spec_from_file_location("__arbor_worker_main__", path)
        if spec is None or spec.loader is None:
            raise ImportError("cannot load %s" % path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        return module
    return importlib.import_module(target)


def handlers_of(module):
    """The module's ``HANDLERS`` dict, else its public top-level functions defined in it."""
    explicit = getattr(module, "HANDLERS", None)
    if isinstance(explicit, dict):
        return dict(explicit)
    return {
        name: fn
        for name, fn in vars(module).items()
        if not name.startswith("_") and inspect.isfunction(fn) and fn.__module__ == module.__name__
    }


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: python3 arbor_worker.py <script.py | module>\n")
        os._exit(2)
    module = _load(argv[1])
    serve(handlers_of(module))


if __name__ == "__main__":
    main(sys.argv)
