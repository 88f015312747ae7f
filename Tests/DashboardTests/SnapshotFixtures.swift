import Dashboard
import GazeCore

/// Snapshots for the render tests, made the way the program makes them: a scripted stream of records
/// (30 fps, blinks every few seconds, a closing eye's EAR dipping under the threshold) goes through a
/// `SnapshotCollector`, so timelines, shares and histories are what the collector really gives.
enum SnapshotFixtures {
    /// What the person does during one stretch of the script.
    enum Act { case contact, awayLeft, awayDown, noFace, twoFaces, eyesClosed }

    static let frameMs = 1000.0 / 30

    /// The script: 15 s of eye contact, 5 s looking left, 3 s without a face, then `last` for 4 s.
    static func records(endingWith last: Act, faceWidth: Double = 160, level: Double = 118) -> [FrameRecord] {
        let acts: [(Act, Double)] = [(.contact, 15), (.awayLeft, 5), (.noFace, 3), (last, 4)]
        var out: [FrameRecord] = []
        var blinks = 0
        var i = 0
        for (act, seconds) in acts {
            let end = i + Int(seconds * 30)
            while i < end {
                let t = Double(i) * frameMs
                // A blink of 6 frames every 3.5 s while a face is in view and the eyes are open.
                let inBlink = act != .noFace && act != .eyesClosed && i % 105 >= 100
                if act != .noFace && act != .eyesClosed && i % 105 == 105 - 1 { blinks += 1 }
                out.append(record(i, t, act, inBlink: inBlink, blinks: blinks, faceWidth: faceWidth, level: level))
                i += 1
            }
        }
        return out
    }

    static func record(_ i: Int, _ t: Double, _ act: Act, inBlink: Bool, blinks: Int, faceWidth: Double, level: Double) -> FrameRecord {
        let face = act != .noFace
        // EAR: about 0.30 open with a small wobble, dipping to 0.12 in a blink, 0.10 shut.
        let wobble = Double((i * 7) % 11) / 200
        let ear = act == .eyesClosed ? 0.10 : inBlink ? 0.12 + Double(abs(102 - i % 105)) * 0.03 : 0.28 + wobble
        let eyes: EyeState = !face ? .unknown : act == .eyesClosed ? .closed : inBlink ? .blink : .open
        let gaze: [Double]? = switch act {
        case .contact, .twoFaces: [0.06, -0.04]
        case .awayLeft: [-0.55, 0.05]
        case .awayDown: [0.05, -0.6]
        case .eyesClosed: [0.0, -0.1]
        case .noFace: nil
        }
        let contact = (act == .contact || act == .twoFaces) && !inBlink
        let raw = face ? RawMeasures(openness: ear / 0.3, openAspectRatio: 0.30, closingAspectRatio: 0.24, irisHeight: 0.3,
                                     contrastLeft: 0.5, contrastRight: 0.5, pupilOffsetLeft: Point(x: 0, y: 0),
                                     pupilOffsetRight: Point(x: 0, y: 0), gazeRightDeg: nil, gazeUpDeg: nil,
                                     faceWidth: faceWidth, frameLevel: level) : nil
        return FrameRecord(t: t, earLeft: face ? ear : nil, earRight: face ? ear - 0.01 : nil, blink: inBlink,
                           eyeContact: contact, eyeContactPct: 0, gazeVector: gaze, conf: face ? 0.87 : 0, frame: i,
                           face: face, faces: act == .twoFaces ? 2 : face ? 1 : 0, blinkCount: blinks, eyes: eyes,
                           headPose: face ? HeadPose(yaw: -4.2, pitch: 3.1, roll: 0.8) : nil,
                           pupilLeft: face ? Point(x: 180, y: 110) : nil, pupilRight: face ? Point(x: 140, y: 111) : nil,
                           ms: 2.1, raw: raw)
    }

    /// A snapshot at the end of the script, with the header's facts filled in as a camera would.
    static func snapshot(endingWith last: Act, faceWidth: Double = 160, level: Double = 118,
                         configure: (inout SnapshotCollector) -> Void = { _ in }) -> Snapshot {
        var collector = SnapshotCollector()
        for r in records(endingWith: last, faceWidth: faceWidth, level: level) {
            collector.addLive(r, frameLevel: level)
            collector.addConfirmed(r)
        }
        configure(&collector)
        var s = Snapshot()
        collector.fill(&s)
        s.source.device = "/dev/video0"
        s.source.format = "YUYV 640x480 @ 30 fps"
        s.source.captureFps = 30
        s.source.visionFps = 29.9
        s.source.latencyMs = 4.3
        s.source.dropped = 2
        return s
    }

    /// A 32x24 picture: a bright oval face on a dark background, eyes marked.
    static var preview: Preview {
        let w = 32, h = 24
        var pixels = [UInt8](repeating: 30, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                let dx = Double(x - 16) / 9, dy = Double(y - 12) / 11
                if dx * dx + dy * dy < 1 { pixels[y * w + x] = 200 }
            }
        }
        let marks = [PreviewMark(x: 11, y: 9, kind: .landmark), PreviewMark(x: 14, y: 9, kind: .landmark),
                     PreviewMark(x: 18, y: 9, kind: .landmark), PreviewMark(x: 21, y: 9, kind: .landmark),
                     PreviewMark(x: 12, y: 9, kind: .pupil), PreviewMark(x: 19, y: 9, kind: .pupil)]
        return Preview(width: w, height: h, pixels: pixels, marks: marks)
    }
}
