import Foundation
import GeoGazetteer

extension GazetteerOptions {
    /// `load(readingCountryShapes:)` begun on a thread of its own, for a command that reads its
    /// input meanwhile (the load takes about 0.1 s, part of it on one core). A `Thread`, not
    /// Dispatch: the reading's `concurrentPerform` holds Dispatch's threads, and a load asked for
    /// from inside it (a CSV to geocode) waits for this one in `GazetteerCache`.
    func loadMeanwhile(readingCountryShapes: Bool = false) -> GazetteerLoad {
        let options = SendableOptions(self)
        return GazetteerLoad { try options.value.load(readingCountryShapes: readingCountryShapes) }
    }
}

/// Options read on another thread: a copy, never changed (`ParsableArguments` are not `Sendable`).
private struct SendableOptions: @unchecked Sendable {
    let value: GazetteerOptions
    init(_ value: GazetteerOptions) { self.value = value }
}

/// A gazetteer loading on a thread of its own (`GazetteerOptions.loadMeanwhile`).
final class GazetteerLoad: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    /// Written once by the loading thread before `done` is signalled; read after waiting.
    private var result: Result<Gazetteer, Error>?
    private let lock = NSLock()

    init(_ load: @escaping @Sendable () throws -> Gazetteer) {
        let thread = Thread { [self] in
            let loaded = Result { try load() }
            lock.withLock { result = loaded }
            done.signal()
        }
        thread.start()
    }

    /// The gazetteer, once loaded (waits); the load's error, if it failed.
    func value() throws -> Gazetteer {
        done.wait()
        done.signal()  // for the next caller
        return try lock.withLock { result! }.get()
    }

    /// Waits for the load to end, whatever its outcome (so that no thread is left loading
    /// when a command fails before it needs the gazetteer).
    func finish() { _ = try? value() }
}
