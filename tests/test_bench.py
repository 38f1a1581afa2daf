"""The bench's budget logic, table and memory sampler (tools/bench.py), without executing any notebook."""

from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import asdict

import pytest

from tools import bench

GB = 1_000_000_000


def measures(**overrides: bench.Measure) -> list[bench.Measure]:
    """A run with two floor samples (10 s and 12 s, 0.7 GB) and one of each kind, all within budget."""
    base = {
        "floor1": bench.Measure("floor", "floor", 10.0, int(0.70 * GB)),
        "lesson": bench.Measure("lesson", "notebooks/01_x.ipynb", 30.0, int(0.80 * GB)),
        "solution": bench.Measure("solution", "solutions/01_x/01_x.ipynb", 25.0, int(0.75 * GB)),
        "autograde": bench.Measure("autograde", "full submission", 80.0, int(0.80 * GB)),
        "part": bench.Measure("autograde-part", "01_x", 80.0, int(0.80 * GB), detail="auto score 9/9"),
        "floor2": bench.Measure("floor", "floor", 12.0, int(0.72 * GB)),
    }
    base.update(overrides)
    return list(base.values())


def by_name(rows: list[bench.Row]) -> dict[str, bench.Row]:
    """Rows by kind (the floor appears twice; the last one wins)."""
    return {r.kind: r for r in rows}


def test_floor_is_the_mean_time_and_the_largest_memory_of_its_samples() -> None:
    floors = [m for m in measures() if m.kind == "floor"]
    assert bench.floor_seconds(floors) == pytest.approx(11.0)
    assert bench.floor_rss(floors) == int(0.72 * GB)


