import Foundation
import OrderedCollections

/// A feature on its way to a writer: decoded, or a Point whose properties text is copied as it
/// was read (`PointFeatureText`), which writes the same bytes far faster.
public enum OutgoingFeature {
    case feature(Feature)
    case pointText(PointFeatureText)
    /// A Point feature whose texts were made for writing (an event encoded straight to text).
    case ownedText(OwnedPointFeatureText)

    /// The decoded feature (parses the text of a `pointText`), for writers that need values.
    public var feature: Feature {
        switch self {
        case .feature(let feature): feature
        case .pointText(let text): text.madeFeature ?? text.feature
        case .ownedText(let text): text.makeFeature?() ?? text.withPointText { $0.feature }
        }
    }
}

/// A Point feature as texts it owns: `PointFeatureText` for a feature made rather than read.
public struct OwnedPointFeatureText: Sendable {
    /// The `id` value's JSON text, nil when absent.
    public var idText: [UInt8]?
    /// Degrees.
    public var longitude: Double
    public var latitude: Double
    /// The `properties` object's text, `{…}`, exactly as `JSONWriter` writes its value.
    public var propertiesText: [UInt8]
    /// Properties set after, none of whose names is in `propertiesText`.
    public var added: AddedProperties
    /// Makes the feature the texts were written from, for writers that need values (GDAL's
    /// formats type their fields by them: `1.0` and the `1` it is written as are not the same
    /// to them); nil: the texts are parsed.
    public var makeFeature: (@Sendable () -> Feature)?

    public init(idText: [UInt8]?, longitude: Double, latitude: Double, propertiesText: [UInt8], added: AddedProperties,
                makeFeature: (@Sendable () -> Feature)? = nil) {
        self.idText = idText
        self.longitude = longitude
        self.latitude = latitude
        self.propertiesText = propertiesText
        self.added = added
        self.makeFeature = makeFeature
    }

    /// The texts as a `PointFeatureText`, valid during `body`.
    public func withPointText<R>(_ body: (PointFeatureText) throws -> R) rethrows -> R {
        try propertiesText.withUnsafeBytes { properties in
            func point(_ id: UnsafeRawBufferPointer?) throws -> R {
                try body(PointFeatureText(idText: id, longitude: longitude, latitude: latitude, propertiesText: properties, added: added))
            }
            guard let idText else { return try point(nil) }
            return try idText.withUnsafeBytes { try point($0) }
        }
    }
}

/// Makes the features whose texts it wrote (`PointFeatureText.maker`), by number, for writers
/// that need values. Called from several threads at once.
public protocol PointFeatureMaker: AnyObject, Sendable {
    /// Feature `record` with the properties `added` set, as its text with them reads.
    func feature(_ record: Int, adding added: AddedProperties) -> Feature
}

/// A Point feature as text to copy: its `id` and `properties` texts exactly as the writer would
/// write their values (see `ScannedFeature.propertiesVerbatim`), plus properties set after
/// reading, written at the end. Valid only while the input it points into is.
public struct PointFeatureText {
    /// The `id` value's text, nil when absent.
    public var idText: UnsafeRawBufferPointer?
    /// Degrees.
    public var longitude: Double
    public var latitude: Double
    /// The `properties` object's text `{…}`; nil for null.
    public var propertiesText: UnsafeRawBufferPointer?
    /// Properties set after reading, none of whose names is in `propertiesText`.
    public var added: AddedProperties
    /// A member written inside the properties text, just before byte `offset` of it (the end
    /// of another member's value), as `OrderedDictionary.updateValue(_:forKey:insertingAt:)` places it.
    public var inserted: (offset: Int, name: String, value: JSONValue)?
    /// What makes the feature the texts were written from, for writers that need values
    /// (`OwnedPointFeatureText.makeFeature`), and the number it knows the feature by; nil: the
    /// texts are parsed.
    public var maker: (any PointFeatureMaker)?
    public var makerRecord = 0

