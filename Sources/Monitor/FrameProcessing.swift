import Capture
import GazeCore

/// The per-frame work a live session runs on its vision queue: `FramePipeline` for real, a stand-in with
/// known timing in tests of the queueing itself.
public protocol FrameProcessing: AnyObject {
    /// Processes one frame; its record as known now (for timing and the live view).
    func process(_ frame: Frame) -> FrameRecord
    /// Records whose judgement is final, in stream order, since the last call (see `EyeMetrics`).
    func takeConfirmed() -> [FrameRecord]
    /// Ends the stream: the records still held back.
    func finish() -> [FrameRecord]
}

extension FramePipeline: FrameProcessing {}
