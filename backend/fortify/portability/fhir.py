"""The person's record as a FHIR Bundle (type `collection`), validated with `fhir.resources`.

Version: FHIR R4B (4.3.0). `fhir.resources` 8 ships R5 (default), R4B and STU3 models and no
plain R4 (4.0.1) package; R4B is R4 with technical corrections, and the resources used here
(Patient, Observation, MedicationStatement, MedicationAdministration, Bundle) have the same
elements in both, so an R4 server reads this Bundle as it is.

What maps to what (docs/api.md has the table with sources):

- the person → Patient. Always present, so every resource has a subject; name, birth year
  and sex only when the person asks for them (`include_identity`), since a report for a care
  team rarely needs them and a Bundle travels further than the app.
- labs → Observation (category laboratory) with a LOINC code and the canonical value in UCUM
  units: 25-hydroxyvitamin D total (D2 + D3) 62292-8 in ng/mL; total cholesterol 2093-3, LDL
  cholesterol 2089-1 (method not specified: Fortify does not know whether the lab calculated
  or measured it, so neither 13457-7 "by calculation" nor 18262-6 "direct" is claimed), HDL
  cholesterol 2085-9, triglycerides 2571-8, all in mg/dL; DXA T-scores by site: lumbar spine
  38267-1, total hip 38264-8, femur (femoral neck) 38263-0, any other site 38265-5 (DXA
  T-score, site not specified) with the site in `bodySite.text`.
- body weight → Observation (vital-signs) 29463-7, kg.
- joint pain → Observation (survey) 72514-3 "Pain severity - 0-10 verbal numeric rating
  [Score] - Reported", with the morning stiffness (minutes) as a Fortify-coded component.
- the regimen → MedicationStatement (what the person says they take, and when);
- each logged dose → MedicationAdministration. A dose is one event: this person took this
  many units of this item at this instant. That is MedicationAdministration's definition
  ("the event of a patient consuming … a medication"), while MedicationStatement records a
  belief that a medicine is being taken over a period, which is what a regimen item is.
- daily scores → one Observation a day coded in Fortify's own code system (no standard code
  exists for them), the overall score as the value and bone, heart and joint as components.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterator
from typing import Any

from fhir.resources.R4B.bundle import Bundle, BundleEntry
from pydantic import ValidationError
from sqlalchemy.orm import Session, sessionmaker

from fortify.accounts import service as accounts
from fortify.accounts.models import User
from fortify.core.clock import local_today
from fortify.core.db import utcnow
from fortify.core.schema import real_offset
from fortify.days.service import day_series, first_day, scored_until
from fortify.entries.kinds import localized
from fortify.portability.csv_export import entry_rows, logged_days

log = logging.getLogger(__name__)

FHIR_VERSION = "4.3.0"
MEDIA_TYPE = "application/fhir+json; fhirVersion=4.3"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
FORTIFY_CODES = "https://fortify.invalid/fhir/CodeSystem/fortify"
FORTIFY_FORMS = "https://fortify.invalid/fhir/CodeSystem/regimen-form"
FORTIFY_REGIMEN_SOURCE = "https://fortify.invalid/fhir/CodeSystem/regimen-source"
#: The size of the pieces the streamed Bundle is sent in.
CHUNK_BYTES = 1 << 16
FHIR_NAMESPACE = uuid.UUID("5d0c3f5e-6a53-4b0b-9a8e-6f7c1a2e4b90")

# kind → (LOINC code, display, UCUM unit); the value is the canonical one (units.py).
LAB_CODES: dict[str, tuple[str, str, str]] = {
    "vitamin_d_25oh": (
        "62292-8",
        "25-Hydroxyvitamin D2+25-Hydroxyvitamin D3 [Mass/volume] in Serum or Plasma",
        "ng/mL",
    ),
    "total_cholesterol": ("2093-3", "Cholesterol [Mass/volume] in Serum or Plasma", "mg/dL"),
    "ldl_cholesterol": ("2089-1", "Cholesterol in LDL [Mass/volume] in Serum or Plasma", "mg/dL"),
    "hdl_cholesterol": ("2085-9", "Cholesterol in HDL [Mass/volume] in Serum or Plasma", "mg/dL"),
    "triglycerides": ("2571-8", "Triglyceride [Mass/volume] in Serum or Plasma", "mg/dL"),
}
DXA_CODES: dict[str | None, tuple[str, str]] = {
    "lumbar_spine": ("38267-1", "DXA Lumbar spine [T-score] Bone density"),
    "total_hip": ("38264-8", "DXA Hip [T-score] Bone density"),
    "femoral_neck": ("38263-0", "DXA Femur [T-score] Bone density"),
    None: ("38265-5", "DXA [T-score] Bone density"),
}
SITE_WORDS = {
    "lumbar_spine": "Lumbar spine",
    "total_hip": "Total hip",
    "femoral_neck": "Femoral neck",
    "forearm": "Forearm",
}
BODY_WEIGHT = ("29463-7", "Body weight")
PAIN_SEVERITY = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")


def _date_time(value: dt.datetime) -> str:
    """A FHIR dateTime: the instant at its own offset when FHIR can hold it, else in UTC (a naive
    value is UTC, as stored). FHIR's offsets stop at ±14:00; one beyond failed validation in the
    middle of a streamed Bundle (F0), so the writer never trusts a stored offset."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    if not real_offset(value.utcoffset()):
        value = value.astimezone(dt.UTC)
    return value.isoformat()


