# Programs run under CPython to produce the expected output of LangTests.
# `python3 gen.py > ../ProgramTests.swift` regenerates the test file.
PROGRAMS = {
"arithmetic": r'''
print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3, 2 ** 10, 2 ** -1, 7 / 2)
print(1 / 3, 4 / 3, 0.1 + 0.2, 1e-05, 1e16, 123456789.0, 1.5e300 * 1e10, -0.0)
print(7.5 // 2, -7.5 // 2, 7.5 % 2, -7.5 % 2, 2 ** 3 ** 2, -2 ** 2, (-2) ** 2)
print(1 + 2 * 3 - 4 / 2, (1 + 2) * 3, 10 - 3 - 2, 2 * 3 % 4, not 1 == 2)
print(True + True, 3 * True, 0x1F, 1_000_000, 0b101, 0o17, 1e3, .5, 5.)
print(abs(-3), abs(-2.5), round(2.5), round(3.5), round(2.675, 2), round(1.23456, 3), int(-3.9), float(3))
print(divmod(7, -2), pow(2, 8), min(3, 1, 2), max([4, 9, 2]), sum([1, 2, 3]), sum([0.5, 0.25], 1))
''',
"comparisons": r'''
x = 5
print(1 < x < 10, 1 < x > 10, x == 5.0, x != 5, 'a' < 'b', [1, 2] < [1, 3], (1, 2) == (1, 2))
print(3 in [1, 2, 3], 4 not in (1, 2), 'el' in 'hello', 'k' in {'k': 1}, None is None, x is not None)
print(1 and 2, 0 or 'x', '' or [], 1 if x > 3 else 2, not [], [] == [], [1] == (1,))
''',
"printing": r'''
print([1, 'a', 2.5, None, True], (1,), (), {'a': 1, 2: [3]}, "it's", 'say "hi"', 'tab\t')
print(repr('a\nb'), str(1.0), repr(1.3333333730697632), 1e-4, 0.0001, 1e22, 1.0e16, 12345678901234567.0)
print(float('inf'), -float('inf'), float('nan'), 2.5e-7, 100.0, 3.14159)
print('a', 'b', sep='-', end='!\n')
print()
print(range(5), range(1, 10, 2), list(range(5, 0, -2)))
''',
"strings": r'''
s = "Hello, World"
print(s[0], s[-1], s[2:5], s[::-1], len(s), s.lower(), s.upper(), s.split(', '), '-'.join(['a', 'b']))
print(s.replace('l', 'L'), s.startswith('He'), s.find('o'), s.count('l'), '  x '.strip() + '|')
print('abc' * 2, 'a' + 'b', '%d items at %.2f' % (3, 1.5), '{} and {:>5}'.format(1, 'x'), '{0}{1}{0}'.format('a', 'b'))
print('x'.zfill(3), '42'.rjust(5, '*'), 'ab'.center(6) + '|', "%s=%r" % ('k', 'v'))
''',
"fstrings": r'''
x = 3.14159
n = 42
name = 'net'
print(f"{x:.3f} {n:5d} {n:<5}| {n:^7}| {n:05d} {x:10.2e} {x:g} {n:,} {1234567.891:,.2f}")
print(f"{name!r} {name} {n * 2} {[1, 2][0]} {'q'} {x:.0f} {n:x} {n:#b} {-n:+d} {n:+d}")
print(f"{{literal}} {n=} {x = :.1f} {0.5:%} {0.25:.1%}")
w = 8
print(f"{x:{w}.2f}|{name:>{w}}|")
print(f"""multi {n}
line""")
''',
"lists": r'''
a = [3, 1, 2]
b = a
b.append(4)
print(a, len(a), a[-1], a[1:3], a[::2], a[::-1])
a.sort()
print(a, sorted([3, 1, 2], reverse=True), sorted(['bb', 'a', 'ccc'], key=len))
a[0] = 10
a[1:3] = [7, 8, 9]
print(a, a.pop(), a.pop(0), a, a.index(8), a.count(7))
del a[0]
print(a, [1, 2] + [3], [0] * 3, list('abc'), 2 in a)
a.extend((5, 6))
a.insert(0, -1)
a.remove(5)
print(a, a.copy() is a, list(reversed(a)))
m = [[0] * 3 for _ in range(2)]
m[0][1] = 5
print(m)
x, *rest = [1, 2, 3, 4]
first, (p, q) = 0, (1, 2)
print(x, rest, first, p, q)
a = b = 0
a += 1
print(a, b)
''',
"dicts": r'''
d = {'a': 1, 'b': 2}
d['c'] = 3
d['a'] = 10
print(d, len(d), d['b'], d.get('z'), d.get('z', 0), 'a' in d)
print(list(d.keys()), list(d.values()), list(d.items()))
for k, v in d.items():
    print(k, v)
del d['b']
print(d, d.pop('c'), d, dict(x=1, y=2), dict([('p', 1)]))
e = {i: i * i for i in range(4)}
print(e, {1: 'a', 1.0: 'b', True: 'c'})
d.update({'z': 26}, w=0)
print(d, d.setdefault('q', []), d)
''',
"control": r'''
total = 0
for i in range(10):
    if i % 2 == 0:
        continue
    if i > 7:
        break
    total += i
else:
    print('not reached')
print(total)
n = 0
while n < 3:
    n += 1
else:
    print('while else', n)
for i, (a, b) in enumerate([(1, 2), (3, 4)]):
    print(i, a, b)
for c in 'ab':
    pass
print(c)
if n == 1:
    print('one')
elif n == 3:
    print('three')
else:
    print('other')
for k in {'x': 1, 'y': 2}:
    print(k, end=' ')
print()
print(list(zip([1, 2, 3], 'ab')), list(enumerate('xy', 1)), list(map(lambda v: v * 2, [1, 2])), list(filter(None, [0, 1, 2])))
print(any([0, 0, 1]), all([]), all(x > 0 for x in [1, 2]))
''',
"functions": r'''
def add(a, b=10, *args, **kwargs):
    return a + b + sum(args) + len(kwargs)
print(add(1), add(1, 2), add(1, 2, 3, 4), add(1, b=5, c=1, d=2), add(*[1, 2], **{'e': 0}))
def make_counter():
    count = 0
    def inc():
        nonlocal count
        count += 1
        return count
    return inc
c = make_counter()
c(); c()
print(c())
def adders():
    return [lambda x, i=i: x + i for i in range(3)]
print([f(10) for f in adders()])
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
print(fact(20))
def fib(n):
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
print([fib(i) for i in range(15)])
g = 1
def setg():
    global g
    g = 2
setg()
print(g)
def noreturn():
    pass
print(noreturn())
def kwonly(a, *, scale=2):
    return a * scale
print(kwonly(3), kwonly(3, scale=3))
''',
"comprehensions": r'''
print([x * x for x in range(5) if x % 2 == 0])
print([(i, j) for i in range(3) for j in range(i)])
print(sum(x * x for x in range(10)), max(len(w) for w in ['a', 'abc', 'ab']))
print([[i * j for j in range(3)] for i in range(3)])
x = 'outer'
y = [x for x in range(3)]
print(x, y)
print({k: v for k, v in zip('abc', range(3)) if v})
''',
"classes": r'''
class Animal:
    kind = 'animal'
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} makes a sound"
class Dog(Animal):
    def __init__(self, name, breed):
        super().__init__(name)
        self.breed = breed
    def speak(self):
        return f"{self.name} barks"
d = Dog('Rex', 'lab')
print(d.speak(), d.breed, d.kind, isinstance(d, Animal), isinstance(d, Dog), isinstance(3, int), isinstance(True, int))
print(Animal('x').speak(), type(d).__name__, d.__class__.__name__, type(3), type('s') == str)
class V:
    def __init__(self, x):
        self.x = x
    def __add__(self, o):
        return V(self.x + o.x)
    def __len__(self):
        return self.x
print((V(1) + V(2)).x, len(V(7)), hasattr(d, 'name'), getattr(d, 'zz', 'dflt'))
setattr(d, 'age', 3)
print(d.age)
''',
"misc": r'''
import math
import time
from math import sqrt as root
print(math.sqrt(16), math.floor(2.7), math.ceil(2.1), math.pi, math.exp(0), math.log(math.e), root(2), math.inf)
t0 = time.perf_counter()
print(time.perf_counter() >= t0, type(time.time()).__name__)
print(int('42'), int('-7'), float('2.5'), str(12), bool(''), bool([0]), list((1, 2)), tuple([3]))
print(abs(-0.5), 10 ** 18, -(2 ** 62), 5 // 2 * 2.0, 1e300 * 10)
a, b = 1, 2
a, b = b, a
print(a, b)
x = [1, 2, 3]
x[1] += 10
x[-1] *= 2
print(x)
assert x[0] == 1, 'never'
print(sorted({3: 'a', 1: 'b'}), ord('A'), chr(66), repr(None), format(3.14159, '.2f'))
''',
"generators_lazy": r'''
import time
t0 = time.perf_counter()
print(any(x > 5 for x in range(2**62)))
print(all(x < 3 for x in range(2**62)))
g = (x * x for x in range(5) if x % 2 == 0)
print(next(g), list(g), list(g), sum(g))
g = (x * y for x in range(3) for y in range(x))
print(sum(g), sum(g))
gs = [(i * x for x in range(3)) for i in range(2)]
print([list(g) for g in gs])
a = (x for x in range(3)); b = (x for x in range(3))
print(next(a), next(a), next(b), next(a), next(b))
h = (x + y for x in range(3) for y in 'ab' if True)
try:
    print(list(h))
except TypeError as e:
    print('TypeError', e)
print(list(h))
print(next((x for x in []), 'empty'))
print(sorted(x % 3 for x in range(7)), max(-x for x in range(4)), tuple(str(x) for x in range(3)))
print(' '.join(str(x) for x in range(4)), dict((k, k * 2) for k in range(3)), set(x // 2 for x in range(5)))
for r in (x for x in range(2**62)):
    if r == 3:
        break
print(r)
print(time.perf_counter() - t0 < 1.0)
''',
"fast_calls": '''
def make(n):
    return lambda: n
fs = [make(i) for i in range(3)]
print([f() for f in fs], make(5)(), fs[0]())
def depth(n):
    if n == 0:
        raise ValueError('bottom')
    return depth(n - 1)
for i in range(2):
    try:
        depth(5)
    except ValueError as e:
        print('caught', e)
def pair(a, b):
    t = (a, b)
    return t
def first(a, b):
    if a:
        return a
print(pair(1, 2), pair('x', [3]), first(0, 1), first(2, 1), [first(k, 0) for k in range(3)])
class Bag:
    def __init__(self):
        self.n = 0
    def get(self, k, d=None):
        self.n += 1
        return (k, d)
    def append(self, x):
        return 'appended ' + str(x)
    def __len__(self):
        return 7
b = Bag()
print(b.get('k'), b.get('k', 2), b.append(3), len(b), b.n)
d = {1: 'one', 'w': 2, (1, 2): 'tup'}
print(d.get(1), d.get(1.0), d.get(True), d.get('w', 0) + 1, d.get('zz'), d.get((1, 2)), d.get('q', [5]))
counts = {}
for w in ['a', 'b', 'a', 'c', 'a']:
    counts[w] = counts.get(w, 0) + 1
xs = []
xs.append(xs)
xs.append(len(xs))
print(counts, len(xs), xs[1], len('h\u00e9llo'), len({'a': 1}), len(range(3, 10, 2)), len((1, 2)))
e = {'\u00e9': 1, 'long key of more than sixteen bytes': 2, (1, 'a'): 3, 2.5: 4, -1: 5}
e['e\u0301'] = 6
print('e\u0301' in e, e.get('\u00e9'), len(e), e['long key of more than sixteen bytes'], e[(1, 'a')], e[2.5], e[-1.0], e.get(-1))
''',
"loop_fast_paths": r'''
def count(ws):
    counts = {}
    for w in ws:
        counts[w] = counts.get(w, 0) + 1
    return counts
print(count(['a', 'b', 'a', 1, 1.0, True, 2, 'e\u0301', '\u00e9', (1, 'x'), (1, 'x')]))
def bump(d, k):
    d[k] = d.get(k, 10) + 1
    return d
print(bump({'k': 1.5}, 'k'), bump({'k': True}, 'k'), bump({'k': [1]} if False else {}, 'k'), bump({1: 'x'}, 2))
try:
    bump({}, [1])
except TypeError as e:
    print('TypeError', e)
try:
    bump({'s': 'x'}, 's')
except TypeError as e:
    print('TypeError', e)
class NotDict:
    def get(self, k, d):
        return 5
    def __setitem__(self, k, v):
        print('set', k, v)
bump(NotDict(), 'z')
def unbound():
    for w in []:
        pass
    counts = {}
    counts[w] = counts.get(w, 0) + 1
try:
    unbound()
except NameError as e:
    print('NameError', e)
def mods(a, b):
    return a % b, a // b
print(mods(7, 3), mods(-7, 3), mods(7, -3), mods(-7, -3), mods(0, 5), mods(7.5, 2), mods(-9223372036854775807 - 1, 3), mods(True, 2))
try:
    mods(1, 0)
except ZeroDivisionError as e:
    print('ZeroDivisionError', e)
xs = [5, -1, 3, 3, 0, 9223372036854775807, -9223372036854775807 - 1]
ys = list(xs)
ys.sort()
print(sorted(xs), ys, sorted(xs, reverse=True), sorted([True, 1, 0, False, 2]), sorted([1, True, False, 0], reverse=True))
pairs = [('b', 2), ('a', 2), ('c', 3), ('\u00e9', 1), ('z', 1), ('Z', 1), ('e\u0301', 1), ('ab', 2), ('a', 2)]
print(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
print(sorted(pairs, key=lambda kv: (kv[1],)), sorted(pairs, key=lambda kv: kv[1], reverse=True))
print(sorted(pairs, key=lambda kv: (-kv[1], kv[0]), reverse=True))
print(sorted(['b', 'a', 'B', '\u00e9', 'e\u0301', '', 'ab']), sorted([(1, 2.5), (1, 2), (0, 'x')]), sorted([(1,), (1, 0), ()]))
print(sorted(range(40), key=lambda i: (i % 3, -(i // 7))))
print('\u00e9' == 'e\u0301', ('\u00e9',) == ('e\u0301',), ['\u00e9'] < ['e\u0301'])
try:
    sorted([(1, 'a'), (1, 2)])
except TypeError as e:
    print('TypeError', e)
def bad(kv):
    if kv[1] == 3:
        raise ValueError('key ' + kv[0])
    return kv[1]
try:
    sorted(pairs, key=bad)
except ValueError as e:
    print('ValueError', e)
''',
"loop_numeric": r'''
def conv(x, w, stride, padding):
    H, W, K = len(x), len(x[0]), len(w)
    Ho = (H + 2 * padding - K) // stride + 1
    Wo = (W + 2 * padding - K) // stride + 1
    out = [[0.0 for j in range(Wo)] for i in range(Ho)]
    for i in range(Ho):
        for j in range(Wo):
            s = out[i][j]
            for u in range(K):
                r = i * stride + u - padding
                if r < 0 or r >= H:
                    continue
                for v in range(K):
                    q = j * stride + v - padding
                    if 0 <= q < W:
                        s += x[r][q] * w[u][v]
            out[i][j] = s
    return out
x = [[(i * 5 + j) % 7 - 3 for j in range(5)] for i in range(4)]
w = [[0.5, -1, 2], [1, 0.25, -0.5], [3, 1, 1]]
print(conv(x, w, 1, 1))
print(conv(x, w, 2, 0), conv(x, [[2]], 1, 0)[3])
def chains(a, i, j, k, l):
    return a[i][j][k][l] * 2, a[-1][-1][-1][-1] + 1, a[i][j][k][l] + a[i][-j][k][-l], [[[[[7]]]]][0][0][0][0][i]
a4 = [[[[1, 2.5], [3, True]], [[-4, 5], [6, 7]]]]
print(chains(a4, 0, 1, 0, 1), chains(a4, 0, 0, 1, 1), chains(a4, -1, 0, 1, 0))
def mixed(rows):
    s = 0
    for i in range(len(rows)):
        for j in range(len(rows[i])):
            s += rows[i][j] * rows[i][j]
    return s
print(mixed([[1, 2], [3.5, -1]]), mixed([[1, 2], [3, 4]]), mixed([[True, False]]), mixed([['ab', 'c']]) if False else mixed([[2]]))
print(mixed([[1, 2], (3, 4), 'x' * 0, {0: 5, 1: 6}]))
def strs(rows):
    out = []
    for i in range(len(rows)):
        t = rows[i][0] * 2
        out.append(t)
    return out
print(strs([['ab'], [[1]], [3], [2.5], [True], [(1,)]]))
def counter(n):
    total = 0
    for i in range(n):
        n = n - 1
        total += i
    return total, n
print(counter(5), counter(0), counter(-3))
def steps():
    out = []
    for i in range(10, 0, -3):
        out.append(i)
    for i in range(-2, 3, 2):
        out.append(i)
    for i in range(3, 3):
        out.append('never')
    for i in range(True, 3):
        out.append(i)
    for i in range(9223372036854775805, 9223372036854775807):
        out.append(i)
    for i in range(-9223372036854775806, -9223372036854775807 - 1, -1):
        out.append(i)
    n = 4
    for i in range(n - 1, -1, -1):
        out.append(i * i)
    return out
print(steps())
def rebind():
    out = []
    for i in range(3):
        out.append(i)
        i = 'x' + str(i)
        out.append(i)
    i = [1, 2]
    for i in range(2):
        out.append(i)
    for i in range(4):
        if i == 1:
            continue
        if i == 3:
            break
        out.append(-i)
    else:
        out.append('no')
    for i in range(2):
        pass
    else:
        out.append('else')
    return out, i
print(rebind())
def shadow(n):
    range = lambda k: ['a', 'b']
    return [i for i in range(n)], [x for x in [range(n)]]
print(shadow(3))
def errs(k):
    for i in range(k):
        return i
    return 'empty'
try:
    for i in range(1, 5, 0):
        pass
except ValueError as e:
    print('ValueError', e)
print(errs(True), errs(False), errs(3))
total = 0
for g in range(4):
    total += g * g
print(total, g)
def over(a, b):
    s = a
    s += b * b
    t = a * 2 + b
    return s, t
print(over(1.5, 2), over(2, 0.5), over(True, 3), over([1], [2] * 0 + [3]) if False else over(-2, -3))
try:
    over('a', 1)
except TypeError as e:
    print('TypeError', e)
def negzero(v):
    s = -0.0
    s += v * 0.0
    return s, -v
print(negzero(-1.0), negzero(1))
''',
"loop_numeric_shapes": r'''
def lin(a, b, c, d):
    return a * b + c - d, a - b - c - d, a + b * c - d, a * b * c * d + 1, a / b * c - d, a // b + c % d, a % b - c * 2 + d // 3
print(lin(3, 4, 5, 6), lin(2.5, 2, 1, 0.5), lin(-7, 2, 3, 4), lin(True, 2, 3, 4))
print(lin(4611686018427387904, 1, -1, 1) if False else lin(2 ** 40, 2 ** 20, 1, 1))
for args in [(1, 0, 1, 1), (1.0, 0.0, 1, 1), (1, 2, 3, 0)]:
    try:
        print(lin(*args))
    except ZeroDivisionError as e:
        print('ZeroDivisionError', e)
def lin_str(a, b):
    return a * b + a - a if False else a * b + a
print(lin_str('x', 2) if False else lin_str([1], 2), lin_str(2, 3))
def dots(xs, ys):
    s = 0
    t = 1.5
    for i in range(len(xs)):
        s += xs[i] * ys[i]
        t -= xs[i] * ys[i]
    return s, t
print(dots([1, 2, 3], [4, 5, 6]), dots([0.5, True], [2, 3]), dots([], []), dots([-1.5], [2.25]))
try:
    dots([1, 'a'], [2, 3])
except TypeError:
    print('TypeError')
def dots_str(xs, ys):
    s = ''
    for i in range(len(xs)):
        s += xs[i] * ys[i]
    return s
print(dots_str(['a', 'b'], [2, 3]))
def flows(n, stop_at, skip):
    out = []
    for i in range(n):
        if i == skip:
            continue
        out.append(i)
        if i == stop_at:
            break
        out.append(-i)
        out.append(i * 10)
        if i > 100:
            return 'big'
    else:
        out.append('done')
    return out
print(flows(5, 3, 1), flows(5, 9, 0), flows(3, 0, 5), flows(200, 150, 150))
def whiles(n):
    i = 0
    out = []
    while i < n:
        i += 1
        if i == 2:
            continue
        out.append(i)
        if i == 4:
            break
    else:
        out.append('else')
    j = 0
    while j < 3:
        j += 1
    return out, i, j
print(whiles(3), whiles(10))
def conds(a, b, c):
    r = []
    if a < b or a >= c:
        r.append('or')
    if a < b and b < c:
        r.append('and')
    if a <= b < c:
        r.append('chain')
    else:
        r.append('not chain')
    if not a == b:
        r.append('ne')
    if a != b != c:
        r.append('ne2')
    return r
print(conds(1, 2, 3), conds(3, 2, 1), conds(2.5, 2.5, 3), conds(1, 1.0, True), conds(2, 2, 2))
print(conds('a', 'b', 'c'), conds((1,), (2,), (0,)))
for bad in [(1, 'a', 2), (None, 1, 2), (1, 2, 'x')]:
    try:
        print(conds(*bad))
    except TypeError as e:
        print('TypeError', e)
def big(a):
    return a < 9007199254740993, a > 1e300, a * 1.0 < a + 2.0, -a < 0.5
print(big(9007199254740993), big(9007199254740992), big(-1))
''',
"loop_numeric_augmented": r'''
def bumps(n, y):
    n += 1
    n -= y
    n *= 2
    t = n
    t /= 4
    return n, t
print(bumps(3, 1), bumps(2.5, 0.5), bumps(True, False), bumps(-1, True))
try:
    bumps('a', 1)
except TypeError as e:
    print('TypeError', e)
def divs(a, b):
    a /= b
    return a
for b in [2, 0.5, 0, 0.0]:
    try:
        print(divs(7, b), divs(7.5, b))
    except ZeroDivisionError as e:
        print('ZeroDivisionError', e)
def grow(xs):
    k = 2
    xs += [k]
    xs *= k
    return xs
print(grow([1]))
''',
"loop_numeric_hoisting": r'''
class Swap:
    def __init__(self, rows, new):
        self.rows = rows
        self.new = new
    def __mul__(self, other):
        self.rows[0] = self.new
        return 0.0
    def __sub__(self, other):
        self.rows[0] = self.new
        return -1.0
def dot_row(x, w):
    s = 0.0
    for j in range(3):
        s += x[0][j] * w[0][j]
    return s
x = [[1.0, 2.0, 3.0]]
x[0][1] = Swap(x, [10.0, 20.0, 30.0])
print(dot_row(x, [[1, 1, 1]]), x[0])
def below(x, lim):
    s = 0.0
    for j in range(3):
        if x[0][j] - lim < 0:
            s += 1
        t = x[0][j] * 2
    return s, t
y = [[1.0, 2.0, 3.0]]
y[0][0] = Swap(y, [5.0, 6.0, 7.0])
print(below(y, 6.5), y[0])
def total(x):
    s = 0
    for j in range(len(x[0])):
        s += x[0][j] * 1
    return s
class Rec:
    def __mul__(self, other):
        return total([[100, 200]])
print(total([[1, Rec(), 3]]))
def gen(x):
    def step(j):
        if j > 0:
            x[0] = [v * 10 for v in x[0]]
        return j
    return map(step, range(3))
def over_gen(x):
    s = 0
    for j in gen(x):
        s += x[0][j] * 1
    return s
print(over_gen([[1, 2, 3]]))
def over_list(x, js):
    s = 0
    for j in js:
        s += x[1][j] * 2
    return s
print(over_list([[0], [1, 2, 3]], [2, 0, -1]))
def outer():
    x = [[1, 2, 3], [10, 20, 30]]
    n = 0
    def bump():
        nonlocal n
        n = 1
        return 0
    class B:
        def __mul__(self, o):
            return bump()
    x[0][1] = B()
    s = 0
    for j in range(3):
        s += x[n][j] * 1
    return s
print(outer())
def assigned_prefix(x):
    s = 0
    r = 0
    for j in range(4):
        s += x[r][j % 2] * 1
        r = 1 - r
    return s
print(assigned_prefix([[1, 2], [30, 40]]))
def twice(x):
    out = 0
    for i in range(2):
        for j in range(2):
            out += x[i][j] * 1
    return out
print(twice([[1, 2], [3, 4]]))
def errors(x, k):
    s = 0
    for j in range(k):
        s += x[0][j] * 1
    return s
try:
    errors([[1, 2]], 3)
except IndexError as e:
    print('IndexError', e)
try:
    errors([5], 1)
except TypeError as e:
    print('TypeError', e)
try:
    errors([[1, 2]] * 0, 1)
except IndexError as e:
    print('IndexError', e)
''',
"dicts_sorts_comprehensions": r'''
# Dict tables (growth, deletion, 1 == 1.0 == True, code-point strs), sorts by column keys,
# comprehensions, len, tuple unpacking: the fast paths of bench/loopwords.py.
d = {}
for i in range(200):
    d['k' + str(i * 7 % 200)] = i
print(len(d), list(d)[:5], d['k0'], d['k199'], 'k200' in d, d.get('k200', 'none'))
for i in range(0, 200, 3):
    del d['k' + str(i)]
print(len(d), list(d.items())[:4], d.get('k3'), d.get('k1'))
for i in range(0, 200, 3):
    d['k' + str(i)] = -i
print(len(d), list(d)[-3:], d['k3'], d.pop('k1'), len(d), d.pop('k198'), len(d))
m = {}
m[1] = 'int'
m[1.0] = 'float'
m[True] = 'bool'
m['1'] = 'str'
m[(1, '1')] = 'tuple'
m[(1.0, '1')] = 'tuple2'
m[None] = 'none'
m[-0.0] = 'negzero'
m[0] = 'zero'
m[2.5] = 'float2'
print(m, m[1.0], m[(True, '1')], m[0.0], 2.5 in m, 2 in m)
u = {'\u00e9': 1, 'e\u0301': 2, 'abcdefghijklmnop': 3, 'abcdefghijklmnoq': 4, '': 5, 'abcdefgh': 6, 'abcdefg': 7}
print(u, u['\u00e9'], u['e\u0301'], u['abcdefghijklmnop'], u[''], u['abcdefgh'], 'abcdefgi' in u)
c = {}
for w in ['a', 'b', 'a', 1, 1.0, True, (1, 'a'), (True, 'a'), '\u00e9', 'e\u0301', 'a']:
    c[w] = c.get(w, 0) + 1
print(c)
c.clear()
c['x'] = c.get('x', 0) + 1
print(c, c == {'x': 1}, {'a': 1, 'b': 2} == {'b': 2, 'a': 1})
big = {}
for i in range(5000):
    big[str(i)] = i
for i in range(0, 5000, 2):
    del big[str(i)]
print(len(big), sum(big[str(i)] for i in range(1, 5000, 2)), list(big)[:3], '10' in big, '11' in big)
s = {}
s.setdefault('q', []).append(1)
s.setdefault('q', []).append(2)
s.update({'r': 3, 'q': [0]})
print(s, list(s.keys()), list(s.values()))
words = ['b', 'a', 'B', '\u00e9', 'e\u0301', '', 'ab', 'aa', 'a', 'abcdefghijk', 'abcdefghij', '\U0001f600', 'z']
print(sorted(words), sorted(words, reverse=True), sorted(words, key=lambda w: w[::-1]))
print(sorted(words, key=lambda w: (len(w), w)), sorted(words, key=lambda w: (len(w),), reverse=True))
fl = [('a', 0.5), ('b', -0.0), ('c', 0.0), ('d', -1.5), ('e', 0.5), ('f', 1e300), ('g', -float('inf'))]
print(sorted(fl, key=lambda p: (p[1], p[0])), sorted(fl, key=lambda p: (p[1],)), sorted(fl, key=lambda p: (p[1],), reverse=True))
print(sorted(fl, key=lambda p: (p[0] < 'c', p[1])), sorted([(1, 2.5), (1, 2), (0, 3)], key=lambda t: (t[0], t[1])))
print(sorted([(2, 'x'), (1, 'y', 0), (1, 'y'), (1,)]), sorted([('b', 1), ('a', 2)], key=lambda t: t), sorted(['b', 'a'], key=str))
def key2(x, y=0):
    return -x + y
print(sorted([3, 1, 2], key=key2), sorted(['ccc', 'a', 'bb'], key=len), sorted([(1, 'b'), (1, 'a')], key=lambda t: (t[0], t[1]), reverse=True))
pairs = [('x', 3), ('y', 1), ('z', 2)]
print([a + str(b) for a, b in pairs], [len(w) * 7 % 13 for w in words], [w for w in 'h\u00e9'], [i * i for i in range(10, 0, -3)])
print([x for x in range(0)], [x for x in (1, 2)], [k for k in {'p': 1, 'q': 2}], [v for v in (i * 2 for i in range(3))])
print([x + y for x in range(3) for y in range(2) if x != y], {w: len(w) for w in ['ab', 'c']})
x = 'outer'
ys = [x for x in range(3)]
print(x, ys)
nested = [[i, j] for i, j in [(1, 2), [3, 4]]]
print(nested, [p for p in [[1, 2], [3]]])
def lens(s):
    return len(s)
print(lens('abc'), lens('h\u00e9llo'), lens('e\u0301'), lens('\U0001f600!'), lens([1, 2]), lens((1,)), lens({'a': 1}), lens(range(5)), lens(''))
len = lambda v: -1
print(lens('abc'))
del len
print(lens('abc'))
total = 0
seen = []
for w, n in [('a', 31), ('b', 30), ['c', 40]]:
    if n > 30:
        seen.append(w)
    total += n
print(seen, total)
for a, b in ['xy', 'zw']:
    print(a, b, end=' ')
print()
class Box:
    pass
bx = Box()
dd = {}
def fill():
    bx.v, dd['k'] = 1, 2
    p, q = 3, 4
    p, q = q, p
    r, r = 5, 6
    return p, q, r
print(fill(), bx.v, dd)
g1, g2 = (10, 20)
g2, g1 = g1, g2
print(g1, g2)
for bad in [(1, 2, 3), (1,), 5]:
    try:
        for a, b in [bad]:
            pass
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
t = (4, 5, 6)
def neg(v):
    return -v
print(t[-1], t[0], t[1], neg(3), neg(-3), neg(0), neg(True), neg(2.5), neg(-0.0))
try:
    t[5]
except IndexError as e:
    print('IndexError', e)
try:
    print([1 / v for v in [1, 0]])
except ZeroDivisionError as e:
    print('ZeroDivisionError', e)
''',
"dict_table_stress": r'''
# Six thousand random stores, deletions, pops and counts on str, int, tuple and float keys:
# the open-addressing table's deletion (entries moved back into the hole) and its str byte pool.
seed = 7
def rnd(n):
    global seed
    seed = (seed * 1103515245 + 12345) % 2147483648
    return seed % n
d = {}
log = []
for step in range(6000):
    r = rnd(7)
    kind = rnd(4)
    v = rnd(60)
    if kind == 0:
        k = 's' * (v % 19) + str(v)
    elif kind == 1:
        k = v - 30
    elif kind == 2:
        k = (v % 5, 'x' + str(v % 3))
    else:
        k = float(v) / 2
    if r < 3:
        d[k] = step
    elif r < 5:
        if k in d:
            del d[k]
            log.append(1)
    elif r == 5:
        log.append(d.pop(k, -1))
    else:
        d[k] = d.get(k, 0) + 1
print(len(d), sum(log), list(d.items())[:20])
print(list(d.keys())[-20:])
print(sum(1 for k in d if k in d), len(list(d.values())))
''',
"count_update_shared_values": r"""
# The counting statement updates a value in place: lists and dicts made from the dict before
# keep their own values.
def count(d, ws):
    for w in ws:
        d[w] = d.get(w, 0) + 1
    return d
d = {'a': 1, 'b': 2}
vals = list(d.values())
items = list(d.items())
copy = dict(d)
count(d, ['a', 'a', 'b', 'c'])
print(d, vals, items, copy)
f = {'k': 1.5, 'n': None}
count(f, ['k'])
print(f)
try:
    count(f, ['n'])
except TypeError as err:
    print('TypeError', err)
""",
"for_tuple_targets": r"""
# `for a, b in ...` over lists of tuples (unpacked straight into the slots), of lists, of
# mixed items, with a name bound twice, nested tuples, and a wrong length raising.
def f(pairs):
    out = []
    for w, c in pairs:
        out.append((c, w))
    return out
print(f([('a', 1), ('b', 2)]), f([['x', 3], ('y', 4)]), f([]))
def g(rows):
    seen = []
    for a, a in rows:
        seen.append(a)
    for a, (b, c) in [(1, (2, 3)), (4, [5, 6])]:
        seen.append(a + b + c)
    t = (1, 2)
    for t, u in [((9, 9), 0), ((8,), 1)]:
        seen.append((t, u))
    return seen
print(g([(1, 2), (3, 4)]))
def h(items):
    total = 0
    for k, v in items:
        total += v
        if v == 3:
            items.append(('late', 100))
    return total
print(h([('a', 1), ('b', 3)]))
d = {'x': 1, 'y': 2}
for k, v in d.items():
    print(k, v)
try:
    f([('a', 1, 2)])
except ValueError as e:
    print('ValueError', e)
try:
    f([('a',)])
except ValueError as e:
    print('ValueError', e)
try:
    f([5])
except TypeError as e:
    print('TypeError', e)
""",
"nested_numeric_expressions": r"""
# Arithmetic over arithmetic, subscripts and len() in expressions (not only assignments):
# computed unboxed, and the ordinary way whenever an operand is not a plain int or float.
class Sized:
    def __len__(self):
        return 4
    def __mul__(self, k):
        return 'Sized*' + str(k)
def f(words, grid):
    print([len(w) * 7 % 13 for w in words])
    print([len(g) * 2 + 1 for g in grid], [len(g) / 2 - 1 for g in grid])
    t, d, s = (1, 2, 3), {'a': 1}, Sized()
    print(len(t) * 2 + 1, len(d) * 5 - 1, len(s) * 3 + 1, len(words[0]) * 3 - 1)
    print(grid[1][2] * 2 + grid[0][0] - 1, grid[1][2] / 4 * 2, -grid[0][1] * 3, grid[1][0] // 2 % 3)
    print(grid[0][0] * 2.5 + 1, (grid[0][1] + 0.5) * 2 - len(words))
    mixed = [[1, 2.5], [True, 'x']]
    print(mixed[0][0] * 2 + mixed[0][1], mixed[1][0] * 2 + 1, mixed[1][1] * 2 + 'y')
    print([s * 2 for s in [Sized()]], (s * 2) + '!')
    print(len('\u00e9t\u00e9') * 10 + 1, len('\U0001F600') * 2 - 1, len('') * 5 + len([]))
    if len(words) * 2 > 5 and grid[0][0] * 3 < 4:
        print('conditions', len(words) % 4 + 1)
    try:
        print(len(words) * 2 % (grid[0][0] - 1))
    except ZeroDivisionError as e:
        print('ZeroDivisionError', e)
    try:
        print(len(5) * 2)
    except TypeError as e:
        print('TypeError', e)
    try:
        print(grid[5][0] * 2 + 1)
    except IndexError as e:
        print('IndexError', e)
f(['w1', 'w22', 'w333', '\u00e9l\u00e8ve'], [[1, 2, 3], [4, 5, 6, 7]])
def g(words):
    return [len(w) * 7 % 13 for w in words]
print(g(['ab', 'abc']))
len = lambda x: 100
print(g(['ab', 'abc']), len('a') * 2 + 1)
del len
print(g(['ab', 'abc']))
""","rich_comparisons": r"""
# A user class's __lt__, __le__, __gt__, __ge__, __eq__, __ne__: the left operand's method, else
# the right one's reflection; != as the negation of __eq__; sorted, min, max and list comparison
# through __lt__; what the method returns is the result; no method: == by identity, < raises.
class V:
    def __init__(self, x):
        self.x = x
    def __lt__(self, o):
        print('lt', self.x, o.x if isinstance(o, V) else o)
        return self.x < (o.x if isinstance(o, V) else o)
    def __eq__(self, o):
        return isinstance(o, V) and self.x == o.x
    def __repr__(self):
        return 'V(%d)' % self.x
a, b = V(1), V(2)
print(a < b, b < a)
print(b > a)
print(5 > a)
for f in [lambda: a > 0, lambda: 0 <= a, lambda: 1 > 'x', lambda: [1] <= ['x'], lambda: 2.5 >= None]:
    try:
        f()
    except TypeError as e:
        print('TypeError', e)
print(a == V(1), a != V(1), a != b, a == 1, 1 == a)
print(sorted([V(3), V(1), V(2)]))
print(max([V(3), V(5), V(2)]), min(V(4), V(2)))
print([V(1), V(2)] < [V(1), V(3)])
class W:
    def __le__(self, o):
        return 'le'
    def __ge__(self, o):
        return 'ge'
    def __ne__(self, o):
        return 'ne'
w = W()
print(w <= 1, 1 <= w, w >= 2, w != 3, 3 != w, w == w, w == W())
try:
    w < 1
except TypeError as e:
    print('TypeError', e)
try:
    print(V(1) <= V(2))
except TypeError as e:
    print('TypeError', e)
class P:
    pass
p = P()
print(p == p, p == P(), p != P())
""",
"repr_escapes": r"""
# repr escapes what str.isprintable calls unprintable: C0 and C1 controls, separators other than
# the space, format characters, private use, unassigned code points; printable letters, symbols
# and emoji stay as they are.
for s in ['a\x80b', '\x9f', '\xa0', '\xad', '\u00e9', '\u4e2d', '\u200b', '\u2028', '\u2029', '\u3000',
          '\ue000', '\uffff', '\U0001f600', '\U0010ffff', '\U000e0001', "it's \x85", '\x7f\x1b']:
    print(repr(s), [s], len(repr(s)))
print({'\xa0': '\u200b'})
""",
"dict_views": r"""
# keys(), values(), items() are live views: printed as dict_keys([...]), updated as the dict
# changes, with len, in, iteration, reversed, set operations and set comparisons; iterating
# while the dict changes size raises.
from collections import OrderedDict
d = {'a': 1, 'b': 2}
k, v, it = d.keys(), d.values(), d.items()
print(k, v, it)
print(type(k).__name__, type(v).__name__, type(it).__name__, type(iter(k)).__name__, type(iter(it)).__name__)
d['c'] = 3
del d['a']
print(k, v, it, len(k), len(v), len(it), bool(k), bool({}.keys()))
print('b' in k, 'a' in k, 3 in v, 5 in v, ('b', 2) in it, ('b', 3) in it, 'b' in it, [1] in v)
print(list(k), list(v), list(it), list(reversed(k)), sorted(v, reverse=True))
print(k & {'b', 'z'}, sorted(k | ['x']), k - {'b'}, k ^ {'c', 'q'} == {'b', 'q'}, {'b'} & k, ['c'] - k)
print(k == {'b', 'c'}, k == ['b', 'c'], k != {'b'}, k <= {'b', 'c', 'd'}, k < {'b', 'c'}, it == {('b', 2), ('c', 3)})
print(v == v, d.values() == d.values(), k == d.keys())
print(k.isdisjoint(['x', 'y']), k.isdisjoint('abc'), it.isdisjoint([('c', 3)]))
for key, val in d.items():
    print(key, val)
print([x for x in d.values()], {a: b for a, b in it}, dict(it), max(k), sum(v))
od = OrderedDict([('w', 1), ('b', 2)])
print(od.keys(), od.values(), od.items())
try:
    for key in d.keys():
        d[key + key] = 0
except RuntimeError as e:
    print('RuntimeError', e)
try:
    {}.keys() & 5
except TypeError as e:
    print('TypeError', e)
try:
    d.keys()[0]
except TypeError as e:
    print('TypeError', e)
""",
"sort_argument_errors": r"""
# sorted and list.sort word their argument errors as CPython's C implementation does.
calls = [lambda: sorted([2, 1], lambda x: x), lambda: sorted(), lambda: sorted(iterable=[1]),
         lambda: [1].sort(lambda x: x), lambda: sorted([1], reverse=1, foo=2), lambda: [3].sort(key=None, x=1),
         lambda: sorted([1], key=5), lambda: list.sort([2, 1], reverse=True), lambda: list.sort(5)]
for f in calls:
    try:
        print(f())
    except TypeError as e:
        print('TypeError', e)
""",
"percent_format": r"""
# printf-style formatting over text with non-ASCII characters around the conversions, a long
# padded result, and CPython's wording for an unsupported conversion character.
print('%5s|%-4d|%%|%.2f' % ('\u00e9', 7, 2.5), '\u00fc%s\u20ac' % 'x', '%r' % 'a\x80', '%x-%o' % (255, 8))
big = '%1000000r' % ''
print(len(big), big[-3:])
for f in ['a%\u00fc', '%y', 'xx%5.1q', '%d %k', 'abc%']:
    try:
        print(f % (1, 2))
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)
try:
    big % 1
except TypeError as e:
    print('TypeError', e)
""",
"unbound_methods": r"""
# A type's methods called with the object first, as key functions and map's function.
print(list(map(str.upper, ['a', 'b'])), sorted(['b', 'A', 'c'], key=str.lower))
print(str.join('-', ['a', 'b']), list.copy([1]), dict.get({'a': 1}, 'a'), dict.get({}, 'x', 0), str.split('a b'))
l = []
list.append(l, 3)
print(l, [s for s in map(str.strip, [' x ', 'y '])])
for f in [lambda: str.upper(5), lambda: list.append((), 1), lambda: dict.keys([])]:
    try:
        f()
    except TypeError as e:
        print('TypeError', e)
""",
"append_locals": r"""
# xs.append(v) with a local list and a literal or local item; a list appended to itself;
# an item rebound and a receiver that is not a list; an unbound item.
def build(n):
    xs, ys = [], []
    for i in range(n):
        xs.append(i)
        xs.append(2.5)
        xs.append('w')
        ys.append(xs)
    xs.append(xs)
    return xs, ys
xs, ys = build(3)
print(len(xs), xs[:6], ys[0] is xs, xs[-1] is xs, len(ys))
class Bag:
    def __init__(self):
        self.items = []
    def append(self, v):
        self.items.append(v * 2)
def fill(target):
    v = 4
    target.append(v)
    target.append(5)
    return target
print(fill([]), fill(Bag()).items)
def unbound():
    xs = []
    xs.append(later)
    later = 1
try:
    unbound()
except NameError as e:
    print('NameError', e)
def not_a_list():
    xs = (1,)
    xs.append(2)
try:
    not_a_list()
except AttributeError as e:
    print('AttributeError', e)
""",
}

