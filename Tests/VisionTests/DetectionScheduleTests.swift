import Testing
import Vision

/// `FaceTracker`'s detection policy, driven event by event with exact expectations (no camera, no dlib).
@Suite struct DetectionScheduleTests {
    static func fresh() -> DetectionSchedule { DetectionSchedule(redetectEveryFrames: 3, fullScanEveryFrames: 5) }

    /// What happens to the schedule, and what it must say right after.
    enum Step: CustomStringConvertible {
        case frame, followed, nearby, wholePicture, redetectNow, scanWholePictureNow
        case begin(DetectionSchedule.Reach)
        case scan(found: Bool, reduced: Bool, retry: Bool)
        case due(redetection: Bool, fullScan: Bool)

        var description: String {
            switch self {
            case .frame: "frame"
            case .followed: "followed"
            case .nearby: "nearby"
            case .wholePicture: "wholePicture"
            case .redetectNow: "redetectNow"
            case .scanWholePictureNow: "scanWholePictureNow"
            case .begin(let reach): "begin(\(reach))"
            case .scan(let found, let reduced, let retry): "scan(found: \(found), reduced: \(reduced)) -> retry \(retry)"
            case .due(let r, let f): "due(redetection: \(r), fullScan: \(f))"
            }
        }
    }

    static let tables: [(String, [Step])] = [
        ("a fresh schedule wants the whole picture, and no re-detection of a face it has not followed",
         [.due(redetection: false, fullScan: true), .frame, .frame, .due(redetection: false, fullScan: true)]),
        ("a followed face is re-detected every 3 frames, near it while a full scan is not due",
         [.frame, .wholePicture, .frame, .followed, .frame, .followed, .due(redetection: false, fullScan: false),
          .frame, .followed, .due(redetection: true, fullScan: false), .begin(.nearTheFace),
          .due(redetection: false, fullScan: false)]),
        ("5 frames after a whole-picture scan, the next re-detection scans the whole picture, and that counts",
         [.wholePicture, .frame, .frame, .frame, .frame, .due(redetection: false, fullScan: false), .frame,
          .due(redetection: false, fullScan: true), .begin(.wholePicture), .due(redetection: false, fullScan: false)]),
        ("a re-detection near the face resets only the re-detection count",
         [.wholePicture, .frame, .followed, .frame, .followed, .frame, .followed, .nearby,
          .due(redetection: false, fullScan: false), .frame, .frame, .due(redetection: false, fullScan: true)]),
        ("a face not found near its place: the whole picture at once",
         [.wholePicture, .frame, .followed, .scanWholePictureNow, .due(redetection: true, fullScan: true),
          .frame, .due(redetection: true, fullScan: true), .begin(.wholePicture)]),
        ("a whole-picture scan that missed the face once looks again at once",
         [.wholePicture, .frame, .redetectNow, .due(redetection: true, fullScan: false)]),
        ("the first miss on a reduced copy retries at full size at once, then every 3rd scan",
         [.scan(found: false, reduced: true, retry: true), .scan(found: false, reduced: true, retry: false),
          .scan(found: false, reduced: true, retry: false), .scan(found: false, reduced: true, retry: true)]),
        ("a found face or a full-size copy is never retried, but the scans still count",
         [.scan(found: true, reduced: true, retry: false), .scan(found: false, reduced: false, retry: false),
          .scan(found: false, reduced: true, retry: true), .scan(found: true, reduced: true, retry: false),
          .scan(found: true, reduced: true, retry: false), .scan(found: false, reduced: true, retry: true)]),
    ]

    @Test(arguments: tables)
    func schedule(_ name: String, _ steps: [Step]) {
        var s = Self.fresh()
        for (i, step) in steps.enumerated() {
            switch step {
            case .frame: s.frameBegins()
            case .followed: s.followed()
            case .nearby: s.detectedNearby()
            case .wholePicture: s.scannedWholePicture()
            case .redetectNow: s.redetectNow()
            case .scanWholePictureNow: s.scanWholePictureNow()
            case .begin(let reach):
                #expect(s.beginRedetection() == reach, "\(name), step \(i): \(step)")
            case .scan(let found, let reduced, let retry):
                #expect(s.retryAtFullSize(found: found, reduced: reduced) == retry, "\(name), step \(i): \(step)")
            case .due(let redetection, let fullScan):
                #expect(s.redetectionDue == redetection && s.fullScanDue == fullScan, "\(name), step \(i): \(step)")
            }
        }
    }

