import Capture
import GazeCore

/// The per-frame work a live session runs on its vision queue: `FramePipeline` for real, a stand-in with
/// known timing in tests of the queueing itself.
public protocol FrameProcessing: AnyObject {
    func process(_ frame: Frame) -> FrameRecord
}

extension FramePipeline: FrameProcessing {}
