internal import CGEOS
import GeoCore

/// A GEOS STR-tree (`GEOSSTRtree_create_r`) over items numbered 0…n−1, for bulk envelope queries
/// and nearest-neighbour search. Built once from all items; GEOS freezes the tree at the first
/// query. Belongs to its context's thread.
public final class GeosSTRtree {
    public let context: GeosContext
    let tree: OpaquePointer
    /// The indexed geometries, kept alive as long as the tree points at them.
    let items: [GeosGeometry]

    /// Indexes geometries; item `i` is `geometries[i]`. `nodeCapacity` is GEOS's fan-out.
    public init(context: GeosContext, geometries: [GeosGeometry], nodeCapacity: Int = 10) throws {
        guard nodeCapacity >= 2 else { throw GeosError.invalidInput("STR-tree node capacity must be at least 2") }
        guard let t = GEOSSTRtree_create_r(context.handle, nodeCapacity) else { throw context.failure("GEOSSTRtree_create_r") }
        self.context = context
        self.tree = t
        self.items = geometries
        for (i, g) in geometries.enumerated() {
            try g.sameContext(geometries.first!)
            GEOSSTRtree_insert_r(context.handle, t, g.handle, Self.item(i))
        }
    }

    /// Indexes points given as coordinate arrays; item `i` is (`x[i]`, `y[i]`).
    public convenience init(context: GeosContext, x: [Double], y: [Double], nodeCapacity: Int = 10) throws {
        guard x.count == y.count else { throw GeosError.invalidInput("x has \(x.count) values but y has \(y.count)") }
        let points = try (0..<x.count).map { try context.point(x: x[$0], y: y[$0]) }
        try self.init(context: context, geometries: points, nodeCapacity: nodeCapacity)
    }

    deinit {
        GEOSSTRtree_destroy_r(context.handle, tree)
    }

    public var count: Int { items.count }

    /// Item numbers are stored as pointer values offset by one (0 would be NULL).
    static func item(_ index: Int) -> UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: index + 1) }
    static func index(_ item: UnsafeRawPointer?) -> Int { Int(bitPattern: item) - 1 }

    final class Hits {
        var indices: [Int] = []
    }

    /// Items whose envelope intersects `geometry`'s envelope (`GEOSSTRtree_query_r`), ascending.
    /// Candidates only: test the exact predicate on them.
    public func query(_ geometry: GeosGeometry) throws -> [Int] {
        guard geometry.context === context else { throw GeosError.invalidInput("query geometry is from another GEOS context") }
        let hits = Hits()
        withExtendedLifetime(hits) {
            GEOSSTRtree_query_r(context.handle, tree, geometry.handle, { item, userData in
                Unmanaged<GeosSTRtree.Hits>.fromOpaque(userData!).takeUnretainedValue().indices.append(GeosSTRtree.index(item))
            }, Unmanaged.passUnretained(hits).toOpaque())
        }
        return hits.indices.sorted()
    }

    /// Items whose envelope intersects `box`, ascending.
    public func query(envelope box: BoundingBox) throws -> [Int] {
        if box.isEmpty { return [] }
        return try query(context.rectangle(box))
    }

    final class NearestSearch {
        let context: OpaquePointer
        let items: [OpaquePointer]
        let query: OpaquePointer
        init(context: OpaquePointer, items: [OpaquePointer], query: OpaquePointer) {
            self.context = context
            self.items = items
            self.query = query
        }
    }

    /// The item nearest `geometry` by planar distance (`GEOSSTRtree_nearest_generic_r` with
    /// `GEOSDistance_r`), nil for an empty tree. Ties go to whichever GEOS meets first.
    public func nearest(to geometry: GeosGeometry) throws -> Int? {
        guard geometry.context === context else { throw GeosError.invalidInput("query geometry is from another GEOS context") }
        guard !items.isEmpty, !geometry.isEmpty else { return nil }
        let search = NearestSearch(context: context.handle, items: items.map(\.handle), query: geometry.handle)
        // The query item is marked by a pointer no tree item uses.
        let queryItem = UnsafeRawPointer(bitPattern: UInt.max)
        let found = withExtendedLifetime(search) {
            GEOSSTRtree_nearest_generic_r(context.handle, tree, queryItem, geometry.handle, { item1, item2, distance, userData in
                let s = Unmanaged<GeosSTRtree.NearestSearch>.fromOpaque(userData!).takeUnretainedValue()
                func geometry(_ item: UnsafeRawPointer?) -> OpaquePointer {
                    Int(bitPattern: item) == -1 ? s.query : s.items[GeosSTRtree.index(item)]
                }
                // GEOS 3.11 treats a non-zero return as success (its header says the opposite).
                return GEOSDistance_r(s.context, geometry(item1), geometry(item2), distance)
            }, Unmanaged.passUnretained(search).toOpaque())
        }
        guard let found else { throw context.failure("GEOSSTRtree_nearest_generic_r") }
        return Self.index(found)
    }
}
