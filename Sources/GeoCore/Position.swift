/// A position: `x`, `y` and an optional `z`.
///
/// For WGS84 data (everything GeoJSON carries) `x` is the longitude and `y` the latitude,
/// both in degrees, and `z` the height in metres. In a projected CRS they are that CRS's
/// units (usually metres). A missing `z` is `.nan`, the GEOS convention, so the struct stays
/// three plain `Double`s and an array of positions is one contiguous `x y z x y z …` buffer
/// that PROJ and GEOS can read with a stride.
public struct Position: Hashable, Sendable {
    public var x: Double
    public var y: Double
    /// Height, or `.nan` when the position is two-dimensional.
    public var z: Double

    @inlinable
    public init(x: Double, y: Double, z: Double = .nan) {
        self.x = x
        self.y = y
        self.z = z
    }

    /// A WGS84 position from degrees (note the GeoJSON order: longitude first).
    @inlinable
    public init(longitude: Double, latitude: Double, height: Double = .nan) {
        self.init(x: longitude, y: latitude, z: height)
    }

    /// Longitude in degrees (alias of `x`).
    @inlinable public var longitude: Double { x }
    /// Latitude in degrees (alias of `y`).
    @inlinable public var latitude: Double { y }
    /// Whether the position carries a height.
    @inlinable public var hasZ: Bool { !z.isNaN }

    // NaN != NaN, so equality treats two missing heights as equal.
    @inlinable
    public static func == (lhs: Position, rhs: Position) -> Bool {
        lhs.x == rhs.x && lhs.y == rhs.y && (lhs.z == rhs.z || (lhs.z.isNaN && rhs.z.isNaN))
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(x)
        hasher.combine(y)
        hasher.combine(z.isNaN ? 0 : z)
    }
}

extension Position: CustomStringConvertible {
    public var description: String { hasZ ? "(\(x) \(y) \(z))" : "(\(x) \(y))" }
}

/// An axis-aligned rectangle: `minX…maxX` × `minY…maxY` (for WGS84: west, south, east, north).
public struct BoundingBox: Hashable, Sendable {
    public var minX: Double
    public var minY: Double
    public var maxX: Double
    public var maxY: Double

    public init(minX: Double, minY: Double, maxX: Double, maxY: Double) {
        self.minX = minX
        self.minY = minY
        self.maxX = maxX
        self.maxY = maxY
    }

    /// The empty box: extends to whatever is added first.
    public static let empty = BoundingBox(minX: .infinity, minY: .infinity, maxX: -.infinity, maxY: -.infinity)

    public var isEmpty: Bool { minX > maxX || minY > maxY }
    public var width: Double { isEmpty ? 0 : maxX - minX }
    public var height: Double { isEmpty ? 0 : maxY - minY }
    public var center: Position { Position(x: (minX + maxX) / 2, y: (minY + maxY) / 2) }

    @inlinable
    public mutating func extend(_ p: Position) {
        if p.x < minX { minX = p.x }
        if p.x > maxX { maxX = p.x }
        if p.y < minY { minY = p.y }
        if p.y > maxY { maxY = p.y }
    }

    public mutating func extend(_ other: BoundingBox) {
        guard !other.isEmpty else { return }
        minX = Swift.min(minX, other.minX)
        minY = Swift.min(minY, other.minY)
        maxX = Swift.max(maxX, other.maxX)
        maxY = Swift.max(maxY, other.maxY)
    }

    public func contains(_ p: Position) -> Bool {
        p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY
    }
}
