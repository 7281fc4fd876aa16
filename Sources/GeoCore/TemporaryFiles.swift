#if canImport(Glibc)
import Glibc
#endif

/// The temporary files this process is writing (outputs not yet renamed into place), so that
/// a run stopped by a signal (Ctrl-C, `kill`, a closed terminal or pipe) removes them instead of
/// leaving hidden `.name.geo-PID-…` files beside its outputs. The destinations are never
/// touched: a file that was there stays as it was.
///
/// `register` copies the path into a fixed table of C strings; the signal handler installed by
/// `removeOnSignals()` unlinks every path in the table (`unlink(2)` is async-signal-safe) and
/// then dies of the same signal, so the exit status says what stopped it. A path taken out of
/// the table is not freed: the handler may be reading it on another thread at that moment.
/// That leaks a path's bytes per output file, a few hundred bytes a run.
public enum TemporaryFiles {
    /// Paths held at once; a file registered beyond this is still written and removed as
    /// ever, only not by the signal handler.
    static let capacity = 1024
    private static let lock = PThreadMutex()
    /// `capacity` slots, nil when free; read by the handler without the lock (aligned pointer
    /// stores are single writes).
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let table = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        table.initialize(repeating: nil, count: capacity)
        return table
    }()

    /// A registered path, for `unregister`.
    public struct Registration: Sendable {
        let slot: Int
    }

    /// Adds `path`, a temporary file this process has just created (or is about to, when no
    /// other file can have that name); nil when the table is full.
    public static func register(_ path: String) -> Registration? {
        let table = slots
        return lock.withLock {
            for k in 0..<capacity where table[k] == nil {
                table[k] = strdup(path)
                return Registration(slot: k)
            }
            return nil
        }
    }

    /// Takes a path out of the table: after its file was renamed into place or removed.
    public static func unregister(_ registration: Registration?) {
        guard let registration else { return }
        let table = slots
        lock.withLock { table[registration.slot] = nil }
    }

    /// The paths registered now, in no order.
    public static var paths: [String] {
        let table = slots
        return lock.withLock { (0..<capacity).compactMap { table[$0].map { String(cString: $0) } } }
    }

    /// Installs the handler for SIGINT, SIGTERM, SIGHUP and SIGPIPE, except for a signal this
    /// process ignores (`nohup`, a background job): that one stays ignored. Call once, early, from
    /// the executable (not from a library or a test process).
    public static func removeOnSignals() {
        _ = slots  // made now, not in the handler
        for signal in [SIGINT, SIGTERM, SIGHUP, SIGPIPE] {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0 else { continue }
            let ignored = unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
            if ignored { continue }
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { signal in
                TemporaryFiles.removeAll()
                // SA_RESETHAND restored the default action; raised again, it ends the process
                // once this handler returns.
                raise(signal)
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = Int32(truncatingIfNeeded: SA_RESETHAND)
            sigaction(signal, &action, nil)
        }
    }

    /// Unlinks every registered path; async-signal-safe (no lock, no allocation).
    static func removeAll() {
        let table = slots
        for k in 0..<capacity {
            if let path = table[k] { unlink(path) }
        }
    }
}

/// Temporary files registered together (the parts of one dataset), taken out of the table by
/// `release()` or when this goes away, whichever comes first.
public final class RegisteredTemporaryFiles: @unchecked Sendable {
    private var registrations: [TemporaryFiles.Registration?]

    /// Registers `paths` (files this process is about to create).
    public init(paths: [String]) {
        registrations = paths.map { TemporaryFiles.register($0) }
    }

    /// Takes the paths out of the table (their files were renamed into place or removed).
    public func release() {
        for registration in registrations { TemporaryFiles.unregister(registration) }
        registrations = []
    }

    deinit { release() }
}

/// A pthread mutex, for code that does without Foundation's locks (GeoCore, GeoCLI).
public final class PThreadMutex: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    public init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
