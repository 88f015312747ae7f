import Foundation

/// Where a person looks in one labelled recording: 0-based inclusive frame ranges.
public struct EyeContactClip: Sendable, Equatable {
    /// The recording as the label file names it (relative to the data folder).
    public var file: String
    /// Where the recording was found.
    public var videoPath: String
    /// The person looks into the camera.
    public var contact: [ClosedRange<Int>]
    /// The person clearly looks elsewhere.
    public var away: [ClosedRange<Int>]

    public init(file: String, videoPath: String, contact: [ClosedRange<Int>], away: [ClosedRange<Int>]) {
        self.file = file
        self.videoPath = videoPath
        self.contact = contact
        self.away = away
    }

    /// The recording's name without folder and extension.
    public var name: String { URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent }

    /// The condition it was recorded in: the part of its name after the last underscore (for the ZJU
    /// set: FNN, FTN, FBN), the whole name for others.
    public var condition: String { name.split(separator: "_").last.map(String.init) ?? name }

    /// What the labels say of frame `i`: true looking into the camera, false away, nil unlabelled.
    public func label(ofFrame i: Int) -> Bool? {
        if contact.contains(where: { $0.contains(i) }) { return true }
        if away.contains(where: { $0.contains(i) }) { return false }
        return nil
    }
}

/// Reads eye-contact labels: `{"clips": [{"file", "contact": [[a, b], ...], "away": [[a, b], ...]}]}`
/// (other keys, such as `about` and `frames`, are ignored). The format of `../shared/data/eye-contact`.
public enum EyeContactLabels {
    /// The clips of the label file at `path`. Each `file` is looked for relative to `dataFolder` when
    /// given, else beside the label file and then in the folder above it (the shared data's layout:
    /// `data/eye-contact/labels.json` names `zju-eyeblink/...`).
    public static func load(path: String, dataFolder: String? = nil) throws(AnnotationError) -> [EyeContactClip] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AnnotationError(description: "cannot read eye-contact labels \(path)")
        }
        let here = URL(fileURLWithPath: path).deletingLastPathComponent()
        let roots = dataFolder.map { [URL(fileURLWithPath: $0)] } ?? [here, here.deletingLastPathComponent()]
        let entries = try parse(data, name: path)
        var clips: [EyeContactClip] = []
        for e in entries {
            let candidates = e.file.hasPrefix("/") ? [e.file] : roots.map { $0.appendingPathComponent(e.file).path }
            guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
                throw AnnotationError(description: "\(path): recording \(e.file) not found (looked in "
                    + roots.map(\.path).joined(separator: ", ") + ")")
            }
            clips.append(EyeContactClip(file: e.file, videoPath: found, contact: e.contact, away: e.away))
        }
        return clips
    }

    struct Entry: Equatable {
        var file: String
        var contact: [ClosedRange<Int>]
        var away: [ClosedRange<Int>]
    }

    /// The entries of a label file's text, every range checked (two non-negative integers, a <= b).
    static func parse(_ data: Data, name: String) throws(AnnotationError) -> [Entry] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw AnnotationError(description: "\(name): not a JSON object")
        }
        guard let clips = root["clips"] as? [[String: Any]] else {
            throw AnnotationError(description: "\(name): no \"clips\" list")
        }
        var entries: [Entry] = []
        for (i, clip) in clips.enumerated() {
            guard let file = clip["file"] as? String, !file.isEmpty else {
                throw AnnotationError(description: "\(name): clip \(i) has no \"file\"")
            }
            func ranges(_ key: String) throws(AnnotationError) -> [ClosedRange<Int>] {
                guard let value = clip[key] else { return [] }
                guard let list = value as? [[Any]] else {
                    throw AnnotationError(description: "\(name): \(file): \"\(key)\" is not a list of [first, last]")
                }
                var out: [ClosedRange<Int>] = []
                for pair in list {
                    guard pair.count == 2, let a = integer(pair[0]), let b = integer(pair[1]), a >= 0, a <= b else {
                        throw AnnotationError(description: "\(name): \(file): bad \"\(key)\" range \(pair)")
                    }
                    out.append(a...b)
                }
                return out
            }
            let entry = Entry(file: file, contact: try ranges("contact"), away: try ranges("away"))
            for c in entry.contact where entry.away.contains(where: { $0.overlaps(c) }) {
                throw AnnotationError(description: "\(name): \(file): frames \(c) are labelled both contact and away")
            }
            entries.append(entry)
        }
        guard !entries.isEmpty else { throw AnnotationError(description: "\(name): no clips") }
        return entries
    }

    private static func integer(_ v: Any) -> Int? {
        guard let d = (v as? NSNumber)?.doubleValue, d == d.rounded(), abs(d) < 1e9 else { return nil }
        return Int(d)
    }
}