    /// The text of `scanned` (read from `buffer`) with `added` properties, or nil when copying
    /// would not give what decoding and encoding gives: properties not verbatim, or one of the
    /// added names already present (an assignment would keep that member's place).
    ///
    /// `inserting` puts a member (absent from the text) right after the member whose value ends
    /// at that offset of the buffer.
    public init?(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, adding added: [(String, JSONValue)],
                 inserting: (afterValueEndingAt: Int, name: String, value: JSONValue)? = nil) {
        self.init(scanned, in: buffer, adding: .values(added), inserting: inserting)
    }

    /// `init(_:in:adding:inserting:)` with added properties of either kind.
    public init?(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, adding added: AddedProperties,
                 inserting: (afterValueEndingAt: Int, name: String, value: JSONValue)? = nil) {
        guard scanned.propertiesVerbatim else { return nil }
        let properties = scanned.propertiesRange.map { UnsafeRawBufferPointer(rebasing: buffer[$0]) }
        if let properties, added.meetsAny(of: properties, bloom: scanned.nameBloom) { return nil }
        if let inserting {
            guard let range = scanned.propertiesRange, range.contains(inserting.afterValueEndingAt),
                  !added.has(inserting.name),
                  !(scanned.nameBloom.mayContain(inserting.name) && Self.contains(properties!, name: inserting.name)) else { return nil }
            inserted = (inserting.afterValueEndingAt - range.lowerBound, inserting.name, inserting.value)
        }
        self.idText = scanned.idRange.map { UnsafeRawBufferPointer(rebasing: buffer[$0]) }
        self.longitude = scanned.longitude
        self.latitude = scanned.latitude
        self.propertiesText = properties
        self.added = added
    }

    /// The texts of a feature made rather than read, valid while `maker` is (when it holds them).
    public init(idText: UnsafeRawBufferPointer?, longitude: Double, latitude: Double, propertiesText: UnsafeRawBufferPointer?,
                added: AddedProperties, maker: (any PointFeatureMaker)? = nil, makerRecord: Int = 0) {
        self.idText = idText
        self.longitude = longitude
        self.latitude = latitude
        self.propertiesText = propertiesText
        self.added = added
        self.maker = maker
        self.makerRecord = makerRecord
    }

    /// The feature `maker` makes, with the added properties; nil without a maker.
    public var madeFeature: Feature? { maker?.feature(makerRecord, adding: added) }

    /// Whether the verbatim properties of `scanned` have a member `name` (false when not verbatim).
    public static func has(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, name: String) -> Bool {
        guard scanned.propertiesVerbatim, let range = scanned.propertiesRange, scanned.nameBloom.mayContain(name) else { return false }
        return contains(UnsafeRawBufferPointer(rebasing: buffer[range]), name: name)
    }

    /// `has(_:in:name:)` with the name's pattern worked out before.
    public static func has(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, name: MemberNamePattern) -> Bool {
        guard scanned.propertiesVerbatim, let range = scanned.propertiesRange else { return false }
        return name.mayBeIn(UnsafeRawBufferPointer(rebasing: buffer[range]), bloom: scanned.nameBloom)
    }

    /// Whether `"name":` occurs in a verbatim properties text; with no blanks or nested objects
    /// there, and names without escapes, every such occurrence is a member name of the object
    /// itself (`MemberPatterns`).
    static func contains(_ text: UnsafeRawBufferPointer, name: String) -> Bool {
        MemberPatterns.pattern(name).withUnsafeBytes { contains(text, pattern: $0) }
    }

    /// Whether `pattern` (a name's `"name":`) occurs in the text.
    static func contains(_ text: UnsafeRawBufferPointer, pattern: UnsafeRawBufferPointer) -> Bool {
        firstOccurrence(of: pattern, in: text) != nil
    }