    /// A stagger of 7 (with periods 3 and 5) makes the first re-detection come 7 % 3 = 1 frame early and the
    /// first whole-picture re-scan 7 % 5 = 2 early; after them the periods are the unstaggered ones.
    @Test func aStaggerBringsOnlyTheFirstDetectionsForward() {
        var s = DetectionSchedule(redetectEveryFrames: 3, fullScanEveryFrames: 5, stagger: 7)
        s.scannedWholePicture()
        s.frameBegins(); s.followed()
        #expect(!s.redetectionDue)
        s.frameBegins(); s.followed()
        #expect(s.redetectionDue && !s.fullScanDue, "the re-detection after 2 frames, not 3")
        #expect(s.beginRedetection() == .nearTheFace)
        s.frameBegins(); s.followed()
        #expect(!s.redetectionDue && s.fullScanDue, "the whole picture after 3 frames, not 5")
        s.scannedWholePicture()
        for _ in 0..<2 { s.frameBegins(); s.followed() }
        #expect(!s.redetectionDue, "a later whole-picture scan starts a full period")
        s.frameBegins(); s.followed()
        #expect(s.redetectionDue)
    }

    /// Scans that find no face (an empty picture before the person sits down) leave the stagger for the
    /// first scan that finds one.
    @Test func aStaggerWaitsForTheFirstFace() {
        var s = DetectionSchedule(redetectEveryFrames: 3, fullScanEveryFrames: 5, stagger: 7)
        s.scannedWholePicture(found: false)
        #expect(s.framesSinceDetection == 0 && s.framesSinceFullScan == 0)
        s.frameBegins()
        s.scannedWholePicture(found: true)
        #expect(s.framesSinceDetection == 1 && s.framesSinceFullScan == 2)
        s.scannedWholePicture(found: true)
        #expect(s.framesSinceDetection == 0 && s.framesSinceFullScan == 0)
    }

    /// What the stagger is for: 40 streams started together, each detecting in line as `FaceTracker` does
    /// (a re-detection every 10 frames, the whole picture after 60). Unstaggered, all 40 detect on the same
    /// frames; with stagger n for the n-th, at most 4 detect on any frame and at most one scans the whole
    /// picture, and each still detects as often.
    @Test func staggeredStreamsDetectOnDifferentFrames() {
        func detections(stagger: (Int) -> Int) -> (mostInAFrame: Int, mostWholeInAFrame: Int, perStream: [Int]) {
            var schedules = (0..<40).map { DetectionSchedule(redetectEveryFrames: 10, fullScanEveryFrames: 60, stagger: stagger($0)) }
            var perStream = Array(repeating: 0, count: 40), most = 0, mostWhole = 0
            for frame in 0..<600 {
                var here = 0, whole = 0
                for n in schedules.indices {
                    schedules[n].frameBegins()
                    if frame == 0 {
                        schedules[n].scannedWholePicture() // the face found
                    } else if !schedules[n].redetectionDue {
                        schedules[n].followed()
                    } else if schedules[n].fullScanDue {
                        schedules[n].scannedWholePicture()
                        here += 1; whole += 1; perStream[n] += 1
                    } else {
                        schedules[n].detectedNearby()
                        here += 1; perStream[n] += 1
                    }
                }
                most = max(most, here)
                mostWhole = max(mostWhole, whole)
            }
            return (most, mostWhole, perStream)
        }
        let together = detections { _ in 0 }, staggered = detections { $0 }
        #expect(together.mostInAFrame == 40 && together.mostWholeInAFrame == 40)
        #expect(staggered.mostInAFrame <= 4 && staggered.mostWholeInAFrame <= 1, "\(staggered.mostInAFrame), \(staggered.mostWholeInAFrame)")
        for n in 0..<40 { #expect(abs(staggered.perStream[n] - together.perStream[n]) <= 1, "stream \(n)") }
    }

    /// The counts never run away: a schedule left alone for a long time is due, not overflowing.
    @Test func aLongWaitIsDueNotOverflowing() {
        var s = Self.fresh()
        s.scannedWholePicture()
        for _ in 0..<100_000 { s.frameBegins(); s.followed() }
        #expect(s.redetectionDue && s.fullScanDue)
        #expect(s.framesSinceFullScan == 100_000 && s.framesSinceDetection == 100_000)
        #expect(Self.fresh().framesSinceFullScan == nil && Self.fresh().scansSinceFullSizeRetry == nil)
    }
}
