import ArgumentParser
import GeoCore
import GeoEvents

/// Options of commands that read a point layer: events in any supported format, or plain
/// GeoJSON points.
public struct LayerInputOptions: ParsableArguments {
    @OptionGroup public var inputFormat: InputFormatOptions

    @Flag(help: "Read numeric dates such as 01/02/2024 month first (2 January); day first by default.")
    public var monthFirst = false

    public init() {}

    var dateParser: DateParser { DateParser(monthFirst: monthFirst) }
}

/// A point layer read from one input, features in input order with their properties as read,
/// coordinates in contiguous arrays (degrees), and each feature's time span when it has an
/// `event_date` property.
struct PointLayer {
    /// The file name as given (`-` for standard input).
    var sourceName: String
    var features: [Feature]
    /// Longitude of each feature's point, degrees.
    var longitudes: [Double]
    /// Latitude of each feature's point, degrees.
    var latitudes: [Double]
    /// From `event_date` / `date_end` / `time_precision`; nil for features without `event_date`.
    var intervals: [EventInterval?]

    var count: Int { features.count }

    /// Reads a GeoJSON FeatureCollection, GeoJSONSeq or newline-delimited file of Point features.
    /// A feature without a point, or with an unreadable date, is an error naming its index.
    static func read(_ path: String, options: LayerInputOptions) throws -> PointLayer {
        let file = try InputFile(path: path)
        var layer = PointLayer(sourceName: path, features: [], longitudes: [], latitudes: [], intervals: [])
        let parser = options.dateParser
        var failure: CommandError?
        var reader = GeoJSONReader()
        let body: (Int, Feature) throws -> Void = { index, feature in
            guard failure == nil else { return }
            guard case .point(let p)? = feature.geometry else {
                let what = feature.geometry.map { "a \($0.typeName)" } ?? "no geometry"
                failure = CommandError("\(path): feature \(index) has \(what); a point layer needs Point geometries")
                return
            }
            do {
                layer.intervals.append(try PointLayer.interval(of: feature, parser: parser))
            } catch {
                failure = CommandError("\(path): feature \(index): \(error)")
                return
            }
            layer.features.append(feature)
            layer.longitudes.append(p.x)
            layer.latitudes.append(p.y)
        }
        try file.withUnsafeBytes { buffer in
            switch options.inputFormat.format(for: path) {
            case .geojson: try reader.forEachFeature(in: buffer, body)
            case .geojsonseq, .geojsonl: try reader.forEachSeqFeature(in: buffer, body)
            }
        }
        if let failure { throw failure }
        return layer
    }

    /// The time span of a feature from its `event_date`, `date_end` and `time_precision`
    /// properties; nil when it has no `event_date`.
    static func interval(of feature: Feature, parser: DateParser) throws -> EventInterval? {
        guard let raw = feature[property: "event_date"], raw != .null else { return nil }
        guard let text = raw.stringValue else { throw CommandError("event_date must be a string, got \(raw.typeName)") }
        let start = try parser.parse(text)
        var end: EventDate?
        if let e = feature[property: "date_end"]?.stringValue, !e.isEmpty { end = try parser.parse(e).date }
        var precision = start.precision
        if let p = feature[property: "time_precision"], p != .null {
            guard let n = p.numberValue ?? p.stringValue.flatMap(Double.init), let declared = TimePrecision(rawValue: Int(n)),
                  Double(declared.rawValue) == n
            else { throw CommandError("time_precision must be 1, 2 or 3, got \(p.preview)") }
            precision = max(precision, declared)
        }
        return EventInterval(date: start.date, end: end, precision: precision)
    }
}
