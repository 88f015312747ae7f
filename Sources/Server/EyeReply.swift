import Capture
import Foundation
import GazeCore
import Monitor

/// The answers of the eye-tracking socket, as JSON text.
enum EyeReply {
    /// A frame's record as the original server sent it: `t` in epoch milliseconds, then gazetop's other
    /// record fields (`RecordEncoding`'s order), then `streamMs` (the frame's stream time, the record's
    /// own `t`) and `dropped` (this connection's frames replaced by newer ones so far).
    static func record(_ record: FrameRecord, epochMs: Double, dropped: Int) -> String {
        var stamped = record
        stamped.t = epochMs.rounded()
        var text = RecordEncoding.json(stamped)
        text.removeLast() // the closing brace
        return text + ",\"streamMs\":\(RecordEncoding.num(record.t, 1)),\"dropped\":\(dropped)}"
    }

    /// An error object for a message that gave no frame; the connection stays open.
    static func error(_ message: String) -> String {
        "{\"t\":\(RecordEncoding.num((Date().timeIntervalSince1970 * 1000).rounded(), 0)),\"error\":\(JSONString.quoted(message))}"
    }
}
