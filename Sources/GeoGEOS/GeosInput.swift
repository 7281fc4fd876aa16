internal import CGEOS
import GeoCore

extension GeosContext {
    /// Parses well-known text (`GEOSWKTReader_read_r`), 2D or `Z`.
    ///
    /// - Throws: `.library` with GEOS's parser message for malformed text (e.g.
    ///   `ParseException: Expected word but encountered end of stream`); `.invalidInput` for
    ///   text nested deeper than `maximumNestingDepth` (refused before GEOS parses it) or whose
    ///   coordinates are NaN or infinite.
    public func geometry(wkt: String) throws -> GeosGeometry {
        try Self.checkParenthesisDepth(wkt)
        let reader = try wktReader()
        let g = try geometry("GEOSWKTReader_read_r") { GEOSWKTReader_read_r($0, reader, wkt) }
        try checkFinite(g.handle, source: "WKT")
        return g
    }

    /// Parses well-known binary (`GEOSWKBReader_read_r`): either byte order, ISO or extended
    /// (EWKB, SRID ignored) flavour, 2D, Z, M or ZM (M is dropped).
    ///
    /// The bytes are first walked on the Swift side, so that GEOS never sees collections nested
    /// deeper than `maximumNestingDepth` or NaN / infinite coordinates (a point whose x and y
    /// are both NaN is WKB's empty point and is accepted).
    /// - Throws: `.invalidInput` for empty input, too deep nesting or non-finite coordinates;
    ///   `.library` with GEOS's message for anything else malformed (truncated data, unknown
    ///   type, unclosed ring…).
    public func geometry(wkb: [UInt8]) throws -> GeosGeometry {
        guard !wkb.isEmpty else { throw GeosError.invalidInput("WKB is empty") }
        let screened = try wkb.withUnsafeBytes { try WKBScreen.check($0) }
        let reader = try wkbReader()
        let g = try wkb.withUnsafeBufferPointer { buffer in
            try geometry("GEOSWKBReader_read_r") { GEOSWKBReader_read_r($0, reader, buffer.baseAddress, buffer.count) }
        }
        // Only reached when the screen could not follow bytes that GEOS still accepted.
        if !screened { try checkFinite(g.handle, source: "WKB") }
        return g
    }

    /// Refuses WKT whose parentheses nest deeper than collections may (GEOS's recursive parser
    /// would exhaust the stack): a MultiPolygon takes 3 levels, each collection around it 1 more.
    /// The exact collection depth is checked after parsing.
    static func checkParenthesisDepth(_ text: String) throws {
        let limit = maximumNestingDepth + 2
        var depth = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "(") {
                depth += 1
                if depth > limit {
                    throw GeosError.invalidInput("WKT nests parentheses more than \(limit) deep")
                }
            } else if byte == UInt8(ascii: ")") {
                depth -= 1
            }
        }
    }

    /// Refuses a parsed geometry with NaN or infinite x / y, or infinite z.
    func checkFinite(_ g: OpaquePointer, source: String) throws {
        try value(of: g).forEachPosition { p in
            guard p.x.isFinite, p.y.isFinite, p.z.isNaN || p.z.isFinite else {
                throw GeosError.invalidInput("\(source) has a non-finite coordinate \(p)")
            }
        }
    }
}

/// A read-only walk over WKB that follows GEOS 3.11's reader (`WKBReader::readGeometry`) far
/// enough to find nesting depth and coordinate values, without building anything.
struct WKBScreen {
    let bytes: UnsafeRawBufferPointer
    var offset = 0

    /// The walk cannot follow the bytes; GEOS will report what is wrong with them.
    struct Unreadable: Error {}

    /// Checks `bytes`; returns false when the walk had to stop early (GEOS reports malformed
    /// WKB itself), throws `.invalidInput` for what GEOS must not see.
    static func check(_ bytes: UnsafeRawBufferPointer) throws -> Bool {
        var screen = WKBScreen(bytes: bytes)
        do {
            try screen.geometry(depth: 0)
            return true
        } catch is Unreadable {
            return false
        }
    }

    /// Walks one geometry; `depth` is the number of collections around it.
    mutating func geometry(depth: Int) throws {
        // GEOS reads 0 as big-endian (XDR) and any other byte as little-endian (NDR).
        let bigEndian = try byte() == 0
        let typeCode = try uint32(bigEndian)
        let baseType = (typeCode & 0xFFFF) % 1000
        let isoRange = (typeCode & 0xFFFF) / 1000
        let hasZ = typeCode & 0x8000_0000 != 0 || isoRange == 1 || isoRange == 3
        let hasM = typeCode & 0x4000_0000 != 0 || isoRange == 2 || isoRange == 3
        if typeCode & 0x2000_0000 != 0 { _ = try uint32(bigEndian) }  // SRID
        let dimensions = 2 + (hasZ ? 1 : 0) + (hasM ? 1 : 0)
        switch baseType {
        case 1:
            try coordinates(count: 1, dimensions: dimensions, hasZ: hasZ, bigEndian: bigEndian, isPoint: true)
        case 2:
            let n = try uint32(bigEndian)
            try coordinates(count: Int(n), dimensions: dimensions, hasZ: hasZ, bigEndian: bigEndian, isPoint: false)
        case 3:
            let rings = try uint32(bigEndian)
            for _ in 0..<rings {
                let n = try uint32(bigEndian)
                try coordinates(count: Int(n), dimensions: dimensions, hasZ: hasZ, bigEndian: bigEndian, isPoint: false)
            }
        case 4, 5, 6, 7:
            guard depth < GeosContext.maximumNestingDepth else {
                throw GeosError.invalidInput("WKB nests collections more than \(GeosContext.maximumNestingDepth) deep")
            }
            let members = try uint32(bigEndian)
            for _ in 0..<members { try geometry(depth: depth + 1) }
        default:
            throw Unreadable()
        }
    }

    mutating func coordinates(count: Int, dimensions: Int, hasZ: Bool, bigEndian: Bool, isPoint: Bool) throws {
        let stride = 8 * dimensions
        guard count <= (bytes.count - offset) / stride else { throw Unreadable() }
        for i in 0..<count {
            let base = offset + i * stride
            let x = double(at: base, bigEndian), y = double(at: base + 8, bigEndian)
            let z = hasZ ? double(at: base + 16, bigEndian) : .nan
            if isPoint && x.isNaN && y.isNaN { continue }  // WKB's POINT EMPTY
            guard x.isFinite, y.isFinite, z.isNaN || z.isFinite else {
                throw GeosError.invalidInput("WKB has a non-finite coordinate (\(x) \(y)\(hasZ ? " \(z)" : ""))")
            }
        }
        offset += count * stride
    }

    mutating func byte() throws -> UInt8 {
        guard offset < bytes.count else { throw Unreadable() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32(_ bigEndian: Bool) throws -> UInt32 {
        guard bytes.count - offset >= 4 else { throw Unreadable() }
        let raw = bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)
        offset += 4
        return bigEndian ? UInt32(bigEndian: raw) : UInt32(littleEndian: raw)
    }

    func double(at position: Int, _ bigEndian: Bool) -> Double {
        let raw = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        return Double(bitPattern: bigEndian ? UInt64(bigEndian: raw) : UInt64(littleEndian: raw))
    }
}
