import Capture
import CVision
import GazeCore
import Glibc

/// Finds the face, follows it from frame to frame and measures its eyes and pose.
///
/// Detection (dlib's HOG, on a copy scaled down to `detectionMaxSidePixels`) is the expensive step, so it
/// runs only when there is no face to follow, every `redetectEveryFrames` frames (to re-anchor the
/// landmarks to the detector's box), or when the tracked fit looks wrong. In between, the face box comes
/// from the previous frame's landmarks. A periodic re-detection looks only near the followed face
/// (`cvs_detect_faces_near`, which gives the box a full scan would give it), and a full scan of the
/// picture, to notice other faces and count them, runs every `fullScanEveryFrames` frames.
///
/// Not thread-safe: it owns dlib/OpenCV state and lives on one serial queue.
public final class FaceTracker {
    public let model: FaceModel
    public let config: TrackingConfig

    /// The largest face of the last frame, if it was followed.
    private var previous: Landmarks?
    /// Where the detector's box sits relative to the landmarks' bounding box, learnt at each detection,
    /// so a box built from landmarks is the kind of box the landmark model was trained on.
    private var boxFromLandmarks = BoxRelation.identity
    private var framesSinceDetection = 0
    /// Frames since the last full scan; starts high so the first detection scans the whole picture.
    private var framesSinceFullScan = Int.max / 2
    /// The detector's box of the followed face at its last detection.
    private var lastDetectedBox: Box?
    /// Detections since the last full-size retry; starts high so the first miss retries at once.
    private var framesSinceFullScaleTry = Int.max / 2
    /// The pose solver's last solution for the followed face.
    private var poseState = cvs_pose_state()
    private var faceCount = 0

    /// How many detections ran, near the followed face or over the whole picture (for benchmarks and
    /// tests of the policy).
    public private(set) var detections = 0
    /// How many of them scanned the whole picture.
    public private(set) var fullScans = 0
    /// Where the last frame's time went.
    public private(set) var lastTimings = StageTimings()

    /// Periodic re-detection of the followed face, off the frame's path (see `BackgroundDetector`).
    private let background: BackgroundDetector?
    /// The re-detection under way: the frame it was asked for and that frame's landmarks.
    private var pendingCheck: (sequence: Int, landmarks: Landmarks)?

    public init(model: FaceModel, config: TrackingConfig = TrackingConfig()) {
        self.model = model
        self.config = config
        background = config.detectionLagFrames > 0 ? try? BackgroundDetector(config: config) : nil
    }

    /// Forgets the face being followed; the next frame runs a detection.
    public func reset() {
        previous = nil
        pendingCheck = nil
        background?.forgetAll()
        framesSinceFullScaleTry = Int.max / 2
        framesSinceFullScan = Int.max / 2
        lastDetectedBox = nil
        poseState = cvs_pose_state()
        framesSinceDetection = 0
        faceCount = 0
    }

    /// Looks at one frame.
    public func observe(_ frame: Frame) -> FrameObservation {
        lastTimings = StageTimings()
        let start = Monotonic.nowMs()
        let face = frame.gray.withUnsafeBufferPointer { pixels -> FaceObservation? in
            let image = cvs_image(pixels: pixels.baseAddress, width: Int32(frame.width), height: Int32(frame.height),
                                  stride: Int32(frame.width))
            return findFace(in: image, frame: frame)
        }
        return FrameObservation(frame: frame.sequence, timeMs: frame.timeMs, imageWidth: frame.width,
                                imageHeight: frame.height, faceCount: face == nil ? 0 : faceCount, face: face,
                                frameLevel: frame.meanLevel, visionMs: Monotonic.nowMs() - start)
    }

