"""Times numexpr on the batch workload for `npm run bench` (phase 5).

Reads the x and y columns (raw little-endian float64, n each) from the file
named by argv[1], the thread count from argv[2], the wanted sample
duration in seconds from argv[3], and a JSON list of [id, expression] on
stdin. Writes a JSON object: numexpr's version and, per id, the median ns
per row over the samples (each sample about the wanted duration, after a
warm-up, the result written into a preallocated output).
"""

import json
import statistics
import sys
import time

import numexpr
import numpy

path, threads, target = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
data = numpy.fromfile(path, dtype="<f8")
n = data.size // 2
x, y = data[:n], data[n:]
numexpr.set_num_threads(threads)
out = numpy.empty(n)
result = {"version": numexpr.__version__, "nsPerRow": {}}
for expr_id, text in json.load(sys.stdin):
    columns = {"x": x, "y": y}
    # evaluate() compiles and runs once; re_evaluate() runs the last compiled expression again.
    numexpr.evaluate(text, local_dict=columns, out=out)
    run = lambda: numexpr.re_evaluate(local_dict=columns)
    reps = 1
    while True:
        start = time.perf_counter()
        for _ in range(reps):
            run()
        spent = time.perf_counter() - start
        if spent >= target / 2 or reps >= 1_000_000:
            break
        reps *= 2
    samples = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(reps):
            run()
        samples.append((time.perf_counter() - start) * 1e9 / (reps * n))
    result["nsPerRow"][expr_id] = statistics.median(samples)
json.dump(result, sys.stdout)
