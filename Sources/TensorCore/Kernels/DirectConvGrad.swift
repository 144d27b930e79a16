import CConv

/// The weight gradient of the convolutions the direct kernel computes (`DirectConv.swift`):
/// LeNet's conv1 (1→6, 28×28) and conv2 (6→16, 10×10 outputs). By im2col that is a product
/// of Cout × (images·positions) by (images·positions) × Cin·k² — a column matrix of 5–15 MB
/// for LeNet's batch of 256, written and read back, for a product with M = 6 or 16. Here each
/// image is copied into the forward's planes and its output gradient transposed
/// position-major; `tp_conv_wgrad_image` then sums gradient × input over positions with the
/// output channels in the vector lanes and a block of taps in registers.
extension Kernels {
    /// dW (Cout, Cin, kh, kw) of an ungrouped conv2d that `directConvApplies` to: x (N, Cin, h, w)
    /// and gy (N, Cout, oh, ow) contiguous. Images are split over the workers, each summing into
    /// its own partial gradient; the partials are added at the end.
    static func directConvWeightGrad(x: Tensor, gy: Tensor, weightShape: [Int], _ p: Conv2dParams) throws -> Tensor {
        let n = x.shape[0], cin = x.shape[1], h = x.shape[2], w = x.shape[3]
        let cout = weightShape[0], kh = weightShape[2], kw = weightShape[3]
        let oh = gy.shape[2], ow = gy.shape[3]
        let (sh, sw) = p.stride, (dh, dw) = p.dilation
        let taps = cin * kh * kw, positions = oh * ow
        let hp = (oh - 1) * sh + (kh - 1) * dh + 1
        let wq = (ow + 7) / 8 * 8 + ((kw - 1) * dw) / sw + 1
        let planeFloats = cin * sw * hp * wq
        try CIntArgument.check("conv2d backward", ["cout": cout, "h": h, "w": w, "padding": p.padding.top, "padding": p.padding.left,
                                           "dh": dh, "dw": dw, "hp": hp, "wq": wq, "oh": oh, "ow": ow, "oh * ow": positions])
        let cv = cout > 8 ? 2 : 1, lanes = 8 * cv, blocks = (cout + lanes - 1) / lanes
        let partFloats = blocks * taps * lanes, gyTFloats = blocks * positions * lanes
        let out = try Tensor(zeros: weightShape)
        if out.numel == 0 || n == 0 || positions == 0 { return out }
        let workers = max(1, min(Parallel.threads, n))
        let parts = try (0..<workers).map { _ in try ScratchPool.shared.take(partFloats + planeFloats + gyTFloats) }
        defer { parts.forEach { ScratchPool.shared.give($0) } }
        let xp = UnsafePointer(x.floatPtr), gp = UnsafePointer(gy.floatPtr)
        let imageFloats = cin * h * w, gradFloats = cout * positions
        try withExtendedLifetime((x, gy)) {
            Parallel.forEach(workers) { wkr in
                let acc = parts[wkr].floats, planes = acc + partFloats, gyT = planes + planeFloats
                acc.update(repeating: 0, count: partFloats)
                for s in n * wkr / workers..<n * (wkr + 1) / workers {
                    if Cancellation.requested { return }
                    tp_conv_phase_planes(xp + s * imageFloats, Int32(cin), Int32(h), Int32(w), Int32(p.padding.top),
                                         Int32(p.padding.left), Int32(sw), Int32(hp), Int32(wq), planes)
                    tp_conv_transpose_grad(gp + s * gradFloats, Int32(cout), Int32(positions), Int32(cv), gyT)
                    tp_conv_wgrad_image(planes, Int32(cin), Int32(sw), Int32(hp), Int32(wq), gyT, Int32(cv), Int32(cout),
                                        Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), Int32(oh), Int32(ow), acc)
                }
            }
            try Cancellation.check()
        }
        // out[b·lanes + l][t] = Σ over workers of part[b][t][l]
        let op = out.floatPtr, sums = parts.map { UnsafePointer($0.floats) }
        for b in 0..<blocks {
            for t in 0..<taps {
                for l in 0..<min(lanes, cout - b * lanes) {
                    let i = (b * taps + t) * lanes + l
                    var sum: Float = 0
                    for part in sums { sum += part[i] }
                    op[(b * lanes + l) * taps + t] = sum
                }
            }
        }
        return out
    }
}
