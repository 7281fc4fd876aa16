/// One thing wrong (or doubtful) in a GeoJSON text, with where it is.
public struct GeoJSONProblem: Hashable, Sendable, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable {
        case error
        case warning
    }

    /// Stable problem codes, used by `geo validate` and its fixtures.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        case invalidJSON = "invalid-json"
        case wrongType = "wrong-type"
        case unknownType = "unknown-type"
        case missingMember = "missing-member"
        case badPosition = "bad-position"
        case coordinateOutOfRange = "coordinate-out-of-range"
        case lineTooShort = "line-too-short"
        case unclosedRing = "unclosed-ring"
        case ringTooShort = "ring-too-short"
        case badBBox = "bad-bbox"
        case propertiesNotObject = "properties-not-object"
        case badID = "bad-id"
        // Warnings.
        case winding = "winding"
        case crsMember = "crs-member"
        case extraPositionValues = "extra-position-values"
        case missingProperties = "missing-properties"
        case longitudeWrapped = "longitude-wrapped"
    }

    public var severity: Severity
    public var code: Code
    /// Where: a JSON path such as `features[3].geometry.coordinates[0]`.
    public var path: JSONPath
    /// For syntax errors, the 1-based line and column.
    public var line: Int?
    public var column: Int?
    public var message: String

    public init(
        _ severity: Severity, _ code: Code, at path: JSONPath, _ message: String,
        line: Int? = nil, column: Int? = nil
    ) {
        self.severity = severity
        self.code = code
        self.path = path
        self.message = message
        self.line = line
        self.column = column
    }

    /// `features[3].geometry: error [unclosed-ring] …` or `line 4, column 2: error [invalid-json] …`.
    public var description: String {
        let location = line.map { "line \($0), column \(column ?? 0)" } ?? path.description
        return "\(location): \(severity.rawValue) [\(code.rawValue)] \(message)"
    }
}

/// A GeoJSON reading failure: the first error found, with its location.
public struct GeoJSONError: Error, Hashable, Sendable, CustomStringConvertible {
    public var problem: GeoJSONProblem
    /// The index of the feature in its collection (or the line's record number for GeoJSONSeq),
    /// when the problem is inside a feature.
    public var featureIndex: Int?

    public init(problem: GeoJSONProblem, featureIndex: Int? = nil) {
        self.problem = problem
        self.featureIndex = featureIndex
    }

    public var description: String {
        if let featureIndex, problem.line == nil, problem.path.components.first != .key("features") {
            return "feature \(featureIndex): \(problem.description)"
        }
        return problem.description
    }
}
