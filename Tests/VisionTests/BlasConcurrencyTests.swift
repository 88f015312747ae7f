import CVision
import Dispatch
import Foundation
import GazeCore
import Synchronization
import Testing
import Vision

/// Vision on several threads at once (the server's workers, a challenge's describer, tests in parallel)
/// gives the numbers it gives on one: the BLAS under dlib's network and OpenCV's pose solver is used safely
/// (Sources/CVision/blas_guard.hpp). Debian's serial OpenBLAS, which `make` used to install, has no locks:
/// concurrent descriptors came out wrong in a full test run (one number off by 1e29).
@Suite(.enabled(if: MatchModels.isInstalled, "face-matching models absent from models/: run make face-models"),
       .enabled(if: TestData.exists("faces-68"), "../shared/data/faces-68 is absent"))
struct BlasConcurrencyTests {
    /// The project's install selects OpenBLAS's thread-safe build (scripts/install-deps.sh); any other
    /// OpenBLAS build is still used safely, serialised.
    @Test func theSystemsBlasIsOpenBLASUsedSafely() {
        let mode = cvs_blas_mode_in_use()
        #expect(mode == CVS_BLAS_THREAD_SAFE || mode == CVS_BLAS_SERIALISED, "mode \(mode.rawValue)")
    }

    /// Eight threads, each with an encoder of its own, describe the same faces over and over: every
    /// descriptor equals the one a single thread computed, to the last bit.
    @Test func descriptorsOnEightThreadsEqualThoseOnOne() throws {
        let photos = TestData.files(in: "faces-68", extensions: ["jpg", "png"]).prefix(6).map { TestData.path("faces-68/" + $0) }
        let faces: [(ColourPicture, Box)] = try MatchModels.use { reader in
            try photos.compactMap { photo in
                let picture = try ColourPicture.load(path: photo)
                return reader.faces(in: picture.gray, width: picture.width, height: picture.height).first.map { (picture, $0.box) }
            }
        }
        try #require(faces.count >= 4, "faces found in \(faces.count) photos")
        let expected = try MatchModels.use { reader in try faces.map { try reader.encoder.describe($0.0, face: $0.1).0.values } }
        let encoders = try (0..<8).map { _ in try FaceEncoder(folder: MatchModels.folder) }
        let work = Work(faces: faces, encoders: encoders)
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: encoders.count) { thread in
            for _ in 0..<12 {
                for (index, face) in work.faces.enumerated() {
                    let got = try? work.encoders[thread].describe(face.0, face: face.1).0.values
                    if got != expected[index] { wrong.add(1, ordering: .relaxed) }
                }
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0, "\(wrong.load(ordering: .relaxed)) of \(8 * 12 * faces.count) descriptors differ")
    }

    // @unchecked Sendable: each thread uses only its own encoder; the pictures are read, never written.
    private final class Work: @unchecked Sendable {
        let faces: [(ColourPicture, Box)]
        let encoders: [FaceEncoder]
        init(faces: [(ColourPicture, Box)], encoders: [FaceEncoder]) {
            self.faces = faces
            self.encoders = encoders
        }
    }
}
