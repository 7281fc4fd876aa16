/// One side's events (attacks or responses) in cells of unit-vector space: a grid of cubes over
/// the unit vectors of their positions, so that a distance rule's pairs are looked for only in
/// neighbouring cells. Two points an angle θ apart differ by at most θ in each coordinate (the
/// chord is shorter than the arc), so with cells of side θ or more they lie in the same or
/// adjacent cells. Without a distance rule one cell holds every event.
struct SpaceCells: Sendable {
    /// The cells' side in unit-vector coordinates; 0 for the one cell of every event.
    let side: Double
    /// Each event's cell.
    let cellOf: [Int32]
    /// The events cell by cell, in index order within a cell: cell `c`'s are
    /// `members[offsets[c]..<offsets[c + 1]]`.
    let members: [Int]
    let offsets: [Int]
    /// Each cell's grid coordinates, packed (`key`).
    let keys: [Int64]
    /// Cell numbers by key.
    let numbers: [Int64: Int32]

    var count: Int { keys.count }

    /// The smallest side used (about 12 m on the Earth), with which grid coordinates fit in
    /// `key`'s 21 bits, so distinct cells have distinct keys. (Cells are found only by key,
    /// so coordinates that wrapped would still find every pair, in cells that hold more.)
    static let smallestSide = 1.0 / Double(1 << 19)

    /// One cell holding events `0..<count`.
    init(count: Int) {
        side = 0
        cellOf = [Int32](repeating: 0, count: count)
        members = Array(0..<count)
        offsets = [0, count]
        keys = [0]
        numbers = [0: 0]
    }

    /// Events whose unit vectors are `xyz` (x, y, z for each) in cells of side `side`
    /// (at least `smallestSide`).
    init(xyz: [Double], side requested: Double) {
        let side = max(requested, Self.smallestSide)
        self.side = side
        let n = xyz.count / 3
        var cellOf = [Int32](repeating: 0, count: n)
        var keys: [Int64] = []
        var numbers: [Int64: Int32] = [:]
        var sizes: [Int] = []
        for i in 0..<n {
            let key = Self.key(Self.coordinates(xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], side: side))
            let c: Int32
            if let known = numbers[key] {
                c = known
            } else {
                c = Int32(keys.count)
                numbers[key] = c
                keys.append(key)
                sizes.append(0)
            }
            cellOf[i] = c
            sizes[Int(c)] += 1
        }
        var offsets = [0]
        offsets.reserveCapacity(keys.count + 1)
        for size in sizes { offsets.append(offsets[offsets.count - 1] + size) }
        var next = offsets.dropLast().map { $0 }
        var members = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let c = Int(cellOf[i])
            members[next[c]] = i
            next[c] += 1
        }
        self.cellOf = cellOf
        self.members = members
        self.offsets = offsets
        self.keys = keys
        self.numbers = numbers
    }

    /// Grid coordinates of a unit vector; a cell of its own, far from the sphere's, for one
    /// that is not finite (a position that is not a number, which no distance rule keeps).
    @inline(__always)
    static func coordinates(_ x: Double, _ y: Double, _ z: Double, side: Double) -> (Int64, Int64, Int64) {
        guard x.isFinite, y.isFinite, z.isFinite else { return (notANumberCell, notANumberCell, notANumberCell) }
        return (Int64((x / side).rounded(.down)), Int64((y / side).rounded(.down)), Int64((z / side).rounded(.down)))
    }

    /// The grid coordinate of that cell: beyond any sphere's (±2^19 + 1), inside `key`'s 21 bits.
    static let notANumberCell = Int64(1 << 20) - 8

    /// Grid coordinates packed 21 bits each (they lie within ±2^19 + 1, `smallestSide`).
    @inline(__always)
    static func key(_ c: (Int64, Int64, Int64)) -> Int64 {
        (c.0 & 0x1F_FFFF) << 42 | (c.1 & 0x1F_FFFF) << 21 | (c.2 & 0x1F_FFFF)
    }

    /// The grid coordinates packed in `key`.
    static func coordinates(ofKey key: Int64) -> (Int64, Int64, Int64) {
        func field(_ shift: Int64) -> Int64 { (key << (43 - shift)) >> 43 }  // sign-extended 21 bits
        return (field(42), field(21), field(0))
    }

    /// For each of `other`'s cells (made with the same side), this side's cells that may hold
    /// an event within one side of an event in it: the same and the adjacent cells.
    func cellsNear(eachOf other: SpaceCells) -> CellNeighbours {
        guard side > 0 else {
            return CellNeighbours(offsets: Array(0...other.count), cells: [Int32](repeating: 0, count: other.count))
        }
        var offsets = [0], cells: [Int32] = []
        offsets.reserveCapacity(other.count + 1)
        for key in other.keys {
            let c = Self.coordinates(ofKey: key)
            for dx in -1...1 {
                for dy in -1...1 {
                    for dz in -1...1 {
                        if let n = numbers[Self.key((c.0 + Int64(dx), c.1 + Int64(dy), c.2 + Int64(dz)))] { cells.append(n) }
                    }
                }
            }
            offsets.append(cells.count)
        }
        return CellNeighbours(offsets: offsets, cells: cells)
    }
}

