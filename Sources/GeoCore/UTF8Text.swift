/// Strings from bytes that must be well-formed UTF-8, without the standard library's generic
/// `String(validating:as:)`, which is not specialised for byte buffers and costs a metadata
/// lookup per call (15 % of reading a GeoJSONSeq file, by perf). Same answers: nil exactly when
/// `String(validating:as: UTF8.self)` gives nil.
public enum UTF8Text {
    /// The string of `bytes`, or nil when they are not well-formed UTF-8 (an overlong form, a
    /// surrogate, a value past U+10FFFF, a cut-off or stray continuation byte).
    @inlinable
    public static func string(_ bytes: UnsafeRawBufferPointer) -> String? {
        guard isWellFormed(bytes) else { return nil }
        return bytes.withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
    }

    /// `string(_:)` of an array's bytes.
    @inlinable
    public static func string(_ bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { string($0) }
    }

    /// Whether `bytes` are well-formed UTF-8 (Unicode's table 3-7): ASCII eight bytes at a time,
    /// then each multi-byte sequence checked.
    public static func isWellFormed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let end = bytes.count
        var i = 0
        while i < end {
            // Runs of ASCII, a word at a time.
            while i + 8 <= end, bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < end else { return true }
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            let count: Int
            let low: UInt8, high: UInt8  // bounds of the second byte
            switch b0 {
            case 0xC2...0xDF: count = 2; low = 0x80; high = 0xBF
            case 0xE0: count = 3; low = 0xA0; high = 0xBF
            case 0xE1...0xEC, 0xEE...0xEF: count = 3; low = 0x80; high = 0xBF
            case 0xED: count = 3; low = 0x80; high = 0x9F
            case 0xF0: count = 4; low = 0x90; high = 0xBF
            case 0xF1...0xF3: count = 4; low = 0x80; high = 0xBF
            case 0xF4: count = 4; low = 0x80; high = 0x8F
            default: return false
            }
            guard i + count <= end else { return false }
            let b1 = bytes[i + 1]
            guard b1 >= low, b1 <= high else { return false }
            for k in 2..<count where bytes[i + k] & 0xC0 != 0x80 { return false }
            i += count
        }
        return true
    }
}
