"""What one question costs in CPU, for questions built to be expensive: a normal question, 2,000
characters of words, one letter followed by 1,990 combining accents, and marks spread over words.

  python bench/question_cost.py [--index-dir DIR] [--repeat 3]

Each question is asked once per round with a new suffix, so no cache answers it; the figure is the
process's CPU time (all threads) per question, the median over the rounds. Figures, not assertions.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORDS = "tỷ lệ hộ nghèo năm 2025 giảm bao nhiêu phần trăm so với kế hoạch của tỉnh "


def questions(n: int) -> dict[str, str]:
    return {
        "normal question": f"chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu {n}",
        "2,000 characters of words": (f"{n} " + WORDS * 40)[:2000],
        "1 letter + 1,990 combining marks": f"{n} a" + "\u0301" * 1990,
        "words each with 40 combining marks": (f"{n} " + "tỷ" + "\u0323" * 40 + " lệ ") * 45,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", help="an index of data/ (default NQ_INDEX_DIR)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)

    from answering.chain import Assistant
    from errors import InputError
    from settings import Settings

    assistant = Assistant(Settings.from_env(index_dir=args.index_dir))
    assistant.ensure_index()
    assistant.warm_up()
    assistant.ask("ai ký nghị quyết")
    cost: dict[str, list[float]] = {}
    outcome: dict[str, str] = {}
    for n in range(args.repeat):
        for name, question in questions(n).items():
            t0 = time.process_time()
            try:
                answer = assistant.ask(question)
                outcome[name] = f"answered ({len(answer.question)} characters searched)"
            except InputError as exc:
                outcome[name] = f"refused: {exc.message_vi}"
            cost.setdefault(name, []).append(time.process_time() - t0)
    for name, seconds in cost.items():
        print(f"{name:36s} {statistics.median(seconds) * 1000:9.1f} ms CPU  {outcome[name]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
