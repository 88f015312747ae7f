import Capture
import CVision
import GazeCore

/// A face the detector found in an input: its box, the detector's score (higher is surer) and, in a video,
/// the frame it was found in.
public struct FoundFace: Sendable, Equatable {
    public var box: Box
    public var score: Double
    public var frame: Int?
}

/// One input reduced to one descriptor: a photo's face, a video's best frames, a folder's photos.
public struct FaceSample: Sendable {
    public enum Kind: String, Sendable { case photo, video, photos }
    public var path: String
    public var kind: Kind
    public var descriptor: FaceDescriptor
    /// The faces the descriptor was computed from (one per photo or frame used).
    public var faces: [FoundFace]
}

/// Why an input gives no descriptor: one line for people, naming the input.
public enum FaceInputError: Error, Equatable, CustomStringConvertible, Sendable {
    case unreadable(CaptureError)
    case noFace(path: String)
    case faceTooSmall(path: String, width: Double, minimum: Double)
    case severalFaces(path: String, count: Int)
    case noClearFrame(path: String, framesLooked: Int)
    case model(String)

    public var description: String {
        switch self {
        case .unreadable(let error): "\(error)"
        case .noFace(let path): "\(path): no face found"
        case .faceTooSmall(let path, let width, let minimum):
            "\(path): the face is \(Int(width)) px wide, too small to match (at least \(Int(minimum)) px)"
        case .severalFaces(let path, let count): "\(path): \(count) faces, so which one to match is not clear"
        case .noClearFrame(let path, let looked): "\(path): no frame with a single clear face (\(looked) frames looked at)"
        case .model(let message): message
        }
    }
}

/// Finds the one clear face of an input and describes it. Owns a face detector and borrows an encoder;
/// like them, used from one thread at a time.
public final class FaceReader {
    public let encoder: FaceEncoder
    public let config: MatchConfig
    /// Describes the pictures' grey instead of their colours (as the challenge sees a camera's faces).
    public var greyscale = false
    private let detector: OpaquePointer

    public init(encoder: FaceEncoder, config: MatchConfig = MatchConfig()) throws(ModelError) {
        var error = cvs_error()
        guard let detector = cvs_face_detector_create(&error) else {
            throw ModelError(description: CVisionText.message(error))
        }
        self.encoder = encoder
        self.config = config
        self.detector = detector
    }

    deinit { cvs_face_detector_destroy(detector) }

    /// A photo, a video (its best frames) or a folder of photos of one person (each must show one clear face).
    public func read(_ path: String) throws(FaceInputError) -> FaceSample {
        do {
            if ImageFolderSource.isImage(path) { return try readPhoto(path) }
            let folder = try ImageFolderSource(path: path)
            if folder.paths != [path] { return try readPhotos(folder.paths, folder: path) }
            return try readVideo(path)
        } catch let error as FaceInputError {
            throw error
        } catch let error as CaptureError {
            throw .unreadable(error)
        } catch {
            throw .model("\(error)")
        }
    }

    /// Every face the detector finds in a picture at `MatchConfig.minDetectionScore`, largest first, with scores.
    public func faces(in gray: [UInt8], width: Int, height: Int) -> [FoundFace] {
        var boxes = [cvs_rect](repeating: cvs_rect(), count: 64)
        var error = cvs_error()
        let found = gray.withUnsafeBufferPointer { p in
            cvs_face_detector_run(detector, cvs_image(pixels: p.baseAddress, width: Int32(width), height: Int32(height),
                                                      stride: Int32(width)),
                                  1, Float(config.minDetectionScore), &boxes, Int32(boxes.count), &error)
        }
        return boxes.prefix(Int(max(0, min(found, Int32(boxes.count))))).map {
            FoundFace(box: Box($0), score: Double($0.score), frame: nil)
        }
    }

    /// The descriptor of one face of a picture.
    public func describe(_ picture: ColourPicture, _ face: FoundFace) throws(FaceInputError) -> FaceDescriptor {
        do {
            return try encoder.describe(greyscale ? picture.greyed : picture, face: face.box).0
        } catch {
            throw .model(error.description)
        }
    }

    /// The one face large enough to match, or why there is none.
    func clearFace(_ faces: [FoundFace], path: String) throws(FaceInputError) -> FoundFace {
        let large = faces.filter { $0.box.width >= config.minFaceWidth }
        if large.count > 1 { throw .severalFaces(path: path, count: large.count) }
        if let face = large.first { return face }
        if let small = faces.first { throw .faceTooSmall(path: path, width: small.box.width, minimum: config.minFaceWidth) }
        throw .noFace(path: path)
    }

    /// A picture already decoded (one sent to the server): its one clear face, refusals naming it `name`.
    public func read(_ picture: ColourPicture, name: String) throws(FaceInputError) -> FaceSample {
        let face = try clearFace(faces(in: picture.gray, width: picture.width, height: picture.height), path: name)
        return FaceSample(path: name, kind: .photo, descriptor: try describe(picture, face), faces: [face])
    }

    private func readPhoto(_ path: String) throws -> FaceSample {
        try read(try ColourPicture.load(path: path), name: path)
    }

    private func readPhotos(_ paths: [String], folder: String) throws -> FaceSample {
        let photos = try paths.map(readPhoto)
        guard let mean = FaceDescriptor.mean(photos.map(\.descriptor)) else { throw FaceInputError.noFace(path: folder) }
        return FaceSample(path: folder, kind: .photos, descriptor: mean, faces: photos.flatMap(\.faces))
    }

    /// Every `videoFrameStep`-th frame is searched; of those with one clear face, the `bestFrames` with the
    /// surest detections are described and their descriptors averaged.
    private func readVideo(_ path: String) throws -> FaceSample {
        let video = try VideoFileSource(path: path, keepsColor: true, decoderThreads: 1)
        var best: [(face: FoundFace, picture: ColourPicture)] = []
        var looked = 0
        while let frame = try video.nextFrame() {
            guard frame.sequence % config.videoFrameStep == 0 else { continue }
            looked += 1
            guard var face = try? clearFace(faces(in: frame.gray, width: frame.width, height: frame.height), path: path)
            else { continue }
            face.frame = frame.sequence
            guard best.count < config.bestFrames || face.score > best[best.count - 1].face.score else { continue }
            let picture = ColourPicture(bgr: video.lastColorFrame, gray: frame.gray, width: frame.width, height: frame.height)
            best.append((face, picture))
            best.sort { $0.face.score > $1.face.score }
            if best.count > config.bestFrames { best.removeLast() }
        }
        guard !best.isEmpty else { throw FaceInputError.noClearFrame(path: path, framesLooked: looked) }
        let descriptors = try best.map { try describe($0.picture, $0.face) }
        return FaceSample(path: path, kind: .video, descriptor: FaceDescriptor.mean(descriptors)!, faces: best.map(\.face))
    }
}
