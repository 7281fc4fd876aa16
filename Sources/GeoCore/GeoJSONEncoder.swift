import OrderedCollections

/// Writes GeoJSON (RFC 7946): positions as `[longitude, latitude(, height)]` with a fixed
/// number of decimals, polygon rings wound by the right-hand rule, and never a `crs` member.
public struct GeoJSONEncoder: Sendable {
    /// Decimals written for coordinates. 6 decimals of a degree is about 0.11 m at the equator
    /// (RFC 7946 §11.2); 7 keeps centimetres.
    public var coordinateDecimals: Int
    /// Rewind polygon rings (exterior counterclockwise, holes clockwise) as RFC 7946 §3.1.6 asks.
    public var rightHandRule: Bool
    /// Write a `bbox` member on collections.
    public var writeCollectionBBox: Bool

    public init(coordinateDecimals: Int = 6, rightHandRule: Bool = true, writeCollectionBBox: Bool = true) {
        self.coordinateDecimals = coordinateDecimals
        self.rightHandRule = rightHandRule
        self.writeCollectionBBox = writeCollectionBBox
    }

    // MARK: whole documents

    public func encode(_ object: GeoJSONObject) -> [UInt8] {
        var w = JSONWriter()
        switch object {
        case .geometry(let g): append(g, to: &w)
        case .feature(let f): append(f, to: &w)
        case .featureCollection(let fc): append(fc, to: &w)
        }
        return w.bytes
    }

    public func encode(_ collection: FeatureCollection) -> [UInt8] { encode(.featureCollection(collection)) }
    public func encode(_ feature: Feature) -> [UInt8] { encode(.feature(feature)) }
    public func encode(_ geometry: Geometry) -> [UInt8] { encode(.geometry(geometry)) }

    public func append(_ collection: FeatureCollection, to w: inout JSONWriter) {
        w.appendRaw("{\"type\":\"FeatureCollection\"")
        appendForeign(collection.foreignMembers, to: &w)
        if let bbox = collection.bbox ?? (writeCollectionBBox ? Self.bbox(of: collection.features) : nil) {
            appendBBox(bbox, to: &w)
        }
        w.appendRaw(",\"features\":[")
        for (i, f) in collection.features.enumerated() {
            if i > 0 { w.appendByte(UInt8(ascii: ",")) }
            append(f, to: &w)
        }
        w.appendRaw("]}")
    }

    /// The 2-D bounding box of the features' geometries as `[w, s, e, n]`, nil when none has
    /// positions. Planar: it does not split at the antimeridian.
    public static func bbox(of features: [Feature]) -> [Double]? {
        var box = BoundingBox.empty
        for f in features { if let g = f.geometry { box.extend(g.boundingBox) } }
        return box.isEmpty ? nil : [box.minX, box.minY, box.maxX, box.maxY]
    }

    public func append(_ feature: borrowing Feature, to w: inout JSONWriter) {
        // Members read in place (`x != nil`, then `x!`), not bound to copies: a copy of the
        // properties retains three buffers and releases them after.
        switch feature.id {
        case .integer(let id)?:
            w.appendRaw("{\"type\":\"Feature\",\"id\":")
            w.appendInteger(id)
        case .string?, .double?:
            w.appendRaw("{\"type\":\"Feature\",\"id\":")
            w.append(feature.id!.jsonValue)
        case nil:
            w.appendRaw("{\"type\":\"Feature\"")
        }
        if feature.bbox != nil { appendBBox(feature.bbox!, to: &w) }
        if case .point(let p)? = feature.geometry {
            w.appendRaw(",\"geometry\":{\"type\":\"Point\",\"coordinates\":")
            appendPosition(p, to: &w)
            w.appendByte(UInt8(ascii: "}"))
        } else if feature.geometry != nil {
            w.appendRaw(",\"geometry\":")
            append(feature.geometry!, to: &w)
        } else {
            w.appendRaw(",\"geometry\":null")
        }
        if feature.properties != nil {
            w.appendRaw(",\"properties\":")
            w.appendObject(feature.properties!)
        } else {
            w.appendRaw(",\"properties\":null")
        }
        if !feature.foreignMembers.isEmpty { appendForeign(feature.foreignMembers, to: &w) }
        w.appendByte(UInt8(ascii: "}"))
    }

