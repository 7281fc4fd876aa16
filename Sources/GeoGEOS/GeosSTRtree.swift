internal import CGEOS
import GeoCore

/// A GEOS STR-tree (`GEOSSTRtree_create_r`, freed with `GEOSSTRtree_destroy_r`): a bulk-loaded
/// spatial index over items numbered 0…n−1 (the position of each geometry or point in the
/// arrays it was built from), for envelope queries and nearest-neighbour search. Planar, in
/// coordinate units.
///
/// Built once from all items (GEOS freezes the tree at its first query). The indexed GEOS
/// geometries live as long as the tree. Empty geometries are not inserted: no query finds
/// them. Belongs to its context's thread (not `Sendable`).
public final class GeosSTRtree {
    /// The context that owns the tree and its items.
    public let context: GeosContext
    let tree: OpaquePointer
    /// The GEOS geometry of each item, by item number.
    let itemHandles: [OpaquePointer]
    /// Whether `itemHandles` were made by the tree (and are destroyed with it).
    let ownsItems: Bool
    /// Callers' geometries, kept alive while the tree points at them.
    let retained: [GeosGeometry]

    /// Indexes GEOS geometries; item `i` is `geometries[i]`, which the tree keeps alive.
    /// `nodeCapacity` is the tree's fan-out (≥ 2).
    /// - Throws: `.invalidInput` for a geometry of another context or a node capacity below 2.
    public convenience init(context: GeosContext, geometries: [GeosGeometry], nodeCapacity: Int = 10) throws {
        for g in geometries where g.context !== context {
            throw GeosError.invalidInput("an STR-tree item is from another GEOS context")
        }
        try self.init(context: context, itemHandles: geometries.map(\.handle), ownsItems: false,
                      retained: geometries, nodeCapacity: nodeCapacity)
    }

    /// Indexes geometry values, converted as `GeosContext.geometry(from:)` does; item `i` is
    /// `geometries[i]`.
    /// - Throws: `.invalidInput` for a value GEOS cannot take (the message names the item).
    public convenience init(context: GeosContext, geometries: [Geometry], nodeCapacity: Int = 10) throws {
        var handles: [OpaquePointer] = []
        handles.reserveCapacity(geometries.count)
        do {
            for (i, value) in geometries.enumerated() {
                do {
                    handles.append(try context.build(value, depth: 0))
                } catch GeosError.invalidInput(let message) {
                    throw GeosError.invalidInput("item \(i): \(message)")
                }
            }
        } catch {
            for g in handles { GEOSGeom_destroy_r(context.handle, g) }
            throw error
        }
        try self.init(context: context, itemHandles: handles, ownsItems: true, retained: [], nodeCapacity: nodeCapacity)
    }

    /// Indexes points given as coordinate arrays; item `i` is (`x[i]`, `y[i]`). One GEOS point
    /// is made per item, no Swift object.
    /// - Throws: `.invalidInput` when the arrays differ in length or a coordinate is NaN or
    ///   infinite.
    public convenience init(context: GeosContext, x: [Double], y: [Double], nodeCapacity: Int = 10) throws {
        guard x.count == y.count else { throw GeosError.invalidInput("x has \(x.count) values but y has \(y.count)") }
        for i in 0..<x.count where !x[i].isFinite || !y[i].isFinite {
            throw GeosError.invalidInput("point \(i) has a non-finite coordinate (\(x[i]) \(y[i]))")
        }
        var handles: [OpaquePointer] = []
        handles.reserveCapacity(x.count)
        do {
            for i in 0..<x.count {
                let px = x[i], py = y[i]
                handles.append(try context.call("GEOSGeom_createPointFromXY_r") { GEOSGeom_createPointFromXY_r($0, px, py) })
            }
        } catch {
            for g in handles { GEOSGeom_destroy_r(context.handle, g) }
            throw error
        }
        try self.init(context: context, itemHandles: handles, ownsItems: true, retained: [], nodeCapacity: nodeCapacity)
    }

    /// Takes `itemHandles` (destroying them on failure when `ownsItems`) and inserts every
    /// non-empty one.
    init(context: GeosContext, itemHandles: [OpaquePointer], ownsItems: Bool, retained: [GeosGeometry], nodeCapacity: Int) throws {
        func release() { if ownsItems { for g in itemHandles { GEOSGeom_destroy_r(context.handle, g) } } }
        guard nodeCapacity >= 2 else {
            release()
            throw GeosError.invalidInput("STR-tree node capacity must be at least 2, got \(nodeCapacity)")
        }
        let t: OpaquePointer
        do {
            t = try context.call("GEOSSTRtree_create_r") { GEOSSTRtree_create_r($0, nodeCapacity) }
        } catch {
            release()
            throw error
        }
        self.context = context
        self.tree = t
        self.itemHandles = itemHandles
        self.ownsItems = ownsItems
        self.retained = retained
        // An empty item would have a null envelope, on which GEOS 3.11's nearest search crashes.
        for (i, g) in itemHandles.enumerated() where GEOSisEmpty_r(context.handle, g) == 0 {
            GEOSSTRtree_insert_r(context.handle, t, g, Self.item(i))
        }
    }

