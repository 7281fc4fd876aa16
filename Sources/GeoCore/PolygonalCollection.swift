import OrderedCollections

/// A FeatureCollection of Polygon and MultiPolygon features (a country file) read straight from
/// its text: positions go from the bytes into their arrays, with no `JSONValue` tree for the
/// coordinates (which is most of such a file, and most of the time the full decoder takes).
public enum PolygonalCollection {
    /// A feature's properties (nil for null) and its Polygon or MultiPolygon.
    public typealias Member = (properties: OrderedDictionary<String, JSONValue>?, geometry: Geometry)

    /// The features, in order, as `GeoJSONReader.forEachFeature` decodes them; nil when the
    /// text is anything but the plain case, which that reader then reads (and reports): a
    /// syntax error, a member other than a feature's `type`, `properties` and `geometry` or a
    /// geometry's `type` and `coordinates`, another geometry type, a position without exactly
    /// two numbers or out of range, a ring of fewer than 4 positions or not closed.
    public static func read(_ buffer: UnsafeRawBufferPointer) -> [Member]? {
        var scanner = JSONScanner(buffer)
        return try? scanner.polygonalCollection()
    }
}

/// Thrown inside `PolygonalCollection.read`: not the plain case.
private struct NotPlain: Error {}

extension JSONScanner {
    fileprivate mutating func polygonalCollection() throws -> [PolygonalCollection.Member] {
        var members: [PolygonalCollection.Member] = []
        var isCollection = false
        try objectMembers { scanner, key in
            switch key {
            case "type": isCollection = try scanner.parseValue() == .string("FeatureCollection")
            case "features":
                try scanner.expect(UInt8(ascii: "["), "'['")
                if scanner.peek() == UInt8(ascii: "]") {
                    scanner.index += 1
                    return
                }
                repeat { members.append(try scanner.polygonalFeature()) } while try scanner.continueContainer(closing: UInt8(ascii: "]"), "features")
            default: _ = try scanner.parseValue()
            }
        }
        try expectEnd()
        guard isCollection else { throw NotPlain() }
        return members
    }

    private mutating func polygonalFeature() throws -> PolygonalCollection.Member {
        var isFeature = false
        var properties: OrderedDictionary<String, JSONValue>?
        var geometry: Geometry?
        try objectMembers { scanner, key in
            switch key {
            case "type": isFeature = try scanner.parseValue() == .string("Feature")
            case "properties":
                switch try scanner.parseValue() {
                case .object(let members): properties = members
                case .null: properties = nil
                default: throw NotPlain()
                }
            case "geometry": geometry = try scanner.polygonalGeometry()
            default: throw NotPlain()
            }
        }
        guard isFeature, let geometry else { throw NotPlain() }
        return (properties, geometry)
    }

    /// A Polygon or MultiPolygon; its coordinates read once its type is known.
    private mutating func polygonalGeometry() throws -> Geometry {
        var type: JSONValue?
        var coordinatesStart: Int?
        var read: Geometry?
        try objectMembers { scanner, key in
            switch key {
            case "type": type = try scanner.parseValue()
            case "coordinates":
                scanner.skipWhitespace()
                coordinatesStart = scanner.index
                // Read at once when the type came first (as writers put it), else skipped.
                if let type { read = try scanner.polygonalCoordinates(of: type) } else { try scanner.skipArray() }
            default: throw NotPlain()
            }
        }
        guard let coordinatesStart, let type else { throw NotPlain() }
        if let read { return read }
        let end = index
        index = coordinatesStart
        defer { index = end }
        return try polygonalCoordinates(of: type)
    }

    /// The coordinates of a Polygon or MultiPolygon, from their opening bracket.
    private mutating func polygonalCoordinates(of type: JSONValue) throws -> Geometry {
        switch type {
        case .string("Polygon"): return .polygon(try rings())
        case .string("MultiPolygon"):
            var polygons: [[[Position]]] = []
            try elements { scanner in polygons.append(try scanner.rings()) }
            return .multiPolygon(polygons)
        default: throw NotPlain()
        }
    }

    private mutating func rings() throws -> [[Position]] {
        var rings: [[Position]] = []
        try elements { scanner in
            var ring: [Position] = []
            try scanner.elements { scanner in ring.append(try scanner.position()) }
            guard ring.count >= 4, ring[0].x == ring[ring.count - 1].x, ring[0].y == ring[ring.count - 1].y else { throw NotPlain() }
            rings.append(ring)
        }
        return rings
    }