    func appendForeign(_ members: ForeignMembers, to w: inout JSONWriter) {
        for (key, value) in members where key != "crs" {
            w.appendByte(UInt8(ascii: ","))
            w.appendString(key)
            w.appendByte(UInt8(ascii: ":"))
            w.append(value)
        }
    }

    func appendBBox(_ bbox: [Double], to w: inout JSONWriter) {
        w.appendRaw(",\"bbox\":[")
        for (i, v) in bbox.enumerated() {
            if i > 0 { w.appendByte(UInt8(ascii: ",")) }
            w.appendFixed(v, decimals: coordinateDecimals)
        }
        w.appendByte(UInt8(ascii: "]"))
    }

    // MARK: geometry

    public func append(_ geometry: Geometry, to w: inout JSONWriter) {
        if case .geometryCollection(let parts) = geometry {
            w.appendRaw("{\"type\":\"GeometryCollection\",\"geometries\":[")
            for (i, g) in parts.enumerated() {
                if i > 0 { w.appendByte(UInt8(ascii: ",")) }
                append(g, to: &w)
            }
            w.appendRaw("]}")
            return
        }
        w.appendRaw(Self.head(of: geometry))
        switch geometry {
        case .point(let p): appendPosition(p, to: &w)
        case .multiPoint(let ps), .lineString(let ps): appendPositions(ps, to: &w)
        case .multiLineString(let lines): appendList(lines, to: &w) { appendPositions($0, to: &$1) }
        case .polygon(let rings): appendRings(rings, to: &w)
        case .multiPolygon(let polygons): appendList(polygons, to: &w) { appendRings($0, to: &$1) }
        case .geometryCollection: break
        }
        w.appendByte(UInt8(ascii: "}"))
    }

    /// `{"type":"…","coordinates":` for each type but a collection, in one append.
    static func head(of geometry: borrowing Geometry) -> StaticString {
        switch geometry {
        case .point: "{\"type\":\"Point\",\"coordinates\":"
        case .multiPoint: "{\"type\":\"MultiPoint\",\"coordinates\":"
        case .lineString: "{\"type\":\"LineString\",\"coordinates\":"
        case .multiLineString: "{\"type\":\"MultiLineString\",\"coordinates\":"
        case .polygon: "{\"type\":\"Polygon\",\"coordinates\":"
        case .multiPolygon: "{\"type\":\"MultiPolygon\",\"coordinates\":"
        case .geometryCollection: "{\"type\":\"GeometryCollection\",\"geometries\":"
        }
    }

    @inline(__always)
    func appendPosition(_ p: Position, to w: inout JSONWriter) {
        if !p.hasZ, w.appendFixedPair(p.x, p.y, decimals: coordinateDecimals) { return }
        w.appendByte(UInt8(ascii: "["))
        w.appendFixed(p.x, decimals: coordinateDecimals)
        w.appendByte(UInt8(ascii: ","))
        w.appendFixed(p.y, decimals: coordinateDecimals)
        if p.hasZ {
            w.appendByte(UInt8(ascii: ","))
            // Heights are metres: millimetres are plenty whatever the degree precision.
            w.appendFixed(p.z, decimals: max(3, coordinateDecimals))
        }
        w.appendByte(UInt8(ascii: "]"))
    }

    /// `{"type":"Feature","geometry":{"type":"LineString","coordinates":[[…],[…]]},"properties":`:
    /// the text `append(_: Feature)` writes for a feature without id or bbox whose geometry is
    /// the line from `a` to `b` (2-D), up to its properties.
    public func appendTwoPointLineFeatureHead(_ a: Position, _ b: Position, to w: inout JSONWriter) {
        w.appendRaw("{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[")
        appendPosition(a, to: &w)
        w.appendByte(UInt8(ascii: ","))
        appendPosition(b, to: &w)
        w.appendRaw("]},\"properties\":")
    }

