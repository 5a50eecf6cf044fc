"""Where things live and the settings every step shares; the one place that spells paths.

Paths can be moved with environment variables (used by the tests, which work on temporary
copies): ``CPPCC_SEEDS``, ``CPPCC_CACHE``, ``CPPCC_FIGURES``, ``CPPCC_REPORTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = PACKAGE_DIR / "data"
PROJECT_ROOT = PACKAGE_DIR.parents[1]


def _path(env: str, default: Path) -> Path:
    value = os.environ.get(env)
    return Path(value).resolve() if value else default


SEEDS = _path("CPPCC_SEEDS", PROJECT_ROOT / "seeds")
CACHE = _path("CPPCC_CACHE", PROJECT_ROOT / ".cache")
FIGURES = _path("CPPCC_FIGURES", PROJECT_ROOT / "figures")
REPORTS = _path("CPPCC_REPORTS", PROJECT_ROOT / "reports")
NOTEBOOKS = PROJECT_ROOT / "notebooks"

# The newspaper's home province: resolves short place names (陇南, 本报金昌讯) and homonyms.
HOME_PROVINCE = os.environ.get("CPPCC_HOME_PROVINCE", "甘肃省")

# Bump when the parser's output changes in a way the source-code digest would not catch.
PARSER_VERSION = "1"
