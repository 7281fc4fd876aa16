#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import GeoCore

/// Events as time spans (seconds since 1970-01-01T00:00:00Z, UTC) with optional positions
/// (degrees), in contiguous arrays. A span `[start, end)` with `end > start` means "some time
/// in it" (a day, an ACLED week or month); `end == start` is a known instant.
public struct TimedPoints: Sendable {
    public var startSeconds: [Double]
    public var endSeconds: [Double]
    /// Empty when the events have no positions (then no distance rule may be used).
    public var longitudes: [Double]
    public var latitudes: [Double]

    public init(startSeconds: [Double], endSeconds: [Double], longitudes: [Double] = [], latitudes: [Double] = []) {
        precondition(startSeconds.count == endSeconds.count, "start and end arrays differ in length")
        precondition(longitudes.count == latitudes.count && (longitudes.isEmpty || longitudes.count == startSeconds.count),
                     "coordinate arrays differ in length")
        self.startSeconds = startSeconds
        self.endSeconds = endSeconds
        self.longitudes = longitudes
        self.latitudes = latitudes
    }

    /// Events at `spans`, with positions (degrees) or none.
    public init(spans: TimeSpans, longitudes: [Double] = [], latitudes: [Double] = []) {
        self.init(startSeconds: spans.startSeconds, endSeconds: spans.endSeconds, longitudes: longitudes, latitudes: latitudes)
    }

    public var spans: TimeSpans { TimeSpans(startSeconds: startSeconds, endSeconds: endSeconds) }

    public var count: Int { startSeconds.count }
    public var hasPositions: Bool { !longitudes.isEmpty || startSeconds.isEmpty }

    /// Midpoint of event `i`'s span, seconds.
    @inline(__always) public func midpointSeconds(_ i: Int) -> Double { (startSeconds[i] + endSeconds[i]) / 2 }
}

/// Which attack–response pairs count: the response comes `minLag…maxLag` after the attack
/// (seconds), and, when `withinMeters` is set, no farther than that (geodesic).
public struct WindowRule: Hashable, Sendable {
    public var minLagSeconds: Double
    public var maxLagSeconds: Double
    public var withinMeters: Double?

    public init(minLagSeconds: Double = 0, maxLagSeconds: Double, withinMeters: Double? = nil) {
        precondition(minLagSeconds >= 0 && maxLagSeconds >= minLagSeconds, "need 0 <= minLag <= maxLag")
        self.minLagSeconds = minLagSeconds
        self.maxLagSeconds = maxLagSeconds
        self.withinMeters = withinMeters
    }
}

/// The possible lags between an attack and a response, seconds (response time − attack time).
///
/// With spans `[as, ae)` and `[rs, re)` the lag lies between `rs − ae` and `re − as`; the
/// nominal lag is the difference of the midpoints (for two day-precision dates: the number of
/// calendar days between them, exactly). Both bounds are equal only for two known instants.
public struct LagInterval: Hashable, Sendable {
    public var lowerSeconds: Double
    public var upperSeconds: Double
    public var nominalSeconds: Double

    /// Whether both times are known instants, so the lag is exact (report it in hours).
    public var isExact: Bool { lowerSeconds == upperSeconds }
}

/// One attack followed by one response inside the window.
public struct WindowPair: Hashable, Sendable {
    /// Index into the attacks.
    public var attack: Int
    /// Index into the responses.
    public var response: Int
    public var lag: LagInterval
    /// Geodesic distance in metres; nil when the events have no positions.
    public var distanceMeters: Double?
    /// True when every possible lag lies in the window; false when only some do (imprecise dates).
    public var certain: Bool
}

/// Pairs attacks with the responses that followed them within a time window (and distance).
///
/// Pairing rule: an attack and a response pair when their *possible* lags (`LagInterval`)
/// overlap the window `[minLag, maxLag]`, i.e. when the response could have come minLag…maxLag
/// after the attack given how precisely both dates are known; `WindowPair.certain` tells whether
/// all possible lags are inside. Span ends are exclusive (`[day, next day)`), so two day-precision
/// dates pair exactly when their calendar-day difference is in `[minLag, maxLag]` rounded
/// outwards to whole days; for `--min-lag 0` that includes the same day (order unknown).
/// A response's "most recent" attack is the paired attack with the latest midpoint; an attack's
/// "first response" is the paired response with the earliest midpoint (ties: lower index).
/// Both prefer pairs whose nominal lag is at least minLag (the response plausibly after the
/// attack) and fall back to the others only when there is none, so that a month-dated event
/// whose midpoint lies on the wrong side does not displace a clear pair.
public struct ResponseWindows: @unchecked Sendable {
    public let attacks: TimedPoints
    public let responses: TimedPoints
    public let rule: WindowRule
    /// Geodesic distance in metres between (lat1, lon1) and (lat2, lon2), degrees.
    let geodesicDistance: (Double, Double, Double, Double) -> Double

    /// Attacks and responses in cells of space (one cell without a distance rule), and each
    /// cell's in groups of similar span length sorted by midpoint.
    let attackCells: SpaceCells, responseCells: SpaceCells
    let attackGroups: CellMidpointGroups
    /// For each response cell the attack cells near it, and the other way round.
    let attackCellsNear: CellNeighbours, responseCellsNear: CellNeighbours
    let attackEndSorted: [Double]
    /// Prefix counts of attacks with a span (not an instant) in end order.
    let attackEndSortedSpanPrefix: [Int]
    let attackStartSorted: [Double]
    let responseGroups: CellMidpointGroups
    /// Attacks cell by cell (`attackCells.offsets`), by ascending start within a cell (for the
    /// sweep of the permutation statistic).
    let attackStartOrder: [Int]
    let attackStartOrderStarts: [Double]
    let attackStartOrderEnds: [Double]
    /// Their unit vectors in that order (empty without a distance rule).
    let attackStartOrderXYZ: [Double]
    /// Unit vectors of positions, for a quick spherical distance bound before the geodesic.
    let attackXYZ: [Double]
    let responseXYZ: [Double]
    /// `sphericalVerdict`'s bounds as dot products of unit vectors (no `acos` per pair).
    let farDot: Double, nearDot: Double

