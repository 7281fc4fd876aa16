import ArgumentParser
import GeoCore

/// `--input-format`, shared by commands that read GeoJSON-family files. Without it the format
/// comes from each file's extension (`.geojsons` RFC 8142 sequence, `.geojsonl`/`.ndjson`
/// newline-delimited), and plain GeoJSON otherwise (also for `-`, standard input).
public struct InputFormatOptions: ParsableArguments {
    @Option(
        name: .customLong("input-format"),
        help: ArgumentHelp("geojson, geojsonseq or geojsonl; by default from each file's extension.", valueName: "format"))
    public var inputFormat: String?

    public init() {}

    public func validate() throws {
        if let inputFormat, GeoJSONFormat(rawValue: inputFormat.lowercased()) == nil {
            throw ValidationError("unknown --input-format '\(inputFormat)'; use one of: \(GeoJSONFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The format to read `path` as.
    public func format(for path: String) -> GeoJSONFormat {
        if let inputFormat, let f = GeoJSONFormat(rawValue: inputFormat.lowercased()) { return f }
        return GeoJSONFormat.from(path: path) ?? .geojson
    }
}

/// `--format text|json`, shared by commands that print a report rather than data.
public struct ReportFormatOptions: ParsableArguments {
    @Option(help: ArgumentHelp("text (default) or json.", valueName: "format"))
    public var format: String = "text"

    public init() {}

    public func validate() throws {
        guard ["text", "json"].contains(format) else {
            throw ValidationError("unknown --format '\(format)'; use text or json")
        }
    }

    var isJSON: Bool { format == "json" }
}