# Programs that fail: the expected kind and message (CPython's wording).
ERRORS = {
"zero": ("print(1)\nx = 1 / 0", "ZeroDivisionError: division by zero"),
"name": ("y = undefined_name + 1", "NameError: name 'undefined_name' is not defined"),
"index": ("a = [1, 2]\na[5]", "IndexError: list index out of range"),
"key": ("d = {'a': 1}\nd['b']", "KeyError: 'b'"),
"type": ("1 + 'a'", "TypeError: unsupported operand type(s) for +: 'int' and 'str'"),
"concat": ("'a' + 1", "TypeError: can only concatenate str (not \"int\") to str"),
"unpack": ("a, b = [1, 2, 3]", "ValueError: too many values to unpack (expected 2)"),
"unpack2": ("a, b, c = [1, 2]", "ValueError: not enough values to unpack (expected 3, got 2)"),
"attr": ("x = 3\nx.foo", "AttributeError: 'int' object has no attribute 'foo'"),
"notcallable": ("x = 3\nx()", "TypeError: 'int' object is not callable"),
"missing": ("def f(x, y):\n    return x\nf(1)", "TypeError: f() missing 1 required positional argument: 'y'"),
"missing2": ("def f(x, y):\n    return x\nf()", "TypeError: f() missing 2 required positional arguments: 'x' and 'y'"),
"toomany": ("def f(x, y=1):\n    return x\nf(1, 2, 3)", "TypeError: f() takes from 1 to 2 positional arguments but 3 were given"),
"toomany1": ("def f(x):\n    return x\nf(1, 2)", "TypeError: f() takes 1 positional argument but 2 were given"),
"multiple": ("def f(x):\n    return x\nf(1, x=2)", "TypeError: f() got multiple values for argument 'x'"),
"floatdiv": ("1.0 % 0", "ZeroDivisionError: float modulo"),
"intmod": ("5 // 0", "ZeroDivisionError: integer division or modulo by zero"),
"assert": ("assert 1 == 2, 'bad'", "AssertionError: bad"),
"raise": ("raise ValueError('nope')", "ValueError: nope"),
"sqrt": ("import math\nmath.sqrt(-1)", "ValueError: math domain error"),
"compare": ("1 < 'a'", "TypeError: '<' not supported between instances of 'int' and 'str'"),
"unhashable": ("d = {}\nd[[1]] = 2", "TypeError: unhashable type: 'list'"),
"strindex": ("'abc'[10]", "IndexError: string index out of range"),
"tupleassign": ("t = (1, 2)\nt[0] = 5", "TypeError: 'tuple' object does not support item assignment"),
"iter": ("for x in 5:\n    pass", "TypeError: 'int' object is not iterable"),
"len": ("len(5)", "TypeError: object of type 'int' has no len()"),
"intparse": ("int('abc')", "ValueError: invalid literal for int() with base 10: 'abc'"),
"local": ("def f():\n    print(v)\n    v = 1\nf()", "NameError: cannot access local variable 'v' where it is not associated with a value"),
"local_again": ("def f(flag):\n    if flag:\n        v = 1\n    return v\nf(True)\nf(False)", "NameError: cannot access local variable 'v' where it is not associated with a value"),
"get_unhashable": ("d = {}\nd.get([1], 0)", "TypeError: unhashable type: 'list'"),
"recursion": ("def f(n):\n    return f(n + 1)\nf(0)", "RecursionError: maximum recursion depth exceeded"),
}
