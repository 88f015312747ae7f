import Capture
import Foundation
import GazeCore
import Vision

/// How long face matching takes: one face's descriptor (the 5 landmarks, the chip, the network), timed on
/// real photos, on the calling thread (CVision starts no threads for it), wall time and CPU time.
public enum MatchBenchmark {
    public struct Result: Sendable {
        public let faces: Int
        public let runs: Int
        public let medianMs: Double
        public let p99Ms: Double
        /// CPU time of the whole process over the runs, per descriptor: above the wall time if anything
        /// (a BLAS) used a second core.
        public let cpuMsPerDescriptor: Double
    }

    /// Times `repeats` descriptors of the largest face of each photo.
    public static func run(photos: [String], reader: FaceReader, repeats: Int = 5) throws -> Result {
        var times: [Double] = []
        var faces = 0
        var cpu = 0.0
        for photo in photos {
            let picture = try ColourPicture.load(path: photo)
            guard let face = reader.faces(in: picture.gray, width: picture.width, height: picture.height).first else { continue }
            faces += 1
            _ = try reader.describe(picture, face) // warm: buffers sized for this picture
            for _ in 0..<repeats {
                let start = MonotonicClock.nowMs(), cpuStart = CPUTime.ownMs()
                _ = try reader.describe(picture, face)
                times.append(MonotonicClock.nowMs() - start)
                cpu += CPUTime.ownMs() - cpuStart
            }
        }
        times.sort()
        guard !times.isEmpty else { return Result(faces: 0, runs: 0, medianMs: 0, p99Ms: 0, cpuMsPerDescriptor: 0) }
        return Result(faces: faces, runs: times.count, medianMs: times[times.count / 2],
                      p99Ms: times[min(times.count - 1, Int(Double(times.count) * 0.99))],
                      cpuMsPerDescriptor: cpu / Double(times.count))
    }
}
