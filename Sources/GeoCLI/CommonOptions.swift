import ArgumentParser
import GeoCore

/// The formats commands write. Each command writes some of them (`OutputOptions.resolvedFormat`).
public enum OutputFormat: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// A FeatureCollection.
    case geojson
    /// RFC 8142 GeoJSON text sequence.
    case geojsonseq
    /// The project's event CSV, or a command's table as CSV.
    case csv
    /// ACLED's export layout.
    case acled
    /// A JSON report.
    case json
    /// A report to read.
    case text
    /// Aligned columns to read.
    case table
    /// OGC GeoPackage (through GDAL).
    case gpkg
    /// FlatGeobuf (through GDAL).
    case fgb
    /// ESRI Shapefile and its sidecar files (through GDAL).
    case shp

    /// The formats a file extension names, most likely first (`.json` is JSON, else GeoJSON).
    static func named(byExtension ext: String) -> [OutputFormat] {
        switch ext.lowercased() {
        case "geojson": [.geojson]
        case "geojsons": [.geojsonseq]
        case "json": [.json, .geojson]
        case "csv": [.csv, .acled]
        case "txt", "text": [.text, .table]
        case "gpkg": [.gpkg]
        case "fgb": [.fgb]
        case "shp": [.shp]
        default: []
        }
    }

    /// The usual extension of files of this format.
    var fileExtension: String {
        switch self {
        case .geojson: "geojson"
        case .geojsonseq: "geojsons"
        case .csv, .acled: "csv"
        case .json: "json"
        case .text, .table: "txt"
        case .gpkg: "gpkg"
        case .fgb: "fgb"
        case .shp: "shp"
        }
    }
}

/// `-o/--output` and `--format`, shared by commands that write data.
public struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output file; - for standard output.", valueName: "file"))
    public var output: String = "-"

    @Option(help: ArgumentHelp("Output format; by default taken from the output file's extension.", valueName: "format"))
    public var format: OutputFormat?

    @Option(help: ArgumentHelp("Decimals written for GeoJSON coordinates (0–15; 6 ≈ 0.1 m).", valueName: "n"))
    public var precision: Int = 6

    public init() {}

    public func validate() throws {
        guard (0...15).contains(precision) else {
            throw ValidationError("--precision must be between 0 and 15, got \(precision)")
        }
    }

    /// The chosen format among `allowed` (the command's formats, the default first): `--format`,
    /// else the output file's extension, else the first. An extension that names no format the
    /// command writes (`cluster -o clusters.gpkg`, `cluster -o clusters.csv`, `escalation -o esc.png`) is a
    /// usage error listing what it writes: one format is never written under another's name.
    func resolvedFormat(_ allowed: [OutputFormat]) throws -> OutputFormat {
        let writes = allowed.map { "\($0.rawValue) (.\($0.fileExtension))" }.joined(separator: ", ")
        if let format {
            guard allowed.contains(format) else { throw ValidationError("--format \(format.rawValue): this command writes \(writes)") }
            return format
        }
        let name = output.split(separator: "/").last.map(String.init) ?? output
        if output != "-", let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let ext = String(name[name.index(after: dot)...])
            if let format = OutputFormat.named(byExtension: ext).first(where: allowed.contains) { return format }
            throw ValidationError("cannot write '\(name)': this command writes \(writes); name the file so or say --format")
        }
        return allowed[0]
    }

    var encoder: GeoJSONEncoder { GeoJSONEncoder(coordinateDecimals: precision) }
}
