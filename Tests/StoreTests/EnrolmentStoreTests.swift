import Foundation
import GazeCore
import Store
import Testing

/// The enrolled people in their state file.
@Suite struct EnrolmentStoreTests {
    static func descriptor(_ x: Float) -> FaceDescriptor {
        FaceDescriptor([x] + [Float](repeating: 0, count: FaceDescriptor.length - 1))!
    }

    static func person(_ name: String, _ xs: [Float]) -> EnrolledPerson {
        EnrolledPerson(name: name, enrolledAt: "2026-01-01T00:00:00Z", photos: xs.enumerated().map {
            EnrolledPerson.Photo(file: "\($0.offset).jpg", descriptor: descriptor($0.element), greyDescriptor: descriptor($0.element + 1))
        })
    }

    @Test func peopleAreKeptBetweenRunsReplacedAndRemoved() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("state/enrolled.json").path
        #expect(try EnrolmentStore(path: path).people().isEmpty, "no file yet: nobody")
        #expect(try EnrolmentStore(path: path).enrol(Self.person("bo", [0.2])) == false)
        #expect(try EnrolmentStore(path: path).enrol(Self.person("al", [0.1, 0.3])) == false)
        // Another store on the same file, as the next run would open it.
        let store = EnrolmentStore(path: path)
        #expect(try store.people().map(\.name) == ["al", "bo"])
        #expect(try store.person("al") == Self.person("al", [0.1, 0.3]))
        #expect(try store.enrol(Self.person("al", [0.5])) == true)
        #expect(try store.person("al").photos.count == 1)
        try store.remove("bo")
        #expect(try store.people().map(\.name) == ["al"])
        #expect(throws: StateFileError(.refused, "no one is enrolled as 'bo' (gazetop enroll --list)")) { try store.remove("bo") }
        #expect(throws: StateFileError(.refused, "no one is enrolled as 'bo' (gazetop enroll --list)")) { try store.person("bo") }
    }

    @Test func aPersonIsTheMeanOfTheirPhotosInColourOrGrey() throws {
        let p = Self.person("al", [0.1, 0.3])
        #expect(abs(p.descriptor(grey: false)!.values[0] - 0.2) < 1e-7)
        #expect(abs(p.descriptor(grey: true)!.values[0] - 1.2) < 1e-6)
    }

    @Test func aMalformedFileIsOneLineAndLeftAsItIs() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("enrolled.json").path
        try "{\"version\": 1, \"people\": [1]}".write(toFile: path, atomically: true, encoding: .utf8)
        let malformed = StateFileError(.malformed, "enrolment file \(path) is malformed; remove it to start afresh")
        #expect(throws: malformed) { try EnrolmentStore(path: path).people() }
        #expect(throws: malformed) { try EnrolmentStore(path: path).enrol(Self.person("al", [0])) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"version\": 1, \"people\": [1]}")
    }

    @Test func aFolderThatCannotBeWrittenIsUnwritable() throws {
        let folder = try Scratch.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        // A file where the state folder should be.
        let blocker = folder.appendingPathComponent("state").path
        try "".write(toFile: blocker, atomically: true, encoding: .utf8)
        #expect(throws: StateFileError.self) { try EnrolmentStore(path: blocker + "/enrolled.json").enrol(Self.person("al", [0])) }
        do {
            try EnrolmentStore(path: blocker + "/enrolled.json").enrol(Self.person("al", [0]))
        } catch {
            #expect(error.kind == .unwritable)
        }
    }

    @Test("Names", arguments: [("al", true), ("Ana María", true), ("", false), ("-x", false), ("a\tb", false),
                               (String(repeating: "n", count: 65), false)])
    func names(name: String, valid: Bool) {
        #expect((EnrolmentStore.check(name: name) == nil) == valid)
    }
}
