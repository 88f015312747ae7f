import Capture
import Foundation
import GazeCore
import Vision

/// How a match reads, for people and as JSON (the original liveness API's `match`, `similarity_score`,
/// `threshold`, with the distance and, per input, the faces used): the one encoding `gazetop match` prints
/// and the server's `POST /match` answers.
public enum MatchEncoding {
    public static func line(_ m: FaceMatch) -> String {
        "\(m.isSamePerson ? "same person" : "different people"): distance \(f3(m.distance)) "
            + "(threshold \(f3(m.threshold))), similarity \(f3(m.similarity))"
    }

    /// - Parameter leading: fields put first, each followed by a comma (the server's `"success":true,`).
    public static func json(_ m: FaceMatch, _ samples: [FaceSample], leading: String = "") -> String {
        let inputs = samples.map { s in
            let faces = s.faces.map { f in
                "{\"box\":[\(f1(f.box.x)),\(f1(f.box.y)),\(f1(f.box.width)),\(f1(f.box.height))],"
                    + "\"quality\":\(f3(f.score)),\"frame\":\(f.frame.map(String.init) ?? "null")}"
            }
            return "{\"path\":\(JSONString.quoted(s.path)),\"kind\":\"\(s.kind.rawValue)\",\"faces\":[\(faces.joined(separator: ","))]}"
        }
        return "{\(leading)\"match\":\(m.isSamePerson),\"similarity_score\":\(f4(m.similarity)),\"threshold\":\(f4(m.threshold)),"
            + "\"distance\":\(f4(m.distance)),\"inputs\":[\(inputs.joined(separator: ","))]}"
    }

    private static func f1(_ v: Double) -> String { String(format: "%.1f", v) }
    private static func f3(_ v: Double) -> String { String(format: "%.3f", v) }
    private static func f4(_ v: Double) -> String { String(format: "%.4f", v) }
}
