import ArgumentParser
import GeoCore

/// `-o/--output` and `--format`, shared by commands that write data.
public struct OutputOptions: ParsableArguments {
    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Output file; - for standard output.", valueName: "file"))
    public var output: String = "-"

    @Option(help: ArgumentHelp("Output format; by default taken from the output file's extension.", valueName: "format"))
    public var format: String?

    @Option(help: ArgumentHelp("Decimals written for GeoJSON coordinates (0–15; 6 ≈ 0.1 m).", valueName: "n"))
    public var precision: Int = 6

    public init() {}

    public func validate() throws {
        guard (0...15).contains(precision) else {
            throw ValidationError("--precision must be between 0 and 15, got \(precision)")
        }
    }

    /// The chosen format among `allowed`: `--format`, else the output extension, else `fallback`.
    func resolvedFormat(allowed: [String], fallback: String, extensions: [String: String] = [:]) throws -> String {
        if let format {
            let lower = format.lowercased()
            guard allowed.contains(lower) else {
                throw ValidationError("unknown --format '\(format)'; use one of: \(allowed.joined(separator: ", "))")
            }
            return lower
        }
        if output != "-", let dot = output.lastIndex(of: ".") {
            let ext = output[output.index(after: dot)...].lowercased()
            if let mapped = extensions[ext], allowed.contains(mapped) { return mapped }
            if allowed.contains(ext) { return ext }
        }
        return fallback
    }

    var encoder: GeoJSONEncoder { GeoJSONEncoder(coordinateDecimals: precision) }
}

/// An input file and how to read it, shared by commands that read data.
public struct InputOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("Input file; - for standard input.", valueName: "file"))
    public var input: String

    @Option(
        name: .customLong("input-format"),
        help: ArgumentHelp("Input format (geojson, geojsonseq, geojsonl); by default from the extension.", valueName: "format"))
    public var inputFormat: String?

    public init() {}

    public func validate() throws {
        if let inputFormat, GeoJSONFormat(rawValue: inputFormat.lowercased()) == nil {
            throw ValidationError("unknown --input-format '\(inputFormat)'; use one of: \(GeoJSONFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    /// The format to read `input` as: `--input-format`, else the extension, else GeoJSON.
    var resolvedFormat: GeoJSONFormat {
        if let inputFormat, let f = GeoJSONFormat(rawValue: inputFormat.lowercased()) { return f }
        return GeoJSONFormat.from(path: input) ?? .geojson
    }
}
