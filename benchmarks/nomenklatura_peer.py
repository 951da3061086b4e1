"""Score name pairs with OpenSanctions' nomenklatura ``logic-v2`` (the peer matcher).

Runs in its own virtual environment (benchmarks/_work/nk-venv, see parties_bench.py), never in
the product's. Reads JSON lines ``{"id", "schema", "left": [names], "right": [names]}`` on
standard input and writes ``{"id", "score", "ms"}`` per line, plus one final
``{"id": "__meta__", "version": ...}`` line. A warm-up comparison (on other entity ids, so no cache is shared) keeps
the loading of nomenklatura's reference data out of the timings.
"""

from __future__ import annotations

import json
import sys
import time
from importlib.metadata import version
from typing import Any

from followthemoney import model
from nomenklatura.matching import get_algorithm
from nomenklatura.matching.types import ScoringConfig


def entity(schema: str, names: list[str], key: str) -> Any:
    proxy = model.make_entity(schema)
    proxy.id = key
    for name in names:
        proxy.add("name", name)
    return proxy


def main() -> None:
    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        raise SystemExit("nomenklatura has no logic-v2")
    config = ScoringConfig.defaults()
    warmed = False
    for line in sys.stdin:
        pair = json.loads(line)
        left = entity(pair["schema"], pair["left"], f"q-{pair['id']}")
        right = entity(pair["schema"], pair["right"], f"r-{pair['id']}")
        if not warmed:  # load reference data outside the timings, on other entity ids
            warm = ("warm-q", "warm-r")
            algorithm.compare(*(entity(pair["schema"], pair["left"], k) for k in warm), config)
            warmed = True
        started = time.perf_counter()
        score = algorithm.compare(left, right, config).score
        elapsed = (time.perf_counter() - started) * 1000
        print(json.dumps({"id": pair["id"], "score": score, "ms": elapsed}), flush=False)
    meta = {"id": "__meta__", "version": version("nomenklatura"), "algorithm": algorithm.NAME}
    print(json.dumps(meta))


if __name__ == "__main__":
    main()
