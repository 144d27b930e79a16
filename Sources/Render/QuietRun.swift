import NN
import TensorCore

/// Runs a model for inspection (summaries, shapes, feature maps) without
/// side effects: eval mode and no grad during the run, then every module's
/// training flag and every buffer (batch-norm running stats and
/// num_batches_tracked) restored to what they were, even when the run throws.
enum QuietRun {
    static func run<T>(_ model: Module, _ body: () throws -> T) throws -> T {
        let modules = model.namedModules().map { $0.1 }
        let flags = modules.map { $0.training }
        var saved: [(Tensor, Tensor)] = []
        for (_, b) in model.namedBuffers() { saved.append((b, try b.copyContiguous())) }
        defer {
            // Pre-order: a parent's train() sets its children, then each child gets its own flag back.
            for (m, f) in zip(modules, flags) { m.train(f) }
            for (b, copy) in saved { try? b.copy_(copy) }
        }
        model.eval()
        return try GradMode.withoutGrad { try body() }
    }

    /// A description of the first tensor of a list of outputs (or inputs).
    static func shape(_ ts: [Tensor]) -> [Int] { ts.first?.shape ?? [] }
}
