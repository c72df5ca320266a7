# Arbor's Python worker for the bench (pythonProfile({ script })): serves inc(x) = x + 1.
def inc(x):
    return x + 1


HANDLERS = {'inc': inc}
