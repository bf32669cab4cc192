"""Read tables pasted from Excel, WPS or a web page: tab- or multi-space-separated rows, Markdown pipes, or one
cell per line.

Row labels are matched with :mod:`assistant.labels` in any variant real reports print. Values are taken by header
when a one-line header names the columns, else by position: table 三 has 7 numeric columns (6 without 总计),
table 四 15 in one row or 5 per group (4 without 总计), table 二 as many as the row's block.

Blank cells are **unknown** unless the clerk says blank means 0 ("空白为0"); "/" and "—" cells are also left
unknown (published reports use them both for 0 and for 不适用, so guessing would invent a value) unless the
clerk says they mean 0 ("斜杠为0"). Both are reported in ``notes``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from ..facts import FactUpdate
from ..formats import CellSpec, ReportFormat, get_format
from ..labels import cell_key_for, match_column, match_row
from ..numbers import find_numbers
from .cells import cell_value_from_mention, value_update, zero_update
from .messages import fragment, msg

MAX_LABEL = 80
_SLASH = {"/", "／", "—", "——", "-", "－", "─", "–", "\\", "×", "--", "---"}
_ZERO_WORDS = {"无", "〇", "零"}
_SEPARATOR_ROW = re.compile(r"^\s*:?-{2,}:?\s*$")
_SPACED = re.compile(r"\s{2,}")
_NUMERIC_TAIL = re.compile(r"^(?P<label>.*?[^\d\s./\-—－])\s+(?P<vals>(?:[-+]?[\d.,]+\s+){3,}[-+]?[\d.,]+)\s*$")
_BLANK_ZERO = re.compile(
    r"(?:空白|空格|空着|没填数字?|没有填数字?|没填|没有填|未填|空的|空)(?:的)?(?:单元格|格子|格|处|地方|项)?(?:的)?"
    r"(?:都|均|一律|全部|全都)?(?:是|为|表示|代表|就是|即|当作|视为|按|算)\s*(?:0|零)"
)
_SLASH_ZERO = re.compile(
    r"(?:斜杠|斜线|/|横线|横杠|—|-)(?:的|都|均)?(?:是|为|表示|代表|就是|即|当作|视为|按)\s*(?:0|零)"
)
_HEADINGS = (
    ("table2", ("主动公开政府信息情况", "第二十条第")),
    ("table3", ("收到和处理政府信息公开申请情况", "本列数据的勾稽关系", "申请人情况")),
    ("table4", ("行政复议、行政诉讼情况", "行政复议,行政诉讼情况", "行政复议和行政诉讼情况")),
)


def declares_blank_zero(text: str) -> bool:
    """Does the clerk say that blank cells mean 0 ("空白为0", "空格表示0")?"""
    return bool(_BLANK_ZERO.search(text))


def blank_rules_removed(text: str) -> str:
    """The text with "空白为0" / "斜杠为0" rules blanked out (same length: spans stay valid)."""
    for rx in (_BLANK_ZERO, _SLASH_ZERO):
        text = rx.sub(lambda m: " " * len(m.group()), text)
    return text


def declares_slash_zero(text: str) -> bool:
    return bool(_SLASH_ZERO.search(text))


@dataclass
class TableParse:
    updates: list[FactUpdate] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    not_understood: list[str] = field(default_factory=list)
    consumed: set[int] = field(default_factory=set)  # indices of lines read as table rows/headers
    tables: list[str] = field(default_factory=list)  # tables seen, in order


@dataclass(frozen=True)
class _Cell:
    kind: str  # "num" | "blank" | "slash" | "zero" | "text" | "approx"
    raw: str
    mention: object | None = None


def split_cells(line: str) -> list[str] | None:
    """The cells of a table-looking line, or None for ordinary text."""
    if "\t" in line:
        cells = line.split("\t")
    elif line.count("|") >= 2:
        s = line.strip()
        if s.startswith("|"):
            s = s[1:]
        if s.endswith("|"):
            s = s[:-1]
        cells = s.split("|")
    elif len(_SPACED.findall(line.strip())) >= 2:
        cells = _SPACED.split(line.strip())
    else:
        m = _NUMERIC_TAIL.match(line.strip())
        if not m:
            return None
        cells = [m.group("label"), *m.group("vals").split()]
    cells = [c.strip() for c in cells]
    return cells if len(cells) >= 2 else None


@lru_cache(maxsize=4096)
def _classify(cell: str) -> _Cell:
    c = cell.strip()
    if not c:
        return _Cell("blank", c)
    if c in _SLASH:
        return _Cell("slash", c)
    if c in _ZERO_WORDS:
        return _Cell("zero", c)
    if len(c) > 24:
        return _Cell("text", c)
    ms = find_numbers(c, whole_text_bare=True)
    if len(ms) == 1 and ms[0].start == 0 and ms[0].end == len(c) and ms[0].kind in ("count", "amount", "other"):
        if ms[0].approximate:
            return _Cell("approx", c, ms[0])
        return _Cell("num", c, ms[0])
    return _Cell("text", c)


def _match_row(fmt: ReportFormat, table: str, label: str, fuzzy: bool) -> str | None:
    if not label or len(label) > MAX_LABEL:
        return None
    return _match_row_cached(fmt.id, table, label, fuzzy)


@lru_cache(maxsize=8192)
def _match_row_cached(fmt_id: str, table: str, label: str, fuzzy: bool) -> str | None:
    # keyed by the format id: hashing a whole ReportFormat on every call is slow
    return match_row(get_format(fmt_id), table, label, fuzzy=fuzzy)


def _match_col(fmt: ReportFormat, table: str, label: str) -> str | None:
    if not label or len(label) > MAX_LABEL:
        return None
    return _match_col_cached(fmt.id, table, label)


@lru_cache(maxsize=2048)
def _match_col_cached(fmt_id: str, table: str, label: str) -> str | None:
    return match_column(get_format(fmt_id), table, label, fuzzy=False)


@lru_cache(maxsize=256)
def _row_specs(fmt_id: str, table: str, row_json_key: str) -> tuple[CellSpec, ...]:
    return tuple(c for c in get_format(fmt_id).table_cells(table) if c.row_json_key == row_json_key)


def _specs_for_row(fmt: ReportFormat, table: str, row_json_key: str) -> list[CellSpec]:
    return list(_row_specs(fmt.id, table, row_json_key))


class _TableReader:
    def __init__(self, fmt: ReportFormat, text: str, blank_zero: bool = False) -> None:
        self.fmt = fmt
        self.blank_zero = blank_zero or declares_blank_zero(text)
        self.slash_zero = declares_slash_zero(text)
        self.out = TableParse()
        self.section: str | None = None
        self.group: str | None = None  # last table 三 group label seen ("（三）不予公开")
        self.header3: list[str | None] | None = None
        self.header2: list[str | None] | None = None
        self.blank_count = 0
        self.slash_count = 0
        self.seen: dict[str, FactUpdate] = {}
        self.line_starts: list[int] = []  # where each line starts in the text (for evidence spans)
        self.line_span: tuple[int, int] | None = None  # the row being read

    # ---- output -----------------------------------------------------------------------------
    def _table_seen(self, table: str) -> None:
        if table not in self.out.tables:
            self.out.tables.append(table)
        else:
            self.out.tables.remove(table)
            self.out.tables.append(table)

    def _put(self, spec: CellSpec, cell: _Cell, evidence: str) -> None:
        self._put_cell(spec, cell, evidence)
        up = self.seen.get(spec.key)
        if up is not None and up.span is None and self.line_span is not None:
            self.seen[spec.key] = up.model_copy(update={"span": self.line_span})

    def _put_cell(self, spec: CellSpec, cell: _Cell, evidence: str) -> None:
        if cell.kind == "num":
            value, note, problem = cell_value_from_mention(spec, cell.mention, amount_unit_known=True)  # type: ignore[arg-type]
            if problem or value is None:
                self.out.not_understood.append(msg(problem or "no_cell", fragment=fragment(cell.raw), unit=""))
                return
            self.seen[spec.key] = value_update(spec.key, value, evidence, note=note)
            if note:
                self.out.notes.append(note)
        elif cell.kind == "zero":
            self.seen[spec.key] = zero_update(spec.key, evidence)
        elif cell.kind == "blank":
            if spec.derived:
                return
            if self.blank_zero:
                self.seen[spec.key] = zero_update(spec.key, evidence, note="空白按0记录")
            else:
                self.blank_count += 1
        elif cell.kind == "slash":
            if spec.derived:
                return
            if self.slash_zero:
                self.seen[spec.key] = zero_update(spec.key, evidence, note="“/”按0记录")
            else:
                self.slash_count += 1
        elif cell.kind == "approx":
            self.out.not_understood.append(msg("approximate", fragment=fragment(cell.raw)))
        else:
            self.out.not_understood.append(msg("no_cell", fragment=fragment(cell.raw)))

    # ---- lines ------------------------------------------------------------------------------
    def heading(self, line: str) -> None:
        s = line.strip()
        if len(s) > 60:
            return
        for table, keys in _HEADINGS:
            if any(k in s for k in keys):
                self.section = table
                return

    def header_row(self, idx: int, cells: list[str]) -> bool:
        """A row without values: column headers, captions, group labels."""
        cells = [c for c in cells if c][:40]
        joined = "".join(cells)
        cols3 = [_match_col(self.fmt, "table3", c) for c in cells]
        cols2 = [_match_col(self.fmt, "table2", c) for c in cells]
        cols4 = [_match_col(self.fmt, "table4", c) for c in cells]
        if sum(1 for c in cols4 if c and c != "总计") >= 2 or "行政复议" in joined and "行政诉讼" in joined:
            self.section = "table4"
        elif sum(1 for c in cols3 if c and c != "总计") >= 3:
            self.section = "table3"
            # only a one-line header naming every applicant column maps by header (multi-line official
            # headers are read by position)
            self.header3 = cols3 if sum(1 for c in cols3 if c and c != "总计") >= 6 else None
        elif sum(1 for c in cols2 if c) >= 1 and ("信息内容" in joined or sum(1 for c in cols2 if c) >= 2):
            self.section = "table2"
            self.header2 = cols2
        elif any(k in joined for _, keys in _HEADINGS for k in keys):
            self.heading(joined)
        else:
            for c in cells:
                key = _match_row(self.fmt, "table3", c, False)
                if c and key is None and re.match(r"^[（(][三四五六][)）]", c):
                    self.group = c
            if not any(_match_row(self.fmt, t, c, False) for c in cells if c for t in ("table3", "table2", "table4")):
                return False
        self.out.consumed.add(idx)
        return True

    def _at_line(self, first: int, last: int) -> None:
        if self.line_starts and last < len(self.line_starts):
            end = self.line_starts[last + 1] - 1 if last + 1 < len(self.line_starts) else None
            self.line_span = (self.line_starts[first], end if end is not None else self.line_starts[first])

    def data_row(self, idx: int, line: str, cells: list[str]) -> None:
        self._at_line(idx, idx)
        classified = [_classify(c) for c in cells]
        run = 0
        for c in reversed(classified):
            if c.kind == "text":
                break
            run += 1
        labels = [c.raw for c in classified[: len(classified) - run] if c.raw]
        values = classified[len(classified) - run :]
        all_blank_row = (
            self.blank_zero
            and len(values) >= 4
            and all(v.kind == "blank" for v in values)
            and bool(labels)
            and self._resolve(labels, values) is not None
        )  # "空白就是0" and a row left blank: all 0
        if not all_blank_row and not any(v.kind in ("num", "zero", "approx", "slash") for v in values):
            if not self.header_row(idx, cells):
                self.heading(line)
            return
        for lab in labels:
            if re.match(r"^[（(][三四五六][)）]", lab):
                self.group = lab
        evidence = " ".join(c for c in cells if c)
        target = self._resolve(labels, values)
        if target is None:
            if labels and len(values) >= 2:
                self.out.not_understood.append(msg("table_row_unknown", label=fragment(labels[-1], 30)))
                self.out.consumed.add(idx)
            return
        table, row_json_key = target
        if table == "table4" and row_json_key == "*":
            self._table4_full(values, evidence)
        elif not self._put_row(table, row_json_key, values, evidence, labels[-1] if labels else ""):
            self.out.consumed.add(idx)  # a table row we could not map: reported, not re-read as prose
            return
        self._table_seen(table)
        self.out.consumed.add(idx)

    def _resolve(self, labels: list[str], values: list[_Cell]) -> tuple[str, str] | None:
        if not labels:
            n = len(values)
            if n in (15, 12) and self.section in ("table4", None):
                return "table4", "*"
            return None
        order = ["table3", "table2", "table4"]
        if self.section in order:
            order.remove(self.section)
            order.insert(0, self.section)
        candidates: list[str] = [labels[-1]]
        if self.group and len(labels) == 1:
            candidates.append(self.group + labels[-1])
        if len(labels) >= 2:
            candidates.append(labels[-2] + labels[-1])
            candidates.append("".join(labels))
        for fuzzy in (False, True):
            for cand in candidates:
                for table in order:
                    key = _match_row(self.fmt, table, cand, fuzzy)
                    if key:
                        return table, key
        return None

    def _put_row(self, table: str, row_json_key: str, values: list[_Cell], evidence: str, label: str) -> bool:
        specs = _specs_for_row(self.fmt, table, row_json_key)
        header = self.header3 if table == "table3" else self.header2 if table == "table2" else None
        if table == "table3" and header:
            cols = [h for h in header if h]
            if len(values) >= len(cols) and len(set(cols)) == len(cols):
                vals = values[len(values) - len(cols) :]
                for col, cell in zip(cols, vals, strict=True):
                    key = cell_key_for(self.fmt, table, row_json_key, col)
                    if key:
                        self._put(self.fmt.cell(key), cell, evidence)
                return True
        n = len(specs)
        if table == "table2":
            block_cols = specs
            if header:
                named = [h for h in header if h and any(s.col_json_key == h for s in specs)]
                if named and len(values) >= len(named):
                    block_cols = [next(s for s in specs if s.col_json_key == h) for h in named]
            if len(values) < len(block_cols):
                self.out.not_understood.append(msg("table_row_count", label=fragment(label, 30), count=len(values)))
                return False
            for spec, cell in zip(block_cols, values[len(values) - len(block_cols) :], strict=True):
                self._put(spec, cell, evidence)
            return True
        # table 三 (7 columns, 6 without 总计) and table 四 groups (5, 4 without 总计)
        with_total = [s for s in specs]
        without_total = [s for s in specs if not s.derived]
        if len(values) >= n:
            chosen, vals = with_total, values[len(values) - n :]
            extra = values[: len(values) - n]
            if any(v.kind != "blank" for v in extra):
                self.out.not_understood.append(msg("table_row_count", label=fragment(label, 30), count=len(values)))
                return False
        elif len(values) == n - 1:
            chosen, vals = without_total, values
        else:
            self.out.not_understood.append(msg("table_row_count", label=fragment(label, 30), count=len(values)))
            return False
        for spec, cell in zip(chosen, vals, strict=True):
            self._put(spec, cell, evidence)
        return True

    def _table4_full(self, values: list[_Cell], evidence: str) -> None:
        specs = self.fmt.table_cells("table4")
        if len(values) == 12:
            specs = [s for s in specs if not s.derived]
        for spec, cell in zip(specs, values, strict=True):
            self._put(spec, cell, evidence)

    def vertical(self, lines: list[str], idx: int) -> int:
        """One cell per line (some browsers copy tables so): a row label line followed by its values."""
        label = lines[idx].strip()
        if not label or len(label) > MAX_LABEL or re.search(r"\d{2,}|[，,。；;]", label):
            return 0
        target = None
        for table in ("table3", "table2", "table4"):
            key = _match_row(self.fmt, table, label, False)
            if key:
                target = (table, key)
                break
        if target is None:
            return 0
        specs = _specs_for_row(self.fmt, target[0], target[1])
        vals: list[_Cell] = []
        j = idx + 1
        while j < len(lines) and len(vals) < len(specs):
            c = _classify(lines[j])
            if c.kind not in ("num", "zero", "slash"):
                break
            vals.append(c)
            j += 1
        need = {len(specs), len(specs) - 1} if target[0] != "table2" else {len(specs)}
        if len(vals) not in need or not vals:
            return 0
        evidence = label + " " + " ".join(v.raw for v in vals)
        self._at_line(idx, j - 1)
        if not self._put_row(target[0], target[1], vals, evidence, label):
            return 0
        self._table_seen(target[0])
        for k in range(idx, j):
            self.out.consumed.add(k)
        return j - idx

    def finish(self) -> TableParse:
        self.out.updates = list(self.seen.values())
        if self.blank_count:
            self.out.notes.append(msg("blank_cells", count=self.blank_count))
        if self.slash_count:
            self.out.notes.append(msg("slash_cells", count=self.slash_count))
        return self.out


_HEADER_COLUMNS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
_TOKEN = re.compile(r"\S+")
_HEADER_EXTRA = {"项目", "申请人情况", "类别", "情况", "信息内容", "申请人类型"}


def _display_positions(line: str) -> list[int]:
    """The display column of each character (a CJK character is two columns wide)."""
    out, col = [], 0
    for ch in line:
        out.append(col)
        col += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return out


def aligned_rows(lines: list[str], fmt: ReportFormat) -> dict[int, list[str]]:
    """Table 三 pasted with columns padded by spaces (blank cells are only spaces): the cells of each row, by the
    positions of the column headings (in characters, or in display columns when that fits better). Rows whose
    numbers do not sit under a heading are left out (read, and reported, like any other line)."""
    out: dict[int, list[str]] = {}
    i = 0
    while i < len(lines):
        line = lines[i]
        words = _TOKEN.findall(line)
        if (
            "\t" in line
            or "|" in line
            or "  " not in line.strip()
            or sum(1 for w in words if w in _HEADER_COLUMNS) < 5
            or any(w not in _HEADER_COLUMNS and w not in _HEADER_EXTRA for w in words)
        ):
            i += 1  # only a line of column headings (padded with spaces) opens an aligned table
            continue
        heads = [(m.start(), m.group()) for m in _TOKEN.finditer(line) if m.group() in _HEADER_COLUMNS]
        j = i + 1
        block: dict[int, list[str]] = {}
        while j < len(lines) and lines[j].strip() and "\t" not in lines[j]:
            block[j] = _aligned_cells(line, heads, lines[j])
            j += 1
        out[i] = ["", *(h for _, h in heads)]
        out.update({k: v for k, v in block.items() if v})
        i = j
    return out


def _aligned_cells(header: str, heads: list[tuple[int, str]], line: str) -> list[str]:
    """The label and one cell per heading of an aligned row ([] when its numbers do not line up)."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(line)]
    values = [t for t in tokens if re.fullmatch(r"[-+]?[\d.,]+|/|—|-|无", t[2])]
    first_value = values[0][0] if values else len(line)
    label = line[:first_value].strip()
    if any(s >= first_value and not re.fullmatch(r"[-+]?[\d.,]+|/|—|-|无", t) for s, _, t in tokens):
        return []  # text after the numbers: not a plain table row
    best: list[str] = []
    for positions in (None, "display"):
        hpos = _display_positions(header) if positions else list(range(len(header) + 1))
        lpos = _display_positions(line) + [0] if positions else list(range(len(line) + 1))
        starts = [hpos[s] for s, _ in heads]
        ends = [hpos[s + len(h) - 1] + (2 if positions else 1) for s, h in heads]
        cells = [""] * len(heads)
        ok = True
        for s, e, t in values:
            a, b = lpos[s], lpos[e - 1] + 1
            hit = [k for k in range(len(heads)) if a < ends[k] + 1 and b > starts[k] - 1]  # under the heading
            if len(hit) != 1 or cells[hit[0]]:
                ok = False
                break
            cells[hit[0]] = t
        if ok:
            best = [label, *cells]
            break
    return best


def parse_tables(text: str, fmt: ReportFormat, *, max_lines: int = 3000, blank_zero: bool = False) -> TableParse:
    """Read every pasted table row in ``text`` (normalised). Lines not read as table rows stay for the text reader.
    ``blank_zero``: the clerk said earlier that blank cells mean 0."""
    reader = _TableReader(fmt, text, blank_zero)
    lines = text.split("\n")
    aligned = aligned_rows(lines, fmt)
    pos = 0
    for ln in lines:
        reader.line_starts.append(pos)
        pos += len(ln) + 1
    reader.line_starts.append(pos)
    i = 0
    n = min(len(lines), max_lines)
    while i < n:
        line = lines[i]
        cells = aligned.get(i) or (split_cells(line) if line.strip() else None)
        if cells is None:
            used = reader.vertical(lines, i) if line.strip() else 0
            if used:
                i += used
                continue
            if line.strip():
                reader.heading(line)
            i += 1
            continue
        if all(_SEPARATOR_ROW.match(c) or not c for c in cells):
            reader.out.consumed.add(i)
            i += 1
            continue
        reader.data_row(i, line, cells)
        i += 1
    return reader.finish()
