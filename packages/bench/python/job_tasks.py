"""The job pool bench's Python task (run by arbor_tasks.py: `$task` {u: this file, n: 'inc', a: [x]})."""


def inc(x):
    return x + 1


def pid():
    import os

    return os.getpid()
