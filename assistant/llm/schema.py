"""What the model is asked to return for one clerk message, as pydantic models and as a strict JSON Schema.

The pydantic models are lenient (defaults, extra keys ignored) so rung 3 can accept a slightly sloppy answer;
the JSON Schema is strict (every property required, no additional properties) as OpenAI's strict mode wants.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..drafting import NARRATIVE_FACTS
from ..facts import AgencyLevel

STATUSES = ("value", "confirmed_zero", "not_applicable")
SCHEMA_NAME = "fact_proposals"


class ProposedCell(BaseModel):
    model_config = ConfigDict(extra="ignore")

    cell: str
    status: Literal["value", "confirmed_zero", "not_applicable"] = "value"
    value: Decimal | None = None
    evidence: str = ""
    is_correction: bool = False

    @field_validator("value", mode="before")
    @classmethod
    def _number(cls, v: Any) -> Any:
        if v is None or isinstance(v, (int, float, Decimal)) and not isinstance(v, bool):
            return v
        if isinstance(v, str):
            s = v.strip().replace(",", "")
            if s == "":
                return None
            try:
                return Decimal(s)
            except InvalidOperation:
                raise ValueError("value 必须是阿拉伯数字（如 12 或 0.3），不能是文字") from None
        raise ValueError("value 必须是数字或 null")


class ProposedMeta(BaseModel):
    model_config = ConfigDict(extra="ignore")

    agency: str | None = None
    level: str | None = None
    report_year: int | None = None


class ProposedNarrative(BaseModel):
    model_config = ConfigDict(extra="ignore")

    key: str
    text: str = ""


class ModelExtraction(BaseModel):
    """The model's answer for one message: proposals only; the ledger decides."""

    model_config = ConfigDict(extra="ignore")

    updates: list[ProposedCell] = Field(default_factory=list)
    meta: ProposedMeta = Field(default_factory=ProposedMeta)
    narrative: list[ProposedNarrative] = Field(default_factory=list)

    @field_validator("meta", mode="before")
    @classmethod
    def _meta(cls, v: Any) -> Any:
        return {} if v is None else v

    @field_validator("updates", "narrative", mode="before")
    @classmethod
    def _list(cls, v: Any) -> Any:
        return [] if v is None else v


def _nullable(t: str, **extra: Any) -> dict[str, Any]:
    return {"type": [t, "null"], **extra}


def extraction_schema() -> dict[str, Any]:
    """The strict JSON Schema of :class:`ModelExtraction` (all properties required, no extras)."""
    levels: list[Any] = [lv.value for lv in AgencyLevel]
    return {
        "type": "object",
        "additionalProperties": False,
        "required": ["updates", "meta", "narrative"],
        "properties": {
            "updates": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["cell", "status", "value", "evidence", "is_correction"],
                    "properties": {
                        "cell": {"type": "string"},
                        "status": {"type": "string", "enum": list(STATUSES)},
                        "value": _nullable("number"),
                        "evidence": {"type": "string"},
                        "is_correction": {"type": "boolean"},
                    },
                },
            },
            "meta": {
                "type": "object",
                "additionalProperties": False,
                "required": ["agency", "level", "report_year"],
                "properties": {
                    "agency": _nullable("string"),
                    "level": _nullable("string", enum=[*levels, None]),
                    "report_year": _nullable("integer"),
                },
            },
            "narrative": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["key", "text"],
                    "properties": {
                        "key": {"type": "string", "enum": [f.key for f in NARRATIVE_FACTS]},
                        "text": {"type": "string"},
                    },
                },
            },
        },
    }
