import NIOConcurrencyHelpers
import NIOPosix

/// Where password hashes are computed: scrypt at N = 2^17 takes 128 MiB and a few hundred
/// milliseconds of one core, so it runs neither on the Swift cooperative pool nor on the NIO
/// event loops (where it would stall every other route) but on threads of its own, and the
/// number of logins in progress is bounded: when all places are taken, a login is answered at
/// once with 503 and Retry-After instead of queueing without end (docs/performance.md, login
/// flood). Owned by the gateway and shut down with it.
public final class PasswordWorkers: Sendable {
    /// One thread: on the two-core reference machine it leaves a core to the other routes, and a
    /// flood that fills only its queue leaves /health's p99 where it is without logins (0.7 ms);
    /// two threads check more passwords per second (3.3 → 4–6.5) but take both cores and
    /// 128 MiB more (docs/performance.md, login flood). More cores: `passwordThreads`.
    public static let defaultThreads = 1
    /// Logins that may wait, per thread; a login beyond them is refused (503). With ~0.3 s per
    /// hash the last of them waits about 2.5 s.
    public static let waitingPerThread = 8

    let threads: Int
    let places: Int
    private let pool: NIOThreadPool
    private let state = NIOLockedValueBox(State())

    struct State {
        var taken = 0
        /// Moving average of one hash, in seconds, for Retry-After.
        var seconds = 0.25
    }

    public init(threads: Int = defaultThreads) {
        precondition(threads >= 1)
        self.threads = threads
        places = threads * (1 + Self.waitingPerThread)
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    /// Takes a place for one login; false when every place is taken. Each true is matched by
    /// one `leave()`.
    func enter() -> Bool {
        state.withLockedValue { state in
            guard state.taken < places else { return false }
            state.taken += 1
            return true
        }
    }

    func leave() { state.withLockedValue { $0.taken -= 1 } }

    /// Seconds until the places now taken have been worked off: the Retry-After of a refusal.
    var retryAfter: Int {
        state.withLockedValue { max(1, Int((Double($0.taken) * $0.seconds / Double(threads)).rounded(.up))) }
    }

    /// Runs `work` (a hash or a verification) on the password threads.
    func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await pool.runIfActive { [state] in
            let start = ContinuousClock.now
            defer {
                let elapsed = ContinuousClock.now - start
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                state.withLockedValue { $0.seconds = 0.8 * $0.seconds + 0.2 * seconds }
            }
            return try work()
        }
    }

    /// Stops the threads; work still queued is cancelled (its login fails).
    public func shutdown() async { try? await pool.shutdownGracefully() }
}
