import TensorCore
// Temporary until kernels land.
extension Functional {
    public static func conv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int], padding: ConvPadding, dilation: [Int], groups: Int, paddingMode: PaddingMode) throws -> Tensor { throw TensorError.value("pending") }
    public static func conv1d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int], padding: ConvPadding, dilation: [Int], groups: Int, paddingMode: PaddingMode) throws -> Tensor { throw TensorError.value("pending") }
    public static func convTranspose2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, stride: [Int], padding: [Int], outputPadding: [Int], groups: Int, dilation: [Int]) throws -> Tensor { throw TensorError.value("pending") }
    public static func maxPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int], padding: [Int], dilation: [Int], ceilMode: Bool) throws -> (Tensor, Tensor) { throw TensorError.value("pending") }
    public static func avgPool2d(_ x: Tensor, kernelSize: [Int], stride: [Int], padding: [Int], ceilMode: Bool, countIncludePad: Bool, divisorOverride: Int?) throws -> Tensor { throw TensorError.value("pending") }
    public static func maxUnpool2d(_ x: Tensor, indices: Tensor, kernelSize: [Int], stride: [Int], padding: [Int], outputSize: [Int]?) throws -> Tensor { throw TensorError.value("pending") }
    public static func adaptiveAvgPool2d(_ x: Tensor, outputSize: AdaptiveSize) throws -> Tensor { throw TensorError.value("pending") }
    public static func adaptiveMaxPool2d(_ x: Tensor, outputSize: AdaptiveSize) throws -> (Tensor, Tensor) { throw TensorError.value("pending") }
    public static func dropout(_ x: Tensor, p: Double, training: Bool) throws -> Tensor { throw TensorError.value("pending") }
    public static func dropout2d(_ x: Tensor, p: Double, training: Bool) throws -> Tensor { throw TensorError.value("pending") }
    public static func batchNorm(_ x: Tensor, runningMean: Tensor?, runningVar: Tensor?, weight: Tensor?, bias: Tensor?, training: Bool, momentum: Double, eps: Double) throws -> Tensor { throw TensorError.value("pending") }
    public static func prelu(_ x: Tensor, weight: Tensor) throws -> Tensor { throw TensorError.value("pending") }
    public static func rrelu(_ x: Tensor, lower: Double, upper: Double, training: Bool) throws -> Tensor { throw TensorError.value("pending") }
    public static func softmax(_ x: Tensor, dim: Int) throws -> Tensor { throw TensorError.value("pending") }
    public static func logSoftmax(_ x: Tensor, dim: Int) throws -> Tensor { throw TensorError.value("pending") }
}
