# Lists and dicts: word counts, a sort by count then word, a sorted list of ints.
# Runs unchanged under CPython and Tensorpad. Prints the median seconds per call, then the result.
import time

words = []
seed = 12345
for i in range(20000):
    seed = (seed * 1103515245 + 12345) % 2147483648
    words.append("w" + str(seed % 700))

def count_and_sort(words):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    pairs = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    lengths = [len(w) * 7 % 13 for w in words]
    lengths.sort()
    seen = []
    for w, c in pairs:
        if c > 30:
            seen.append(w)
    return pairs[0], lengths[len(lengths) // 2], len(seen)

count_and_sort(words)
ts = []
for rep in range(5):
    t0 = time.perf_counter()
    r = count_and_sort(words)
    ts.append(time.perf_counter() - t0)
ts.sort()
print(ts[2])
print(r)
