"""Time and memory of every course notebook and of one full autograde, measured against a TensorFlow floor.

Each lesson notebook (``notebooks/NN_*.ipynb``) and each solution notebook (``solutions/NN_*/*.ipynb``) runs
top to bottom in a fresh ``python3`` kernel; one submission of every assignment (the solution notebooks, as a
student who answered everything would hand them in) is autograded by nbgrader in a scratch course folder,
twice: with the course's configuration (every kernel in its bubblewrap sandbox) and without the sandbox
(``unsafe_no_sandbox``), alternating per assignment, so that the sandbox's cost is measured in the same run.
The floor is a fresh kernel that only imports TensorFlow and Keras, measured at the start and at the end of
the same run. Wall time includes the kernel start; memory is the peak resident set size (RSS) of each kernel
and its children, and CPU time their user + system seconds, both sampled with psutil every 0.1 s.

The result is a report, not a gate: the script prints the table, writes ``bench.md`` and ``bench.json`` to
``--out`` (and to ``docs/`` with ``--publish``) and exits 0 even when a budget is missed (``--strict``: 1).

    .venv/bin/python -m tools.bench --out build/bench            # what `make bench` runs
    .venv/bin/python -m tools.bench --publish                    # also refresh docs/bench.md and docs/bench.json
    .venv/bin/python -m tools.bench --only lessons --match 01    # a quick look at one notebook
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tools.build_assignments import ROOT, assignment_ids

KINDS = ("lessons", "solutions", "autograde", "workers")
FLOOR_SOURCE = "import tensorflow as tf\nimport keras\n"
MB = 1_000_000
BENCH_STUDENT = "bench_student"
BENCH_UNSAFE = "bench_student_nosandbox"  # the same submission, graded without the sandbox
BENCH_INKERNEL = "bench_student_inkernel"  # the same submission, test cells run in the kernel (no checker)


@dataclass(frozen=True)
class Budgets:
    """What each measurement may cost (seconds above the floor, absolute seconds, bytes of RSS)."""

    lesson_over_floor_s: float = 20.0
    solution_over_floor_s: float = 15.0
    autograde_s: float = 90.0
    kernel_rss_bytes: int = 1_000_000_000
    sandbox_overhead: float = 0.10  # the sandbox may add this fraction to the full autograde's wall time
    checker_overhead: float = 0.15  # judging test cells in the checker may add this fraction to it


@dataclass
class Measure:
    """One measured run: what ran, how long it took, the peak RSS and CPU time of its kernels, what went
    wrong."""

    kind: (
        str  # "floor", "lesson", "solution", "autograde" (total), "autograde-part", or "autograde-nosandbox"
    )
    # and "autograde-nosandbox-part" (the same submission graded without the sandbox)
    name: str
    seconds: float
    peak_rss: int
    error: str | None = None
    detail: str = ""
    cpu_seconds: float = 0.0


@dataclass
class Row:
    """A measure with its ratios to the floor, its budgets and what it exceeds."""

    kind: str
    name: str
    seconds: float
    cpu_s: float
    peak_rss_mb: float
    time_ratio: float | None
    rss_ratio: float | None
    time_budget_s: float | None
    rss_budget_mb: float
    over: list[str] = field(default_factory=list)
    error: str | None = None
    detail: str = ""


# --------------------------------------------------------------------------------------------------------
# Budgets, ratios and the table (pure functions: unit-tested in tests/test_bench.py)
# --------------------------------------------------------------------------------------------------------


def floor_seconds(floors: list[Measure]) -> float:
    """The floor's wall time used for ratios and budgets: the mean of its samples in this run."""
    ok = [m.seconds for m in floors if m.error is None]
    if not ok:
        raise ValueError("no successful floor measurement")
    return sum(ok) / len(ok)


def floor_rss(floors: list[Measure]) -> int:
    """The floor's peak RSS: the largest of its samples in this run."""
    ok = [m.peak_rss for m in floors if m.error is None]
    if not ok:
        raise ValueError("no successful floor measurement")
    return max(ok)


def time_budget(kind: str, floor_s: float, budgets: Budgets) -> float | None:
    """Seconds allowed for a measure of this kind (None: no time budget)."""
    if kind == "lesson":
        return floor_s + budgets.lesson_over_floor_s
    if kind == "solution":
        return floor_s + budgets.solution_over_floor_s
    if kind == "autograde":
        return budgets.autograde_s
    return None


