import Capture
import GazeCore

/// The per-frame work a live session runs on its vision queue: `FramePipeline` for real, a stand-in with
/// known timing in tests of the queueing itself.
public protocol FrameProcessing: AnyObject {
    /// Processes one frame: everything it produced (see `FrameResult`).
    func process(_ frame: Frame) -> FrameResult
    /// Ends the stream: the records still held back.
    func finish() -> [FrameRecord]
}

extension FramePipeline: FrameProcessing {}
