# A pure-float loop: escape counts of Mandelbrot rows. Runs unchanged under CPython
# and Tensorpad. Prints the median seconds per call, then the result.
import time

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

mandel_rows(-1.0, 4, 64, 50)
ts = []
for rep in range(5):
    t0 = time.perf_counter()
    r = mandel_rows(-1.0, 12, 120, 60)
    ts.append(time.perf_counter() - t0)
ts.sort()
print(ts[2])
print(r)
