# The plain-loop convolution of Notebooks/04 over Python lists: runs unchanged
# under CPython and Tensorpad. Prints the median seconds per inner iteration.
import time

def conv2d_loops(x, w, b, stride=1, padding=0):
    N, C, H, W = len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])
    O, K = len(w), len(w[0][0])
    Ho = (H + 2 * padding - K) // stride + 1
    Wo = (W + 2 * padding - K) // stride + 1
    out = [[[[b[o] for j in range(Wo)] for i in range(Ho)] for o in range(O)] for n in range(N)]
    for n in range(N):
        for o in range(O):
            for i in range(Ho):
                for j in range(Wo):
                    s = out[n][o][i][j]
                    for c in range(C):
                        for u in range(K):
                            r = i * stride + u - padding
                            if r < 0 or r >= H:
                                continue
                            for v in range(K):
                                q = j * stride + v - padding
                                if 0 <= q < W:
                                    s += x[n][c][r][q] * w[o][c][u][v]
                    out[n][o][i][j] = s
    return out

N, C, H, O, K = 1, 4, 24, 8, 3
x = [[[[((n + c * 7 + i * 3 + j) % 11 - 5) / 4 for j in range(H)] for i in range(H)] for c in range(C)] for n in range(N)]
w = [[[[((o + c * 5 + u * 3 + v) % 7 - 3) / 8 for v in range(K)] for u in range(K)] for c in range(C)] for o in range(O)]
b = [0.25 * o for o in range(O)]
inner = N * O * H * H * C * K * K
conv2d_loops(x, w, b, 1, 1)
ts = []
for rep in range(5):
    t0 = time.perf_counter()
    y = conv2d_loops(x, w, b, 1, 1)
    ts.append(time.perf_counter() - t0)
ts.sort()
print(ts[2] / inner)
print(y[0][3][5][7])
