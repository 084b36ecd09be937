"""Browser tests: Chromium with JavaScript off, against gunicorn; axe-core and the Nu checker."""

from pathlib import Path

# Screenshots of every page type, for people to look at; the run's summary names the folder.
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