    /// - Parameter geodesicDistance: metres between two points given as (lat1, lon1, lat2, lon2)
    ///   in degrees; used only with a distance rule (GeoCLI passes PROJ's `geod_inverse`).
    public init(
        attacks: TimedPoints, responses: TimedPoints, rule: WindowRule,
        geodesicDistance: @escaping (Double, Double, Double, Double) -> Double
    ) {
        precondition(rule.withinMeters == nil || (attacks.hasPositions && responses.hasPositions),
                     "a distance rule needs positions")
        self.attacks = attacks
        self.responses = responses
        self.rule = rule
        self.geodesicDistance = geodesicDistance
        attackXYZ = rule.withinMeters == nil ? [] : Self.unitVectors(attacks)
        responseXYZ = rule.withinMeters == nil ? [] : Self.unitVectors(responses)
        (farDot, nearDot) = Self.dotBounds(rule.withinMeters)
        // Cells as wide as the far bound's angle: a pair within it lies in neighbouring cells.
        let side = acos(farDot) * (1 + 1e-9) + 1e-12
        if rule.withinMeters != nil, farDot > -2, side < 0.5 {
            attackCells = SpaceCells(xyz: attackXYZ, side: side)
            responseCells = SpaceCells(xyz: responseXYZ, side: side)
        } else {
            attackCells = SpaceCells(count: attacks.count)
            responseCells = SpaceCells(count: responses.count)
        }
        attackGroups = CellMidpointGroups(attacks, cells: attackCells, xyz: [])
        responseGroups = CellMidpointGroups(responses, cells: responseCells, xyz: responseXYZ)
        attackCellsNear = attackCells.cellsNear(eachOf: responseCells)
        responseCellsNear = responseCells.cellsNear(eachOf: attackCells)
        var startOrder: [Int] = []
        startOrder.reserveCapacity(attacks.count)
        for c in 0..<attackCells.count {
            startOrder += attackCells.members[attackCells.offsets[c]..<attackCells.offsets[c + 1]]
                .sorted { attacks.startSeconds[$0] < attacks.startSeconds[$1] }
        }
        attackStartOrder = startOrder
        attackStartOrderStarts = attackStartOrder.map { attacks.startSeconds[$0] }
        attackStartOrderEnds = attackStartOrder.map { attacks.endSeconds[$0] }
        attackStartOrderXYZ = Self.unitVectors(attackXYZ, in: attackStartOrder)
        attackStartSorted = attacks.startSeconds.sorted()
        let endOrder = attacks.endSeconds.indices.sorted { attacks.endSeconds[$0] < attacks.endSeconds[$1] }
        attackEndSorted = endOrder.map { attacks.endSeconds[$0] }
        var prefix = [0]
        prefix.reserveCapacity(endOrder.count + 1)
        for i in endOrder { prefix.append(prefix[prefix.count - 1] + (attacks.endSeconds[i] > attacks.startSeconds[i] ? 1 : 0)) }
        attackEndSortedSpanPrefix = prefix
    }

    /// The cosines of the angles (mean radius) `sphericalVerdict` compares with: a pair whose
    /// dot product is below the first is surely farther than the limit with the margin, one
    /// above the second surely within (angles beyond 0…π made bounds no dot product passes, or
    /// every one does).
    static func dotBounds(_ limitMeters: Double?) -> (far: Double, near: Double) {
        guard let limit = limitMeters else { return (-2, 2) }
        let far = (limit * 1.01 + 1) / 6_371_008.8, near = (limit * 0.99 - 1) / 6_371_008.8
        return (far >= .pi ? -2 : cos(far), near <= 0 ? 2 : near >= .pi ? -2 : cos(near))
    }


    /// The unit vectors `xyz` (x, y, z for each) of the events in `order`; empty for none.
    static func unitVectors(_ xyz: [Double], in order: [Int]) -> [Double] {
        guard !xyz.isEmpty else { return [] }
        var ordered: [Double] = []
        ordered.reserveCapacity(3 * order.count)
        for i in order {
            ordered.append(xyz[3 * i])
            ordered.append(xyz[3 * i + 1])
            ordered.append(xyz[3 * i + 2])
        }
        return ordered
    }

    static func unitVectors(_ p: TimedPoints) -> [Double] {
        var xyz = [Double](repeating: 0, count: 3 * p.count)
        for i in 0..<p.count {
            let lat = p.latitudes[i] * .pi / 180, lon = p.longitudes[i] * .pi / 180
            xyz[3 * i] = cos(lat) * cos(lon)
            xyz[3 * i + 1] = cos(lat) * sin(lon)
            xyz[3 * i + 2] = sin(lat)
        }
        return xyz
    }

    // MARK: one pair

    /// The possible lags from attack `a` to response `r`.
    @inline(__always)
    public func lag(attack a: Int, response r: Int) -> LagInterval {
        LagInterval(
            lowerSeconds: responses.startSeconds[r] - attacks.endSeconds[a],
            upperSeconds: responses.endSeconds[r] - attacks.startSeconds[a],
            nominalSeconds: responses.midpointSeconds(r) - attacks.midpointSeconds(a))
    }

    /// Whether some possible lag of (a, r) lies in the window (span ends exclusive).
    @inline(__always)
    func timeOverlaps(attack a: Int, response r: Int) -> Bool {
        let lower = responses.startSeconds[r] - attacks.endSeconds[a]
        let upper = responses.endSeconds[r] - attacks.startSeconds[a]
        let attackInstant = attacks.endSeconds[a] == attacks.startSeconds[a]
        let responseInstant = responses.endSeconds[r] == responses.startSeconds[r]
        let upperOK = upper > rule.minLagSeconds || (responseInstant && upper == rule.minLagSeconds)
        let lowerOK = lower < rule.maxLagSeconds || (attackInstant && lower == rule.maxLagSeconds)
        return upperOK && lowerOK
    }