    /// Where `pattern` first occurs in the text (an offset into it), nil when it does not.
    static func firstOccurrence(of pattern: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer) -> Int? {
        guard text.count >= pattern.count, let base = text.baseAddress else { return nil }
        guard let needle = pattern.baseAddress else { return 0 }
        // Each occurrence of the first byte (`memchr`), then the rest (`memcmp`).
        let first = Int32(pattern[0]), lastStart = text.count - pattern.count
        var start = 0
        while start <= lastStart, let hit = memchr(base + start, first, lastStart - start + 1) {
            start = base.distance(to: UnsafeRawPointer(hit))
            if memcmp(hit + 1, needle + 1, pattern.count - 1) == 0 { return start }
            start += 1
        }
        return nil
    }

    /// The JSON value whose text starts at `start` in `buffer`, as the parser reads it; nil
    /// when it does not parse.
    public static func value(at start: Int, in buffer: UnsafeRawBufferPointer) -> JSONValue? {
        var scanner = JSONScanner(buffer)
        scanner.index = start
        return try? scanner.parseValue()
    }

    /// Where the value of member `name` of the verbatim properties of `scanned` starts (an
    /// offset into `buffer`); nil when it has no such member or is not verbatim.
    public static func valueStart(_ scanned: ScannedFeature, in buffer: UnsafeRawBufferPointer, name: MemberNamePattern) -> Int? {
        guard scanned.propertiesVerbatim, let range = scanned.propertiesRange, scanned.nameBloom.mayContain(mixed: name.mixedHash) else {
            return nil
        }
        return name.pattern.withUnsafeBytes { pattern in
            firstOccurrence(of: pattern, in: UnsafeRawBufferPointer(rebasing: buffer[range])).map { range.lowerBound + $0 + pattern.count }
        }
    }

    /// Calls `body` with each member's name (without quotes) and value text of a compact
    /// properties object `{…}` whose names have no escapes, in order; false when the text is not
    /// such an object (`body` may have been called for the members before). A value's strings
    /// may hold escapes: a string ends at the first quote after an even run of backslashes.
    public static func forEachMember(in text: UnsafeRawBufferPointer,
                                     _ body: (_ name: UnsafeRawBufferPointer, _ value: UnsafeRawBufferPointer) -> Void) -> Bool {
        guard let base = text.baseAddress, text.count >= 2, text[0] == UInt8(ascii: "{"), text[text.count - 1] == UInt8(ascii: "}") else { return false }
        let end = text.count - 1
        /// The offset of the quote that closes the string opening at `open`, nil when none does.
        func closing(_ open: Int) -> Int? {
            var from = open + 1
            while from <= end, let hit = memchr(base + from, Int32(UInt8(ascii: "\"")), end - from) {
                let quote = base.distance(to: UnsafeRawPointer(hit))
                var backslashes = 0
                while text[quote - 1 - backslashes] == UInt8(ascii: "\\") { backslashes += 1 }
                if backslashes % 2 == 0 { return quote }
                from = quote + 1
            }
            return nil
        }
        var i = 1
        if i == end { return true }
        while i < end {
            guard text[i] == UInt8(ascii: "\""), let nameEnd = closing(i), nameEnd + 1 < end, text[nameEnd + 1] == UInt8(ascii: ":"),
                  memchr(base + i + 1, Int32(UInt8(ascii: "\\")), nameEnd - i - 1) == nil else { return false }
            let valueStart = nameEnd + 2
            var j = valueStart
            var depth = 0
            while j < end {
                let b = text[j]
                if b == UInt8(ascii: "\"") {
                    guard let close = closing(j) else { return false }
                    j = close + 1
                    continue
                }
                if b == UInt8(ascii: "[") || b == UInt8(ascii: "{") {
                    depth += 1
                } else if b == UInt8(ascii: "]") || b == UInt8(ascii: "}") {
                    depth -= 1
                    guard depth >= 0 else { return false }
                } else if b == UInt8(ascii: ","), depth == 0 {
                    break
                }
                j += 1
            }
            guard depth == 0, j > valueStart else { return false }
            body(UnsafeRawBufferPointer(rebasing: text[(i + 1)..<nameEnd]), UnsafeRawBufferPointer(rebasing: text[valueStart..<j]))
            i = j == end ? end : j + 1
        }
        return true
    }



