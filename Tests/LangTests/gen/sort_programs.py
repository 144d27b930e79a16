# Programs for sorted/list.sort's fast paths (Builtins/Sorting.swift, SortKeys.swift,
# SortKeyPlan.swift, IntSort.swift), run under CPython to make SortProgramTests.
# `python3 gen_sorts.py > ../SortProgramTests.swift` regenerates the test file.
PROGRAMS = {
"ints": r'''
def lcg(n, m, seed=7):
    out = []
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        out.append(seed % m)
    return out
def check(xs):
    a = sorted(xs)
    b = list(xs)
    b.sort()
    c = sorted(xs, reverse=True)
    d = list(xs)
    d.sort(reverse=True)
    ok = all(a[i] <= a[i + 1] for i in range(len(a) - 1)) and a == b and c == d and c == a[::-1]
    return ok, len(a), a[:6], a[-3:], a[len(a) // 2], c[:4]
print(check(lcg(20000, 13)))
print(check([x - 50 for x in lcg(3000, 100)]))
print(check(lcg(300, 2147483648)))
print(check([x * 4294967296 - 3 for x in lcg(5000, 2147483648, 3)]))
print(check([x - 1073741824 for x in lcg(100, 2147483648, 5)]))
big = [9223372036854775807, -9223372036854775807 - 1, 0, -1, 1, 9223372036854775806, -9223372036854775807]
print(sorted(big), sorted(big, reverse=True), sorted(big * 50)[:3], sorted(big * 50)[-3:])
print(sorted([5]), sorted([]), sorted([2, 1]), sorted([1, 1, 1]), sorted([-3, -3, -4], reverse=True))
print(sorted(range(10, 0, -1)), sorted(range(-5, 5)), sorted((3, 1, 2)), sorted({3: 'a', -1: 'b'}), sorted(x % 5 for x in range(12)))
l = [3, 1, 2]
m = l
l.sort()
print(l, m, l is m)
''',
"ints_bools_floats": r'''
mixed = [1, True, 0, False, 1.0, 0.0, -0.0, 2, -1, True, 0.5]
print(sorted(mixed), sorted(mixed, reverse=True))
print([type(x).__name__ for x in sorted(mixed)])
print(sorted([True, False, True, False]), sorted([False, 0, True, 1, 0.0, 1.0], reverse=True))
p = 2 ** 53
print(sorted([p + 1, float(p), p, p - 1, float(p + 2), p + 2]))
print(sorted([float(p), p + 1, p]), sorted([p + 1, float(p), p], reverse=True))
q = 9223372036854775807
print(sorted([q, float(q), q - 1, 9.2233720368547748e18]), sorted([-q - 1, float(-q - 1), -q]))
print(sorted([0.1, -0.0, 0.0, -1e300, 1e-300, float('inf'), -float('inf'), 5e-324, -5e-324]))
print(sorted([-0.0, 0.0, -0.0, 0.0]), sorted([0.0, -0.0], reverse=True), sorted([0, -0.0, 0.0, False]))
print(sorted([2.5, 1, 3, 1.5, True]), sorted([1, 2.0, 1.0, 2], reverse=True))
''',
"floats": r'''
def lcg(n, seed=11):
    out = []
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        out.append(seed / 2147483648.0 - 0.5)
    return out
xs = lcg(2000)
a = sorted(xs)
print(all(a[i] <= a[i + 1] for i in range(len(a) - 1)), a[:3], a[-2:], sorted(xs, reverse=True)[:2])
print(sorted([3.5, -2.25, 1e10, -1e-10, 0.0]), sorted([1.5, 1.5, -1.5], reverse=True))
ys = [('a', 0.5), ('b', -0.0), ('c', 0.0), ('d', -1.5), ('e', 0.5), ('f', -0.0)]
print(sorted(ys, key=lambda t: t[1]), sorted(ys, key=lambda t: t[1], reverse=True), sorted(ys, key=lambda t: -t[1]))
''',
"strings": r'''
words = ['b', 'a', 'B', '\u00e9', 'e\u0301', 'e', 'f', '', 'ab', 'aa', 'a', '\U0001f600', '\U0001f600a', '\uffff', '\U00010000',
         'abcdefgh', 'abcdefghi', 'abcdefgh\x00', 'abcdefg', 'ab\x00', 'ab\x00\x00', 'abcdefghij', 'abcdefghiJ', 'z' * 20, 'z' * 19 + 'y',
         '\u00e9t\u00e9', '\u00e9te', 'Zebra', 'zebra', '\u0101', '\u00ff', '\x7f', '\x80', '\u00e9\u00e9\u00e9\u00e9\u00e9', '\u00e9\u00e9\u00e9\u00e9e']
# Joined, not printed as lists: the reprs of '\x80' and '\uffff' are not what is tested here.
print('|'.join(sorted(words)))
print('|'.join(sorted(words, reverse=True)))
print('|'.join(sorted(words, key=lambda w: w[::-1])))
l = list(words)
l.sort(key=lambda w: (len(w), w))
print('|'.join(l))
print('|'.join(w for w, n in sorted([(w, len(w)) for w in words], key=lambda t: (-t[1], t[0]))))
print(sorted(['\u00e9', 'e\u0301']), sorted(['e\u0301', '\u00e9']), 'e\u0301' < '\u00e9', '|'.join(sorted(['\U0001f600', '\uffff', '\ud7ff'])))
print(sorted(['b', 'a', 'b', 'a'], reverse=True), sorted('hello'), sorted('h\u00e9llo w\u00f6rld'))
print(sorted([str(i) for i in range(25)]))
''',
"tuple_keys": r'''
pairs = [('b', 2), ('a', 2), ('c', 3), ('\u00e9', 1), ('z', 1), ('Z', 1), ('e\u0301', 1), ('ab', 2), ('a', 2)]
print(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
print(sorted(pairs, key=lambda kv: (-kv[1], kv[0]), reverse=True))
print(sorted(pairs, key=lambda kv: (kv[1], kv[0])), sorted(pairs, key=lambda kv: kv[-1]), sorted(pairs, key=lambda kv: -kv[1]))
print(sorted(pairs), sorted(pairs, reverse=True))
d = {}
for w in ['x', 'y', 'x', 'z', 'y', 'x', 'w', '\u00e9', '\u00e9']:
    d[w] = d.get(w, 0) + 1
print(sorted(d.items(), key=lambda kv: (-kv[1], kv[0])), sorted(d.items(), key=lambda kv: kv[1]), sorted(d.items()))
def key(kv):
    return (kv[1], -kv[0])
print(sorted([(1, 2), (3, 2), (2, 1), (5, 1)], key=key))
three = [(1, 'b', 0.5), (1, 'a', 0.5), (0, 'b', -1.0), (1, 'a', -0.0), (1, 'a', 0.0)]
print(sorted(three), sorted(three, key=lambda t: (t[2], t[1], -t[0])), sorted(three, key=lambda t: (t[1], t[2]), reverse=True))
print(sorted([(True, 'x'), (0, 'y'), (1, 'a'), (False, 'b')]), sorted([(1, 2), (1, 2.5), (0, 3)]), sorted([(2,), (1, 0), (1,), ()]))
lists = [[v % 4, 'n' + str(v % 9), (v % 5) / 2] for v in range(90)]
print(sorted(lists)[::7], sorted(lists, reverse=True)[::11], sorted([[2, 1], [1], [1, 0], []]), sorted([[1.5, 'a'], [1, 'b'], [True, 'c']]))
print(sorted([[2, 'b'], [1, 'c'], [2, 'a']], key=lambda l: (-l[0], l[1])), sorted([[2, 'b'], [1, 'c']], key=lambda l: l[1]))
print(sorted([(1, (2, 'a')), (1, (1, 'z'))]), sorted([((1, 'b'), 0), ((1, 'a'), 1)], key=lambda t: t[0]))
rows = [(i % 4, 'r' + str(i % 3), i) for i in range(30)]
print(sorted(rows, key=lambda r: (r[0], r[1])), sorted(rows, key=lambda r: (r[1],), reverse=True)[:6])
print(sorted([('a', True), ('b', 0), ('c', 1), ('d', False)], key=lambda t: (t[1], t[0])), sorted([('a', True), ('b', False)], key=lambda t: -t[1]))
''',
"key_fallbacks": r'''
items = [(1, 'a'), {0: 'z', 1: 0}, (0, 'b')]
print(sorted(items, key=lambda kv: kv[1] if isinstance(kv, tuple) else 'q'), sorted(items, key=lambda kv: (kv[0],) if isinstance(kv, tuple) else (5,)))
print(sorted([(1, 'a'), {0: 'z', 1: 'c'}, [2, 'b']], key=lambda kv: kv[1]), sorted([(1, 'a'), {0: 'z', 1: 'c'}], key=lambda kv: (kv[1], 0)))
print(sorted([(1, 'x'), (2, 5)], key=lambda t: (t[0], -t[0])), sorted([(1, 2.5), (2, 1)], key=lambda t: (t[1],)), sorted([(1, 2.5), (2, 1)], key=lambda t: -t[1]))
print(sorted(['ab', 'ba', 'c'], key=lambda s: s[0]), sorted(['ab', 'ba', 'ca'], key=lambda s: (s[1], s[0])), sorted([(3, 'c'), (1, 'a')], key=lambda t: t))
print(sorted([(1, [2]), (0, [1])], key=lambda t: t[1]), sorted([((1, 2), 'a'), ((0, 5), 'b')], key=lambda t: t[0][1]), sorted([5, -3, 2], key=lambda x: -x))
print(sorted([(1, None), (0, None)], key=lambda t: t[0]), sorted([2, 3, 1], key=lambda x: (x,)), sorted([2, 3, 1], key=lambda x: (-x, x)))
print(sorted([(0.5, 'a'), (1, 'b'), (0, 'c')], key=lambda t: (t[0], t[1])), sorted([(float('nan'), 1), (0.0, 2)], key=lambda t: t[1]))
print(sorted(['ccc', 'a', (1, 2), 'bb', '\u00e9\u00e9', [1], {'k': 1}, 'e\u0301', range(3)], key=len), sorted(['bb', 'a', 'cc', ''], key=len, reverse=True))
scores = {'ann': 3, 'bob': 1, 'cid': 3, 'dan': 2.5, 'eve': -1, 'fay': True}
print(sorted(scores, key=scores.get), sorted(scores, key=scores.get, reverse=True), sorted(['eve', 'ann', 'zed'][:2], key=scores.get))
print(sorted(['cid', 'ann'], key={'ann': 'b', 'cid': 'a'}.get), sorted([1, 2.0, True], key={1: 'x', 2: 'a'}.get))
print(sorted(['b', 'a'], key=None), sorted([3, 1], key=None, reverse=1), sorted([1, 3, 2], reverse=0), sorted([(2, 'a'), (1, 'b')], key=lambda t: t[1], reverse=True))
''',
"reverse_stability": r'''
recs = [('ann', 3), ('bob', 1), ('cid', 3), ('dan', 2), ('eve', 1), ('fay', 3), ('gus', 2)]
print(sorted(recs, key=lambda r: r[1], reverse=True))
print(sorted(recs, key=lambda r: (r[1],), reverse=True))
print(sorted(recs, key=lambda r: -r[1], reverse=True))
print(sorted(recs, key=lambda r: str(r[1]), reverse=True))
print(sorted(recs, key=lambda r: float(r[1]), reverse=True))
print(sorted(recs, key=lambda r: r[1] > 1, reverse=True))
print(sorted(recs, key=lambda r: r[1] % 2 == 0))
objs = [1, 1.0, True, 2, 2.0]
print([type(x).__name__ for x in sorted(objs, reverse=True)], [type(x).__name__ for x in sorted(objs)])
many = [(i % 5, i) for i in range(60)]
print(sorted(many, key=lambda t: t[0], reverse=True)[:15])
l = list(many)
l.sort(key=lambda t: t[0], reverse=True)
print(l == sorted(many, key=lambda t: t[0], reverse=True), l[-5:])
''',
"list_sort_in_place": r'''
l = [5, 4, 3]
print(l.sort(key=lambda x: len(l)), l)
try:
    l.sort(key=lambda x: l.append(x) or x)
except ValueError as e:
    print('ValueError', e, l)
l = [3, 'a', 1]
try:
    l.sort()
except TypeError as e:
    print('TypeError', e, len(l))
l = [3, 2, 1]
def bad(x):
    if x == 2:
        raise KeyError('two')
    return x
try:
    l.sort(key=bad)
except KeyError as e:
    print('KeyError', e, l)
seen = []
l = ['b', 'c', 'a']
l.sort(key=lambda x: seen.append(len(l)) or x)
print(l, seen)
t = [2, 1]
u = t
t.sort(reverse=True)
print(t, u, t is u)
''',
"errors_caught": r'''
def show(f):
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
show(lambda: sorted([1, 'a']))
show(lambda: sorted(['a', 1]))
show(lambda: sorted([(1, 'a'), (1, 2)]))
show(lambda: sorted([1, None]))
show(lambda: sorted([[1], (1,)]))
show(lambda: sorted([{1: 2}, {3: 4}]))
show(lambda: sorted([1.5, 'x']))
show(lambda: sorted([(1, 'a'), (0, 'b')], key=lambda kv: kv[2]))
show(lambda: sorted([(1, 'a'), (0, 'b')], key=lambda kv: -kv[1]))
show(lambda: sorted([(1, 'a'), (0, 'b')], key=lambda kv: (-kv[0], -kv[1])))
show(lambda: sorted([(1, 'a'), 5], key=lambda kv: kv[0]))
show(lambda: sorted([(1, 'a'), [0]], key=lambda kv: (kv[0], kv[1])))
show(lambda: sorted([1, 2], key=len))
show(lambda: sorted([1, 2], key=5))
show(lambda: sorted(5))
show(lambda: sorted([[1, 'a'], (1, 'b')]))
show(lambda: sorted([[1, 'a'], [1, 2]]))
show(lambda: sorted(['ann', 'zed'], key={'ann': 1}.get))
show(lambda: sorted(['ann', [1]], key={'ann': 1}.get))
for r in [None, 1.5, 'x', 2, -1, True, 0]:
    show(lambda: sorted([1, 3, 2], reverse=r))
    l = [1, 3, 2]
    show(lambda: l.sort(reverse=r) or l)
show(lambda: sorted([tuple(range(40)), tuple(range(39)) + (-1,), tuple(range(40))], reverse=True))
''',
"column_radix": r'''
# 64 keys or more whose strs fit in seven bytes are radix-sorted by column; longer strs merge.
def lcg(n, seed, m):
    out = []
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        out.append(seed % m)
    return out
words = ['w' + str(v) for v in lcg(3000, 9, 700)]
counts = {}
for w in words:
    counts[w] = counts.get(w, 0) + 1
pairs = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
print(len(pairs), pairs[:8], pairs[-5:])
print(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]), reverse=True)[:8])
print(sorted(counts.items(), key=lambda kv: kv[1])[:8], sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:8])
print(sorted(counts.items(), key=lambda kv: (kv[1] % 3, kv[0][-1]))[::40])
alphabet = ['', 'a', 'ab', 'ab\x00', 'ab\x00\x00', 'b', '\u00e9', 'e\u0301', 'zz', '\U0001f600', 'abcdefg', 'abcdef', 'abcdefh']
recs = [(alphabet[v % 13], v % 5 - 2, (v % 7) * 0.5 - 1.0, v % 2 == 0, i) for i, v in enumerate(lcg(400, 4, 1000))]
a = sorted(recs, key=lambda r: (r[0], r[1]))
print([(r[0], r[1], r[4]) for r in a[::23]])
b = sorted(recs, key=lambda r: (r[2], r[3], r[0]), reverse=True)
print([(r[2], r[3], r[0], r[4]) for r in b[::23]])
c = sorted(recs, key=lambda r: (r[3], -r[1]))
print([(r[3], r[1], r[4]) for r in c[::29]])
d = sorted(recs, key=lambda r: r[0], reverse=True)
print([(r[0], r[4]) for r in d[::31]])
e = sorted([r[0] + 'xyzxyz' for r in recs])
print(e[::37])
f = sorted([r[2] for r in recs], reverse=True)
print(f[::41], sorted([-0.0, 0.0] * 40)[:3], sorted([r[3] for r in recs])[195:205])
long = ['k' * (v % 70) + chr(97 + v % 3) + '\x00' * (v % 2) + '\u00e9' * (v % 5 == 0) for v in lcg(300, 21, 1000)]
mid = [t for t in long if len(t) + t.count('\u00e9') <= 63]
for ws in [long, mid, long[:50], mid[:50]]:
    print(len(ws), [(len(t), t[-2:]) for t in sorted(ws)][::9], [(len(t), t[-2:]) for t in sorted(ws, reverse=True)][::11])
print([(r[0], len(r[1])) for r in sorted([(v % 3, long[v % 300]) for v in lcg(200, 5, 1000)], key=lambda r: (r[1], -r[0]))][::13])
big = [(v - 500) * 18014398509481984 + v for v in lcg(200, 12, 1000)]
print(sorted(big)[::25], sorted([(x, str(x)[:3]) for x in big], key=lambda t: (t[1], -t[0]))[::25])
''',
"nan_timsort": r'''
# NaN compares false both ways: the order depends on the algorithm's exact comparisons,
# CPython's timsort (natural runs, binary insertion to minrun, powersort merges, galloping).
nan = float('nan')
def lcg(n, seed, m):
    out = []
    for i in range(n):
        seed = (seed * 1103515245 + 12345) % 2147483648
        out.append(seed % m)
    return out
print(sorted([3.0, nan, 1.0, 2.0]), sorted([nan, 2.0, 1.0]), sorted([2.0, 1.0, nan, 0.5, -1.0]), sorted([1, nan, 0, True, 0.5]))
for n, seed in [(10, 1), (63, 2), (64, 3), (65, 4), (200, 5), (1000, 6), (2500, 7)]:
    xs = [nan if v % 11 == 0 else float(v % 97) for v in lcg(n, seed, 100000)]
    a = sorted(xs)
    b = sorted(xs, reverse=True)
    l = list(xs)
    l.sort(key=lambda v: v)
    print(n, a[:12], a[n // 2:n // 2 + 8], a[-12:], b[:8], b[-4:], l == a or str(l) == str(a))
ys = [(i, nan if i % 3 == 0 else float(i % 7)) for i in range(300)]
print(sorted(ys, key=lambda t: t[1])[::13])
print(sorted(ys, key=lambda t: -t[1], reverse=True)[::17])
def show(f):
    try:
        print(f())
    except TypeError as e:
        print('TypeError', e)
show(lambda: sorted([3, 1, 'a', 2]))
show(lambda: sorted([1, 3, 'a', 2]))
show(lambda: sorted(list(range(100)) + ['x'] + list(range(50))))
show(lambda: sorted([(1, 'a')] * 30 + [(1, 2)] + [(0, 'b')] * 40))
show(lambda: sorted(['b', 'a', None], reverse=True))
''',
}

# Uncaught errors: the message and every frame's line (and function) are CPython's.
ERRORS = {
"key_lambda_raises": r'''
xs = [3, 1, 2]
ys = sorted(xs,
            key=lambda x: 1 / (x - 2))
''',
"key_def_raises": r'''
def key(kv):
    return (kv[1], kv[0])
pairs = [('a', 1), ('b',)]
pairs.sort(key=key)
''',
"key_plan_index_error": r'''
pairs = [('a', 1), ('b', 2), ('c',)]
print(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
''',
"key_plan_bad_operand": r'''
pairs = [('a', 1), ('b', 'x')]
print(sorted(pairs, key=lambda kv: -kv[1]))
''',
"compare_type_error": r'''
words = ['a', 'b']
words.append(3)
words.sort()
''',
"modified_during_sort": r'''
xs = [1, 2, 3]
def grow(x):
    xs.append(x)
    return x
xs.sort(key=grow)
''',
}