    /// Nominal spherical distance bound: returns (-1) when surely farther than the limit, +1 when
    /// surely within, 0 when the geodesic must decide. Spherical (mean radius) and WGS84 geodesic
    /// distances differ by under 0.6%, so a 1% margin is safe. The angle is compared through its
    /// cosine (`dotBounds`): a pair that rounding puts on the other side of a bound is one the
    /// geodesic then decides the same way, being 1 % from the limit.
    @inline(__always)
    func sphericalVerdict(attack a: Int, response r: Int) -> Int {
        let dot = attackXYZ[3 * a] * responseXYZ[3 * r] + attackXYZ[3 * a + 1] * responseXYZ[3 * r + 1]
            + attackXYZ[3 * a + 2] * responseXYZ[3 * r + 2]
        if dot < farDot { return -1 }
        if dot > nearDot { return 1 }
        return 0
    }

    /// Geodesic metres between attack `a` and response `r`; nil without positions.
    public func distanceMeters(attack a: Int, response r: Int) -> Double? {
        guard !attacks.longitudes.isEmpty, !responses.longitudes.isEmpty else { return nil }
        return geodesicDistance(attacks.latitudes[a], attacks.longitudes[a], responses.latitudes[r], responses.longitudes[r])
    }

    /// Whether (a, r) satisfies the rule in time and, if set, distance.
    @inline(__always)
    func qualifies(attack a: Int, response r: Int) -> Bool {
        timeOverlaps(attack: a, response: r) && withinLimit(attack: a, response: r)
    }

    /// Whether (a, r) satisfies the distance rule (true without one), for a pair whose time
    /// was checked already.
    @inline(__always)
    func withinLimit(attack a: Int, response r: Int) -> Bool {
        guard let limit = rule.withinMeters else { return true }
        switch sphericalVerdict(attack: a, response: r) {
        case -1: return false
        case 1: return true
        default: return distanceMeters(attack: a, response: r)! <= limit
        }
    }

    /// The pair (a, r) with its lag, distance and certainty (no check that it qualifies).
    public func pair(attack a: Int, response r: Int) -> WindowPair {
        let lag = lag(attack: a, response: r)
        return WindowPair(
            attack: a, response: r, lag: lag, distanceMeters: distanceMeters(attack: a, response: r),
            certain: lag.lowerSeconds >= rule.minLagSeconds && lag.upperSeconds <= rule.maxLagSeconds)
    }

    // MARK: per response

    /// Calls `body` with each group of attacks in the cells near response `r`'s (every group
    /// without a distance rule).
    @inline(__always)
    func forEachAttackGroup(nearResponse r: Int, _ body: (MidpointGroup) -> Void) {
        let c = Int(responseCells.cellOf[r])
        for k in attackCellsNear.offsets[c]..<attackCellsNear.offsets[c + 1] {
            let cell = Int(attackCellsNear.cells[k])
            for g in attackGroups.offsets[cell]..<attackGroups.offsets[cell + 1] { body(attackGroups.groups[g]) }
        }
    }

    /// Calls `body` with each group of responses in the cells near attack cell `c`.
    @inline(__always)
    func forEachResponseGroup(nearAttackCell c: Int, _ body: (MidpointGroup) -> Void) {
        for k in responseCellsNear.offsets[c]..<responseCellsNear.offsets[c + 1] {
            let cell = Int(responseCellsNear.cells[k])
            for g in responseGroups.offsets[cell]..<responseGroups.offsets[cell + 1] { body(responseGroups.groups[g]) }
        }
    }

    /// Positions in an attack group's midpoint order of attacks that can pair with response `r`.
    @inline(__always)
    func attackRange(forResponse r: Int, in g: MidpointGroup) -> Range<Int> {
        let lo = responses.startSeconds[r] - rule.maxLagSeconds - g.maxHalfSeconds
        let hi = responses.endSeconds[r] - rule.minLagSeconds + g.maxHalfSeconds
        let lower = attackGroups.firstIndex(atLeast: lo, in: g.range)
        return lower..<attackGroups.firstIndex(above: hi, in: lower..<g.range.upperBound)
    }

    /// Positions in a response group's midpoint order of responses that can pair with attack `a`.
    @inline(__always)
    func responseRange(forAttack a: Int, in g: MidpointGroup) -> Range<Int> {
        let lo = attacks.startSeconds[a] + rule.minLagSeconds - g.maxHalfSeconds
        let hi = attacks.endSeconds[a] + rule.maxLagSeconds + g.maxHalfSeconds
        let lower = responseGroups.firstIndex(atLeast: lo, in: g.range)
        return lower..<responseGroups.firstIndex(above: hi, in: lower..<g.range.upperBound)
    }

    /// The attacks in response `r`'s window, most recent (latest midpoint) first.
    public func attacksInWindow(ofResponse r: Int) -> [Int] {
        var found: [(Double, Int)] = []
        let m = attackGroups
        forEachAttackGroup(nearResponse: r) { g in
            for k in attackRange(forResponse: r, in: g) where qualifies(attack: m.order[k], response: r) {
                found.append((m.midpoints[k], m.order[k]))
            }
        }
        found.sort { $0.0 > $1.0 || ($0.0 == $1.0 && $0.1 < $1.1) }
        return found.map(\.1)
    }

    /// The response's most recent attack (see the type's pairing rule), or nil.
    public func mostRecentAttack(forResponse r: Int) -> WindowPair? {
        let a = mostRecentAttackIndex(forResponse: r)
        return a < 0 ? nil : pair(attack: a, response: r)
    }

