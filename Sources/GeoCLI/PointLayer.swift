import ArgumentParser
import GeoCore
import GeoEvents

extension LayerInputOptions {
    var dateParser: DateParser { DateParser(monthFirst: events.monthFirst) }
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

    /// Reads a point layer. GeoJSON inputs keep their features as they are (Point geometries;
    /// `event_date` optional); CSV and ACLED inputs are read as events, geocoded where they lack
    /// coordinates, and turned into features with the event fields as properties.
    /// A feature without a point, an unreadable date or a row that cannot become an event is
    /// an error naming the file and the feature index or line.
    static func read(_ path: String, options: LayerInputOptions) throws -> PointLayer {
        let kind = options.events.inputFormat.flatMap { EventInputKind(rawValue: $0.lowercased()) }
            ?? EventInputKind.from(path: path) ?? (path == "-" ? nil : .geojson)
        switch kind {
        case .csv?, .acled?: return try readEvents(path, options: options)
        case nil:
            // Standard input: look at the first byte.
            let file = try InputFile(path: path)
            let first = file.withUnsafeBytes { $0.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } }
            if first == UInt8(ascii: "{") || first == 0x1E { return try readGeoJSON(file, path: path, kind: first == 0x1E ? .geojsonseq : .geojson, options: options) }
            return try readEvents(file, path: path, options: options)
        case let k?: return try readGeoJSON(try InputFile(path: path), path: path, kind: k, options: options)
        }
    }

    static func readGeoJSON(_ file: InputFile, path: String, kind: EventInputKind, options: LayerInputOptions) throws -> PointLayer {
        var layer = PointLayer(sourceName: path, features: [], longitudes: [], latitudes: [], intervals: [])
        let parser = options.dateParser
        var failure: CommandError?
        var reader = GeoJSONReader()
        let body: (Int, Feature) throws -> Void = { index, feature in
            guard failure == nil else { return }
            guard case .point(let p)? = feature.geometry else {
                let what = feature.geometry.map { "a \($0.typeName)" } ?? "no geometry"
                failure = CommandError("\(path): feature \(index) has \(what); a point layer needs Point geometries (convert events without coordinates with `geo convert` first, which geocodes them)")
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
        do {
            try file.withUnsafeBytes { buffer in
                switch kind {
                case .geojsonseq, .geojsonl: try reader.forEachSeqFeature(in: buffer, body)
                default: try reader.forEachFeature(in: buffer, body)
                }
            }
        } catch let error as GeoJSONError {
            throw CommandError("\(path): \(error)")  // the file, then the line and column
        }
        if let failure { throw failure }
        return layer
    }

    static func readEvents(_ path: String, options: LayerInputOptions) throws -> PointLayer {
        try readEvents(try InputFile(path: path), path: path, options: options)
    }

    static func readEvents(_ file: InputFile, path: String, options: LayerInputOptions) throws -> PointLayer {
        var layer = PointLayer(sourceName: path, features: [], longitudes: [], latitudes: [], intervals: [])
        let reader = try options.events.reader()
        let locator = options.events.locator()
        var problems: [String] = []
        try file.withUnsafeBytes { buffer in
            try reader.forEachRow(in: buffer, source: path) { row in
                do {
                    var event = try row.result.get()
                    _ = try locator.locate(&event)
                    layer.features.append(EventEncoder.feature(event))
                    layer.longitudes.append(event.longitude!)
                    layer.latitudes.append(event.latitude!)
                    layer.intervals.append(event.interval)
                } catch let problem as RowProblem {
                    problems.append("\(path): \(row.position): \(problem)")
                }
            }
        }
        if !problems.isEmpty {
            var message = "\(problems.count) row\(problems.count == 1 ? "" : "s") cannot be used:\n  " + problems.prefix(5).joined(separator: "\n  ")
            if problems.count > 5 { message += "\n  …" }
            message += "\nRun `geo convert \(path) -o events.geojson --rejects rejects.csv` to see every reason and keep the good rows."
            throw CommandError(message)
        }
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