def _coding(system: str, code: str, display: str) -> dict[str, Any]:
    return {"coding": [{"system": system, "code": code, "display": display}], "text": display}


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [_coding(OBSERVATION_CATEGORY, code, display)]


def _quantity(value: float, unit: str, code: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code or unit}


def _entry(resource: dict[str, Any]) -> dict[str, Any]:
    return {"fullUrl": f"urn:uuid:{resource['id']}", "resource": resource}


def _patient(user: User, include_identity: bool) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "id": str(uuid.uuid5(FHIR_NAMESPACE, f"patient:{user.id}")),
    }
    if include_identity:
        patient["name"] = [{"text": user.display_name}]
        if user.birth_year:
            patient["birthDate"] = str(user.birth_year)  # a FHIR date may be a year alone
        if user.sex:
            patient["gender"] = user.sex
    return patient


def _observation(
    row: Any,
    subject: dict[str, str],
    category: tuple[str, str],
    code: dict[str, Any],
    value: dict[str, Any],
) -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": str(row.id),
        "status": "final",
        "category": _category(*category),
        "code": code,
        "subject": subject,
        "effectiveDateTime": _date_time(localized(row)),
        "valueQuantity": value,
    }


def _lab(row: Any, subject: dict[str, str]) -> dict[str, Any]:
    if row.kind == "dxa_t_score":
        code, display = DXA_CODES.get(row.site, DXA_CODES[None])
        observation = _observation(
            row,
            subject,
            ("imaging", "Imaging"),
            _coding(LOINC, code, display),
            _quantity(row.value_canonical, "T-score", "{T-score}"),
        )
        if row.site:
            observation["bodySite"] = {"text": SITE_WORDS.get(row.site, row.site)}
        return observation
    code, display, unit = LAB_CODES[row.kind]
    return _observation(
        row,
        subject,
        ("laboratory", "Laboratory"),
        _coding(LOINC, code, display),
        _quantity(row.value_canonical, unit),
    )


def _weight(row: Any, subject: dict[str, str]) -> dict[str, Any]:
    return _observation(
        row,
        subject,
        ("vital-signs", "Vital Signs"),
        _coding(LOINC, *BODY_WEIGHT),
        _quantity(row.weight_kg, "kg"),
    )


def _pain(row: Any, subject: dict[str, str]) -> dict[str, Any]:
    observation = _observation(
        row,
        subject,
        ("survey", "Survey"),
        _coding(LOINC, *PAIN_SEVERITY),
        _quantity(row.worst_pain_0_10, "score", "{score}"),
    )
    if row.morning_stiffness_minutes is not None:
        observation["component"] = [
            {
                "code": _coding(FORTIFY_CODES, "morning-stiffness", "Morning stiffness"),
                "valueQuantity": _quantity(row.morning_stiffness_minutes, "min"),
            }
        ]
    if row.locations:
        observation["note"] = [{"text": "Where it hurts: " + ", ".join(row.locations)}]
    return observation


