"""Token kinds and gap patterns shared by the clause readers of the rule extractor."""

from __future__ import annotations

import re

PRIMARY = {"t3row", "t3group", "t3col", "t3weak", "t2row", "t2col", "t4group", "t4col"}
ROW_KINDS = {"t3row", "t3group", "t3weak", "t4group", "t2row"}
COPULA_GAP = re.compile(
    r"^[\s是为均都也系全部皆由属的]*(?:应该是|应该为|应为|应是|改为|改成|更正为|实际为|实际是)?[\s是为]*$"
)
