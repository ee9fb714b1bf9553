"""Where the tests' data files are: in this repository, so that a bare clone passes.

The X Education export is the demo's own copy (resources/demo); the Olist files are in
tests/data (see tests/data/README.md for the origin and licence of both)."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
TEST_DATA = REPO / "tests" / "data"
X_EDUCATION = REPO / "resources" / "demo" / "x_education_leads.csv"
OLIST_MQL = TEST_DATA / "olist_marketing_qualified_leads.csv"
OLIST_DEALS = TEST_DATA / "olist_closed_deals.csv"
