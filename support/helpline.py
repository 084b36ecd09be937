"""The helpline's contact details, opening hours and crisis lines, read from one YAML file.

Opening hours are written in the helpline's own time zone. Every period is turned into a pair
of instants (UTC) before it is compared with `now`, so the answer is right across
daylight-saving changes, whatever zone `now` comes in.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone as django_timezone
from django.utils.dates import WEEKDAYS
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language_info, gettext_lazy
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainValidator,
    StringConstraints,
)

from core.content import ContentError, Problem, read_yaml, shown, validate
from core.content.types import Part

logger = logging.getLogger(__name__)

WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MIDNIGHT = 24 * 60
# How far ahead `status` looks for the next opening.
LOOKAHEAD_DAYS = 14

NOT_CONFIGURED = gettext_lazy(
    "The helpline's details have not been set up on this site yet, so no phone number or "
    "address can be shown here."
)


# --- field types -------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Period:
    """Open from `start` up to, not including, `end`; minutes after midnight (1440 = 24:00)."""

    start: int
    end: int

    def __str__(self) -> str:
        return f"{_clock(self.start)}–{_clock(self.end)}"


def clock_text(minutes: int) -> str:
    """A time of day for visitors, as their language writes it (17:00, 5 p.m.)."""
    if minutes >= 24 * 60:
        return _("midnight")
    return time_format(time(minutes // 60, minutes % 60))


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _minutes(text: str) -> int:
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    hours, minutes = (int(match[1]), int(match[2])) if match else (99, 99)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise ValueError(f"'{text}' is not a time of day; use HH:MM from 00:00 to 24:00")
    return hours * 60 + minutes


def _period(value: Any) -> Period:
    if isinstance(value, Period):
        return value
    if not isinstance(value, str):
        raise ValueError(f'write a period as "09:00-12:00", not {value!r}')
    parts = re.split(r"\s*[-–]\s*", value.strip())
    if len(parts) != 2:
        raise ValueError(f"'{value}' is not a period; write it as \"09:00-12:00\"")
    start, end = (_minutes(part) for part in parts)
    if end <= start:
        raise ValueError(
            f"'{value}' does not end after it starts; a period cannot cross midnight, so split "
            'it over two days ("22:00-24:00" and "00:00-02:00")'
        )
    return Period(start, end)


def _day(value: Any) -> Any:
    """A day is a list of periods; also accept nothing, 'closed', or one comma-separated line."""
    if value is None:
        return ()
    if isinstance(value, str):
        if value.strip().lower() == "closed":
            return ()
        return [part for part in value.split(",") if part.strip()]
    return value


def _in_order(periods: tuple[Period, ...]) -> tuple[Period, ...]:
    for before, after in zip(periods, periods[1:], strict=False):
        if after.start < before.end:
            raise ValueError(
                f"the periods {before} and {after} overlap or are out of order; "
                "list them from early to late, without overlap"
            )
    return periods


def _phone(value: str) -> str:
    value = " ".join(value.split())
    if not re.fullmatch(r"[0-9A-Za-z+()./\- ]{3,40}", value):
        raise ValueError(
            "write the number as visitors should see it: digits, spaces, '+', '-' and brackets"
        )
    return value


def _email(value: str) -> str:
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s.]+", value):
        raise ValueError(f"'{value}' is not an e-mail address")
    return value


def _https_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.hostname or re.search(r"\s", value):
        raise ValueError(
            f"'{value}' must be a full address starting with https:// "
            "(plain http:// would let others read along)"
        )
    return value


def _language(value: str) -> str:
    code = value.strip().lower()
    if code not in LANG_INFO:
        raise ValueError(f"'{value}' is not a language code (use codes like 'nl', 'en', 'fr')")
    return code


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{value}' is not a time zone; use a name like Europe/Amsterdam or Europe/Brussels"
        ) from None
    return value


Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Phone = Annotated[str, AfterValidator(_phone)]
Email = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_email)]
HttpsUrl = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_https_url)]
Language = Annotated[str, AfterValidator(_language)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
TimeZoneName = Annotated[str, StringConstraints(strip_whitespace=True), AfterValidator(_zone)]
Country = Annotated[
    str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$")
]
Day = Annotated[
    tuple[Annotated[Period, PlainValidator(_period)], ...],
    BeforeValidator(_day),
    AfterValidator(_in_order),
]


def _tel_url(phone: str | None) -> str | None:
    """A tel: link, only for a number made of digits (a placeholder with letters gets none)."""
    if not phone or re.search(r"[A-Za-z]", phone):
        return None
    digits = re.sub(r"[^\d+]", "", phone)
    return f"tel:{digits}" if len(digits) >= 3 else None


# --- the configuration -------------------------------------------------------------------


class Frozen(Part):
    """Configuration, frozen once loaded (a content object: pages may keep what it renders)."""


class Hours(Frozen):
    """Opening periods per weekday, in the helpline's time zone; a day left out is closed."""

    monday: Day = ()
    tuesday: Day = ()
    wednesday: Day = ()
    thursday: Day = ()
    friday: Day = ()
    saturday: Day = ()
    sunday: Day = ()

    def on(self, weekday: int) -> tuple[Period, ...]:
        """The periods of a weekday, Monday being 0."""
        return getattr(self, WEEKDAY_KEYS[weekday])


