"""Match printed table rows (from grids or from text copied off a website) to the cells of a format.

Two kinds of input:

- :class:`GridRow`: a row of a grid (HTML/Word table, tab-separated or Markdown line). Columns are found by
  position from the header rows above it ("自然人", "商业企业", … or "行政复议-结果维持"), so blank padding
  left by merged cells does not shift values. When the header does not line up, the row falls back to:
- :class:`Segment`: the label fragments of a row (possibly with group labels and header text before it)
  followed by its value cells, in order (text copied one cell per line, or labels then numbers).

A row label is recognised at the end of the label run, so group labels ("三、本年度办理结果", "（三）不予公开"),
header text and labels split across lines do not matter. A row whose number of values does not fit the
format is not guessed: its cells stay unknown and an ``unread`` entry says why.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from decimal import Decimal

from ..errors import ValueRejected
from ..facts import CellFact, CellStatus, Provenance, amount_unit, validate_value
from ..formats import ReportFormat, ValueKind
from ..labels import match_column, strip_numbering
from ..textnorm import label_key
from .cellvalue import is_value_token, read_cell

TABLE_NAMES = {"table2": "表二", "table3": "表三", "table4": "表四"}
_SUBTOTAL_WORDS = ("合计", "小计", "汇总")
_FUZZY_MIN = 0.86


@dataclass
class Segment:
    """Label fragments of one row, then its value cells (raw text; "" is a blank cell)."""

    labels: list[str]
    values: list[str]
    where: str = ""
    values_without_blanks: list[str] | None = None  # text streams: blank lines may or may not be cells


@dataclass
class GridRow:
    """One row of a grid by position (merged cells repeated, or blank-padded in tab/Markdown text)."""

    cells: list[str]
    unique: list[str]  # the row's cells with each merged cell once (for the sequential fallback)
    where: str = ""


@dataclass
class _RowInfo:
    json_key: str
    cols: list[tuple[str, str]]  # (column label, cell key)


@dataclass
class TableRead:
    """What one table yielded."""

    table: str
    cells: dict[str, CellFact] = field(default_factory=dict)
    rows_found: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    subtotals: list[tuple[str, list[str], str]] = field(default_factory=list)  # (group, raw values, where)
    numbers_seen: int = 0
    blank_cells: list[str] = field(default_factory=list)  # cell keys printed blank (kept unknown)
    na_cells: list[str] = field(default_factory=list)  # cell keys printed "/", "—", "不适用"

    @property
    def empty(self) -> bool:
        return not self.rows_found and self.numbers_seen == 0


class TableReader:
    """Feed segments of one table, in document order; then call :meth:`finish`."""

    def __init__(self, fmt: ReportFormat, table: str, *, ref: str | None = None) -> None:
        self.fmt = fmt
        self.table = table
        self.name = TABLE_NAMES[table]
        self.ref = ref
        self.rows: dict[str, _RowInfo] = {}
        for spec in fmt.table_cells(table):
            info = self.rows.setdefault(spec.row_json_key, _RowInfo(spec.row_json_key, []))
            info.cols.append((spec.col_label, spec.key))
        self._variants, self._fuzzy_variants = _variants_for(
            fmt, table, self._build_variants, self._build_fuzzy_variants
        )
        self._groups = self._build_groups()
        self.pending: list[str] = []
        self.out = TableRead(table)
        self._assigned: dict[str, list[str]] = {}
        self._header: dict[int, list[tuple[str, bool]]] = {}  # position → (header text, printed here)
        self._header_closed = False
        self._colmap_cache: dict[int, tuple[str, str | None, bool]] | None = None
        self._group_labels = {label_key(g.label): g.json_key for g in fmt.table4_groups} if table == "table4" else {}

    # ---- label variants ------------------------------------------------------------------------
    def _build_variants(self) -> list[tuple[str, str]]:
        owners: dict[str, set[str]] = {}
        for spec in self.fmt.table_cells(self.table):
            labels = [spec.row_json_key, spec.row_label]
            if spec.group:
                labels.append(f"{spec.group}{spec.row_label}")
            if self.table == "table2":
                block = next(b for b in self.fmt.table2_blocks if b.id == spec.block_id)
                labels.append(f"{block.caption}{spec.row_label}")
                if spec.row_id == "normative":  # 「规范性文件」 (2019 label) printed in a 2021 table and vice versa
                    labels += ["规范性文件", "行政规范性文件", f"{block.caption}规范性文件"]
            for lab in labels:
                k = label_key(lab).replace("/", "")
                for v in {k, strip_numbering(k)}:
                    if v:
                        owners.setdefault(v, set()).add(spec.row_json_key)
        unique = [(v, next(iter(o))) for v, o in owners.items() if len(o) == 1]
        return sorted(unique, key=lambda x: -len(x[0]))

    def _build_fuzzy_variants(self) -> list[tuple[str, str]]:
        """Row labels alone (no group/caption prefix), for tolerating typos: "2.其他法律行政止公开"."""
        out: list[tuple[str, str]] = []
        for row, info in self.rows.items():
            spec = self.fmt.cell(info.cols[0][1])
            k = label_key(spec.row_label)
            for v in {k, strip_numbering(k)}:
                if len(v) >= 5:
                    out.append((v, row))
        return out

    def _build_groups(self) -> list[tuple[str, str]]:
        if self.table != "table3":
            return []
        groups: list[tuple[str, str]] = []
        for g in dict.fromkeys(r.group for r in self.fmt.table3_rows if r.group):
            k = label_key(g)
            groups += [(k, g), (strip_numbering(k), g)]
        return sorted(groups, key=lambda x: -len(x[0]))

    def match_suffix(self, s: str) -> str | None:
        """The row whose label ends the label run ``s`` (normalised), exactly or with a small typo."""
        for v, row in self._variants:
            if s.endswith(v):
                return row
        best: list[tuple[float, str]] = []
        for v, row in self._fuzzy_variants:
            if len(s) < len(v) - 3:
                continue
            for extra in (-3, -2, -1, 0, 1):
                tail = s[-(len(v) + extra) :] if len(v) + extra > 0 else ""
                sm = difflib.SequenceMatcher(None, tail, v)
                if sm.real_quick_ratio() >= _FUZZY_MIN and sm.quick_ratio() >= _FUZZY_MIN:
                    r = sm.ratio()
                    if r >= _FUZZY_MIN:
                        best.append((r, row))
        if not best:
            return None
        best.sort(reverse=True)
        top_rows = {row for r, row in best if r >= best[0][0] - 0.02}
        return best[0][1] if len(top_rows) == 1 else None

    def _rows_in(self, s: str) -> list[str]:
        """All rows named in a label run, in order (for "all labels first, then all numbers")."""
        spans: list[tuple[int, int, str]] = []
        taken = [False] * len(s)
        for v, row in self._variants:
            if len(v) < 3:
                continue
            start = s.find(v)
            while start != -1:
                end = start + len(v)
                if not any(taken[start:end]):
                    spans.append((start, end, row))
                    for i in range(start, end):
                        taken[i] = True
                start = s.find(v, end)
        out: list[str] = []
        for _, _, row in sorted(spans):
            if row not in out:
                out.append(row)
        return out

    def _subtotal_group(self, s: str) -> str | None:
        for word in _SUBTOTAL_WORDS:
            s = s.removesuffix(word)
        for v, g in self._groups:
            if s.endswith(v):
                return g
        return None

    def start_grid(self) -> None:
        """A new table begins: forget header positions and pending labels."""
        self.pending = []
        self._header = {}
        self._header_closed = False
        self._colmap_cache = None

    # ---- positional grid rows --------------------------------------------------------------------
    def _column_of(self, texts: list[tuple[str, bool]]) -> tuple[str | None, str | None]:
        """(column label, table 四 group json key) named by the header texts above one position:
        a label printed at this position wins over one carried from a merged cell to its left."""
        col = group = None
        for want_direct in (True, False):
            for text, direct in reversed(texts):
                if direct != want_direct:
                    continue
                for part in reversed(text.split("-")):
                    if col is None:
                        col = match_column(self.fmt, self.table, part, fuzzy=False)
                    if group is None:
                        group = self._group_labels.get(label_key(part))
        return col, group

    def _colmap(self) -> dict[int, tuple[str, str | None, bool]]:
        if self._colmap_cache is not None:
            return self._colmap_cache
        out: dict[int, tuple[str, str | None, bool]] = {}
        for pos, texts in self._header.items():
            col, group = self._column_of(texts)
            if col is not None:
                out[pos] = (col, group, any(d for _, d in texts))
        self._colmap_cache = out
        return out

    def _add_header(self, cells: list[str]) -> None:
        self._colmap_cache = None
        if self._header_closed:
            self._header = {}
            self._header_closed = False
        carried = ""
        for i, c in enumerate(cells):
            if c.strip():
                carried = c.strip()
                self._header.setdefault(i, []).append((carried, True))
            elif carried:
                self._header.setdefault(i, []).append((carried, False))

    def feed_row(self, row: GridRow) -> None:
        """A grid row: columns found from the header rows above it, by position."""
        cells = row.cells
        colmap = self._colmap()
        has_value = any(is_value_token(c) for c in cells)
        if not has_value and self._is_blank_data_row(row):
            self.pending = []
            self.feed(split_row_cells(row.unique, row.where))
            self._header_closed = True
            return
        if not colmap:
            if has_value:
                self.feed(split_row_cells(row.unique, row.where))
            else:
                self._add_header(cells)
                self.feed(Segment([c for c in row.unique if c.strip()], [], row.where))
            return
        first = min(colmap)
        labels = _dedupe_texts(cells[:first])
        s = _key("".join(labels))
        target = self.match_suffix(s) if s else None
        if self.table == "table4" and has_value and target is None:
            if self._assign_table4_positional(cells, colmap, row.where):
                self._header_closed = True
                return
            if self._assign_table4_named_group(cells, colmap, row.where):
                self._header_closed = True
                return
        if target is None:
            if has_value:
                self.pending = []
                self.feed(split_row_cells(row.unique, row.where))
                self._header_closed = True
            else:
                self._add_header(cells)
                self.feed(Segment([c for c in row.unique if c.strip()], [], row.where))
            return
        vals: list[str] = []
        used: set[int] = set()
        for col_label, _ in self.rows[target].cols:
            group = target if self.table == "table4" else None
            positions = sorted(
                (not direct, p)
                for p, (c, g, direct) in colmap.items()
                if c == col_label and (group is None or g == group)
            )
            if not positions:
                self.pending = []
                self.feed(split_row_cells(row.unique, row.where))
                self._header_closed = True
                return
            p = positions[0][1]
            used.add(p)
            vals.append(cells[p] if p < len(cells) else "")
        stray = [i for i, c in enumerate(cells) if i >= first and i not in used and is_value_token(c)]
        if stray:  # numbers outside the header's columns: the header does not line up with this row
            self.pending = []
            self.feed(split_row_cells(row.unique, row.where))
            self._header_closed = True
            return
        self.pending = []
        self.out.numbers_seen += sum(1 for v in vals if v.strip())
        self._assign(target, vals, row.where)
        self._header_closed = True

    def _is_blank_data_row(self, row: GridRow) -> bool:
        """A row whose label names a data row and whose cells are all blank (kept as unknown)."""
        labels = [c for c in row.unique if c.strip()]
        if not labels or len(row.unique) <= len(labels):
            return False
        s = _key("".join(labels))
        return self.match_suffix(s) is not None and split_row_cells(row.unique, row.where).values != []

    def _assign_table4_positional(
        self, cells: list[str], colmap: dict[int, tuple[str, str | None, bool]], where: str
    ) -> bool:
        groups: dict[str, list[str]] = {}
        for g in self.rows:
            vals: list[str] = []
            for col_label, _ in self.rows[g].cols:
                positions = sorted((not d, p) for p, (c, gg, d) in colmap.items() if c == col_label and gg == g)
                if not positions:
                    return False
                p = positions[0][1]
                vals.append(cells[p] if p < len(cells) else "")
            groups[g] = vals
        self.pending = []
        for g, vals in groups.items():
            self.out.numbers_seen += sum(1 for v in vals if v.strip())
            self._assign(g, vals, where)
        return True

    def _assign_table4_named_group(
        self, cells: list[str], colmap: dict[int, tuple[str, str | None, bool]], where: str
    ) -> bool:
        """表四 printed as three 5-column tables, each under its group's name ("### 行政复议"): one row of
        numbers under a header without groups belongs to the group named last above it."""
        group = self._last_group_named(_key("".join(self.pending)))
        if group is None:
            return False
        vals: list[str] = []
        used: set[int] = set()
        for col_label, _ in self.rows[group].cols:
            positions = sorted(p for p, (c, _g, _d) in colmap.items() if c == col_label)
            if len(positions) != 1:
                return False
            used.add(positions[0])
            vals.append(cells[positions[0]] if positions[0] < len(cells) else "")
        if any(i not in used and is_value_token(c) for i, c in enumerate(cells)):
            return False
        self.pending = []
        self.out.numbers_seen += sum(1 for v in vals if v.strip())
        self._assign(group, vals, where)
        return True

    # ---- feeding ------------------------------------------------------------------------------
    def feed_item(self, item: Segment | GridRow) -> None:
        if isinstance(item, GridRow):
            self.feed_row(item)
        else:
            self.feed(item)

    def feed(self, seg: Segment) -> None:
        labels = self.pending + [x for x in seg.labels if x.strip()]
        values = seg.values
        if not values:
            self.pending = labels[-40:]
            return
        self.pending = []
        s = _key("".join(labels))
        nonblank = [v for v in values if v.strip()]
        self.out.numbers_seen += len(nonblank)
        if self.table == "table4":
            self._feed_table4(s, seg)
            return
        row = self.match_suffix(s) if s else None
        if row is None and s:
            row = self._match_wrapped(s, len(nonblank))
        if row is not None:
            want = len(self.rows[row].cols)
            for vals in self._candidates(seg, want):
                if len(vals) == want:
                    self._assign(row, vals, seg.where)
                    return
            rows = self._rows_in(s)
            if row in rows:
                rows = rows[: rows.index(row) + 1]
            else:
                rows.append(row)
            for vals in self._candidates(seg):
                for k in range(len(rows), 1, -1):
                    chosen = rows[-k:]
                    if sum(len(self.rows[r].cols) for r in chosen) == len(vals):
                        pos = 0
                        for r in chosen:
                            n = len(self.rows[r].cols)
                            self._assign(r, vals[pos : pos + n], seg.where)
                            pos += n
                        return
            self._mismatch(row, len(nonblank), want, seg)
            return
        group = self._subtotal_group(s)
        if group is not None:
            self.out.subtotals.append((group, list(values), seg.where))
            return
        if not nonblank:  # a header row with empty cells
            self.pending = labels[-40:]
            return
        tail = labels[-1].strip() if labels else ""
        if len(nonblank) >= 2 and tail and len(tail) <= 40:
            self.out.unread.append(
                f"{self.name}：无法识别的行“{tail}”{_at(seg.where)}，其中{len(nonblank)}个数字未导入"
            )

    def _match_wrapped(self, s: str, n_values: int) -> str | None:
        """A row whose long label wraps around its numbers in a PDF layout ("（二）部分公开（区分处理的，只计这一情"
        above the numbers, "形，不计其他情形）" below): the one not-yet-read row that shares a long distinctive
        piece of its label with the text, by a clear margin. Only for a full row of numbers."""
        scored: list[tuple[int, str]] = []
        for v, row in self._fuzzy_variants:
            if row in self._assigned or len(self.rows[row].cols) != n_values:
                continue
            m = difflib.SequenceMatcher(None, s, v, autojunk=False).find_longest_match(0, len(s), 0, len(v))
            scored.append((m.size, row))
        if not scored:
            return None
        best: dict[str, int] = {}
        for size, row in scored:
            best[row] = max(best.get(row, 0), size)
        ranked = sorted(((size, row) for row, size in best.items()), reverse=True)
        top, row = ranked[0]
        runner_up = ranked[1][0] if len(ranked) > 1 else 0
        if top >= 8 and top >= runner_up + 4:
            return row
        return None

    def _last_group_named(self, s: str) -> str | None:
        """The table 四 group whose name the label run ``s`` mentions last, if it has no numbers yet."""
        best: tuple[int, str] | None = None
        for g in self.fmt.table4_groups:
            pos = s.rfind(_key(g.label))
            if pos >= 0 and g.json_key in self.rows and (best is None or pos > best[0]):
                best = (pos, g.json_key)
        if best is None or best[1] in self._assigned:
            return None
        return best[1]

    def _candidates(self, seg: Segment, want: int | None = None) -> list[list[str]]:
        """The values as given; without blank lines (text streams); without blank padding left or right
        of them (tab/Markdown rows whose merged label cells leave empty cells)."""
        out = [seg.values]
        if seg.values_without_blanks is not None and seg.values_without_blanks != seg.values:
            out.append(seg.values_without_blanks)
        vals = seg.values
        if want is not None and len(vals) > want:
            extra = len(vals) - want
            for lead in range(extra, -1, -1):
                trail = extra - lead
                head, tail = vals[:lead], vals[len(vals) - trail :]
                if all(not v.strip() for v in head + tail):
                    out.append(vals[lead : len(vals) - trail])
                    break
        return out

    def _feed_table4(self, s: str, seg: Segment) -> None:
        row = self.match_suffix(s) if s else None
        groups = list(self.rows)
        if row is None and s:
            row = self._last_group_named(s)  # 表四 printed as three 5-column tables, each under its group name
        for vals in self._candidates(seg):
            if row is not None and len(vals) == len(self.rows[row].cols):
                self._assign(row, vals, seg.where)
                return
            total = sum(len(self.rows[g].cols) for g in groups)
            if len(vals) == total:
                pos = 0
                for g in groups:
                    n = len(self.rows[g].cols)
                    self._assign(g, vals[pos : pos + n], seg.where)
                    pos += n
                return
        nonblank = [v for v in seg.values if v.strip()]
        if row is not None:
            self._mismatch(row, len(nonblank), len(self.rows[row].cols), seg)
        elif len(nonblank) >= 2:
            self.out.unread.append(
                f"{self.name}：找到{len(nonblank)}个数字{_at(seg.where)}，应为{sum(len(self.rows[g].cols) for g in groups)}个"
                "（行政复议、未经复议直接起诉、复议后起诉各5栏），无法确定对应哪些栏目，未导入"
            )

    def _mismatch(self, row: str, got: int, want: int, seg: Segment) -> None:
        if row in self._assigned:
            return
        self._assigned[row] = []
        self.out.unread.append(
            f"{self.name}「{row}」：找到{got}个数字{_at(seg.where)}，应为{want}个，无法确定对应哪些栏目，这一行未导入"
        )

    def _assign(self, row: str, vals: list[str], where: str) -> None:
        info = self.rows[row]
        if row in self._assigned:
            if self._assigned[row] and [v.strip() for v in vals] != self._assigned[row]:
                self.out.warnings.append(f"{self.name}「{row}」出现了不止一次且数字不同，已采用第一次出现的数字")
            return
        self._assigned[row] = [v.strip() for v in vals]
        self.out.rows_found.append(row)
        for (col_label, key), raw in zip(info.cols, vals, strict=True):
            ct = read_cell(raw)
            if ct is None:
                self.out.unread.append(f"{self.name}「{row}」{col_label}：“{raw.strip()}”不是数字，未导入")
                continue
            if ct.status == CellStatus.UNKNOWN:
                self.out.blank_cells.append(key)
                continue
            if ct.status == CellStatus.NOT_APPLICABLE:
                self.out.na_cells.append(key)
            value: Decimal | None = ct.value
            spec = self.fmt.cell(key)
            if ct.unit and spec.kind != ValueKind.AMOUNT:
                self.out.unread.append(f"{self.name}「{row}」{col_label}：“{raw.strip()}”带有金额单位，但这一栏不是金额，未导入")
                continue
            if ct.status == CellStatus.VALUE and value is not None:
                try:
                    value = validate_value(spec, value)
                except ValueRejected as e:  # a printed mistake is kept as printed: the checks report it
                    self.out.warnings.append(f"{e}（已按原文导入）")
            self.out.cells[key] = CellFact(
                status=ct.status,
                value=value,
                provenance=Provenance(source="import", ref=self.ref, evidence=raw.strip()[:40] or None),
                unit=amount_unit(spec, ct.unit),
            )

    def finish(self) -> TableRead:
        """Rows never found get one unread entry each (or one for the whole table when it had no rows)."""
        if self.out.rows_found:
            missing = [r for r in self.rows if r not in self._assigned]
            if missing and len(missing) > 6:
                self.out.unread.append(f"{self.name}：有{len(missing)}行没有找到（如「{missing[0]}」），这些行未导入")
            else:
                for r in missing:
                    self.out.unread.append(f"{self.name}「{r}」：没有找到这一行，未导入")
        return self.out


_VARIANT_CACHE: dict[tuple[str, str], tuple[list[tuple[str, str]], list[tuple[str, str]]]] = {}


def _variants_for(fmt: ReportFormat, table: str, exact, fuzzy):  # type: ignore[no-untyped-def]
    """Label variants per (format, table), built once: normalising labels is the costly part of a reader."""
    key = (fmt.id, table)
    if key not in _VARIANT_CACHE:
        _VARIANT_CACHE[key] = (exact(), fuzzy())
    return _VARIANT_CACHE[key]


def _key(text: str) -> str:
    """Normalised label run for matching ("其它" is a common variant of "其他")."""
    return label_key(text).replace("/", "").replace("其它", "其他")


def _dedupe_texts(cells: list[str]) -> list[str]:
    out: list[str] = []
    for c in cells:
        c = c.strip()
        if c and (not out or out[-1] != c):
            out.append(c)
    return out


def split_row_cells(cells: list[str], where: str) -> Segment:
    """One table row (cells in order, merges once) → labels + value cells."""
    last_label = -1
    for i, c in enumerate(cells):
        if c.strip() and not is_value_token(c):
            last_label = i
    lead: list[str] = []
    for c in cells:
        if c.strip() and not is_value_token(c):
            lead.append(c)
        else:
            break
    rest = cells[len(lead) :]
    odd = [c for c in rest if c.strip() and not is_value_token(c)]
    if odd:
        if not lead or len(odd) * 2 >= len([c for c in rest if c.strip()]):
            return Segment([c for c in cells if c.strip()], [], where)  # a header row
        return Segment(_dedupe_texts(lead), list(rest), where)  # a data row with a cell that is not a number
    if last_label == -1:
        return Segment([], list(cells), where)
    return Segment(_dedupe_texts(cells[: last_label + 1]), list(cells[last_label + 1 :]), where)


def _at(where: str) -> str:
    return f"（{where}）" if where else ""


def cell_notes(fmt: ReportFormat, read: TableRead) -> list[str]:
    """Say how blank and "/" cells were taken (blank → unknown, never 0; "/" → 不适用)."""
    out: list[str] = []
    name = TABLE_NAMES[read.table]
    for keys, how in (
        (read.blank_cells, "空白或“未填”，已作为未知导入（不按0处理），请补充"),
        (read.na_cells, "为“/”“—”或“不适用”，已按“不适用”导入"),
    ):
        if keys:
            first = fmt.cell(keys[0])
            more = f"等{len(keys)}个单元格" if len(keys) > 1 else ""
            out.append(f"{name}「{first.row_json_key}」{first.col_label}{more}{how}")
    return out


def subtotal_values(fmt: ReportFormat, read: TableRead) -> tuple[dict[str, dict[str, Decimal]], list[str]]:
    """Subtotal rows some software adds ("（三）不予公开 合计"): {group: {column id: value}} for the checks
    (T3-5), and notes saying they were not imported as cells."""
    values: dict[str, dict[str, Decimal]] = {}
    notes: list[str] = []
    cols = list(fmt.table3_columns)
    for group, raw_values, where in read.subtotals:
        base = f"表三中“{group} 合计”一行不是官方格式的单元格，未作为数据导入"
        if len(raw_values) != len(cols):
            notes.append(f"{base}（{len([v for v in raw_values if v.strip()])}个数字，无法与各项比较{_at(where)}）")
            continue
        by_col: dict[str, Decimal] = {}
        for col, raw in zip(cols, raw_values, strict=True):
            ct = read_cell(raw)
            if ct is None or ct.status == CellStatus.UNKNOWN:
                continue
            by_col[col.id] = ct.value if ct.status == CellStatus.VALUE and ct.value is not None else Decimal(0)
        values.setdefault(group, {}).update(by_col)
        notes.append(f"{base}，已与其下各项之和核对")
    return values, notes