def sandbox_overhead(measures: list[Measure], other: str = "autograde-nosandbox") -> dict | None:
    """What the sandbox (or, with ``other="autograde-inkernel"``, the checker) adds to the full autograde: wall
    and kernel CPU seconds with and without it, and the relative overheads (None when the run did not grade
    both ways, or one of them failed)."""
    with_ = next((m for m in measures if m.kind == "autograde"), None)
    without = next((m for m in measures if m.kind == other), None)
    if with_ is None or without is None or with_.error or without.error or without.seconds <= 0:
        return None
    cpu = with_.cpu_seconds / without.cpu_seconds - 1 if without.cpu_seconds > 0 else None
    return {
        "with_s": round(with_.seconds, 1),
        "without_s": round(without.seconds, 1),
        "overhead": round(with_.seconds / without.seconds - 1, 4),
        "cpu_with_s": round(with_.cpu_seconds, 1),
        "cpu_without_s": round(without.cpu_seconds, 1),
        "cpu_overhead": round(cpu, 4) if cpu is not None else None,
    }


def evaluate(measures: list[Measure], budgets: Budgets) -> list[Row]:
    """Rows with ratios to the floor and the budgets each measure misses (errors count as missed; the full
    autograde also misses when the sandbox adds more than its budget to it)."""
    floors = [m for m in measures if m.kind == "floor"]
    f_s, f_rss = floor_seconds(floors), floor_rss(floors)
    sandbox = sandbox_overhead(measures)
    checker = sandbox_overhead(measures, "autograde-inkernel")
    rows = []
    for m in measures:
        limit = time_budget(m.kind, f_s, budgets)
        over = []
        if m.error is not None:
            over.append("error")
        if limit is not None and m.seconds > limit:
            over.append("time")
        if m.peak_rss > budgets.kernel_rss_bytes:
            over.append("memory")
        if m.kind == "autograde" and sandbox and sandbox["overhead"] > budgets.sandbox_overhead:
            over.append("sandbox")
        if m.kind == "autograde" and checker and checker["overhead"] > budgets.checker_overhead:
            over.append("checker")
        rows.append(
            Row(
                kind=m.kind,
                name=m.name,
                seconds=round(m.seconds, 1),
                cpu_s=round(m.cpu_seconds, 1),
                peak_rss_mb=round(m.peak_rss / MB),
                time_ratio=round(m.seconds / f_s, 2) if f_s > 0 else None,
                rss_ratio=round(m.peak_rss / f_rss, 2) if f_rss > 0 else None,
                time_budget_s=round(limit, 1) if limit is not None else None,
                rss_budget_mb=round(budgets.kernel_rss_bytes / MB),
                over=over,
                error=m.error,
                detail=m.detail,
            )
        )
    return rows


def missed(rows: list[Row]) -> list[Row]:
    """The rows that miss a budget or failed."""
    return [r for r in rows if r.over]


# What a grader promises, whatever the machine: the graded runs succeed, and the sandbox and the checker cost at
# most their share of the same run (ratios measured side by side, unlike seconds, which depend on the machine).
GRADING_PROMISES = ("error", "sandbox", "checker")


def grading_missed(rows: list[Row]) -> list[Row]:
    """The autograde rows that failed or in which the sandbox or the checker went over its budget."""
    return [r for r in rows if r.kind.startswith("autograde") and set(r.over) & set(GRADING_PROMISES)]


def _status(row: Row) -> str:
    """Short status cell of the markdown table."""
    if not row.over:
        return "ok"
    return "**" + ", ".join("ERROR" if o == "error" else f"over {o}" for o in row.over) + "**"


