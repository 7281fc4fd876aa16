import GeoCore
import GeoEvents
import GeoLayers

/// Why a timeline cannot be drawn from its inputs (a pairs file that is no `geo windows`
/// output, a bad tally row, no `rsvg-convert`); the message names the file and line.
public struct TimelineError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// One attack → response pair of a `geo windows` output (a `layer: pairs` LineString).
public struct TimelinePair: Hashable, Sendable {
    public var attackID: String
    public var responseID: String
    /// The middle of each event's date span (its day, or its week or month when dated so),
    /// seconds since 1970-01-01 UTC.
    public var attackSeconds: Double
    public var responseSeconds: Double
    /// `lag_days` as written (difference of the midpoints).
    public var lagDays: Double

    public init(attackID: String, responseID: String, attackSeconds: Double, responseSeconds: Double, lagDays: Double) {
        self.attackID = attackID
        self.responseID = responseID
        self.attackSeconds = attackSeconds
        self.responseSeconds = responseSeconds
        self.lagDays = lagDays
    }

    /// The pairs of a `geo windows` GeoJSON output, in file order: the features with
    /// `layer: pairs` and direction attack→response (response→counter-attack pairs, written
    /// with `--both-directions`, are counted in `skipped`). Throws when the file holds no pair
    /// layer or a pair lacks its ids or dates.
    public static func read(path: String) throws -> (pairs: [TimelinePair], skipped: Int) {
        let input: InputFile
        do { input = try InputFile(path: path) } catch { throw TimelineError("\(path): \(error)") }
        var pairs: [TimelinePair] = [], skipped = 0, sawPairLayer = false
        var reader = GeoJSONReader()
        do {
            try input.withUnsafeBytes { buffer in
                _ = try reader.forEachFeature(in: buffer) { index, feature in
                    guard feature[property: EventLayer.layerProperty]?.stringValue == WindowsReport.pairsLayer else { return }
                    sawPairLayer = true
                    guard feature[property: "attack_id"] != nil, feature[property: "response_id"] != nil else {
                        skipped += 1  // response → counter-attack
                        return
                    }
                    pairs.append(try pair(feature, index: index, file: input.name))
                }
            }
        } catch let error as TimelineError {
            throw error
        } catch {
            throw TimelineError("\(input.name): \(error)")
        }
        guard sawPairLayer else {
            throw TimelineError("\(input.name): no pairs (features with \"layer\": \"pairs\"); give the GeoJSON output of geo windows")
        }
        return (pairs, skipped)
    }

    static func pair(_ feature: Feature, index: Int, file: String) throws -> TimelinePair {
        func text(_ key: String) throws -> String {
            guard let value = feature[property: key], let text = value.stringValue ?? value.numberValue.map(Format.shortest) else {
                throw TimelineError("\(file): pair \(index + 1) (feature \(index)) has no \(key)")
            }
            return text
        }
        func seconds(_ key: String) throws -> Double {
            let raw = try text(key)
            do {
                let parsed = try DateParser().parse(raw)
                return EventInterval(date: parsed.date, precision: parsed.precision).midpointSeconds
            } catch {
                throw TimelineError("\(file): pair \(index + 1) (feature \(index)): \(key): \(error)")
            }
        }
        let from = try seconds("from_date"), to = try seconds("to_date")
        let lag = feature[property: "lag_days"]?.numberValue ?? (to - from) / 86_400
        return TimelinePair(attackID: try text("attack_id"), responseID: try text("response_id"),
                            attackSeconds: from, responseSeconds: to, lagDays: lag)
    }
}

/// A published cumulative count: by `day` (days since 1970-01-01, the count as of the end of
/// that day) `total` events, according to `source`.
public struct TimelineTally: Hashable, Sendable {
    public var day: Int
    public var total: Double
    public var source: String

    public init(day: Int, total: Double, source: String) {
        self.day = day
        self.total = total
        self.source = source
    }

    /// Reads a tallies CSV: columns `date,total,source` (a header row with those names, in any
    /// order, or no header and that order), one row per published count. A date must name a
    /// day; a total must be a number ≥ 0; a source must be given. Each bad row is an error
    /// naming the file and line.
    public static func parse(csv text: String, name: String) throws -> [TimelineTally] {
        let records: [CSV.Record]
        do { records = try CSV.parse(text) } catch { throw TimelineError("\(name): \(error)") }
        guard let first = records.first else { throw TimelineError("\(name): no tallies (expected CSV rows date,total,source)") }
        var columns = (date: 0, total: 1, source: 2)
        var rows = records[...]
        let header = first.fields.map { $0.trimmingSpaces.lowercased() }
        if header.contains("date") || header.contains("total") {
            guard let d = header.firstIndex(of: "date"), let t = header.firstIndex(of: "total"), let s = header.firstIndex(of: "source") else {
                throw TimelineError("\(name): line \(first.line): the header needs the columns date, total and source; found \(first.fields.joined(separator: ", "))")
            }
            columns = (d, t, s)
            rows = rows.dropFirst()
        }
        let width = max(columns.date, columns.total, columns.source) + 1
        var tallies: [TimelineTally] = []
        for record in rows {
            let fields = record.fields.map(\.trimmingSpaces)
            if fields.allSatisfy(\.isEmpty) { continue }
            func bad(_ why: String) -> TimelineError { TimelineError("\(name): line \(record.line): \(why)") }
            guard fields.count >= width else { throw bad("expected \(width) fields (date,total,source), found \(fields.count)") }
            let parsed: ParsedDate
            do { parsed = try DateParser().parse(fields[columns.date]) } catch { throw bad("\(error)") }
            guard parsed.precision == .day else { throw bad("date '\(fields[columns.date])' names a \(parsed.precision.word), not a day") }
            guard let total = Double(fields[columns.total]), total.isFinite, total >= 0 else {
                throw bad("total '\(fields[columns.total])' is not a number ≥ 0")
            }
            let source = fields[columns.source]
            guard !source.isEmpty else { throw bad("no source (whose count is it?)") }
            tallies.append(TimelineTally(day: parsed.date.daysSinceEpoch, total: total, source: source))
        }
        guard !tallies.isEmpty else { throw TimelineError("\(name): no tallies (expected CSV rows date,total,source)") }
        return tallies
    }

    /// Reads a tallies file (`parse(csv:name:)`).
    public static func read(path: String) throws -> [TimelineTally] {
        let input: InputFile
        do { input = try InputFile(path: path) } catch { throw TimelineError("\(path): \(error)") }
        let text = input.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
        return try parse(csv: text, name: input.name)
    }
}
