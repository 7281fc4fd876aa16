/// Disjoint sets over 0..<count (union by size, path halving), for connected components.
struct UnionFind {
    var parent: [Int32]
    var size: [Int32]

    init(count: Int) {
        parent = (0..<Int32(count)).map { $0 }
        size = [Int32](repeating: 1, count: count)
    }

    @inline(__always)
    mutating func find(_ x: Int32) -> Int32 {
        var x = x
        while parent[Int(x)] != x {
            let grand = parent[Int(parent[Int(x)])]
            parent[Int(x)] = grand
            x = grand
        }
        return x
    }

    /// Joins the sets of `a` and `b`; true when they were different.
    @discardableResult
    @inline(__always)
    mutating func union(_ a: Int32, _ b: Int32) -> Bool {
        var ra = find(a), rb = find(b)
        if ra == rb { return false }
        if size[Int(ra)] < size[Int(rb)] { swap(&ra, &rb) }
        parent[Int(rb)] = ra
        size[Int(ra)] += size[Int(rb)]
        return true
    }
}
