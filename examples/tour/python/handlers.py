"""The Python worker of the tour's checkout pool (part three), served by @arbor/worker-profiles'
pythonProfile (``python3 -u arbor_worker.py handlers.py``): the functions in HANDLERS
answer requests; each gets one JSON argument and returns one JSON value.

The profile runs it with capacity 2, so requests run on a pool of two threads and
``sleeping`` can answer while ``sleep`` runs.
"""

import os
import threading
import time

_lock = threading.Lock()
_sleeping = 0


def add(arg):
    """{"a": 2, "b": 3} -> 5"""
    return arg["a"] + arg["b"]


def word_count(text):
    """"to be or not to be" -> {"be": 2, "not": 1, "or": 1, "to": 2}"""
    counts = {}
    for word in text.split():
        counts[word] = counts.get(word, 0) + 1
    return dict(sorted(counts.items()))


def sleep(seconds):
    """Sleeps, then answers the pid that slept (the demo kills it before that)."""
    global _sleeping
    with _lock:
        _sleeping += 1
    try:
        time.sleep(seconds)
        return os.getpid()
    finally:
        with _lock:
            _sleeping -= 1


def sleeping(_arg):
    """How many sleep requests are running in this process right now."""
    with _lock:
        return _sleeping


HANDLERS = {"add": add, "word_count": word_count, "sleep": sleep, "sleeping": sleeping}
