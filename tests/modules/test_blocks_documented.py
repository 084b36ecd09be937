"""Every block type and each of its fields is documented for editors (docs/content-format.md)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

from modules.content.blocks import BLOCK_CLASSES

DOC = Path(settings.BASE_DIR) / "docs" / "content-format.md"


def sections(text: str) -> dict[str, str]:
    """Each block's section of the guide, by its type: from '### `type`: …' to the next '##'."""
    found = {}
    for match in re.finditer(r"^### `([a-z_]+)`:.*?(?=^##)", text, flags=re.M | re.S):
        found[match.group(1)] = match.group(0)
    return found


def undocumented(text: str) -> list[str]:
    """What the guide lacks: a block type without a section, or a field missing from its table."""
    documented = sections(text)
    missing = []
    for cls in BLOCK_CLASSES:
        section = documented.get(cls.type_name())
        if section is None:
            missing.append(
                f"block type '{cls.type_name()}' has no section '### `"
                f"{cls.type_name()}`: …' in {DOC.name}"
            )
            continue
        for name in cls.model_fields:
            if f"| `{name}`" not in section:
                missing.append(
                    f"field '{name}' of block type '{cls.type_name()}' is not in its "
                    f"table in {DOC.name}"
                )
    return missing


def test_every_block_type_and_field_is_documented():
    assert undocumented(DOC.read_text(encoding="utf-8")) == []


def test_a_missing_section_or_field_is_named():
    text = DOC.read_text(encoding="utf-8")
    without_rehearse = re.sub(r"^### `rehearse`:.*?(?=^##)", "", text, flags=re.M | re.S)
    assert undocumented(without_rehearse) == [
        "block type 'rehearse' has no section '### `rehearse`: …' in content-format.md"
    ]
    without_field = text.replace("| `own_rows_max`", "| `own-rows-max`")
    assert undocumented(without_field) == [
        "field 'own_rows_max' of block type 'pair_table' is not in its table in content-format.md"
    ]


def test_the_guides_examples_together_make_a_module_that_passes_the_check(tmp_path):
    """Section 4 says so; every block example is put in one step, in both languages."""
    from modules.content import load_library

    text = DOC.read_text(encoding="utf-8")
    blocks_section = text[text.index("## 4. The blocks") : text.index("## 5. Checking your work")]
    examples = re.findall(r"```yaml\n(  - type:.*?)```", blocks_section, flags=re.S)
    root = tmp_path / "content"
    for language in ("nl", "en"):
        folder = root / language / "walk"
        folder.mkdir(parents=True)
        (folder / "module.yaml").write_text("title: A daily walk\nsummary: A walk.\n")
        (folder / "01-all.yaml").write_text("id: all\ntitle: All\nblocks:\n" + "".join(examples))
    (root / "modules.yaml").write_text("modules:\n  - id: walk\n    status: draft\n")
    module = load_library(root, ["nl", "en"], "nl").module("walk", "nl")
    shown = {block.type_name() for block in module.steps[0].blocks}
    assert shown == {cls.type_name() for cls in BLOCK_CLASSES}