    /// Index of the most recent attack, or −1: among paired attacks whose nominal lag is at
    /// least minLag, the latest midpoint; when there is none, the latest paired midpoint at all.
    /// Ties go to the lower index. One look at each group: its preferred part, then, while no
    /// preferred attack is known, the rest.
    public func mostRecentAttackIndex(forResponse r: Int) -> Int {
        let rS = responses.startSeconds[r], rE = responses.endSeconds[r]
        let split = responses.midpointSeconds(r) - rule.minLagSeconds  // nominal lag >= minLag up to here
        let m = attackGroups
        var best = -1, bestMid = -Double.infinity  // preferred
        var other = -1, otherMid = -Double.infinity
        /// The latest qualifying attack in `scan` no earlier than `floor` (positions, midpoint),
        /// the lowest index among equal midpoints.
        func latest(in scan: Range<Int>, atLeast floor: Double) -> (Int, Double)? {
            var k = scan.upperBound - 1
            while k >= scan.lowerBound && m.midpoints[k] >= floor {
                if spansOverlap(m.starts[k], m.ends[k], rS, rE) && withinLimit(attack: m.order[k], response: r) {
                    // Equal midpoints are in index order: take the lowest qualifying one of the run.
                    var j = m.firstIndex(atLeast: m.midpoints[k], in: scan.lowerBound..<k)
                    while j < k {
                        if spansOverlap(m.starts[j], m.ends[j], rS, rE) && withinLimit(attack: m.order[j], response: r) { break }
                        j += 1
                    }
                    return (m.order[j], m.midpoints[j])
                }
                k -= 1
            }
            return nil
        }
        forEachAttackGroup(nearResponse: r) { g in
            let range = attackRange(forResponse: r, in: g)
            guard !range.isEmpty else { return }
            let cut = split >= m.midpoints[range.upperBound - 1] ? range.upperBound : m.firstIndex(above: split, in: range)
            if let (a, mid) = latest(in: range.lowerBound..<cut, atLeast: bestMid), mid > bestMid || a < best {
                (best, bestMid) = (a, mid)
            }
            if best < 0, let (a, mid) = latest(in: cut..<range.upperBound, atLeast: otherMid), mid > otherMid || a < other {
                (other, otherMid) = (a, mid)
            }
        }
        return best >= 0 ? best : other
    }

    /// `mostRecentAttackIndex(forResponse:)` and `windowCount(forResponse:)` at once: with a
    /// distance rule, one scan of the window's attacks, each checked once (the two apart scan
    /// them twice); without one, the two as they are. The same rule picks the attack: among
    /// paired attacks with a midpoint at most the response's minus minLag, the latest midpoint,
    /// else the latest of the others; ties to the lower index.
    public func mostRecentAttackAndWindowCount(forResponse r: Int) -> (attack: Int, windowCount: Int) {
        guard rule.withinMeters != nil else { return (mostRecentAttackIndex(forResponse: r), windowCount(forResponse: r)) }
        let split = responses.midpointSeconds(r) - rule.minLagSeconds  // as in `mostRecentAttackIndex`
        let m = attackGroups
        var count = 0
        var best = -1, bestMid = -Double.infinity  // preferred
        var other = -1, otherMid = -Double.infinity
        forEachAttackGroup(nearResponse: r) { g in
            for k in attackRange(forResponse: r, in: g) where qualifies(attack: m.order[k], response: r) {
                count += 1
                let a = m.order[k], mid = m.midpoints[k]
                if mid <= split {
                    if mid > bestMid || (mid == bestMid && a < best) { (best, bestMid) = (a, mid) }
                } else if mid > otherMid || (mid == otherMid && a < other) {
                    (other, otherMid) = (a, mid)
                }
            }
        }
        return (best >= 0 ? best : other, count)
    }

    /// How many attacks are in response `r`'s window. Two binary searches without a distance
    /// rule; with one, a scan of the window's attacks.
    public func windowCount(forResponse r: Int) -> Int {
        if rule.withinMeters != nil {
            var n = 0
            let m = attackGroups
            forEachAttackGroup(nearResponse: r) { g in
                for k in attackRange(forResponse: r, in: g) where qualifies(attack: m.order[k], response: r) { n += 1 }
            }
            return n
        }
        // An attack fails only by starting too late or ending too early, never both.
        let lateFrom = responses.endSeconds[r] - rule.minLagSeconds
        let responseInstant = responses.endSeconds[r] == responses.startSeconds[r]
        let tooLate = attackStartSorted.withUnsafeBufferPointer {
            $0.count - (responseInstant ? upperBound($0, lateFrom) : lowerBound($0, lateFrom))
        }
        let earlyBefore = responses.startSeconds[r] - rule.maxLagSeconds
        let (below, atOrBelow) = attackEndSorted.withUnsafeBufferPointer { (lowerBound($0, earlyBefore), upperBound($0, earlyBefore)) }
        // Ending exactly at the limit fails for spans (exclusive end), passes for instants.
        let tooEarly = below + attackEndSortedSpanPrefix[atOrBelow] - attackEndSortedSpanPrefix[below]
        return attacks.count - tooLate - tooEarly
    }

    // MARK: per attack

    /// The attack's first response (see the type's pairing rule), or nil.
    public func firstResponse(toAttack a: Int) -> WindowPair? {
        let r = firstResponseIndex(toAttack: a)
        return r < 0 ? nil : pair(attack: a, response: r)
    }

    /// Index of the first response, or −1: among paired responses whose nominal lag is at least
    /// minLag, the earliest midpoint; when there is none, the earliest paired midpoint at all.
    /// Ties go to the lower index. One look at each group: its preferred part, then, while no
    /// preferred response is known, the rest.
    public func firstResponseIndex(toAttack a: Int) -> Int {
        let aS = attacks.startSeconds[a], aE = attacks.endSeconds[a]
        let split = attacks.midpointSeconds(a) + rule.minLagSeconds  // nominal lag >= minLag from here
        let m = responseGroups
        var best = -1, bestMid = Double.infinity  // preferred
        var other = -1, otherMid = Double.infinity
        /// The earliest qualifying response in `scan` no later than `ceiling` (positions,
        /// midpoint); equal midpoints are in index order, so the first found is the lowest.
        func earliest(in scan: Range<Int>, atMost ceiling: Double) -> (Int, Double)? {
            var k = scan.lowerBound
            while k < scan.upperBound && m.midpoints[k] <= ceiling {
                if spansOverlap(aS, aE, m.starts[k], m.ends[k]) && withinLimit(attack: a, response: m.order[k]) {
                    return (m.order[k], m.midpoints[k])
                }
                k += 1
            }
            return nil
        }
        forEachResponseGroup(nearAttackCell: Int(attackCells.cellOf[a])) { g in
            let range = responseRange(forAttack: a, in: g)
            guard !range.isEmpty else { return }
            let cut = split <= m.midpoints[range.lowerBound] ? range.lowerBound : m.firstIndex(atLeast: split, in: range)
            if let (r, mid) = earliest(in: cut..<range.upperBound, atMost: bestMid), mid < bestMid || r < best {
                (best, bestMid) = (r, mid)
            }
            if best < 0, let (r, mid) = earliest(in: range.lowerBound..<cut, atMost: otherMid), mid < otherMid || r < other {
                (other, otherMid) = (r, mid)
            }
        }
        return best >= 0 ? best : other
    }