def render_markdown(rows: list[Row], meta: dict) -> str:
    """The report as a markdown page: context, the table, then every missed budget with its reason."""
    b = meta["budgets"]
    lines = [
        "# Performance of the course notebooks",
        "",
        f"Measured {meta['generated']} on {meta['machine']['cpus']} CPU cores "
        f"({meta['machine']['platform']}, Python {meta['machine']['python']}, TensorFlow "
        f"{meta['machine']['tensorflow']}); load average {meta['load_before']} before and "
        f"{meta['load_after']} after the run. Regenerate with `make bench` (writes `build/bench/`) or "
        "`.venv/bin/python -m tools.bench --publish` (also rewrites this page).",
        *_grading_run_lines(meta.get("grading_run")),
        "",
        f"**Floor**: a fresh kernel that only imports TensorFlow and Keras: "
        f"{meta['floor_seconds']:.1f} s (samples: {', '.join(f'{s:.1f}' for s in meta['floor_samples'])} s), "
        f"{meta['floor_rss_mb']:.0f} MB peak RSS. Times include the kernel start; ratios are to the floor.",
        "",
        f"**Budgets**: lesson <= floor + {b['lesson_over_floor_s']:.0f} s; solution <= floor + "
        f"{b['solution_over_floor_s']:.0f} s; one full submission autograded <= {b['autograde_s']:.0f} s; "
        f"peak RSS of every kernel <= {b['kernel_rss_bytes'] / MB:.0f} MB"
        + (
            f"; the sandbox adds <= {b['sandbox_overhead']:.0%} to the full autograde"
            if "sandbox_overhead" in b
            else ""
        )
        + (
            f"; judging test cells in the checker adds <= {b['checker_overhead']:.0%} to it."
            if "checker_overhead" in b
            else "."
        ),
        "",
        *_sandbox_lines(meta.get("sandbox")),
        *_checker_lines(meta.get("checker")),
        *_workers_lines(meta.get("workers")),
        "| kind | notebook | wall s | x floor | budget s | kernel CPU s | peak RSS MB | x floor | status | notes |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        budget = f"{r.time_budget_s:.1f}" if r.time_budget_s is not None else ""
        t_ratio = f"{r.time_ratio:.2f}" if r.time_ratio is not None else ""
        m_ratio = f"{r.rss_ratio:.2f}" if r.rss_ratio is not None else ""
        notes = (r.error or r.detail or "").replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| {r.kind} | `{r.name}` | {r.seconds:.1f} | {t_ratio} | {budget} | {r.cpu_s:.1f} | {r.peak_rss_mb:.0f} | "
            f"{m_ratio} | {_status(r)} | {notes[:160]} |"
        )
    bad = missed(rows)
    lines += ["", "## Missed budgets", ""]
    if not bad:
        lines.append("None: every notebook and the full autograde are within budget.")
    for r in bad:
        why = []
        if "error" in r.over:
            why.append(f"failed: {r.error}")
        if "sandbox" in r.over and meta.get("sandbox"):
            why.append(
                f"the sandbox adds {meta['sandbox']['overhead']:+.1%} > {b.get('sandbox_overhead', 0):.0%}"
            )
        if "checker" in r.over and meta.get("checker"):
            why.append(
                f"the checker adds {meta['checker']['overhead']:+.1%} > {b.get('checker_overhead', 0):.0%}"
            )
        if "time" in r.over:
            why.append(f"{r.seconds:.1f} s > {r.time_budget_s:.1f} s")
        if "memory" in r.over:
            why.append(f"{r.peak_rss_mb:.0f} MB > {r.rss_budget_mb:.0f} MB")
        lines.append(f"- {r.kind} `{r.name}`: " + "; ".join(why))
    lines += [
        "",
        "Wall times on a shared or busy machine vary from run to run (look at the load average above): compare "
        "ratios to the floor, and the kernel CPU time (user + system seconds of the kernel process tree, which "
        "depends little on other load), rather than wall seconds alone. RSS and CPU are sampled every 0.1 s, "
        "so very short spikes can be missed.",
        "",
    ]
    return "\n".join(lines)


def _grading_run_lines(run: dict | None) -> list[str]:
    """The sentence naming the run the autograde rows come from, when it is not the notebooks' run."""
    if not run:
        return []
    m = run["machine"]
    return [
        "",
        f"The autograde rows and the Sandbox and Checker paragraphs come from a later run, {run['generated']} on "
        f"{m['cpus']} CPU cores (Python {m['python']}, TensorFlow {m['tensorflow']}; load average "
        f"{run['load_before']} before and {run['load_after']} after), merged with "
        "`.venv/bin/python -m tools.bench --publish-grading build/bench/bench.json` from the report that "
        "`make bench-grading` (part of `make test`) writes.",
    ]


