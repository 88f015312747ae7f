/// Where the dashboard draws and reads keys: the terminal through curses (`CursesScreen`), or memory
/// (`MemoryScreen`) for tests.
public protocol Screen: AnyObject {
    /// Columns and rows now (they change when the terminal is resized).
    var size: (width: Int, height: Int) { get }
    /// How this screen wants cells drawn (characters, colour support).
    var options: RenderOptions { get }
    /// Shows a grid of the current size.
    func show(_ grid: CellGrid)
    /// The next key, waiting at most `timeoutMs`; nil when none came.
    func readKey(timeoutMs: Int) -> Key?
}

/// A screen in memory: keys come from a script, and the last grid shown is kept.
public final class MemoryScreen: Screen {
    public var size: (width: Int, height: Int)
    public var options: RenderOptions
    public private(set) var shown: CellGrid?
    public private(set) var framesShown = 0
    /// Keys to hand out, in order; a nil entry means "no key this time".
    public var script: [Key?]
    /// Called before each key is handed out (a test's chance to change the world between keys).
    public var beforeKey: (Int) -> Void = { _ in }
    private var keysRead = 0

    public init(width: Int, height: Int, options: RenderOptions = RenderOptions(), keys: [Key?] = []) {
        size = (width, height)
        self.options = options
        script = keys
    }

    public func show(_ grid: CellGrid) {
        shown = grid
        framesShown += 1
    }

    public func readKey(timeoutMs: Int) -> Key? {
        beforeKey(keysRead)
        keysRead += 1
        return script.isEmpty ? nil : script.removeFirst()
    }
}
