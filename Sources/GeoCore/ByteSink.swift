#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where encoded bytes go: a file descriptor, a file, or memory.
public protocol ByteSink: AnyObject {
    /// Writes all of `bytes` or throws.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Pushes buffered bytes to their destination.
    func flush() throws
}

extension ByteSink {
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { (raw) in try write(raw) }
    }

    public func write(_ text: String) throws {
        try write(Array(text.utf8))
    }

    /// Writes the text `writer` holds.
    public func write(_ writer: JSONWriter) throws {
        try writer.withUnsafeBytes { try write($0) }
    }
}

/// An input/output failure, naming the file and the system's reason.
public struct IOError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// An error from the current `errno`.
    public static func errno(_ path: String, _ action: String) -> IOError {
        IOError(path: path, reason: "\(action): \(String(cString: strerror(Glibc.errno)))")
    }

    public var description: String { "\(path): \(reason)" }
}

/// Buffered writes to a file descriptor (stdout, or a file it opened itself).
public final class FileSink: ByteSink {
    public let path: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private let bufferSize = 1 << 16

    /// Standard output, named `-` in messages.
    public static func standardOutput() -> FileSink { FileSink(descriptor: 1, path: "<stdout>", owns: false) }
    /// Standard error.
    public static func standardError() -> FileSink { FileSink(descriptor: 2, path: "<stderr>", owns: false) }

    init(descriptor: Int32, path: String, owns: Bool) {
        self.descriptor = descriptor
        self.path = path
        self.ownsDescriptor = owns
        buffer.reserveCapacity(bufferSize)
    }

    /// Creates or truncates the file at `path`; `-` means standard output.
    public convenience init(creating path: String) throws {
        if path == "-" {
            self.init(descriptor: 1, path: "<stdout>", owns: false)
            return
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw IOError.errno(path, "cannot create file") }
        self.init(descriptor: fd, path: path, owns: true)
    }

    private var closed = false

    deinit {
        try? close()
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if closed && ownsDescriptor { throw IOError(path: path, reason: "write after close") }
        if buffer.count + bytes.count > bufferSize {
            try flush()
            if bytes.count >= bufferSize {
                try writeAll(bytes)
                return
            }
        }
        buffer.append(contentsOf: bytes)
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        try pending.withUnsafeBytes { (raw) in try writeAll(raw) }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let n = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if n < 0 {
                if Glibc.errno == EINTR { continue }
                throw IOError.errno(path, "write failed")
            }
            offset += n
        }
    }

    /// Flushes, and closes a file this sink opened (standard streams stay open). Writing after
    /// closing a file is an error.
    public func close() throws {
        guard !closed else { return }
        try flush()
        closed = true
        if ownsDescriptor, Glibc.close(descriptor) != 0 { throw IOError.errno(path, "close failed") }
    }
}

/// Collects bytes in memory (tests, in-process CLI runs).
public final class MemorySink: ByteSink {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public func write(_ bytes: UnsafeRawBufferPointer) throws { self.bytes.append(contentsOf: bytes) }
    public func flush() throws {}

    /// The bytes as UTF-8 text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Writes a file by way of a temporary file beside it that is renamed into place by `commit()`
/// (`rename(2)`, atomic within one file system), so a run that fails never leaves a half-written
/// or empty file and never destroys the file that was there. Without `commit()` — `discard()`,
/// or the sink going away — the temporary file is removed and the destination is untouched.
///
/// A symbolic link is followed (the file it names is replaced, the link stays). A destination
/// that exists and is not a regular file (`/dev/null`, a FIFO, a terminal) is written directly.
/// A replaced file keeps its permission bits; a new one gets 0666 less the umask.
/// `commit()` refuses to replace a file that this process has open as an input (see
/// `InputFile.isOpenInput`), so an output can never overwrite the input it is read from.
public final class AtomicFileSink: ByteSink {
    /// The path as given, for messages.
    public let path: String
    /// Where the bytes end up (the path, or the file its symbolic link names).
    public let destination: String
    private let temporaryPath: String?
    /// The temporary file in `TemporaryFiles`, removed by a signal that stops the process.
    private let registration: TemporaryFiles.Registration?
    private let file: FileSink
    private let descriptor: Int32
    private var finished = false

