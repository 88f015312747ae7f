import Capture
import Foundation
import GazeCore
import Monitor
import Testing

/// The challenge's result file: the documented fields, in order, with the original API's names.
@Suite struct ChallengeResultEncodingTests {
    static let outcome = ChallengeOutcome(
        result: .fail, sequence: [3, 1, 5],
        cells: [CellScore(cell: 3, frames: 72, framesOnTarget: 70, meanGaze: nil, directionOK: nil),
                CellScore(cell: 1, frames: 70, framesOnTarget: 21, meanGaze: nil, directionOK: true),
                CellScore(cell: 5, frames: 0, framesOnTarget: 0, meanGaze: nil, directionOK: nil)],
        overallAccuracy: 0.4241, directionAccuracy: 0.5,
        checks: [CheckResult(check: .facePresent, passed: true, value: 0.98, limit: 0.9),
                 CheckResult(check: .gazeAccuracy, passed: false, value: 0.4241, limit: 0.8),
                 CheckResult(check: .blink, passed: false, value: 0, limit: 1)],
        stop: nil, calibration: .session(rmsErrorDeg: 2.345), blinks: 0, measuredFrames: 421,
        startMs: 1000, readyMs: 2000, endMs: 15_000)

    static func context() -> ChallengeResultContext {
        var c = ChallengeResultContext(sessionId: "abc123", areaDurationSeconds: 3, threshold: 0.8, processingSeconds: 14.26,
                                       startedAt: "2026-05-01T09:30:00Z")
        c.device = "/dev/video0"
        c.deviceInfo = DeviceInfo(path: "/dev/video0", card: "HD Webcam", driver: "uvcvideo", bus: "usb-0000:00:14.0-1",
                                  isCapture: true, formats: [])
        c.format = CaptureFormat(fourcc: .yuyv, width: 640, height: 480, fps: 30)
        return c
    }

    static func decode(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func fieldsAndValues() throws {
        let text = ChallengeResultEncoding.json(Self.outcome, Self.context())
        #expect(!text.contains("\n"), "one line")
        let keys = ["session_id", "result", "reason", "sequence", "area_duration", "threshold", "overall_accuracy",
                    "direction_accuracy", "sequence_results", "failed_checks", "checks", "stopped", "blinks", "frames",
                    "stream_time", "processing_time", "started_at", "camera", "calibration", "identity"]
        // In this order: the order is part of the format. Each key is looked for after the one before.
        var from = text.startIndex
        for key in keys {
            let found = text.range(of: "\"\(key)\":", range: from..<text.endIndex)
            #expect(found != nil, "\(key) missing or out of order in \(text)")
            from = found?.upperBound ?? from
        }
        let r = try Self.decode(text)
        #expect(r["session_id"] as? String == "abc123")
        #expect(r["result"] as? String == "fail")
        #expect(r["reason"] as? String == "follow the highlighted cell with your eyes")
        #expect(r["sequence"] as? [Int] == [3, 1, 5])
        #expect(r["area_duration"] as? Double == 3)
        #expect(r["overall_accuracy"] as? Double == 0.424)
        #expect(r["failed_checks"] as? [String] == ["gaze_accuracy", "blink"])
        #expect(r["stream_time"] as? Double == 14)
        #expect(r["processing_time"] as? Double == 14.26)
        #expect(r["frames"] as? Int == 421)
        let cells = try #require(r["sequence_results"] as? [[String: Any]])
        #expect(cells.map { $0["area"] as? Int } == [3, 1, 5])
        #expect(cells.map { $0["frames_on_target"] as? Int } == [70, 21, 0])
        #expect(cells[0]["accuracy"] as? Double == 0.972)
        #expect(cells[1]["direction_ok"] as? Bool == true)
        #expect(cells[0]["direction_ok"] is NSNull)
        let checks = try #require(r["checks"] as? [[String: Any]])
        #expect(checks.map { $0["name"] as? String } == ["face_present", "gaze_accuracy", "blink"])
        #expect(checks.map { $0["passed"] as? Bool } == [true, false, false])
        let camera = try #require(r["camera"] as? [String: Any])
        #expect(camera["card"] as? String == "HD Webcam")
        #expect(camera["virtual"] as? Bool == false)
        #expect(camera["format"] as? String == "YUYV 640x480 @ 30 fps")
        let calibration = try #require(r["calibration"] as? [String: Any])
        #expect(calibration["source"] as? String == "session")
        #expect(calibration["rms_error_deg"] as? Double == 2.35)
    }

    @Test func aRecordingAndARefusedCamera() throws {
        var c = Self.context()
        c.input = "take \"1\".mp4"
        c.inputStartSeconds = 2.5
        c.calibrationFile = "/home/k/.config/gazetop/calibration.json"
        var o = Self.outcome
        o.calibration = .saved(recentred: true)
        o.stop = .notReady(.tooDark)
        o.result = .inconclusive
        let r = try Self.decode(ChallengeResultEncoding.json(o, c))
        #expect(r["camera"] == nil)
        #expect((r["input"] as? [String: Any])?["file"] as? String == "take \"1\".mp4")
        #expect((r["input"] as? [String: Any])?["start"] as? Double == 2.5)
        #expect(r["stopped"] as? String == "not_ready:too_dark")
        #expect(r["reason"] as? String == "more light on your face, please")
        #expect((r["calibration"] as? [String: Any])?["recentred"] as? Bool == true)
        #expect((r["calibration"] as? [String: Any])?["file"] as? String == "/home/k/.config/gazetop/calibration.json")

        let refused = try Self.decode(ChallengeResultEncoding.json(.virtualCameraRefused(sequence: [2, 4]), Self.context()))
        #expect(refused["result"] as? String == "fail")
        #expect(refused["failed_checks"] as? [String] == ["virtual_camera"])
        #expect(refused["calibration"] is NSNull)
        #expect(refused["stream_time"] is NSNull)
    }

    @Test func theIdentityChecksInputsAndCost() throws {
        var c = Self.context()
        #expect(try Self.decode(ChallengeResultEncoding.json(Self.outcome, c))["identity"] is NSNull)
        c.identity = .init(enrolled: "Ana", photo: nil)
        c.identity?.descriptors = 5
        c.identity?.descriptorSeconds = 0.1234
        var o = Self.outcome
        o.checks.append(CheckResult(check: .samePerson, passed: false, value: 0.52, limit: 0.34))
        let r = try Self.decode(ChallengeResultEncoding.json(o, c))
        let identity = try #require(r["identity"] as? [String: Any])
        #expect(identity["enrolled"] as? String == "Ana")
        #expect(identity["photo"] is NSNull)
        #expect(identity["descriptors"] as? Int == 5)
        #expect(identity["descriptor_time"] as? Double == 0.123)
        #expect((r["failed_checks"] as? [String])?.last == "same_person")
    }
}