def _checker_lines(checker: dict | None) -> list[str]:
    """The paragraph comparing the full autograde with test cells judged by the checker and run in the kernel."""
    if not checker:
        return []
    return [
        f"**Checker**: the same submission with every test cell judged in the course's checker took "
        f"{checker['with_s']:.1f} s, with the test cells run in the kernel instead {checker['without_s']:.1f} s "
        f"(same run): **{checker['overhead']:+.1%}** wall time.",
        "",
    ]


def _workers_lines(workers: dict | None) -> list[str]:
    """The paragraph comparing a class autograded by one worker and by several (none if not measured)."""
    if not workers:
        return []
    m = workers["machine"]
    same = "identical, cell by cell" if workers["same_scores"] else "**different** (a defect)"
    failed = f" Failures: {', '.join(workers['failures'])}." if workers["failures"] else ""
    return [
        f"**Workers**: {workers['submissions']} submissions ({workers['students']} students, the solution of "
        f"every assignment) autograded by `tools.classroom` with one worker took {workers['one_worker_s']:.1f} s, "
        f"then with {workers['workers']} workers {workers['workers_s']:.1f} s: **{workers['speedup']:.2f}x** "
        f"on {m['cpus']} CPU cores (same run, {workers['generated']}, load average {workers['load_before']} "
        f"before). Scores {same}.{failed}",
        "",
    ]


def _sandbox_lines(sandbox: dict | None) -> list[str]:
    """The paragraph comparing the full autograde with and without the sandbox (none if not measured)."""
    if not sandbox:
        return []
    cpu = sandbox.get("cpu_overhead")
    cpu_text = f" ({cpu:+.1%})" if cpu is not None else ""
    return [
        f"**Sandbox**: one full submission autograded with every kernel in its bubblewrap sandbox took "
        f"{sandbox['with_s']:.1f} s, the same submission without the sandbox {sandbox['without_s']:.1f} s "
        f"(alternating per assignment, same run): **{sandbox['overhead']:+.1%}** wall time; kernel CPU "
        f"{sandbox['cpu_with_s']:.1f} s against {sandbox['cpu_without_s']:.1f} s{cpu_text}.",
        "",
    ]


def report_json(rows: list[Row], meta: dict) -> dict:
    """The report as JSON-ready data."""
    return {**meta, "rows": [asdict(r) for r in rows], "missed": [r.name for r in missed(rows)]}


GRADING_META = ("generated", "machine", "load_before", "load_after", "sandbox", "checker")


def merge_grading(published: dict, grading: dict) -> tuple[list[Row], dict]:
    """The published report with its autograde rows, and its Sandbox and Checker measurements, replaced by those
    of ``grading`` (a report of ``--only autograde``, e.g. the one ``make test`` writes); the notebooks' rows
    keep their own run, named in the page."""
    rows = [Row(**r) for r in published["rows"] if not r["kind"].startswith("autograde")]
    rows += [Row(**r) for r in grading["rows"] if r["kind"].startswith("autograde")]
    meta = {k: v for k, v in published.items() if k not in ("rows", "missed", "grading_run")}
    meta["grading_run"] = {k: grading[k] for k in GRADING_META if k in grading}
    meta["sandbox"], meta["checker"] = grading.get("sandbox"), grading.get("checker")
    return rows, meta


# --------------------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------------------


def _is_kernel(proc) -> bool:
    """Whether a process is a Jupyter kernel started by this process (nbclient or nbgrader), or the sandbox
    (bwrap) that runs one: its command line names the kernel too."""
    try:
        return any("ipykernel" in part for part in proc.cmdline())
    except Exception:  # noqa: BLE001 (process gone or not readable)
        return False


def _is_outermost_kernel(proc) -> bool:
    """A kernel (or sandbox) process whose parent is not one: the top of one kernel's process tree, so that a
    sandboxed kernel is counted once, with its bwrap processes, not once per level."""
    try:
        return _is_kernel(proc) and not _is_kernel(proc.parent())
    except Exception:  # noqa: BLE001 (process gone)
        return False


def _tree_usage(proc) -> tuple[int, float]:
    """RSS in bytes and CPU seconds (user + system) of a process and all its descendants (0 once gone)."""
    import psutil

    rss, cpu = 0, 0.0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0, 0.0
    for p in procs:
        try:
            with p.oneshot():
                rss += p.memory_info().rss
                times = p.cpu_times()
                cpu += times.user + times.system
        except psutil.Error:
            pass
    return rss, cpu


