import Foundation
import OrderedCollections

/// A Point feature found in the input without building its values: its position, where its
/// `id` and `properties` texts lie, and the values of a few named properties.
///
/// Ranges are byte offsets into the buffer that was scanned; the buffer must outlive them.
public struct ScannedFeature: Sendable {
    /// Degrees, as read (within −180…180 and −90…90: anything else is left to the decoder).
    public var longitude: Double
    public var latitude: Double
    /// The `id` value's text: a string with its quotes (no escapes) or an integer; nil when absent.
    public var idRange: Range<Int>?
    /// The `properties` object's text, `{` to `}`; nil for `"properties": null`.
    public var propertiesRange: Range<Int>?
    /// Whether the properties text is exactly what `JSONWriter` writes for its parsed value
    /// (compact, no escapes, numbers in shortest form, no nested object), so copying the text
    /// gives the same output as decoding and encoding it.
    public var propertiesVerbatim: Bool
    /// Values of the properties the scanner was asked for, in its `keys` order; nil when absent
    /// (and for a scanner that does not parse them).
    public var values: [JSONValue?]
    /// For each of those, the offset just after its value's text; -1 when absent.
    public var valueEnds: [Int]
    /// For each of those, the offset of its value's text, from a scanner that locates values
    /// instead of parsing them (`FeatureScanner(keys:parsingValues: false)`; -1 when absent);
    /// empty from one that parses them.
    public var valueStarts: [Int] = []
    /// Members of the properties object.
    public var memberCount = 0
    /// A Bloom filter of the property names (two bits of 256 each, from `NameBloom.hash`).
    public var nameBloom = NameBloom()
    /// The feature's text, `{` to `}`; set by `FeatureScanner.scan`.
    public var textRange: Range<Int>?
    /// Whether a key's value holds an escape (the writer's own: only from a scanner whose keys
    /// may hold them, `FeatureScanner.keysMayHoldEscapes`); its text is then not its value.
    public var keyValuesEscaped = false

    /// The text of the value of key `k`, from a scanner that locates values; nil when absent.
    public func valueText(_ k: Int, in buffer: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        let start = valueStarts[k]
        return start < 0 ? nil : UnsafeRawBufferPointer(rebasing: buffer[start..<valueEnds[k]])
    }

    /// The value of key `k` as the full parser reads it, from a scanner that locates values
    /// (which checked its text); nil when absent.
    public func value(_ k: Int, in buffer: UnsafeRawBufferPointer) -> JSONValue? {
        guard let text = valueText(k, in: buffer) else { return nil }
        // A plain whole number (a count of fatalities) read here, as the parser reads it:
        // up to 18 digits, no sign, no leading zero, nothing after.
        if (1...18).contains(text.count), text[0] != UInt8(ascii: "0") || text.count == 1, text.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) {
            return .integer(text.reduce(0) { $0 * 10 + Int64($1 &- UInt8(ascii: "0")) })
        }
        return try? JSONParser.parse(buffer: text)
    }

    public init(longitude: Double, latitude: Double, idRange: Range<Int>?, propertiesRange: Range<Int>?, propertiesVerbatim: Bool,
                values: [JSONValue?], valueEnds: [Int], valueStarts: [Int] = [], memberCount: Int = 0, nameBloom: NameBloom) {
        self.longitude = longitude
        self.latitude = latitude
        self.idRange = idRange
        self.propertiesRange = propertiesRange
        self.propertiesVerbatim = propertiesVerbatim
        self.values = values
        self.valueEnds = valueEnds
        self.valueStarts = valueStarts
        self.memberCount = memberCount
        self.nameBloom = nameBloom
    }
}

/// Which names an object may hold: no false "absent", rare false "present" (about 2% per
/// question for 20 names).
public struct NameBloom: Sendable, Hashable {
    var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    public init() {}

