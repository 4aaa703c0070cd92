"""``manage.py assessment``: end to end through call_command, with stdin and stdout."""

import io
import json
import re
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from truongso.accounts.models import User
from truongso.assessment.management.commands.assessment import Command
from truongso.assessment.models import RuleSet
from truongso.assessment.rules.builtin import TT22_2021
from truongso.assessment.rules.parameters import to_parameters
from truongso.assessment.selectors import rule_set_get
from truongso.assessment.services import rule_set_revise

DOC = Path(__file__).resolve().parents[2] / "docs" / "assessment-rules.md"


def doc_example(name):
    """The JSON block after ``<!-- example: name -->`` in docs/assessment-rules.md."""
    match = re.search(rf"<!-- example: {name} -->\s*```json\n(.*?)\n```", DOC.read_text(), re.S)
    assert match, name
    return match.group(1)


def run(*args, stdin=""):
    out = io.StringIO()
    call_command("assessment", *args, stdin=io.StringIO(stdin), stdout=out)
    return out.getvalue()


def evaluate(rule_set, data):
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    return json.loads(run("evaluate", "--rule-set", rule_set, stdin=text))


def errors(rule_set, data):
    with pytest.raises(CommandError) as caught:
        evaluate(rule_set, data)
    assert caught.value.returncode == 1
    return str(caught.value).splitlines()


@pytest.mark.parametrize(
    ("rule_set", "example"),
    [("tt22-2021", "secondary"), ("tt27-2020", "primary"), ("tt04-2022", "vocational")],
)
def test_documented_examples_give_the_documented_output(db, rule_set, example):
    output = run("evaluate", "--rule-set", rule_set, stdin=doc_example(f"{example}-input"))
    assert output.strip() == doc_example(f"{example}-output")


def test_secondary_example_values(db):
    result = evaluate("tt22-2021@1", doc_example("secondary-input"))
    assert result["rule_set"] == "tt22-2021@1"
    first, second, third = result["learners"]
    assert first["subjects"]["Toán"] == {"semester_1": "7.9", "semester_2": "9.3", "year": "8.8"}
    assert first["learning_result"] == {"semester_1": "kha", "semester_2": "tot", "year": "tot"}
    assert first["conduct"]["year"] == "tot"
    assert first["promotion"] == {"outcome": "promoted", "reason": None, "retest_subjects": []}
    assert first["award"] == "hoc_sinh_gioi"
    assert second["incomplete"] == ["thiếu điểm cuối kỳ môn Toán học kỳ II"]
    assert (second["subjects"]["Toán"]["year"], second["promotion"], second["award"]) == (
        None, None, None)  # fmt: skip
    assert third["promotion"]["retest_subjects"] == ["Toán"]
    assert third["summer"]["subjects"] == {"Toán": {"year": "6.0"}}
    assert third["summer"]["promotion"]["outcome"] == "promoted"


SCORED = ("Toán", "Ngữ văn", "Ngoại ngữ 1", "Khoa học tự nhiên", "Lịch sử và Địa lí", "Tin học")


def learner(**fields):
    """A learner with six scored subjects at 7.9 and one comment-only subject."""
    subjects = {
        name: {"periods_per_year": 140,
               "semester_1": {"regular": [8, 9, 10, 6], "mid_term": 7, "end_of_term": 8},
               "semester_2": {"regular": [8, 9, 10, 6], "mid_term": 7, "end_of_term": 8}}
        for name in SCORED
    } | {"Âm nhạc": {"semester_1": "Đạt", "semester_2": "Đạt"}}  # fmt: skip
    base = {
        "id": "HS001",
        "subjects": subjects,
        "conduct": {"semester_1": "Tốt", "semester_2": "Tốt"},
        "days_absent": 0,
    }
    return base | fields


def test_missing_end_of_term_named_in_the_output(db):
    data = learner()
    data["subjects"]["Toán"]["semester_1"] = {"regular": [8, 9, 10, 6], "mid_term": 7}
    result = evaluate("tt22-2021", {"learners": [data]})["learners"][0]
    assert result["incomplete"] == ["thiếu điểm cuối kỳ môn Toán học kỳ I"]
    assert result["subjects"]["Toán"] == {"semester_1": None, "semester_2": "7.9", "year": None}
    assert result["subjects"]["Tin học"] == {
        "semester_1": "7.9",
        "semester_2": "7.9",
        "year": "7.9",
    }
    assert result["learning_result"] == {"semester_1": None, "semester_2": "kha", "year": None}
    assert (result["promotion"], result["award"]) == (None, None)