    /// How many attacks were followed by at least one response: the event-coincidence
    /// "trigger coincidence" count, the statistic of the permutation test.
    public func followedAttackCount() -> Int {
        anyResponseIndices().reduce(0) { $0 + ($1 >= 0 ? 1 : 0) }
    }

    /// Whether spans `[as, ae)` and `[rs, re)` have a possible lag in the window (as `timeOverlaps`).
    @inline(__always)
    func spansOverlap(_ aS: Double, _ aE: Double, _ rS: Double, _ rE: Double) -> Bool {
        let lower = rS - aE, upper = rE - aS
        return (upper > rule.minLagSeconds || (rE == rS && upper == rule.minLagSeconds))
            && (lower < rule.maxLagSeconds || (aE == aS && lower == rule.maxLagSeconds))
    }

    /// For each attack, some response that pairs with it (index, or −1; not necessarily the
    /// first), by sweeps over each cell's attacks in start order, one for each group of
    /// responses near the cell, with a moving lower edge: no binary search per attack, spans
    /// read in sorted, contiguous order.
    func anyResponseIndices() -> [Int] {
        let n = attacks.count
        var result = [Int](repeating: -1, count: n)  // in start order, scattered at the end
        var bestMid = [Double](repeating: .infinity, count: n)
        let distance = rule.withinMeters != nil
        let m = responseGroups
        m.midpoints.withUnsafeBufferPointer { mids in
        m.starts.withUnsafeBufferPointer { rStarts in
        m.ends.withUnsafeBufferPointer { rEnds in
        m.order.withUnsafeBufferPointer { rOrder in
        m.xyz.withUnsafeBufferPointer { rXYZ in
        attackStartOrderXYZ.withUnsafeBufferPointer { aXYZ in
        attackStartOrderStarts.withUnsafeBufferPointer { aStarts in
        attackStartOrderEnds.withUnsafeBufferPointer { aEnds in
            for cell in 0..<attackCells.count {
                let positions = attackCells.offsets[cell]..<attackCells.offsets[cell + 1]
                forEachResponseGroup(nearAttackCell: cell) { g in
                    var pointer = g.range.lowerBound
                    let end = g.range.upperBound
                    for q in positions {
                        let aS = aStarts[q], aE = aEnds[q]
                        let lo = aS + rule.minLagSeconds - g.maxHalfSeconds
                        let hi = aE + rule.maxLagSeconds + g.maxHalfSeconds
                        while pointer < end && mids[pointer] < lo { pointer += 1 }
                        var k = pointer
                        while k < end && mids[k] <= hi && mids[k] <= bestMid[q] {
                            // The distance from unit vectors in these orders (read in turn), then
                            // the geodesic by index when the bounds cannot tell.
                            if spansOverlap(aS, aE, rStarts[k], rEnds[k]) && (!distance || {
                                let dot = aXYZ[3 * q] * rXYZ[3 * k] + aXYZ[3 * q + 1] * rXYZ[3 * k + 1] + aXYZ[3 * q + 2] * rXYZ[3 * k + 2]
                                return dot > nearDot || (dot >= farDot && withinLimit(attack: attackStartOrder[q], response: rOrder[k]))
                            }()) {
                                // Equal midpoints are in index order: the first found is this group's best.
                                let r = rOrder[k]
                                if mids[k] < bestMid[q] || r < result[q] { bestMid[q] = mids[k]; result[q] = r }
                                break
                            }
                            k += 1
                        }
                    }
                }
            }
        }}}}}}}}
        var scattered = [Int](repeating: -1, count: n)
        for q in 0..<n { scattered[attackStartOrder[q]] = result[q] }
        return scattered
    }

    /// `firstResponseIndex` for every attack (on all cores).
    public func firstResponseIndices() -> [Int] { Self.onAllCores(attacks.count) { firstResponseIndex(toAttack: $0) } }

    /// `mostRecentAttackIndex` for every response (on all cores).
    public func mostRecentAttackIndices() -> [Int] { Self.onAllCores(responses.count) { mostRecentAttackIndex(forResponse: $0) } }

    /// `mostRecentAttackAndWindowCount` for every response (on all cores).
    public func mostRecentAttacksAndWindowCounts() -> (attacks: [Int], windowCounts: [Int]) {
        let both = Self.onAllCores(responses.count) { mostRecentAttackAndWindowCount(forResponse: $0) }
        return (both.map(\.attack), both.map(\.windowCount))
    }

