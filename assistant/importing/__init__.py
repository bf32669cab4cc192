"""Import a published report (pasted text, saved web page, .docx, facts JSON) or an application register.

Public API:

- :func:`import_report` (source bytes/str → :class:`ImportResult`: the draft, what could not be read, warnings)
- :func:`start_from_last_year` (last year's report → this year's draft + proposals the clerk confirms)
- :data:`MAX_IMPORT_BYTES`

Cell convention: blank / "未填" → unknown (never 0); "/", "—", "-", "不适用" → not applicable; "无" → 0.
"""

from .api import import_report
from .baseline import start_from_last_year
from .detect import MAX_IMPORT_BYTES
from .result import ImportKind, ImportResult

__all__ = ["MAX_IMPORT_BYTES", "ImportKind", "ImportResult", "import_report", "start_from_last_year"]
