"""Reading a step's POST into answers, without HTTP."""

from core.templating import helpers
from modules import forms as answers
from modules.content.blocks import walk_questions


def step_of(module, step_id):
    return module.step(step_id)


def test_questions_keep_text_and_blank_answers_are_removed(module):
    step = step_of(module, "empathy-3")
    ids = [q.id for b in step.blocks if b.type == "questions" for q in walk_questions(b.items)]
    post = {ids[0]: "een antwoord\r\nop twee regels", ids[1]: "   "}
    form = answers.parse(step, post)
    assert form.errors == {}
    saved = answers.answers_to_save(form)
    assert saved[ids[0]] == "een antwoord\nop twee regels"
    assert saved[ids[1]] is None and saved[ids[2]] is None
    assert len(saved) == 15


def test_a_question_may_set_its_own_maximum(module):
    step = step_of(module, "empathy-1")
    question = next(b for b in step.blocks if b.type == "questions").items[0]
    limited = question.model_copy(update={"max_length": 5})
    block = next(b for b in step.blocks if b.type == "questions")
    step = step.model_copy(update={"blocks": (block.model_copy(update={"items": (limited,)}),)})
    assert answers.parse(step, {question.id: "12345"}).errors == {}
    assert question.id in answers.parse(step, {question.id: "123456"}).errors


def test_own_rows_drop_empty_ones_and_keep_order(module):
    step = step_of(module, "justifications")
    post = {
        "justifications.own.0.left": "eerste",
        "justifications.own.0.right": "antwoord een",
        "justifications.own.1.left": "",
        "justifications.own.1.right": "",
        "justifications.own.2.left": "derde",
        "justifications.own.2.right": "",
        "justifications.no-harm": "yes",
        "justifications.not-real": "on",
    }
    form = answers.parse(step, post)
    assert form.errors == {}
    assert form.values["justifications.own"] == [
        {"left": "eerste", "right": "antwoord een"},
        {"left": "derde", "right": ""},
    ]
    assert form.values["justifications.no-harm"] == "yes"
    assert form.values["justifications.not-real"] == ""  # only the checkbox's own value counts


def test_an_own_row_too_long_is_reported_at_its_shown_position(module):
    step = step_of(module, "justifications")
    post = {
        "justifications.own.0.left": "",
        "justifications.own.0.right": "",
        "justifications.own.1.left": "x" * 1001,
        "justifications.own.1.right": "y",
    }
    form = answers.parse(step, post)
    assert list(form.errors) == ["justifications.own.0.left"]
    assert form.values["justifications.own"][0]["left"] == "x" * 1001


def test_rows_beyond_the_maximum_are_ignored(module):
    step = step_of(module, "justifications")
    post = {f"justifications.own.{n}.left": f"rij {n}" for n in range(60)}
    form = answers.parse(step, post)
    assert len(form.values["justifications.own"]) == 20


def test_question_numbers_run_1_2_and_5a_5b():
    assert [helpers.question_number(i, None) for i in range(3)] == ["1", "2", "3"]
    assert [helpers.question_number(i, "5") for i in range(2)] == ["5a", "5b"]


def test_field_ids_have_no_dots():
    assert helpers.field_id("start.abuse-is-real") == "f-start-abuse-is-real"
