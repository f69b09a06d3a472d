"""The mutation score per module, after `mutmut run` (issue #19).

    .venv/bin/python -m tests.mutation.score      (`make mutate` runs mutmut, then this)

mutmut changes one operator, value, argument or `raise` of a critical module at a time
and runs the tests that call the changed function; a mutant that no test notices
"survived" and points at a rule the suite does not hold. This prints, per module of
`[tool.mutmut] only_mutate` in pyproject.toml, how many mutants were killed and the
score, then every survivor (see one with `.venv/bin/mutmut show NAME`), and the lines
excluded with `# pragma: no mutate` together with the reason written beside them.

A measurement like `make bench`, not a test: it reports and exits 0.
"""

import json
import re
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MUTANTS = ROOT / "mutants"
TARGET = 90.0

# mutmut's exit codes for a mutant (mutmut.stats.status_by_exit_code).
KILLED = {1, 3}
TIMEOUT = {24, -24, 36, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}
NOT_RUN = {None, 2, 34, 37}


def modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["mutmut"]["only_mutate"]


def results(module: str) -> dict[str, int | None]:
    meta = MUTANTS / f"{module}.meta"
    if not meta.exists():
        return {}
    return json.loads(meta.read_text())["exit_code_by_key"]


def verdict(exit_code) -> str:
    if exit_code in KILLED or exit_code in TIMEOUT:
        return "killed"
    if exit_code in SURVIVED:
        return "survived"
    if exit_code in NO_TESTS:
        return "no tests"
    if exit_code in NOT_RUN:
        return "not run"
    return "suspicious"


def excluded_lines(module: str) -> list[tuple[int, str]]:
    """The lines kept from mutation, with the reason written after the pragma or, where
    it would not fit there, in the comment line just above."""
    lines = (ROOT / module).read_text().splitlines()
    found = []
    for number, line in enumerate(lines, start=1):
        match = re.search(r"#\s*pragma: no mutate(?: block| start)?[,:]?\s*(.*)$", line)
        if not match:
            continue
        reason = match.group(1).strip()
        above = lines[number - 2].strip() if number > 1 else ""
        if not reason and above.startswith("#"):
            reason = above.lstrip("# ")
        found.append((number, reason or "(no reason given)"))
    return found


def main() -> None:
    if not MUTANTS.exists():
        print("No mutants/ folder: run `make mutate` (or `.venv/bin/mutmut run`) first.")
        return
    rows, survivors, excluded = [], [], []
    for module in modules():
        counts = Counter()
        for name, exit_code in sorted(results(module).items()):
            status = verdict(exit_code)
            counts[status] += 1
            if status in {"survived", "no tests", "suspicious"}:
                survivors.append((module, name, status))
        excluded += [(module, number, reason) for number, reason in excluded_lines(module)]
        judged = counts["killed"] + counts["survived"] + counts["no tests"] + counts["suspicious"]
        score = 100 * counts["killed"] / judged if judged else None
        rows.append((module, judged, counts["killed"], counts["not run"], score))

    print(f"\n{'module':<32} {'mutants':>8} {'killed':>7} {'score':>7}  target ≥ {TARGET:.0f} %")
    for module, judged, killed, not_run, score in rows:
        if score is None:
            print(f"{module:<32} {'—':>8} {'—':>7} {'—':>7}  not measured")
            continue
        mark = "PASS" if score >= TARGET else "MISS"
        note = f" ({not_run} not run)" if not_run else ""
        print(f"{module:<32} {judged:>8} {killed:>7} {score:>6.1f}%  {mark}{note}")
    total_judged = sum(row[1] for row in rows)
    total_killed = sum(row[2] for row in rows)
    if total_judged:
        total = 100 * total_killed / total_judged
        print(f"{'all':<32} {total_judged:>8} {total_killed:>7} {total:>6.1f}%")

    if survivors:
        print("\nSurvivors (`.venv/bin/mutmut show NAME` shows the change):")
        for _module, name, status in survivors:
            print(f"  {name}  [{status}]")
    if excluded:
        print("\nNot mutated (`# pragma: no mutate`), as equivalent mutants:")
        for module, number, reason in excluded:
            print(f"  {module}:{number}  {reason}")


if __name__ == "__main__":
    main()
