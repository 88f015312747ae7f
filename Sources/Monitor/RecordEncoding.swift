import Capture
import GazeCore

/// How records are written for other programs.
public enum RecordFormat: String, CaseIterable, Sendable {
    case jsonl
    case csv
}

/// Turns records into lines of JSON or CSV, fields in a fixed, documented order (the original server's
/// names first). Written by hand rather than through Codable: the order is part of the format, and this
/// runs once per frame.
public enum RecordEncoding {
    public static let csvHeader = "t,frame,face,faces,earLeft,earRight,blink,blinkCount,eyes,eyeContact,eyeContactPct,"
        + "gazeX,gazeY,conf,yaw,pitch,roll,pupilLeftX,pupilLeftY,pupilRightX,pupilRightY,ms"

    /// One JSON object, without a trailing newline. `source` names the file when several are analysed.
    public static func json(_ r: FrameRecord, source: String? = nil) -> String {
        var out = "{"
        if let source { out += "\"source\":\(JSONString.quoted(source))," }
        out += "\"t\":\(num(r.t, 1)),\"earLeft\":\(num(r.earLeft, 4)),\"earRight\":\(num(r.earRight, 4))"
        out += ",\"blink\":\(r.blink),\"eyeContact\":\(r.eyeContact),\"eyeContactPct\":\(num(r.eyeContactPct, 3))"
        out += ",\"gazeVector\":" + (r.gazeVector.map { "[\(num($0[0], 3)),\(num($0[1], 3))]" } ?? "null")
        out += ",\"conf\":\(num(r.conf, 3)),\"frame\":\(r.frame),\"face\":\(r.face),\"faces\":\(r.faces)"
        out += ",\"blinkCount\":\(r.blinkCount),\"eyes\":\"\(r.eyes.rawValue)\""
        out += ",\"headPose\":" + (r.headPose.map {
            "{\"yaw\":\(num($0.yaw, 1)),\"pitch\":\(num($0.pitch, 1)),\"roll\":\(num($0.roll, 1))}"
        } ?? "null")
        if r.pupilLeft != nil || r.pupilRight != nil {
            out += ",\"pupils\":{\"left\":\(point(r.pupilLeft)),\"right\":\(point(r.pupilRight))}"
        } else {
            out += ",\"pupils\":null"
        }
        out += ",\"ms\":\(num(r.ms, 3))"
        if let raw = r.raw {
            out += ",\"raw\":{\"openness\":\(num(raw.openness, 4)),\"openEar\":\(num(raw.openAspectRatio, 4))"
            out += ",\"closingEar\":\(num(raw.closingAspectRatio, 4)),\"iris\":\(num(raw.irisHeight, 4))"
            out += ",\"contrastLeft\":\(num(raw.contrastLeft, 3)),\"contrastRight\":\(num(raw.contrastRight, 3))"
            out += ",\"pupilOffsetLeft\":[\(num(raw.pupilOffsetLeft.x, 4)),\(num(raw.pupilOffsetLeft.y, 4))]"
            out += ",\"pupilOffsetRight\":[\(num(raw.pupilOffsetRight.x, 4)),\(num(raw.pupilOffsetRight.y, 4))]"
            out += ",\"gazeRightDeg\":\(num(raw.gazeRightDeg, 2)),\"gazeUpDeg\":\(num(raw.gazeUpDeg, 2))"
            out += ",\"faceWidth\":\(num(raw.faceWidth, 1)),\"frameLevel\":\(num(raw.frameLevel, 1))}"
        }
        return out + "}"
    }

    /// One CSV row in `csvHeader`'s order; empty cells where the JSON has null.
    public static func csv(_ r: FrameRecord) -> String {
        func cell(_ v: Double?, _ places: Int) -> String { v.map { num($0, places) } ?? "" }
        let cells: [String] = [
            num(r.t, 1), "\(r.frame)", "\(r.face)", "\(r.faces)", cell(r.earLeft, 4), cell(r.earRight, 4),
            "\(r.blink)", "\(r.blinkCount)", r.eyes.rawValue, "\(r.eyeContact)", num(r.eyeContactPct, 3),
            cell(r.gazeVector?[0], 3), cell(r.gazeVector?[1], 3), num(r.conf, 3),
            cell(r.headPose?.yaw, 1), cell(r.headPose?.pitch, 1), cell(r.headPose?.roll, 1),
            cell(r.pupilLeft?.x, 1), cell(r.pupilLeft?.y, 1), cell(r.pupilRight?.x, 1), cell(r.pupilRight?.y, 1),
            num(r.ms, 3),
        ]
        return cells.joined(separator: ",")
    }

    /// A number rounded to `places` decimals, as JSON writes it; null for nil or non-finite values.
    public static func num(_ value: Double?, _ places: Int) -> String {
        guard let value, value.isFinite else { return "null" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }

    static func point(_ p: Point?) -> String {
        guard let p else { return "null" }
        return "[\(num(p.x, 1)),\(num(p.y, 1))]"
    }
}

extension RecordEncoding {
    /// A CSV cell, quoted when it holds a comma, quote or line break.
    public static func csvField(_ s: String) -> String {
        guard s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