class KernelSampler:
    """Samples, in a background thread, the RSS and CPU time of every kernel process tree below this process."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peaks: dict[int, int] = {}
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        """Sample until stopped."""
        import psutil

        me = psutil.Process()
        while not self._stop.is_set():
            try:
                children = me.children(recursive=True)
            except psutil.Error:
                children = []
            for proc in children:
                if _is_outermost_kernel(proc):
                    rss, cpu = _tree_usage(proc)
                    self.peaks[proc.pid] = max(self.peaks.get(proc.pid, 0), rss)
                    self.cpu[proc.pid] = max(self.cpu.get(proc.pid, 0.0), cpu)
            self._stop.wait(self.interval)

    def __enter__(self) -> KernelSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def peak(self) -> int:
        """Largest peak RSS of any one kernel tree seen so far."""
        return max(self.peaks.values(), default=0)

    @property
    def cpu_seconds(self) -> float:
        """CPU seconds used by all the kernel trees seen (as of their last sample)."""
        return sum(self.cpu.values())


def _short_error(exc: BaseException) -> str:
    """One line naming an exception (the cell's own error for notebook failures)."""
    ename = getattr(exc, "ename", None)
    evalue = getattr(exc, "evalue", None)
    if ename:
        return f"{ename}: {evalue}".strip()[:300]
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[-1] if text else ''}"[:300]


def run_notebook(kind: str, name: str, nb, cwd: Path, timeout: int) -> Measure:
    """Execute a notebook object in a fresh kernel from ``cwd``; time it and sample its kernel's memory."""
    from nbclient import NotebookClient

    kernel = (nb.metadata.get("kernelspec") or {}).get("name", "python3")
    client = NotebookClient(
        nb, kernel_name=kernel, timeout=timeout, resources={"metadata": {"path": str(cwd)}}
    )
    error = None
    with KernelSampler() as sampler:
        start = time.perf_counter()
        try:
            client.execute(stderr=subprocess.DEVNULL)
        except Exception as exc:  # noqa: BLE001 (a failing notebook is reported, not raised)
            error = _short_error(exc)
        seconds = time.perf_counter() - start
    return Measure(kind, name, seconds, sampler.peak, error, describe_cells(nb), sampler.cpu_seconds)


def cell_seconds(cell) -> float | None:
    """How long a cell ran, from the timings nbclient records in its metadata (None if it did not run)."""
    from datetime import datetime as dt

    timing = cell.get("metadata", {}).get("execution", {})
    begin, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
    if not begin or not end:
        return None
    return (
        dt.fromisoformat(end.replace("Z", "+00:00")) - dt.fromisoformat(begin.replace("Z", "+00:00"))
    ).total_seconds()


def describe_cells(nb) -> str:
    """Where an executed notebook spends its time (its slowest cell) and whether it wrote to stderr."""
    parts = []
    timed = [(t, i) for i, c in enumerate(nb.cells) if (t := cell_seconds(c)) is not None]
    if timed:
        worst, index = max(timed)
        parts.append(f"slowest cell: {index + 1} of {len(nb.cells)} ({worst:.1f} s)")
    stderr = sum(
        1
        for cell in nb.cells
        for out in cell.get("outputs", [])
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    )
    if stderr:
        parts.append(f"{stderr} stderr output(s)")
    return "; ".join(parts)


def measure_floor(timeout: int) -> Measure:
    """A fresh kernel that only imports TensorFlow and Keras."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(FLOOR_SOURCE)]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (course)", "language": "python"}
    with tempfile.TemporaryDirectory(prefix="bench-floor-") as tmp:
        measure = run_notebook("floor", "import tensorflow, keras", nb, Path(tmp), timeout)
    measure.detail = ""
    return measure


def measure_notebook(kind: str, path: Path, root: Path, timeout: int) -> Measure:
    """Execute one notebook file (read from disk, never written back) from its own folder."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return run_notebook(kind, str(path.relative_to(root)), nb, path.parent, timeout)


