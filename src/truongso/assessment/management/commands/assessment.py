"""``manage.py assessment``: the rule sets and the evaluation of JSON data.

    manage.py assessment load-rule-sets
    manage.py assessment list-rule-sets
    manage.py assessment show-rule-set tt22-2021
    manage.py assessment evaluate --rule-set tt22-2021 < in.json > out.json
    manage.py assessment recompute-all --year 2025 --user ht.truong [--institution CODE …]

``evaluate`` reads learners' scores, conduct and absences as JSON and prints each
learner's results as JSON, storing nothing (docs/assessment-rules.md).
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from truongso.assessment.management.recompute import add_recompute_arguments, recompute_all
from truongso.assessment.messages import evaluation_problem_text, missing_text, problem_text
from truongso.assessment.rules.evaluation import NOT_JSON, EvaluationError, evaluate
from truongso.assessment.selectors import rule_set_get, rule_set_latest_versions
from truongso.assessment.services import rule_set_rules, rule_sets_load_builtin


def _reject_constant(name: str) -> Any:
    raise ValueError(name)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(type(value).__name__)


class Command(BaseCommand):
    help = _("Bộ quy tắc đánh giá kết quả học tập và tính kết quả từ dữ liệu JSON.")
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("load-rule-sets", help=_("Nạp các bộ quy tắc mặc định còn thiếu."))
        actions.add_parser("list-rule-sets", help=_("Liệt kê phiên bản mới nhất của mỗi bộ."))
        show = actions.add_parser("show-rule-set", help=_("In tham số của một bộ quy tắc."))
        show.add_argument("rule_set_id", help=_("ví dụ tt22-2021 hoặc tt22-2021@1"))
        run = actions.add_parser(
            "evaluate", help=_("Đọc JSON từ đầu vào chuẩn, in kết quả JSON; không lưu gì.")
        )
        run.add_argument(
            "--rule-set",
            required=True,
            dest="rule_set",
            help=_("ví dụ tt22-2021 (phiên bản mới nhất) hoặc tt22-2021@1"),
        )

        recompute = actions.add_parser(
            "recompute-all",
            help=_(
                "Tính lại mọi kết quả học kỳ và cả năm của một năm học (docs/results-recompute.md)."
            ),
        )
        add_recompute_arguments(recompute)

    def handle(self, *args, **options) -> None:
        action = options["action"]
        if action == "recompute-all":
            recompute_all(self, options)
            return
        if action == "load-rule-sets":
            created = rule_sets_load_builtin()
            for row in created:
                self.stdout.write(_("Đã nạp %(label)s") % {"label": row.label})
            if not created:
                self.stdout.write(_("Các bộ quy tắc mặc định đã có đủ."))
        elif action == "list-rule-sets":
            for row in rule_set_latest_versions():
                self.stdout.write(
                    f"{row.label}\t{row.regulation}\t{row.education_level}\t"
                    f"{row.first_school_year}-{row.first_school_year + 1}"
                )
        elif action == "show-rule-set":
            row = self._rule_set(options["rule_set_id"])
            self._write_json({"rule_set": row.label, "regulation": row.regulation,
                              "education_level": row.education_level,
                              "first_school_year": row.first_school_year,
                              "parameters": row.parameters})  # fmt: skip
        else:
            self._evaluate(options)

    def _rule_set(self, rule_set_id: str):
        try:
            return rule_set_get(rule_set_id)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))

    def _write_json(self, data: Any) -> None:
        text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True,
                          default=_json_default)  # fmt: skip
        self.stdout.write(text)

    def _read_input(self, options) -> Any:
        stream = options.get("stdin") or sys.stdin
        raw = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        if isinstance(raw, bytes):
            try:
                raw = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise CommandError(_("Dữ liệu vào phải là văn bản UTF-8."))
        try:
            return json.loads(raw.lstrip("\ufeff"), parse_float=Decimal,
                              parse_constant=_reject_constant)  # fmt: skip
        except json.JSONDecodeError as error:
            raise CommandError(problem_text(NOT_JSON, {"line": error.lineno,
                               "column": error.colno, "error": error.msg}))  # fmt: skip
        except ValueError as error:
            raise CommandError(problem_text(NOT_JSON, {"line": "?", "column": "?",
                               "error": str(error)}))  # fmt: skip

    def _evaluate(self, options) -> None:
        row = self._rule_set(options["rule_set"])
        try:
            rules = rule_set_rules(row)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages))
        data = self._read_input(options)
        try:
            result = evaluate(rules, data, describe=missing_text)
        except EvaluationError as error:
            lines = [evaluation_problem_text(p) for p in error.problems]
            raise CommandError("\n".join([_("Dữ liệu vào có lỗi:"), *lines]))
        self._write_json(result)
