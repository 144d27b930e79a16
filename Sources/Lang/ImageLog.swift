import Foundation

/// Images shown or saved while a cell runs, so the runner can attach them
/// to the cell's outputs (`display_data` with `image/png`) and the report.
/// The notebook session brackets each cell with `begin()`/`end()`; outside
/// a cell (plain `Interpreter` use) recording does nothing.
public final class ImageLog {
    nonisolated(unsafe) public static let shared = ImageLog()
    private var active = false
    private var items: [(png: Data, path: String?)] = []
    /// Called with each image as it is recorded, for front ends that show output
    /// while the cell runs (the Jupyter kernel's `display_data`).
    public var onRecord: ((_ png: Data, _ path: String?) -> Void)?

    /// Whether a cell is running, so builtins can skip encoding unseen images.
    public var isRecording: Bool { active }

    public func begin() { active = true; items = [] }
    public func end() -> [(png: Data, path: String?)] { active = false; defer { items = [] }; return items }

    /// Called by the image builtins (`show`, `save_pgm`, `save_grid`, `feature_maps`).
    public func record(png: Data, path: String?) {
        guard active else { return }
        items.append((png, path))
        onRecord?(png, path)
    }
}
