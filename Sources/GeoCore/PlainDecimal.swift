/// Decimal text read straight from its digits, for readers of large files (tables, the
/// gazetteer) that would otherwise make a `String` per number.
public enum PlainDecimal {
    /// `Double(text)` of a text of the form `-?[0-9]+(\.[0-9]+)?` with at most 19 digits whose
    /// integer is below 2⁵³: that integer divided by a power of ten, both exact in a double, so
    /// one correctly rounded division (Clinger's fast path) gives the same value. Nil for any
    /// other text (signs other than `-`, exponents, blanks, more digits), which the caller reads
    /// the full way.
    public static func value(_ text: UnsafeRawBufferPointer) -> Double? {
        guard !text.isEmpty, let bytes = text.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        var i = 0
        let negative = bytes[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        var mantissa: UInt64 = 0
        var digits = 0, fractionDigits = 0, seenPoint = false
        while i < text.count {
            let b = bytes[i]
            if b &- UInt8(ascii: "0") < 10 {
                guard digits < 19 else { return nil }
                // Below 10^19 (19 digits at most): no overflow.
                mantissa = mantissa &* 10 &+ UInt64(b &- UInt8(ascii: "0"))
                digits += 1
                if seenPoint { fractionDigits += 1 }
            } else if b == UInt8(ascii: "."), !seenPoint, digits > 0 {
                seenPoint = true
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, !seenPoint || fractionDigits > 0, mantissa < 1 << 53 else { return nil }
        // (10^0…10^18, exact: the values of `JSONScanner.powersOfTen`, without its lazy start.)
        let d = Double(mantissa) / JSONWriter.doublePowerOfTen(fractionDigits)
        return negative ? -d : d
    }
}
