import Dispatch
import Synchronization
import Vision

/// A vision worker: one serial queue and the models used on it. Every dlib/OpenCV handle is used from one
/// serial queue only, so each worker loads models of its own and the connections it serves run their
/// pipelines on its queue.
///
/// Face matching's models too are loaded once per worker (`faces`), not shared: the ResNet keeps each
/// pass's layer outputs in the network object, so a shared one would need a lock that lets one worker
/// match at a time, while a copy per worker costs about 30 MB and a fraction of a second at start.
/// `/match` and the challenge's identity checks on this worker use this copy.
// @unchecked Sendable: `model` and `faces` are touched only on `queue` (pipelines built and run there);
// `sessions` is an Atomic.
public final class VisionWorker: @unchecked Sendable {
    public let index: Int
    let queue: DispatchQueue
    let model: FaceModel
    /// Face matching's detector and encoder; nil when its models are missing (`VisionPool.matching`).
    let faces: FaceReader?
    /// Connections assigned to this worker now.
    let sessions = Atomic(0)

    init(index: Int, model: FaceModel, faces: FaceReader?) {
        self.index = index
        self.model = model
        self.faces = faces
        queue = DispatchQueue(label: "gazetop.serve.vision.\(index)", qos: .userInitiated)
    }
}

/// Whether face matching can be served: its models loaded into every worker, or why not.
public enum MatchingModels: Sendable, Equatable {
    case loaded
    /// One line for the server's log (it may name the server's folders; clients hear only that the
    /// models are missing and what fetches them).
    case missing(reason: String)
}

/// A small fixed pool of vision workers that all connections share: as many as the machine has cores
/// (each busy worker keeps one core busy), never one thread per connection. A new connection goes to the
/// worker with the fewest connections, and stays there: its face tracker lives on that worker's queue.
public final class VisionPool: Sendable {
    public let workers: [VisionWorker]
    /// Where the landmark model came from (every worker loads the same file).
    public let modelPath: String
    /// Its file name, which `/health` reports (a client has no business with the server's folders).
    var modelFile: String { String(modelPath.split(separator: "/").last ?? "") }

    /// Face matching's state: `/match` and `enrolled` answer 503 unless `.loaded`.
    public let matching: MatchingModels

    /// Loads one landmark model per worker with `load` (the first failure is thrown) and one face
    /// matcher per worker with `loadFaces`; a failure of that leaves matching off everywhere (the
    /// server still serves the rest) and says why in `matching`.
    public init<E: Error>(count: Int, load: () throws(E) -> FaceModel,
                          loadFaces: (() throws(ModelError) -> FaceReader)? = nil) throws(E) {
        precondition(count >= 1, "a vision pool needs a worker")
        var models: [FaceModel] = []
        for _ in 0..<count { models.append(try load()) }
        var readers: [FaceReader] = []
        var matching = MatchingModels.missing(reason: "face matching is not set up")
        if let loadFaces {
            do throws(ModelError) {
                for _ in 0..<count { readers.append(try loadFaces()) }
                matching = .loaded
            } catch {
                readers = []
                matching = .missing(reason: error.description)
            }
        }
        self.matching = matching
        workers = models.indices.map { VisionWorker(index: $0, model: models[$0], faces: readers.isEmpty ? nil : readers[$0]) }
        modelPath = workers[0].model.path
    }

    /// The worker with the fewest connections now, counted as one more.
    func assign() -> VisionWorker {
        let worker = workers.min { $0.sessions.load(ordering: .relaxed) < $1.sessions.load(ordering: .relaxed) }!
        worker.sessions.add(1, ordering: .relaxed)
        return worker
    }

    /// A connection's end: its worker counts one fewer.
    func release(_ worker: VisionWorker) {
        worker.sessions.subtract(1, ordering: .relaxed)
    }
}