    /// A 64-bit hash of a name's UTF-8 bytes, eight bytes at a time (multiply and rotate per
    /// word, the length folded in); `mixed` spreads it before bits are taken.
    @inline(__always)
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        var i = 0
        while i + 8 <= bytes.count {
            hash = (hash ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian) &* 0x9E37_79B9_7F4A_7C15
            hash = (hash << 29) | (hash >> 35)
            i += 8
        }
        if i < bytes.count {
            var tail: UInt64 = 0
            for k in i..<bytes.count { tail |= UInt64(bytes[k]) << UInt64((k - i) * 8) }
            hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
            hash = (hash << 29) | (hash >> 35)
        }
        return hash
    }

    /// `hash` of the bytes at `range` of `buffer`: the last partial word is loaded in one go,
    /// with the bytes before it (which must be in `buffer`) shifted out.
    @inline(__always)
    static func hash(in buffer: UnsafeRawBufferPointer, range: Range<Int>) -> UInt64 {
        let count = range.count
        guard count & 7 != 0, range.upperBound >= 8 else { return hash(UnsafeRawBufferPointer(rebasing: buffer[range])) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(count)
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            hash = (hash ^ buffer.loadUnaligned(fromByteOffset: i, as: UInt64.self).littleEndian) &* 0x9E37_79B9_7F4A_7C15
            hash = (hash << 29) | (hash >> 35)
            i += 8
        }
        let tail = buffer.loadUnaligned(fromByteOffset: range.upperBound - 8, as: UInt64.self).littleEndian >> UInt64((8 - count & 7) * 8)
        hash = (hash ^ tail) &* 0x9E37_79B9_7F4A_7C15
        return (hash << 29) | (hash >> 35)
    }

    /// `hash` of a name.
    static func hash(_ name: String) -> UInt64 {
        var name = name
        return name.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// MurmurHash3's 64-bit finaliser: FNV's low bits alone are too alike for similar names.
    @inline(__always)
    static func mixed(_ hash: UInt64) -> UInt64 {
        var h = hash
        h ^= h >> 33
        h = h &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 33
        h = h &* 0xc4ce_b9fe_1a85_ec53
        h ^= h >> 33
        return h
    }

    /// Adds a name by its `mixed(hash(…))`.
    @inline(__always) mutating func insert(mixed h: UInt64) {
        set(Int(h & 0xFF))
        set(Int((h >> 32) & 0xFF))
    }

    /// Adds the names of `other`: the filter of both objects' names together.
    public mutating func formUnion(_ other: NameBloom) {
        words.0 |= other.words.0; words.1 |= other.words.1; words.2 |= other.words.2; words.3 |= other.words.3
    }

    /// Whether the name may be present.
    public func mayContain(_ name: String) -> Bool { mayContain(mixed: Self.mixed(Self.hash(name))) }

    /// Whether a name of this `mixed(hash(…))` may be present.
    @inline(__always) func mayContain(mixed h: UInt64) -> Bool {
        isSet(Int(h & 0xFF)) && isSet(Int((h >> 32) & 0xFF))
    }

    // The word is picked by address, not by a switch: bits are random, so a switch's branches
    // would be mispredicted about every other time.
    @inline(__always) private mutating func set(_ bit: Int) {
        let mask = UInt64(1) << UInt64(bit & 63)
        withUnsafeMutableBytes(of: &words) { words in
            let offset = (bit >> 6 & 3) * 8
            words.storeBytes(of: words.load(fromByteOffset: offset, as: UInt64.self) | mask, toByteOffset: offset, as: UInt64.self)
        }
    }

    @inline(__always) private func isSet(_ bit: Int) -> Bool {
        let mask = UInt64(1) << UInt64(bit & 63)
        return withUnsafeBytes(of: words) { $0.load(fromByteOffset: (bit >> 6 & 3) * 8, as: UInt64.self) } & mask != 0
    }

    public static func == (a: NameBloom, b: NameBloom) -> Bool {
        a.words.0 == b.words.0 && a.words.1 == b.words.1 && a.words.2 == b.words.2 && a.words.3 == b.words.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }
}

/// The member names of the last properties object scanned, in order, for a reading thread:
/// when the next feature's properties start with the same names (the common case: one writer,
/// one schema), each is recognised by comparing its bytes, without looking for its end, hashing
/// it or matching it against the keys again. What is found never depends on it. Starts empty;
/// one per thread (`FeatureScanner.scan(_:at:shape:)`).
public struct ScanShape {
    /// Names memorised, and the longest one (bytes); longer names are read the plain way.
    static let slots = 48, slotBytes = 32
    /// Bytes kept per slot: the name's member start `"name":`, zeros after.
    static let stride = 40
    /// The scanner's keys' hashes this shape was made with (a shape follows one scanner).
    var keyHashes: [UInt64] = []
    /// Slot `k` holds `"` + member `k`'s name + `":` at `k × stride`.
    var names = [UInt8](repeating: 0, count: slots * stride)
    /// Per slot: the name's length (-1: none), `NameBloom.hash` and `mixed` of it, and its
    /// index among the scanner's keys (-1: not a key).
    var lengths = [Int](repeating: -1, count: slots)
    var hashes = [UInt64](repeating: 0, count: slots)
    var mixedHashes = [UInt64](repeating: 0, count: slots)
    var keyIndices = [Int](repeating: -1, count: slots)
    /// Slots `0..<distinct` hold the names of the last properties scanned in full, which are
    /// therefore all different: a feature whose names so far are those slots' needs no check
    /// for a repeated name. 0 while a feature is scanned (set again when it ends).
    var distinct = 0
    /// `prefixBlooms[k]`: the `NameBloom` of slots `0..<k`' names, for `k` up to `distinct`.
    var prefixBlooms = [NameBloom](repeating: NameBloom(), count: slots + 1)
    /// The `values`, `valueEnds` and `valueStarts` of the feature scanned last, emptied, handed
    /// back by `recycle` for the next feature (which then needs no new arrays).
    var spareValues: [JSONValue?] = []
    var spareValueEnds: [Int] = []
    var spareValueStarts: [Int] = []

    public init() {}

    /// After a properties object of `count` members scanned in full the slow way: each of its
    /// first `slots` members matched or rewrote its slot, so the slots up to the first without
    /// a name (too long) hold its names, all different; their prefix filters are made again.
    mutating func rememberDistinct(upTo count: Int) {
        var k = 0
        while k < min(count, Self.slots), lengths[k] >= 0 {
            var bloom = prefixBlooms[k]
            bloom.insert(mixed: mixedHashes[k])
            prefixBlooms[k + 1] = bloom
            k += 1
        }
        distinct = k
    }

    /// Takes back the arrays of `feature` (scanned with this shape and done with), emptied, for
    /// the next feature this shape scans. Nothing else changes: arrays held elsewhere too are
    /// copied before they are written, as ever.
    public mutating func recycle(_ feature: inout ScannedFeature) {
        swap(&spareValues, &feature.values)
        swap(&spareValueEnds, &feature.valueEnds)
        swap(&spareValueStarts, &feature.valueStarts)
        // Only slots that were set are written: arrays never written stay shared, uncopied.
        for k in spareValues.indices where spareValues[k] != nil { spareValues[k] = nil }
        for k in spareValueEnds.indices where spareValueEnds[k] != -1 { spareValueEnds[k] = -1 }
        for k in spareValueStarts.indices where spareValueStarts[k] != -1 { spareValueStarts[k] = -1 }
    }
}

