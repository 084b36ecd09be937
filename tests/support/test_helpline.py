"""Helpline details from configuration: loading, opening status across clock changes, checks."""

import io
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.utils import translation

from core.content import ContentError
from support.helpline import (
    About,
    CrisisLine,
    Helpline,
    Hours,
    describe,
    get_helpline,
    hours_table,
    languages_text,
    load_helpline,
    status,
)

AMS = ZoneInfo("Europe/Amsterdam")
EXAMPLE = Path(django_settings.BASE_DIR) / "config" / "helpline.example.yaml"
DOCS = Path(django_settings.BASE_DIR) / "docs" / "helpline.md"

# 23 November 2026 is a Monday.
TUESDAY_AND_THURSDAY = {"tuesday": ["15:00-18:00"], "thursday": ["09:00-12:00"]}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def make(hours=None, **fields) -> Helpline:
    data = {
        "name": "Test line",
        "phone": "TEST-LINE",
        "languages": ["nl"],
        "timezone": "Europe/Amsterdam",
        "hours": hours or {},
        **fields,
    }
    return Helpline.model_validate(data)


def local(text: str, zone: ZoneInfo = AMS) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def utc(text: str) -> datetime:
    return local(text, UTC)


def said(helpline: Helpline, now: datetime) -> str:
    return describe(status(helpline, now), now)


# --- open and closed at the edges -----------------------------------------------------------


def test_open_from_the_opening_minute():
    helpline = make(TUESDAY_AND_THURSDAY)
    now = local("2026-11-24 15:00")

    result = status(helpline, now)

    assert result.open and result.opens_at is None
    assert result.closes_at == local("2026-11-24 18:00")
    assert describe(result, now) == "Open now, until 6 p.m."


def test_still_open_in_the_last_minute_and_closed_at_the_closing_minute():
    helpline = make(TUESDAY_AND_THURSDAY)

    assert status(helpline, local("2026-11-24 17:59")).open
    closed = status(helpline, local("2026-11-24 18:00"))

    assert not closed.open and closed.closes_at is None
    assert closed.opens_at == local("2026-11-26 09:00")
    assert said(helpline, local("2026-11-24 18:00")) == "Closed. Opens Thursday at 9 a.m."


def test_one_minute_before_opening_it_opens_today():
    helpline = make(TUESDAY_AND_THURSDAY)

    assert said(helpline, local("2026-11-24 14:59")) == "Closed. Opens today at 3 p.m."


def test_the_evening_before_it_opens_tomorrow():
    helpline = make(TUESDAY_AND_THURSDAY)

    assert said(helpline, local("2026-11-25 20:00")) == "Closed. Opens tomorrow at 9 a.m."


def test_between_two_periods_and_after_the_last_one():
    helpline = make({"tuesday": ["09:00-12:00", "13:00-17:00"]})

    assert said(helpline, local("2026-11-24 12:30")) == "Closed. Opens today at 1 p.m."
    # A week ahead a weekday alone is ambiguous, so the date is added.
    assert said(helpline, local("2026-11-24 17:00")) == "Closed. Opens Tuesday December 1 at 9 a.m."


def test_the_next_weekday_is_named_in_the_active_language():
    helpline = make(TUESDAY_AND_THURSDAY)

    with translation.override("nl"):
        text = said(helpline, local("2026-11-24 18:30"))
        table = hours_table(helpline)

    assert "donderdag" in text and "09:00" in text
    assert table[1][0] == "dinsdag"


def test_touching_periods_are_one_stretch_even_over_midnight():
    helpline = make(
        {
            "tuesday": ["09:00-12:00", "12:00-17:00"],
            "friday": ["20:00-24:00"],
            "saturday": ["00:00-02:00"],
            "sunday": ["20:00-24:00"],
        }
    )

    assert status(helpline, local("2026-11-24 10:00")).closes_at == local("2026-11-24 17:00")
    assert status(helpline, local("2026-11-27 23:00")).closes_at == local("2026-11-28 02:00")
    assert said(helpline, local("2026-11-27 23:00")) == "Open now, until 2 a.m."
    assert said(helpline, local("2026-11-29 21:00")) == "Open now, until midnight"
    assert not status(helpline, local("2026-11-30 00:00")).open


def test_a_line_that_is_always_open_says_open_now():
    helpline = make({day: ["00:00-24:00"] for day in Hours.model_fields})

    assert said(helpline, local("2026-11-24 03:00")) == "Open now"


def test_now_must_carry_a_time_zone():
    with pytest.raises(ValueError, match="timezone-aware"):
        status(make(TUESDAY_AND_THURSDAY), datetime(2026, 11, 24, 15, 0))


