/// Strings made from Unicode scalar values by encoding them to UTF-8 by hand, in one
/// allocation: the same string as appending the scalars one at a time, much faster for the
/// short spans text readers cut (words, names, clauses).
public enum ScalarUTF8 {
    /// The string of the scalar values in `values`; a value that is no Unicode scalar (a
    /// surrogate, or above 0x10FFFF) is left out, as `Unicode.Scalar(_:)` would.
    @inlinable
    public static func string(_ values: UnsafeBufferPointer<UInt32>) -> String {
        var count = 0
        for v in values where Unicode.Scalar(v) != nil { count += v < 0x80 ? 1 : v < 0x800 ? 2 : v < 0x10000 ? 3 : 4 }
        return String(unsafeUninitializedCapacity: count) { out in
            var k = 0
            for v in values where Unicode.Scalar(v) != nil {
                if v < 0x80 {
                    out[k] = UInt8(v); k += 1
                } else if v < 0x800 {
                    out[k] = UInt8(0xC0 | (v >> 6)); out[k + 1] = UInt8(0x80 | (v & 0x3F)); k += 2
                } else if v < 0x10000 {
                    out[k] = UInt8(0xE0 | (v >> 12)); out[k + 1] = UInt8(0x80 | ((v >> 6) & 0x3F)); out[k + 2] = UInt8(0x80 | (v & 0x3F)); k += 3
                } else {
                    out[k] = UInt8(0xF0 | (v >> 18)); out[k + 1] = UInt8(0x80 | ((v >> 12) & 0x3F))
                    out[k + 2] = UInt8(0x80 | ((v >> 6) & 0x3F)); out[k + 3] = UInt8(0x80 | (v & 0x3F)); k += 4
                }
            }
            return k
        }
    }

    /// The string of `scalars[range]`.
    @inlinable
    public static func string(_ scalars: [Unicode.Scalar], _ range: Range<Int>) -> String {
        precondition(range.lowerBound >= 0 && range.upperBound <= scalars.count, "range out of bounds")
        return scalars.withUnsafeBufferPointer { buffer in
            UnsafeBufferPointer(rebasing: buffer[range]).withMemoryRebound(to: UInt32.self) { string($0) }
        }
    }
}
