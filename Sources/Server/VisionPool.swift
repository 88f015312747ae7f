import Dispatch
import Synchronization
import Vision

/// A vision worker: one serial queue and the landmark model used on it. Every dlib/OpenCV handle is used
/// from one serial queue only, so each worker loads a model of its own and the connections it serves run
/// their pipelines on its queue.
// @unchecked Sendable: `model` is touched only on `queue` (pipelines built and run there); `sessions` is
// an Atomic.
public final class VisionWorker: @unchecked Sendable {
    public let index: Int
    let queue: DispatchQueue
    let model: FaceModel
    /// Connections assigned to this worker now.
    let sessions = Atomic(0)

    init(index: Int, model: FaceModel) {
        self.index = index
        self.model = model
        queue = DispatchQueue(label: "gazetop.serve.vision.\(index)", qos: .userInitiated)
    }
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

    /// Loads one model per worker with `load` (the first failure is thrown).
    public init<E: Error>(count: Int, load: () throws(E) -> FaceModel) throws(E) {
        precondition(count >= 1, "a vision pool needs a worker")
        var workers: [VisionWorker] = []
        for index in 0..<count { workers.append(VisionWorker(index: index, model: try load())) }
        self.workers = workers
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