    public init(replacing path: String) throws {
        self.path = path
        var info = stat()
        var target = path
        if stat(path, &info) == 0 {
            if (info.st_mode & S_IFMT) == S_IFDIR { throw IOError(path: path, reason: "is a directory, expected a file name") }
            if let resolved = realpath(path, nil) {
                target = String(cString: resolved)
                free(resolved)
            }
            if (info.st_mode & S_IFMT) != S_IFREG {
                // A device or pipe: nothing to replace, write straight through.
                let fd = open(path, O_WRONLY | O_CLOEXEC)
                guard fd >= 0 else { throw IOError.errno(path, "cannot open for writing") }
                destination = target
                temporaryPath = nil
                registration = nil
                descriptor = fd
                file = FileSink(descriptor: fd, path: path, owns: true)
                return
            }
        }
        destination = target
        let slash = target.lastIndex(of: "/")
        let directory = slash.map { String(target[...$0]) } ?? ""
        let base = slash.map { String(target[target.index(after: $0)...]) } ?? target
        var attempt = 0
        var fd: Int32 = -1
        var temporary = ""
        repeat {
            temporary = "\(directory).\(base).geo-\(getpid())-\(AtomicFileSink.nextSuffix())"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            attempt += 1
        } while fd < 0 && errno == EEXIST && attempt < 100
        guard fd >= 0 else { throw IOError.errno(path, "cannot create a file in \(directory.isEmpty ? "." : directory)") }
        // Registered once created (O_EXCL): a file of that name that was not ours is never removed.
        registration = TemporaryFiles.register(temporary)
        if stat(target, &info) == 0 { fchmod(fd, info.st_mode & 0o7777) }
        temporaryPath = temporary
        descriptor = fd
        file = FileSink(descriptor: fd, path: path, owns: true)
    }

    deinit { discard() }

    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        if finished { throw IOError(path: path, reason: "write after the file was finished") }
        try file.write(bytes)
    }

    public func flush() throws { try file.flush() }

    /// Whether `commit()` has run.
    public var isCommitted: Bool { finished && !discarded }
    private var discarded = false

    /// Flushes, syncs and renames the temporary file into place. Calling it again does nothing.
    public func commit() throws {
        guard !finished else { return }
        do {
            try file.flush()
            if let temporaryPath {
                if InputFile.isOpenInput(destination) {
                    throw IOError(path: path, reason: "not written: the file is also an input of this run")
                }
                guard fdatasync(descriptor) == 0 || errno == EINVAL else { throw IOError.errno(path, "sync failed") }
                try file.close()
                guard rename(temporaryPath, destination) == 0 else { throw IOError.errno(path, "cannot replace the file") }
                TemporaryFiles.unregister(registration)
            } else {
                try file.close()
            }
            finished = true
        } catch {
            discard()
            throw error
        }
    }

    /// Closes and removes the temporary file; the destination is left as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        discarded = true
        try? file.close()
        if let temporaryPath { unlink(temporaryPath) }
        TemporaryFiles.unregister(registration)
    }

    private static let counter = AtomicCounter()
    private static func nextSuffix() -> String { String(counter.next()) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36) }
}

/// A process-wide counter (temporary file names).
final class AtomicCounter: @unchecked Sendable {
    private var value = 0
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    func next() -> Int {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        value += 1
        return value
    }
}

extension JSONWriter {
    /// Bytes a streaming writer gathers before it hands them to its sink: 1 MiB. Writing a
    /// 192 MB file 64 KiB at a time spent about 10 % more time (`geo-bench --only
    /// geojson-write`, 590 against 650 MB/s, alternately), most of it in the kernel.
    static var drainBytes: Int { 1 << 20 }

    /// Sends the buffered bytes to `sink` and empties the buffer (its capacity kept).
    mutating func drain(to sink: ByteSink) throws {
        try sink.write(self)
        removeAll(keepingCapacity: true)
    }

    /// Appends text encoded elsewhere to the buffer, draining it to `sink` at `drainBytes`;
    /// text of 64 KiB or more goes straight to `sink` (not copied), after what is buffered.
    mutating func appendEncoded(_ text: UnsafeRawBufferPointer, drainingTo sink: ByteSink) throws {
        if text.count >= 1 << 16 {
            if !isEmpty { try drain(to: sink) }
            try sink.write(text)
        } else {
            append(contentsOf: text)
            if count >= Self.drainBytes { try drain(to: sink) }
        }
    }
}
