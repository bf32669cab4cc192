"""Generated clerk conversations from random consistent truths, scored right / wrong / missing per cell.

The truths are drawn first (``truth.py``); each phrasing family (``families/``) turns a truth into clerk
messages without ever running the engine, so the expected tables can never be copied from the program's
output. Families in ``families/tuned.py`` may be used while fixing the engine; ``families/heldout.py`` must
never be opened by whoever fixes extraction or dialogue: it is the figure that measures generalisation.

Run: ``python -m tests.convgen`` (see ``__main__.py``).
"""
