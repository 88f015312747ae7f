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

    /// The header of CSV rows written with `raw`: `csvHeader`, then the raw measures flattened as the
    /// rest are (`raw.pupilOffsetLeft` is `rawPupilOffsetLeftX,rawPupilOffsetLeftY`).
    public static func csvHeader(raw: Bool) -> String {
        raw ? csvHeader + "," + rawFields.flatMap(\.csv).joined(separator: ",") : csvHeader
    }

    /// The raw measures, in their one order for both formats: the JSON key, the CSV columns (two for a
    /// pair, which JSON writes as [x, y]), decimals, the values.
    private struct RawField: Sendable {
        var json: String
        var csv: [String]
        var places: Int
        var values: @Sendable (RawMeasures) -> [Double?]
    }

    private static let rawFields: [RawField] = [
        RawField(json: "openness", csv: ["rawOpenness"], places: 4) { [$0.openness] },
        RawField(json: "openEar", csv: ["rawOpenEar"], places: 4) { [$0.openAspectRatio] },
        RawField(json: "closingEar", csv: ["rawClosingEar"], places: 4) { [$0.closingAspectRatio] },
        RawField(json: "iris", csv: ["rawIris"], places: 4) { [$0.irisHeight] },
        RawField(json: "contrastLeft", csv: ["rawContrastLeft"], places: 3) { [$0.contrastLeft] },
        RawField(json: "contrastRight", csv: ["rawContrastRight"], places: 3) { [$0.contrastRight] },
        RawField(json: "pupilOffsetLeft", csv: ["rawPupilOffsetLeftX", "rawPupilOffsetLeftY"], places: 4) {
            [$0.pupilOffsetLeft.x, $0.pupilOffsetLeft.y]
        },
        RawField(json: "pupilOffsetRight", csv: ["rawPupilOffsetRightX", "rawPupilOffsetRightY"], places: 4) {
            [$0.pupilOffsetRight.x, $0.pupilOffsetRight.y]
        },
        RawField(json: "gazeRightDeg", csv: ["rawGazeRightDeg"], places: 2) { [$0.gazeRightDeg] },
        RawField(json: "gazeUpDeg", csv: ["rawGazeUpDeg"], places: 2) { [$0.gazeUpDeg] },
        RawField(json: "faceWidth", csv: ["rawFaceWidth"], places: 1) { [$0.faceWidth] },
        RawField(json: "frameLevel", csv: ["rawFrameLevel"], places: 1) { [$0.frameLevel] },
    ]

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
            let members = rawFields.map { field -> String in
                let values = field.values(raw).map { num($0, field.places) }
                return "\"\(field.json)\":" + (values.count == 1 ? values[0] : "[" + values.joined(separator: ",") + "]")
            }
            out += ",\"raw\":{" + members.joined(separator: ",") + "}"
        }
        return out + "}"
    }

    /// One CSV row in `csvHeader(raw:)`'s order; empty cells where the JSON has null (a missing value or a
    /// number that is not finite). With `raw`, the raw measures follow, empty for a record without them.
    public static func csv(_ r: FrameRecord, raw: Bool = false) -> String {
        func cell(_ v: Double?, _ places: Int) -> String { v.flatMap { $0.isFinite ? num($0, places) : nil } ?? "" }
        var cells: [String] = [
            cell(r.t, 1), "\(r.frame)", "\(r.face)", "\(r.faces)", cell(r.earLeft, 4), cell(r.earRight, 4),
            "\(r.blink)", "\(r.blinkCount)", r.eyes.rawValue, "\(r.eyeContact)", cell(r.eyeContactPct, 3),
            cell(r.gazeVector?[0], 3), cell(r.gazeVector?[1], 3), cell(r.conf, 3),
            cell(r.headPose?.yaw, 1), cell(r.headPose?.pitch, 1), cell(r.headPose?.roll, 1),
            cell(r.pupilLeft?.x, 1), cell(r.pupilLeft?.y, 1), cell(r.pupilRight?.x, 1), cell(r.pupilRight?.y, 1),
            cell(r.ms, 3),
        ]
        if raw {
            for field in rawFields {
                let values = r.raw.map(field.values) ?? Array(repeating: nil, count: field.csv.count)
                cells += values.map { cell($0, field.places) }
            }
        }
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
