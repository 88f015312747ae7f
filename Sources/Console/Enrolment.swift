import Foundation
import GazeCore
import Store
import Vision

/// Turning photos into an enrolled person, and a challenge's `--enrolled` / `--match-photo` into whom it
/// must be: the run logic behind `gazetop enroll` and the challenge's identity options.
public enum Enrolment {
    /// `name` enrolled from `photos` (each a photo with one clear face, or a video or a folder of photos of
    /// that person, read as `match` reads them), described in colour and in grey. Any input without one
    /// clear face refuses the whole enrolment, naming it and why.
    public static func person(_ name: String, photos: [String], reader: FaceReader,
                              now: Date = Date()) throws(FaceInputError) -> EnrolledPerson {
        var described: [EnrolledPerson.Photo] = []
        for path in photos {
            reader.greyscale = false
            let colour = try reader.read(path)
            reader.greyscale = true
            defer { reader.greyscale = false }
            let grey = try reader.read(path)
            described.append(EnrolledPerson.Photo(file: URL(fileURLWithPath: path).lastPathComponent,
                                                  descriptor: colour.descriptor, greyDescriptor: grey.descriptor))
        }
        return EnrolledPerson(name: name, enrolledAt: ISO8601DateFormatter().string(from: now), photos: described)
    }

    /// Who a challenge must be: the person enrolled as `enrolled`, or the face of `photo` (its grey
    /// descriptor, as the challenge's frames are grey).
    public static func requirement(enrolled: String?, photo: String?, store: EnrolmentStore,
                                   reader: FaceReader) throws(RunFailure) -> IdentityRequirement {
        if let enrolled {
            do { return try store.person(enrolled).requirement() } catch { throw .stateFile(error) }
        }
        guard let photo else { return IdentityRequirement(enrolled: nil) }
        reader.greyscale = true
        defer { reader.greyscale = false }
        do { return IdentityRequirement(enrolled: try reader.read(photo).descriptor) } catch { throw .input(error.description) }
    }
}
