import OrderedCollections

/// Writes JSON text into a growing UTF-8 byte buffer.
///
/// Numbers: integers as written; doubles in the shortest form that reads back to the same
/// value, or with a fixed number of decimals (`appendFixed`) for coordinates. JSON has no NaN
/// or infinity, so those are written as `null`.
public struct JSONWriter: Sendable {
    public var bytes: [UInt8] = []

    public init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// The text of one value, compact.
    public static func string(from value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.append(value)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @inline(__always)
    public mutating func appendByte(_ b: UInt8) { bytes.append(b) }

    @inline(__always)
    public mutating func appendRaw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ value: JSONValue) {
        switch value {
        case .null: appendRaw("null")
        case .bool(let b): b ? appendRaw("true") : appendRaw("false")
        case .integer(let i): appendInteger(i)
        case .double(let d): appendDouble(d)
        case .string(let s): appendString(s)
        case .array(let a):
            appendByte(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { appendByte(UInt8(ascii: ",")) }
                append(element)
            }
            appendByte(UInt8(ascii: "]"))
        case .object(let o):
            appendObject(o)
        }
    }

    public mutating func appendObject(_ members: OrderedDictionary<String, JSONValue>) {
        appendByte(UInt8(ascii: "{"))
        var first = true
        for (key, value) in members {
            if !first { appendByte(UInt8(ascii: ",")) }
            first = false
            appendString(key)
            appendByte(UInt8(ascii: ":"))
            append(value)
        }
        appendByte(UInt8(ascii: "}"))
    }

    public mutating func appendInteger(_ value: Int64) {
        if value < 0 {
            appendByte(UInt8(ascii: "-"))
            appendUnsigned(value.magnitude)
        } else {
            appendUnsigned(UInt64(value))
        }
    }

    @inline(__always)
    mutating func appendUnsigned(_ value: UInt64) {
        if value < 10 {
            bytes.append(UInt8(ascii: "0") + UInt8(value))
            return
        }
        var digits: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
            UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var v = value
        withUnsafeMutableBytes(of: &digits) { raw in
            let d = raw.bindMemory(to: UInt8.self)
            while v > 0 {
                d[count] = UInt8(v % 10)
                v /= 10
                count += 1
            }
            for i in stride(from: count - 1, through: 0, by: -1) {
                bytes.append(UInt8(ascii: "0") + d[i])
            }
        }
    }

    /// Shortest round-trip form (`0.1`, `1e-05`, `12345.678`); `null` for NaN and infinities.
    public mutating func appendDouble(_ value: Double) {
        guard value.isFinite else {
            appendRaw("null")
            return
        }
        if value == value.rounded(), abs(value) < 1e15 {
            appendInteger(Int64(value))
            return
        }
        var text = value.description
        text.withUTF8 { bytes.append(contentsOf: $0) }  // contiguous: one copy, not byte by byte
    }

    /// What `appendDouble(units / 10^decimals)` writes, for `units` a whole number (such as
    /// `meters.rounded()` for kilometres to the metre), from the integer's digits instead of
    /// formatting the quotient: the decimal `units / 10^decimals` without trailing zeros. While
    /// |units| < 10^12 that decimal is the quotient's shortest round-trip text (any shorter one
    /// is 10^-decimals away, far more than an ulp), written in plain notation as Swift writes
    /// values from 10^-4 up. `decimals` 1…3; anything else goes to `appendDouble`.
    public mutating func appendDecimal(units: Double, decimals: Int) {
        let quotient = units / JSONWriter.doublePowersOfTen[max(0, min(decimals, 18))]
        guard (1...3).contains(decimals), units == units.rounded(), abs(units) < 1e12, quotient != quotient.rounded() else {
            return appendDouble(quotient)
        }
        let whole = Int64(units)
        if whole < 0 { appendByte(UInt8(ascii: "-")) }
        let divisor = JSONWriter.powersOfTen[decimals]
        appendUnsigned(whole.magnitude / divisor)
        // Not zero: the quotient is not a whole number.
        var fraction = whole.magnitude % divisor
        var width = decimals
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        appendByte(UInt8(ascii: "."))
        var digits = 1, f = fraction
        while f >= 10 {
            f /= 10
            digits += 1
        }
        for _ in 0..<(width - digits) { appendByte(UInt8(ascii: "0")) }
        appendUnsigned(fraction)
    }

    static let powersOfTen: [UInt64] = (0...18).map { p in (0..<p).reduce(1) { acc, _ in acc * 10 } }
    static let doublePowersOfTen: [Double] = powersOfTen.map { Double($0) }

    /// Writes `value` rounded to `decimals` places (0…15), without trailing zeros:
    /// `appendFixed(40.918540000001, decimals: 6)` writes `40.91854`. Reading the text back and
    /// writing it again gives the same text, so round trips are exact at that precision.
    /// NaN and infinities are written as `null`.
    public mutating func appendFixed(_ value: Double, decimals: Int) {
        guard value.isFinite else {
            appendRaw("null")
            return
        }
        let p = max(0, min(decimals, 15))
        let scaled = (value * JSONWriter.doublePowersOfTen[p]).rounded()
        guard abs(scaled) < 9.0e15 else {
            appendDouble(value)  // too large for the integer path; fall back to shortest form
            return
        }
        let units = Int64(scaled)
        if units == 0 {
            appendByte(UInt8(ascii: "0"))
            return
        }
        if units < 0 { appendByte(UInt8(ascii: "-")) }
        let magnitude = units.magnitude
        let divisor = JSONWriter.powersOfTen[p]
        appendUnsigned(magnitude / divisor)
        var fraction = magnitude % divisor
        guard fraction != 0 else { return }
        var width = p
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        appendByte(UInt8(ascii: "."))
        // Leading zeros of the fraction.
        var digitsInFraction = 1
        var f = fraction
        while f >= 10 {
            f /= 10
            digitsInFraction += 1
        }
        for _ in 0..<(width - digitsInFraction) { appendByte(UInt8(ascii: "0")) }
        appendUnsigned(fraction)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string with the escapes RFC 8259 requires (quote, backslash, control characters).
    public mutating func appendString(_ s: String) {
        var s = s
        s.withUTF8 { appendString(utf8: $0) }
    }

    /// `appendString` of text given as its UTF-8 bytes (well-formed).
    public mutating func appendString(utf8: UnsafeBufferPointer<UInt8>) {
        appendByte(UInt8(ascii: "\""))
        var runStart = 0
        for i in 0..<utf8.count {
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if runStart < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            runStart = i + 1
            switch b {
            case UInt8(ascii: "\""): appendRaw("\\\"")
            case UInt8(ascii: "\\"): appendRaw("\\\\")
            case 0x0A: appendRaw("\\n")
            case 0x0D: appendRaw("\\r")
            case 0x09: appendRaw("\\t")
            case 0x08: appendRaw("\\b")
            case 0x0C: appendRaw("\\f")
            default:
                appendRaw("\\u00")
                appendByte(JSONWriter.hexDigits[Int(b >> 4)])
                appendByte(JSONWriter.hexDigits[Int(b & 0xF)])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        appendByte(UInt8(ascii: "\""))
    }
}
