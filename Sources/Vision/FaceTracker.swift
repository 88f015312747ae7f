import Capture
import CVision
import GazeCore
import Glibc

/// Finds the face, follows it from frame to frame and measures its eyes and pose.
///
/// Detection (dlib's HOG, on a copy scaled down to `detectionMaxSidePixels`) is the expensive step, so it
/// runs only when there is no face to follow, every `redetectEveryFrames` frames (to re-anchor the
/// landmarks to the detector's box), or when the tracked fit looks wrong. In between, the face box comes
/// from the previous frame's landmarks. A re-detection (in line, or on the detection queue with
/// `detectionLagFrames`) looks only near the followed face
/// (`cvs_detect_faces_near`, which gives the box a full scan would give it); the whole picture is scanned
/// when that finds nothing and at the first re-detection after `fullScanEveryFrames` frames, to notice
/// other faces and count them.
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
    /// When detection is due: the periodic re-detection, the whole-picture scan, the full-size retry.
    private var schedule: DetectionSchedule
    /// The detector's box of the followed face when it was last detected (the size a search near it
    /// expects), and the scale of the picture it was found in.
    private var lastDetectedBox: Box?
    private var lastDetectionScale: Float?
    /// The pose solver's last solution for the followed face.
    private var poseState = cvs_pose_state()
    private var faceCount = 0

    /// How many scans of the whole picture ran in line (for benchmarks and tests of the policy), and how
    /// many searches only near a followed face.
    public private(set) var detections = 0
    public private(set) var nearDetections = 0
    /// Where the last frame's time went.
    public private(set) var lastTimings = StageTimings()

    /// Periodic re-detection of the followed face, off the frame's path (see `BackgroundDetector`).
    private let background: BackgroundDetector?
    /// The re-detection under way: the frame it was asked for and that frame's landmarks.
    private var pendingCheck: (sequence: Int, landmarks: Landmarks)?
    /// The background search for a face under way while none is followed: the frame it was asked for.
    private var pendingSearch: Int?
    /// Background re-detections in a row that did not find the followed face.
    private var missedChecks = 0

    public init(model: FaceModel, config: TrackingConfig = TrackingConfig()) {
        self.model = model
        self.config = config
        schedule = DetectionSchedule(config)
        background = config.detectionLagFrames > 0 ? try? BackgroundDetector(config: config) : nil
    }

    /// Forgets the face being followed; the next frame runs a detection.
    public func reset() {
        previous = nil
        pendingCheck = nil
        pendingSearch = nil
        missedChecks = 0
        background?.forgetAll()
        schedule = DetectionSchedule(config)
        lastDetectedBox = nil
        lastDetectionScale = nil
        poseState = cvs_pose_state()
        faceCount = 0
    }

    /// Looks at one frame.
    public func observe(_ frame: Frame) -> FrameObservation {
        lastTimings = StageTimings()
        let start = MonotonicClock.nowMs()
        let face = frame.gray.withUnsafeBufferPointer { pixels -> FaceObservation? in
            let image = cvs_image(pixels: pixels.baseAddress, width: Int32(frame.width), height: Int32(frame.height),
                                  stride: Int32(frame.width))
            return findFace(in: image, frame: frame)
        }
        return FrameObservation(frame: frame.sequence, timeMs: frame.timeMs, imageWidth: frame.width,
                                imageHeight: frame.height, faceCount: face == nil ? 0 : faceCount, face: face,
                                frameLevel: frame.meanLevel, visionMs: MonotonicClock.nowMs() - start)
    }

    /// The largest face in `frame` by a full scan or, with `near`, the face a search around that box finds
    /// (as after an implausible fit, with `near` as the face's last detected box, found by the last full
    /// scan).
    func largestFace(in frame: Frame, near: Box? = nil) -> Box? {
        frame.gray.withUnsafeBufferPointer { pixels in
            let image = cvs_image(pixels: pixels.baseAddress, width: Int32(frame.width), height: Int32(frame.height),
                                  stride: Int32(frame.width))
            guard let near else {
                let found = scan(image, width: frame.width, height: frame.height)
                lastDetectionScale = found?.scale // as a detection in line adopts it
                return found?.box
            }
            lastDetectedBox = near
            return search(image, near: nearSearch(around: near, reach: config.nearDetectionMargin,
                                                  width: frame.width, height: frame.height))
        }
    }

    private func findFace(in image: cvs_image, frame: Frame) -> FaceObservation? {
        let width = frame.width, height = frame.height
        if let pending = pendingCheck, frame.sequence - pending.sequence >= config.detectionLagFrames,
           let background {
            pendingCheck = nil
            settle(background.answer(for: pending.sequence), for: pending.landmarks)
        }
        schedule.frameBegins()
        var found = follow(image, frame: frame)
        if found == nil {
            if let pending = pendingCheck { background?.discard(pending.sequence) } // superseded
            pendingCheck = nil
            poseState.valid = 0 // a detection may find another face
            found = background == nil ? reanchorInLine(image, frame: frame) ?? detectInLine(image, width: width, height: height)
                : acquire(image, frame: frame)
        }
        guard let (landmarks, box) = found else {
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

    /// The followed face in this frame: fitted from the last frame's landmarks while that fit stays
    /// plausible, else found again by a detection around where it was. Nil when no face is followed, when a
    /// periodic in-line re-detection is due, or when the face is not near its last place.
    private func follow(_ image: cvs_image, frame: Frame) -> (Landmarks, Box)? {
        guard let previous else { return nil }
        let followingInBackground = background != nil
        guard followingInBackground || !schedule.redetectionDue else { return nil }
        let tracked = boxFromLandmarks.apply(to: Box(bounding: previous.points))
        var found: (Landmarks, Box)?
        if let fitted = fit(image, tracked), plausible(fitted, after: previous) {
            found = (fitted, tracked)
        } else if let near = search(image, near: nearSearch(around: tracked, reach: config.nearDetectionMargin,
                                                           width: frame.width, height: frame.height)),
                  let fitted = fit(image, near) {
            // A fit that jumped or lost its shape (a quick turn, a hand): the face is looked for around
            // its last place only, a fraction of a full scan, so the frame is not held up.
            found = adopt(near, fitted, scale: lastDetectionScale)
        }
        guard let found else { return nil }
        schedule.followed()
        if let background, pendingCheck == nil, schedule.redetectionDue {
            pendingCheck = (frame.sequence, found.0)
            // Near the face, as in line, unless a scan of the whole picture is due.
            let wholePicture = schedule.beginRedetection() == .wholePicture
            background.request(frame, near: wholePicture ? nil : nearSearch(
                around: found.1, reach: config.nearSearchReachFraction, width: frame.width, height: frame.height))
        }
        return found
    }

    /// The periodic re-detection of a face followed in line, due now: looked for only near where it is,
    /// unless a scan of the whole picture is due. Nil when no face is followed or it is not found there.
    private func reanchorInLine(_ image: cvs_image, frame: Frame) -> (Landmarks, Box)? {
        guard let previous, schedule.redetectionDue, !schedule.fullScanDue else { return nil }
        let tracked = boxFromLandmarks.apply(to: Box(bounding: previous.points))
        guard let detected = search(image, near: nearSearch(around: tracked, reach: config.nearSearchReachFraction,
                                                            width: frame.width, height: frame.height)),
              let landmarks = fit(image, detected) else { return nil }
        schedule.detectedNearby()
        return adopt(detected, landmarks, scale: lastDetectionScale)
    }

    /// A full detection in line: the frame waits for the scan.
    private func detectInLine(_ image: cvs_image, width: Int, height: Int) -> (Landmarks, Box)? {
        guard let (detected, scale) = scan(image, width: width, height: height),
              let landmarks = fit(image, detected) else { return nil }
        return adopt(detected, landmarks, scale: scale)
    }

    /// A detector's box and the landmarks fitted in it become the followed face; `scale` is the one it was
    /// found at (nil: the reduced one).
    private func adopt(_ detected: Box, _ landmarks: Landmarks, scale: Float? = nil) -> (Landmarks, Box) {
        boxFromLandmarks = BoxRelation(from: Box(bounding: landmarks.points), to: detected)
        lastDetectedBox = detected
        lastDetectionScale = scale
        return (landmarks, detected)
    }

    /// With background detection, a face that is not followed is looked for off the frame's path too: a
    /// scan of frame N is collected at frame N + lag (the frames between report no face), and the face it
    /// found is fitted in that later frame. Then the next scan starts.
    private func acquire(_ image: cvs_image, frame: Frame) -> (Landmarks, Box)? {
        guard let background else { return nil }
        guard let pending = pendingSearch else {
            pendingSearch = frame.sequence
            background.request(frame)
            return nil
        }
        guard frame.sequence - pending >= config.detectionLagFrames else { return nil }
        pendingSearch = nil
        let faces = background.answer(for: pending).faces
        faceCount = faces.count
        schedule.scannedWholePicture(found: !faces.isEmpty)
        guard let largest = faces.first, let landmarks = fit(image, largest) else {
            pendingSearch = frame.sequence // nothing yet: look again in this frame
            background.request(frame)
            return nil
        }
        return adopt(largest, landmarks)
    }

    /// A search near `tracked`, where the landmarks put the followed face now: its centre within `reach`
    /// of its size, its size within `nearSearchSizeRatio` of its last detection's, at the scale it was found.
    private func nearSearch(around tracked: Box, reach: Double, width: Int, height: Int) -> NearSearch {
        let size = lastDetectedBox?.width ?? tracked.width
        return NearSearch(tracked: tracked, centres: tracked.grown(by: reach), minWidth: size / config.nearSearchSizeRatio,
                          maxWidth: size * config.nearSearchSizeRatio,
                          scale: lastDetectionScale ?? config.detectionScale(width: width, height: height))
    }

    /// Scans the whole frame for faces: the largest one, and the scale of the picture it was found in.
    /// Nil when there is none.
    private func scan(_ image: cvs_image, width: Int, height: Int) -> (box: Box, scale: Float)? {
        let start = MonotonicClock.nowMs()
        defer { lastTimings.detectMs += MonotonicClock.nowMs() - start }
        detections += 1
        var boxes = [cvs_rect](repeating: cvs_rect(), count: 16)
        var error = cvs_error()
        func run(_ scale: Float) -> Int32 {
            cvs_detect_faces(model.handle, image, scale, Float(config.detectionMinScore), &boxes, Int32(boxes.count), &error)
        }
        var scale = config.detectionScale(width: width, height: height)
        var found = run(scale)
        // A face too small for the reduced copy (a photo, someone far away) is looked for at full size too,
        // but only now and then, so an empty room at high resolution stays cheap.
        if schedule.retryAtFullSize(found: found > 0, reduced: scale < 1) {
            scale = 1
            found = run(scale)
        }
        faceCount = max(0, Int(found))
        schedule.scannedWholePicture(found: found > 0)
        guard found > 0 else { return nil }
        return (Box(boxes[0]), scale)
    }

    /// Looks for the followed face only where it can be (`near`): of the faces found there, the one
    /// overlapping it most; faces elsewhere are not looked for. Nil when nothing is found.
    private func search(_ image: cvs_image, near: NearSearch) -> Box? {
        let start = MonotonicClock.nowMs()
        defer { lastTimings.detectMs += MonotonicClock.nowMs() - start }
        nearDetections += 1
        var boxes = [cvs_rect](repeating: cvs_rect(), count: 16)
        var error = cvs_error()
        let found = cvs_detect_faces_near(model.handle, image, near.scale, Float(config.detectionMinScore),
                                          near.centres.cRect, Float(near.minWidth), Float(near.maxWidth), &boxes,
                                          Int32(boxes.count), &error)
        return near.followed(among: boxes.prefix(Int(max(0, min(found, Int32(boxes.count))))).map(Box.init))
    }

    private func fit(_ image: cvs_image, _ box: Box) -> Landmarks? {
        let start = MonotonicClock.nowMs()
        defer { lastTimings.landmarksMs += MonotonicClock.nowMs() - start }
        var xy = [Float](repeating: 0, count: 2 * Landmarks.count)
        var error = cvs_error()
        let rect = cvs_rect(x: Float(box.x), y: Float(box.y), width: Float(box.width), height: Float(box.height),
                            score: 0)
        guard cvs_fit_landmarks(model.handle, image, rect, &xy, &error) == CVS_OK else { return nil }
        return Landmarks(points: (0..<Landmarks.count).map { Point(x: Double(xy[2 * $0]), y: Double(xy[2 * $0 + 1])) })
    }

    /// Applies a background re-detection of an earlier frame: the face count, and where the detector's box
    /// sits relative to that frame's landmarks. The next fit uses the new relation, so the face is
    /// re-anchored from this frame on. A face a search near it missed is looked for at once over the whole
    /// picture; one a whole-picture scan missed is checked again at once, and given up (searched for
    /// afresh) only when it is missed twice running: one miss is more often the detector's (a turned
    /// head, a small face) than a followed face that is not one. Only a whole-picture scan counts faces.
    private func settle(_ answer: BackgroundDetector.Answer, for landmarks: Landmarks) {
        let followed = Box(bounding: landmarks.points)
        guard let match = answer.faces.max(by: { $0.overlap(with: followed) < $1.overlap(with: followed) }),
              match.overlap(with: followed) > 0.2 else {
            if !answer.wholePicture {
                // Not found near its place: check the whole picture at once before judging.
                schedule.scanWholePictureNow()
                return
            }
            missedChecks += 1
            if missedChecks >= 2 {
                missedChecks = 0
                previous = nil
            } else {
                schedule.redetectNow()
            }
            return
        }
        missedChecks = 0
        if answer.wholePicture {
            faceCount = answer.faces.count
            lastDetectionScale = nil // the background scans the reduced copy only
        }
        boxFromLandmarks = BoxRelation(from: followed, to: match)
        lastDetectedBox = match
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
        let start = MonotonicClock.nowMs()
        defer { lastTimings.eyesMs += MonotonicClock.nowMs() - start }
        var xy = eye.points.flatMap { [Float($0.x), Float($0.y)] }
        var m = cvs_eye_measure()
        var error = cvs_error()
        guard cvs_measure_eye(image, &xy, &m, &error) == CVS_OK else { return nil }
        return EyeObservation(points: eye, pupil: Point(x: Double(m.pupil_x), y: Double(m.pupil_y)),
                              pupilContrast: Double(m.pupil_contrast), irisHeight: Double(m.iris_height),
                              meanLevel: Double(m.mean_level))
    }

    private func headPose(_ landmarks: Landmarks, width: Int, height: Int) -> HeadPose? {
        let start = MonotonicClock.nowMs()
        defer { lastTimings.poseMs += MonotonicClock.nowMs() - start }
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
