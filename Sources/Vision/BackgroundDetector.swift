import Capture
import CVision
import Dispatch
import GazeCore
import Synchronization

/// Face detection on a queue of its own, for the periodic re-detection of a face already followed (near it,
/// or over the whole picture) and the search for a face while none is followed: the frame being processed
/// does not wait for the scan. Each request's answer is collected at a fixed
/// number of frames later (waiting only if it is not ready then), so the results do not depend on timing:
/// a file and the same frames from a camera give the same records.
///
/// The queue's blocks hold the `Detection` (the dlib handle and the answers), never the detector itself:
/// the detector's last release may then happen anywhere, and the handle is destroyed by whoever lets go
/// of it last, the detector or a block still scanning. (A `deinit` that waited for the queue trapped when
/// that last release was a block on the queue itself.)
final class BackgroundDetector: Sendable {
    private let detection: Detection
    private let queue = DispatchQueue(label: "gazetop.detection")
    private let config: TrackingConfig

    init(config: TrackingConfig) throws(ModelError) {
        detection = try Detection()
        self.config = config
    }

    /// What a request found: the faces, and whether it scanned the whole picture (else only near a
    /// followed face, and faces elsewhere were not looked for).
    struct Answer {
        var faces: [Box]
        var wholePicture: Bool
    }

    /// Starts detecting faces in `frame` (copied), over the whole picture or only `near` a followed face;
    /// the answer is kept under its sequence number.
    func request(_ frame: Frame, near: NearSearch? = nil) {
        let config = self.config
        queue.async { [detection, queue] in
            // The dlib handle is this queue's alone.
            dispatchPrecondition(condition: .onQueue(queue))
            let handle = detection.handle
            var boxes = [cvs_rect](repeating: cvs_rect(), count: 16)
            var error = cvs_error()
            let found = frame.gray.withUnsafeBufferPointer { p in
                let image = cvs_image(pixels: p.baseAddress, width: Int32(frame.width), height: Int32(frame.height),
                                      stride: Int32(frame.width))
                guard let near else {
                    return cvs_face_detector_run(handle, image, config.detectionScale(width: frame.width, height: frame.height),
                                                 Float(config.detectionMinScore), &boxes, Int32(boxes.count), &error)
                }
                return cvs_face_detector_run_near(handle, image, near.scale, Float(config.detectionMinScore),
                                                  near.centres.cRect, Float(near.minWidth), Float(near.maxWidth),
                                                  &boxes, Int32(boxes.count), &error)
            }
            let answer = Answer(faces: boxes.prefix(Int(max(0, min(found, Int32(boxes.count))))).map(Box.init),
                                wholePicture: near == nil)
            detection.answers.withLock { $0[frame.sequence] = answer }
        }
    }

    /// What was found in frame `sequence`, waiting for the answer if it is still being worked out.
    func answer(for sequence: Int) -> Answer {
        if let ready = detection.answers.withLock({ $0.removeValue(forKey: sequence) }) { return ready }
        queue.sync {}
        return detection.answers.withLock { $0.removeValue(forKey: sequence) } ?? Answer(faces: [], wholePicture: true)
    }

    /// Drops the answer for `sequence` once it is in: nobody will collect it (the face was detected afresh).
    func discard(_ sequence: Int) {
        queue.async { [detection] in _ = detection.answers.withLock { $0.removeValue(forKey: sequence) } }
    }

    /// Drops answers nobody will collect (the stream was reset).
    func forgetAll() {
        queue.sync {}
        detection.answers.withLock { $0.removeAll() }
    }
}

/// The detection queue's state: a dlib detector and the answers waiting to be collected.
// @unchecked Sendable: `handle` is used only by blocks on the detection queue (which runs one at a time)
// and destroyed in `deinit`, when no block holds it any more; `answers` is behind a Mutex.
private final class Detection: @unchecked Sendable {
    let handle: OpaquePointer
    let answers = Mutex<[Int: BackgroundDetector.Answer]>([:])

    init() throws(ModelError) {
        var error = cvs_error()
        guard let handle = cvs_face_detector_create(&error) else {
            throw ModelError(description: CVisionText.message(error))
        }
        self.handle = handle
    }

    deinit { cvs_face_detector_destroy(handle) }
}
