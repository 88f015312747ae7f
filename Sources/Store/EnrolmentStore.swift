import Foundation
import GazeCore

/// One enrolled person: their photos' descriptors, in colour (as `match` compares photos) and in grey (as
/// the challenge sees a camera's faces).
public struct EnrolledPerson: Codable, Sendable, Equatable {
    /// One photo's face. Only the file's name is kept, not where it was.
    public struct Photo: Codable, Sendable, Equatable {
        public var file: String
        public var descriptor: FaceDescriptor
        public var greyDescriptor: FaceDescriptor

        public init(file: String, descriptor: FaceDescriptor, greyDescriptor: FaceDescriptor) {
            self.file = file
            self.descriptor = descriptor
            self.greyDescriptor = greyDescriptor
        }

        enum CodingKeys: String, CodingKey {
            case file, descriptor
            case greyDescriptor = "grey_descriptor"
        }
    }

    public var name: String
    /// When they were enrolled, ISO 8601 UTC.
    public var enrolledAt: String
    public var photos: [Photo]

    public init(name: String, enrolledAt: String, photos: [Photo]) {
        self.name = name
        self.enrolledAt = enrolledAt
        self.photos = photos
    }

    /// The person as one descriptor: the mean of the photos', colour or grey.
    public func descriptor(grey: Bool) -> FaceDescriptor? {
        FaceDescriptor.mean(photos.map { grey ? $0.greyDescriptor : $0.descriptor })
    }

    /// Whom a challenge must show when this person is required: their photos' grey descriptor (a camera's
    /// frames are grey). The one place `challenge --enrolled` and the server's `enrolled` turn a person
    /// into a requirement.
    public func requirement() throws(StateFileError) -> IdentityRequirement {
        // A person without a photo (a hand-edited file) must not turn the check off: nil would mean "no one
        // required" and the challenge would pass for anyone.
        guard let descriptor = descriptor(grey: true) else {
            throw StateFileError(.malformed, "'\(name)' is enrolled without a photo; enrol them again")
        }
        return IdentityRequirement(enrolled: descriptor)
    }

    enum CodingKeys: String, CodingKey {
        case name, photos
        case enrolledAt = "enrolled_at"
    }
}

/// The people enrolled on this machine, in `$XDG_STATE_HOME/gazetop/enrolled.json` beside the challenge's
/// ledger: read and changed under an exclusive lock, written whole or not at all.
public struct EnrolmentStore: Sendable {
    public let path: String

    public init(path: String = StatePaths.enrolmentFile) {
        self.path = path
    }

    private struct File: Codable {
        var version = 1
        var people: [EnrolledPerson] = []
    }

    /// What a name may be: 1 to 64 characters, no control characters, not starting with '-'.
    public static func check(name: String) -> String? {
        if name.isEmpty || name.count > 64 { return "a name is 1 to 64 characters" }
        if name.hasPrefix("-") { return "a name cannot start with '-'" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return "a name cannot hold control characters"
        }
        return nil
    }

    /// Everyone enrolled, in name order (none when the file does not exist yet).
    public func people() throws(StateFileError) -> [EnrolledPerson] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        return try read().people.sorted { $0.name < $1.name }
    }

    /// The person enrolled as `name`; `.refused` when no one is.
    public func person(_ name: String) throws(StateFileError) -> EnrolledPerson {
        guard let person = try people().first(where: { $0.name == name }) else {
            throw StateFileError(.refused, "no one is enrolled as '\(name)' (gazetop enroll --list)")
        }
        return person
    }

    /// Enrols `person`, replacing whoever was enrolled under that name; true when someone was replaced.
    @discardableResult
    public func enrol(_ person: EnrolledPerson) throws(StateFileError) -> Bool {
        try update { (file) throws(StateFileError) -> Bool in
            let replaced = file.people.contains { $0.name == person.name }
            file.people.removeAll { $0.name == person.name }
            file.people.append(person)
            file.people.sort { $0.name < $1.name }
            return replaced
        }
    }

    /// Removes the person enrolled as `name`; `.refused` when no one is.
    public func remove(_ name: String) throws(StateFileError) {
        try update { (file) throws(StateFileError) in
            guard file.people.contains(where: { $0.name == name }) else {
                throw StateFileError(.refused, "no one is enrolled as '\(name)' (gazetop enroll --list)")
            }
            file.people.removeAll { $0.name == name }
        }
    }

    private func read() throws(StateFileError) -> File {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StateFileError(.unreadable, "cannot read \(path)")
        }
        guard let file = try? JSONDecoder().decode(File.self, from: data), file.version == 1 else {
            throw StateFileError(.malformed, "enrolment file \(path) is malformed; remove it to start afresh")
        }
        return file
    }

    private func update<T>(_ change: (inout File) throws(StateFileError) -> T) throws(StateFileError) -> T {
        try StateFileLock.withLock(on: path) { () throws(StateFileError) -> T in
            var file = FileManager.default.fileExists(atPath: path) ? try read() : File()
            let result = try change(&file)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            guard let data = try? encoder.encode(file) else { throw StateFileError(.unwritable, "cannot encode the enrolments") }
            try AtomicFile.write(data, to: path)
            return result
        }
    }
}
