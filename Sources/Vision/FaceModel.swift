import Capture
import CVision
import Glibc

/// Why the landmark model could not be had. One line for people, naming every path that was tried.
public struct ModelError: Error, CustomStringConvertible, Sendable {
    public var description: String
}

/// The dlib face detector and 68-point landmark model, loaded once. Owns its C handle.
///
/// Not thread-safe: like every dlib/OpenCV handle, one is used from one serial queue only.
public final class FaceModel {
    /// Where the model came from.
    public let path: String
    let handle: OpaquePointer

    /// Places searched when no path is given, in order, after `$GAZETOP_MODEL`.
    public static let fileName = "shape_predictor_68_face_landmarks.dat"
    public static let systemPath = "/usr/share/dlib/" + fileName

    /// Loads the model at `path`, or the first of `$GAZETOP_MODEL`, `models/<file>` (beside the working
    /// folder and beside the executable's package), and the system's copy from libdlib-data.
    public init(path explicitPath: String? = nil) throws(ModelError) {
        let candidates = FaceModel.candidatePaths(explicit: explicitPath)
        guard let found = candidates.first(where: { access($0, R_OK) == 0 }) else {
            if explicitPath == nil, let named = FaceModel.environmentPath {
                throw ModelError(description: "landmark model not found at \(named) (from $GAZETOP_MODEL)")
            }
            throw ModelError(description: "landmark model not found (tried \(candidates.joined(separator: ", "))); "
                + "install libdlib-data or pass --model PATH")
        }
        var error = cvs_error()
        guard let handle = cvs_face_model_create(found, &error) else {
            throw ModelError(description: CVisionText.message(error))
        }
        self.path = found
        self.handle = handle
    }

    deinit { cvs_face_model_destroy(handle) }

    /// `$GAZETOP_MODEL`, when set and not empty.
    static var environmentPath: String? {
        guard let env = getenv("GAZETOP_MODEL"), env.pointee != 0 else { return nil }
        return String(cString: env)
    }

    /// With an explicit path, or one in `$GAZETOP_MODEL`, only that path: a user who names a model must
    /// not silently get another.
    static func candidatePaths(explicit: String?) -> [String] {
        if let named = explicit ?? environmentPath { return [named] }
        var paths: [String] = []
        paths.append("models/" + fileName)
        if let root = packageRoot() { paths.append(root + "/models/" + fileName) }
        paths.append(systemPath)
        var seen = Set<String>()
        return paths.filter { seen.insert($0).inserted }
    }

    /// The checkout the executable was built in (`<root>/.build/<config>/gazetop`), so `models/` (and
    /// `../shared` beside the checkout) are found when gazetop runs from another folder.
    public static func packageRoot() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let exe = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let parts = exe.split(separator: "/", omittingEmptySubsequences: false)
        guard let build = parts.firstIndex(of: ".build") else { return nil }
        return parts[..<build].joined(separator: "/")
    }
}
