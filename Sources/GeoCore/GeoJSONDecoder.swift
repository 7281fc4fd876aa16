import OrderedCollections

/// Turns parsed JSON into GeoJSON values, checking RFC 7946 on the way.
///
/// One set of rules serves both uses: reading (`stopAtFirstError`, which throws the first error
/// as a `GeoJSONError`) and validating (collect every problem, keep going). Warnings never stop
/// reading; they are collected in `problems`.
public struct GeoJSONDecoder: Sendable {
    /// Whether to throw at the first error (reading) or record it and continue (validating).
    public var stopAtFirstError: Bool
    /// Whether positions must lie in −180…180 longitude and −90…90 latitude (WGS84, RFC 7946 §4).
    public var checkCoordinateRange: Bool
    /// Whether to report polygon rings that break the right-hand rule (warning).
    public var checkWinding: Bool
    /// Everything found so far, in document order.
    public private(set) var problems: [GeoJSONProblem] = []
    /// Set while decoding a feature of a collection, to label errors.
    var featureIndex: Int?

    public init(stopAtFirstError: Bool = true, checkCoordinateRange: Bool = true, checkWinding: Bool = false) {
        self.stopAtFirstError = stopAtFirstError
        self.checkCoordinateRange = checkCoordinateRange
        self.checkWinding = checkWinding
    }

    public var hasErrors: Bool { problems.contains { $0.severity == .error } }

    /// Records an error; throws it when reading.
    mutating func fail(_ code: GeoJSONProblem.Code, _ path: JSONPath, _ message: String) throws(GeoJSONError) {
        let problem = GeoJSONProblem(.error, code, at: path, message)
        problems.append(problem)
        if stopAtFirstError { throw GeoJSONError(problem: problem, featureIndex: featureIndex) }
    }

    mutating func warn(_ code: GeoJSONProblem.Code, _ path: JSONPath, _ message: String) {
        problems.append(GeoJSONProblem(.warning, code, at: path, message))
    }

    mutating func record(_ problem: GeoJSONProblem) throws(GeoJSONError) {
        problems.append(problem)
        if problem.severity == .error && stopAtFirstError {
            throw GeoJSONError(problem: problem, featureIndex: featureIndex)
        }
    }

    static let geometryTypes: Set<String> = [
        "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection",
    ]

    // MARK: top level

    /// Decodes any GeoJSON object. Returns nil only when collecting and the object is unusable.
    public mutating func object(_ value: JSONValue, at path: JSONPath = .root) throws(GeoJSONError) -> GeoJSONObject? {
        guard let type = try typeMember(value, at: path) else { return nil }
        switch type {
        case "FeatureCollection":
            return try featureCollection(value, at: path).map(GeoJSONObject.featureCollection)
        case "Feature":
            return try feature(value, at: path).map(GeoJSONObject.feature)
        default:
            if GeoJSONDecoder.geometryTypes.contains(type) {
                return try geometry(value, at: path).map(GeoJSONObject.geometry)
            }
            try fail(.unknownType, path / "type", "unknown GeoJSON type \"\(type)\"\(Self.typeHint(type))")
            return nil
        }
    }

    static func typeHint(_ type: String) -> String {
        let known = ["Feature", "FeatureCollection"] + geometryTypes.sorted()
        if let match = known.first(where: { $0.lowercased() == type.lowercased() }) {
            return " (types are case-sensitive: did you mean \"\(match)\"?)"
        }
        return "; expected one of " + known.joined(separator: ", ")
    }

    /// The `type` member's string, or nil after recording why there is none.
    mutating func typeMember(_ value: JSONValue, at path: JSONPath) throws(GeoJSONError) -> String? {
        guard case .object(let members) = value else {
            try fail(.wrongType, path, "expected a GeoJSON object, found \(value.typeName) \(value.preview)")
            return nil
        }
        guard let type = members["type"] else {
            try fail(.missingMember, path, "object has no \"type\" member")
            return nil
        }
        guard case .string(let name) = type else {
            try fail(.wrongType, path / "type", "\"type\" must be a string, found \(type.typeName) \(type.preview)")
            return nil
        }
        return name
    }