# --- daylight-saving changes in Europe/Amsterdam --------------------------------------------
# 2025: clocks go 02:00 -> 03:00 on Sunday 30 March and 03:00 -> 02:00 on Sunday 26 October.

MORNINGS = {"sunday": ["09:00-12:00"], "monday": ["09:00-12:00"]}


def test_spring_forward_opening_on_the_sunday_is_in_summer_time():
    helpline = make(MORNINGS)
    now = utc("2025-03-29 12:00")  # Saturday, 13:00 winter time

    opens = status(helpline, now).opens_at

    assert (opens.hour, opens.minute) == (9, 0) and opens.utcoffset() == timedelta(hours=2)
    assert opens.astimezone(UTC) == utc("2025-03-30 07:00")
    assert describe(status(helpline, now), now) == "Closed. Opens tomorrow at 9 a.m."


def test_spring_forward_now_in_utc_is_read_in_summer_time():
    helpline = make(MORNINGS)

    # 06:59 UTC is 08:59 summer time (it would be 07:59 with the winter offset).
    assert said(helpline, utc("2025-03-30 06:59")) == "Closed. Opens today at 9 a.m."
    opened = status(helpline, utc("2025-03-30 07:00"))
    assert opened.open and opened.closes_at.astimezone(UTC) == utc("2025-03-30 10:00")
    assert said(helpline, utc("2025-03-30 07:00")) == "Open now, until noon"


def test_spring_forward_the_monday_after():
    helpline = make({"monday": ["09:00-12:00"]})

    opens = status(helpline, utc("2025-03-29 12:00")).opens_at

    assert opens.astimezone(UTC) == utc("2025-03-31 07:00")
    assert f"{opens:%A %H:%M}" == "Monday 09:00"


def test_a_period_over_the_spring_change_is_an_hour_shorter():
    helpline = make({"sunday": ["01:00-04:00"]})  # 00:00 to 02:00 UTC that night

    during = status(helpline, utc("2025-03-30 01:30"))

    assert during.open and during.closes_at.astimezone(UTC) == utc("2025-03-30 02:00")
    assert not status(helpline, utc("2025-03-30 02:00")).open


def test_a_time_the_spring_change_skips_opens_when_the_clock_jumps():
    helpline = make({"sunday": ["02:30-04:00"]})
    now = utc("2025-03-29 12:00")

    opens = status(helpline, now).opens_at

    assert opens.astimezone(UTC) == utc("2025-03-30 01:30")
    assert describe(status(helpline, now), now) == "Closed. Opens tomorrow at 3:30 a.m."


def test_fall_back_now_in_utc_is_read_in_winter_time():
    helpline = make(MORNINGS)

    # 07:59 UTC is 08:59 winter time (it would be 09:59 with the summer offset).
    assert said(helpline, utc("2025-10-26 07:59")) == "Closed. Opens today at 9 a.m."
    opened = status(helpline, utc("2025-10-26 08:00"))
    assert opened.open and opened.closes_at.astimezone(UTC) == utc("2025-10-26 11:00")


def test_fall_back_the_monday_after_from_the_saturday_before():
    helpline = make({"monday": ["09:00-12:00"]})

    opens = status(helpline, utc("2025-10-25 12:00")).opens_at

    assert opens.astimezone(UTC) == utc("2025-10-27 08:00")
    assert opens.utcoffset() == timedelta(hours=1)


def test_a_period_over_the_fall_change_is_an_hour_longer():
    helpline = make({"sunday": ["01:00-04:00"]})  # 23:00 UTC on Saturday to 03:00 UTC

    assert status(helpline, utc("2025-10-25 23:00")).open
    assert status(helpline, utc("2025-10-26 02:30")).open  # 03:30 winter time
    assert not status(helpline, utc("2025-10-26 03:00")).open


def test_now_in_another_zone_gives_the_same_answer():
    helpline = make(MORNINGS)
    in_new_york = utc("2025-10-26 07:59").astimezone(ZoneInfo("America/New_York"))

    result = status(helpline, in_new_york)

    assert not result.open
    assert result.opens_at.astimezone(UTC) == utc("2025-10-26 08:00")
    assert describe(result, in_new_york) == "Closed. Opens today at 9 a.m."


# --- closed dates and no hours --------------------------------------------------------------


def test_closed_dates_are_skipped():
    helpline = make(TUESDAY_AND_THURSDAY, closed_dates=["2026-11-24"])

    assert not status(helpline, local("2026-11-24 16:00")).open
    assert status(helpline, local("2026-11-23 12:00")).opens_at == local("2026-11-26 09:00")


def test_no_opening_within_two_weeks_is_no_known_hours():
    helpline = make(
        {"tuesday": ["15:00-18:00"]}, closed_dates=["2026-11-24", "2026-12-01", "2026-12-08"]
    )

    assert status(helpline, local("2026-11-23 12:00")).opens_at is None


