/// BLAS, LAPACK and the C kernels (CConv) take sizes, strides and counts as 32-bit C ints.
/// Every such value is checked here before the call: one past Int32 raises RuntimeError,
/// where `Int32(_:)` would trap and `Int32(truncatingIfNeeded:)` would compute on a wrapped
/// size. The words are those of PyTorch's own check (`cuda_int_cast`); its CPU paths split
/// or fall back instead, which Tensorpad does for matrix products (`GemmOperand`).
/// (Not named `CInt`: a type of that name would hide Swift's `CInt` in every module importing TensorCore.)
public enum CIntArgument {
    /// Throws `RuntimeError: <op>: The value of <name>(<v>) is too large to fit into a int (4 bytes)`
    /// for the first value that is not a C int.
    public static func check(_ op: String, _ values: KeyValuePairs<String, Int>) throws {
        for (name, v) in values where v < Int(Int32.min) || v > Int(Int32.max) {
            throw TensorError.runtime("\(op): The value of \(name)(\(v)) is too large to fit into a int (4 bytes)")
        }
    }
}