    /// Decodes a FeatureCollection whose `features` array is already parsed.
    public mutating func featureCollection(_ value: JSONValue, at path: JSONPath = .root) throws(GeoJSONError) -> FeatureCollection? {
        guard let members = value.objectValue else { return nil }
        var collection = FeatureCollection()
        collection.bbox = try bbox(members["bbox"], at: path / "bbox")
        collection.foreignMembers = try foreignMembers(members, known: ["type", "features", "bbox"], at: path)
        guard let featuresValue = members["features"] else {
            try fail(.missingMember, path, "FeatureCollection has no \"features\" member")
            return collection
        }
        guard case .array(let elements) = featuresValue else {
            try fail(.wrongType, path / "features", "\"features\" must be an array, found \(featuresValue.typeName)")
            return collection
        }
        collection.features.reserveCapacity(elements.count)
        for (i, element) in elements.enumerated() {
            if let f = try collectionMember(element, index: i, at: path / "features" / i) {
                collection.features.append(f)
            }
        }
        return collection
    }

    /// Decodes one element of a `features` array, labelling errors with its index.
    public mutating func collectionMember(_ value: JSONValue, index: Int, at path: JSONPath) throws(GeoJSONError) -> Feature? {
        featureIndex = index
        defer { featureIndex = nil }
        guard let type = try typeMember(value, at: path) else { return nil }
        guard type == "Feature" else {
            try fail(.unknownType, path / "type", "members of \"features\" must be Features, found \"\(type)\"\(type.lowercased() == "feature" ? Self.typeHint(type) : "")")
            return nil
        }
        return try feature(value, at: path)
    }

    /// Foreign members, with a warning for the obsolete `crs` member (RFC 7946 §4).
    mutating func foreignMembers(
        _ members: OrderedDictionary<String, JSONValue>, known: Set<String>, at path: JSONPath
    ) throws(GeoJSONError) -> ForeignMembers {
        var foreign = ForeignMembers()
        for (key, value) in members where !known.contains(key) {
            if key == "crs" {
                warn(.crsMember, path / "crs", "the \"crs\" member was removed in RFC 7946; coordinates are taken as WGS84 longitude, latitude")
            }
            foreign[key] = value
        }
        return foreign
    }

    // MARK: features

    public mutating func feature(_ value: JSONValue, at path: JSONPath = .root) throws(GeoJSONError) -> Feature? {
        guard let members = value.objectValue else {
            try fail(.wrongType, path, "expected a Feature object, found \(value.typeName)")
            return nil
        }
        var feature = Feature(geometry: nil, properties: nil)
        if let id = members["id"] {
            switch id {
            case .string(let s): feature.id = .string(s)
            case .integer(let i): feature.id = .integer(i)
            case .double(let d): feature.id = .double(d)
            default: try fail(.badID, path / "id", "\"id\" must be a string or a number, found \(id.typeName) \(id.preview)")
            }
        }
        if let geometryValue = members["geometry"] {
            if geometryValue != .null {
                feature.geometry = try geometry(geometryValue, at: path / "geometry")
            }
        } else {
            try fail(.missingMember, path, "Feature has no \"geometry\" member (use \"geometry\": null for an unlocated feature)")
        }
        switch members["properties"] {
        case nil:
            warn(.missingProperties, path, "Feature has no \"properties\" member (RFC 7946 §3.2 requires one; null is allowed)")
        case .null?:
            feature.properties = nil
        case .object(let props)?:
            feature.properties = props
        case let other?:
            try fail(.propertiesNotObject, path / "properties", "\"properties\" must be an object or null, found \(other.typeName) \(other.preview)")
        }
        feature.bbox = try bbox(members["bbox"], at: path / "bbox")
        feature.foreignMembers = try foreignMembers(members, known: ["type", "id", "geometry", "properties", "bbox"], at: path)
        return feature
    }

    // MARK: bbox

