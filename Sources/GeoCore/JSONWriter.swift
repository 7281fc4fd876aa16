import OrderedCollections

/// Writes JSON text into a growing UTF-8 byte buffer.
///
/// Numbers: integers as written; doubles in the shortest form that reads back to the same
/// value, or with a fixed number of decimals (`appendFixed`) for coordinates. JSON has no NaN
/// or infinity, so those are written as `null`.
///
/// The buffer is the writer's own (not an `Array`): an append is a capacity check, a
/// uniqueness check and a copy, inlined where it is written (`Array.append(contentsOf:)` costs
/// about 90 instructions a call). A value like an array: copies share the buffer until one of
/// them writes (copy on write).
public struct JSONWriter: @unchecked Sendable {
    /// Owns the buffer; freed with the last writer holding it.
    @usableFromInline final class Buffer {
        @usableFromInline let base: UnsafeMutablePointer<UInt8>

        init(capacity: Int) { base = .allocate(capacity: capacity) }

        deinit { base.deallocate() }
    }

    /// nil until the first byte (or a reservation): an empty writer allocates nothing.
    @usableFromInline var buffer: Buffer?
    /// Bytes written; `buffer`'s capacity (0 without one).
    @usableFromInline var written = 0
    @usableFromInline var capacity = 0
    /// True only inside `withBufferKnownUnique`: the buffer is this writer's alone, and the
    /// appends skip the uniqueness check.
    @usableFromInline var bufferKnownUnique = false

    /// Bytes written.
    @inlinable public var count: Int { written }

    public init(reservingCapacity capacity: Int = 0) {
        if capacity > 0 { reallocate(minimumCapacity: capacity) }
    }

    /// A copy of the text written.
    public var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    @inlinable public var isEmpty: Bool { written == 0 }

    /// The last byte written, nil when none.
    public var last: UInt8? { count == 0 ? nil : buffer.unsafelyUnwrapped.base[count - 1] }

