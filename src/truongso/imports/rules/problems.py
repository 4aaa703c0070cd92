"""What the checks report: a problem has a code, a severity and the values its message
needs. Messages themselves (translated) are written by the Django layer from the code."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem with one cell (``column`` is a column key), a row, or the file."""

    code: str
    severity: str
    column: str = ""
    params: dict[str, Any] = field(default_factory=dict)


def error(code: str, column: str = "", /, **params: Any) -> Problem:
    return Problem(code, ERROR, column, params)


def warning(code: str, column: str = "", /, **params: Any) -> Problem:
    return Problem(code, WARNING, column, params)


def info(code: str, column: str = "", /, **params: Any) -> Problem:
    return Problem(code, INFO, column, params)


# Codes. Each has its own message (imports/messages.py).
# The file and its sheets
FILE_EMPTY = "file_empty"
FILE_TOO_LARGE = "file_too_large"
FILE_NOT_SPREADSHEET = "file_not_spreadsheet"
FILE_PASSWORD = "file_password"  # noqa: S105 - a problem code
FILE_NO_HEADER = "file_no_header"
FILE_NO_ROWS = "file_no_rows"
COLUMN_MISSING = "column_missing"
COLUMN_UNKNOWN = "column_unknown"
COLUMN_DUPLICATE = "column_duplicate"
HEADER_MERGED = "header_merged"
CELL_FORMULA = "cell_formula"
ROW_EMPTY = "row_empty"
TOO_MANY_PROBLEMS = "too_many_problems"
# Text
TEXT_TCVN3 = "text_tcvn3"
TEXT_VNI = "text_vni"
TEXT_TOO_LONG = "text_too_long"
# Values
REQUIRED = "required"
DATE_NOT_A_DATE = "date_not_a_date"
DATE_IMPOSSIBLE = "date_impossible"
DATE_FUTURE = "date_future"
DATE_TOO_OLD = "date_too_old"
AGE_GRADE = "age_grade"
SEX_UNKNOWN = "sex_unknown"
ETHNICITY_UNKNOWN = "ethnicity_unknown"
NATIONALITY_UNKNOWN = "nationality_unknown"
CHOICE_UNKNOWN = "choice_unknown"
PID_NOT_12_DIGITS = "pid_not_12_digits"
PID_ZEROS_RESTORED = "pid_zeros_restored"
PID_CENTURY_SEX = "pid_century_sex"
PID_YEAR = "pid_year"
PHONE_SUSPICIOUS = "phone_suspicious"
EMAIL_INVALID = "email_invalid"
CLASS_UNKNOWN = "class_unknown"
GRADE_UNKNOWN = "grade_unknown"
GRADE_NOT_TAUGHT = "grade_not_taught"
SCHOOL_YEAR_UNKNOWN = "school_year_unknown"
TEACHER_UNKNOWN = "teacher_unknown"
TEACHER_AMBIGUOUS = "teacher_ambiguous"
GUARDIAN_WITHOUT_NAME = "guardian_without_name"
# Duplicates and matching
DUP_FILE_PID = "dup_file_pid"
DUP_FILE_NAME_DOB = "dup_file_name_dob"
DUP_FILE_EDU_ID = "dup_file_edu_id"
DUP_FILE_CLASS = "dup_file_class"
DUP_FILE_SAME_LEARNER = "dup_file_same_learner"
DUP_DB_PID_HERE = "dup_db_pid_here"
DUP_DB_PID_ELSEWHERE = "dup_db_pid_elsewhere"
EDU_ID_UNKNOWN = "edu_id_unknown"
EDU_ID_ELSEWHERE = "edu_id_elsewhere"
NAME_DOB_AMBIGUOUS = "name_dob_ambiguous"
