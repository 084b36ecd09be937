"""Settings of the app's frame (bench/frame.py): those of `make run`, with the frame's URLconf."""

from baken.settings.dev import *  # noqa: F403

ROOT_URLCONF = "bench.frame"
