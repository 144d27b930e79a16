# Programs for the typed tier (Sources/Lang/Typed): pure numeric functions, run under CPython
# for the expected output. `python3 gen_typed.py > ../TypedTierTests.swift` regenerates the tests.
# Each entry: (program, whether the typed tier must finish at least one call of it).
PROGRAMS = {
"recursion": (r'''
def fib(n):
    """Fibonacci numbers."""
    if n < 2:
        return n
    return fib(n - 1) + fib(n - 2)
def fact(n):
    return 1 if n <= 1 else n * fact(n - 1)
def gcd(a, b):
    if b == 0:
        return a
    return gcd(b, a % b)
def ack(m, n):
    if m == 0:
        return n + 1
    elif n == 0:
        return ack(m - 1, 1)
    else:
        return ack(m - 1, ack(m, n - 1))
print(fib(20), fact(20), gcd(1071, 462), gcd(-48, 18), ack(2, 3), fib(0), fib(1))
print(fib(10.0), fact(5.5), gcd(7.5, 2.0))
''', True),
"recursion_shapes": (r'''
def fib2(n):
    if 2 > n:
        return n
    return fib2(n - 2) + fib2(n - 1)
def fib3(n):
    if n >= 2:
        return fib3(n - 1) + fib3(n - 2)
    return n
def binom(n, k):
    if k < 1:
        return 1
    if n <= k:
        return 1
    return binom(n - 1, k - 1) + binom(n - 1, k)
def big(n):
    if n < 1:
        return 2305843009213693952
    return big(n - 1) + big(n - 1)
def via(n):
    return fib2(n)
def even(n):
    return 1 if n == 0 else odd(n - 1) + 0
def odd(n):
    return 0 if n == 0 else even(n - 1) + 0
def deep(n):
    if n < 1:
        return 0
    return deep(n - 1) + deep(0)
print(fib2(15), fib3(15), fib2(-3), fib3(1), binom(10, 4), binom(6, 0), via(12))
print(big(1), big(0), even(10), odd(7), deep(300))
try:
    deep(100000)
except RecursionError:
    print("RecursionError")
print(deep(50))
''', True),
"float_loops": (r'''
def mandel_rows(y0, rows, width, max_iter):
    total = 0
    for k in range(rows):
        ci = y0 + 2.0 * k / rows
        for px in range(width):
            cr = -2.0 + 3.0 * px / width
            zr = 0.0
            zi = 0.0
            n = 0
            while n < max_iter and zr * zr + zi * zi <= 4.0:
                t = zr * zr - zi * zi + cr
                zi = 2.0 * zr * zi + ci
                zr = t
                n += 1
            total += n
    return total
def integrate(a, b, steps):
    h = (b - a) / steps
    s = 0.0
    for i in range(steps):
        x = a + (i + 0.5) * h
        s += x * x * h
    return s
def harmonic(n):
    s = 0.0
    k = n
    while k > 0:
        s += 1 / k
        k -= 1
    return s
print(mandel_rows(-1.0, 6, 40, 30), mandel_rows(-1, 2, 10, 5))
print(integrate(0.0, 1.0, 1000), integrate(0, 3, 7), harmonic(100), harmonic(0))
''', True),
"float_tests": (r'''
def escape(n, x, y):
    c = 0
    i = 0
    while i < n and x * x + y * y <= 4.0:
        x = x * 1.5 + y * y * 0.25
        y = (x * x - y * y) * (y + 0.5)
        c += 1
        i += 1
    return c * 1000.0 + x * 2.0 + y * 3.0
def pairs(x, y):
    return x * y - y + (x * 2.0 + y * 3.0) * (x - 1.0)
def nans(n, a):
    b = a - a
    counts = 0
    i = 0
    while i < n and b != b:
        i += 1
    counts = counts * 10 + i
    i = 0
    while i < n and b == b:
        i += 1
    counts = counts * 10 + i
    i = 0
    while i < n and b >= 0.0:
        i += 1
    counts = counts * 10 + i
    i = 0
    while i < n and b < 1.0:
        i += 1
    counts = counts * 10 + i
    i = 0
    while i < n and b > -1.0:
        i += 1
    return counts * 10 + i
def steps(n):
    s = 0.0
    k = 0
    for i in range(n):
        k += 1
        if i % 3 == 0:
            continue
        s += i * 0.5
        s = s * 0.75 + 1.0
        if s > 30.0:
            break
        k += 2
    return s + k * 1000.0
print(escape(20, 0.1, 0.2), escape(20, 1.5, 1.5), escape(0, 0.0, 0.0), pairs(1.5, -2.25))
print(nans(4, float("inf")), nans(4, 1.0), nans(4, -0.0))
print(steps(10), steps(100), steps(0))
''', True),
"int_semantics": (r'''
def ops(a, b):
    return a // b + a % b * 1000 + (a - b) * 1000000
def div(a, b):
    return a / b
def neg(x):
    return -x + +x - x
def mix(i, f):
    return i * f + i // 2 - f / 4
for a, b in [(7, 2), (-7, 2), (7, -2), (-7, -2), (0, 5), (6, 3)]:
    print(ops(a, b), div(a, b), neg(a), mix(a, b + 0.5))
print(ops(7.5, 2.0), ops(-7.5, 2), ops(7, -2.5), div(1, 3), div(-1, 3.0), div(2 ** 53, 3))
print(neg(-0.0), neg(0.0), mix(3, -0.0), div(9007199254740993, 1), div(-9007199254740993, 1))
''', True),
"comparisons": (r'''
def cmp(a, b):
    n = 0
    if a < b:
        n += 1
    if a <= b:
        n += 10
    if a == b:
        n += 100
    if a != b:
        n += 1000
    if a > b or a >= b:
        n += 10000
    if not a < b < 10:
        n += 100000
    if a:
        n += 1000000
    return n
print(cmp(1, 2), cmp(2, 2), cmp(3, 2), cmp(2, 2.0), cmp(0, 0.5), cmp(0.0, -1))
print(cmp(9007199254740993, 9007199254740992.0), cmp(9007199254740992.0, 9007199254740993))
nan = float('nan')
print(cmp(nan, 1.0), cmp(1.0, nan), cmp(nan, nan))
''', True),
"loops": (r'''
def loops(n):
    s = 0
    for i in range(n):
        if i % 3 == 0:
            continue
        if i > 50:
            break
        s += i
    for j in range(10, 0, -3):
        s = s * 2 + j
    for k in range(2, n, 7):
        s -= k
    i = 0
    while True:
        i += 1
        if i * i > n:
            break
    return s + i * 1000000
print(loops(100), loops(0), loops(7), loops(1))
def countdown(n):
    while n:
        n -= 1
    return n
print(countdown(1000), countdown(0))
''', True),
"builtins": (r'''
def f(x, y):
    return abs(x - y) + min(x, y) * 10 + max(x, y, 3) * 100
def g(x):
    return int(x) + float(x) + abs(x)
print(f(3, 7), f(-3, -7), f(2.5, -1.5), g(3.9), g(-3.9), g(7), g(-0.5))
def clip(v, lo, hi):
    return max(lo, min(v, hi))
print(clip(5, 0, 3), clip(-2.5, -1.0, 1.0), clip(0.5, 0.0, 1.0))
print(min(float('nan'), 1.0), min(1.0, float('nan')), max(float('nan'), 2.0), max(2.0, float('nan')))
def m(a, b):
    return min(a, b) + max(a, b)
print(m(float('nan'), 1.0), m(1.0, float('nan')))
''', True),
"globals_change": (r'''
K = 2
def scale(x):
    return x * K
def helper(x):
    return x + 1
def outer(x):
    return helper(x) * 2
print(scale(3), outer(1))
K = 2.5
print(scale(3))
K = 'ab'
print(scale(3))
def helper(x):
    return x + 10
print(outer(1))
helper = abs
print(outer(-5))
def abs(x):
    return 42
def uses_abs(x):
    return abs(x) + 1
print(uses_abs(-3))
del abs
print(uses_abs(-3))
''', True),
"math_and_power": (r'''
import math
def sigmoid(x):
    return 1 / (1 + math.exp(-x))
def dist(x1, y1, x2, y2):
    return math.sqrt((x2 - x1) ** 2 + (y2 - y1) ** 2)
def poly(x):
    return 3 * x ** 3 - 2 * x ** 2 + x ** 0 + 2 ** 10
def trig(t):
    return math.sin(t) ** 2 + math.cos(t) ** 2 + math.tanh(t) + math.atan(t) + math.fabs(-t) + math.tan(t / 4)
def rounding(x):
    return math.floor(x) * 100 + math.ceil(x) * 10 + math.trunc(x)
def logs(x):
    return math.log(x) + math.pi * math.e - math.tau / x
print(sigmoid(0), sigmoid(2.5), sigmoid(-3), dist(0, 0, 3, 4), dist(1.5, -2, 4, 0.5))
print(poly(2), poly(-1.5), poly(0), 2 ** -2 if False else poly(10))
print(trig(0.0), trig(1), trig(-2.5), rounding(2.5), rounding(-2.5), rounding(7), logs(1), logs(2.5))
def pw(a, b):
    return a ** b
print(pw(2, 10), pw(2, -2), pw(-8, 3), pw(2.0, 0.5), pw(4, 0.5), pw(0, 0), pw(1.5, 2))
for bad in [(0.0, -1.0), (10.0, 400.0)]:
    try:
        print(pw(*bad))
    except Exception as e:
        print(type(e).__name__)
try:
    math.sqrt(-1)
except ValueError as e:
    print('ValueError', e)
def root(x):
    return math.sqrt(x)
try:
    root(-4.0)
except ValueError as e:
    print('ValueError', e)
print(root(16), root(2.25), sigmoid(800.0) if False else sigmoid(-30))
try:
    sigmoid(-800.0)
except OverflowError as e:
    print('OverflowError', e)
''', True),
"not_numeric": (r'''
def f(x):
    return x * 2
print(f('ab'), f([1]), f(True), f(3), f(2.5))
def g(x):
    if x > 0:
        y = 1
    return y
print(g(5))
try:
    g(-1)
except NameError:
    print('NameError')
def h(x):
    if x > 0:
        return 1
print(h(1), h(-1))
def w(n):
    t = 0
    for i in range(n):
        t = t + 0.5
    return t
print(w(3), w(0))
def r(a, b, c):
    t = 0
    for i in range(a, b, c):
        t += i
    return t
try:
    r(1, 5, 0)
except ValueError as e:
    print('ValueError', e)
print(r(10, 0, -3), r(0, 10, 4))
''', False),
}
