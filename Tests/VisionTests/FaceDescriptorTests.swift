import Capture
import Foundation
import GazeCore
import Testing
import Vision

/// The face-matching models (`make face-models`) and the PyPI dlib build (`make test` sets it up in
/// .build/dlib-venv), both beside the package.
enum MatchModels {
    static let root: String = {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().standardizedFileURL.path
    }()
    static let folder = root + "/models"
    static var isInstalled: Bool {
        FileManager.default.isReadableFile(atPath: folder + "/" + FaceEncoder.networkFile)
            && FileManager.default.isReadableFile(atPath: folder + "/" + FaceEncoder.alignmentFile)
    }
    static let python = root + "/.build/dlib-venv/bin/python"
    static var hasReference: Bool { FileManager.default.isExecutableFile(atPath: python) }

    // nonisolated(unsafe): written once by the lazy initialiser, then used only under `lock`.
    private nonisolated(unsafe) static let loaded = Result { try FaceReader(encoder: FaceEncoder(folder: folder)) }
    private static let lock = NSLock()

    /// Runs `body` with the reader, alone (dlib's handles are not for two threads at once).
    static func use<T>(_ body: (FaceReader) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(loaded.get())
    }
}

/// gazetop's descriptor against dlib's own (PyPI dlib, compute_face_descriptor) for the same pixels and the
/// same face box: every one of the 128 numbers within 1e-4, and the same 5 alignment landmarks.
@Suite(.enabled(if: MatchModels.isInstalled, "face-matching models absent from models/: run make face-models"),
       .enabled(if: MatchModels.hasReference, "no PyPI dlib in .build/dlib-venv: run scripts/setup-dlib-reference.sh"),
       .enabled(if: TestData.exists("faces-68"), "../shared/data/faces-68 is absent"))
struct FaceDescriptorTests {
    struct Reference: Decodable {
        var points: [[Double]]
        var descriptor: [Double]
    }

    @Test func equalsThePyPIDlibBuild() throws {
        let photos = TestData.files(in: "faces-68", extensions: ["jpg", "png"]).map { TestData.path("faces-68/" + $0) }
            + [TestData.path("faces/Tom_Cruise_avp_2014_4.jpg")]
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("gazetop-descriptor-\(getpid())")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }

        var ours: [(photo: String, descriptor: FaceDescriptor, points: [Point])] = []
        var jobs: [[String: Any]] = []
        try MatchModels.use { reader in
            for (i, photo) in photos.enumerated() {
                let picture = try ColourPicture.load(path: photo)
                guard let face = reader.faces(in: picture.gray, width: picture.width, height: picture.height).first else {
                    continue
                }
                let (descriptor, points) = try reader.encoder.describe(picture, face: face.box)
                ours.append((photo, descriptor, points))
                var rgb = picture.bgr
                for p in stride(from: 0, to: rgb.count, by: 3) { rgb.swapAt(p, p + 2) }
                let file = scratch.appendingPathComponent("\(i).rgb")
                try Data(rgb).write(to: file)
                let b = face.box
                let box = [b.x, b.y, b.x + b.width - 1, b.y + b.height - 1].map { Int($0.rounded()) }
                jobs.append(["rgb": file.path, "width": picture.width, "height": picture.height, "box": box])
            }
        }
        #expect(ours.count >= 8, "faces found in \(ours.count) of \(photos.count) photos")

        let request = try JSONSerialization.data(withJSONObject: [
            "shape_predictor": MatchModels.folder + "/" + FaceEncoder.alignmentFile,
            "network": MatchModels.folder + "/" + FaceEncoder.networkFile, "faces": jobs,
        ])
        let references = try JSONDecoder().decode([Reference].self, from: try runReference(request))
        try #require(references.count == ours.count)
        for (mine, theirs) in zip(ours, references) {
            let points = theirs.points.map { Point(x: $0[0], y: $0[1]) }
            #expect(mine.points == points, "\(mine.photo): 5 landmarks differ")
            let worst = zip(mine.descriptor.values, theirs.descriptor).map { abs(Double($0) - $1) }.max() ?? .infinity
            #expect(worst <= 1e-4, "\(mine.photo): descriptors differ by up to \(worst)")
        }
    }

    private func runReference(_ request: Data) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: MatchModels.python)
        process.arguments = [MatchModels.root + "/Tests/VisionTests/Reference/dlib_descriptor.py"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(request)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "the PyPI dlib reference failed")
        return data
    }
}
