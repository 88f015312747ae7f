import Foundation
import GazeCore
import Monitor
import Testing

/// The per-frame record as other programs read it: JSON Lines and CSV, field order, rounding, nulls, and
/// the raw measures in both formats.
@Suite struct RecordEncodingTests {
    static let raw = RawMeasures(openness: 0.98767, openAspectRatio: 0.31234, closingAspectRatio: nil,
                                 irisHeight: 0.41239, contrastLeft: 12.3456, contrastRight: 7.0,
                                 pupilOffsetLeft: Point(x: -0.03126, y: -0.1), pupilOffsetRight: Point(x: 0.5, y: -0.09999),
                                 gazeRightDeg: -3.456, gazeUpDeg: nil, faceWidth: 181.26, frameLevel: 97.04)

    static func record(face: Bool = true, raw: RawMeasures? = nil) -> FrameRecord {
        FrameRecord(t: 1033.3333, earLeft: face ? 0.31234 : nil, earRight: face ? 0.2999 : nil, blink: false,
                    eyeContact: face, eyeContactPct: 0.8567, gazeVector: face ? [0.1234, -0.0456] : nil,
                    conf: face ? 0.9 : 0, frame: 31, face: face, faces: face ? 1 : 0, blinkCount: 2,
                    eyes: face ? .open : .unknown,
                    headPose: face ? HeadPose(yaw: -12.34, pitch: 5.06, roll: 0.04) : nil,
                    pupilLeft: face ? Point(x: 210.26, y: 118.04) : nil, pupilRight: face ? Point(x: 150, y: 119.96) : nil,
                    ms: 0.98765, raw: raw)
    }