    /// The text written, valid during `body`.
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: buffer?.base, count: written))
    }

    /// Forgets what was written; the buffer is kept for what comes next when
    /// `keepingCapacity` (a buffer another writer shares is left to it at the next append).
    public mutating func removeAll(keepingCapacity: Bool = false) {
        written = 0
        if !keepingCapacity {
            buffer = nil
            capacity = 0
        }
    }

    /// Room for `extra` more bytes in a buffer of this writer's own: a new one (at least
    /// double the old capacity) when full or shared, the text copied.
    @usableFromInline
    mutating func makeRoom(_ extra: Int) {
        reallocate(minimumCapacity: Swift.max(count + extra, 2 * capacity, 64))
    }

    mutating func reallocate(minimumCapacity: Int) {
        let fresh = Buffer(capacity: minimumCapacity)
        if count > 0 { fresh.base.update(from: buffer.unsafelyUnwrapped.base, count: count) }
        buffer = fresh
        capacity = minimumCapacity
    }

    /// Where the next `extra` bytes go, in a buffer of this writer's own with room for them;
    /// the caller writes them and then adds to `count` (`didAppend`).
    @inlinable @inline(__always)
    mutating func appendingSpace(_ extra: Int) -> UnsafeMutablePointer<UInt8> {
        if written + extra > capacity || (!bufferKnownUnique && !isKnownUniquelyReferenced(&buffer)) { makeRoom(extra) }
        return buffer.unsafelyUnwrapped.base + written
    }

    /// Runs `body` with the buffer made this writer's own once, so that its appends skip the
    /// uniqueness check (a call into the runtime at each). `body` must not copy the writer: a
    /// copy made inside would share the buffer and write over it. For this module's encoders,
    /// never a caller's closure.
    @inline(__always)
    mutating func withBufferKnownUnique<R>(_ body: (inout JSONWriter) throws -> R) rethrows -> R {
        if buffer == nil || !isKnownUniquelyReferenced(&buffer) { makeRoom(0) }
        bufferKnownUnique = true
        defer { bufferKnownUnique = false }
        return try body(&self)
    }

    @inlinable @inline(__always)
    mutating func didAppend(_ n: Int) { written += n }

    /// Appends `n` bytes from `source`.
    @inlinable @inline(__always)
    mutating func append(_ source: UnsafeRawPointer, count n: Int) {
        let target = appendingSpace(n)
        Self.copy(source, to: UnsafeMutableRawPointer(target), count: n)
        written += n
    }

    /// Copies `n` bytes. Up to 32 (names, short values) by two loads and two stores that may
    /// overlap, without a call; more by `memcpy`. Reads and writes nothing outside the `n`
    /// bytes. (With `n` known where it is inlined, one branch remains.)
    @inlinable @inline(__always)
    static func copy(_ source: UnsafeRawPointer, to target: UnsafeMutableRawPointer, count n: Int) {
        if n > 32 {
            target.copyMemory(from: source, byteCount: n)
        } else if n >= 16 {
            let first = source.loadUnaligned(as: SIMD16<UInt8>.self)
            let last = source.loadUnaligned(fromByteOffset: n - 16, as: SIMD16<UInt8>.self)
            target.storeBytes(of: first, as: SIMD16<UInt8>.self)
            target.storeBytes(of: last, toByteOffset: n - 16, as: SIMD16<UInt8>.self)
        } else if n >= 8 {
            let first = source.loadUnaligned(as: UInt64.self), last = source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
            target.storeBytes(of: first, as: UInt64.self)
            target.storeBytes(of: last, toByteOffset: n - 8, as: UInt64.self)
        } else if n >= 4 {
            let first = source.loadUnaligned(as: UInt32.self), last = source.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            target.storeBytes(of: first, as: UInt32.self)
            target.storeBytes(of: last, toByteOffset: n - 4, as: UInt32.self)
        } else if n > 0 {
            // 1…3 bytes: the first, the middle and the last cover them all.
            let first = source.load(as: UInt8.self), middle = source.load(fromByteOffset: n / 2, as: UInt8.self)
            let last = source.load(fromByteOffset: n - 1, as: UInt8.self)
            target.storeBytes(of: first, as: UInt8.self)
            target.storeBytes(of: middle, toByteOffset: n / 2, as: UInt8.self)
            target.storeBytes(of: last, toByteOffset: n - 1, as: UInt8.self)
        }
    }

    @inlinable @inline(__always)
    public mutating func appendByte(_ b: UInt8) {
        appendingSpace(1).pointee = b
        written += 1
    }

    @inlinable @inline(__always)
    public mutating func appendRaw(_ s: StaticString) {
        append(s.utf8Start, count: s.utf8CodeUnitCount)
    }

    /// `,"name":`, the name of a member after the first (`name` needs no escape).
    @inlinable @inline(__always)
    public mutating func appendMemberName(_ name: StaticString) {
        let n = name.utf8CodeUnitCount
        let target = appendingSpace(n + 4)
        target[0] = UInt8(ascii: ",")
        target[1] = UInt8(ascii: "\"")
        UnsafeMutableRawPointer(target + 2).copyMemory(from: name.utf8Start, byteCount: n)
        target[n + 2] = UInt8(ascii: "\"")
        target[n + 3] = UInt8(ascii: ":")
        written += n + 4
    }

    /// Appends text as it is (already JSON).
    @inlinable @inline(__always)
    public mutating func append(contentsOf text: UnsafeRawBufferPointer) {
        guard let start = text.baseAddress, !text.isEmpty else { return }
        append(start, count: text.count)
    }

    /// Appends text as it is (already JSON).
    @inlinable @inline(__always)
    public mutating func append(contentsOf text: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: UnsafeRawBufferPointer(text))
    }

    /// Appends text as it is (already JSON).
    @inlinable
    public mutating func append(contentsOf text: [UInt8]) {
        text.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// Appends the UTF-8 of `text` as it is (already JSON).
    public mutating func append(utf8 text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends the text another writer wrote.
    public mutating func append(_ other: JSONWriter) {
        other.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// The text of one value, compact.
    public static func string(from value: JSONValue) -> String {
        var writer = JSONWriter()
        writer.append(value)
        return writer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
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

    public mutating func appendObject(_ members: borrowing OrderedDictionary<String, JSONValue>) {
        appendByte(UInt8(ascii: "{"))
        let keys = members.keys, values = members.values
        for i in 0..<keys.count {
            appendMemberKey(keys[i], first: i == 0)
            append(values[i])
        }
        appendByte(UInt8(ascii: "}"))
    }

    /// `"key":`, with a `,` first unless `first`: the key escaped as `appendString` escapes it.
    public mutating func appendMemberKey(_ key: borrowing String, first: Bool) {
        if key.utf8.withContiguousStorageIfAvailable({ appendMemberKey(utf8: $0, first: first) }) != nil { return }
        var text = copy key
        text.withUTF8 { appendMemberKey(utf8: $0, first: first) }
    }

    /// `appendMemberKey` of a key given as its UTF-8 bytes (well-formed).
    @inline(__always)
    mutating func appendMemberKey(utf8: UnsafeBufferPointer<UInt8>, first: Bool) {
        appendQuoted(utf8, comma: !first, colon: true)
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
        let out = appendingSpace(20)
        didAppend(Self.writeDigits(value, to: out))
    }

    /// Writes the decimal digits of `value` at `out` (room for 20); returns how many.
    @inline(__always)
    static func writeDigits(_ value: UInt64, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 1, bound: UInt64 = 10
        while n < 20, value >= bound {
            n += 1
            bound &*= 10  // wraps only past 10^19, when the loop ends anyway
        }
        writeDigits(value, count: n, to: out)
        return n
    }

    /// "00", "01", … "99": the digits written two at a time.
    @usableFromInline static var digitPairs: StaticString { "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899" }

    /// Writes the last `count` decimal digits of `value` at `out`, leading zeros included.
    @inline(__always)
    static func writeDigits(_ value: UInt64, count: Int, to out: UnsafeMutablePointer<UInt8>) {
        let pairs = digitPairs.utf8Start
        var rest = value, k = count
        while k >= 2 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            k -= 2
            out[k] = pairs[pair]
            out[k + 1] = pairs[pair + 1]
        }
        if k == 1 { out[0] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10) }
    }

    /// 10^p, p in 0…19, by multiplying (exact: every step is a whole number below 2^64).
    @inline(__always)
    static func powerOfTen(_ p: Int) -> UInt64 {
        var power: UInt64 = 1
        for _ in 0..<p { power &*= 10 }
        return power
    }

    /// 10^p as a double, p in 0…22, by multiplying: exact (10^p = 2^p × 5^p, 5^22 < 2^53), so
    /// the same value as `JSONScanner.powersOfTen[p]`, without a global's lazy start.
    @inline(__always)
    static func doublePowerOfTen(_ p: Int) -> Double {
        var power = 1.0
        for _ in 0..<p { power *= 10 }
        return power
    }

    /// Writes `magnitude / 10^decimals` at `out` (room for 37 bytes) as a decimal without
    /// trailing zeros, `-` first when `negative`, without a point when it is whole (`0` for
    /// zero); returns how many bytes. `decimals` 0…15.
    @inline(__always)
    static func writeDecimal(_ magnitude: UInt64, negative: Bool, decimals: Int, to out: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if negative {
            out[0] = UInt8(ascii: "-")
            n = 1
        }
        // Six decimals (coordinates' default) and three (kilometres to the metre) divide by a
        // constant: a multiply, not a division.
        let whole: UInt64, fraction: UInt64
        switch decimals {
        case 6: (whole, fraction) = (magnitude / 1_000_000, magnitude % 1_000_000)
        case 3: (whole, fraction) = (magnitude / 1_000, magnitude % 1_000)
        default:
            let divisor = powerOfTen(decimals)
            (whole, fraction) = (magnitude / divisor, magnitude % divisor)
        }
        n += writeDigits(whole, to: out + n)
        guard fraction != 0 else { return n }
        out[n] = UInt8(ascii: ".")
        writeDigits(fraction, count: decimals, to: out + n + 1)  // leading zeros included
        // Without trailing zeros: the fraction is not zero, so this stops after the point.
        var end = n + 1 + decimals
        while out[end - 1] == UInt8(ascii: "0") { end -= 1 }
        return end
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
        text.withUTF8 { append(contentsOf: $0) }  // contiguous: one copy, not byte by byte
    }

    /// What `appendDouble(units / 10^decimals)` writes, for `units` a whole number (such as
    /// `meters.rounded()` for kilometres to the metre), from the integer's digits instead of
    /// formatting the quotient: the decimal `units / 10^decimals` without trailing zeros. While
    /// |units| < 10^12 that decimal is the quotient's shortest round-trip text (any shorter one
    /// is 10^-decimals away, far more than an ulp), written in plain notation as Swift writes
    /// values from 10^-4 up. `decimals` 1…3; anything else goes to `appendDouble`.
    public mutating func appendDecimal(units: Double, decimals: Int) {
        // Below 10^12 the integer holds `units` exactly when it is a whole number; and the
        // quotient is whole exactly when the integer is a multiple of 10^decimals (a quotient
        // with a fraction of at least 10^-3, below 10^9, is no double's rounding of a whole one).
        let whole = abs(units) < 1e12 ? Int64(units) : 0
        guard decimals >= 1, decimals <= 3, abs(units) < 1e12, Double(whole) == units,
              whole % Int64(Self.powerOfTen(decimals)) != 0 else {
            return appendDouble(units / Self.doublePowerOfTen(max(0, min(decimals, 18))))
        }
        let out = appendingSpace(40)
        didAppend(Self.writeDecimal(whole.magnitude, negative: whole < 0, decimals: decimals, to: out))
    }

    /// Writes `value` rounded to `decimals` places (0…15), without trailing zeros:
    /// `appendFixed(40.918540000001, decimals: 6)` writes `40.91854`. Reading the text back and
    /// writing it again gives the same text, so round trips are exact at that precision.
    /// NaN and infinities are written as `null`.
    public mutating func appendFixed(_ value: Double, decimals: Int) {
        let out = appendingSpace(40)
        if let n = Self.writeFixed(value, decimals: decimals, to: out) {
            didAppend(n)
        } else if value.isFinite {
            appendDouble(value)  // too large for the integer path; fall back to shortest form
        } else {
            appendRaw("null")
        }
    }

    /// `[x,y]` as `appendFixed` writes each, in one reservation; false (nothing written) when
    /// either is not finite or too large for the fixed form, for the caller to write them apart.
    @inline(__always)
    public mutating func appendFixedPair(_ x: Double, _ y: Double, decimals: Int) -> Bool {
        let out = appendingSpace(83)
        out[0] = UInt8(ascii: "[")
        guard let nx = Self.writeFixed(x, decimals: decimals, to: out + 1) else { return false }
        out[nx + 1] = UInt8(ascii: ",")
        guard let ny = Self.writeFixed(y, decimals: decimals, to: out + nx + 2) else { return false }
        out[nx + ny + 2] = UInt8(ascii: "]")
        didAppend(nx + ny + 3)
        return true
    }

    /// Writes `value` rounded to `decimals` places (0…15 after clamping) at `out` (room for
    /// 40 bytes), without trailing zeros; returns how many bytes, or nil (nothing written) when
    /// it is not finite or |value × 10^decimals| ≥ 9 × 10^15.
    @inline(__always)
    static func writeFixed(_ value: Double, decimals: Int, to out: UnsafeMutablePointer<UInt8>) -> Int? {
        let p = max(0, min(decimals, 15))
        let scaled = value * doublePowerOfTen(p)
        // (Below 9 × 10^15 a double's rounding never reaches it: the bound is the same after.)
        guard abs(scaled) < 9.0e15 else { return nil }  // false for NaN too
        // Rounded half away from zero as `rounded()` (libm's round) does, without the call:
        // a double's fraction, `x - trunc(x)`, is exact.
        var units = Int64(scaled)
        let fraction = scaled - Double(units)
        if fraction >= 0.5 {
            units += 1
        } else if fraction <= -0.5 {
            units -= 1
        }
        return writeDecimal(units.magnitude, negative: units < 0, decimals: p, to: out)
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A JSON string with the escapes RFC 8259 requires (quote, backslash, control characters).
    public mutating func appendString(_ s: borrowing String) {
        // Native and small strings are contiguous UTF-8: read in place, no copy of the string.
        if s.utf8.withContiguousStorageIfAvailable({ appendString(utf8: $0) }) != nil { return }
        var text = copy s
        text.withUTF8 { appendString(utf8: $0) }
    }

    /// `appendString` of text given as its UTF-8 bytes (well-formed).
    public mutating func appendString(utf8: UnsafeBufferPointer<UInt8>) {
        appendQuoted(utf8, comma: false, colon: false)
    }

    /// The text as a JSON string, after a `,` when `comma` and before a `:` when `colon`. Text
    /// that needs no escape (no quote, backslash or control byte: the usual case) is checked
    /// sixteen, eight or four bytes at a time and copied in one reservation with its marks.
    @inline(__always)
    mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>, comma: Bool, colon: Bool) {
        let n = utf8.count
        if n > 0, Self.needsEscape(UnsafeRawPointer(utf8.baseAddress.unsafelyUnwrapped), count: n) {
            if comma { appendByte(UInt8(ascii: ",")) }
            appendEscapedString(utf8)
            if colon { appendByte(UInt8(ascii: ":")) }
            return
        }
        let lead = comma ? 1 : 0, total = lead + n + 2 + (colon ? 1 : 0)
        let out = appendingSpace(total)
        out[0] = UInt8(ascii: ",")  // written over by the quote without a comma
        out[lead] = UInt8(ascii: "\"")
        if n > 0 { Self.copy(UnsafeRawPointer(utf8.baseAddress.unsafelyUnwrapped), to: UnsafeMutableRawPointer(out + lead + 1), count: n) }
        out[lead + n + 1] = UInt8(ascii: "\"")
        if colon { out[lead + n + 2] = UInt8(ascii: ":") }
        written += total
    }

    /// Whether any of `n` (≥ 1) bytes needs an escape in a JSON string: a quote, a backslash
    /// or a byte below 0x20. Reads sixteen, eight or four bytes at a time, the last piece
    /// overlapping the one before it (nothing outside the `n` bytes), and bytes below four.
    @inline(__always)
    static func needsEscape(_ source: UnsafeRawPointer, count n: Int) -> Bool {
        if n >= 16 {
            // (Typed constants: with the element type inferred, the compares are not vectorised.)
            let quote = SIMD16<UInt8>(repeating: 0x22), backslash = SIMD16<UInt8>(repeating: 0x5C)
            let space = SIMD16<UInt8>(repeating: 0x20)
            var offset = 0
            while true {
                let at = Swift.min(offset, n - 16)
                let v = source.loadUnaligned(fromByteOffset: at, as: SIMD16<UInt8>.self)
                let stops = unsafeBitCast((v .== quote) .| (v .== backslash) .| (v .< space), to: SIMD2<UInt64>.self)
                if stops[0] | stops[1] != 0 { return true }
                if at == n - 16 { return false }
                offset += 16
            }
        }
        if n >= 8 {
            return needsEscape(source.loadUnaligned(as: UInt64.self)) || needsEscape(source.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
        }
        if n >= 4 {
            let first = source.loadUnaligned(as: UInt32.self), last = source.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self)
            return needsEscape(UInt64(first) | UInt64(last) << 32)
        }
        for k in 0..<n {
            let b = source.load(fromByteOffset: k, as: UInt8.self)
            if b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") { return true }
        }
        return false
    }

    /// Whether any of the eight bytes of `word` is a quote, a backslash or below 0x20. Each
    /// `(x - k) & ~x` test (bytes below k) is exact for "any": no byte borrows before the
    /// first one below k.
    @inline(__always)
    static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22), backslashes = word ^ (ones &* 0x5C)
        let below = (word &- ones &* 0x20) & ~word
        return (below | (quotes &- ones) & ~quotes | (backslashes &- ones) & ~backslashes) & highs != 0
    }

    /// The quoted string with its escapes, byte by byte: text that needs them.
    @inline(never)
    mutating func appendEscapedString(_ utf8: UnsafeBufferPointer<UInt8>) {
        appendByte(UInt8(ascii: "\""))
        var runStart = 0
        for i in 0..<utf8.count {
            let b = utf8[i]
            guard b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") else { continue }
            if runStart < i { append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
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
        if runStart < utf8.count { append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
        appendByte(UInt8(ascii: "\""))
    }
}
