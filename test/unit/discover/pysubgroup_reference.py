"""Reference results of pysubgroup 0.9.0 on credit-g (shipped inside the package).

Prints JSON: the selectors (attribute and covered rows), the target rows, and for
each depth the top-10 WRAcc of pysubgroup's DFS (one condition per attribute)
and Apriori (any combination), with their times. Used by
pysubgroup-conformance.test.ts; run with the venv's python.
"""
import json
from importlib.metadata import version
import sys
import time

import numpy as np
import pysubgroup as ps
from pysubgroup.datasets import get_credit_data

depths = [int(d) for d in sys.argv[1].split(",")] if len(sys.argv) > 1 else [1, 2, 3, 4]
data = get_credit_data()
target = ps.BinaryTarget("class", b"bad")
selectors = ps.create_selectors(data, ignore=["class"])
target_rows = np.flatnonzero(target.covers(data)).tolist()

exported = []
for sel in selectors:
    rows = np.flatnonzero(np.asarray(sel.covers(data), dtype=bool)).tolist()
    exported.append({"attribute": sel.attribute_name, "text": str(sel), "rows": rows})

runs = []
for depth in depths:
    for name, algorithm in (("dfs", ps.DFS(ps.BitSetRepresentation)), ("apriori", ps.Apriori())):
        task = ps.SubgroupDiscoveryTask(data, target, selectors, result_set_size=10, depth=depth, qf=ps.WRAccQF())
        start = time.perf_counter()
        result = algorithm.execute(task)
        seconds = time.perf_counter() - start
        qualities = sorted((float(q) for q, _sg, *rest in result.results), reverse=True)
        runs.append({"algorithm": name, "depth": depth, "qualities": qualities, "seconds": seconds,
                     "subgroups": [str(sg) for _q, sg, *rest in result.results]})

json.dump({"version": version("pysubgroup"), "rows": len(data), "target": target_rows, "selectors": exported, "runs": runs}, sys.stdout)
