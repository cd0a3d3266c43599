"""pysubgroup's DFS on candidate clauses exported by discover-stages.ts, timed.

argv: META.json CLAUSES.u8 — meta: {rows, depth, k, runs, fields: [field per clause]};
the .u8 file: rows × clauses bytes (1 = the clause holds), then one byte per
row for the target. Each clause is a selector whose attribute is its field,
so pysubgroup's DFS, like ours, takes one condition per field. After a
warm-up run, the DFS runs `runs` times. Prints JSON: the median wall and CPU
seconds, and the top-k qualities.
"""
import json
import statistics
import sys
import time

import numpy as np
import pandas as pd
import pysubgroup as ps


class ClauseSelector(ps.EqualitySelector):
    """`column == True`, grouped under the clause's field."""

    def __init__(self, column, field):
        self._field = field
        super().__init__(column, True)

    @property
    def attribute_name(self):
        return self._field

    def covers(self, data):
        return data[self._attribute_name].to_numpy()


meta = json.load(open(sys.argv[1]))
rows = meta["rows"]
fields = meta["fields"]
raw = np.fromfile(sys.argv[2], dtype=np.uint8)
matrix = raw[: rows * len(fields)].reshape(rows, len(fields)).astype(bool)
columns = {f"c{i}": matrix[:, i] for i in range(len(fields))}
columns["target"] = raw[rows * len(fields):].astype(bool)
data = pd.DataFrame(columns)
selectors = [ClauseSelector(f"c{i}", field) for i, field in enumerate(fields)]
target = ps.BinaryTarget("target", True)
task = ps.SubgroupDiscoveryTask(data, target, selectors, result_set_size=meta["k"], depth=meta["depth"], qf=ps.WRAccQF())
runs = meta.get("runs", 1)
walls, cpus = [], []
result = ps.DFS(ps.BitSetRepresentation).execute(task)  # warm-up, as the bench does for ours
for _ in range(runs):
    start, start_cpu = time.perf_counter(), time.process_time()
    result = ps.DFS(ps.BitSetRepresentation).execute(task)
    walls.append(time.perf_counter() - start)
    cpus.append(time.process_time() - start_cpu)
print(json.dumps({"seconds": statistics.median(walls), "cpuSeconds": statistics.median(cpus), "qualities": sorted((float(q) for q, *_ in result.results), reverse=True)}))
