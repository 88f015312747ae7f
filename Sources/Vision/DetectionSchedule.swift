import GazeCore

/// When `FaceTracker` runs its costly face detection, counted in frames: the periodic re-detection of a
/// followed face (every `redetectEveryFrames`), whether it may look only near the face or must scan the
/// whole picture (after `fullScanEveryFrames`, to notice and count other faces), and how often a scan
/// that found nothing in the reduced copy is tried again at full size. A pure value: the tracker tells it
/// what happened, it says what is due (`DetectionScheduleTests` drives it through tables).
///
/// "Never" is `nil`, not a large number: before the first whole-picture scan one is due, and before the
/// first full-size retry a miss retries at once.
public struct DetectionSchedule: Sendable, Equatable {
    public let redetectEveryFrames: Int
    public let fullScanEveryFrames: Int
    /// Frames by which the first periodic re-detection and the first whole-picture re-scan after the face
    /// is first found come early (`TrackingConfig.detectionStagger`); later ones keep their period.
    public let stagger: Int
    /// The stagger is still to be applied: no whole-picture scan has found a face yet.
    private var staggerPending = true

    /// Frames followed since the face was last detected (by any scan, near it or of the whole picture).
    public private(set) var framesSinceDetection = 0
    /// Frames since the whole picture was last scanned; nil before the first scan or when one is asked for.
    public private(set) var framesSinceFullScan: Int?
    /// Scans since a miss was last tried again at full size; nil before the first retry.
    public private(set) var scansSinceFullSizeRetry: Int?

    public init(redetectEveryFrames: Int, fullScanEveryFrames: Int, stagger: Int = 0) {
        self.redetectEveryFrames = redetectEveryFrames
        self.fullScanEveryFrames = fullScanEveryFrames
        self.stagger = max(0, stagger)
    }

    public init(_ config: TrackingConfig) {
        self.init(redetectEveryFrames: config.redetectEveryFrames, fullScanEveryFrames: config.fullScanEveryFrames,
                  stagger: config.detectionStagger)
    }

    /// Where a re-detection looks.
    public enum Reach: Sendable, Equatable {
        case nearTheFace
        case wholePicture
    }

    /// The followed face is due to be detected again.
    public var redetectionDue: Bool { framesSinceDetection >= redetectEveryFrames }

    /// The next scan must cover the whole picture.
    public var fullScanDue: Bool { framesSinceFullScan.map { $0 >= fullScanEveryFrames } ?? true }

    /// A new frame is being looked at.
    public mutating func frameBegins() {
        framesSinceFullScan = framesSinceFullScan.map { $0 + 1 }
    }

    /// The face was followed into this frame without a detection.
    public mutating func followed() { framesSinceDetection += 1 }

    /// The followed face was detected by a search near it.
    public mutating func detectedNearby() { framesSinceDetection = 0 }

    /// The whole picture was scanned (in line, or a background search for a face while none is followed);
    /// `found`: a face was found in it. The stagger applies from the first scan that finds one.
    public mutating func scannedWholePicture(found: Bool = true) {
        let early = staggerPending && found ? stagger : 0
        framesSinceDetection = early % redetectEveryFrames
        framesSinceFullScan = early % fullScanEveryFrames
        if found { staggerPending = false }
    }

    /// A periodic re-detection starts now (in the background): where it looks, counted as done.
    public mutating func beginRedetection() -> Reach {
        framesSinceDetection = 0
        guard fullScanDue else { return .nearTheFace }
        framesSinceFullScan = 0
        return .wholePicture
    }

    /// A search near the face missed it: the whole picture is scanned at the next chance, at once.
    public mutating func scanWholePictureNow() {
        framesSinceFullScan = nil
        framesSinceDetection = redetectEveryFrames
    }

    /// A whole-picture scan missed the followed face once: it is looked for again at the next chance.
    public mutating func redetectNow() { framesSinceDetection = redetectEveryFrames }

    /// A scan of the reduced copy ran: whether to try again at full size now. Only a miss on a reduced
    /// copy is retried, and at most once every `redetectEveryFrames` scans, so an empty room at high
    /// resolution stays cheap.
    public mutating func retryAtFullSize(found: Bool, reduced: Bool) -> Bool {
        scansSinceFullSizeRetry = scansSinceFullSizeRetry.map { $0 + 1 }
        guard !found, reduced, scansSinceFullSizeRetry.map({ $0 >= redetectEveryFrames }) ?? true else { return false }
        scansSinceFullSizeRetry = 0
        return true
    }
}