    private func findFace(in image: cvs_image, frame: Frame) -> FaceObservation? {
        let width = frame.width, height = frame.height
        var landmarks: Landmarks?
        var box: Box?
        if let pending = pendingCheck, frame.sequence - pending.sequence >= config.detectionLagFrames,
           let background {
            pendingCheck = nil
            settle(background.answer(for: pending.sequence), for: pending.landmarks)
        }
        let followingInBackground = background != nil && previous != nil
        framesSinceFullScan += 1
        // A face followed until now, due for its periodic re-detection (not one that was lost).
        let reanchoring = previous != nil && !followingInBackground && framesSinceDetection >= config.redetectEveryFrames
        if let previous, followingInBackground || framesSinceDetection < config.redetectEveryFrames {
            let tracked = boxFromLandmarks.apply(to: Box(bounding: previous.points))
            if let fitted = fit(image, tracked), plausible(fitted, after: previous) {
                landmarks = fitted
                box = tracked
                framesSinceDetection += 1
                if let background, pendingCheck == nil, framesSinceDetection >= config.redetectEveryFrames {
                    framesSinceDetection = 0
                    pendingCheck = (frame.sequence, fitted)
                    background.request(frame)
                }
            }
        }
        if landmarks == nil {
            if let pending = pendingCheck { background?.discard(pending.sequence) } // superseded
            pendingCheck = nil
            poseState.valid = 0 // a detection may have found another face
            // Re-anchoring a face still followed looks only near it, unless a full scan is due.
            let near = reanchoring && framesSinceFullScan < config.fullScanEveryFrames ? previous.flatMap(nearSearch) : nil
            guard let detected = near.flatMap({ detect(image, width: width, height: height, near: $0) })
                ?? detect(image, width: width, height: height) else {
                previous = nil
                faceCount = 0
                return nil
            }
            landmarks = fit(image, detected)
            box = detected
            lastDetectedBox = detected
            if let landmarks { boxFromLandmarks = BoxRelation(from: Box(bounding: landmarks.points), to: detected) }
        }
        guard let landmarks, let box else {
            previous = nil
            poseState.valid = 0
            return nil
        }
        previous = landmarks
        guard let left = measure(image, landmarks.leftEye), let right = measure(image, landmarks.rightEye) else {
            return nil
        }
        return FaceObservation(box: box, landmarks: landmarks, leftEye: left, rightEye: right,
                               headPose: headPose(landmarks, width: width, height: height))
    }

    /// Where a periodic re-detection looks for the followed face: its centre near where the tracked box
    /// puts it now, its size near the one it had at its last detection.
    private struct NearSearch {
        var centres: Box
        var minWidth: Double
        var maxWidth: Double
    }

    private func nearSearch(around previous: Landmarks) -> NearSearch? {
        guard let last = lastDetectedBox else { return nil }
        let tracked = boxFromLandmarks.apply(to: Box(bounding: previous.points))
        let reach = config.nearSearchReachFraction
        let centres = Box(x: tracked.center.x - tracked.width * (0.5 + reach), y: tracked.center.y - tracked.height * (0.5 + reach),
                          width: tracked.width * (1 + 2 * reach), height: tracked.height * (1 + 2 * reach))
        return NearSearch(centres: centres, minWidth: last.width / config.nearSearchSizeRatio,
                          maxWidth: last.width * config.nearSearchSizeRatio)
    }

    /// A detection over the whole picture, or (with `near`) only where the followed face can be. Nil when
    /// nothing is found.
    private func detect(_ image: cvs_image, width: Int, height: Int, near: NearSearch? = nil) -> Box? {
        let start = Monotonic.nowMs()
        defer { lastTimings.detectMs += Monotonic.nowMs() - start }
        detections += 1
        framesSinceDetection = 0
        let longest = max(width, height)
        let scale = longest > config.detectionMaxSidePixels ? Float(config.detectionMaxSidePixels) / Float(longest) : 1
        var boxes = [cvs_rect](repeating: cvs_rect(), count: 16)
        var error = cvs_error()
        if let near {
            let c = near.centres
            let centres = cvs_rect(x: Float(c.x), y: Float(c.y), width: Float(c.width), height: Float(c.height), score: 0)
            let found = cvs_detect_faces_near(model.handle, image, scale, Float(config.detectionMinScore), centres,
                                              Float(near.minWidth), Float(near.maxWidth), &boxes, Int32(boxes.count), &error)
            guard found > 0 else { return nil } // the caller scans the whole picture
            let r = boxes[0]
            return Box(x: Double(r.x), y: Double(r.y), width: Double(r.width), height: Double(r.height))
        }
        fullScans += 1
        framesSinceFullScan = 0
        func run(_ scale: Float) -> Int32 {
            cvs_detect_faces(model.handle, image, scale, Float(config.detectionMinScore), &boxes, Int32(boxes.count), &error)
        }
        var found = run(scale)
        // A face too small for the reduced copy (a photo, someone far away) is looked for at full size too,
        // but only now and then, so an empty room at high resolution stays cheap.
        framesSinceFullScaleTry += 1
        if found <= 0 && scale < 1 && framesSinceFullScaleTry >= config.redetectEveryFrames {
            framesSinceFullScaleTry = 0
            found = run(1)
        }
        faceCount = max(0, Int(found))
        guard found > 0 else { return nil }
        let r = boxes[0]
        return Box(x: Double(r.x), y: Double(r.y), width: Double(r.width), height: Double(r.height))
    }

