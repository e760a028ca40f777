"""One cold W2 run in pandas: `python3 bench/w2-pandas.py <columns file> <rows>`.

Reads the columns written by w2-contenders.ts (value Float64 with NaN for null, id Int32, group code
Uint8, flag Uint8), builds the DataFrame (group as text, object dtype, as read_csv gives it; not
timed), times the five steps once and prints {ms, cpuMs, checksum, rows} as JSON, like w2-cold.ts.
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def checksum(rows):
    """FNV-1a 32 over the lines `group:count:mean` (12 decimals), as in w2-contenders.ts."""
    h = 0x811C9DC5
    for row in rows:
        for ch in f"{row['group']}:{row['count']}:{row['mean']:.12f}\n".encode():
            h = ((h ^ ch) * 0x01000193) & 0xFFFFFFFF
    return f"{h:08x}"


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    raw = open(path, "rb").read()
    value = np.frombuffer(raw, np.float64, n, 0)
    ids = np.frombuffer(raw, np.int32, n, 8 * n)
    codes = np.frombuffer(raw, np.uint8, n, 12 * n)
    flag = np.frombuffer(raw, np.uint8, n, 13 * n).astype(bool)
    names = np.array([f"g{g:02d}" for g in range(100)], dtype=object)
    df = pd.DataFrame({"id": ids, "group": names[codes], "value": value, "flag": flag})

    t0 = time.perf_counter()
    c0 = time.process_time()
    out = df.dropna(subset=["value"])
    out = out[out["value"] > 0.2]
    out = out.assign(value2=out["value"] * 2 + 1)
    out = out.groupby("group", sort=False).agg(count=("value2", "size"), mean=("value2", "mean")).reset_index()
    out = out.sort_values("group")
    ms = (time.perf_counter() - t0) * 1000
    cpu_ms = (time.process_time() - c0) * 1000

    rows = [
        {"group": g, "count": int(c), "mean": float(m)}
        for g, c, m in zip(out["group"], out["count"], out["mean"])
    ]
    print(json.dumps({"ms": ms, "cpuMs": cpu_ms, "checksum": checksum(rows), "rows": rows, "pandas": pd.__version__}))


main()