    @Test func jsonKeepsTheServersNamesFirstAndRoundsEachField() {
        #expect(RecordEncoding.json(Self.record()) == "{\"t\":1033.3,\"earLeft\":0.3123,\"earRight\":0.2999,"
            + "\"blink\":false,\"eyeContact\":true,\"eyeContactPct\":0.857,\"gazeVector\":[0.123,-0.046],\"conf\":0.9,"
            + "\"frame\":31,\"face\":true,\"faces\":1,\"blinkCount\":2,\"eyes\":\"open\","
            + "\"headPose\":{\"yaw\":-12.3,\"pitch\":5.1,\"roll\":0},\"pupils\":{\"left\":[210.3,118],\"right\":[150,120]},"
            + "\"ms\":0.988}")
    }

    @Test func withoutAFaceEveryMeasureIsNullNeverZero() throws {
        let text = RecordEncoding.json(Self.record(face: false), source: "a \"b\".mp4")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["source"] as? String == "a \"b\".mp4")
        for key in ["earLeft", "earRight", "gazeVector", "headPose", "pupils"] {
            #expect(object[key] is NSNull, "\(key)")
        }
        #expect(object["raw"] == nil)
        let cells = RecordEncoding.csv(Self.record(face: false)).split(separator: ",", omittingEmptySubsequences: false)
        let header = RecordEncoding.csvHeader.split(separator: ",")
        #expect(cells.count == header.count)
        for name in ["earLeft", "earRight", "gazeX", "gazeY", "yaw", "pitch", "roll", "pupilLeftX", "pupilRightY"] {
            #expect(cells[header.firstIndex(of: Substring(name))!] == "", "\(name)")
        }
    }

    @Test func jsonRawHoldsEveryMeasure() throws {
        let text = RecordEncoding.json(Self.record(raw: Self.raw))
        #expect(text.hasSuffix(",\"ms\":0.988,\"raw\":{\"openness\":0.9877,\"openEar\":0.3123,\"closingEar\":null,"
            + "\"iris\":0.4124,\"contrastLeft\":12.346,\"contrastRight\":7,\"pupilOffsetLeft\":[-0.0313,-0.1],"
            + "\"pupilOffsetRight\":[0.5,-0.1],\"gazeRightDeg\":-3.46,\"gazeUpDeg\":null,\"faceWidth\":181.3,"
            + "\"frameLevel\":97}}"), "\(text)")
        #expect(try JSONSerialization.jsonObject(with: Data(text.utf8)) is [String: Any])
    }

    /// CSV with raw is JSON's record flattened: the same values, the same rounding, column for column.
    @Test func csvRawHasTheJSONsRawValues() throws {
        let header = RecordEncoding.csvHeader(raw: true).split(separator: ",").map(String.init)
        let cells = RecordEncoding.csv(Self.record(raw: Self.raw), raw: true)
            .split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        #expect(header.count == cells.count)
        #expect(Array(header.prefix(RecordEncoding.csvHeader.split(separator: ",").count)).joined(separator: ",")
            == RecordEncoding.csvHeader)
        let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
        let object = try #require(try JSONSerialization.jsonObject(
            with: Data(RecordEncoding.json(Self.record(raw: Self.raw)).utf8)) as? [String: Any])
        let raw = try #require(object["raw"] as? [String: Any])
        func text(_ value: Any?) -> String { value is NSNull || value == nil ? "" : "\(value!)" }
        for (key, value) in raw {
            let column = "raw" + key.prefix(1).uppercased() + key.dropFirst()
            if let pair = value as? [Any] {
                #expect(row[column + "X"] == text(pair[0]) && row[column + "Y"] == text(pair[1]), "\(key)")
            } else {
                #expect(row[column] == text(value), "\(key): \(row[column] ?? "no column") vs \(value)")
            }
        }
        #expect(header.count == RecordEncoding.csvHeader.split(separator: ",").count + raw.count + 2) // 2 pairs
        #expect(row["rawClosingEar"] == "" && row["rawGazeUpDeg"] == "")
        #expect(row["t"] == "1033.3" && row["eyes"] == "open" && row["ms"] == "0.988")
    }

    @Test func csvRawLeavesTheCellsEmptyForARecordWithoutThem() {
        let cells = RecordEncoding.csv(Self.record(face: false), raw: true).split(separator: ",", omittingEmptySubsequences: false)
        let plain = RecordEncoding.csvHeader.split(separator: ",").count
        #expect(cells.count == RecordEncoding.csvHeader(raw: true).split(separator: ",").count)
        #expect(cells.dropFirst(plain).allSatisfy { $0.isEmpty })
        #expect(RecordEncoding.csvHeader(raw: false) == RecordEncoding.csvHeader)
    }

    @Test(arguments: [
        (1.25, 1, "1.3"), (-0.04, 1, "0"), (3.0, 3, "3"), (0.1 + 0.2, 3, "0.3"), (-12.3456, 2, "-12.35"),
        (Double.nan, 3, "null"), (Double.infinity, 1, "null"),
    ])
    func numbersAreRoundedAsJSONWritesThem(value: Double, places: Int, expected: String) {
        #expect(RecordEncoding.num(value, places) == expected)
    }

    @Test func aNumberThatIsNotFiniteIsAnEmptyCSVCellNotTheWordNull() {
        var r = Self.record()
        r.conf = .nan
        r.ms = .infinity
        let header = RecordEncoding.csvHeader.split(separator: ",")
        let cells = RecordEncoding.csv(r).split(separator: ",", omittingEmptySubsequences: false)
        #expect(cells[header.firstIndex(of: "conf")!] == "" && cells[header.firstIndex(of: "ms")!] == "")
        #expect(!cells.contains("null"))
    }

    @Test(arguments: [("plain.mp4", "plain.mp4"), ("a,b.mp4", "\"a,b.mp4\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
                      ("two\nlines", "\"two\nlines\"")])
    func csvFieldsAreQuotedOnlyWhenTheyMustBe(field: String, expected: String) {
        #expect(RecordEncoding.csvField(field) == expected)
    }
}