    /// `body(i)` for i in `0..<count`, in shares of 4,096 on up to every core
    /// (`ParallelMap.map`), in index order.
    static func onAllCores<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let share = 4096
        guard count > share else { return (0..<count).map(body) }
        let shares = ParallelMap.map((count + share - 1) / share) { j in (j * share..<min(count, (j + 1) * share)).map(body) }
        return Array(shares.joined())
    }

    // MARK: all pairs

    /// Calls `body` for every qualifying pair, responses in input order, each response's attacks
    /// most recent first. The number of pairs can grow with the square of the density; for
    /// summaries use the per-response and per-attack methods.
    public func forEachPair(_ body: (WindowPair) throws -> Void) rethrows {
        try forEachPair(mostRecentAttacks: nil, body)
    }

    /// `forEachPair`, given `mostRecentAttackIndices()` worked out already: a response with no
    /// most recent attack has none in its window, and is not searched. The windows are searched
    /// on all cores a block of responses at a time (`attacksInWindows`, `nextBlockSize`), and
    /// handed over in order.
    public func forEachPair(mostRecentAttacks: [Int]?, _ body: (WindowPair) throws -> Void) rethrows {
        try forEachPair(mostRecentAttacks: mostRecentAttacks, block: Self.windowBlock, body)
    }

    /// `forEachPair(mostRecentAttacks:_:)` searching at most `largest` responses' windows at once.
    func forEachPair(mostRecentAttacks: [Int]?, block largest: Int, _ body: (WindowPair) throws -> Void) rethrows {
        try forEachPairIndex(mostRecentAttacks: mostRecentAttacks, block: largest) { try body(pair(attack: $0, response: $1)) }
    }

    /// `forEachPair(mostRecentAttacks:_:)` handing over only each pair's attack and response, in
    /// the same order: the lags and distances are left to the caller (`pair(attack:response:)`).
    public func forEachPairIndex(mostRecentAttacks: [Int]?, _ body: (_ attack: Int, _ response: Int) throws -> Void) rethrows {
        try forEachPairIndex(mostRecentAttacks: mostRecentAttacks, block: Self.windowBlock, body)
    }

    func forEachPairIndex(mostRecentAttacks: [Int]?, block largest: Int, _ body: (_ attack: Int, _ response: Int) throws -> Void) rethrows {
        var start = 0, size = Self.firstBlockSize(largest)
        while start < responses.count {
            let block = start..<min(responses.count, start + size)
            var found = 0
            for (k, inWindow) in attacksInWindows(ofResponses: block, mostRecentAttacks: mostRecentAttacks).enumerated() {
                found += inWindow.count
                for a in inWindow { try body(a, block.lowerBound + k) }
            }
            start = block.upperBound
            size = Self.nextBlockSize(after: size, found: found, largest: largest)
        }
    }

    /// The most responses whose windows are searched at once.
    public static let windowBlock = 16_384
    /// About how many attacks a block's windows should hold (8 MiB of indices): dense windows
    /// are searched a few responses at a time.
    static let blockAttacks = 1 << 20

    /// The first block's responses: at most 1,024.
    public static func firstBlockSize(_ largest: Int) -> Int { max(1, min(1_024, largest)) }

    /// The next block's responses after a block of `size` whose windows held `found` attacks:
    /// sized to hold about `blockAttacks`, at most twice as many responses as before and at
    /// most `largest`, at least one.
    public static func nextBlockSize(after size: Int, found: Int, largest: Int) -> Int {
        let fitting = found == 0 ? 2 * size : Int(Double(size) * Double(blockAttacks) / Double(found))
        return max(1, min(largest, 2 * size, fitting))
    }

    /// `attacksInWindow(ofResponse:)` of the responses `range`, in order, on all cores; empty
    /// for a response whose entry in `mostRecentAttacks` is −1 (it has no attack in its window),
    /// which is not searched.
    public func attacksInWindows(ofResponses range: Range<Int>, mostRecentAttacks: [Int]?) -> [[Int]] {
        Self.onAllCores(range.count) { k in
            let r = range.lowerBound + k
            return mostRecentAttacks.map({ $0[r] < 0 }) ?? false ? [] : attacksInWindow(ofResponse: r)
        }
    }

    // MARK: summary and test

    /// Counts and lag statistics (see `WindowSummary`). `firstResponses`, `mostRecentAttacks`
    /// and `windowCounts`, when given, are `firstResponseIndices()`,
    /// `mostRecentAttackIndices()` and each response's `windowCount`, worked out already.
    public func summary(histogramBinSeconds: Double? = nil, countWindows: Bool = true,
                        firstResponses: [Int]? = nil, mostRecentAttacks: [Int]? = nil, windowCounts: [Int]? = nil) -> WindowSummary {
        var followed = 0
        var firstLags: [Double] = []
        var uncertainFirst = 0
        for (a, r) in (firstResponses ?? firstResponseIndices()).enumerated() where r >= 0 {
            let lag = lag(attack: a, response: r)
            followed += 1
            firstLags.append(lag.nominalSeconds)
            if !(lag.lowerSeconds >= rule.minLagSeconds && lag.upperSeconds <= rule.maxLagSeconds) { uncertainFirst += 1 }
        }
        var preceded = 0
        var recentLags: [Double] = []
        let mostRecent = mostRecentAttacks ?? mostRecentAttackIndices()
        for (r, a) in mostRecent.enumerated() where a >= 0 {
            preceded += 1
            recentLags.append(lag(attack: a, response: r).nominalSeconds)
        }
        // Only preceded responses have attacks in their windows.
        let windowTotal: Int? = !countWindows ? nil : windowCounts?.reduce(0, +)
            ?? Self.onAllCores(responses.count) { r in mostRecent[r] >= 0 ? windowCount(forResponse: r) : 0 }.reduce(0, +)
        firstLags.sort()
        recentLags.sort()
        let span = rule.maxLagSeconds - rule.minLagSeconds
        let bin = histogramBinSeconds ?? (span <= 2 * 86_400 ? 3600 : max(86_400, (span / 100 / 86_400).rounded(.up) * 86_400))
        // Nominal lags can fall a little outside the window for imprecise dates: widen to whole bins.
        let lowest = min(rule.minLagSeconds, firstLags.first ?? rule.minLagSeconds)
        let highest = max(rule.maxLagSeconds, firstLags.last ?? rule.maxLagSeconds)
        let lower = (lowest / bin).rounded(.down) * bin
        var histogram = Histogram(lower: lower, upper: max(highest, lower + bin), binWidth: bin)
        for lag in firstLags { histogram.add(lag) }
        return WindowSummary(
            attackCount: attacks.count, responseCount: responses.count,
            followedAttackCount: followed, precededResponseCount: preceded,
            pairCount: windowTotal, uncertainFirstResponseCount: uncertainFirst,
            firstResponseLagQuartilesSeconds: quartiles(firstLags),
            mostRecentAttackLagQuartilesSeconds: quartiles(recentLags),
            firstResponseLagHistogram: histogram)
    }

    func quartiles(_ sorted: [Double]) -> [Double]? {
        guard !sorted.isEmpty else { return nil }
        return [0.25, 0.5, 0.75].map { Quantiles.quantileOfSorted(sorted, $0)! }
    }

    /// Permutation test against chance (event-coincidence analysis, Donges et al. 2016): each
    /// response is moved to a uniformly random start within `[studyStart, studyEnd − its length]`
    /// (its span length and position kept; responses dated to the day, week or month move by
    /// whole days, so they stay on the day grid their dates have and the window keeps its
    /// effective width), and the number of attacks followed by a response is counted again; the p-value is `(1 + #{permuted ≥ observed}) / (1 + permutations)`.
    /// Deterministic for a seed (`SeededGenerator`). `progress` is told how many re-timings
    /// are counted, after each round of them.
    public func permutationTest(
        studyStartSeconds: Double, studyEndSeconds: Double, permutations: Int, seed: UInt64, progress: ((Int) -> Void)? = nil
    ) -> PermutationTest {
        precondition(permutations >= 1 && studyEndSeconds >= studyStartSeconds)
        let observed = followedAttackCount()
        var rng = SeededGenerator(seed: seed)
        var atLeast = 0
        var sum = 0.0, sumSquares = 0.0
        var shuffled = responses
        let firstStudyDay = (studyStartSeconds / 86_400).rounded(.up)
        let dayAligned = (0..<responses.count).map { i in
            responses.endSeconds[i] > responses.startSeconds[i]
                && responses.startSeconds[i].truncatingRemainder(dividingBy: 86_400) == 0
                && (responses.endSeconds[i] - responses.startSeconds[i]).truncatingRemainder(dividingBy: 86_400) == 0
        }
        // With a distance rule, the responses near each attack (positions never move).
        let near = rule.withinMeters == nil ? nil : nearResponses()
        /// The statistic for responses re-timed to `timed`.
        @Sendable func followed(_ timed: TimedPoints) -> Int {
            if let near { return near.followedAttackCount(attacks: attacks, responses: timed, overlap: spansOverlap) }
            return ResponseWindows(attacks: attacks, responses: timed, rule: rule, geodesicDistance: geodesicDistance, reusing: self)
                .followedAttackCount()
        }
        // Re-timings drawn in turn from the one generator, a round of them counted at once on
        // all cores: the same draws, and so the same result, as one by one.
        let round = ParallelMap.processorCount
        var done = 0
        while done < permutations {
            var timings: [TimedPoints] = []
            for _ in 0..<min(round, permutations - done) {
                for i in 0..<responses.count {
                    let length = responses.endSeconds[i] - responses.startSeconds[i]
                    let start: Double
                    if dayAligned[i] {
                        // Dated to the day (or week/month): move by whole days, keeping the day grid.
                        let lastDay = max(firstStudyDay, (studyEndSeconds - length) / 86_400).rounded(.down)
                        start = (firstStudyDay + Double(Int.random(in: 0...Int(lastDay - firstStudyDay), using: &rng))) * 86_400
                    } else {
                        start = studyStartSeconds + rng.nextUnit() * max(0, studyEndSeconds - studyStartSeconds - length)
                    }
                    shuffled.startSeconds[i] = start
                    shuffled.endSeconds[i] = start + length
                }
                timings.append(shuffled)
            }
            let ready = timings
            for n in ParallelMap.map(ready.count, { followed(ready[$0]) }) {
                if n >= observed { atLeast += 1 }
                sum += Double(n)
                sumSquares += Double(n) * Double(n)
            }
            done += ready.count
            progress?(done)
        }
        let mean = sum / Double(permutations)
        let variance = max(0, sumSquares / Double(permutations) - mean * mean)
        return PermutationTest(
            observedFollowedAttacks: observed, permutations: permutations, seed: seed,
            meanFollowedAttacksUnderChance: mean, standardDeviationUnderChance: variance.squareRoot(),
            atLeastObservedCount: atLeast,
            pValue: Double(1 + atLeast) / Double(1 + permutations))
    }

    /// For each attack, the responses within the distance rule's limit (`qualifies`' distance
    /// part: the spherical bounds, then the geodesic), found in the cells near its own
    /// (`SpaceCells`). Nil without a distance rule, when the cells are a large part of the
    /// sphere (one cell), or when the neighbouring cells hold more than `maxCandidates`
    /// responses in all. By default: four times what the sweep looks at in a re-timing (the
    /// responses in the attacks' time windows and near cells, `windowCandidates`, and 16 for
    /// each response, for sorting them into their cells' groups again), and at most 2^25
    /// (128 MB of lists).
    func nearResponses(maxCandidates: Int? = nil) -> NearResponses? {
        guard rule.withinMeters != nil, attackCells.side > 0 else { return nil }
        let limit = maxCandidates ?? min(1 << 25, max(1 << 16, 4 * (windowCandidates() + 16 * responses.count)))
        // The candidates counted first: no distance worked out for lists that would not be kept.
        var candidates = 0
        for cell in 0..<attackCells.count {
            var near = 0
            for k in responseCellsNear.offsets[cell]..<responseCellsNear.offsets[cell + 1] {
                let c = Int(responseCellsNear.cells[k])
                near += responseCells.offsets[c + 1] - responseCells.offsets[c]
            }
            candidates += near * (attackCells.offsets[cell + 1] - attackCells.offsets[cell])
            if candidates > limit { return nil }
        }
        var starts = [0]
        starts.reserveCapacity(attacks.count + 1)
        var found: [Int32] = []
        var mine: [Int32] = []
        for a in 0..<attacks.count {
            let cell = Int(attackCells.cellOf[a])
            for k in responseCellsNear.offsets[cell]..<responseCellsNear.offsets[cell + 1] {
                let c = Int(responseCellsNear.cells[k])
                for r in responseCells.members[responseCells.offsets[c]..<responseCells.offsets[c + 1]] {
                    switch sphericalVerdict(attack: a, response: r) {
                    case -1: continue
                    case 1: mine.append(Int32(r))
                    default: if distanceMeters(attack: a, response: r)! <= rule.withinMeters! { mine.append(Int32(r)) }
                    }
                }
            }
            mine.sort()
            found += mine
            mine.removeAll(keepingCapacity: true)
            starts.append(found.count)
        }
        return NearResponses(starts: starts, responses: found)
    }

    /// The responses in the attacks' time windows and near cells, all attacks together (what
    /// the sweep of `anyResponseIndices` may look at, before any distance).
    func windowCandidates() -> Int {
        var total = 0
        for a in 0..<attacks.count {
            forEachResponseGroup(nearAttackCell: Int(attackCells.cellOf[a])) { g in total += responseRange(forAttack: a, in: g).count }
        }
        return total
    }

    /// A finder for new responses that reuses this one's attack indexes.
    init(
        attacks: TimedPoints, responses: TimedPoints, rule: WindowRule,
        geodesicDistance: @escaping (Double, Double, Double, Double) -> Double, reusing base: ResponseWindows
    ) {
        self.attacks = attacks
        self.responses = responses
        self.rule = rule
        self.geodesicDistance = geodesicDistance
        attackCells = base.attackCells
        responseCells = base.responseCells
        attackGroups = base.attackGroups
        attackCellsNear = base.attackCellsNear
        responseCellsNear = base.responseCellsNear
        attackEndSorted = base.attackEndSorted
        attackEndSortedSpanPrefix = base.attackEndSortedSpanPrefix
        attackStartSorted = base.attackStartSorted
        attackXYZ = base.attackXYZ
        responseXYZ = base.responseXYZ
        (farDot, nearDot) = (base.farDot, base.nearDot)
        responseGroups = CellMidpointGroups(responses, cells: base.responseCells, xyz: base.responseXYZ)
        attackStartOrder = base.attackStartOrder
        attackStartOrderStarts = base.attackStartOrderStarts
        attackStartOrderEnds = base.attackStartOrderEnds
        attackStartOrderXYZ = base.attackStartOrderXYZ
    }
}