class CrisisLine(Frozen):
    """A line for someone in acute crisis, such as suicide prevention."""

    name: Text
    phone: Phone
    country: Country
    hours_text: Text
    url: HttpsUrl | None = None

    @property
    def tel_url(self) -> str | None:
        return _tel_url(self.phone)


class MessageService(Frozen):
    """What the message page says (conversations/), in each of the site's languages: how soon
    counsellors usually answer, and the organisation's confidentiality rule (including when it
    would act to protect a child). Operator text: Baken never writes it."""

    answer_time: dict[Language, Text]
    confidentiality: dict[Language, LongText]

    def in_language(self, language: str) -> tuple[str | None, str | None]:
        return self.answer_time.get(language), self.confidentiality.get(language)


class About(Frozen):
    """Who runs the site, for the about and privacy page (/about/). Operator text: Baken never
    writes it, and shows a marked placeholder while it is missing."""

    organisation: Text
    description: dict[Language, LongText] = {}
    address: LongText | None = None
    email: Email | None = None
    website: HttpsUrl | None = None

    def description_in(self, language: str) -> str | None:
        return self.description.get(language)


class Helpline(Frozen):
    """The helpline organisation's contact details and opening hours."""

    example: bool = False
    name: Text
    phone: Phone | None = None
    email: Email | None = None
    chat_url: HttpsUrl | None = None
    website: HttpsUrl | None = None
    languages: tuple[Language, ...] = Field(min_length=1)
    timezone: TimeZoneName
    hours: Annotated[Hours, BeforeValidator(lambda v: {} if v is None else v)] = Hours()
    closed_dates: tuple[date, ...] = ()
    crisis_lines: tuple[CrisisLine, ...] = ()
    messages: MessageService | None = None
    about: About | None = None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def tel_url(self) -> str | None:
        return _tel_url(self.phone)


class HelplineNow(Part):
    """The helpline and whether it is open, as every page's footer shows it in one minute."""

    helpline: Helpline | None
    helpline_status: str | None
    helpline_open: bool | None


NOT_CONFIGURED_NOW = HelplineNow(helpline=None, helpline_status=None, helpline_open=None)


def load_helpline(path: Path) -> Helpline | None:
    """Read the helpline file: None when it does not exist, ContentError listing its problems."""
    path = Path(path)
    display = shown(path, Path(settings.BASE_DIR))
    if not path.exists():
        return None
    located = read_yaml(path, display)
    helpline: Helpline = validate(Helpline, located, display)
    if not (helpline.phone or helpline.email or helpline.chat_url or helpline.website):
        raise ContentError(
            [
                Problem(
                    display,
                    located.line(("name",)),
                    "give at least one way "
                    "to reach the helpline: phone, email, chat_url or website",
                )
            ]
        )
    return helpline


@cache
def get_helpline() -> Helpline | None:
    """The configured helpline, loaded once; None when not configured or invalid."""
    try:
        return load_helpline(Path(settings.BAKEN_HELPLINE_FILE))
    except ContentError as error:
        # `manage.py check` reports this as an error. A running site says "not configured"
        # rather than failing every page that shows the footer.
        logger.error("The helpline file has errors; the site shows no contact details:\n%s", error)
        return None


