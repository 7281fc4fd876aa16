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

    /// Whether `bytes` are well-formed UTF-8 (Unicode's table 3-7): ASCII 32 and eight bytes at a
    /// time, two-byte sequences (Latin, Arabic) by one test, then each other sequence checked.
    public static func isWellFormed(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let end = bytes.count
        var i = 0
        @inline(__always) func word(_ k: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: k, as: UInt64.self) }
        while i < end {
            // Runs of ASCII, four words and then a word at a time.
            while i + 32 <= end, (word(i) | word(i + 8) | word(i + 16) | word(i + 24)) & 0x8080_8080_8080_8080 == 0 { i += 32 }
            while i + 8 <= end, word(i) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            guard i < end else { return true }
            let b0 = bytes[i]
            if b0 < 0x80 {
                i += 1
                continue
            }
            // C2–DF then 80–BF.
            if b0 &- 0xC2 < 0x1E, i + 1 < end, bytes[i + 1] & 0xC0 == 0x80 {
                i += 2
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

    /// Whether `scalar` has Unicode's White_Space property (`Unicode.Scalar.Properties.isWhitespace`):
    /// U+0009–U+000D, U+0020, U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F,
    /// U+205F and U+3000 (PropList.txt), without the standard library's property lookup.
    @inline(__always)
    public static func isWhiteSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }

    /// Whether well-formed UTF-8 `bytes` are not empty and neither begin nor end with a
    /// White_Space scalar: what `String.trimmingSpaces` leaves as it is.
    public static func hasNoSpaceAtEnds(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return false }
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return true }
        return !isWhiteSpace(firstScalar(bytes)) && !isWhiteSpace(lastScalar(bytes))
    }

    /// The first scalar of non-empty well-formed UTF-8.
    static func firstScalar(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        let b0 = UInt32(bytes[0])
        if b0 < 0x80 { return b0 }
        let count = b0 >= 0xF0 ? 4 : (b0 >= 0xE0 ? 3 : 2)
        var scalar = b0 & (0x7F >> UInt32(count))
        for k in 1..<min(count, bytes.count) { scalar = scalar << 6 | UInt32(bytes[k] & 0x3F) }
        return scalar
    }

    /// The last scalar of non-empty well-formed UTF-8.
    static func lastScalar(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var start = bytes.count - 1
        while start > 0, bytes[start] & 0xC0 == 0x80, bytes.count - start < 4 { start -= 1 }
        return firstScalar(UnsafeRawBufferPointer(rebasing: bytes[start...]))
    }
}