/// The responses within a distance rule's limit of each attack (`ResponseWindows.nearResponses`),
/// attack by attack: for the permutation test, whose re-timed responses keep their positions.
struct NearResponses: Sendable {
    /// Attack `a`'s responses are `responses[starts[a]..<starts[a + 1]]`, in index order.
    let starts: [Int]
    let responses: [Int32]

    /// How many attacks have a near response whose span pairs with theirs (`overlap`, the rule's
    /// time test on attack start and end, then response start and end): `followedAttackCount`
    /// for responses timed as given.
    func followedAttackCount(attacks: TimedPoints, responses timed: TimedPoints,
                             overlap: (Double, Double, Double, Double) -> Bool) -> Int {
        var followed = 0
        for a in 0..<(starts.count - 1) {
            let (aS, aE) = (attacks.startSeconds[a], attacks.endSeconds[a])
            for k in starts[a]..<starts[a + 1] {
                let r = Int(responses[k])
                if overlap(aS, aE, timed.startSeconds[r], timed.endSeconds[r]) {
                    followed += 1
                    break
                }
            }
        }
        return followed
    }
}

/// What `ResponseWindows.summary` reports. Lags are nominal (midpoint differences), seconds.
public struct WindowSummary: Hashable, Sendable {
    public var attackCount: Int
    public var responseCount: Int
    /// Attacks followed by at least one response in the window.
    public var followedAttackCount: Int
    /// Responses with at least one attack in their window.
    public var precededResponseCount: Int
    /// All (attack, response) pairs in windows; nil when not counted.
    public var pairCount: Int?
    /// First responses whose lag interval is only partly inside the window (imprecise dates).
    public var uncertainFirstResponseCount: Int
    /// Quartiles (25%, median, 75%) of the lag from each followed attack to its first response.
    public var firstResponseLagQuartilesSeconds: [Double]?
    /// Quartiles of the lag from each preceded response back to its most recent attack.
    public var mostRecentAttackLagQuartilesSeconds: [Double]?
    /// Lags from attacks to their first responses.
    public var firstResponseLagHistogram: Histogram