def test_more_than_45_days_absent_repeats(db):
    result = evaluate("tt22-2021", {"learners": [learner(days_absent=46)]})["learners"][0]
    assert result["promotion"] == {"outcome": "repeat", "reason": "absences", "retest_subjects": []}


def test_bad_input_names_every_learner_and_field(db):
    bad_score = learner()
    bad_score["subjects"]["Toán"]["semester_1"] = {"regular": [8, 9, 10, 6], "mid_term": 11,
                                                   "end_of_term": 8}  # fmt: skip
    typo = learner(id="HS002")
    typo["subjects"]["Toán"]["semester_2"] = {"regular": [8, 9, 10, 6], "midterm": 7}
    lines = errors("tt22-2021", {"learners": [
        bad_score,
        typo,
        learner(id="HS003", conduct={"semester_1": "Giỏi", "semester_2": "Tốt"}),
        learner(id="HS004", days_absent=-2),
        {"subjects": {}},
        learner(id="HS001"),
        learner(id="HS007", subjects={"Tin học": {"periods_per_year": 35, "semester_1": {
            "regular": [8, 8, 8], "mid_term": 7, "end_of_term": 8}}}),
    ]})  # fmt: skip
    assert lines == [
        "Dữ liệu vào có lỗi:",
        "Người học “HS001” (learners[0]), subjects.Toán.semester_1.mid_term: điểm 11 nằm "
        "ngoài thang điểm 0–10",
        "Người học “HS002” (learners[1]), subjects.Toán.semester_2.midterm: trường không được "
        "hỗ trợ; các trường hợp lệ: regular, mid_term, end_of_term",
        "Người học “HS003” (learners[2]), conduct.semester_1: “Giỏi” không phải là mức đánh giá "
        "hợp lệ; dùng một trong: chua_dat, dat, kha, tot",
        "Người học “HS004” (learners[3]), days_absent: “-2” không được là số âm",
        "Người học thứ 5 (learners[4]), id: thiếu id",
        "Người học “HS001” (learners[5]), id: mã “HS001” trùng với một người học khác",
        "Người học “HS007” (learners[6]), subjects.Tin học.semester_1.regular: có 3 điểm đánh giá "
        "thường xuyên, nhiều hơn 2 điểm quy định cho môn học 35 tiết/năm",
    ]


def test_more_bad_input(db):
    assert errors("tt22-2021", "[1, 2]")[1:] == [
        "sai kiểu dữ liệu: cần một đối tượng JSON dạng {\"learners\": […]}"]  # fmt: skip
    mixed = learner()
    mixed["subjects"]["Âm nhạc"]["semester_2"] = {"mid_term": 8}
    assert errors("tt22-2021", {"learners": [mixed]})[1] == (
        "Người học “HS001” (learners[0]), subjects.Âm nhạc: môn học vừa có điểm số vừa có kết "
        "quả Đạt/Chưa đạt; hai học kỳ phải cùng một hình thức đánh giá")  # fmt: skip
    summer = learner(summer={"retests": {"Toán": 6}})
    assert errors("tt22-2021", {"learners": [summer]})[1] == (
        "Người học “HS001” (learners[0]), summer: người học không phải rèn luyện hay kiểm tra "
        "lại trong hè (kết quả: Lên lớp)")  # fmt: skip
    text = learner()
    text["subjects"]["Toán"]["semester_1"]["end_of_term"] = "tám"
    assert errors("tt22-2021", {"learners": [text]})[1].endswith(
        "subjects.Toán.semester_1.end_of_term: “tám” không phải là một số"
    )


