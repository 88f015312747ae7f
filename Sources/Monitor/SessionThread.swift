import Capture
import Dispatch
import Foundation
import Synchronization

/// The live dashboard's session on a thread of its own, which `LiveSession.run` blocks (it becomes the
/// capture thread), feeding a `DashboardFeed`; the main thread is left to the screen. Camera events reach
/// the feed as typed values (`LiveEvent`, the stream's state).
// @unchecked Sendable: `result` is written once by the session thread before `done` is signalled (and
// `finished` set), and read by the main thread only after seeing `finished` or waiting on `done`; the
// semaphores are thread-safe.
public final class SessionThread: @unchecked Sendable {
    private let session: LiveSession
    private let feed: DashboardFeed
    private let shouldStop: @Sendable () -> Bool
    private let isFinished = Atomic(false)
    private let done = DispatchSemaphore(value: 0)
    /// Signalled when the camera streams and again when the session ends (whichever comes first wakes).
    private let streamingOrDone = DispatchSemaphore(value: 0)
    public private(set) var result: Result<LiveReport, CameraError>?

    public init(session: LiveSession, feed: DashboardFeed, shouldStop: @escaping @Sendable () -> Bool) {
        self.session = session
        self.feed = feed
        self.shouldStop = shouldStop
    }

    public var finished: Bool { isFinished.load(ordering: .acquiring) }

    /// The stream failed mid-way (the dashboard closes and the failure is reported).
    public var failed: Bool {
        guard finished, let result else { return false }
        switch result {
        case .failure: return true
        case .success(let r): if case .failed = r.ending { return true } else { return false }
        }
    }

    public func start() {
        let thread = Thread { [self] in
            let feed = self.feed
            do throws(CameraError) {
                let report = try session.run(
                    onFrame: { feed.take($0) }, onEnd: { feed.end($0) },
                    onEvent: { feed.take($0) },
                    onStreaming: { [streamingOrDone] _ in streamingOrDone.signal() },
                    shouldStop: shouldStop)
                if report.ending == .ended { feed.streamEnded() }
                result = .success(report)
            } catch {
                result = .failure(error)
            }
            isFinished.store(true, ordering: .releasing)
            streamingOrDone.signal()
            done.signal()
        }
        thread.name = "gazetop capture"
        thread.start()
    }

    /// Blocks until the camera streams (its format is known) or the session has ended, e.g. refused at
    /// setup; `finished` and `result` say which.
    public func waitUntilStreamingOrFinished() {
        streamingOrDone.wait()
        streamingOrDone.signal() // a second call returns at once
    }

    public func stopAndWait() {
        session.stop()
        done.wait()
        done.signal() // a second call returns at once
    }
}
