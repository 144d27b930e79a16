import TensorCore

/// `nn.parallel.DistributedDataParallel(module)` in one process: the model
/// itself underneath, as the child `module` (so parameters, `state_dict` keys
/// `module.0.weight` and the repr are PyTorch's). With a world of one there is
/// no gradient to average, so the forward and backward are the module's own.
public final class DistributedDataParallel: Module {
    public init(_ module: Module) {
        super.init()
        registerChild("module", module)
    }

    public var wrapped: Module? { child("module") }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard let m = wrapped else { throw TensorError.type("'DistributedDataParallel' object has no attribute 'module'") }
        return try m(input)
    }

    public override func forward(inputs: [Tensor], outputSize: [Int]? = nil) throws -> [Tensor] {
        guard let m = wrapped else { throw TensorError.type("'DistributedDataParallel' object has no attribute 'module'") }
        return try m.call(inputs, outputSize: outputSize)
    }
}