@receiver(setting_changed)
def _forget_helpline(setting: str, **kwargs: Any) -> None:
    if setting == "BAKEN_HELPLINE_FILE":
        get_helpline.cache_clear()


# --- open or closed ----------------------------------------------------------------------


@dataclass(frozen=True)
class Status:
    """Whether the helpline is open at a moment; times are in the helpline's time zone."""

    open: bool
    closes_at: datetime | None = None
    opens_at: datetime | None = None


def now() -> datetime:
    """The current moment, timezone-aware."""
    return django_timezone.now()


def _instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    # 24:00 is midnight at the start of the next day. A wall time that a clock change skips
    # (02:30 on the spring change) counts as the same instant as its new name (03:30).
    extra_days, minute = divmod(minutes, MIDNIGHT)
    local = datetime.combine(
        day + timedelta(days=extra_days), time(minute // 60, minute % 60), tzinfo=zone
    )
    return local.astimezone(UTC)


def _openings(helpline: Helpline, first: date, days: int) -> Iterator[tuple[datetime, datetime]]:
    """Every opening period from the local date `first` on, as (start, end) in UTC, in order."""
    closed = set(helpline.closed_dates)
    for offset in range(days):
        day = first + timedelta(days=offset)
        if day in closed:
            continue
        for period in helpline.hours.on(day.weekday()):
            start = _instant(day, period.start, helpline.zone)
            end = _instant(day, period.end, helpline.zone)
            if end > start:
                yield start, end


def status(helpline: Helpline, now: datetime) -> Status:
    """Open or closed at `now` (timezone-aware, any zone), with when that changes."""
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("status() needs a timezone-aware 'now'")
    zone = helpline.zone
    moment = now.astimezone(UTC)
    openings = list(_openings(helpline, moment.astimezone(zone).date(), LOOKAHEAD_DAYS + 1))
    for i, (start, end) in enumerate(openings):
        if start <= moment < end:
            # Periods that touch (12:00-13:00 after 09:00-12:00, or 00:00 after 24:00) are
            # one stretch for the visitor.
            for next_start, next_end in openings[i + 1 :]:
                if next_start > end:
                    break
                end = max(end, next_end)
            return Status(open=True, closes_at=end.astimezone(zone))
        if start > moment:
            return Status(open=False, opens_at=start.astimezone(zone))
    return Status(open=False)


def describe(status: Status, now: datetime) -> str:
    """One short sentence for visitors: open until when, or when it opens next."""
    if status.open:
        closes = status.closes_at
        # Subtract in UTC: aware datetimes sharing a tzinfo subtract as wall-clock times.
        if closes is None or closes.astimezone(UTC) - now.astimezone(UTC) > timedelta(hours=24):
            return _("Open now")
        if (closes.hour, closes.minute) == (0, 0):
            return _("Open now, until midnight")
        return _("Open now, until %(time)s") % {
            "time": clock_text(closes.hour * 60 + closes.minute)
        }
    opens = status.opens_at
    if opens is None:
        return _("Closed. No opening hours are known.")
    clock = clock_text(opens.hour * 60 + opens.minute)
    days = (opens.date() - now.astimezone(opens.tzinfo).date()).days
    if days <= 0:
        return _("Closed. Opens today at %(time)s") % {"time": clock}
    if days == 1:
        return _("Closed. Opens tomorrow at %(time)s") % {"time": clock}
    # A weekday alone is clear within a week; further ahead it needs the date.
    day = str(WEEKDAYS[opens.weekday()])
    if days >= 7:
        day = f"{day} {date_format(opens.date(), 'MONTH_DAY_FORMAT')}"
    return _("Closed. Opens %(day)s at %(time)s") % {"day": day, "time": clock}


def hours_table(helpline: Helpline) -> list[tuple[str, str]]:
    """(weekday, "09:00–12:00, 13:00–17:00" or "closed") for Monday to Sunday."""
    rows = []
    for weekday in range(7):
        periods = helpline.hours.on(weekday)
        text = ", ".join(f"{clock_text(p.start)}–{clock_text(p.end)}" for p in periods)
        text = text or _("closed")
        rows.append((str(WEEKDAYS[weekday]), text))
    return rows


def languages_text(helpline: Helpline) -> str:
    """The languages the helpline answers in, named in the active language."""
    return ", ".join(str(get_language_info(code)["name_translated"]) for code in helpline.languages)
