import ArgumentParser
import Foundation
import GeoCore
import GeoText

extension GeoCommand {
    /// `geo geoparse`: every place a report names, resolved in context (the work is `Geoparser`'s).
    public struct GeoparseCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "geoparse",
            abstract: "Find and resolve the places named in reports (running text), offline.",
            discussion: """
                Each mention has its text and offsets (Unicode scalars, end exclusive), the place chosen \
                (name, lat, lon, country, kind, geo_precision, geonames_id, id), a score, a role (place, \
                dateline, context) and the alternatives considered. "20 km east of X" is placed at the \
                displaced point (precision 2), "near X" at X (precision 2), "eastern Syria" and provinces \
                at precision 3. Documents are processed one at a time; folders are read for *.txt files.
                """
        )

        @Argument(help: ArgumentHelp("Text files or folders of .txt files; - for standard input.", valueName: "file"))
        var files: [String]

        @Option(name: .customLong("country-hint"), help: ArgumentHelp("Countries the texts are about (ISO alpha-2, comma-separated).", valueName: "SY,IQ"))
        var countryHint: String?

        @Flag(help: "Print the reason for each choice and the document's country focus.")
        var explain = false

        @OptionGroup var gazetteer: GazetteerOptions
        @OptionGroup var output: OutputOptions

        public init() {}

        var hints: [String] { (countryHint ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() } }

        public func validate() throws {
            for h in hints where h.count != 2 || !h.allSatisfy(\.isLetter) {
                throw ValidationError("--country-hint takes two-letter ISO codes such as SY,IQ, got '\(h)'")
            }
            try OutputSafety.check(inputs: files, outputs: [("-o", output.output)])
        }

        public func run() throws {
            let format = try output.resolvedFormat([.json, .geojson, .text])
            let paths = try GeoparseInputs.expand(files)
            let parser = Geoparser(gazetteer: try gazetteer.load())
            let options = GeoparseOptions(countryHints: hints, explain: explain)
            let features = format == .geojson ? try FeatureOutput(output, sequence: false) : nil
            let sink = features == nil ? try Console.current.sink(forOutput: output.output) : nil
            var failed: [String] = []
            if format == .json { try sink?.write("[") }
            for (i, path) in paths.enumerated() {
                // One document at a time: memory follows the largest document, not their number.
                let document: GeoparseRendering.Document
                do {
                    let input = try InputFile(path: path)
                    let result = try input.withUnsafeBytes { raw in
                        let (text, warnings) = try TextInput.decode(raw)
                        var r = parser.parse(text, options: options)
                        r.warnings = warnings + r.warnings
                        return r
                    }
                    document = .init(path: input.name, result: result)
                } catch {
                    document = .init(path: path == "-" ? "<stdin>" : path, result: nil, error: "\(error)")
                    failed.append("\(document.path): \(error)")
                }
                switch format {
                case .geojson: for f in GeoparseRendering.features([document], explain: explain) { try features!.write(f) }
                case .text: try sink!.write(GeoparseRendering.text([document], explain: explain))
                default:
                    try sink!.write(i == 0 ? "\n" : ",\n")
                    try GeoparseRendering.writeDocument(document, explain: explain, to: sink!)
                }
            }
            if format == .json { try sink?.write(paths.isEmpty ? "]\n" : "\n]\n") }
            try features?.finish()
            try sink?.flush()
            for f in failed { Console.current.printError("geoparse: \(f)") }
            if !failed.isEmpty { throw ExitCode(1) }
        }
    }
}

/// The documents named on the command line: files as given, folders as their `.txt` files
/// (sorted, not recursive), `-` as standard input.
enum GeoparseInputs {
    static func expand(_ arguments: [String]) throws -> [String] {
        var paths: [String] = []
        for a in arguments {
            var isDirectory: ObjCBool = false
            if a != "-", FileManager.default.fileExists(atPath: a, isDirectory: &isDirectory), isDirectory.boolValue {
                let names = try FileManager.default.contentsOfDirectory(atPath: a).filter { $0.hasSuffix(".txt") }.sorted()
                if names.isEmpty { throw CommandError("\(a): a folder without .txt files") }
                paths += names.map { (a.hasSuffix("/") ? a : a + "/") + $0 }
            } else if a != "-", !FileManager.default.fileExists(atPath: a) {
                throw CommandError("\(a): no such file")
            } else {
                paths.append(a)
            }
        }
        return paths
    }
}
