import ArgumentParser
import GeoCore

extension GeoCommand {
    /// `geo validate FILE...`: RFC 7946 checks, one line per problem.
    public struct ValidateCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "validate",
            abstract: "Check GeoJSON files against RFC 7946; one line per problem with its location.",
            discussion: """
                Errors: invalid JSON, wrong member types, unknown types, missing members, bad \
                positions, coordinates outside −180…180 / −90…90, lines with fewer than 2 positions, \
                unclosed rings or rings with fewer than 4 positions, malformed bbox, properties that \
                are not an object, ids that are not a string or number.
                Warnings: rings against the right-hand rule, a legacy crs member, positions with more \
                than 3 values, features without properties.
                GeoJSONSeq / newline-delimited files (.geojsons, .geojsonl, .ndjson) are checked \
                record by record.
                Exit status: 0 all valid (warnings allowed), 1 some file invalid, 2 a file could not be read.
                """
        )

        @Argument(help: ArgumentHelp("GeoJSON files; - for standard input.", valueName: "file"))
        var files: [String]

        @OptionGroup var input: InputFormatOptions

        @Flag(name: .shortAndLong, help: "Print errors only, not warnings or the per-file summary.")
        var quiet = false

        @OptionGroup var report: ReportFormatOptions

        public init() {}

        public func run() throws {
            let console = Console.current
            var anyInvalid = false
            var anyUnreadable = false
            var jsonReports: [JSONValue] = []
            for path in files {
                let file: InputFile
                do {
                    file = try InputFile(path: path)
                } catch {
                    console.printError("error: \(error)")
                    anyUnreadable = true
                    continue
                }
                let kind = input.format(for: path)
                let checked = file.withUnsafeBytes { buffer in
                    kind == .geojson ? GeoJSONValidator.validate(buffer: buffer, releasing: { file.releasePages(before: $0) })
                        : GeoJSONValidator.validateSequence(buffer: buffer, releasing: { file.releasePages(before: $0) })
                }
                let (problems, summary) = (checked.problems, checked.summary)
                let errors = problems.filter { $0.severity == .error }.count
                let warnings = problems.count - errors
                if errors > 0 { anyInvalid = true }
                if report.isJSON {
                    jsonReports.append([
                        "file": .string(file.name),
                        "valid": .bool(errors == 0),
                        "errors": .integer(Int64(errors)),
                        "warnings": .integer(Int64(warnings)),
                        "problems": .array(problems.filter { !quiet || $0.severity == .error }.map(Self.json)),
                    ])
                    continue
                }
                for problem in problems where !quiet || problem.severity == .error {
                    console.print("\(file.name): \(problem)")
                }
                if !quiet {
                    let counts = "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
                    let what = summary.map { "\($0); " } ?? ""
                    console.print("\(file.name): \(errors == 0 ? "valid" : "INVALID") (\(what)\(counts))")
                }
            }
            if report.isJSON {
                var w = JSONWriter()
                w.append(.array(jsonReports))
                w.appendByte(UInt8(ascii: "\n"))
                try console.write(w.bytes)
            }
            if anyUnreadable { throw ExitCode(2) }
            if anyInvalid { throw ExitCode(1) }
        }

        static func json(_ p: GeoJSONProblem) -> JSONValue {
            var o: JSONValue = [
                "severity": .string(p.severity.rawValue),
                "code": .string(p.code.rawValue),
                "path": .string(p.path.description),
                "message": .string(p.message),
            ]
            if let line = p.line, case .object(var members) = o {
                members["line"] = .integer(Int64(line))
                members["column"] = .integer(Int64(p.column ?? 0))
                o = .object(members)
            }
            return o
        }
    }
}
