import Capture
import CVision
import Dispatch
import GazeCore
import Synchronization

/// Face detection on a queue of its own, for the periodic re-detection of a face already followed: the
/// frame being processed does not wait for a full scan. Each request's answer is collected at a fixed
/// number of frames later (waiting only if it is not ready then), so the results do not depend on timing:
/// a file and the same frames from a camera give the same records.
final class BackgroundDetector: @unchecked Sendable {
    // @unchecked: `handle` is used only on `queue`; answers cross in a Mutex.
    private let handle: OpaquePointer
    private let queue = DispatchQueue(label: "gazetop.detection")
    private let answers = Mutex<[Int: [Box]]>([:])
    private let config: TrackingConfig

    init(config: TrackingConfig) throws(ModelError) {
        var error = cvs_error()
        guard let handle = cvs_face_detector_create(&error) else {
            throw ModelError(description: CVisionText.message(error))
        }
        self.handle = handle
        self.config = config
    }

    deinit {
        queue.sync {}
        cvs_face_detector_destroy(handle)
    }

    /// Starts detecting faces in `frame` (copied); the answer is kept under its sequence number.
    func request(_ frame: Frame) {
        let config = self.config
        queue.async { [self] in
            let longest = max(frame.width, frame.height)
            let scale = longest > config.detectionMaxSidePixels ? Float(config.detectionMaxSidePixels) / Float(longest) : 1
            var boxes = [cvs_rect](repeating: cvs_rect(), count: 16)
            var error = cvs_error()
            let found = frame.gray.withUnsafeBufferPointer { p in
                cvs_face_detector_run(handle, cvs_image(pixels: p.baseAddress, width: Int32(frame.width),
                                                        height: Int32(frame.height), stride: Int32(frame.width)),
                                      scale, Float(config.detectionMinScore), &boxes, Int32(boxes.count), &error)
            }
            let found_ = boxes.prefix(Int(max(0, min(found, Int32(boxes.count))))).map {
                Box(x: Double($0.x), y: Double($0.y), width: Double($0.width), height: Double($0.height))
            }
            answers.withLock { $0[frame.sequence] = found_ }
        }
    }

    /// The faces found in frame `sequence`, waiting for the answer if it is still being worked out.
    func answer(for sequence: Int) -> [Box] {
        if let ready = answers.withLock({ $0.removeValue(forKey: sequence) }) { return ready }
        queue.sync {}
        return answers.withLock { $0.removeValue(forKey: sequence) } ?? []
    }

    /// Drops the answer for `sequence` once it is in: nobody will collect it (the face was detected afresh).
    func discard(_ sequence: Int) {
        queue.async { [self] in _ = answers.withLock { $0.removeValue(forKey: sequence) } }
    }

    /// Drops answers nobody will collect (the stream was reset).
    func forgetAll() {
        queue.sync {}
        answers.withLock { $0.removeAll() }
    }
}
