import Foundation
import Testing

/// `analyze --format csv --raw` on a real clip: the same records as `--raw` in JSON, flattened; every row
/// as wide as the header. (It was refused before: "--raw goes with --format jsonl".)
@Suite(.enabled(if: SharedClip.available, Comment(rawValue: SharedClip.skipMessage)))
struct AnalyzeFormatTests {
    @Test func csvWithRawHasWhatJSONWithRawHas() throws {
        let json = try ErrorPathTests.run(["analyze", SharedClip.path, "--raw"])
        let csv = try ErrorPathTests.run(["analyze", SharedClip.path, "--raw", "--format", "csv"])
        #expect(json.status == 0 && csv.status == 0, "\(json.stderr) \(csv.stderr)")
        let records = try json.stdout.split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        var lines = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines.removeFirst()
        #expect(records.count > 100 && lines.count == records.count)
        #expect(header.contains("rawOpenness") && header.contains("rawPupilOffsetRightY") && header.last == "rawFrameLevel")
        var withRaw = 0
        for (record, cells) in zip(records, lines) {
            #expect(cells.count == header.count)
            let row = Dictionary(uniqueKeysWithValues: zip(header, cells))
            #expect(row["frame"] == "\(record["frame"] as? Int ?? -1)")
            guard let raw = record["raw"] as? [String: Any] else {
                #expect(header.filter { $0.hasPrefix("raw") }.allSatisfy { row[$0] == "" })
                continue
            }
            withRaw += 1
            func same(_ column: String, _ value: Any) -> Bool {
                if value is NSNull { return row[column] == "" }
                return Double(row[column] ?? "") == (value as? NSNumber)?.doubleValue
            }
            for (key, value) in raw {
                let column = "raw" + key.prefix(1).uppercased() + key.dropFirst()
                if let pair = value as? [Any] {
                    #expect(same(column + "X", pair[0]) && same(column + "Y", pair[1]), "frame \(row["frame"]!): \(key)")
                } else {
                    #expect(same(column, value), "frame \(row["frame"]!): \(key) \(row[column] ?? "none") vs \(value)")
                }
            }
        }
        #expect(withRaw > 100, "the clip's face has raw measures in most frames")
    }
}
