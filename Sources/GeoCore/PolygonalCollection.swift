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
        try objectMembers { scanner, key in
            switch key {
            case "type": type = try scanner.parseValue()
            case "coordinates":
                scanner.skipWhitespace()
                coordinatesStart = scanner.index
                try scanner.skipArray()
            default: throw NotPlain()
            }
        }
        guard let coordinatesStart else { throw NotPlain() }
        let end = index
        index = coordinatesStart
        defer { index = end }
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
