import GeoCore
internal import CPROJ

/// Transforms coordinates between two CRSs through PROJ (`proj_create_crs_to_crs`), with the
/// axis order normalised for GIS use (`proj_normalize_for_visualization`): geographic CRSs are
/// longitude, latitude in degrees, whatever the EPSG axis order says.
///
/// Belongs to the `ProjContext` it was made with (one worker).
public final class Transformer {
    public let source: CRS
    public let target: CRS
    let context: ProjContext
    let pj: OpaquePointer

    public init(from source: CRS, to target: CRS, context: ProjContext) throws {
        self.source = source
        self.target = target
        self.context = context
        guard let raw = proj_create_crs_to_crs(context.handle, source.definition, target.definition, nil) else {
            throw context.takeError("proj_create_crs_to_crs(\(source) → \(target))")
        }
        guard let normalized = proj_normalize_for_visualization(context.handle, raw) else {
            proj_destroy(raw)
            throw context.takeError("proj_normalize_for_visualization")
        }
        proj_destroy(raw)
        pj = normalized
    }

    deinit {
        proj_destroy(pj)
    }

    /// Transforms positions in place in one `proj_trans_generic` call, reading `x`, `y` and `z`
    /// straight out of the array with a stride (no copies). Positions without height stay 2-D.
    /// Throws at the first coordinate PROJ could not transform, naming its index.
    public func transform(_ positions: inout [Position], inverse: Bool = false) throws {
        guard !positions.isEmpty else { return }
        let hasZ = positions.contains { $0.hasZ }
        let count = positions.count
        let stride = MemoryLayout<Position>.stride
        var missingHeights: [Int] = []
        positions.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress!
            let x = base.advanced(by: MemoryLayout<Position>.offset(of: \Position.x)!).assumingMemoryBound(to: Double.self)
            let y = base.advanced(by: MemoryLayout<Position>.offset(of: \Position.y)!).assumingMemoryBound(to: Double.self)
            let z = base.advanced(by: MemoryLayout<Position>.offset(of: \Position.z)!).assumingMemoryBound(to: Double.self)
            let step = stride / MemoryLayout<Double>.stride
            if hasZ {
                // PROJ needs a height for every point of a 3-D call: a missing one is taken as 0
                // and restored to "missing" afterwards.
                for i in 0..<count where z[i * step].isNaN {
                    z[i * step] = 0
                    missingHeights.append(i)
                }
            }
            _ = proj_trans_generic(
                pj, inverse ? PJ_INV : PJ_FWD,
                x, stride, count,
                y, stride, count,
                hasZ ? z : nil, hasZ ? stride : 0, hasZ ? count : 0,
                nil, 0, 0)
        }
        for i in missingHeights { positions[i].z = .nan }
        try checkResults(count: count) { positions[$0] }
    }

    /// Transforms separate coordinate arrays in place (struct-of-arrays bulk data) with one
    /// `proj_trans_generic` call. `x` and `y` must have the same length.
    public func transform(x: inout [Double], y: inout [Double], inverse: Bool = false) throws {
        guard x.count == y.count else {
            throw ProjError.invalidInput("transform: x has \(x.count) values but y has \(y.count)")
        }
        let count = x.count
        guard count > 0 else { return }
        let stride = MemoryLayout<Double>.stride
        x.withUnsafeMutableBufferPointer { xs in
            y.withUnsafeMutableBufferPointer { ys in
                _ = proj_trans_generic(
                    pj, inverse ? PJ_INV : PJ_FWD,
                    xs.baseAddress, stride, count,
                    ys.baseAddress, stride, count,
                    nil, 0, 0, nil, 0, 0)
            }
        }
        let xs = x, ys = y
        try checkResults(count: count) { Position(x: xs[$0], y: ys[$0]) }
    }

    /// Transforms one position.
    public func transform(_ position: Position, inverse: Bool = false) throws -> Position {
        var one = [position]
        try transform(&one, inverse: inverse)
        return one[0]
    }

    /// Transforms every position of a geometry.
    public func transform(_ geometry: Geometry, inverse: Bool = false) throws -> Geometry {
        // Collect all positions, transform them in one call, then put them back in order.
        var all: [Position] = []
        geometry.forEachPosition { all.append($0) }
        try transform(&all, inverse: inverse)
        var next = 0
        return geometry.mapPositions { _ in
            defer { next += 1 }
            return all[next]
        }
    }

    /// PROJ marks failed coordinates with HUGE_VAL; report the first.
    func checkResults(count: Int, _ position: (Int) -> Position) throws {
        let huge = geo_proj_huge_val()
        for i in 0..<count {
            let p = position(i)
            if p.x == huge || p.y == huge || !p.x.isFinite || !p.y.isFinite {
                let code = proj_errno(pj)
                let message = code != 0 ? String(cString: proj_context_errno_string(context.handle, code)) : "outside the projection's domain"
                proj_errno_reset(pj)
                throw ProjError.coordinateFailed(index: i, x: p.x, y: p.y, message: message)
            }
        }
        proj_errno_reset(pj)
    }
}
