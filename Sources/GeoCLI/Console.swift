#if canImport(Glibc)
import Glibc
#endif
import GeoCore

/// Where commands write: data to `out`, messages to `err`. Commands never print directly, so
/// tests run them in-process with a `Console` that captures both streams.
public final class Console: @unchecked Sendable {
    let out: ByteSink
    let err: ByteSink
    /// Whether `err` is an interactive terminal (progress lines only then).
    public let errIsTerminal: Bool
    private let lock = PThreadMutex()

    public init(out: ByteSink, err: ByteSink, errIsTerminal: Bool = false) {
        self.out = out
        self.err = err
        self.errIsTerminal = errIsTerminal
    }

    /// The process's standard output and standard error.
    public static let standard = Console(
        out: FileSink.standardOutput(), err: FileSink.standardError(), errIsTerminal: isatty(2) == 1)

    /// The console commands use: `standard`, or the one a test installed with `withValue`.
    @TaskLocal public static var current: Console = .standard

    /// Writes a line of data to standard output.
    public func print(_ line: String) {
        lock.withLock { try? out.write(line + "\n") }
    }

    /// Writes bytes to standard output.
    public func write(_ bytes: [UInt8]) throws {
        try lock.withLock { try out.write(bytes) }
    }

    /// Whether a progress line is on the terminal (cleared before the next message).
    private var progressShown = false

    /// Shows `text` as the progress line when standard error is a terminal (else nothing):
    /// it overwrites the previous progress line and is cleared before any message and at exit.
    public func progress(_ text: String) {
        guard errIsTerminal else { return }
        lock.withLock {
            try? err.write("\r\u{1B}[K" + text)
            try? err.flush()
            progressShown = true
        }
    }

    /// Clears the progress line, if one is shown.
    public func endProgress() {
        lock.withLock { clearProgress() }
    }

    private func clearProgress() {
        guard progressShown else { return }
        try? err.write("\r\u{1B}[K")
        try? err.flush()
        progressShown = false
    }

    /// Writes a line to standard error.
    public func printError(_ line: String) {
        lock.withLock {
            clearProgress()
            try? out.flush()
            try? err.write(line + "\n")
            try? err.flush()
        }
    }

    /// Writes text to standard error without a line end (progress lines).
    public func writeError(_ text: String) {
        lock.withLock {
            try? err.write(text)
            try? err.flush()
        }
    }

    public func flush() {
        lock.withLock {
            try? out.flush()
            try? err.flush()
        }
    }

    /// Output files of the running command, committed by `GeoMain.run` when the command
    /// succeeds and discarded when it fails.
    private let pendingOutputs = PendingOutputs()

    /// The sink for an output path: standard output for `-`, otherwise an `AtomicFileSink`
    /// that replaces the file only when the command succeeds (or calls `finishOutput`).
    func sink(forOutput path: String) throws -> ByteSink {
        if path == "-" { return out }
        return pendingOutputs.add(try AtomicFileSink(replacing: path))
    }

    /// Puts an output file in place now (a command that goes on to fail on purpose, such as
    /// `convert` exiting 1 over rejected rows, keeps what it wrote); flushes standard output.
    func finishOutput(_ sink: ByteSink) throws {
        if let file = sink as? AtomicFileSink { try file.commit() } else { try sink.flush() }
    }

    /// Puts every pending output file in place (after the command succeeded).
    func commitOutputs() throws { try pendingOutputs.commit() }

    /// Removes every pending output's temporary file (after the command failed).
    func discardOutputs() { pendingOutputs.discard() }
}

