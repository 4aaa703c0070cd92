"""Prepare a parent node's database for the end-to-end test (run in its own process,
with DATABASE_URL pointing at the parent's database): the same units, schools and
subjects as tests/world.py, and one child node allowed to push for the three schools.
Prints the node's token on the last line."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "truongso.settings")

import django  # noqa: E402

django.setup()

from tests.world import _school, _unit  # noqa: E402
from truongso.academics.services import curriculum_load  # noqa: E402
from truongso.exchange.services.nodes import child_node_register  # noqa: E402
from truongso.units.models import InstitutionKind  # noqa: E402

curriculum_load()  # the subjects, as tests/world.py loads them
country = _unit("VN", "Việt Nam", "country")
p1 = _unit("01", "Thành phố Hà Nội", "province", country)
c1 = _unit("00004", "Phường Ba Đình", "commune", p1)
p2 = _unit("79", "Thành phố Hồ Chí Minh", "province", country)
c2 = _unit("26734", "Phường Sài Gòn", "commune", p2)
_school("01000001", "Trường THCS Ba Đình", c1, p1)
_school("01000002", "Trường Tiểu học Kim Đồng", c1, p1, kind=InstitutionKind.PRIMARY, grades=(1, 5))
_school("79000001", "Trường THCS Sài Gòn", c2, p2)
_node, token = child_node_register(
    actor=None,
    node_id="tinh-thu",
    name="Test node",
    institution_codes=["01000001", "01000002", "79000001"],
)
print(token)
