"""Runs the gold set (in-process or against a deployment) and writes the report."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Callable

from eval.metrics import Metrics

# Headline metrics the CI gate compares with eval/baseline.json (higher is better).
HEADLINE = ("answer_accuracy", "citation_hit_at_1", "citation_hit_at_3", "refusal_accuracy")


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _http_answerer(url: str) -> Callable[[dict], dict]:
    import httpx

    client = httpx.Client(base_url=url.rstrip("/"), timeout=60)

    def answer(item: dict) -> dict:
        resp = client.post("/api/ask", json={"question": item["question"], "history": item.get("history")})
        resp.raise_for_status()
        return resp.json()

    return answer


def _local_answerer(retriever: str, embeddings: str | None, llm: str | None = None) -> Callable[[dict], dict]:
    from answering.chain import Assistant
    from settings import Settings

    settings = Settings.from_env(embeddings=embeddings, llm=llm)
    assistant = Assistant(settings, retriever_mode=retriever)
    assistant.ensure_index()
    assistant.warm_up()
    return lambda item: assistant.ask(item["question"], item.get("history"), qid=item["id"]).to_dict()


def evaluate(gold: list[dict], answer: Callable[[dict], dict]) -> Metrics:
    m = Metrics()
    for item in gold:
        m.add(item, answer(item))
    return m


def markdown(m: Metrics, title: str) -> str:
    s = m.summary()
    lines = [f"# {title}", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in s.items()]
    lines += ["", "## Per category", "", "| category | correct | total | % |", "|---|---|---|---|"]
    for cat, (ok, n) in sorted(m.per_category.items()):
        lines.append(f"| {cat} | {ok} | {n} | {100.0 * ok / n:.1f} |")
    lines += ["", f"## Misses ({len(m.misses)})", ""]
    for miss in m.misses:
        lines.append(f"- **{miss['id']}** ({miss['category']}) {miss['question']}  ")
        lines.append(f"  expected {miss['expect']}; found={miss['found']}, citation_ok={miss['citation_ok']}, "
                     f"mode={miss.get('mode')}; answer: {miss['answer'][:300]}")
        if miss.get("warnings"):
            lines.append(f"  warnings: {'; '.join(miss['warnings'])}")
    return "\n".join(lines) + "\n"


def below_baseline(summary: dict, baseline: dict) -> list[str]:
    return [f"{k}: {summary.get(k)} < baseline {baseline[k]}" for k in HEADLINE
            if k in baseline and summary.get(k, 0) < baseline[k]]


def run_eval(args) -> int:
    gold = load_jsonl(Path(args.gold))
    categories = getattr(args, "category", None)
    if categories:
        gold = [item for item in gold if item.get("category") in categories]
    llm = getattr(args, "llm", None)
    answer = _http_answerer(args.url) if args.url else _local_answerer(args.retriever, args.embeddings, llm)
    m = evaluate(gold, answer)
    s = m.summary()
    title = f"Evaluation: {Path(args.gold).name}, retriever={args.retriever}" + (f", url={args.url}" if args.url else "")
    title += f", llm={llm}" if llm else ""
    title += f", categories={','.join(categories)}" if categories else ""
    print(markdown(m, title).split("## Misses")[0].rstrip())
    print(f"\nmisses: {len(m.misses)} (see --report for the list)")
    print("answers by mode: " + ", ".join(f"{k}={v}" for k, v in sorted(m.modes.items())))
    if args.report:
        Path(args.report).write_text(markdown(m, title), encoding="utf-8")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps({**s, "modes": dict(m.modes)}, indent=2), encoding="utf-8")
    if args.baseline and Path(args.baseline).exists():
        failures = below_baseline(s, json.loads(Path(args.baseline).read_text()))
        if failures:
            print("BELOW BASELINE:\n  " + "\n  ".join(failures), file=sys.stderr)
            return 1
    return 0