    func appendPositions(_ ps: [Position], to w: inout JSONWriter) {
        appendList(ps, to: &w) { appendPosition($0, to: &$1) }
    }

    func appendRings(_ rings: [[Position]], to w: inout JSONWriter) {
        appendList(rightHandRule ? Ring.rightHandRule(rings) : rings, to: &w) { appendPositions($0, to: &$1) }
    }

    @inline(__always)
    func appendList<T>(_ items: [T], to w: inout JSONWriter, _ body: (T, inout JSONWriter) -> Void) {
        w.appendByte(UInt8(ascii: "["))
        for (i, item) in items.enumerated() {
            if i > 0 { w.appendByte(UInt8(ascii: ",")) }
            body(item, &w)
        }
        w.appendByte(UInt8(ascii: "]"))
    }
}

/// Writes a FeatureCollection one feature at a time, so large outputs never sit in memory.
///
/// The collection's `bbox` is computed on the way and written after `features` (JSON member
/// order carries no meaning), so the output is still one valid GeoJSON text.
public final class GeoJSONStreamWriter {
    public let encoder: GeoJSONEncoder
    let sink: ByteSink
    // One thread writes a collection: no run-time exclusivity bookkeeping at each feature.
    @exclusivity(unchecked) var writer = JSONWriter(reservingCapacity: JSONWriter.drainBytes + (1 << 12))
    @exclusivity(unchecked) var box = BoundingBox.empty
    @exclusivity(unchecked) public internal(set) var featureCount = 0
    @exclusivity(unchecked) var finished = false

    /// Starts the collection, writing `foreignMembers` first (a `crs` member is dropped).
    public init(sink: ByteSink, encoder: GeoJSONEncoder = GeoJSONEncoder(), foreignMembers: ForeignMembers = [:]) throws {
        self.sink = sink
        self.encoder = encoder
        writer.appendRaw("{\"type\":\"FeatureCollection\"")
        encoder.appendForeign(foreignMembers, to: &writer)
        writer.appendRaw(",\"features\":[\n")
    }

    public func write(_ feature: borrowing Feature) throws {
        precondition(!finished, "GeoJSONStreamWriter.write after finish")
        writer.withBufferKnownUnique { writer in
            if featureCount > 0 { writer.appendRaw(",\n") }
            encoder.append(feature, to: &writer)
        }
        if let g = feature.geometry { box.extend(g.boundingBox) }
        featureCount += 1
        if writer.count >= JSONWriter.drainBytes { try drain() }
    }

    /// Writes one feature that `body` appends as JSON text (nothing before or after it);
    /// `point` widens the collection's bbox (nil: a feature without geometry).
    public func writeEncoded(point: Position?, _ body: (inout JSONWriter) -> Void) throws {
        precondition(!finished, "GeoJSONStreamWriter.writeEncoded after finish")
        if featureCount > 0 { writer.appendRaw(",\n") }
        body(&writer)
        if let point { box.extend(point) }
        featureCount += 1
        if writer.count >= JSONWriter.drainBytes { try drain() }
    }

    /// Writes `count` features encoded elsewhere: their JSON texts joined by `,\n`, and the
    /// bounding box of their geometries.
    public func writeEncoded(features text: JSONWriter, count: Int, boundingBox: BoundingBox) throws {
        precondition(!finished, "GeoJSONStreamWriter.writeEncoded after finish")
        guard count > 0 else { return }
        if featureCount > 0 { writer.appendRaw(",\n") }
        box.extend(boundingBox)
        featureCount += count
        // Large batches go straight to the sink, not through the buffer.
        try text.withUnsafeBytes { try writer.appendEncoded($0, drainingTo: sink) }
    }

    /// Closes the array and the object and flushes the sink.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        writer.appendRaw("\n]")
        if encoder.writeCollectionBBox && !box.isEmpty {
            encoder.appendBBox([box.minX, box.minY, box.maxX, box.maxY], to: &writer)
        }
        writer.appendRaw("}\n")
        try drain()
        try sink.flush()
    }

    func drain() throws {
        try writer.drain(to: sink)
    }
}