def _medication(name: str, form: str | None) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": name}
    if form:
        concept["coding"] = [{"system": FORTIFY_FORMS, "code": form}]
    return concept


def _statement(row: Any, subject: dict[str, str]) -> dict[str, Any]:
    statement: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "id": str(row.id),
        "status": "active" if row.active else "stopped",
        "medicationCodeableConcept": _medication(row.name, row.form),
        "subject": subject,
        "dateAsserted": _date_time(row.created_at),
    }
    if row.set_by_care_team:
        # Who decided on it (PROTOCOL.md §1): R4B's category codes say where it is taken, not
        # who prescribed it, so Fortify's own code system says so, with a note for a reader.
        statement["category"] = {
            "coding": [
                {
                    "system": FORTIFY_REGIMEN_SOURCE,
                    "code": "care-team",
                    "display": "Prescribed or recommended by the care team",
                }
            ]
        }
        statement["note"] = [{"text": "Prescribed or recommended by the care team."}]
    if row.started_on:
        statement["effectivePeriod"] = {"start": row.started_on.isoformat()}
    times = ", ".join(row.schedule_times or [])
    daily = "every day" if row.prescribed_daily else "as scheduled"
    dosage: dict[str, Any] = {"text": f"{row.default_units:g} unit(s) {daily}"}
    if times:
        dosage["text"] += f" at {times}"
        dosage["timing"] = {"repeat": {"timeOfDay": [f"{t}:00" for t in row.schedule_times]}}
    statement["dosage"] = [dosage]
    return statement


def _administration(
    row: Any, subject: dict[str, str], items: dict[uuid.UUID, Any]
) -> dict[str, Any]:
    item = items.get(row.regimen_item_id) if row.regimen_item_id else None
    name = item.name if item else (row.form or "Dose").replace("_", " ")
    administration: dict[str, Any] = {
        "resourceType": "MedicationAdministration",
        "id": str(row.id),
        "status": "completed",
        "medicationCodeableConcept": _medication(name, row.form),
        "subject": subject,
        "effectiveDateTime": _date_time(localized(row)),
        "dosage": {"dose": _quantity(row.units, "unit", "{unit}")},
    }
    if item is not None:
        administration["request"] = {"display": item.name}
    amounts = [
        f"{key.removesuffix('_mg').removesuffix('_iu').replace('_', ' ')} {value:g}"
        + (" mg" if key.endswith("_mg") else " IU" if key.endswith("_iu") else "")
        for key, value in (row.nutrients or {}).items()
        if value
    ]
    if amounts:
        administration["note"] = [{"text": "Contains " + ", ".join(amounts)}]
    return administration


def _scores(
    user: User, session: Session, subject: dict[str, str], now: dt.datetime
) -> list[dict[str, Any]]:
    span = logged_days(session, user)
    if span is None:
        return []
    first, last = span
    # An entry may be dated up to two days ahead; a day still to come gets no score, as in the
    # app (days.service.scored_until).
    last = scored_until(last, local_today(user.time_zone, now))
    first = max(first, last - dt.timedelta(days=365), first_day(session, user))
    out = []
    for report in day_series(session, user, first, last):
        day = report.date.isoformat()
        out.append(
            {
                "resourceType": "Observation",
                "id": str(uuid.uuid5(FHIR_NAMESPACE, f"score:{user.id}:{day}")),
                "status": "final",
                "code": _coding(FORTIFY_CODES, "daily-score", "Fortify daily score (0-100)"),
                "subject": subject,
                "effectiveDateTime": day,
                "valueInteger": report.overall,
                "component": [
                    {
                        "code": _coding(FORTIFY_CODES, f"{domain}-score", f"{domain} score"),
                        "valueInteger": getattr(report, domain),
                    }
                    for domain in ("bone", "heart", "joint")
                ],
            }
        )
    return out


def resources(
    session: Session, user: User, include_identity: bool, now: dt.datetime | None = None
) -> Iterator[dict[str, Any]]:
    """Every resource of the Bundle, in the Bundle's order, one at a time."""
    patient = _patient(user, include_identity)
    subject = {"reference": f"urn:uuid:{patient['id']}"}
    items = {r.id: r for r in entry_rows(session, user, "regimen")}  # a handful of items
    yield patient
    yield from (_lab(r, subject) for r in entry_rows(session, user, "labs"))
    yield from (_weight(r, subject) for r in entry_rows(session, user, "measurements"))
    yield from (_pain(r, subject) for r in entry_rows(session, user, "symptoms"))
    yield from (_statement(r, subject) for r in items.values())
    yield from (_administration(r, subject, items) for r in entry_rows(session, user, "doses"))
    yield from _scores(user, session, subject, now or utcnow())


