import GeoCore
import GeoProj
import GeoTemporal

/// 1M synthetic events over six years (2020–2025) in the Iraq–Syria box: half attacks, half
/// responses; 88% dated to the day, 5% exact times, 5% to the week, 2% to the month.
struct SyntheticEvents {
    var attacks: TimedPoints
    var responses: TimedPoints
    var all: TimedPoints
    /// Split of each event in `all` (4 values) and its fatalities.
    var splits: [Int]
    var fatalities: [Double]
    var firstDay: Int
    var lastDay: Int

    init(count n: Int) {
        var rng = SeededGenerator(seed: 20_231_017)
        let day = 86_400.0
        firstDay = UTCCalendar.daysSinceEpoch(year: 2020, month: 1, day: 1)
        lastDay = UTCCalendar.daysSinceEpoch(year: 2025, month: 12, day: 31)
        var starts = [Double](), ends = [Double](), lons = [Double](), lats = [Double]()
        starts.reserveCapacity(n); ends.reserveCapacity(n); lons.reserveCapacity(n); lats.reserveCapacity(n)
        splits = []
        fatalities = []
        for i in 0..<n {
            let d = Double(Int.random(in: firstDay...lastDay, using: &rng))
            let kind = Int.random(in: 0..<100, using: &rng)
            switch kind {
            case 0..<88: starts.append(d * day); ends.append(d * day + day)
            case 88..<93: let t = d * day + Double(Int.random(in: 0..<86_400, using: &rng)); starts.append(t); ends.append(t)
            case 93..<98: starts.append((d - 3) * day); ends.append((d + 4) * day)
            default:
                let c = UTCCalendar.civilDate(daysSinceEpoch: Int(d))
                let first = UTCCalendar.daysSinceEpoch(year: c.year, month: c.month, day: 1)
                let next = c.month == 12 ? UTCCalendar.daysSinceEpoch(year: c.year + 1, month: 1, day: 1)
                    : UTCCalendar.daysSinceEpoch(year: c.year, month: c.month + 1, day: 1)
                starts.append(Double(first) * day); ends.append(Double(next) * day)
            }
            lons.append(Double.random(in: 36...49, using: &rng))
            lats.append(Double.random(in: 29...38, using: &rng))
            splits.append(i % 4)
            fatalities.append(Double(Int.random(in: 0..<4, using: &rng)))
        }
        all = TimedPoints(startSeconds: starts, endSeconds: ends, longitudes: lons, latitudes: lats)
        func part(_ even: Bool) -> TimedPoints {
            let idx = stride(from: even ? 0 : 1, to: n, by: 2)
            return TimedPoints(startSeconds: idx.map { starts[$0] }, endSeconds: idx.map { ends[$0] },
                               longitudes: idx.map { lons[$0] }, latitudes: idx.map { lats[$0] })
        }
        attacks = part(true)
        responses = part(false)
    }

    var studyStartSeconds: Double { Double(firstDay - 31) * 86_400 }
    var studyEndSeconds: Double { Double(lastDay + 32) * 86_400 }
}

let temporalBenchmarks: [Benchmark] = [
    // Index + every attack's first response + every response's most recent attack and window
    // count, 14-day window, no distance rule.
    Benchmark(name: "windows-pairing") { options in
        let data = SyntheticEvents(count: options.points)
        let g = Geodesic.wgs84
        var followed = 0
        let seconds = bestSeconds(options.repeats) {
            let w = ResponseWindows(attacks: data.attacks, responses: data.responses, rule: WindowRule(maxLagSeconds: 14 * 86_400)) {
                g.inverseUnchecked(latitude1: $0, longitude1: $1, latitude2: $2, longitude2: $3).distanceMeters
            }
            followed = w.summary().followedAttackCount
        }
        precondition(followed > 0)
        emit("windows-pairing", Double(data.all.count) / seconds, "events/s", n: data.all.count)
    },
    // The same with --within 300km (PROJ geodesics behind a spherical bound); window counts skipped.
    Benchmark(name: "windows-within") { options in
        let data = SyntheticEvents(count: options.points)
        let g = Geodesic.wgs84
        var followed = 0
        let seconds = bestSeconds(options.repeats) {
            let w = ResponseWindows(
                attacks: data.attacks, responses: data.responses, rule: WindowRule(maxLagSeconds: 14 * 86_400, withinMeters: 300_000)
            ) {
                g.inverseUnchecked(latitude1: $0, longitude1: $1, latitude2: $2, longitude2: $3).distanceMeters
            }
            followed = w.summary(countWindows: false).followedAttackCount
        }
        precondition(followed > 0)
        emit("windows-within", Double(data.all.count) / seconds, "events/s", n: data.all.count)
    },
    // Permutation test: re-timings per second (each re-sorts the responses and recounts).
    Benchmark(name: "windows-permutation") { options in
        let data = SyntheticEvents(count: options.points)
        let w = ResponseWindows(attacks: data.attacks, responses: data.responses, rule: WindowRule(maxLagSeconds: 14 * 86_400)) { _, _, _, _ in 0 }
        let permutations = 9
        var p = 0.0
        let seconds = bestSeconds(options.repeats) {
            p = w.permutationTest(studyStartSeconds: data.studyStartSeconds, studyEndSeconds: data.studyEndSeconds,
                                  permutations: permutations, seed: 1).pValue
        }
        precondition(p > 0)
        emit("windows-permutation", Double(permutations) / seconds, "permutations/s", n: data.all.count)
    },
    // Daily series split four ways (spreading week/month events), derived columns, PELT on the
    // total and each split.
    Benchmark(name: "escalation-series") { options in
        let data = SyntheticEvents(count: options.points)
        var changePoints = 0
        let seconds = bestSeconds(options.repeats) {
            let series = EscalationSeries(
                startSeconds: data.all.startSeconds, endSeconds: data.all.endSeconds, fatalities: data.fatalities,
                splits: data.splits, splitNames: ["militia", "US", "Iran", "unknown"], unit: .day,
                fromDay: data.firstDay, toDay: data.lastDay)
            changePoints = 0
            for counts in [series.totalCounts] + (0..<4).map({ Array(series.counts(split: $0)) }) {
                _ = EscalationSeries.cumulative(counts)
                _ = EscalationSeries.rollingMean(counts, window: 7)
                let segments = PoissonChangePoints.segment(counts, penalty: PoissonChangePoints.bicPenalty(periods: counts.count))
                changePoints += segments.count - 1
            }
        }
        emit("escalation-series", Double(data.all.count) / seconds, "events/s", n: data.all.count)
        FileHandleLite.stderr("escalation-series: \(changePoints) change points in 5 daily series (uniform data: month-spread artefacts only)\n")
    },
]