def test_without_hours_no_opening_is_known():
    helpline = make()

    result = status(helpline, local("2026-11-24 15:00"))

    assert not result.open and result.opens_at is None
    assert describe(result, local("2026-11-24 15:00")) == "Closed. No opening hours are known."
    assert {hours for _, hours in hours_table(helpline)} == {"closed"}


def test_hours_table_lists_every_weekday():
    helpline = make({"tuesday": ["09:00-12:00", "13:00-17:00"]})

    table = hours_table(helpline)

    assert [day for day, _ in table][:2] == ["Monday", "Tuesday"] and len(table) == 7
    assert table[1][1] == "9 a.m.–noon, 1 p.m.–5 p.m."
    assert table[0][1] == "closed"


def test_times_are_written_as_the_visitors_language_writes_them():
    helpline = make({"tuesday": ["09:00-12:00", "20:00-24:00"]})
    with translation.override("nl"):
        assert hours_table(helpline)[1] == ("dinsdag", "09:00–12:00, 20:00–middernacht")
        assert said(helpline, local("2026-11-24 08:00")) == "Gesloten. Gaat vandaag om 09:00 open"
    assert said(helpline, local("2026-11-24 08:00")) == "Closed. Opens today at 9 a.m."


def test_languages_are_named_in_the_active_language():
    helpline = make(languages=["nl", "en"])

    assert languages_text(helpline) == "Dutch, English"
    with translation.override("nl"):
        assert languages_text(helpline) == "Nederlands, Engels"


def test_only_a_number_of_digits_becomes_a_call_link():
    assert make(phone="+99 12 34").tel_url == "tel:+991234"
    assert make(phone="0800-EXAMPLE").tel_url is None


# --- the file -------------------------------------------------------------------------------

VALID = """\
name: "Test line"
phone: "TEST-LINE"
chat_url: "https://chat.example.org/"
languages: [nl, en]
timezone: Europe/Amsterdam
hours:
  monday:
    - "09:00-12:00"
    - "13:00-17:00"
  tuesday: ["15:00-18:00"]
closed_dates: ["2026-12-24"]
crisis_lines:
  - name: "Crisis line"
    phone: "CRISIS-LINE"
    country: NL
    hours_text: "Always"
"""


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def write(tmp_path: Path, text: str, name: str = "helpline.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_a_valid_file_loads(tmp_path):
    helpline = load_helpline(write(tmp_path, VALID))

    assert helpline is not None and not helpline.example
    assert [str(p) for p in helpline.hours.monday] == ["09:00–12:00", "13:00–17:00"]
    assert helpline.crisis_lines[0].country == "NL"


def test_a_missing_file_is_not_configured(tmp_path):
    assert load_helpline(tmp_path / "nothing.yaml") is None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '["15:00-18:00"]',
            '["15:00-18:00", "17:30-19:00"]',
            "'tuesday': the periods 15:00–18:00 and 17:30–19:00 overlap or are out of order",
        ),
        ('["15:00-18:00"]', '["15:00-18:00", "09:00-10:00"]', "overlap or are out of order"),
        ('"13:00-17:00"', '"13:00-25:00"', "'monday': '25:00' is not a time of day"),
        ('"13:00-17:00"', '"22:00-02:00"', "a period cannot cross midnight"),
        ('"13:00-17:00"', '"13:00-13:00"', "'13:00-13:00' does not end after it starts"),
        ('"13:00-17:00"', '"13.00-17.00"', "is not a time of day"),
        (
            "Europe/Amsterdam",
            "Europe/Amstredam",
            "'timezone': 'Europe/Amstredam' is not a time zone",
        ),
        ("https://chat.example.org/", "http://chat.example.org/", "'chat_url': 'http://chat"),
        ("country: NL", "country: Netherlands", "'country'"),
        ('["2026-12-24"]', '["2026-12-32"]', "'closed_dates'"),
        ("languages: [nl, en]", "languages: [nl, klingon]", "'klingon' is not a language code"),
        ("  tuesday:", "  tuesdy:", "unknown field 'tuesdy'"),
    ],
)
def test_an_invalid_file_names_file_and_line(tmp_path, old, new, message):
    text = VALID.replace(old, new, 1)
    assert text != VALID
    path = write(tmp_path, text)

    with pytest.raises(ContentError) as caught:
        load_helpline(path)

    expected = f"{path}:{line_of(text, new)}: "
    assert [str(p) for p in caught.value.problems if message in str(p)] != []
    assert all(str(p).startswith(expected) for p in caught.value.problems), caught.value