    /// The decoded feature.
    public var feature: Feature {
        var id: FeatureID?
        if let idText {
            switch try? JSONParser.parse(buffer: idText) {
            case .string(let s)?: id = .string(s)
            case .integer(let i)?: id = .integer(i)
            default: break
            }
        }
        var properties: OrderedDictionary<String, JSONValue>? = propertiesText.flatMap { (try? JSONParser.parse(buffer: $0))?.objectValue }
        if let inserted, var p = properties, let text = propertiesText {
            // The member whose value ends at the offset: the one before the next separator.
            let before = try? JSONParser.parse(Array(text[..<inserted.offset]) + [UInt8(ascii: "}")])
            let count = before.flatMap { $0.objectValue?.count } ?? p.count
            p.updateValue(inserted.value, forKey: inserted.name, insertingAt: min(count, p.count))
            properties = p
        }
        if !added.isEmpty {
            var p = properties ?? [:]
            for (name, value) in added.values { p[name] = value }
            properties = p
        }
        return Feature(id: id, geometry: .point(Position(x: longitude, y: latitude)), properties: properties)
    }
}

extension GeoJSONEncoder {
    /// Writes `text` as `append(text.feature, to:)` would, copying the id and properties texts.
    public func append(_ text: PointFeatureText, to w: inout JSONWriter) {
        w.appendRaw("{\"type\":\"Feature\"")
        if let id = text.idText {
            w.appendRaw(",\"id\":")
            w.append(contentsOf: id)
        }
        w.appendRaw(",\"geometry\":{\"type\":\"Point\",\"coordinates\":")
        appendPosition(Position(x: text.longitude, y: text.latitude), to: &w)
        w.appendRaw("},\"properties\":")
        if var properties = text.propertiesText {
            if let inserted = text.inserted {
                w.append(contentsOf: UnsafeRawBufferPointer(rebasing: properties[..<inserted.offset]))
                w.appendByte(UInt8(ascii: ","))
                w.appendString(inserted.name)
                w.appendByte(UInt8(ascii: ":"))
                w.append(inserted.value)
                properties = UnsafeRawBufferPointer(rebasing: properties[inserted.offset...])
            }
            if text.added.isEmpty {
                w.append(contentsOf: properties)
            } else {
                w.append(contentsOf: UnsafeRawBufferPointer(rebasing: properties.dropLast()))
                appendAdded(text.added, first: text.inserted == nil && properties.count <= 2, to: &w)
            }
        } else if text.added.isEmpty {
            w.appendRaw("null")
        } else {
            w.appendByte(UInt8(ascii: "{"))
            appendAdded(text.added, first: true, to: &w)
        }
        w.appendByte(UInt8(ascii: "}"))
    }

    private func appendAdded(_ added: AddedProperties, first: Bool, to w: inout JSONWriter) {
        if !first { w.appendByte(UInt8(ascii: ",")) }
        added.appendMembers(to: &w)
        w.appendByte(UInt8(ascii: "}"))
    }
}

extension GeoJSONStreamWriter {
    /// Writes a feature given as text or as values.
    public func write(_ outgoing: OutgoingFeature) throws {
        switch outgoing {
        case .feature(let feature): try write(feature)
        case .pointText(let text):
            precondition(!finished, "GeoJSONStreamWriter.write after finish")
            if featureCount > 0 { writer.appendRaw(",\n") }
            encoder.append(text, to: &writer)
            box.extend(Position(x: text.longitude, y: text.latitude))
            featureCount += 1
            if writer.count >= 1 << 16 { try drain() }
        case .ownedText(let owned):
            try owned.withPointText { try write(.pointText($0)) }
        }
    }
}

