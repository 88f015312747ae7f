import Dispatch
import Glibc
import Synchronization

/// Ctrl-C (and SIGTERM) as a flag a loop reads, so work stops between frames and outputs are cleaned up
/// by the code that owns them rather than by the process dying mid-write; a thread that waits rather than
/// loops (a session waiting for an unplugged camera) is woken through `whenRaised`.
// @unchecked Sendable: `sources` is set in `init` and only kept alive after; the flag is an Atomic and
// the actions are behind a Mutex.
public final class InterruptFlag: @unchecked Sendable {
    /// The first signal that came, 0 before any.
    private let received = Atomic<Int32>(0)
    private let actions = Mutex<[@Sendable () -> Void]>([])
    private let sources: [any DispatchSourceSignal]

    public init(signals: [Int32] = [SIGINT, SIGTERM]) {
        var sources: [any DispatchSourceSignal] = []
        for sig in signals {
            Glibc.signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            sources.append(source)
        }
        self.sources = sources
        for (source, sig) in zip(sources, signals) {
            source.setEventHandler { [weak self] in
                guard let self, received.compareExchange(expected: 0, desired: sig, ordering: .acquiringAndReleasing).exchanged
                else { return }
                for action in actions.withLock({ $0 }) { action() }
            }
            source.resume()
        }
    }

    public var raised: Bool { received.load(ordering: .relaxed) != 0 }
    /// Which signal stopped the run, if one did.
    public var stoppedBy: Int32? {
        let sig = received.load(ordering: .relaxed)
        return sig == 0 ? nil : sig
    }

    /// Runs `action` (on a signal queue) when the first signal comes, or at once if it has come.
    public func whenRaised(_ action: @escaping @Sendable () -> Void) {
        let now = actions.withLock { list -> Bool in
            if raised { return true }
            list.append(action)
            return false
        }
        if now { action() }
    }
}