/// Scans GeoJSON Features byte by byte for the common case of a million events: a Feature of
/// `type`, `id`, `geometry` (a Point with two numbers in range) and `properties`, in strict JSON.
///
/// It never decides that an input is wrong: anything else (other members, other geometries,
/// escapes in member names, out-of-range coordinates, bad syntax, duplicate names) returns nil
/// and the caller decodes that text the full way (`JSONScanner` + `GeoJSONDecoder`), which
/// applies every rule and reports every problem exactly as before. So results never depend on
/// which way a feature was read.
public struct FeatureScanner: Sendable {
    /// The property names whose values are parsed (`ScannedFeature.values`) or located.
    public let keys: [String]
    /// Whether the keys' values are parsed (`ScannedFeature.values`) or only located
    /// (`ScannedFeature.valueStarts`, `valueEnds`).
    public let parsesValues: Bool
    private let keyBytes: [[UInt8]]
    /// `NameBloom.hash` of each key, compared before the bytes.
    private let keyHashes: [UInt64]
    /// A feature's `values` and `valueEnds` before any is found: copied on first write, which
    /// saves looking up the arrays' generic type at run time for every feature.
    public let noValues: [JSONValue?]
    private let noValueEnds: [Int]
    private let noValueStarts: [Int]
    /// Whether a key's value may hold the writer's own escapes and the properties stay
    /// verbatim (`ScannedFeature.keyValuesEscaped` then tells): for readers that check a key's
    /// text before reading it by its bytes. Otherwise a key's value with an escape is never
    /// verbatim.
    public let keysMayHoldEscapes: Bool

    /// A scanner parsing the values of `keys`, or only locating their texts when not
    /// `parsingValues` (a value is then checked as any other, never made).
    public init(keys: [String], parsingValues: Bool = true, keysMayHoldEscapes: Bool = false) {
        self.keys = keys
        self.parsesValues = parsingValues
        self.keysMayHoldEscapes = keysMayHoldEscapes
        self.keyBytes = keys.map { Array($0.utf8) }
        self.keyHashes = keys.map { NameBloom.hash($0) }
        self.noValues = [JSONValue?](repeating: nil, count: keys.count)
        self.noValueEnds = [Int](repeating: -1, count: keys.count)
        self.noValueStarts = parsingValues ? [] : [Int](repeating: -1, count: keys.count)
    }

    /// Scans the Feature whose text starts at `offset` (leading whitespace allowed). Returns the
    /// feature and the offset just after its closing brace, or nil when it is not the plain case.
    public func scan(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> (feature: ScannedFeature, end: Int)? {
        var shape = ScanShape()
        return scan(bytes, at: offset, shape: &shape)
    }

    /// `scan(_:at:)`, recognising the names `shape` remembers from the feature before (and
    /// remembering this one's); the result is the same.
    public func scan(_ bytes: UnsafeRawBufferPointer, at offset: Int, shape: inout ScanShape) -> (feature: ScannedFeature, end: Int)? {
        if shape.keyHashes != keyHashes {
            shape = ScanShape()
            shape.keyHashes = keyHashes
        }
        var cursor = ByteCursor(bytes: bytes, index: offset)
        cursor.keysMayHoldEscapes = keysMayHoldEscapes
        var values = noValues, valueEnds = noValueEnds, valueStarts = noValueStarts
        if shape.spareValues.count == noValues.count, shape.spareValueEnds.count == noValueEnds.count,
           shape.spareValueStarts.count == noValueStarts.count {
            // Moved out, so that they are the only reference when written.
            (values, shape.spareValues) = (shape.spareValues, [])
            (valueEnds, shape.spareValueEnds) = (shape.spareValueEnds, [])
            (valueStarts, shape.spareValueStarts) = (shape.spareValueStarts, [])
        }
        return cursor.feature(keys: keyBytes, keyHashes: keyHashes, parsesValues: parsesValues, values: values, valueEnds: valueEnds,
                              valueStarts: valueStarts, shape: &shape)
    }

    /// The values of this scanner's `keys` in one properties text (`{…}`), without the rest of
    /// the feature; nil when the text is not strict JSON or a name has escapes.
    public func values(inProperties bytes: UnsafeRawBufferPointer, range: Range<Int>) -> [JSONValue?]? {
        var shape = ScanShape()
        return values(inProperties: bytes, range: range, shape: &shape)
    }

    /// `values(inProperties:range:)`, recognising the names `shape` remembers from the
    /// properties before (and remembering these); the result is the same. Keep one shape for
    /// a run of features: a new one is a dozen arrays made.
    public func values(inProperties bytes: UnsafeRawBufferPointer, range: Range<Int>, shape: inout ScanShape) -> [JSONValue?]? {
        if shape.keyHashes != keyHashes {
            shape = ScanShape()
            shape.keyHashes = keyHashes
        }
        var cursor = ByteCursor(bytes: bytes, index: range.lowerBound)
        // Copies of the empty arrays, made on first write: a new array of this element type
        // looked its generic type up at run time, behind a lock, for every feature.
        var values = noValues
        var valueEnds = noValueEnds
        var valueStarts: [Int] = []
        var verbatim = true
        var bloom = NameBloom()
        var memberCount = 0
        guard cursor.properties(keys: keyBytes, keyHashes: keyHashes, parsesValues: true, values: &values, valueEnds: &valueEnds,
                                valueStarts: &valueStarts, memberCount: &memberCount, verbatim: &verbatim, shape: &shape,
                                bloom: &bloom) else { return nil }
        return values
    }
}

/// The byte-level walk behind `FeatureScanner`. Every `Bool`/optional-returning method returns
/// false/nil on anything outside its plain case, leaving errors to the full parser.
private struct ByteCursor {
    let bytes: UnsafeRawBufferPointer
    var index: Int
    /// `FeatureScanner.keysMayHoldEscapes`, and whether a key's value held one.
    var keysMayHoldEscapes = false
    var keyValueEscaped = false

