"""The claims definitions, the published measurement (docs/claims.json) and the README's table (no training)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import claims
from helpers.claims import EXPECTATIONS
from tools import claims_table

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def published() -> dict:
    """The committed measurement."""
    if not claims.PUBLISHED.is_file():
        pytest.fail("docs/claims.json is missing: run `make claims-table`")
    return claims.load(claims.PUBLISHED)


def sample_data(**values: list[float]) -> dict:
    """Claims data for every expectation with made-up values that hold, ``values`` overriding some ids."""
    rows = {}
    for e in EXPECTATIONS:
        if e.above is not None and e.below is not None:
            good = (e.above + e.below) / 2
        else:
            good = e.above + 1 if e.above is not None else e.below - 1
        rows[e.id] = values.get(e.id, [good, good, good])
    return claims.to_data(rows, (0, 1, 2))


def test_expectation_ids_are_unique_and_bounded():
    from helpers import experiments as ex

    ids = [e.id for e in EXPECTATIONS]
    assert len(ids) == len(set(ids))
    assert all(e.above is not None or e.below is not None for e in EXPECTATIONS)
    assert all(callable(getattr(ex, e.experiment, None)) for e in EXPECTATIONS)


def test_importing_claims_is_light():
    code = "import sys, helpers.claims\nprint([m for m in ('helpers.experiments', 'tensorflow', 'keras') if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_published_path_is_in_the_repository():
    assert claims.PUBLISHED == ROOT / "docs" / "claims.json"
    assert claims.PUBLISHED.is_file(), "docs/claims.json is missing: run `make claims-table`"


def test_published_data_has_every_claim_in_order(published):
    assert published["seeds"] == list(claims.claim_seeds())
    assert list(published["claims"]) == [e.id for e in EXPECTATIONS]
    for entry in published["claims"].values():
        assert set(entry) == set(claims.FIELDS)


@pytest.mark.parametrize("expectation", EXPECTATIONS, ids=[e.id for e in EXPECTATIONS])
def test_published_entry_is_consistent(published, expectation):
    entry = published["claims"][expectation.id]
    values = entry["values"]
    assert len(values) == 3 and all(type(v) is float for v in values)
    assert entry["mean"] == pytest.approx(statistics.fmean(values), rel=1e-9, abs=1e-15)
    assert entry["sd"] == pytest.approx(statistics.stdev(values), rel=1e-9, abs=1e-15)
    assert entry["claim"] == expectation.claim and entry["measurement"] == expectation.measurement
    assert entry["bound"] == expectation.describe_bound(), "bound changed since the measurement: remeasure"
    assert entry["holds"] is (expectation.failure(values) is None)


def test_readme_table_is_what_the_published_data_renders(published):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = claims.render(published)
    assert claims.readme_table(readme) == table
    assert claims.replace_table(readme, table) == readme, (
        "README.md's claims table is stale: run `python -m tools.claims_table --from docs/claims.json`"
    )


@pytest.mark.parametrize(
    ("value", "like", "text"),
    [(2.0, None, "2"), (0.0, None, "0"), (5.1e-07, None, "5.1e-07"), (-6.7e-04, None, "-6.7e-04"),
     (17.6667, None, "17.7"), (3.7859, 17.6667, "3.8"), (8.6667, None, "8.667"), (2.0817, 8.6667, "2.082"),
     (0.19123, None, "0.191"), (7.9e-05, 0.008, "7.9e-05")],
)  # fmt: skip
def test_fmt(value, like, text):
    assert claims.fmt(value, like=like) == text


def test_to_data_and_render_round_trip(tmp_path):
    data = sample_data(a1=[0.2, 0.05, 0.3])
    assert data["claims"]["a1"]["holds"] is False and claims.failed(data) == ["a1"]
    assert data["claims"]["a1"]["mean"] == pytest.approx(0.18333333)
    path = claims.dump(data, tmp_path / "sub" / "claims.json")
    assert claims.load(path) == data
    assert json.loads(path.read_text())["claims"]["c4"]["bound"] == "every seed > 1.999 and < 2.001"
    table = claims.render(claims.load(path))
    assert "| a1 | A too complex model overfits |" in table and "| **no** |" in table
    assert "\\|w\\|" in table and table.count("\n") == 3 + len(EXPECTATIONS)


def test_load_names_a_broken_file(tmp_path):
    path = tmp_path / "claims.json"
    path.write_text('{"seeds": [0], "claims": {"a1": {"claim": "x"}}}')
    with pytest.raises(ValueError, match="a1 lacks measurement"):
        claims.load(path)


def test_replace_table_needs_both_markers():
    assert claims.replace_table("no markers", "t") is None
    assert claims.replace_table(f"{claims.END}\n{claims.START}", "t") is None
    assert claims.replace_table(f"a\n{claims.START}\nold\n{claims.END}\nb", "t") == (
        f"a\n{claims.START}\nt\n{claims.END}\nb"
    )


def test_tool_rewrites_and_checks_the_table_from_a_data_file(tmp_path, capsys):
    source = claims.dump(sample_data(), tmp_path / "claims.json")
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n{claims.START}\nold\n{claims.END}\ntail\n")
    assert claims_table.main(["--check", "--from", str(source), "--readme", str(readme)]) == 1
    assert f"python -m tools.claims_table --from {source}" in capsys.readouterr().err
    assert claims_table.main(["--from", str(source), "--readme", str(readme)]) == 0
    assert claims.readme_table(readme.read_text()) == claims.render(claims.load(source))
    assert claims_table.main(["--check", "--from", str(source), "--readme", str(readme)]) == 0


def test_tool_exit_codes(tmp_path, capsys):
    failing = claims.dump(sample_data(f2=[61.0, 20.0, 22.0]), tmp_path / "failing.json")
    readme = tmp_path / "README.md"
    readme.write_text(f"{claims.START}\n{claims.END}\n")
    assert claims_table.main(["--from", str(failing), "--readme", str(readme)]) == 2
    assert "| f2 |" in readme.read_text() and "f2" in capsys.readouterr().err
    bare = tmp_path / "BARE.md"
    bare.write_text("no markers\n")
    assert claims_table.main(["--from", str(failing), "--readme", str(bare)]) == 1
    assert "| f2 |" in capsys.readouterr().out and bare.read_text() == "no markers\n"
    assert claims_table.main(["--check", "--from", str(failing), "--readme", str(bare)]) == 1