/// For each cell of one side, the other side's cells near it (`SpaceCells.cellsNear`): cell
/// `c`'s are `cells[offsets[c]..<offsets[c + 1]]`.
struct CellNeighbours: Sendable {
    let offsets: [Int]
    let cells: [Int32]
}

/// One side's events cell by cell, each cell's in `MidpointGroup`s: cell `c`'s groups are
/// `groups[offsets[c]..<offsets[c + 1]]`, each a range of the arrays.
struct CellMidpointGroups: Sendable {
    /// Event indices, midpoints (ascending within a group), span starts and ends, seconds.
    let order: [Int]
    let midpoints: [Double]
    let starts: [Double]
    let ends: [Double]
    /// The events' unit vectors in that order (x, y, z for each): empty when not given.
    let xyz: [Double]
    let groups: [MidpointGroup]
    let offsets: [Int]

    /// The events of `p` in `cells`, each cell's in groups of similar span length by midpoint;
    /// `xyz`, the events' unit vectors by index, or empty.
    init(_ p: TimedPoints, cells: SpaceCells, xyz: [Double]) {
        var order: [Int] = [], midpoints: [Double] = []
        order.reserveCapacity(p.count)
        midpoints.reserveCapacity(p.count)
        var groups: [MidpointGroup] = []
        var offsets = [0]
        offsets.reserveCapacity(cells.count + 1)
        var keyed = [[(Double, Int)]](repeating: [], count: 4)
        var maxHalf = [Double](repeating: 0, count: 4)
        for c in 0..<cells.count {
            for g in 0..<4 { maxHalf[g] = 0 }
            for i in cells.members[cells.offsets[c]..<cells.offsets[c + 1]] {
                let length = p.endSeconds[i] - p.startSeconds[i]
                let g = MidpointGroup.spanClass(lengthSeconds: length)
                keyed[g].append((p.midpointSeconds(i), i))
                maxHalf[g] = max(maxHalf[g], length / 2)
            }
            for g in 0..<4 where !keyed[g].isEmpty {
                keyed[g].sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
                let start = order.count
                for (mid, i) in keyed[g] {
                    midpoints.append(mid)
                    order.append(i)
                }
                groups.append(MidpointGroup(range: start..<order.count, maxHalfSeconds: maxHalf[g]))
                keyed[g].removeAll(keepingCapacity: true)
            }
            offsets.append(groups.count)
        }
        self.order = order
        self.midpoints = midpoints
        starts = order.map { p.startSeconds[$0] }
        ends = order.map { p.endSeconds[$0] }
        self.xyz = ResponseWindows.unitVectors(xyz, in: order)
        self.groups = groups
        self.offsets = offsets
    }

    /// The first position in `range` whose midpoint is at least `value` (`range.upperBound` when none).
    @inline(__always)
    func firstIndex(atLeast value: Double, in range: Range<Int>) -> Int {
        midpoints.withUnsafeBufferPointer { lowerBound(UnsafeBufferPointer(rebasing: $0[range]), value) } + range.lowerBound
    }

    /// The first position in `range` whose midpoint is above `value`.
    @inline(__always)
    func firstIndex(above value: Double, in range: Range<Int>) -> Int {
        midpoints.withUnsafeBufferPointer { upperBound(UnsafeBufferPointer(rebasing: $0[range]), value) } + range.lowerBound
    }
}
