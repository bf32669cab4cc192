"""``drafts [--owner O] [--json]``: list the drafts in the store (owner, id, agency, year, updated).

Reads the store the app writes: ``$ASSISTANT_DATABASE_URL`` (PostgreSQL) when set, else the SQLite file in
``$ASSISTANT_DATA_DIR`` (default ``./data``). The id
printed here is what ``export``, ``render`` and ``check`` accept in place of a file.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from ..errors import InputError, StoreError
from ..facts import Report
from ..store import DATABASE_URL_ENV, DB_FILENAME, DraftNotFound, SQLStore, default_data_dir, open_store


@dataclass(frozen=True)
class DraftRow:
    """One line of the listing."""

    owner: str
    id: str
    agency: str
    year: int | None
    updated: str
    title: str


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "drafts",
        help="列出数据目录中的草稿（用户、编号、单位、年度、更新时间）",
        description="列出应用保存的全部草稿：设置了 ASSISTANT_DATABASE_URL 时读该数据库，否则读数据目录"
        "（环境变量 ASSISTANT_DATA_DIR，默认 ./data）中的 SQLite 文件。"
        "草稿编号可代替文件用于 export、render、check 命令。",
    )
    p.add_argument("--owner", default=None, help="只列出这个用户的草稿（如 local、proxy:zhangsan）")
    p.add_argument("--json", action="store_true", help="以 JSON 列表输出")
    p.set_defaults(func=run)


def _where() -> str:
    """Where the drafts are looked for, for messages (a database URL is shown without its password)."""
    url = os.environ.get(DATABASE_URL_ENV, "").strip()
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url) if url else f"数据目录“{default_data_dir()}”"


def open_existing_store() -> SQLStore | None:
    """The configured store (``ASSISTANT_DATABASE_URL``, else SQLite in the data directory), or None when no
    SQLite file was ever written there (nothing is created)."""
    if os.environ.get(DATABASE_URL_ENV, "").strip():
        return open_store()
    if not (default_data_dir() / DB_FILENAME).is_file():
        return None
    return open_store()


def stored_report(draft_id: str) -> Report:
    """The report of the stored draft with this id, whoever owns it (the operator reads the server's files)."""
    store = open_existing_store()
    where = _where()
    if store is None:
        raise InputError(f"找不到文件“{draft_id}”；{where}中也还没有草稿")
    try:
        owner = next((d.owner for d in store.list_all_drafts() if d.id == draft_id), None)
        if owner is None:
            raise InputError(f"找不到文件“{draft_id}”；{where}中也没有这个编号的草稿")
        try:
            return store.get_draft(owner, draft_id).state.report
        except DraftNotFound:
            raise InputError(f"草稿“{draft_id}”刚刚被删除") from None
    finally:
        store.close()


def list_rows(owner: str | None = None) -> list[DraftRow]:
    """The stored drafts, most recently changed first."""
    store = open_existing_store()
    if store is None:
        return []
    try:
        rows = []
        for d in store.list_all_drafts():
            if owner is not None and d.owner != owner:
                continue
            try:
                report = store.get_draft(d.owner, d.id).state.report
                agency, year = report.agency, report.report_year
            except (DraftNotFound, StoreError):  # deleted meanwhile, or unreadable: still listed by title
                agency, year = "", None
            rows.append(DraftRow(d.owner, d.id, agency, year, d.updated_at, d.title))
        return rows
    finally:
        store.close()


def _local(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_table(rows: list[DraftRow]) -> str:
    """An aligned table (CJK characters count as two columns)."""
    head = ["用户", "编号", "单位", "年度", "更新时间"]
    body = [[r.owner, r.id, r.agency or "（未填写）", str(r.year) if r.year else "未定", _local(r.updated)] for r in rows]
    widths = [max(_width(line[i]) for line in [head, *body]) for i in range(len(head))]
    lines = ["  ".join(_pad(c, w) for c, w in zip(line, widths, strict=True)).rstrip() for line in [head, *body]]
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    rows = list_rows(args.owner)
    if args.json:
        data = [{"owner": r.owner, "id": r.id, "agency": r.agency, "year": r.year, "updated": r.updated,
                 "title": r.title} for r in rows]
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not rows:
        who = f"用户“{args.owner}”的" if args.owner else ""
        print(f"{_where()}中还没有{who}草稿。")
        return 0
    sys.stdout.write(format_table(rows))
    return 0