    /// `[longitude, latitude]`, as `GeoJSONDecoder.position` reads it when in range.
    private mutating func position() throws -> Position {
        if let plain = plainPosition() { return plain }
        try expect(UInt8(ascii: "["), "'['")
        let x = try number()
        try expect(UInt8(ascii: ","), "','")
        let y = try number()
        try expect(UInt8(ascii: "]"), "']'")
        guard abs(x) <= 180, abs(y) <= 90 else { throw NotPlain() }
        return Position(x: x, y: y)
    }

    private mutating func number() throws -> Double {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] &- UInt8(ascii: "0") < 10,
              let n = try parseNumber().numberValue else { throw NotPlain() }
        return n
    }

    /// `[x,y]` written plainly (no blanks; each number an optional `-`, digits without a
    /// leading zero, and optionally `.` and digits; 19 digits at most), in range, read from
    /// its digits to the same value `parseNumber` gives; nil (the index unmoved) otherwise.
    @inline(__always)
    private mutating func plainPosition() -> Position? {
        let start = index
        guard index < bytes.count, bytes[index] == UInt8(ascii: "["), let x = plainNumber(after: 1), bytes[index] == UInt8(ascii: ","),
              let y = plainNumber(after: 1), bytes[index] == UInt8(ascii: "]"), abs(x) <= 180, abs(y) <= 90 else {
            index = start
            return nil
        }
        index += 1
        return Position(x: x, y: y)
    }

    /// The plain number `skip` bytes on (see `plainPosition`), leaving the index just past it
    /// (and before the end of the text); nil otherwise.
    @inline(__always)
    private mutating func plainNumber(after skip: Int) -> Double? {
        var i = index + skip
        let end = bytes.count
        guard i < end else { return nil }
        let negative = bytes[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: UInt64 = 0
        let intStart = i
        while i < end, bytes[i] &- UInt8(ascii: "0") < 10 {
            mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- UInt8(ascii: "0"))
            i += 1
        }
        let intDigits = i - intStart
        guard intDigits > 0, !(intDigits > 1 && bytes[intStart] == UInt8(ascii: "0")), i < end else { return nil }
        var fractionDigits = 0
        if bytes[i] == UInt8(ascii: ".") {
            i += 1
            let fractionStart = i
            while i < end, bytes[i] &- UInt8(ascii: "0") < 10 {
                mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- UInt8(ascii: "0"))
                i += 1
            }
            fractionDigits = i - fractionStart
            guard fractionDigits > 0, i < end else { return nil }
        }
        // No exponent, at most 19 digits, the mantissa exact in a double (`parseNumber`'s paths).
        guard bytes[i] | 0x20 != UInt8(ascii: "e"), intDigits + fractionDigits <= 19, mantissa < (1 << 53), fractionDigits <= 22 else { return nil }
        index = i
        if fractionDigits == 0 {
            // An integer, as `JSONValue.integer` gives it (so `-0` is 0).
            let v = Int64(mantissa)
            return Double(negative ? -v : v)
        }
        let d = Double(mantissa) / JSONScanner.powersOfTen[fractionDigits]
        return negative ? -d : d
    }

    /// Calls `body` at each element of an array (at least one).
    private mutating func elements(_ body: (inout JSONScanner) throws -> Void) throws {
        try expect(UInt8(ascii: "["), "'['")
        repeat { try body(&self) } while try continueContainer(closing: UInt8(ascii: "]"), "array")
    }

    /// Calls `body` with each member's name, the scanner at its value (which `body` reads); a
    /// name repeated is not the plain case.
    private mutating func objectMembers(_ body: (inout JSONScanner, String) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "'{'")
        if peek() == UInt8(ascii: "}") {
            index += 1
            return
        }
        var seen: Set<String> = []
        repeat {
            let key = try parseKey()
            guard seen.insert(key).inserted else { throw NotPlain() }  // the decoder keeps the last
            try body(&self, key)
        } while try continueContainer(closing: UInt8(ascii: "}"), "object")
    }

    /// Moves past an array of arrays and numbers, checking only its brackets.
    private mutating func skipArray() throws {
        var depth = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "["): depth += 1
            case UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 {
                    index += 1
                    return
                }
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "\""): throw NotPlain()
            default: break
            }
            index += 1
        }
        throw NotPlain()
    }
}
