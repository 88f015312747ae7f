import Foundation

/// Why annotated data could not be read; one line for people.
public struct AnnotationError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// One annotated clip: its video and its true blinks as inclusive frame ranges of the video.
public struct AnnotatedClip: Sendable, Equatable {
    /// The clip's name: the video's file name without its extension.
    public var name: String
    public var videoPath: String
    public var blinks: [ClosedRange<Int>]

    /// The condition a clip was recorded in: the part of its name after the last underscore (for the ZJU
    /// set: FNN, FTN, FBN, UNN).
    public var condition: String {
        name.split(separator: "_").last.map(String.init) ?? name
    }
}

/// Reads blink annotations in the Eyeblink8 format (`.tag` files beside the videos), and the mapped
/// frame ranges of a `blinks.csv` where one sits in the folder.
public enum BlinkAnnotations {
    public static let videoExtensions = ["mp4", "avi", "mkv", "mov", "webm"]

    /// Every video in `folder` that has a `.tag` beside it, in name order.
    public static func load(folder: String) throws(AnnotationError) -> [AnnotatedClip] {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
            throw AnnotationError(description: "no such folder: \(folder)")
        }
        let names = ((try? fm.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        let mapped = try mappedRanges(csvPath: folder + "/blinks.csv")
        var clips: [AnnotatedClip] = []
        for name in names {
            let url = URL(fileURLWithPath: name)
            guard videoExtensions.contains(url.pathExtension.lowercased()) else { continue }
            let stem = url.deletingPathExtension().lastPathComponent
            let tag = folder + "/" + stem + ".tag"
            guard fm.fileExists(atPath: tag) else { continue }
            let blinks: [ClosedRange<Int>]
            if let mapped { blinks = mapped[stem] ?? [] } else { blinks = try tagRanges(path: tag) }
            clips.append(AnnotatedClip(name: stem, videoPath: folder + "/" + name, blinks: blinks))
        }
        guard !clips.isEmpty else {
            throw AnnotationError(description: "no annotated clips in \(folder) (a video with a .tag beside it)")
        }
        return clips
    }

    /// Blinks of one `.tag`: after `#start`, one line per frame `frame:blinkID:...`; frames sharing a
    /// blink ID (not -1) form one blink. Frame numbers are taken as the video's.
    public static func tagRanges(path: String) throws(AnnotationError) -> [ClosedRange<Int>] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw AnnotationError(description: "cannot read annotation \(path)")
        }
        return try tagRanges(text: text, name: path)
    }

    public static func tagRanges(text: String, name: String) throws(AnnotationError) -> [ClosedRange<Int>] {
        var started = false
        var ranges: [Int: ClosedRange<Int>] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("#start") { started = true; continue }
            if line.hasPrefix("#end") { break }
            guard started, !line.hasPrefix("#") else { continue }
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count >= 2, let frame = Int(fields[0]), let id = Int(fields[1]) else {
                throw AnnotationError(description: "\(name): not an Eyeblink8 line: \(line.prefix(40))")
            }
            guard id >= 0 else { continue }
            let r = ranges[id].map { min($0.lowerBound, frame)...max($0.upperBound, frame) } ?? frame...frame
            ranges[id] = r
        }
        guard started else { throw AnnotationError(description: "\(name): no #start line (not an Eyeblink8 .tag)") }
        return ranges.values.sorted { $0.lowerBound < $1.lowerBound }
    }

    /// `blinks.csv` rows (`clip_dir`, `video`, `est_nominal_first`, `est_nominal_last`, ...) by clip name
    /// (`<clip_dir>_<video stem>`), or nil where there is no such file.
    public static func mappedRanges(csvPath: String) throws(AnnotationError) -> [String: [ClosedRange<Int>]]? {
        guard FileManager.default.fileExists(atPath: csvPath) else { return nil }
        guard let text = try? String(contentsOfFile: csvPath, encoding: .utf8) else {
            throw AnnotationError(description: "cannot read \(csvPath)")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first,
              let dir = header.firstIndex(of: "clip_dir"), let video = header.firstIndex(of: "video"),
              let first = header.firstIndex(of: "est_nominal_first"), let last = header.firstIndex(of: "est_nominal_last")
        else { throw AnnotationError(description: "\(csvPath): missing clip_dir, video, est_nominal_first or est_nominal_last") }
        var out: [String: [ClosedRange<Int>]] = [:]
        for row in lines.dropFirst() where row.count == header.count {
            guard let a = Int(row[first]), let b = Int(row[last]), a <= b else {
                throw AnnotationError(description: "\(csvPath): bad frame range in row \(row.joined(separator: ","))")
            }
            let stem = URL(fileURLWithPath: row[video]).deletingPathExtension().lastPathComponent
            out["\(row[dir])_\(stem)", default: []].append(a...b)
        }
        return out.mapValues { $0.sorted { $0.lowerBound < $1.lowerBound } }
    }
}
