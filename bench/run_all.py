"""Run every benchmark in bench/ (each `bench/<topic>.py`) at one size, one process each.

    python -m bench.run_all --size small|full [--only topic ...]

Each benchmark prints its figures as its last line, one JSON object (DESIGN.md, "Quality bars").
This runner shows their output as it comes, then a summary, then one JSON list of those objects as
its own last line. It fails when a benchmark fails, prints no figures, or loses or duplicates rows.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOT_BENCHMARKS = {"__init__", "run_all"}
MUST_BE_ZERO = ("lost", "duplicates")


def topics() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.py") if p.stem not in NOT_BENCHMARKS and not p.stem.startswith("_"))


def run_one(topic: str, size: str) -> tuple[dict | None, float]:
    """Run `python -m bench.<topic> --size <size>`, echoing its output; its last line parsed."""
    started = time.perf_counter()
    command = [sys.executable, "-m", f"bench.{topic}", "--size", size]
    process = subprocess.Popen(command, cwd=HERE.parent, stdout=subprocess.PIPE, text=True, bufsize=1)
    last = ""
    for line in process.stdout:
        print(line, end="", flush=True)
        last = line.strip() or last
    process.wait()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        return None, seconds
    try:
        figures = json.loads(last)
    except json.JSONDecodeError:
        return None, seconds
    return figures if isinstance(figures, dict) and "bench" in figures else None, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=("small", "full"), default="small")
    parser.add_argument("--only", nargs="+", metavar="TOPIC", help="run these benchmarks only")
    args = parser.parse_args(argv)
    chosen = args.only or topics()
    unknown = set(chosen) - set(topics())
    if unknown:
        parser.error(f"no such benchmark: {', '.join(sorted(unknown))}")
    results, failed = [], []
    for topic in chosen:
        print(f"== {topic} ({args.size})", flush=True)
        figures, seconds = run_one(topic, args.size)
        if figures is None:
            failed.append(f"{topic}: failed or printed no JSON figures")
            continue
        bad = [f"{key}={figures[key]}" for key in MUST_BE_ZERO if figures.get(key)]
        if bad:
            failed.append(f"{topic}: {', '.join(bad)}")
        results.append(figures | {"wall_seconds": round(seconds, 1)})
    print()
    print(f"{'benchmark':<22}{'value':>12} {'unit':<10}{'reference':>12}{'ratio':>8}")
    for figures in results:
        print(
            f"{figures['bench']:<22}{figures.get('value', ''):>12} {figures.get('unit', ''):<10}"
            f"{figures.get('reference', ''):>12}{figures.get('ratio', ''):>8}"
        )
    for problem in failed:
        print(f"FAILED {problem}")
    print(json.dumps(results, ensure_ascii=False))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
