#if canImport(Glibc)
import Glibc
#endif
import GeoCore

/// The output files a command has opened and not yet put in place: committed together when
/// the command succeeds, discarded when it fails (`Console.commitOutputs`, `discardOutputs`).
final class PendingOutputs: @unchecked Sendable {
    private let lock = PThreadMutex()
    private var files: [AtomicFileSink] = []

    /// Adds `file` and returns it.
    func add(_ file: AtomicFileSink) -> AtomicFileSink {
        lock.withLock { files.append(file) }
        return file
    }

    /// Takes every pending file out of the list.
    private func takeAll() -> [AtomicFileSink] {
        lock.withLock {
            defer { files.removeAll() }
            return files
        }
    }

    /// Puts every pending file in place; when one fails, the rest are discarded (those already
    /// committed stay) and the error is rethrown.
    func commit() throws {
        let taken = takeAll()
        do {
            for file in taken { try file.commit() }
        } catch {
            for file in taken { file.discard() }
            throw error
        }
    }

    /// Removes every pending file's temporary file, leaving the destinations as they were.
    /// Outputs already finished stay.
    func discard() {
        for file in takeAll() { file.discard() }
    }
}