def test_invalid_json_and_unknown_rule_set(db):
    assert errors("tt22-2021", '{"learners": [') == [
        "dữ liệu vào không phải JSON hợp lệ (dòng 1, cột 15): Expecting value"]  # fmt: skip
    assert errors("tt22-2021", '{"learners": [NaN]}')[0].startswith(
        "dữ liệu vào không phải JSON hợp lệ"
    )
    with pytest.raises(CommandError) as caught:
        evaluate("tt22", {"learners": []})
    assert str(caught.value) == (
        "Không có bộ quy tắc “tt22”. Các bộ quy tắc hiện có: tt43-2021, tt27-2020, tt22-2021, "
        "tt04-2022.")  # fmt: skip


def test_exact_version_uses_its_own_parameters(db):
    admin = User.objects.create_superuser(username="admin_rules", password="x", email="")
    parameters = to_parameters(TT22_2021)
    parameters["max_days_absent"] = 40
    rule_set_revise(actor=admin, rule_set=rule_set_get("tt22-2021"), parameters=parameters,
                    note="thử")  # fmt: skip
    data = {"learners": [learner(days_absent=42)]}
    assert evaluate("tt22-2021", data)["learners"][0]["promotion"]["outcome"] == "repeat"
    old = evaluate("tt22-2021@1", data)
    assert old["rule_set"] == "tt22-2021@1"
    assert old["learners"][0]["promotion"]["outcome"] == "promoted"


def test_evaluate_stores_nothing(db):
    before = RuleSet.objects.count()
    evaluate("tt22-2021", doc_example("secondary-input"))
    from truongso.audit.models import AuditEntry

    assert (RuleSet.objects.count(), AuditEntry.objects.count()) == (before, 0)


def test_other_subcommands(db):
    assert run("load-rule-sets").strip() == "Các bộ quy tắc mặc định đã có đủ."
    RuleSet.objects.filter(code="tt04-2022").delete()
    assert run("load-rule-sets").strip() == "Đã nạp tt04-2022@1"
    assert run("list-rule-sets").splitlines()[2] == (
        "tt22-2021@1\t22/2021/TT-BGDĐT\tsecondary\t2021-2022")  # fmt: skip
    shown = json.loads(run("show-rule-set", "tt22-2021@1"))
    assert shown["parameters"] == to_parameters(TT22_2021)


def test_command_line_exits_non_zero_without_traceback(db, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO('{"learners": [{"id": 1, "days_absent": "x"}]}'))
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["manage.py", "assessment", "evaluate", "--rule-set", "tt22-2021"])
    assert exited.value.code == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "CommandError: Dữ liệu vào có lỗi:\n"
        "Người học “1” (learners[0]), days_absent: “x” không phải là một số\n"
    )
    assert "Traceback" not in captured.err


def test_summer_conduct_training_and_retests_through_the_command(db):
    trained = learner(conduct={"semester_1": "Chưa đạt", "semester_2": "Chưa đạt"},
                      summer={"conduct": "Đạt"})  # fmt: skip
    weak = learner(id="HS002")
    weak["subjects"]["Toán"]["semester_2"] = {"regular": [3, 4, 4, 3], "mid_term": 4,
                                              "end_of_term": 3}  # fmt: skip
    weak["summer"] = {"retests": {"Toán": "4.5"}}
    first, second = evaluate("tt22-2021", {"learners": [trained, weak]})["learners"]
    assert first["promotion"]["outcome"] == "summer_conduct_training"
    assert first["summer"]["conduct"] == "dat"
    assert first["summer"]["promotion"]["outcome"] == "promoted"
    # Toán: I 7.9, II (14 + 8 + 9)/9 = 3.4, year (7.9 + 6.8)/3 = 4.9 → re-test 4.5 → repeat
    assert second["subjects"]["Toán"] == {"semester_1": "7.9", "semester_2": "3.4", "year": "4.9"}
    assert second["promotion"]["retest_subjects"] == ["Toán"]
    assert second["summer"]["subjects"] == {"Toán": {"year": "4.5"}}
    assert second["summer"]["promotion"] == {"outcome": "repeat", "reason": "learning",
                                             "retest_subjects": []}  # fmt: skip
    weak["summer"] = {"retests": {"Tin học": 9}}
    assert errors("tt22-2021", {"learners": [weak]})[1] == (
        "Người học “HS002” (learners[0]), summer.retests.Tin học: môn Tin học không thuộc diện "
        "kiểm tra lại")  # fmt: skip