def test_failed_floor_samples_are_ignored_and_none_left_is_an_error() -> None:
    ok = bench.Measure("floor", "floor", 10.0, GB // 2)
    broken = bench.Measure("floor", "floor", 1.0, 0, error="ImportError: no tensorflow")
    assert bench.floor_seconds([ok, broken]) == pytest.approx(10.0)
    with pytest.raises(ValueError, match="no successful floor"):
        bench.floor_seconds([broken])


def test_time_budgets_follow_the_floor_for_notebooks_and_are_absolute_for_autograde() -> None:
    budgets = bench.Budgets()
    assert bench.time_budget("lesson", 11.0, budgets) == pytest.approx(31.0)
    assert bench.time_budget("solution", 11.0, budgets) == pytest.approx(26.0)
    assert bench.time_budget("autograde", 11.0, budgets) == pytest.approx(90.0)
    assert bench.time_budget("autograde-part", 11.0, budgets) is None
    assert bench.time_budget("floor", 11.0, budgets) is None


def test_a_run_within_budget_misses_nothing_and_has_ratios_to_the_floor() -> None:
    rows = bench.evaluate(measures(), bench.Budgets())
    assert bench.missed(rows) == []
    lesson = by_name(rows)["lesson"]
    assert lesson.time_ratio == pytest.approx(30.0 / 11.0, abs=0.01)
    assert lesson.rss_ratio == pytest.approx(0.80 / 0.72, abs=0.01)
    assert lesson.time_budget_s == pytest.approx(31.0)
    assert lesson.peak_rss_mb == 800


@pytest.mark.parametrize(
    ("key", "measure", "expected"),
    [
        ("lesson", bench.Measure("lesson", "notebooks/01_x.ipynb", 31.5, GB // 2), ["time"]),
        ("solution", bench.Measure("solution", "solutions/01_x/01_x.ipynb", 26.5, GB // 2), ["time"]),
        ("autograde", bench.Measure("autograde", "full submission", 90.5, GB // 2), ["time"]),
        ("part", bench.Measure("autograde-part", "01_x", 200.0, GB + 1), ["memory"]),
        (
            "lesson",
            bench.Measure("lesson", "notebooks/01_x.ipynb", 5.0, GB // 2, error="ZeroDivisionError"),
            ["error"],
        ),
        (
            "solution",
            bench.Measure("solution", "solutions/01_x/01_x.ipynb", 40.0, 2 * GB),
            ["time", "memory"],
        ),
    ],
)
def test_each_budget_is_flagged_when_exceeded(key: str, measure: bench.Measure, expected: list[str]) -> None:
    rows = bench.evaluate(measures(**{key: measure}), bench.Budgets())
    bad = bench.missed(rows)
    assert [r.name for r in bad] == [measure.name]
    assert bad[0].over == expected


def test_grading_promises_fail_on_the_checker_the_sandbox_or_an_error_not_on_seconds() -> None:
    base = {
        "autograde": bench.Measure("autograde", "full submission", 95.0, GB // 2),
        "plain": bench.Measure("autograde-nosandbox", "without the sandbox", 94.0, GB // 2),
        "inkernel": bench.Measure("autograde-inkernel", "in the kernel", 93.0, GB // 2),
        "lesson": bench.Measure("lesson", "notebooks/01_x.ipynb", 45.0, GB // 2),
    }
    rows = bench.evaluate(measures(**base), bench.Budgets())
    assert {r.name for r in bench.missed(rows)} == {"full submission", "notebooks/01_x.ipynb"}
    assert bench.grading_missed(rows) == []  # slower than 90 s and a slow lesson: machine-dependent, reported
    costly = {**base, "inkernel": bench.Measure("autograde-inkernel", "in the kernel", 80.0, GB // 2)}
    rows = bench.evaluate(measures(**costly), bench.Budgets())
    assert [(r.name, r.over) for r in bench.grading_missed(rows)] == [
        ("full submission", ["time", "checker"])
    ]
    jailed = {**base, "plain": bench.Measure("autograde-nosandbox", "without the sandbox", 80.0, GB // 2)}
    rows = bench.evaluate(measures(**jailed), bench.Budgets())
    assert [r.over for r in bench.grading_missed(rows)] == [["time", "sandbox"]]
    broken = {**base, "part": bench.Measure("autograde-part", "01_x", 5.0, GB // 2, error="Timeout")}
    rows = bench.evaluate(measures(**broken), bench.Budgets())
    assert [r.name for r in bench.grading_missed(rows)] == ["01_x"]


def test_markdown_lists_every_row_and_explains_each_missed_budget() -> None:
    slow = bench.Measure("lesson", "notebooks/01_x.ipynb", 45.0, int(1.2 * GB), cpu_seconds=50.04)
    rows = bench.evaluate(measures(lesson=slow), bench.Budgets())
    meta = {
        "generated": "now",
        "machine": {"cpus": 2, "platform": "Linux", "python": "3.11", "tensorflow": "2.21"},
        "load_before": "1.00",
        "load_after": "2.00",
        "budgets": vars(bench.Budgets()),
        "floor_samples": [10.0, 12.0],
        "floor_seconds": 11.0,
        "floor_rss_mb": 720,
    }
    text = bench.render_markdown(rows, meta)
    table = [line for line in text.splitlines() if line.startswith("| ")]
    assert len(table) == 1 + len(rows)  # header + one line per measure
    assert "| lesson | `notebooks/01_x.ipynb` | 45.0 | 4.09 | 31.0 | 50.0 | 1200 |" in text
    assert "**over time, over memory**" in text
    assert "- lesson `notebooks/01_x.ipynb`: 45.0 s > 31.0 s; 1200 MB > 1000 MB" in text
    data = bench.report_json(rows, meta)
    assert data["missed"] == ["notebooks/01_x.ipynb"]
    assert len(data["rows"]) == len(rows)
    fine = bench.render_markdown(bench.evaluate(measures(), bench.Budgets()), meta)
    assert "None: every notebook" in fine


def test_cell_timings_name_the_slowest_cell_and_count_stderr_outputs() -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# title"), *(nbformat.v4.new_code_cell("x") for _ in range(2))]
    for cell, (begin, end) in zip(nb.cells[1:], [("00.000", "01.500"), ("02.000", "09.250")], strict=True):
        cell.metadata["execution"] = {
            "iopub.execute_input": f"2026-01-01T10:00:{begin}Z",
            "shell.execute_reply": f"2026-01-01T10:00:{end}Z",
        }
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stderr", text="W tensorflow noise")]
    assert bench.cell_seconds(nb.cells[0]) is None
    assert bench.cell_seconds(nb.cells[2]) == pytest.approx(7.25)
    assert bench.describe_cells(nb) == "slowest cell: 3 of 3 (7.2 s); 1 stderr output(s)"


def test_sampler_sees_the_memory_of_a_kernel_process_below_this_one() -> None:
    code = "import time; block = bytearray(150_000_000); block[::4096] = b'x' * len(block[::4096]); time.sleep(3)"
    with bench.KernelSampler(interval=0.05) as sampler:
        child = subprocess.Popen([sys.executable, "-c", code, "ipykernel-stand-in"])
        try:
            deadline = time.monotonic() + 10
            while sampler.peak < 150_000_000 and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            child.kill()
            child.wait()
    assert sampler.peak >= 150_000_000
    assert sampler.cpu_seconds > 0


def test_grading_rows_of_a_later_run_replace_the_published_ones() -> None:
    budgets = bench.Budgets()
    old_rows = bench.evaluate(measures(), budgets)
    meta = {"generated": "then", "machine": {"cpus": 2, "python": "3.11.7", "tensorflow": "2.21.0",
            "platform": "Linux"}, "load_before": 1.0, "load_after": 1.0, "budgets": asdict(budgets),
            "floor_samples": [10.0, 12.0], "floor_seconds": 11.0, "floor_rss_mb": 720,
            "sandbox": None, "checker": {"with_s": 100.0, "without_s": 80.0, "overhead": 0.25}}  # fmt: skip
    published = bench.report_json(old_rows, meta)
    later = bench.evaluate(
        measures(autograde=bench.Measure("autograde", "full submission", 70.0, GB // 2)), budgets
    )
    grading = bench.report_json(
        [r for r in later if r.kind.startswith("autograde")],
        {**meta, "generated": "now", "checker": {"with_s": 70.0, "without_s": 69.0, "overhead": 0.0145}},
    )
    rows, merged = bench.merge_grading(published, grading)
    assert [r.kind for r in rows] == ["floor", "lesson", "solution", "floor", "autograde", "autograde-part"]
    assert next(r for r in rows if r.kind == "autograde").seconds == 70.0
    assert merged["checker"]["overhead"] == 0.0145 and merged["generated"] == "then"
    page = bench.render_markdown(rows, merged)
    assert "**+1.5%**" in page and "come from a later run, now" in page


def test_the_workers_paragraph_says_the_speedup_and_whether_the_scores_agree() -> None:
    rows = bench.evaluate(measures(), bench.Budgets())
    workers = {"generated": "now", "machine": {"cpus": 2}, "load_before": "0.50", "students": 2,
               "submissions": 14, "workers": 2, "one_worker_s": 180.0, "workers_s": 100.0, "speedup": 1.8,
               "same_scores": True, "failures": []}  # fmt: skip
    meta = {"generated": "then", "machine": {"cpus": 2, "platform": "Linux", "python": "3.11", "tensorflow": "2.21"},
            "load_before": "1.00", "load_after": "1.00", "budgets": vars(bench.Budgets()),
            "floor_samples": [10.0], "floor_seconds": 10.0, "floor_rss_mb": 700, "workers": workers}  # fmt: skip
    page = bench.render_markdown(rows, meta)
    assert "14 submissions (2 students" in page and "180.0 s" in page and "**1.80x** on 2 CPU cores" in page
    assert "identical, cell by cell" in page
    page = bench.render_markdown(
        rows, {**meta, "workers": {**workers, "same_scores": False, "failures": ["a/01"]}}
    )
    assert "**different** (a defect)" in page and "Failures: a/01." in page
    assert "Workers" not in bench.render_markdown(rows, {**meta, "workers": None})
