"""The summary of a document, computed by the docservice's Python job pool.

Served by @arbor/worker-profiles' ``arbor_tasks.py`` (the pool names a task by this file
and a function), standard library only: keywords by term frequency without stop words,
sentence and syllable counts, and the Flesch reading-ease score.
"""

import math
import os
import re
import signal
from collections import Counter

WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)")
VOWEL_GROUPS = re.compile(r"[aeiouy]+")

STOP_WORDS = frozenset(
    """a about after all also an and any are as at be been but by can could did do does for
    from had has have he her his how i if in into is it its just may more most my no not of
    on one or other our out over she so some such than that the their them then there these
    they this to up us was we were what when which who will with would you your""".split()
)


def syllables(word):
    """A common heuristic: vowel groups, minus a silent final e, at least one."""
    w = word.lower()
    count = len(VOWEL_GROUPS.findall(w))
    if w.endswith("e") and count > 1 and not w.endswith("le"):
        count -= 1
    return max(count, 1)


def summarize(text, fault=None):
    """{"words": 9, "sentences": 2, "keywords": [["arbor", 2], ...], "readability": 71.8, "pid": 4242}

    ``fault`` is the demo's fault injection (the app passes it only when started with
    faults on): ``{"crash_marker": path}`` crashes this worker with SIGSEGV the first time
    (it writes the marker first, so a retry on another worker answers); ``{"hang": true}``
    runs a regular expression that backtracks for hours inside ``re``, holding the GIL, so
    this worker can neither answer nor notice that its stdin closed.
    """
    if fault is not None:
        marker = fault.get("crash_marker")
        if marker is not None and not os.path.exists(marker):
            with open(marker, "w") as f:
                f.write(str(os.getpid()))
            os.kill(os.getpid(), signal.SIGSEGV)
        if fault.get("hang"):
            re.match(r"(a+)+$", "a" * 64 + "b")
    words = WORD.findall(text)
    lowered = [w.lower() for w in words]
    sentences = max(len(SENTENCE_END.findall(text)), 1 if words else 0)
    counts = Counter(w for w in lowered if w not in STOP_WORDS and len(w) > 2)
    keywords = [[w, n] for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:5]]
    if words:
        per_sentence = len(words) / sentences
        per_word = sum(syllables(w) for w in words) / len(words)
        readability = round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)
    else:
        readability = None
    # Shannon entropy of the word distribution: how varied the vocabulary is (bits a word).
    total = len(lowered)
    entropy = 0.0
    for n in Counter(lowered).values():
        p = n / total
        entropy -= p * math.log2(p)
    return {
        "words": len(words),
        "sentences": sentences,
        "keywords": keywords,
        "readability": readability,
        "entropy": round(entropy, 3),
        "pid": os.getpid(),
    }