extension GeoJSONSeqWriter {
    /// Writes a feature given as text or as values.
    public func write(_ outgoing: OutgoingFeature) throws {
        switch outgoing {
        case .feature(let feature): try write(feature)
        case .pointText(let text):
            if recordSeparator { writer.appendByte(0x1E) }
            encoder.append(text, to: &writer)
            writer.appendByte(UInt8(ascii: "\n"))
            if writer.count >= 1 << 16 { try drain() }
        case .ownedText(let owned):
            try owned.withPointText { try write(.pointText($0)) }
        }
    }
}

/// Features encoded away from their writer (on any thread), to be written after those written
/// so far by `GeoJSONStreamWriter.writeEncoded(_:)` or `GeoJSONSeqWriter.writeEncoded(_:)`: the
/// same bytes as writing them one at a time.
public struct EncodedFeatures: Sendable {
    /// GeoJSONSeq records (separator, feature, line end) when true; else features joined by `,\n`.
    public let sequence: Bool
    public let encoder: GeoJSONEncoder
    public internal(set) var text: JSONWriter
    /// Of the features' geometries (a FeatureCollection's bbox).
    public internal(set) var box = BoundingBox.empty
    public internal(set) var count = 0

    /// Features to be written into a buffer of `reservingCapacity` bytes to start with.
    public init(sequence: Bool, encoder: GeoJSONEncoder, reservingCapacity: Int = 1 << 16) {
        self.sequence = sequence
        self.encoder = encoder
        text = JSONWriter(reservingCapacity: reservingCapacity)
    }

    public mutating func append(_ outgoing: OutgoingFeature) {
        beginRecord()
        switch outgoing {
        case .feature(let feature):
            encoder.append(feature, to: &text)
            if let g = feature.geometry { box.extend(g.boundingBox) }
        case .pointText(let point):
            encoder.append(point, to: &text)
            box.extend(Position(x: point.longitude, y: point.latitude))
        case .ownedText(let owned):
            owned.withPointText { encoder.append($0, to: &text) }
            box.extend(Position(x: owned.longitude, y: owned.latitude))
        }
        endRecord()
    }

    /// A feature written by `write` as `encoder` writes it (the caller's text, from `{` to
    /// `}`), whose geometry's positions are `positions` (for the collection's box).
    public mutating func appendText(positions: [Position], _ write: (GeoJSONEncoder, inout JSONWriter) -> Void) {
        beginRecord()
        write(encoder, &text)
        for p in positions { box.extend(p) }
        endRecord()
    }

    /// What goes before a feature: the record separator, or `,` and a line end after the first.
    private mutating func beginRecord() {
        if sequence {
            text.appendByte(0x1E)
        } else if count > 0 {
            text.appendRaw(",\n")
        }
    }

    /// What goes after a feature (a record's line end), and the count.
    private mutating func endRecord() {
        if sequence { text.appendByte(UInt8(ascii: "\n")) }
        count += 1
    }
}

extension GeoJSONStreamWriter {
    /// Writes features encoded elsewhere (`sequence` false), after those written so far.
    public func writeEncoded(_ features: EncodedFeatures) throws {
        precondition(!features.sequence, "GeoJSONStreamWriter.writeEncoded of GeoJSONSeq records")
        try writeEncoded(features: features.text, count: features.count, boundingBox: features.box)
    }
}

extension GeoJSONSeqWriter {
    /// Writes records encoded elsewhere (`sequence` true), after those written so far.
    public func writeEncoded(_ features: EncodedFeatures) throws {
        precondition(features.sequence, "GeoJSONSeqWriter.writeEncoded of collection members")
        try writeEncoded(records: features.text)
    }
}

