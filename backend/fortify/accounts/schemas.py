from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import AfterValidator, EmailStr, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from fortify.accounts import emails, passwords
from fortify.core.schema import MULTI_LINE, Day, ReadModel, StrictModel, single_line
from fortify.scoring.tables import ENTRY_LIMITS, TARGET_LIMITS
from fortify.scoring.tables import TargetKey as TargetKey  # re-exported: the profile API names it


def _not_common(value: str) -> str:
    if passwords.is_common(value):
        raise PydanticCustomError(passwords.NOT_COMMON, passwords.COMMON_DETAIL)
    return value


def _one_form(value: str) -> str:
    normal = emails.normalise(value)
    if (problem := emails.script_problem(normal)) is not None:
        raise PydanticCustomError(emails.MIXED_SCRIPTS, problem)
    return normal


Email = Annotated[
    EmailStr,
    AfterValidator(_one_form),
    Field(description="Compared and stored NFKC + case-folded; one alphabet per local part."),
]
# Sign-in takes any address it is given (an account made before the look-alike rule must still
# sign in); it is normalised the same way so "Alice@" finds "alice@".
SignInEmail = Annotated[EmailStr, AfterValidator(emails.normalise)]

Password = Annotated[
    str,
    Field(
        min_length=passwords.MIN_LENGTH,
        max_length=256,
        description="At least 10 characters, not one of the most common passwords, and hard "
        "to guess (zxcvbn score 3 or more, with your email and name as context).",
    ),
    AfterValidator(_not_common),
    MULTI_LINE,  # a password is whatever she typed; it is never shown
]
Token = Annotated[str, Field(min_length=10, max_length=200, description="The link's token.")]
# One line: it is put in mails and calendar names, where a line break starts new text of the
# sender's choosing (an outside probe, F6: a sign-up "name" carrying a phishing paragraph).
DisplayName = Annotated[
    str,
    Field(min_length=1, max_length=100, description="One line: no line breaks."),
    AfterValidator(single_line),
]
DeviceName = Annotated[str, Field(min_length=1, max_length=100)]
Sex = Literal["female", "male"]
Scope = Literal["read", "write"]


# Names the zone database files hold that are no place: "localtime" is the host's own zone (it
# would follow whatever machine serves the request) and "Factory" means "zone not set".
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


@lru_cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones()) - _NOT_PLACES


def _iana_zone(value: str) -> str:
    if value not in _zones():
        raise PydanticCustomError(
            "iana_time_zone", "must be an IANA time zone such as Europe/London"
        )
    return value


TimeZone = Annotated[str, AfterValidator(_iana_zone), Field(examples=["Europe/London"])]


class AccountCreate(StrictModel):
    email: Email
    password: Password
    display_name: DisplayName

    @model_validator(mode="after")
    def _strong(self) -> AccountCreate:
        refused = passwords.problem(
            self.password, passwords.context_words(self.email, self.display_name)
        )
        if refused is not None:
            # "field: message" names the field in the problem's errors[] (core/errors.py).
            raise PydanticCustomError(refused[0], f"password: {refused[1]}")
        return self


class SignUpAccepted(StrictModel):
    status: Literal["check_your_inbox"] = "check_your_inbox"
    detail: str = Field(
        default="Check your inbox: we sent a link to finish creating your account.",
        description="The same answer whether or not the address has an account already.",
    )


class EmailVerify(StrictModel):
    token: Token
    password: Annotated[
        str,
        Field(
            min_length=1,
            max_length=256,
            description="The password chosen at sign-up: the account is only ever created with "
            "a password the person opening the link knows.",
        ),
        MULTI_LINE,  # whatever she typed at sign-up; never shown
    ]
    device_name: DeviceName = "Unnamed device"


class PasswordForgot(StrictModel):
    email: SignInEmail


class PasswordReset(StrictModel):
    token: Token
    new_password: Password
    device_name: DeviceName = "Unnamed device"


