import Capture
import Foundation
import GazeCore
import Vision

/// Measuring face matching on real people: every pair of clips of one person against every pair of
/// different people (`MatchScores`), and photos of people who are all different (no pair may match).
public enum MatchEvaluation {
    /// One input of an evaluation folder and whose it is; `sample` is nil when it gave no clear face, and
    /// then every pair it is in counts as not matched (a genuine pair lost, an impostor pair refused).
    public struct Input: Sendable {
        public let path: String
        public let person: String
        public let sample: FaceSample?
        public let problem: String?
    }

    public struct Result: Sendable {
        public let inputs: [Input]
        public let scores: MatchScores
        public let genuinePairs: Int
        public let impostorPairs: Int
    }

    /// Whose clip a file is: the middle of a ZJU-style name `<clip>_<person>_<condition>.<ext>`, or the
    /// name of the folder it is in when DIR holds one folder per person.
    public static func person(ofClip name: String) -> String? {
        let parts = (name as NSString).deletingPathExtension.split(separator: "_")
        return parts.count == 3 ? String(parts[1]) : nil
    }

    /// The inputs of `folder` and their people: one folder per person (each file in it an input), or
    /// ZJU-style names.
    public static func inputs(of folder: String) throws(CaptureError) -> [(path: String, person: String)] {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: folder) else { throw .fileNotFound(path: folder) }
        var found: [(String, String)] = []
        for name in names.sorted() {
            let path = folder + "/" + name
            var isFolder: ObjCBool = false
            _ = fm.fileExists(atPath: path, isDirectory: &isFolder)
            if isFolder.boolValue {
                let inner = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter(isMedia).sorted()
                found += inner.map { (path + "/" + $0, name) }
            } else if isMedia(name), let person = person(ofClip: name) {
                found.append((path, person))
            }
        }
        return found
    }

    static func isMedia(_ name: String) -> Bool {
        ImageFolderSource.isImage(name) || ["mp4", "avi", "mkv", "mov", "webm"].contains((name as NSString).pathExtension.lowercased())
    }

    public static func run(folder: String, reader: FaceReader,
                           progress: (Int, Int) -> Void = { _, _ in }) throws(CaptureError) -> Result {
        let listed = try inputs(of: folder)
        var inputs: [Input] = []
        for (i, item) in listed.enumerated() {
            progress(i, listed.count)
            do {
                inputs.append(Input(path: item.path, person: item.person, sample: try reader.read(item.path), problem: nil))
            } catch {
                inputs.append(Input(path: item.path, person: item.person, sample: nil, problem: error.description))
            }
        }
        var genuine: [Double] = [], impostor: [Double] = []
        for i in inputs.indices {
            for j in inputs.indices where j > i {
                let (a, b) = (inputs[i], inputs[j])
                let distance = a.sample.flatMap { sa in b.sample.map { sa.descriptor.distance(to: $0.descriptor) } }
                    ?? Double.infinity
                if a.person == b.person { genuine.append(distance) } else { impostor.append(distance) }
            }
        }
        return Result(inputs: inputs, scores: MatchScores(genuine: genuine, impostor: impostor),
                      genuinePairs: genuine.count, impostorPairs: impostor.count)
    }

    // MARK: - Photos of different people

    /// Every face found in the photos of one or more folders, each pair of faces in different photos
    /// compared: they are different people, except in frames of one video (names that differ only in a
    /// trailing frame number of 6 or more digits, as 300-VW names them). Faces within one photo are not
    /// compared: faces/bald_guys.jpg is a collage of several photos each of four people.
    public struct CrossCheck: Sendable {
        public struct Face: Sendable {
            public let photo: String
            public let index: Int
            public let found: FoundFace
            public let descriptor: FaceDescriptor
        }
        public struct Pair: Sendable {
            public let a: Face
            public let b: Face
            public let distance: Double
        }
        public let photos: Int
        public let faces: [Face]
        public let pairs: Int
        /// The closest pair of different people.
        public let closest: Pair?
        /// Every pair of different people within `threshold`: each one a false match.
        public let matches: [Pair]
    }

    /// The name a photo's person group goes by: itself, or its video without the frame number.
    static func group(ofPhoto path: String) -> String {
        let stem = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let folder = (path as NSString).deletingLastPathComponent
        if let cut = stem.lastIndex(of: "_"), stem[stem.index(after: cut)...].count >= 6,
           stem[stem.index(after: cut)...].allSatisfy(\.isNumber) {
            return folder + "/" + stem[..<cut]
        }
        return folder + "/" + stem
    }

    public static func crossCheck(folders: [String], reader: FaceReader, threshold: Double) throws(CaptureError) -> CrossCheck {
        var faces: [CrossCheck.Face] = []
        var photos = 0
        for folder in folders {
            let paths = try ImageFolderSource(path: folder).paths
            for path in paths {
                let picture = try ColourPicture.load(path: path)
                photos += 1
                let found = reader.faces(in: picture.gray, width: picture.width, height: picture.height)
                    .filter { $0.box.width >= reader.config.minFaceWidth }
                for (i, face) in found.enumerated() {
                    guard let descriptor = try? reader.describe(picture, face) else { continue }
                    faces.append(CrossCheck.Face(photo: path, index: i, found: face, descriptor: descriptor))
                }
            }
        }
        var pairs = 0
        var closest: CrossCheck.Pair?
        var matches: [CrossCheck.Pair] = []
        for i in faces.indices {
            for j in faces.indices where j > i {
                let (a, b) = (faces[i], faces[j])
                if group(ofPhoto: a.photo) == group(ofPhoto: b.photo) { continue }
                pairs += 1
                let pair = CrossCheck.Pair(a: a, b: b, distance: a.descriptor.distance(to: b.descriptor))
                if pair.distance <= threshold { matches.append(pair) }
                if closest.map({ pair.distance < $0.distance }) ?? true { closest = pair }
            }
        }
        return CrossCheck(photos: photos, faces: faces, pairs: pairs, closest: closest, matches: matches)
    }
}
