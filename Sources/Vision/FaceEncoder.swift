import Capture
import CVision
import GazeCore
import Glibc

/// A decoded colour picture: descriptors are computed on its colours, faces are found in its grey.
public struct ColourPicture: Sendable {
    /// Packed B, G, R bytes, `width * 3` a row.
    public var bgr: [UInt8]
    /// Row-major luma, `width` a row.
    public var gray: [UInt8]
    public var width: Int
    public var height: Int

    public init(bgr: [UInt8], gray: [UInt8], width: Int, height: Int) {
        precondition(bgr.count == width * height * 3 && gray.count == width * height, "pixels must fill the picture")
        self.bgr = bgr
        self.gray = gray
        self.width = width
        self.height = height
    }

    /// Decodes an image file (JPEG, PNG, ...) in colour.
    public static func load(path: String) throws(CaptureError) -> ColourPicture {
        guard access(path, F_OK) == 0 else { throw .fileNotFound(path: path) }
        var error = cvs_error()
        guard let picture = cvs_picture_load_colour(path, &error) else {
            throw .unreadableImage(path: path, reason: CVisionText.message(error))
        }
        defer { cvs_picture_destroy(picture) }
        let grey = cvs_picture_view(picture), colour = cvs_picture_bgr_view(picture)
        let width = Int(grey.width), height = Int(grey.height)
        return ColourPicture(bgr: copyRows(colour.pixels, rowBytes: width * 3, stride: Int(colour.stride), rows: height),
                             gray: copyRows(grey.pixels, rowBytes: width, stride: Int(grey.stride), rows: height),
                             width: width, height: height)
    }

    /// A picture that arrives as bytes (JPEG or PNG, sent to the server), through `PictureDecoding`'s
    /// refusals and scaled down so that neither side exceeds `maxSide`.
    public static func decode(_ bytes: [UInt8], maxSide: Int, maxPixels: Int) throws(PictureDecoding.Problem) -> ColourPicture {
        let p = try PictureDecoding.decodeColour(bytes, maxSide: maxSide, maxPixels: maxPixels)
        return ColourPicture(bgr: p.bgr, gray: p.gray, width: p.width, height: p.height)
    }

    /// A grey picture as the network takes it: the grey level in all three channels. A camera's frames
    /// reach vision grey only, so the challenge's identity checks describe faces this way, and an
    /// enrolment keeps its photos' grey descriptors beside their colour ones (`FaceReader.greyscale`).
    public init(grey: [UInt8], width: Int, height: Int) {
        var bgr = [UInt8](repeating: 0, count: grey.count * 3)
        for (i, g) in grey.enumerated() {
            bgr[3 * i] = g
            bgr[3 * i + 1] = g
            bgr[3 * i + 2] = g
        }
        self.init(bgr: bgr, gray: grey, width: width, height: height)
    }

    /// This picture without its colours.
    public var greyed: ColourPicture { ColourPicture(grey: gray, width: width, height: height) }

    private static func copyRows(_ pixels: UnsafePointer<UInt8>, rowBytes: Int, stride: Int, rows: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: rowBytes * rows) { out, initialized in
            for row in 0..<rows { (out.baseAddress! + row * rowBytes).update(from: pixels + row * stride, count: rowBytes) }
            initialized = rowBytes * rows
        }
    }
}

/// dlib's face-recognition ResNet and the 5-point model that aligns the face for it, loaded once. Owns its
/// C handle; not thread-safe (one serial queue per encoder, like every dlib handle).
public final class FaceEncoder {
    public static let networkFile = "dlib_face_recognition_resnet_model_v1.dat"
    public static let alignmentFile = "shape_predictor_5_face_landmarks.dat"
    /// What fetches the two files when they are missing (they are not in Debian).
    public static let fetchCommand = "make face-models (in the gazetop checkout)"

    /// The folder both files were loaded from.
    public let folder: String
    private let handle: OpaquePointer

    /// Loads both models from `folder`, or from the first of `$GAZETOP_MATCH_MODELS`, `models/` (in the
    /// working folder), `models/` beside the executable's checkout and, for an installed gazetop
    /// (`make install`), `share/gazetop/` beside its `bin/` that holds them.
    public init(folder explicitFolder: String? = nil) throws(ModelError) {
        let folders = FaceEncoder.candidateFolders(explicit: explicitFolder)
        let holds = { (folder: String) in
            access(folder + "/" + FaceEncoder.networkFile, F_OK) == 0
                && access(folder + "/" + FaceEncoder.alignmentFile, F_OK) == 0
        }
        guard let found = folders.first(where: holds) else {
            throw ModelError(description: "face-matching models (\(FaceEncoder.networkFile), \(FaceEncoder.alignmentFile)) "
                + "not found in \(folders.joined(separator: ", ")); fetch them with \(FaceEncoder.fetchCommand)")
        }
        var error = cvs_error()
        guard let handle = cvs_face_encoder_create(found + "/" + FaceEncoder.alignmentFile,
                                                   found + "/" + FaceEncoder.networkFile, &error) else {
            throw ModelError(description: CVisionText.message(error) + "; fetch them again with \(FaceEncoder.fetchCommand)")
        }
        self.folder = found
        self.handle = handle
    }

    deinit { cvs_face_encoder_destroy(handle) }

    static func candidateFolders(explicit: String?) -> [String] {
        if let explicit { return [explicit] }
        var folders: [String] = []
        if let env = getenv("GAZETOP_MATCH_MODELS"), env.pointee != 0 { folders.append(String(cString: env)) }
        folders.append("models")
        if let root = FaceModel.packageRoot() { folders.append(root + "/models") }
        if let installed = FaceEncoder.installedFolder() { folders.append(installed) }
        var seen = Set<String>()
        return folders.filter { seen.insert($0).inserted }
    }

    /// `<prefix>/share/gazetop` for an executable at `<prefix>/bin/gazetop`, where `make install` puts the
    /// two models; nil for one that is not in a `bin/` folder.
    static func installedFolder() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        var parts = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[parts.count - 2] == "bin" else { return nil }
        parts.removeLast(2)
        return (parts + ["share", "gazetop"]).joined(separator: "/")
    }

    /// The descriptor of the face in `box` of `picture`, and the 5 landmarks that aligned it.
    public func describe(_ picture: ColourPicture, face box: Box) throws(ModelError) -> (FaceDescriptor, [Point]) {
        var values = [Float](repeating: 0, count: FaceDescriptor.length)
        var points = [Float](repeating: 0, count: 10)
        var error = cvs_error()
        let status = picture.bgr.withUnsafeBufferPointer { p in
            cvs_face_descriptor(handle, cvs_bgr_image(pixels: p.baseAddress, width: Int32(picture.width),
                                                      height: Int32(picture.height), stride: Int32(picture.width * 3)),
                                box.cRect, &values, &points, &error)
        }
        guard status == CVS_OK, let descriptor = FaceDescriptor(values) else {
            throw ModelError(description: status == CVS_OK ? "the face-recognition model gave no usable descriptor"
                : CVisionText.message(error))
        }
        let landmarks = (0..<5).map { Point(x: Double(points[2 * $0]), y: Double(points[2 * $0 + 1])) }
        return (descriptor, landmarks)
    }
}
