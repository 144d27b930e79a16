import CConv

/// Direct convolution for 1–4 input channels (`CConv`, AVX2 + FMA): the 7×7 stride-2
/// stem of image networks and LeNet's 5×5 convs. There im2col + sgemm spends as much
/// time building and packing the column matrix (Cin·k² rows by every output pixel) as
/// multiplying; here each image is copied once into zero-padded planes split by column
/// phase (so a stride-2 tap reads 8 consecutive floats), and each block of 4 output
/// channels × 24 output columns is summed over all taps in registers.
extension Kernels {
    /// TENSORPAD_CONV_DIRECT=0 turns the direct kernel off (for A/B runs).
    nonisolated(unsafe) public static var directConvEnabled = getenvString("TENSORPAD_CONV_DIRECT") != "0"
    public static let directConvSupported = tp_conv_direct_supported() != 0

    public static func directConvApplies(cin: Int, kh: Int, kw: Int, p: Conv2dParams, ow: Int) -> Bool {
        directConvEnabled && directConvSupported && p.groups == 1 && cin <= 8 && cin * kh * kw <= 1024
            && ow >= 8 && p.stride.0 <= 4 && p.stride.1 <= 4
    }

    /// out (N, Cout, oh, ow) = conv(x (N, Cin, h, w), weight (Cout, Cin, kh, kw)) + bias.
    /// Images are processed in chunks whose planes stay within a few MiB; output rows of
    /// a chunk are the work items.
    static func directConv(x: UnsafePointer<Float>, n: Int, cin: Int, h: Int, w: Int,
                           weight: UnsafePointer<Float>, cout: Int, kh: Int, kw: Int,
                           bias: UnsafePointer<Float>?, p: Conv2dParams, oh: Int, ow: Int,
                           out: UnsafeMutablePointer<Float>) throws {
        let (sh, sw) = p.stride, (dh, dw) = p.dilation
        let taps = cin * kh * kw
        let hp = (oh - 1) * sh + (kh - 1) * dh + 1
        let wq = (ow + 7) / 8 * 8 + ((kw - 1) * dw) / sw + 1
        let planeFloats = cin * sw * hp * wq
        let chunk = max(1, min(n, (4 << 20) / max(planeFloats, 1)))
        let packed = try ScratchPool.shared.take((cout + 3) / 4 * 4 * taps)
        let planes = try ScratchPool.shared.take(chunk * planeFloats)
        defer { ScratchPool.shared.give(packed); ScratchPool.shared.give(planes) }
        tp_conv_pack_weights4(weight, Int32(cout), Int32(taps), packed.floats)
        let pp = planes.floats, wp = UnsafePointer(packed.floats)
        for first in stride(from: 0, to: n, by: chunk) {
            let images = min(chunk, n - first)
            Parallel.forEach(images * cin) { item in
                let s = item / cin, c = item % cin
                tp_conv_phase_planes(x + ((first + s) * cin + c) * h * w, 1, Int32(h), Int32(w),
                                     Int32(p.padding.top), Int32(p.padding.left), Int32(sw), Int32(hp), Int32(wq),
                                     pp + s * planeFloats + c * sw * hp * wq)
            }
            // Items of a few rows each: enough of them to balance the workers.
            let rowsPerItem = max(1, min(oh, (images * oh) / (8 * Parallel.threads)))
            let itemsPerImage = (oh + rowsPerItem - 1) / rowsPerItem
            Parallel.forEach(images * itemsPerImage) { item in
                let s = item / itemsPerImage, r0 = (item % itemsPerImage) * rowsPerItem
                tp_conv_direct_rows(pp + s * planeFloats, Int32(cin), Int32(sw), Int32(hp), Int32(wq), wp,
                                    Int32(cout), Int32(kh), Int32(kw), Int32(sh), Int32(dh), Int32(dw), bias,
                                    out + (first + s) * cout * oh * ow, Int32(oh), Int32(ow),
                                    Int32(r0), Int32(min(oh, r0 + rowsPerItem)))
            }
            try Cancellation.check()
        }
    }
}
