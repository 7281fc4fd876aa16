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