def lesson_notebooks(root: Path) -> list[Path]:
    """The lesson notebooks, in course order."""
    return sorted((root / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def solution_notebooks(root: Path) -> list[Path]:
    """The executed instructor versions, in course order."""
    return sorted((root / "solutions").glob("[0-9][0-9]_*/*.ipynb"))


def measure_autograde(root: Path, assignments: list[str], compare: bool = True) -> list[Measure]:
    """Autograde one student's submission of every assignment (the solution notebooks) in a scratch course,
    with the instructor's tool (tools/classroom.py) and the course's nbgrader configuration; with ``compare``,
    also the same submission (as another student) without the sandbox, alternating which goes first from one
    assignment to the next so that a drift in the machine's load falls on both alike.

    Generating the assignments (which fills the gradebook) is set-up and not timed; a total row times the
    autograde of all assignments one after the other, as an instructor's grading run does."""
    from tools.classroom import Classroom

    modes = {"autograde": BENCH_STUDENT}
    if compare:
        modes |= {"autograde-nosandbox": BENCH_UNSAFE, "autograde-inkernel": BENCH_INKERNEL}
    parts: dict[str, dict[str, Measure]] = {mode: {} for mode in modes}
    graded: list[str] = []
    cpu: dict[str, float] = dict.fromkeys(modes, 0.0)
    peak: dict[str, int] = dict.fromkeys(modes, 0)
    with tempfile.TemporaryDirectory(prefix="bench-course-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(root / "source", course / "source")
        db = f"sqlite:///{Path(tmp) / 'gradebook.db'}"
        rooms = {
            mode: Classroom(
                course,
                Path(tmp) / "exchange",
                db,
                unsafe_no_sandbox=mode == "autograde-nosandbox",
                overrides={"GuardedExecute": {"check_outside": False}}
                if mode == "autograde-inkernel"
                else {},
            )
            for mode in modes
        }
        room = rooms["autograde"]
        room.setup([{"id": student} for student in modes.values()], assignments)
        for aid in assignments:
            notebooks = sorted((root / "solutions" / aid).glob("*.ipynb"))
            if not notebooks:
                for mode in modes:
                    parts[mode][aid] = Measure(
                        f"{mode}-part", aid, 0.0, 0, "not graded: no solutions/ notebook"
                    )
                continue
            room.generate([aid])
            for student in modes.values():
                target = course / "submitted" / student / aid
                target.mkdir(parents=True)
                for nb in notebooks:
                    shutil.copy2(nb, target / nb.name)
            graded.append(aid)
        for index, aid in enumerate(graded):
            order = list(modes)[index % len(modes) :] + list(modes)[: index % len(modes)]
            for mode in order:
                student, mode_room = modes[mode], rooms[mode]
                with KernelSampler() as sampler:
                    failures = mode_room.autograde([aid], [student])
                seconds = mode_room.timings[(aid, student)]
                error = _last_line(next(iter(failures.values()))) if failures else None
                detail = "" if error else _score(mode_room, aid, student)
                parts[mode][aid] = Measure(
                    f"{mode}-part", aid, seconds, sampler.peak, error, detail, sampler.cpu_seconds
                )
                cpu[mode] += sampler.cpu_seconds
                peak[mode] = max(peak[mode], sampler.peak)
    out = []
    for mode in modes:
        ordered = [parts[mode][aid] for aid in assignments]
        total = sum(m.seconds for m in ordered)
        errors = [f"{m.name}: {m.error}" for m in ordered if m.error]
        what = {
            "autograde": "full submission",
            "autograde-nosandbox": "full submission, without the sandbox",
            "autograde-inkernel": "full submission, test cells in the kernel",
        }[mode]
        name = f"{what} ({len(graded)} of {len(assignments)} assignments)"
        out.append(Measure(mode, name, total, peak[mode], "; ".join(errors) or None, "", cpu[mode]))
        out += ordered
    return out


def measure_workers(root: Path, assignments: list[str], students: int = 2, workers: int = 2) -> dict:
    """Autograde a small class (``students`` copies of the solution of every assignment) with one worker, then
    the same class again with ``workers``, in one scratch course; the wall times and whether the scores agree."""
    from tools.classroom import Classroom

    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(root / "source", course / "source")
        room = Classroom(course, Path(tmp) / "exchange", f"sqlite:///{Path(tmp) / 'gradebook.db'}")
        names = [f"bench_worker_{i}" for i in range(students)]
        room.setup([{"id": name} for name in names], assignments)
        graded = [a for a in assignments if sorted((root / "solutions" / a).glob("*.ipynb"))]
        room.generate(graded)
        for aid in graded:
            for name in names:
                target = course / "submitted" / name / aid
                target.mkdir(parents=True)
                for nb in sorted((root / "solutions" / aid).glob("*.ipynb")):
                    shutil.copy2(nb, target / nb.name)
        runs = {}
        for count in (1, workers):
            start = time.perf_counter()
            failures = room.autograde(graded, workers=count)
            seconds = time.perf_counter() - start
            scores = {(r["student"], r["assignment"], r["grade_id"]): r["score"] for r in room.cell_scores()}
            runs[count] = (seconds, sorted(failures), scores)
            _log(
                f"  workers        {count} worker(s): {len(graded) * students} submissions in {seconds:.1f} s"
            )
    return {
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_before": load_before,
        "students": students,
        "submissions": len(graded) * students,
        "workers": workers,
        "one_worker_s": round(runs[1][0], 1),
        "workers_s": round(runs[workers][0], 1),
        "speedup": round(runs[1][0] / runs[workers][0], 2),
        "same_scores": runs[1][2] == runs[workers][2] and bool(runs[1][2]),
        "failures": sorted(set(runs[1][1]) | set(runs[workers][1])),
    }


def _score(room, assignment: str, student: str = BENCH_STUDENT) -> str:
    """'auto score x/y' of the bench student's autograded submission (cells graded by tests only)."""
    cells = room.results(assignment, student).values()
    auto = [c for c in cells if c["auto"]]
    score = sum(c["score"] or 0 for c in auto)
    return f"auto score {score:g}/{sum(c['max_score'] for c in auto):g}"


def _last_line(text: str) -> str:
    """Last non-empty line of a log or traceback."""
    lines = [line for line in (text or "").strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "unknown error"


def _load() -> str:
    """The 1-minute load average, as text."""
    return f"{os.getloadavg()[0]:.2f}"


def _version(*distributions: str) -> str:
    """Installed version of the first of these distributions that is present ('?' if none)."""
    from importlib.metadata import PackageNotFoundError, version

    for name in distributions:
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return "?"


def machine() -> dict:
    """Where the figures were measured."""
    return {
        "cpus": os.cpu_count(),
        "platform": f"{platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "tensorflow": _version("tensorflow-cpu", "tensorflow"),
    }


def kernel_environment() -> None:
    """Give kernels a learner's environment: quiet TensorFlow and matplotlib's inline backend (not Agg)."""
    os.environ.pop("MPLBACKEND", None)  # `make` exports Agg, which would hide every figure and skip its cost
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("PYTHONHASHSEED", "0")


def _log(text: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(text, file=sys.stderr, flush=True)


def _logged(m: Measure) -> Measure:
    """Log one measure as it completes."""
    status = f"ERROR {m.error}" if m.error else ""
    _log(
        f"  {m.kind:<14} {m.name:<50} {m.seconds:7.1f} s {m.cpu_seconds:7.1f} s CPU {m.peak_rss / MB:6.0f} MB  "
        f"{status}"
    )
    return m


def run_all(root: Path, kinds: Iterable[str], match: str, timeout: int) -> list[Measure]:
    """Floor, the selected notebooks and the autograde, then the floor again (after an uncounted warm-up
    kernel, so the first sample does not pay for cold disk caches)."""
    kinds = set(kinds)
    warm = measure_floor(timeout)
    _log(f"  warm-up        {warm.name:<50} {warm.seconds:7.1f} s (not counted)")
    measures = [_logged(measure_floor(timeout))]
    if "lessons" in kinds:
        for path in lesson_notebooks(root):
            if match in path.name:
                measures.append(_logged(measure_notebook("lesson", path, root, timeout)))
    if "solutions" in kinds:
        for path in solution_notebooks(root):
            if match in path.name:
                measures.append(_logged(measure_notebook("solution", path, root, timeout)))
    if "autograde" in kinds:
        ids = [a for a in assignment_ids(root) if match in a]
        if ids:
            for m in measure_autograde(root, ids):
                measures.append(_logged(m))
    measures.append(_logged(measure_floor(timeout)))
    return measures


def write_report(rows: list[Row], meta: dict, out: Path) -> tuple[Path, Path]:
    """Write bench.md and bench.json into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    md, js = out / "bench.md", out / "bench.json"
    md.write_text(render_markdown(rows, meta))
    js.write_text(json.dumps(report_json(rows, meta), indent=2) + "\n")
    return md, js


def main(argv: list[str] | None = None) -> int:
    """Measure, print the table, write the report; exit 0 unless --strict and a budget is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=ROOT, help="course folder (default: this repository)")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "bench", help="folder for bench.md/json")
    parser.add_argument("--publish", action="store_true", help="also write docs/bench.md and docs/bench.json")
    parser.add_argument(
        "--only", default=",".join(KINDS), help=f"comma-separated subset of {','.join(KINDS)}"
    )
    parser.add_argument("--match", default="", help="only notebooks/assignments whose name contains this")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument(
        "--strict-grading",
        action="store_true",
        help="exit 1 when an autograde fails or the sandbox or the checker costs more than its budget",
    )
    parser.add_argument(
        "--publish-workers",
        type=Path,
        metavar="REPORT",
        help="measure nothing: put the Workers paragraph of REPORT (a bench.json of --only workers) into "
        "docs/bench.md and docs/bench.json",
    )
    parser.add_argument(
        "--publish-grading",
        type=Path,
        metavar="REPORT",
        help="measure nothing: put the autograde rows of REPORT (a bench.json of --only autograde) into "
        "docs/bench.md and docs/bench.json, keeping the notebooks' rows",
    )
    args = parser.parse_args(argv)
    if args.publish_grading:
        docs = args.root.resolve() / "docs"
        published = json.loads((docs / "bench.json").read_text())
        rows, meta = merge_grading(published, json.loads(args.publish_grading.read_text()))
        write_report(rows, meta, docs)
        _log(f"bench: autograde rows of {args.publish_grading} published in {docs / 'bench.md'}")
        return 0
    if args.publish_workers:
        docs = args.root.resolve() / "docs"
        published = json.loads((docs / "bench.json").read_text())
        meta = {k: v for k, v in published.items() if k not in ("rows", "missed")}
        meta["workers"] = json.loads(args.publish_workers.read_text())["workers"]
        write_report([Row(**r) for r in published["rows"]], meta, docs)
        _log(f"bench: Workers paragraph of {args.publish_workers} published in {docs / 'bench.md'}")
        return 0
    kinds = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        parser.error(f"unknown --only value(s) {unknown}; choose from {KINDS}")
    root = args.root.resolve()
    kernel_environment()
    # nbgrader's gradebook code trips SQLAlchemy's autoflush warnings; they say nothing about the course.
    warnings.filterwarnings("ignore", message=".*not in session.*")
    budgets = Budgets()
    load_before = _load()
    _log(f"bench: {', '.join(kinds)} under {root} (load {load_before})")
    measures = run_all(root, kinds, args.match, args.timeout)
    floors = [m for m in measures if m.kind == "floor"]
    meta = {
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "load_before": load_before,
        "load_after": _load(),
        "budgets": asdict(budgets),
        "floor_samples": [round(m.seconds, 2) for m in floors],
        "floor_seconds": round(floor_seconds(floors), 2),
        "floor_rss_mb": round(floor_rss(floors) / MB),
        "sandbox": sandbox_overhead(measures),
        "checker": sandbox_overhead(measures, "autograde-inkernel"),
    }
    if "workers" in kinds:
        ids = [a for a in assignment_ids(root) if args.match in a]
        meta["workers"] = measure_workers(root, ids) if ids else None
    rows = evaluate(measures, budgets)
    md, js = write_report(rows, meta, args.out)
    print(md.read_text())
    _log(f"bench: wrote {md} and {js}")
    if args.publish:
        docs = root / "docs"
        write_report(rows, meta, docs)
        _log(f"bench: published {docs / 'bench.md'} and {docs / 'bench.json'}")
    if args.strict_grading and grading_missed(rows):
        _log(
            "bench: grading budget missed: "
            + "; ".join(f"{r.name} ({', '.join(r.over)})" for r in grading_missed(rows))
        )
        return 1
    workers = meta.get("workers")
    if args.strict and workers and (workers["failures"] or not workers["same_scores"]):
        _log(
            f"bench: grading with {workers['workers']} workers failed or changed scores: {workers['failures']}"
        )
        return 1
    return 1 if args.strict and missed(rows) else 0


if __name__ == "__main__":
    sys.exit(main())
