"""Tasks for part nine's crash barrier step (run by arbor_tasks.py in a Python job pool)."""
import os
import signal


def pid():
    return os.getpid()


def flaky(marker):
    """Crashes the worker (SIGSEGV) the first time, anywhere; answers from the next worker."""
    if not os.path.exists(marker):
        with open(marker, "w") as f:
            f.write(str(os.getpid()))
        os.kill(os.getpid(), signal.SIGSEGV)
    return {"pid": os.getpid(), "crashed_pid": int(open(marker).read())}
