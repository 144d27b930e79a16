# Many small function calls: recursive fib(25). Runs unchanged under CPython and
# Tensorpad. Prints the median seconds per call, then the result.
import time

def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)

fib(15)
ts = []
for rep in range(5):
    t0 = time.perf_counter()
    r = fib(25)
    ts.append(time.perf_counter() - t0)
ts.sort()
print(ts[2])
print(r)
