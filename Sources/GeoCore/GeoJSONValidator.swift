/// Checks a GeoJSON text against RFC 7946 and reports every problem with its location.
///
/// Errors: invalid JSON, wrong member types, unknown types, missing members, bad positions,
/// coordinates outside WGS84 ranges, short lines, unclosed or short rings, malformed bbox,
/// non-object properties, bad ids. Warnings: rings against the right-hand rule, a legacy
/// `crs` member, positions with more than three values, features without `properties`.
public enum GeoJSONValidator {
    public struct Report: Sendable {
        public var problems: [GeoJSONProblem]
        public var errors: [GeoJSONProblem] { problems.filter { $0.severity == .error } }
        public var warnings: [GeoJSONProblem] { problems.filter { $0.severity == .warning } }
        /// Valid means no errors; warnings are allowed.
        public var isValid: Bool { errors.isEmpty }
        /// What the document holds, when it could be decoded.
        public var summary: String?
    }

    public static func validate(_ bytes: some Collection<UInt8>) -> Report {
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            return Report(problems: [GeoJSONReader.syntaxProblem(error)])
        }
        var decoder = GeoJSONDecoder(stopAtFirstError: false, checkCoordinateRange: true, checkWinding: true)
        // Collecting mode never throws.
        let object = try? decoder.object(value)
        var summary: String?
        switch object {
        case .featureCollection(let fc)?: summary = "FeatureCollection with \(fc.features.count) feature\(fc.features.count == 1 ? "" : "s")"
        case .feature(let f)?: summary = "Feature (\(f.geometry?.typeName ?? "null geometry"))"
        case .geometry(let g)?: summary = g.typeName
        case nil: summary = nil
        }
        return Report(problems: decoder.problems, summary: summary)
    }

    /// Checks a GeoJSONSeq / newline-delimited text record by record (RFC 8142 separators
    /// allowed): each record's problems, their messages prefixed by the record's line; the
    /// summary counts the records. Blank lines are not records.
    public static func validateSequence(_ bytes: some Collection<UInt8>) -> Report {
        var problems: [GeoJSONProblem] = []
        var records = 0
        var lineNumber = 0
        for rawLine in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let record = rawLine.filter { $0 != 0x1E }
            if record.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            records += 1
            for var p in validate(record).problems {
                p.message = "line \(lineNumber): " + p.message
                if p.line != nil { p.line = lineNumber }
                problems.append(p)
            }
        }
        return Report(problems: problems, summary: "\(records) record\(records == 1 ? "" : "s")")
    }
}