    deinit {
        GEOSSTRtree_destroy_r(context.handle, tree)
        if ownsItems { for g in itemHandles { GEOSGeom_destroy_r(context.handle, g) } }
    }

    /// The number of items, empty ones included.
    public var count: Int { itemHandles.count }

    /// Item numbers travel through GEOS as pointer values offset by one (0 would be NULL).
    static func item(_ index: Int) -> UnsafeMutableRawPointer? { UnsafeMutableRawPointer(bitPattern: index + 1) }
    static func index(_ item: UnsafeRawPointer?) -> Int { Int(bitPattern: item) - 1 }

    /// Collects item numbers from the query callback.
    final class Hits {
        var indices: [Int] = []
    }

    /// The items whose envelope intersects `geometry`'s envelope, ascending
    /// (`GEOSSTRtree_query_r`). Candidates only: test the exact predicate on them.
    /// Empty for an empty geometry.
    /// - Throws: `.invalidInput` for a geometry of another context.
    public func query(_ geometry: GeosGeometry) throws -> [Int] {
        guard geometry.context === context else { throw GeosError.invalidInput("query geometry is from another GEOS context") }
        if geometry.isEmpty { return [] }
        return query(handle: geometry.handle)
    }

    /// The items whose envelope intersects `box` (bounds included), ascending. Empty for an
    /// empty box.
    /// - Throws: `.invalidInput` when a bound is NaN or infinite.
    public func query(envelope box: BoundingBox) throws -> [Int] {
        if box.isEmpty { return [] }
        let rectangle = try context.rectangleHandle(box)
        defer { GEOSGeom_destroy_r(context.handle, rectangle) }
        return query(handle: rectangle)
    }

    func query(handle: OpaquePointer) -> [Int] {
        let hits = Hits()
        withExtendedLifetime(hits) {
            GEOSSTRtree_query_r(context.handle, tree, handle, { item, userData in
                guard let userData else { return }
                Unmanaged<GeosSTRtree.Hits>.fromOpaque(userData).takeUnretainedValue().indices.append(GeosSTRtree.index(item))
            }, Unmanaged.passUnretained(hits).toOpaque())
        }
        return hits.indices.sorted()
    }

    /// What the distance callback needs: the item geometries and the query geometry.
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

    /// The item nearest `geometry` by planar distance between the geometries (not just their
    /// envelopes), through `GEOSSTRtree_nearest_generic_r` with a callback computing
    /// `GEOSDistance_r`. `nil` for an empty tree or an empty geometry. Ties go to whichever
    /// item GEOS meets first.
    /// - Throws: `.invalidInput` for a geometry of another context; `.library` if a distance
    ///   cannot be computed.
    public func nearest(to geometry: GeosGeometry) throws -> Int? {
        guard geometry.context === context else { throw GeosError.invalidInput("query geometry is from another GEOS context") }
        guard !geometry.isEmpty, itemHandles.contains(where: { GEOSisEmpty_r(context.handle, $0) == 0 }) else { return nil }
        let search = NearestSearch(context: context.handle, items: itemHandles, query: geometry.handle)
        // The query item is marked by a pointer value no tree item uses (index −2).
        let queryItem = UnsafeRawPointer(bitPattern: UInt.max)
        let found = try withExtendedLifetime(search) {
            try context.call("GEOSSTRtree_nearest_generic_r") { ctx in
                GEOSSTRtree_nearest_generic_r(ctx, tree, queryItem, geometry.handle, { item1, item2, distance, userData in
                    guard let userData, let distance else { return 0 }
                    let s = Unmanaged<GeosSTRtree.NearestSearch>.fromOpaque(userData).takeUnretainedValue()
                    func geometry(_ item: UnsafeRawPointer?) -> OpaquePointer? {
                        let i = GeosSTRtree.index(item)
                        return s.items.indices.contains(i) ? s.items[i] : (i == -2 ? s.query : nil)
                    }
                    guard let a = geometry(item1), let b = geometry(item2) else { return 0 }
                    // GEOS 3.11 treats a non-zero return as success (despite its header's
                    // wording), which is exactly what GEOSDistance_r returns.
                    return GEOSDistance_r(s.context, a, b, distance)
                }, Unmanaged.passUnretained(search).toOpaque())
            }
        }
        return Self.index(found)
    }
}