    /// `[w, s, e, n]` or `[w, s, zmin, e, n, zmax]`; west may exceed east across the antimeridian.
    mutating func bbox(_ value: JSONValue?, at path: JSONPath) throws(GeoJSONError) -> [Double]? {
        guard let value else { return nil }
        guard case .array(let elements) = value else {
            try fail(.badBBox, path, "\"bbox\" must be an array of numbers, found \(value.typeName)")
            return nil
        }
        var numbers: [Double] = []
        for (i, e) in elements.enumerated() {
            guard let n = e.numberValue else {
                try fail(.badBBox, path / i, "bbox values must be numbers, found \(e.typeName) \(e.preview)")
                return nil
            }
            numbers.append(n)
        }
        guard numbers.count == 4 || numbers.count == 6 else {
            try fail(.badBBox, path, "bbox must have 4 values [west, south, east, north] or 6 with heights, found \(numbers.count)")
            return nil
        }
        let half = numbers.count / 2
        let south = numbers[1], north = numbers[half + 1]
        if south > north {
            try fail(.badBBox, path, "bbox south (\(south)) is greater than north (\(north))")
        }
        if half == 3, numbers[2] > numbers[5] {
            try fail(.badBBox, path, "bbox lowest height (\(numbers[2])) is greater than highest (\(numbers[5]))")
        }
        if checkCoordinateRange {
            for (i, v) in [numbers[0], numbers[half]].enumerated() where !(-180...180).contains(v) {
                try fail(.badBBox, path / (i * half), "bbox longitude \(v) is outside −180…180")
            }
            for (i, v) in [south, north].enumerated() where !(-90...90).contains(v) {
                try fail(.badBBox, path / (1 + i * half), "bbox latitude \(v) is outside −90…90")
            }
        }
        return numbers
    }

    // MARK: geometry

    public mutating func geometry(_ value: JSONValue, at path: JSONPath = .root) throws(GeoJSONError) -> Geometry? {
        guard let type = try typeMember(value, at: path) else { return nil }
        guard let members = value.objectValue else { return nil }
        // A geometry's bbox is checked like any other (RFC 7946 §5), though the model keeps none.
        _ = try bbox(members["bbox"], at: path / "bbox")
        if type == "GeometryCollection" {
            guard let list = members["geometries"] else {
                try fail(.missingMember, path, "GeometryCollection has no \"geometries\" member")
                return nil
            }
            guard case .array(let elements) = list else {
                try fail(.wrongType, path / "geometries", "\"geometries\" must be an array, found \(list.typeName)")
                return nil
            }
            var parts: [Geometry] = []
            for (i, element) in elements.enumerated() {
                if let g = try geometry(element, at: path / "geometries" / i) { parts.append(g) }
            }
            return .geometryCollection(parts)
        }
        guard GeoJSONDecoder.geometryTypes.contains(type) else {
            try fail(.unknownType, path / "type", "unknown geometry type \"\(type)\"\(Self.typeHint(type))")
            return nil
        }
        guard let coordinates = members["coordinates"] else {
            try fail(.missingMember, path, "\(type) has no \"coordinates\" member")
            return nil
        }
        if members["crs"] != nil {
            warn(.crsMember, path / "crs", "the \"crs\" member was removed in RFC 7946; coordinates are taken as WGS84 longitude, latitude")
        }
        let c = path / "coordinates"
        guard case .array = coordinates else {
            try fail(.wrongType, c, "\"coordinates\" must be an array, found \(coordinates.typeName) \(coordinates.preview)")
            return nil
        }
        switch type {
        case "Point":
            return try position(coordinates, at: c).map(Geometry.point)
        case "MultiPoint":
            return try positions(coordinates, at: c).map(Geometry.multiPoint)
        case "LineString":
            return try line(coordinates, at: c).map(Geometry.lineString)
        case "MultiLineString":
            guard let lines = try array(coordinates, at: c, of: "lines") else { return nil }
            var result: [[Position]] = []
            for (i, l) in lines.enumerated() { if let ps = try line(l, at: c / i) { result.append(ps) } }
            return .multiLineString(result)
        case "Polygon":
            return try polygon(coordinates, at: c).map(Geometry.polygon)
        default:  // MultiPolygon
            guard let polygons = try array(coordinates, at: c, of: "polygons") else { return nil }
            var result: [[[Position]]] = []
            for (i, p) in polygons.enumerated() { if let rings = try polygon(p, at: c / i) { result.append(rings) } }
            return .multiPolygon(result)
        }
    }

    mutating func array(_ value: JSONValue, at path: JSONPath, of what: String) throws(GeoJSONError) -> [JSONValue]? {
        guard case .array(let elements) = value else {
            try fail(.wrongType, path, "expected an array of \(what), found \(value.typeName) \(value.preview)")
            return nil
        }
        return elements
    }