    /// Share of attacks followed by a response (0 when there are no attacks).
    public var followedShare: Double { attackCount == 0 ? 0 : Double(followedAttackCount) / Double(attackCount) }
    public var precededShare: Double { responseCount == 0 ? 0 : Double(precededResponseCount) / Double(responseCount) }
}

/// The result of `ResponseWindows.permutationTest`.
public struct PermutationTest: Hashable, Sendable {
    public var observedFollowedAttacks: Int
    public var permutations: Int
    public var seed: UInt64
    public var meanFollowedAttacksUnderChance: Double
    public var standardDeviationUnderChance: Double
    /// Permutations whose statistic was at least the observed one.
    public var atLeastObservedCount: Int
    /// `(1 + atLeastObservedCount) / (1 + permutations)`: never 0, as a permutation p-value must be.
    public var pValue: Double
}

/// Events of similar span length (instants and days; weeks; months; longer) sorted by
/// midpoint: a range of the arrays of their side's `CellMidpointGroups`. Searching each group
/// with its own widest half-span keeps the candidate ranges tight when a few month-dated
/// events sit among many day-dated ones.
struct MidpointGroup: Sendable {
    /// The group's positions in the arrays.
    var range: Range<Int>
    var maxHalfSeconds: Double

    /// The group (0…3) of a span `lengthSeconds` long: up to a day, a week, a month, longer.
    @inline(__always)
    static func spanClass(lengthSeconds length: Double) -> Int {
        length <= 86_400 ? 0 : length <= 8 * 86_400 ? 1 : length <= 32 * 86_400 ? 2 : 3
    }
}
