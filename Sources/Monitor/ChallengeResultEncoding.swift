import Capture
import GazeCore

/// What a challenge result says beside the outcome: who ran it, on what, with which settings.
public struct ChallengeResultContext: Sendable {
    public var sessionId: String
    public var areaDurationSeconds: Double
    public var threshold: Double
    /// Wall-clock seconds from the start of the command's session to the verdict.
    public var processingSeconds: Double
    /// When the session started, ISO 8601 UTC ("2026-05-01T09:30:00Z").
    public var startedAt: String
    /// The camera: its node, what it says of itself and the format in use (nil for a recording).
    public var device: String?
    public var deviceInfo: DeviceInfo?
    public var format: CaptureFormat?
    /// A recording scored offline, and where in it the session started.
    public var input: String?
    public var inputStartSeconds: Double?
    /// The saved calibration file used, if any.
    public var calibrationFile: String?
    /// Whose face the challenge checked, when it did (`--enrolled`, `--match-photo`).
    public var identity: IdentityContext?

    /// The identity checks' inputs and cost: the enrolled name or the photo, and the descriptors computed.
    public struct IdentityContext: Sendable, Equatable {
        public var enrolled: String?
        public var photo: String?
        public var descriptors = 0
        public var descriptorSeconds = 0.0

        public init(enrolled: String?, photo: String?) {
            self.enrolled = enrolled
            self.photo = photo
        }
    }

    public init(sessionId: String, areaDurationSeconds: Double, threshold: Double, processingSeconds: Double,
                startedAt: String) {
        self.sessionId = sessionId
        self.areaDurationSeconds = areaDurationSeconds
        self.threshold = threshold
        self.processingSeconds = processingSeconds
        self.startedAt = startedAt
    }
}

/// The challenge's result file: one JSON object, fields in a fixed, documented order, the first ones named
/// as the original liveness API named them (`session_id`, `sequence`, `area_duration`, `overall_accuracy`,
/// `sequence_results`, `result`, `processing_time`).
public enum ChallengeResultEncoding {
    public static func json(_ o: ChallengeOutcome, _ c: ChallengeResultContext) -> String {
        func num(_ v: Double?, _ places: Int = 3) -> String { RecordEncoding.num(v, places) }
        func string(_ s: String?) -> String { s.map(JSONString.quoted) ?? "null" }
        var out = "{\"session_id\":\(string(c.sessionId)),\"result\":\"\(o.result.rawValue)\""
        out += ",\"reason\":\(string(o.advice))"
        out += ",\"sequence\":[\(o.sequence.map(String.init).joined(separator: ","))]"
        out += ",\"area_duration\":\(num(c.areaDurationSeconds)),\"threshold\":\(num(c.threshold))"
        out += ",\"overall_accuracy\":\(num(o.overallAccuracy)),\"direction_accuracy\":\(num(o.directionAccuracy))"
        out += ",\"sequence_results\":" + sequenceResults(o.cells)
        out += ",\"failed_checks\":" + failedChecks(o)
        out += ",\"checks\":" + checks(o)
        out += ",\"stopped\":\(string(o.stop?.name)),\"blinks\":\(o.blinks),\"frames\":\(o.measuredFrames)"
        let stream = o.startMs.flatMap { s in o.endMs.map { ($0 - s) / 1000 } }
        out += ",\"stream_time\":\(num(stream)),\"processing_time\":\(num(c.processingSeconds))"
        out += ",\"started_at\":\(string(c.startedAt))"
        if let input = c.input {
            out += ",\"input\":{\"file\":\(string(input)),\"start\":\(num(c.inputStartSeconds))}"
        } else {
            out += ",\"camera\":{\"device\":\(string(c.device)),\"card\":\(string(c.deviceInfo?.card))"
            out += ",\"driver\":\(string(c.deviceInfo?.driver)),\"bus\":\(string(c.deviceInfo?.bus))"
            out += ",\"virtual\":\(c.deviceInfo.map { String($0.isVirtual) } ?? "null"),\"format\":\(string(c.format?.description))}"
        }
        out += ",\"calibration\":" + calibration(o.calibration, file: c.calibrationFile)
        if let id = c.identity {
            out += ",\"identity\":{\"enrolled\":\(string(id.enrolled)),\"photo\":\(string(id.photo))"
            out += ",\"descriptors\":\(id.descriptors),\"descriptor_time\":\(num(id.descriptorSeconds))}"
        } else {
            out += ",\"identity\":null"
        }
        return out + "}"
    }

    /// `sequence_results`: per cell its number, accuracy, frames counted and on target, and whether the
    /// move from the previous cell went its way (the server's answer has the same array).
    public static func sequenceResults(_ cells: [CellScore]) -> String {
        func num(_ v: Double?) -> String { RecordEncoding.num(v, 3) }
        return "[" + cells.map { cell in
            "{\"area\":\(cell.cell),\"accuracy\":\(num(cell.accuracy)),\"frames\":\(cell.frames)"
                + ",\"frames_on_target\":\(cell.framesOnTarget),\"direction_ok\":\(cell.directionOK.map(String.init) ?? "null")}"
        }.joined(separator: ",") + "]"
    }

    /// `checks`: every check judged, with its value and limit (`same_person` and `enrolled_person` among
    /// them when an identity was required).
    public static func checks(_ o: ChallengeOutcome) -> String {
        "[" + o.checks.map {
            "{\"name\":\"\($0.check.rawValue)\",\"passed\":\($0.passed),\"value\":\(RecordEncoding.num($0.value, 4)),"
                + "\"limit\":\(RecordEncoding.num($0.limit, 4))}"
        }.joined(separator: ",") + "]"
    }

    /// `failed_checks`: the names of the checks that failed, in the order the person hears of them.
    public static func failedChecks(_ o: ChallengeOutcome) -> String {
        "[" + o.failedChecks.map { "\"\($0.rawValue)\"" }.joined(separator: ",") + "]"
    }

    static func calibration(_ use: CalibrationUse?, file: String?) -> String {
        let path = file.map(JSONString.quoted) ?? "null"
        switch use {
        case .saved(let recentred)?:
            return "{\"source\":\"saved\",\"file\":\(path),\"recentred\":\(recentred)}"
        case .session(let rms)?:
            return "{\"source\":\"session\",\"rms_error_deg\":\(RecordEncoding.num(rms, 2))}"
        case .failed(let problem)?:
            return "{\"source\":\"session\",\"problem\":\"\(problem.name)\"}"
        case nil:
            return "null"
        }
    }
}