    mutating func position(_ value: JSONValue, at path: JSONPath) throws(GeoJSONError) -> Position? {
        guard case .array(let elements) = value else {
            try fail(.badPosition, path, "a position must be an array [longitude, latitude], found \(value.typeName) \(value.preview)")
            return nil
        }
        guard elements.count >= 2 else {
            try fail(.badPosition, path, "a position needs at least 2 numbers [longitude, latitude], found \(elements.count)")
            return nil
        }
        var numbers = (0.0, 0.0, Double.nan)
        for (i, e) in elements.prefix(3).enumerated() {
            guard let n = e.numberValue else {
                try fail(.badPosition, path / i, "position values must be numbers, found \(e.typeName) \(e.preview)")
                return nil
            }
            switch i {
            case 0: numbers.0 = n
            case 1: numbers.1 = n
            default: numbers.2 = n
            }
        }
        if elements.count > 3 {
            warn(.extraPositionValues, path, "position has \(elements.count) values; only longitude, latitude and height are read (RFC 7946 §3.1.1)")
        }
        var p = Position(x: numbers.0, y: numbers.1, z: numbers.2)
        if checkCoordinateRange, abs(p.x) > 180, abs(p.x) <= 540, (-90...90).contains(p.y) {
            // Web maps panned across the antimeridian write 180.758 for −179.242: the same
            // place, normalised with a warning (a latitude out of range stays an error).
            let wrapped = (p.x + 180).truncatingRemainder(dividingBy: 360)
            let normalised = (wrapped < 0 ? wrapped + 360 : wrapped) - 180
            warn(.longitudeWrapped, path / 0, "longitude \(p.x) is outside −180…180; read as \((normalised * 1e9).rounded() / 1e9) (the same meridian)")
            p.x = normalised
        }
        if checkCoordinateRange {
            if !(-180...180).contains(p.x) {
                let swapped = (-90...90).contains(p.x) && (-180...180).contains(p.y) && !(-90...90).contains(p.y) ? " (latitude and longitude swapped? GeoJSON order is [longitude, latitude])" : ""
                try fail(.coordinateOutOfRange, path / 0, "longitude \(p.x) is outside −180…180\(swapped)")
            }
            if !(-90...90).contains(p.y) {
                let swapped = (-90...90).contains(p.x) && (-180...180).contains(p.y) ? " (latitude and longitude swapped? GeoJSON order is [longitude, latitude])" : ""
                try fail(.coordinateOutOfRange, path / 1, "latitude \(p.y) is outside −90…90\(swapped)")
            }
        }
        return p
    }

    mutating func positions(_ value: JSONValue, at path: JSONPath) throws(GeoJSONError) -> [Position]? {
        guard let elements = try array(value, at: path, of: "positions") else { return nil }
        var result: [Position] = []
        result.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() {
            if let p = try position(e, at: path / i) { result.append(p) }
        }
        return result
    }

    mutating func line(_ value: JSONValue, at path: JSONPath) throws(GeoJSONError) -> [Position]? {
        guard let ps = try positions(value, at: path) else { return nil }
        if ps.count < 2 {
            try fail(.lineTooShort, path, "a LineString needs at least 2 positions, found \(ps.count)")
        }
        return ps
    }

    mutating func polygon(_ value: JSONValue, at path: JSONPath) throws(GeoJSONError) -> [[Position]]? {
        guard let ringValues = try array(value, at: path, of: "linear rings") else { return nil }
        var rings: [[Position]] = []
        for (i, r) in ringValues.enumerated() {
            guard let ring = try positions(r, at: path / i) else { continue }
            if ring.count < 4 {
                try fail(.ringTooShort, path / i, "a linear ring needs at least 4 positions (3 corners and the first repeated), found \(ring.count)")
            } else if ring.first != ring.last {
                try fail(.unclosedRing, path / i, "linear ring is not closed: first position \(ring.first!) differs from last \(ring.last!)")
            } else if checkWinding {
                let ccw = Ring.isCounterclockwise(ring)
                if i == 0 && !ccw && Ring.signedDoubleArea(ring) != 0 {
                    warn(.winding, path / i, "exterior ring is clockwise; RFC 7946 §3.1.6 asks for counterclockwise (right-hand rule)")
                } else if i > 0 && ccw {
                    warn(.winding, path / i, "hole is counterclockwise; RFC 7946 §3.1.6 asks for clockwise (right-hand rule)")
                }
            }
            rings.append(ring)
        }
        return rings
    }
}