    private func fit(_ image: cvs_image, _ box: Box) -> Landmarks? {
        let start = Monotonic.nowMs()
        defer { lastTimings.landmarksMs += Monotonic.nowMs() - start }
        var xy = [Float](repeating: 0, count: 2 * Landmarks.count)
        var error = cvs_error()
        let rect = cvs_rect(x: Float(box.x), y: Float(box.y), width: Float(box.width), height: Float(box.height),
                            score: 0)
        guard cvs_fit_landmarks(model.handle, image, rect, &xy, &error) == CVS_OK else { return nil }
        return Landmarks(points: (0..<Landmarks.count).map { Point(x: Double(xy[2 * $0]), y: Double(xy[2 * $0 + 1])) })
    }

    /// Applies a background re-detection of an earlier frame: the face count, and where the detector's box
    /// sits relative to that frame's landmarks. No face there means the followed face was not one: the next
    /// frame is detected afresh.
    /// The next fit uses the new relation, so the face is re-anchored from this frame on.
    private func settle(_ found: [Box], for landmarks: Landmarks) {
        let followed = Box(bounding: landmarks.points)
        guard let match = found.max(by: { $0.overlap(with: followed) < $1.overlap(with: followed) }),
              match.overlap(with: followed) > 0.2 else {
            previous = nil
            return
        }
        faceCount = found.count
        boxFromLandmarks = BoxRelation(from: followed, to: match)
    }

    /// A tracked fit that jumped or changed size too much, or lost the shape of a face, is not trusted:
    /// the frame is detected afresh.
    private func plausible(_ fitted: Landmarks, after previous: Landmarks) -> Bool {
        let now = Box(bounding: fitted.points), before = Box(bounding: previous.points)
        let size = (now.width + now.height) / 2, sizeBefore = (before.width + before.height) / 2
        guard sizeBefore > 0, size > 0 else { return false }
        let grew = abs(size / sizeBefore - 1)
        let moved = now.center.distance(to: before.center) / sizeBefore
        let eyes = fitted.interocularDistance / now.width // about 0.6-0.75 for any face, frontal or turned a little
        return grew <= config.maxTrackedSizeChange && moved <= config.maxTrackedMove && eyes > 0.35 && eyes < 0.95
    }

    private func measure(_ image: cvs_image, _ eye: EyePoints) -> EyeObservation? {
        let start = Monotonic.nowMs()
        defer { lastTimings.eyesMs += Monotonic.nowMs() - start }
        var xy = eye.points.flatMap { [Float($0.x), Float($0.y)] }
        var m = cvs_eye_measure()
        var error = cvs_error()
        guard cvs_measure_eye(image, &xy, &m, &error) == CVS_OK else { return nil }
        return EyeObservation(points: eye, pupil: Point(x: Double(m.pupil_x), y: Double(m.pupil_y)),
                              pupilContrast: Double(m.pupil_contrast), irisHeight: Double(m.iris_height),
                              meanLevel: Double(m.mean_level))
    }

    private func headPose(_ landmarks: Landmarks, width: Int, height: Int) -> HeadPose? {
        let start = Monotonic.nowMs()
        defer { lastTimings.poseMs += Monotonic.nowMs() - start }
        var xy = landmarks.points.flatMap { [Float($0.x), Float($0.y)] }
        var pose = cvs_head_pose()
        var error = cvs_error()
        guard cvs_estimate_head_pose(&xy, Int32(width), Int32(height), &poseState, &pose, &error) == CVS_OK else { return nil }
        return HeadPose(yaw: Double(pose.yaw_deg), pitch: Double(pose.pitch_deg), roll: Double(pose.roll_deg))
    }
}

/// Milliseconds spent in each vision stage of one frame.
public struct StageTimings: Sendable, Equatable {
    public var detectMs = 0.0
    public var landmarksMs = 0.0
    public var eyesMs = 0.0
    public var poseMs = 0.0

    public init() {}
}

/// How one box sits relative to another, as offsets and scales in the first box's size.
struct BoxRelation {
    var dx = 0.0, dy = 0.0, sx = 1.0, sy = 1.0
    static let identity = BoxRelation()

    init() {}

    init(from a: Box, to b: Box) {
        guard a.width > 0, a.height > 0 else { return }
        dx = (b.x - a.x) / a.width
        dy = (b.y - a.y) / a.height
        sx = b.width / a.width
        sy = b.height / a.height
    }

    func apply(to a: Box) -> Box {
        Box(x: a.x + dx * a.width, y: a.y + dy * a.height, width: a.width * sx, height: a.height * sy)
    }
}

/// Monotonic milliseconds, for timing work (never for stream time).
public enum Monotonic {
    public static func nowMs() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1_000_000
    }
}