def _shape(value: Any) -> Any:
    """The structure of a resource: its keys, nested, and the type of every value (not the
    values), so that two resources of one shape differ only in values of the same types."""
    if isinstance(value, dict):
        return tuple((k, _shape(v)) for k, v in value.items())
    if isinstance(value, list):
        return ("[]", *(_shape(v) for v in value))
    return type(value).__name__


def bundle_chunks(
    session: Session,
    user: User,
    *,
    include_identity: bool = False,
    now: dt.datetime | None = None,
) -> Iterator[bytes]:
    """The Bundle as JSON, in pieces of about `CHUNK_BYTES`, for a streamed answer.

    Memory stays bounded whatever the account holds: the rows are read in batches, and each
    entry is written out on its own, instead of validating one Bundle object of every resource
    (which held the whole record three times over: rows, dicts and models; 160 MB for 10,000
    weights). The envelope is validated once, without its entries.

    Each entry of a new shape (`_shape`: keys and value types) is validated against the R4B
    models (`BundleEntry`, which validates its resource); entries of a shape already validated
    are not. Validating and dumping every entry was 3 ms of the 3.8 ms each entry cost (200,000
    weights took 260 s and held a heavy-work place throughout). What one shape's entries differ
    in are values of the same types made by the same code from stored, validated rows (ids,
    times in ISO form, finite numbers, names a person entered under the entry rules), which is
    what the models would check again. Every entry is written as built (`json.dumps` of the
    dict), validated or not, so the Bundle is the same either way (test_fhir.py validates whole
    Bundles with the models)."""
    now = now or utcnow()
    envelope = Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "id": str(uuid.uuid4()),
            "meta": {"lastUpdated": now.isoformat()},
            "type": "collection",
            "timestamp": now.isoformat(),
        }
    ).model_dump(mode="json", exclude_none=True)
    head = json.dumps(envelope, separators=(",", ":"))
    buffer = [head[:-1] + ',"entry":[']
    size = 0
    validated: set[Any] = set()
    for n, resource in enumerate(resources(session, user, include_identity, now)):
        entry = _entry(resource)
        shape = _shape(entry)
        if shape not in validated:
            try:
                BundleEntry.model_validate(entry)
            except ValidationError as exc:
                # The answer began long ago (200): raising here cut the Bundle off for good
                # (F0). The entry is written as built, so nothing of hers is lost, and the bug
                # is logged (where, never the values: they are health data).
                log.error(
                    "FHIR entry failed validation",
                    extra={
                        "resource": resource.get("resourceType"),
                        "at": [".".join(map(str, e["loc"])) for e in exc.errors()][:5],
                    },
                )
            else:
                validated.add(shape)
        piece = ("," if n else "") + json.dumps(entry, separators=(",", ":"))
        buffer.append(piece)
        size += len(piece)
        if size >= CHUNK_BYTES:
            yield "".join(buffer).encode()
            buffer, size = [], 0
    # Her account deleted while the Bundle was read: cut short (the answer has begun), never a
    # Bundle that looks whole with part of her record missing.
    accounts.confirm_account(session, user.id)
    buffer.append("]}")
    yield "".join(buffer).encode()


def stream(
    factory: sessionmaker[Session],
    user_id: uuid.UUID,
    *,
    include_identity: bool,
    now: dt.datetime | None = None,
) -> Iterator[bytes]:
    """`bundle_chunks` on a session of its own: a streamed answer outlives the request's. Her
    account deleted since the request signed in: the 401 `account_deleted`, raised before the
    first piece (the route starts the stream before it answers, portability/gate.py); it was
    a 200 with an empty body, which no client could read."""
    with factory() as session:
        user = accounts.get_person(session, user_id)
        if user is None:
            raise accounts.account_gone()
        yield from bundle_chunks(session, user, include_identity=include_identity, now=now)