    @inline(__always) var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    @inline(__always) mutating func skipBlanks() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    @inline(__always) mutating func take(_ byte: UInt8) -> Bool {
        skipBlanks()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// After a member or element: true after `,`, false after the closing byte, nil otherwise.
    @inline(__always) mutating func next(closing: UInt8) -> Bool? {
        skipBlanks()
        guard index < bytes.count else { return nil }
        let b = bytes[index]
        index += 1
        if b == UInt8(ascii: ",") { return true }
        if b == closing { return false }
        return nil
    }

    /// A member name without escapes, as a range of its bytes (quotes excluded), and the colon.
    /// A name over `JSONParser.Limits.default.nameBytes` is left to the full parser, which refuses it.
    @inline(__always)
    mutating func name() -> Range<Int>? {
        guard take(UInt8(ascii: "\"")), let range = plainStringBody(), range.count <= JSONParser.Limits.default.nameBytes,
              take(UInt8(ascii: ":")) else { return nil }
        return range
    }

    /// From just after an opening quote: the string's bytes up to its closing quote (consumed),
    /// when it has no escape or control character and is valid UTF-8. Sixteen bytes at a time
    /// (SSE2 compares), then eight, then one.
    @inline(__always)
    mutating func plainStringBody() -> Range<Int>? {
        let start = index
        var high: UInt64 = 0
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        var stopped = false
        var seen = SIMD16<UInt8>()
        while index + 16 <= bytes.count {
            let v = (bytes.baseAddress.unsafelyUnwrapped + index).loadUnaligned(as: SIMD16<UInt8>.self)
            // (Typed constants: with the element type inferred, the compares are not vectorised.)
            let quote = SIMD16<UInt8>(repeating: 0x22), backslash = SIMD16<UInt8>(repeating: 0x5C), space = SIMD16<UInt8>(repeating: 0x20)
            let stop = (v .== quote) .| (v .== backslash) .| (v .< space)
            let stops = unsafeBitCast(stop, to: SIMD2<UInt64>.self)
            if stops[0] | stops[1] == 0 {
                seen |= v
                index += 16
                continue
            }
            // The first stop's byte, and the bytes before it for the UTF-8 check.
            let words = unsafeBitCast(v, to: SIMD2<UInt64>.self)
            if stops[0] != 0 {
                let k = stops[0].trailingZeroBitCount / 8
                high |= words[0] & ((UInt64(1) << UInt64(k * 8)) &- 1)
                index += k
            } else {
                let k = stops[1].trailingZeroBitCount / 8
                high |= words[0] | words[1] & ((UInt64(1) << UInt64(k * 8)) &- 1)
                index += 8 + k
            }
            stopped = true
            break
        }
        let seenWords = unsafeBitCast(seen, to: SIMD2<UInt64>.self)
        high = (high | seenWords[0] | seenWords[1]) & highs
        while !stopped, index + 8 <= bytes.count {
            let w = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self).littleEndian
            let quote = w ^ (ones &* 0x22), backslash = w ^ (ones &* 0x5C)
            // A byte that is 0 (the quote, the backslash) or below 0x20 sets its high bit; the
            // lowest such bit is exact (borrows only run upwards).
            let stops = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (w &- ones &* 0x20) & ~w) & highs
            if stops == 0 {
                high |= w & highs
                index += 8
                continue
            }
            let k = stops.trailingZeroBitCount / 8
            high |= w & highs & ((UInt64(1) << UInt64(k * 8)) &- 1)
            index += k
            break
        }
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { break }
            if b >= 0x80 { high = 1 }
            index += 1
        }
        // A string over the parser's cap is left to it (it refuses the record).
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), index - start <= JSONParser.Limits.default.stringBytes else { return nil }
        let range = start..<index
        index += 1
        if high != 0, !UTF8Text.isWellFormed(UnsafeRawBufferPointer(rebasing: bytes[range])) { return nil }
        return range
    }

    func equals(_ range: Range<Int>, _ word: [UInt8]) -> Bool {
        guard range.count == word.count else { return false }
        var i = range.lowerBound
        for b in word {
            if bytes[i] != b { return false }
            i += 1
        }
        return true
    }

    func equals(_ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let start = word.utf8Start
        for k in 0..<range.count where bytes[range.lowerBound + k] != start[k] { return false }
        return true
    }

    // MARK: the feature

    mutating func feature(keys: [[UInt8]], keyHashes: [UInt64], parsesValues: Bool, values noValues: consuming [JSONValue?],
                          valueEnds noValueEnds: consuming [Int], valueStarts noValueStarts: consuming [Int],
                          shape: inout ScanShape) -> (feature: ScannedFeature, end: Int)? {
        guard take(UInt8(ascii: "{")) else { return nil }
        let textStart = index - 1
        var sawType = false, sawGeometry = false, sawProperties = false, sawID = false
        var point: (Double, Double)?
        var idRange: Range<Int>?
        var propertiesRange: Range<Int>?
        var verbatim = true
        var bloom = NameBloom()
        var values = noValues
        var valueEnds = noValueEnds
        var valueStarts = noValueStarts
        var memberCount = 0
        repeat {
            guard let member = featureMember() else { return nil }
            skipBlanks()
            if member == .type {
                guard !sawType else { return nil }
                if at(#""Feature""#) {
                    index += 9
                } else {
                    guard let text = plainString(), equals(text, "Feature") else { return nil }
                }
                sawType = true
            } else if member == .geometry {
                guard !sawGeometry, let p = pointGeometry() else { return nil }
                point = p
                sawGeometry = true
            } else if member == .properties {
                guard !sawProperties else { return nil }
                sawProperties = true
                if current == UInt8(ascii: "n") {
                    guard literal("null") else { return nil }
                } else {
                    let start = index
                    guard properties(keys: keys, keyHashes: keyHashes, parsesValues: parsesValues, values: &values, valueEnds: &valueEnds,
                                     valueStarts: &valueStarts, memberCount: &memberCount, verbatim: &verbatim, shape: &shape,
                                     bloom: &bloom) else { return nil }
                    propertiesRange = start..<index
                }
            } else if member == .id {
                guard !sawID else { return nil }
                sawID = true
                let start = index
                if current == UInt8(ascii: "\"") {
                    guard plainString() != nil else { return nil }
                } else {
                    guard plainInteger() else { return nil }
                }
                idRange = start..<index
            } else {
                return nil  // bbox, foreign members: the decoder keeps them
            }
            guard let more = next(closing: UInt8(ascii: "}")) else { return nil }
            if !more { break }
        } while true
        guard sawType, sawGeometry, sawProperties, let point else { return nil }
        var feature = ScannedFeature(longitude: point.0, latitude: point.1, idRange: idRange, propertiesRange: propertiesRange,
                                     propertiesVerbatim: verbatim, values: values, valueEnds: valueEnds, valueStarts: valueStarts,
                                     memberCount: memberCount, nameBloom: bloom)
        feature.textRange = textStart..<index
        feature.keyValuesEscaped = keyValueEscaped
        return (feature, index)
    }

    /// The members of a Feature this scanner knows.
    enum FeatureMember { case type, geometry, properties, id, other }

    /// The next member's name and colon, as one of the Feature's: the compact forms are
    /// compared whole, anything else read as a name.
    @inline(__always)
    mutating func featureMember() -> FeatureMember? {
        skipBlanks()
        if at(#""type":"#) {
            index += 7
            return .type
        } else if at(#""id":"#) {
            index += 5
            return .id
        } else if at(#""geometry":"#) {
            index += 11
            return .geometry
        } else if at(#""properties":"#) {
            index += 13
            return .properties
        }
        guard let member = name() else { return nil }
        if equals(member, "type") { return .type }
        if equals(member, "geometry") { return .geometry }
        if equals(member, "properties") { return .properties }
        if equals(member, "id") { return .id }
        return .other
    }

    /// Whether the text at the cursor starts with `literal` (nothing consumed).
    @inline(__always)
    func at(_ literal: StaticString) -> Bool {
        matches(UnsafeRawPointer(literal.utf8Start), count: literal.utf8CodeUnitCount)
    }

    /// `{"type":"Point","coordinates":[x,y]}` in either member order, coordinates in range.
    mutating func pointGeometry() -> (Double, Double)? {
        var isPoint = false
        var coordinates: (Double, Double)?
        if at(#"{"type":"Point","coordinates":"#) {
            // The common form, compared whole; then on as any other.
            index += 30
            guard let c = pointCoordinates() else { return nil }
            (isPoint, coordinates) = (true, c)
            guard let more = next(closing: UInt8(ascii: "}")) else { return nil }
            if !more { return coordinates }
        } else {
            guard take(UInt8(ascii: "{")) else { return nil }
        }
        repeat {
            guard let member = name() else { return nil }
            skipBlanks()
            if equals(member, "type") {
                guard !isPoint, let text = plainString(), equals(text, "Point") else { return nil }
                isPoint = true
            } else if equals(member, "coordinates") {
                guard coordinates == nil, let c = pointCoordinates() else { return nil }
                coordinates = c
            } else {
                return nil
            }
            guard let more = next(closing: UInt8(ascii: "}")) else { return nil }
            if !more { break }
        } while true
        guard isPoint else { return nil }
        return coordinates
    }

    /// `[x,y]`, two numbers in range for a longitude and a latitude.
    @inline(__always)
    mutating func pointCoordinates() -> (Double, Double)? {
        guard take(UInt8(ascii: "[")), let x = number(), take(UInt8(ascii: ",")), let y = number(), take(UInt8(ascii: "]")) else { return nil }
        guard (-180...180).contains(x), (-90...90).contains(y) else { return nil }
        return (x, y)
    }

    /// A number as the full parser reads it (same digits, same rounding).
    mutating func number() -> Double? {
        skipBlanks()
        var scanner = JSONScanner(bytes)
        scanner.index = index
        guard let b = current, b == UInt8(ascii: "-") || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")),
              let value = try? scanner.parseNumber() else { return nil }
        index = scanner.index
        return value.numberValue
    }

    @inline(__always)
    mutating func literal(_ word: StaticString) -> Bool {
        guard at(word) else { return false }
        index += word.utf8CodeUnitCount
        return true
    }

    /// A string without escapes, valid UTF-8; the range of its bytes without quotes.
    @inline(__always)
    mutating func plainString() -> Range<Int>? {
        guard current == UInt8(ascii: "\"") else { return nil }
        index += 1
        return plainStringBody()
    }

    /// An integer the writer writes back the same: no sign but `-`, no leading zero, not `-0`,
    /// at most 18 digits.
    mutating func plainInteger() -> Bool {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        let digits = index - digitsStart
        guard digits > 0, digits <= 18, !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { return false }
        if digits == 1, bytes[digitsStart] == UInt8(ascii: "0"), digitsStart > start { return false }  // -0
        if let b = current, b == UInt8(ascii: ".") || b | 0x20 == UInt8(ascii: "e") { return false }
        return true
    }

    // MARK: properties

    /// Walks a properties object, parsing the values of `keys` and checking the rest is strict
    /// JSON; `verbatim` turns false when the text is not the writer's own form of it.
    mutating func properties(keys: [[UInt8]], keyHashes: [UInt64], parsesValues: Bool, values: inout [JSONValue?], valueEnds: inout [Int],
                             valueStarts: inout [Int], memberCount: inout Int, verbatim: inout Bool, shape: inout ScanShape,
                             bloom: inout NameBloom) -> Bool {
        guard current == UInt8(ascii: "{") else { return false }
        index += 1
        if let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { verbatim = false }
        skipBlanks()
        if current == UInt8(ascii: "}") {
            index += 1
            return true
        }
        // The names' hashes, to tell a repeated name from a Bloom false positive: on the stack
        // for the first 64 names, then on the heap.
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 64) { stack in
            members(seen: stack.baseAddress!, keys: keys, keyHashes: keyHashes, parsesValues: parsesValues, values: &values,
                    valueEnds: &valueEnds, valueStarts: &valueStarts, memberCount: &memberCount, verbatim: &verbatim, shape: &shape,
                    bloom: &bloom)
        }
    }

    /// The members of a properties object, from its first name on (`properties`); `stack` holds
    /// 64 names' hashes. A function of its own, not the body of a closure, so that the cursor
    /// stays in registers.
    ///
    /// While the names are those `shape` remembers in its `distinct` slots, in order and each
    /// written `"name":` exactly, they are taken by comparing bytes alone: they are different
    /// from one another, so there is nothing to look up, and the feature's `NameBloom` is the
    /// slots' own. At the first other name their hashes go to `stack` and the names are read
    /// as ever from there on.
    private mutating func members(seen stack: UnsafeMutablePointer<UInt64>, keys: [[UInt8]], keyHashes: [UInt64], parsesValues: Bool,
                                  values: inout [JSONValue?], valueEnds: inout [Int], valueStarts: inout [Int], memberCount: inout Int,
                                  verbatim: inout Bool, shape: inout ScanShape, bloom: inout NameBloom) -> Bool {
        var seen = 0
        var overflow: [UInt64] = []
        func wasSeen(_ hash: UInt64) -> Bool {
            for k in 0..<min(seen, 64) where stack[k] == hash { return true }
            return overflow.contains(hash)
        }
        let distinct = shape.distinct
        shape.distinct = 0
        // The names so far are slots 0..<seen's, each written `"name":`.
        var inRun = distinct > 0
        repeat {
            let key: Int
            if inRun, seen < distinct, let n = startOfRemembered(seen, in: shape) {
                index += n
                key = shape.keyIndices[seen]
                seen += 1
            } else {
                if inRun {
                    inRun = false
                    for k in 0..<seen { stack[k] = shape.hashes[k] }  // seen < slots < 64
                    bloom = shape.prefixBlooms[seen]
                }
                if let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { verbatim = false }
                let member: Range<Int>, hash: UInt64, mixed: UInt64, found: Int
                if let known = remembered(seen, in: shape) {
                    // The name `shape` remembers: same bytes, so no escape, valid UTF-8, same hash.
                    member = (index + 1)..<(index + 1 + known)
                    index += known + 2
                    guard take(UInt8(ascii: ":")) else { return false }
                    (hash, mixed, found) = (shape.hashes[seen], shape.mixedHashes[seen], shape.keyIndices[seen])
                } else {
                    guard let name = name() else { return false }
                    member = name
                    hash = NameBloom.hash(in: bytes, range: member)
                    mixed = NameBloom.mixed(hash)
                    found = keyHashes.firstIndex(of: hash).flatMap { equals(member, keys[$0]) ? $0 : nil } ?? -1
                    remember(member, at: seen, hash: hash, mixed: mixed, key: found, in: &shape)
                }
                key = found
                // The full parser keeps one value per name; a repeated name is its business.
                // Only a name the filter may already hold can be a repeat.
                if bloom.mayContain(mixed: mixed), wasSeen(hash) { return false }
                if seen < 64 { stack[seen] = hash } else { overflow.append(hash) }
                seen += 1
                bloom.insert(mixed: mixed)
                if bytes[index - 1] != UInt8(ascii: ":") || bytes[member.upperBound + 1] != UInt8(ascii: ":") { verbatim = false }
            }
            if let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { verbatim = false }
            skipBlanks()
            if key >= 0 {
                if parsesValues {
                    var scanner = JSONScanner(bytes)
                    scanner.index = index
                    let start = index
                    guard let value = try? scanner.parseValue() else { return false }
                    values[key] = value
                    valueEnds[key] = scanner.index
                    index = start
                } else {
                    valueStarts[key] = index
                }
            }
            // Another member's strings may hold the writer's own escapes. A key's value is read
            // from its bytes (`valueStarts`): one with an escape is never verbatim, unless the
            // keys may hold them (`keysMayHoldEscapes`; `keyValuesEscaped` then tells).
            if current == UInt8(ascii: "\"") {
                // A string, the most common value, read here; one with escapes as any value.
                let start = index
                index += 1
                if plainStringBody() == nil {
                    index = start
                    guard skipValue(depth: 3, verbatim: &verbatim, keepingEscapes: key < 0 || keysMayHoldEscapes) else { return false }
                    if key >= 0, keysMayHoldEscapes, !keyValueEscaped, bytes[start..<index].contains(UInt8(ascii: "\\")) { keyValueEscaped = true }
                }
            } else {
                let start = index
                guard skipValue(depth: 3, verbatim: &verbatim, keepingEscapes: key < 0 || keysMayHoldEscapes) else { return false }
                // (Only a list can hold a string here: a number or literal has no escape.)
                if key >= 0, keysMayHoldEscapes, !keyValueEscaped, bytes[start] == UInt8(ascii: "["),
                   memchr(bytes.baseAddress! + start, Int32(UInt8(ascii: "\\")), index - start) != nil {
                    keyValueEscaped = true
                }
            }
            if key >= 0, !parsesValues { valueEnds[key] = index }
            if let b = current, b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 { verbatim = false }
            guard let more = next(closing: UInt8(ascii: "}")) else { return false }
            if !more {
                memberCount = seen
                if inRun {
                    bloom = shape.prefixBlooms[seen]
                    shape.distinct = distinct
                } else {
                    shape.rememberDistinct(upTo: seen)
                }
                return true
            }
        } while true
    }

    /// Whether the `count` bytes at the cursor equal those at `pattern`, eight bytes at a time
    /// (the last ones in the word that ends with them; four for four to seven bytes); nothing
    /// past either's `count` bytes is read.
    @inline(__always)
    private func matches(_ pattern: UnsafeRawPointer, count: Int) -> Bool {
        guard index + count <= bytes.count else { return false }
        let text = bytes.baseAddress! + index
        guard count >= 8 else {
            guard count >= 4 else {
                for k in 0..<count where text.load(fromByteOffset: k, as: UInt8.self) != pattern.load(fromByteOffset: k, as: UInt8.self) {
                    return false
                }
                return true
            }
            return text.loadUnaligned(as: UInt32.self) == pattern.loadUnaligned(as: UInt32.self)
                && text.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self) == pattern.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self)
        }
        var i = 0
        while i + 8 <= count {
            guard text.loadUnaligned(fromByteOffset: i, as: UInt64.self) == pattern.loadUnaligned(fromByteOffset: i, as: UInt64.self) else { return false }
            i += 8
        }
        return i == count
            || text.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self) == pattern.loadUnaligned(fromByteOffset: count - 8, as: UInt64.self)
    }

    /// The length of `"name":` when the text at the cursor is exactly that for the name `shape`
    /// remembers for slot `k`; nil otherwise.
    @inline(__always)
    private func startOfRemembered(_ k: Int, in shape: ScanShape) -> Int? {
        let length = shape.lengths[k]
        guard length >= 0 else { return nil }
        let same = shape.names.withUnsafeBytes { names in matches(names.baseAddress! + k * ScanShape.stride, count: length + 3) }
        return same ? length + 3 : nil
    }

    /// The length of member `k`'s name when the text at the cursor is `"` + the name `shape`
    /// remembers for slot `k` + `"`; nil otherwise.
    @inline(__always)
    private func remembered(_ k: Int, in shape: ScanShape) -> Int? {
        guard k < ScanShape.slots else { return nil }
        let length = shape.lengths[k]
        guard length >= 0 else { return nil }
        let same = shape.names.withUnsafeBytes { names in matches(names.baseAddress! + k * ScanShape.stride, count: length + 2) }
        return same ? length : nil
    }

    /// Remembers `member` as slot `k`'s name (when it fits a slot).
    @inline(__always)
    private func remember(_ member: Range<Int>, at k: Int, hash: UInt64, mixed: UInt64, key: Int, in shape: inout ScanShape) {
        guard k < ScanShape.slots else { return }
        guard member.count <= ScanShape.slotBytes else {
            shape.lengths[k] = -1
            return
        }
        shape.names.withUnsafeMutableBytes { names in
            let slot = names.baseAddress! + k * ScanShape.stride
            slot.initializeMemory(as: UInt8.self, repeating: 0, count: ScanShape.stride)
            slot.storeBytes(of: UInt8(ascii: "\""), as: UInt8.self)
            (slot + 1).copyMemory(from: bytes.baseAddress! + member.lowerBound, byteCount: member.count)
            slot.storeBytes(of: UInt8(ascii: "\""), toByteOffset: member.count + 1, as: UInt8.self)
            slot.storeBytes(of: UInt8(ascii: ":"), toByteOffset: member.count + 2, as: UInt8.self)
        }
        shape.lengths[k] = member.count
        shape.hashes[k] = hash
        shape.mixedHashes[k] = mixed
        shape.keyIndices[k] = key
    }

    /// Skips one value, checking it as the full parser would; clears `verbatim` for anything
    /// the writer would write differently (blanks, objects, non-shortest numbers, escapes; with
    /// `keepingEscapes`, only escapes other than the writer's own: `canonicalEscapedString`).
    mutating func skipValue(depth: Int, verbatim: inout Bool, keepingEscapes: Bool = false) -> Bool {
        guard depth < JSONParser.maximumDepth, let b = current else { return false }
        switch b {
        case UInt8(ascii: "\""):
            let start = index
            if plainString() != nil { return true }
            index = start
            if keepingEscapes, canonicalEscapedString() { return true }
            index = start
            verbatim = false
            return escapedString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return skipNumber(verbatim: &verbatim)
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "["):
            index += 1
            if let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { verbatim = false }
            skipBlanks()
            if current == UInt8(ascii: "]") {
                index += 1
                return true
            }
            repeat {
                if let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { verbatim = false }
                skipBlanks()
                guard skipValue(depth: depth + 1, verbatim: &verbatim, keepingEscapes: keepingEscapes) else { return false }
                if let c = current, c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 { verbatim = false }
                guard let more = next(closing: UInt8(ascii: "]")) else { return false }
                if !more { return true }
            } while true
        case UInt8(ascii: "{"):
            // Nested objects may repeat names, which the parser folds: never copied as they are.
            verbatim = false
            var scanner = JSONScanner(bytes)
            scanner.index = index
            scanner.depth = depth - 1
            guard (try? scanner.parseValue()) != nil else { return false }
            index = scanner.index
            return true
        default:
            return false
        }
    }

    /// From an opening quote: whether the string is written exactly as `JSONWriter.appendString`
    /// writes its value, escapes included (then consumed): valid UTF-8, no control byte, and
    /// each escape one the writer makes: `\"`, `\\`, `\n`, `\r`, `\t`, `\b`, `\f`, or `\u00`
    /// and two lowercase hex digits for another byte below 0x20. False for anything else
    /// (`\/`, `\u00e9`, `\u000a`, `\u001F`, a string over the parser's cap), the cursor then
    /// anywhere in the string.
    mutating func canonicalEscapedString() -> Bool {
        guard current == UInt8(ascii: "\"") else { return false }
        index += 1
        let start = index
        var high: UInt8 = 0
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") { break }
            if b < 0x20 { return false }
            high |= b
            guard b == UInt8(ascii: "\\") else {
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return false }
            switch bytes[index + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"), UInt8(ascii: "b"),
                 UInt8(ascii: "f"):
                index += 2
            case UInt8(ascii: "u"):
                guard index + 5 < bytes.count, bytes[index + 2] == UInt8(ascii: "0"), bytes[index + 3] == UInt8(ascii: "0") else { return false }
                let (h, l) = (bytes[index + 4], bytes[index + 5])
                guard h == UInt8(ascii: "0") || h == UInt8(ascii: "1") else { return false }
                let low: UInt8
                switch l {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): low = l - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): low = l - UInt8(ascii: "a") + 10
                default: return false
                }
                let byte = (h - UInt8(ascii: "0")) << 4 | low
                // The five with a short form are written so.
                guard byte != 0x08, byte != 0x09, byte != 0x0A, byte != 0x0C, byte != 0x0D else { return false }
                index += 6
            default:
                return false
            }
        }
        guard index < bytes.count, index - start <= JSONParser.Limits.default.stringBytes else { return false }
        let range = start..<index
        index += 1
        // Escapes are ASCII: the text is well-formed when its value is.
        return high < 0x80 || UTF8Text.isWellFormed(UnsafeRawBufferPointer(rebasing: bytes[range]))
    }

    /// A string with escapes, checked by the full parser.
    mutating func escapedString() -> Bool {
        var scanner = JSONScanner(bytes)
        scanner.index = index
        guard (try? scanner.parseString()) != nil else { return false }
        index = scanner.index
        return true
    }

    /// Skips a number in JSON's grammar. Verbatim only for the forms the writer produces itself:
    /// integers of up to 18 digits (not `-0`), and decimals of up to 15 significant digits
    /// without exponent or trailing zero, at least 0.001 in magnitude.
    mutating func skipNumber(verbatim: inout Bool) -> Bool {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        let intDigits = index - intStart
        guard intDigits > 0, !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")) else { return false }
        var fractionDigits = 0
        var leadingFractionZeros = 0
        var lastFractionDigit: UInt8 = 0
        if current == UInt8(ascii: ".") {
            index += 1
            let fracStart = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            fractionDigits = index - fracStart
            guard fractionDigits > 0 else { return false }
            lastFractionDigit = bytes[index - 1]
            while leadingFractionZeros < fractionDigits, bytes[fracStart + leadingFractionZeros] == UInt8(ascii: "0") { leadingFractionZeros += 1 }
        }
        var hasExponent = false
        if let e = current, e | 0x20 == UInt8(ascii: "e") {
            hasExponent = true
            index += 1
            if let s = current, s == UInt8(ascii: "+") || s == UInt8(ascii: "-") { index += 1 }
            let expStart = index
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
            guard index > expStart else { return false }
        }
        guard verbatim else { return true }
        let integerIsZero = intDigits == 1 && bytes[intStart] == UInt8(ascii: "0")
        if hasExponent {
            verbatim = false
        } else if fractionDigits == 0 {
            if intDigits > 18 || (integerIsZero && intStart > start) { verbatim = false }
        } else {
            let significant = integerIsZero ? fractionDigits - leadingFractionZeros : intDigits + fractionDigits
            if lastFractionDigit == UInt8(ascii: "0") || significant > 15 || (integerIsZero && leadingFractionZeros > 2) {
                verbatim = false
            }
        }
        return true
    }
}
