"""Supplement labels: turning what a label says into per-unit nutrients; the forms."""

from __future__ import annotations

from typing import Any, Final

from fortify.catalog.forms import FORMS, elemental_from_label, servings_per_unit
from fortify.catalog.schemas import (
    LabelConversion,
)
from fortify.core.errors import InvalidInput

# --- supplement labels -----------------------------------------------------------------------

_LABEL_FIELDS: Final = (
    "compound_mg",
    "elemental_mg",
    "iu",
    "mcg",
    "epa_mg",
    "dha_mg",
    "fiber_g",
    "nutrients",
)
_DEFAULT_FIELD: Final = {
    "mineral": "elemental_mg",
    "vitamin_d": "iu",
    "vitamin_k": "mcg",
    "omega_3": "epa_mg",
    "other": "nutrients",
}


def _position(message: str, field: str) -> int:
    """Where a message first names a field ("compound_mg" or "compound mg"); len if nowhere."""
    found = [i for i in (message.find(field), message.find(field.replace("_", " "))) if i >= 0]
    return min(found, default=len(message))


def convert_label(data: LabelConversion) -> dict[str, Any]:
    """Per-unit nutrients and servings from what a label says (elemental or compound)."""
    spec = FORMS.get(data.form)
    if spec is None:
        raise InvalidInput(
            f"Unknown form '{data.form}'; choose one of: {', '.join(FORMS)}.",
            field="form",
            rule="known_form",
        )
    amounts = {name: getattr(data, name) for name in _LABEL_FIELDS}
    try:
        nutrients = elemental_from_label(data.form, **amounts)
    except ValueError as exc:
        message = str(exc)
        # Name the input the message is about, so the form can show it beside that field.
        field = next(
            (
                name
                for name in sorted(_LABEL_FIELDS, key=lambda n: _position(message, n))
                if amounts[name] is not None and _position(message, name) < len(message)
            ),
            _DEFAULT_FIELD.get(spec.input_style, "form"),
        )
        raise InvalidInput(message, field=field, rule="label") from exc
    return {
        "form": data.form,
        "nutrients_per_unit": nutrients,
        "servings_per_unit": servings_per_unit(data.form),
    }


def supplement_forms() -> list[dict[str, Any]]:
    return [
        {
            "key": form.key,
            "label": form.label,
            "kind": form.kind,
            "input_style": form.input_style,
            "nutrient": form.nutrient,
            "elemental_fraction": form.elemental_fraction,
            "servings": dict(form.servings),
            "scored": form.scored,
            "source": form.source,
        }
        for form in FORMS.values()
    ]
