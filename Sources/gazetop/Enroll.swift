import ArgumentParser
import Console
import Foundation
import GazeCore
import Monitor
import Store
import Vision

/// `gazetop enroll NAME PHOTO...`, `--list`, `--remove NAME`: the people a challenge can be for
/// (`challenge --enrolled NAME`), kept in the state folder beside the challenge's ledger.
struct Enroll: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Enrol a person from photos of them, for challenge --enrolled NAME; list or remove enrolments.",
        discussion: """
            Each photo must show one clear face (at least 60 px wide); a video (its best frames) or a folder \
            of photos of the person works too. Every input is described in colour and in grey (the \
            challenge sees a camera's faces in grey); one without a single clear face refuses the whole \
            enrolment, naming it and why. Enrolling a name again replaces it. Kept in \
            $XDG_STATE_HOME/gazetop/enrolled.json (else ~/.local/state/gazetop): the photos' file names and \
            descriptors, never the photos.

            Exit status: 0 done; 3 an input without a single clear face, an unreadable one, or no one \
            enrolled under the name given to --remove; 4 the face-matching models missing or corrupt; 5 the \
            enrolments could not be written; 64 bad usage.
            """
    )

    @Argument(help: ArgumentHelp("The person's name (1 to 64 characters).", valueName: "name"))
    var name: String?

    @Argument(help: ArgumentHelp("Photos of the person (or a video, or a folder of photos).", valueName: "photo"))
    var photos: [String] = []

    @Flag(name: .long, help: "List the people enrolled.")
    var list = false

    @Option(name: .long, help: ArgumentHelp("Remove the person enrolled under this name.", valueName: "name"))
    var remove: String?

    @Option(name: .customLong("match-models"), help: ArgumentHelp(
        "Folder holding \(FaceEncoder.networkFile) and \(FaceEncoder.alignmentFile) (as for match).",
        valueName: "dir"))
    var matchModels: String?

    func validate() throws {
        if list && remove != nil { throw ValidationError("--list and --remove exclude each other") }
        if list || remove != nil {
            guard name == nil && photos.isEmpty else { throw ValidationError("--list and --remove take no NAME or photos") }
        }
        guard list || remove != nil || name != nil else { throw ValidationError("give a NAME and photos, or --list, or --remove NAME") }
        if let name {
            if let problem = EnrolmentStore.check(name: name) { throw ValidationError(problem) }
            guard !photos.isEmpty else { throw ValidationError("enrolling \(name) needs at least one photo") }
        }
    }

    func run() throws {
        try failing {
            let store = EnrolmentStore()
            if list {
                let people = try stateFile { () throws(StateFileError) in try store.people() }
                print(people.map { p in
                    "\(p.name)\t\(p.photos.count) photo\(p.photos.count == 1 ? "" : "s")\tenrolled \(p.enrolledAt)"
                }.joined(separator: "\n"), terminator: people.isEmpty ? "" : "\n")
                return
            }
            if let remove {
                try stateFile { () throws(StateFileError) in try store.remove(remove) }
                StandardError.write("gazetop: removed \(remove)\n")
                return
            }
            guard let name else { return }
            let reader: FaceReader
            do {
                reader = try FaceReader(encoder: FaceEncoder(folder: matchModels), config: GazeConfig().matching)
            } catch {
                throw CommandFailure(.model, "\(error)")
            }
            let person: EnrolledPerson
            do throws(FaceInputError) {
                person = try Enrolment.person(name, photos: photos, reader: reader)
            } catch {
                if case .model(let message) = error { throw CommandFailure(.model, message) }
                throw CommandFailure(.input, error.description + "; nothing enrolled")
            }
            let replaced = try stateFile { () throws(StateFileError) in try store.enrol(person) }
            StandardError.write("gazetop: \(replaced ? "re-enrolled" : "enrolled") \(name) from \(photos.count) "
                + "input\(photos.count == 1 ? "" : "s")\n")
        }
    }
}