/// The texts `"name":` of a few property names, one after another, to find their members in
/// a verbatim properties text (`ScannedFeature.propertiesVerbatim`: compact, no nested
/// objects, names without escapes, escapes in values only as the writer writes them). There
/// every occurrence of `"name":` is a member of the object itself: a quote inside a string is
/// escaped, so the text's quote right after a name's last byte (not a backslash) closes a
/// string, and a string followed by a colon is a name. A scanned feature names each member
/// once, so the first occurrence is the member. One per thread: its bytes are read for every
/// feature.
public struct MemberPatterns: Sendable {
    private var bytes: [UInt8] = []
    /// Where each name's text ends in `bytes` (it starts where the one before ends).
    private var ends: [Int] = []

    public init(_ names: [String]) {
        for name in names {
            bytes += Self.pattern(name)
            ends.append(bytes.count)
        }
    }

    /// `"name":`. A name that needs an escape (a quote, a backslash or a control byte) is no
    /// verbatim text's: its pattern is `"` NUL `":`, which none holds (its strings escape
    /// control bytes), where its own text could occur inside an escaped string value.
    static func pattern(_ name: String) -> [UInt8] {
        let plain = !name.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        return [UInt8(ascii: "\"")] + (plain ? Array(name.utf8) : [0]) + [UInt8(ascii: "\""), UInt8(ascii: ":")]
    }

    /// The names' values in the verbatim properties text `buffer[range]`, parsed as the
    /// parser reads them (nil: absent), starting from `empty` (nils, copied on first write);
    /// nil when a value does not parse.
    public func values(in buffer: UnsafeRawBufferPointer, range: Range<Int>, empty: [JSONValue?]) -> [JSONValue?]? {
        var values = empty
        var failed = false
        bytes.withUnsafeBytes { patterns in
            let text = UnsafeRawBufferPointer(rebasing: buffer[range])
            var start = 0
            for (k, end) in ends.enumerated() {
                defer { start = end }
                let pattern = UnsafeRawBufferPointer(rebasing: patterns[start..<end])
                guard let at = Self.firstOccurrence(of: pattern, in: text) else { continue }
                var scanner = JSONScanner(buffer)
                scanner.index = range.lowerBound + at + pattern.count
                guard let value = try? scanner.parseValue() else {
                    failed = true
                    return
                }
                values[k] = value
            }
        }
        return failed ? nil : values
    }

    /// Where `pattern` (2 bytes or more) first occurs in `text`: sixteen places at a time where
    /// its first two bytes are (SSE2 compares), each then compared whole.
    static func firstOccurrence(of pattern: UnsafeRawBufferPointer, in text: UnsafeRawBufferPointer) -> Int? {
        let m = pattern.count, n = text.count
        guard m >= 2, n >= m, let base = text.baseAddress, let needle = pattern.baseAddress else { return nil }
        let first = SIMD16<UInt8>(repeating: pattern[0]), second = SIMD16<UInt8>(repeating: pattern[1])
        var i = 0
        // Candidates i…i+15 read bytes up to i+16.
        while i + 17 <= n {
            let a = (base + i).loadUnaligned(as: SIMD16<UInt8>.self), b = (base + i + 1).loadUnaligned(as: SIMD16<UInt8>.self)
            let hits = unsafeBitCast((a .== first) .& (b .== second), to: SIMD2<UInt64>.self)
            // A byte of 0xFF in each word for each candidate, lowest first.
            var bits = hits[0], half = 0
            while true {
                while bits != 0 {
                    let byte = bits.trailingZeroBitCount / 8
                    let at = i + 8 * half + byte
                    if at + m <= n, memcmp(base + at, needle, m) == 0 { return at }
                    bits &= ~(UInt64(0xFF) << UInt64(8 * byte))
                }
                if half == 1 { break }
                (bits, half) = (hits[1], 1)
            }
            i += 16
        }
        while i + m <= n {
            if memcmp(base + i, needle, m) == 0 { return i }
            i += 1
        }
        return nil
    }
}
