import GeoCore
/// Bytes of a report → text, with what was wrong with them.
public enum TextInput {
    /// Decodes UTF-8 (a leading byte-order mark is kept, as Python's `utf-8` codec keeps it,
    /// so that offsets agree). Invalid sequences are replaced by U+FFFD (one per maximal
    /// invalid subpart, as Python's `errors="replace"` does) and reported in `warnings`.
    /// Throws for binary data: a NUL byte, or more than 10 % control characters in the first
    /// 64 KB (a `GeoparseInputError`).
    public static func decode(_ bytes: UnsafeRawBufferPointer) throws -> (text: String, warnings: [String]) {
        if bytes.isEmpty { return ("", ["the document is empty"]) }
        if let nul = bytes.firstIndex(of: 0) {
            throw GeoparseInputError(reason: "binary data (a NUL byte at offset \(nul)); not a text document")
        }
        let head = bytes.prefix(65_536)
        let controls = head.reduce(0) { $0 + ($1 < 0x20 && $1 != 0x09 && $1 != 0x0A && $1 != 0x0D && $1 != 0x0C ? 1 : 0) }
        if controls * 10 > head.count {
            throw GeoparseInputError(reason: "binary data (\(controls) control bytes in the first \(head.count)); not a text document")
        }
        let utf8 = bytes.assumingMemoryBound(to: UInt8.self)
        if let text = UTF8Text.string(bytes) { return (text, []) }
        // Count and locate the invalid sequences.
        var iterator = utf8.makeIterator()
        var decoder = UTF8()
        var errors = 0
        var consumed = 0, firstError: Int?
        var scalarsBefore = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                consumed += UTF8.width(s)
                if firstError == nil { scalarsBefore += 1 }
            case .emptyInput: break loop
            case .error:
                errors += 1
                if firstError == nil { firstError = consumed }
            }
        }
        let text = String(decoding: utf8, as: UTF8.self)
        let warning = "invalid UTF-8: \(errors) sequence(s) replaced by U+FFFD (the first near byte \(firstError ?? 0), character \(scalarsBefore))"
        return (text, [warning])
    }

    public static func decode(_ bytes: [UInt8]) throws -> (text: String, warnings: [String]) {
        try bytes.withUnsafeBytes { try decode($0) }
    }
}
