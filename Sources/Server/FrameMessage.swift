import Foundation

/// One text message of the eye-tracking protocol, as the original browser client sends it:
/// `{"type": "frame", "data": "data:image/jpeg;base64,..."}`, or the bare base64 of a picture. gazetop also
/// reads an optional `"time"` (the frame's stream time in milliseconds, for a client replaying a
/// recording at its own pace); without it a frame's time is when it arrived.
enum FrameMessage: Equatable {
    /// A picture's bytes, and the client's stream time when it gave one.
    case frame(bytes: [UInt8], timeMs: Double?)
    /// A JSON object of another type: the original server passes over these without an answer.
    case other(type: String)

    struct Problem: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    private struct Envelope: Decodable {
        var type: String?
        var data: String?
        var time: Double?
    }

    /// Parses a message; throws a `Problem` naming what is wrong with it.
    static func parse(_ text: String) throws(Problem) -> FrameMessage {
        let trimmed = text.drop { $0 == " " || $0 == "\n" || $0 == "\r" || $0 == "\t" }
        guard trimmed.first == "{" else { return .frame(bytes: try base64(String(trimmed)), timeMs: nil) }
        let envelope: Envelope
        do { envelope = try JSONDecoder().decode(Envelope.self, from: Data(text.utf8)) } catch {
            throw Problem(description: "not a JSON object of the protocol ({\"type\": \"frame\", \"data\": ...})")
        }
        guard let type = envelope.type else { throw Problem(description: "the message has no \"type\"") }
        guard type == "frame" else { return .other(type: type) }
        guard let data = envelope.data else { throw Problem(description: "the frame has no \"data\"") }
        if let time = envelope.time, !(time.isFinite && time >= 0) {
            throw Problem(description: "\"time\" must be a number of milliseconds, 0 or more")
        }
        return .frame(bytes: try base64(data), timeMs: envelope.time)
    }

    /// The bytes of a data URL (`data:image/jpeg;base64,...`) or of bare base64.
    private static func base64(_ text: String) throws(Problem) -> [UInt8] {
        do throws(PictureText.Problem) { return try PictureText.bytes(text, what: "the frame's data") } catch {
            throw Problem(description: error.description)
        }
    }
}

/// A picture sent as text, as the original APIs take them: a data URL (`data:image/jpeg;base64,...`) or
/// bare base64. The one reading of it for the socket's frames and `/match`'s images.
enum PictureText {
    struct Problem: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The bytes; `what` names the text in a refusal ("the frame's data", "image1").
    static func bytes(_ text: String, what: String) throws(Problem) -> [UInt8] {
        var payload = Substring(text)
        if payload.hasPrefix("data:") {
            guard let comma = payload.firstIndex(of: ","), payload[..<comma].hasSuffix(";base64") else {
                throw Problem(description: "\(what): the data URL is not base64 (data:image/jpeg;base64,...)")
            }
            payload = payload[payload.index(after: comma)...]
        }
        guard !payload.isEmpty else { throw Problem(description: "\(what) is empty") }
        guard let bytes = Data(base64Encoded: String(payload)), !bytes.isEmpty else {
            throw Problem(description: "\(what) is not base64 (nor a data URL: data:image/jpeg;base64,...)")
        }
        return [UInt8](bytes)
    }
}