def test_a_file_without_any_contact_is_refused(tmp_path):
    text = VALID.replace('phone: "TEST-LINE"\n', "").replace(
        'chat_url: "https://chat.example.org/"\n', ""
    )
    path = write(tmp_path, text)

    with pytest.raises(ContentError, match=rf"{path}:1: give at least one way"):
        load_helpline(path)


def test_missing_fields_and_bad_yaml_are_reported(tmp_path):
    path = write(tmp_path, VALID.replace("timezone: Europe/Amsterdam\n", ""))
    with pytest.raises(ContentError, match="missing field 'timezone'"):
        load_helpline(path)

    path = write(tmp_path, VALID.replace("  tuesday:", "tuesday  :\n - ["))
    with pytest.raises(ContentError, match=rf"{path}:\d+: not valid YAML"):
        load_helpline(path)


# --- the shipped example ------------------------------------------------------------------


def test_the_example_loads_and_is_marked_as_the_example():
    helpline = load_helpline(EXAMPLE)

    assert helpline is not None and helpline.example
    assert helpline.timezone == "Europe/Amsterdam" and helpline.languages == ("nl", "en")
    assert len(helpline.crisis_lines) >= 2


def test_the_example_contains_no_real_looking_number():
    text = EXAMPLE.read_text()
    helpline = load_helpline(EXAMPLE)

    assert not re.search(r"\d{6,}", text)
    phones = [helpline.phone, *(line.phone for line in helpline.crisis_lines)]
    for phone in phones:
        # Not dialable, and not even six digits once spaces and dashes are gone.
        assert not re.search(r"\d{6,}", re.sub(r"[\s\-().+/]", "", phone)), phone
    assert all(
        CrisisLine.model_validate(c.model_dump()).tel_url is None for c in helpline.crisis_lines
    )
    assert helpline.tel_url is None
    assert "fill in the official number from the organisation's own website" in text


def test_the_example_is_not_read_by_default():
    if "BAKEN_HELPLINE_FILE" in os.environ:
        pytest.skip("BAKEN_HELPLINE_FILE is set in this environment")
    from baken.settings import base

    assert base.BAKEN_HELPLINE_FILE == Path(base.BASE_DIR) / "config" / "helpline.yaml"
    assert base.BAKEN_HELPLINE_FILE != EXAMPLE


def test_every_field_is_documented_and_in_the_example():
    docs = DOCS.read_text()
    example = EXAMPLE.read_text()
    for model in (Helpline, CrisisLine, Hours, About):
        for name in model.model_fields:
            assert f"`{name}`" in docs, f"{model.__name__}.{name} is not in docs/helpline.md"
    for name in Helpline.model_fields:
        assert re.search(rf"^{name}:", example, re.MULTILINE), f"{name} is not in the example"


# --- get_helpline and manage.py check -------------------------------------------------------


def check_output(**options) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("check", stdout=out, stderr=err, **options)
    return out.getvalue() + err.getvalue()


def test_check_warns_when_the_helpline_is_not_configured(settings, tmp_path):
    settings.BAKEN_HELPLINE_FILE = tmp_path / "missing.yaml"

    output = check_output()

    assert "baken.W001" in output
    assert "The helpline is not configured" in output and "docs/helpline.md" in output


def test_check_is_silent_about_a_valid_file(settings, tmp_path):
    settings.BAKEN_HELPLINE_FILE = write(tmp_path, VALID)

    assert "baken." not in check_output()


def test_check_fails_on_an_invalid_file_with_its_line(settings, tmp_path):
    text = VALID.replace("Europe/Amsterdam", "Mars/Olympus")
    settings.BAKEN_HELPLINE_FILE = path = write(tmp_path, text)

    with pytest.raises(SystemCheckError) as caught:
        check_output()

    assert "baken.E002" in str(caught.value)
    assert f"{path}:{line_of(text, 'Mars/Olympus')}: 'timezone'" in str(caught.value)


def test_check_warns_about_the_example_and_deploy_refuses_it(settings):
    settings.BAKEN_HELPLINE_FILE = EXAMPLE

    assert "baken.W002" in check_output()
    with pytest.raises(SystemCheckError, match="baken.E003"):
        check_output(deploy=True)


def test_get_helpline_follows_the_setting(settings, tmp_path, caplog):
    settings.BAKEN_HELPLINE_FILE = tmp_path / "missing.yaml"
    assert get_helpline() is None

    settings.BAKEN_HELPLINE_FILE = write(tmp_path, VALID)
    assert get_helpline().name == "Test line"

    # A file broken while the site runs: visitors see "not configured", the log says why.
    settings.BAKEN_HELPLINE_FILE = write(
        tmp_path, VALID.replace("15:00-18:00", "15:00-28:00"), name="broken.yaml"
    )
    assert get_helpline() is None
    assert "'28:00' is not a time of day" in caplog.text
