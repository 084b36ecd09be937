"""`make bench`'s peer (bench/peer/) shows a step with its visitor's saved answers.

The peer is a Django site of its own (its settings, apps and database), so it runs in a
process of its own: seeded as the benchmark seeds it, then asked for a step with Django's
test client, as a visitor with a session.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

VISIT = """
import json, django
django.setup()
from django.test import Client
from bench.peer.seed import seed
from bench.peer.steps import steps

cookie = seed(2, "reality")[1]
step = next(s for s in steps("reality").values() if s.form.base_fields)
client = Client()
name, value = cookie.split("=")
client.cookies[name] = value
page = client.get(f"/m/reality/{step.id}/")
print(json.dumps({"status": page.status_code, "page": page.content.decode(),
                  "questions": list(step.form.base_fields)}))
"""


def test_the_peer_shows_a_seeded_visitors_answers_in_its_form(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.peer.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'peer.sqlite3'}",
    }
    run = subprocess.run(
        [sys.executable, "-c", VISIT], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    seen = json.loads(run.stdout)

    assert seen["status"] == 200
    assert seen["questions"]
    for name in seen["questions"]:
        assert f'id="id_{name}">\nbench1-{name}-antwoord</textarea>' in seen["page"], name
    assert "bench0-" not in seen["page"]  # the other visitor's answers
    assert 'name="csrfmiddlewaretoken"' in seen["page"]