class LinkCheck(StrictModel):
    """An emailed link's token, to check before she types anything (nothing is used up)."""

    token: Token


class SessionCreate(StrictModel):
    email: SignInEmail
    password: Annotated[str, Field(min_length=1, max_length=256), MULTI_LINE]
    device_name: DeviceName = "Unnamed device"


class SessionRead(ReadModel):
    id: uuid.UUID
    device_name: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime
    current: bool = False


class SessionCreated(SessionRead):
    user_id: uuid.UUID = Field(description="The signed-in person.")
    email: str = Field(description="Her address, as stored (normalised).")
    token: str = Field(description="Bearer token; shown only now.")
    token_type: Literal["bearer"] = "bearer"


class PasswordChange(StrictModel):
    current_password: Annotated[str, Field(min_length=1, max_length=256), MULTI_LINE]
    new_password: Password


class TokenCreate(StrictModel):
    name: Annotated[str, Field(min_length=1, max_length=100)]
    scopes: Annotated[list[Scope], Field(min_length=1, max_length=2)]
    expires_in_days: Annotated[int | None, Field(ge=1, le=3650)] = None


class TokenRead(ReadModel):
    id: uuid.UUID
    name: str
    scopes: list[str]
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="The token itself; shown only now, store it safely.")


class TargetOverride(StrictModel):
    value: Annotated[float, Field(gt=0, le=100000)]
    set_by_care_team: bool = True


class ProfileUpdate(StrictModel):
    display_name: DisplayName | None = None
    sex: Sex | None = None
    birth_year: Annotated[int | None, Field(ge=1900, le=2026)] = None
    height_cm: Annotated[
        float | None,
        Field(ge=ENTRY_LIMITS["height_cm"].hard_min, le=ENTRY_LIMITS["height_cm"].hard_max),
    ] = None
    time_zone: TimeZone | None = None
    therapy_medicine: Annotated[str | None, Field(max_length=100)] = None
    therapy_start_date: Day | None = None
    cleared_for_high_impact: bool | None = None
    on_anticoagulant: bool | None = None
    osteoporosis: bool | None = None
    unit_system: Literal["metric", "us"] | None = None
    target_overrides: dict[TargetKey, TargetOverride] | None = Field(
        default=None,
        description="Replaces the whole set of overrides; {} clears them. Each value within "
        "its target's hard range (TARGET_LIMITS); outside it, 422 rule target_range.",
    )

    @field_validator("target_overrides")
    @classmethod
    def _targets_in_range(
        cls, overrides: dict[str, TargetOverride] | None
    ) -> dict[str, TargetOverride] | None:
        # A target outside the hard range is a slip (calcium 99999 mg a day), and every screen
        # and the care-team report would then measure her against it.
        for key, override in (overrides or {}).items():
            row = TARGET_LIMITS[key]
            low_ok = (
                override.value > row.hard_min
                if row.above_hard_min
                else (override.value >= row.hard_min)
            )
            if not (low_ok and override.value <= row.hard_max):
                raise PydanticCustomError(
                    "target_range",
                    "{key}: a {key} target must be {low:g} to {high:g} {unit}",
                    {"key": key, "low": row.hard_min, "high": row.hard_max, "unit": row.unit},
                )
        return overrides


class ProfileRead(ReadModel):
    display_name: str
    email: str
    sex: Sex | None
    birth_year: int | None
    height_cm: float | None
    time_zone: str
    therapy_medicine: str | None
    therapy_start_date: dt.date | None
    cleared_for_high_impact: bool
    on_anticoagulant: bool
    osteoporosis: bool
    unit_system: Literal["metric", "us"]
    target_overrides: dict[str, TargetOverride]
    version: int = Field(validation_alias="profile_version")


class AuditEventRead(ReadModel):
    id: uuid.UUID
    at: dt.datetime
    action: str = Field(examples=["signed_in", "token_created", "data_exported"])
    detail: dict[str, str | int | None] = Field(
        description="What identifies the event: a device or token name, an address."
    )
