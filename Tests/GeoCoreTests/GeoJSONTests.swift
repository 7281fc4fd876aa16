import Foundation
import GeoCore
import Testing

/// The fixture with every geometry type, as bytes.
func fixtureBytes(_ name: String) throws -> [UInt8] {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: nil))
    return Array(try Data(contentsOf: url))
}

func readCollection(_ bytes: [UInt8]) throws -> FeatureCollection {
    var reader = GeoJSONReader()
    guard case .featureCollection(let fc) = try reader.read(bytes) else {
        Issue.record("not a FeatureCollection")
        return FeatureCollection()
    }
    return fc
}

@Suite struct GeoJSONRoundTripTests {
    @Test func everyGeometryTypeRoundTripsExactly() throws {
        let original = try readCollection(try fixtureBytes("all-geometry-types.geojson"))
        #expect(original.features.count == 9)
        let written = GeoJSONEncoder().encode(original)
        let back = try readCollection(written)
        // The fixture has at most 5 decimals, so 6-decimal output is exact.
        #expect(back.features == original.features)
        #expect(back.foreignMembers["name"] == original.foreignMembers["name"])
        // Writing again gives the same bytes.
        #expect(GeoJSONEncoder().encode(back) == written)
    }

    @Test(arguments: [0, 3, 6, 9])
    func roundTripIsExactAtTheChosenPrecision(decimals: Int) throws {
        var rng = SystemRandomNumberGenerator()
        let points = (0..<500).map { _ in Position(longitude: .random(in: -180...180, using: &rng), latitude: .random(in: -90...90, using: &rng)) }
        let fc = FeatureCollection(features: [Feature(geometry: .multiPoint(points))])
        let encoder = GeoJSONEncoder(coordinateDecimals: decimals)
        let once = encoder.encode(fc)
        let twice = encoder.encode(try readCollection(once))
        #expect(once == twice)
    }

    /// A point's coordinates are written as a pair in one go; those without a fixed form are
    /// written apart as before (huge ones in the shortest form, NaN and infinities as null), and
    /// heights with their own precision. Every kind of id leads the members.
    @Test func pointsAreWrittenAsBefore() {
        let encoder = GeoJSONEncoder()
        func text(_ p: Position, id: FeatureID? = nil) -> String {
            String(decoding: encoder.encode(Feature(id: id, geometry: .point(p), properties: nil)), as: UTF8.self)
        }
        let head = #"{"type":"Feature","geometry":{"type":"Point","coordinates":"#
        let tail = #"},"properties":null}"#
        #expect(text(Position(longitude: 1e300, latitude: .nan)) == head + "[1e+300,null]" + tail)
        #expect(text(Position(longitude: -.infinity, latitude: 33.25)) == head + "[null,33.25]" + tail)
        #expect(text(Position(longitude: 44.5, latitude: -0.000_000_4)) == head + "[44.5,0]" + tail)
        #expect(text(Position(x: 44.123_456_78, y: 33.1, z: 250.000_1)) == head + "[44.123457,33.1,250.0001]" + tail)
        let idHead = #"{"type":"Feature","id":"#
        let rest = #","geometry":{"type":"Point","coordinates":[1,2]},"properties":null}"#
        #expect(text(Position(longitude: 1, latitude: 2), id: .integer(-7)) == idHead + "-7" + rest)
        #expect(text(Position(longitude: 1, latitude: 2), id: .string("a\"b")) == idHead + #""a\"b""# + rest)
        #expect(text(Position(longitude: 1, latitude: 2), id: .double(3.5)) == idHead + "3.5" + rest)
    }

    @Test func idsBBoxAndForeignMembersSurvive() throws {
        let fc = try readCollection(try fixtureBytes("all-geometry-types.geojson"))
        #expect(fc.features[0].id == .string("albukamal"))
        #expect(fc.features[1].id == .integer(2))
        #expect(fc.features[2].id == .double(3.5))
        #expect(fc.features[4].foreignMembers["source"] == .string("foreign member on a feature"))
        #expect(fc.features[3].properties == nil)
        #expect(fc.features[7].geometry == nil)
        if case .geometryCollection(let parts)? = fc.features[6].geometry, case .point(let p) = parts[0] {
            #expect(p.z == 700.5)
        } else {
            Issue.record("expected a GeometryCollection with a 3-D point")
        }
    }

    @Test func writerAddsBBoxAndDropsCRS() throws {
        var fc = try readCollection(try fixtureBytes("all-geometry-types.geojson"))
        fc.foreignMembers["crs"] = ["type": "name", "properties": ["name": "EPSG:4326"]]
        let text = String(decoding: GeoJSONEncoder().encode(fc), as: UTF8.self)
        #expect(!text.contains("\"crs\""))
        let back = try readCollection(Array(text.utf8))
        #expect(back.bbox == [38.5, 33.4, 44.1, 36.3])
    }

    @Test func polygonsAreWoundByTheRightHandRule() throws {
        // Exterior clockwise, hole counterclockwise: both wrong.
        let exterior = [Position(x: 0, y: 0), Position(x: 0, y: 4), Position(x: 4, y: 4), Position(x: 4, y: 0), Position(x: 0, y: 0)]
        let hole = [Position(x: 1, y: 1), Position(x: 2, y: 1), Position(x: 2, y: 2), Position(x: 1, y: 2), Position(x: 1, y: 1)]
        let bytes = GeoJSONEncoder().encode(Geometry.polygon([exterior, hole]))
        var reader = GeoJSONReader()
        guard case .geometry(.polygon(let rings)) = try reader.read(bytes) else {
            Issue.record("not a polygon")
            return
        }
        #expect(Ring.isCounterclockwise(rings[0]))
        #expect(!Ring.isCounterclockwise(rings[1]))
        #expect(Set(rings[0]) == Set(exterior))
    }

    @Test func streamWriterMatchesTheEncoderAndStreamsBack() throws {
        let fc = try readCollection(try fixtureBytes("all-geometry-types.geojson"))
        let sink = MemorySink()
        let writer = try GeoJSONStreamWriter(sink: sink)
        for f in fc.features { try writer.write(f) }
        try writer.finish()
        #expect(try readCollection(sink.bytes).features == fc.features)
        var streamed: [Feature] = []
        var reader = GeoJSONReader()
        let header = try sink.bytes.withUnsafeBytes { buffer in
            try reader.forEachFeature(in: buffer) { i, f in
                #expect(i == streamed.count)
                streamed.append(f)
            }
        }
        #expect(streamed == fc.features)
        #expect(header.bbox == [38.5, 33.4, 44.1, 36.3])
    }

    @Test(arguments: [true, false])
    func geoJSONSeqRoundTrips(recordSeparator: Bool) throws {
        let fc = try readCollection(try fixtureBytes("all-geometry-types.geojson"))
        let sink = MemorySink()
        let writer = GeoJSONSeqWriter(sink: sink, recordSeparator: recordSeparator)
        for f in fc.features { try writer.write(f) }
        try writer.finish()
        #expect(sink.bytes.filter { $0 == 0x1E }.count == (recordSeparator ? fc.features.count : 0))
        var back: [Feature] = []
        var reader = GeoJSONReader()
        try sink.bytes.withUnsafeBytes { try reader.forEachSeqFeature(in: $0) { _, f in back.append(f) } }
        #expect(back == fc.features)
    }
}

@Suite struct GeoJSONReaderErrorTests {
    func error(reading text: String) -> GeoJSONError? {
        var reader = GeoJSONReader()
        do {
            _ = try reader.read(Array(text.utf8))
            return nil
        } catch {
            return error
        }
    }

    func streamingError(_ text: String) -> Error? {
        var reader = GeoJSONReader()
        do {
            try Array(text.utf8).withUnsafeBytes { try reader.forEachFeature(in: $0) { _, _ in } }
            return nil
        } catch {
            return error
        }
    }

    static let badThird = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","geometry":{"type":"Point","coordinates":[40.9,34.4]},"properties":{}},
          {"type":"Feature","geometry":{"type":"Point","coordinates":[44.0,36.2]},"properties":{}},
          {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]},"properties":{}}
        ]}
        """

    @Test func errorsNameTheFeatureAndThePath() throws {
        for e in [error(reading: Self.badThird), streamingError(Self.badThird) as? GeoJSONError] {
            let e = try #require(e)
            #expect(e.featureIndex == 2)
            #expect(e.problem.code == .unclosedRing)
            #expect(e.problem.path.description == "features[2].geometry.coordinates[0]")
            #expect(e.description.contains("features[2].geometry.coordinates[0]"))
        }
    }

    @Test func syntaxErrorsGiveLineAndColumn() throws {
        let e = try #require(error(reading: "{\"type\":\"Feature\",\n\"geometry\":nul}"))
        #expect(e.problem.code == .invalidJSON)
        #expect(e.problem.line == 2)
        #expect(e.description.hasPrefix("line 2, column 12"))
    }

    @Test func swappedCoordinatesGetAHint() throws {
        let e = try #require(error(reading: #"{"type":"Point","coordinates":[34.4,140.9]}"#))
        #expect(e.problem.code == .coordinateOutOfRange)
        #expect(e.problem.message.contains("swapped"))
    }

    @Test func typeNamesAreCaseSensitiveWithAHint() throws {
        let e = try #require(error(reading: #"{"type":"point","coordinates":[1,2]}"#))
        #expect(e.problem.code == .unknownType)
        #expect(e.problem.message.contains("did you mean \"Point\""))
    }

    /// `seqRecordCount` counts every line end of a slice, with record separators or without
    /// (blank lines, CRLF, a last line without its line end), and the records the reader cuts.
    @Test func seqRecordCountCountsEveryLineEnd() {
        let feature = #"{"type":"Feature","geometry":null,"properties":{}}"#
        let texts = [
            [feature, feature, "", feature].joined(separator: "\n") + "\n",
            [feature, "  ", feature + "\r", feature].joined(separator: "\n"),
            "\n\n" + feature + "\n\n",
            "\u{1E}" + feature + "\n\u{1E}{\"type\":\n\"Feature\",\"geometry\":null,\"properties\":{}}\n\u{1E}" + feature,
            "",
            feature,
        ]
        var wrong: [String] = []
        for text in texts {
            let bytes = Array(text.utf8)
            let usesSeparator = bytes.contains(0x1E)
            let (records, lineEnds) = bytes.withUnsafeBytes { GeoJSONReader().seqRecordCount(in: $0, usesSeparator: usesSeparator) }
            var read = 0
            var reader = GeoJSONReader()
            _ = try? bytes.withUnsafeBytes { buffer in try reader.forEachSeqFeature(in: buffer) { _, _ in read += 1 } }
            if lineEnds != bytes.filter({ $0 == 0x0A }).count || records != read { wrong.append(text) }
        }
        #expect(wrong.isEmpty, "\(wrong)")
    }

    @Test func seqErrorsNameTheRecordAndLine() throws {
        let text = "{\"type\":\"Feature\",\"geometry\":null,\"properties\":{}}\n\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1]},\"properties\":{}}\n"
        var reader = GeoJSONReader()
        #expect {
            try Array(text.utf8).withUnsafeBytes { try reader.forEachSeqFeature(in: $0) { _, _ in } }
        } throws: { error in
            guard let e = error as? GeoJSONError else { return false }
            return e.featureIndex == 1 && e.problem.code == .badPosition
        }
    }
}

@Suite struct GeoJSONValidatorTests {
    @Test func validatorCollectsEveryProblem() {
        let text = """
            {"type":"FeatureCollection","crs":{"type":"name"},"features":[
              {"type":"Feature","geometry":{"type":"Point","coordinates":[600,0]},"properties":[]},
              {"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]},"properties":{}, "id": true}
            ]}
            """
        let report = GeoJSONValidator.validate(Array(text.utf8))
        let codes = Set(report.problems.map(\.code))
        #expect(codes == [.crsMember, .coordinateOutOfRange, .propertiesNotObject, .winding, .badID])
        #expect(!report.isValid)
        #expect(report.errors.count == 3)
    }

    /// A sequence checked in parts on several threads (`validateSequence(buffer:threads:partBytes:)`)
    /// reports what checking it line by line reports: every record's problems with its line,
    /// blank lines and record separators skipped, the last line with or without a line end, and
    /// every offset handed to `releasing` a line start, the last one the text's end.
    @Test func sequencePartsReportWhatLinesDo() {
        let good = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[40.5,35.25]},"properties":{"n":1}}"#
        let lines = [good, "", "\u{1E}" + good, #"{"type":"Feature","geometry":{"type":"point","coordinates":[1,2]},"properties":{}}"#, "   \r",
                     #"{"type":"Feature","geometry":{"type":"Point","coordinates":[600,0]}}"#, "{bad", good + "\r", "\u{1E}\u{1E}", "[]"]
        var text = ""
        for i in 0..<300 { text += lines[i % lines.count] + (i % 7 == 3 ? "\r\n" : "\n") }
        for ending in ["", "\n", "\n\n", good] {
            let bytes = Array((text + ending).utf8)
            // Line by line, as `split` cuts them.
            var expected: [GeoJSONProblem] = []
            var records = 0
            for (k, raw) in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
                let record = raw.filter { $0 != 0x1E }
                if record.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                records += 1
                for var p in GeoJSONValidator.validate(record).problems {
                    p.message = "line \(k + 1): " + p.message
                    if p.line != nil { p.line = k + 1 }
                    expected.append(p)
                }
            }
            for (threads, partBytes) in [(1, 1 << 22), (2, 1), (3, 100), (2, 2_000)] {
                var released: [Int] = []
                let report = bytes.withUnsafeBytes {
                    GeoJSONValidator.validateSequence(buffer: $0, threads: threads, partBytes: partBytes, releasing: { released.append($0) })
                }
                let what = "\(threads) threads, parts of \(partBytes) B, ending \(ending.debugDescription)"
                #expect(report.problems == expected, "\(what)")
                #expect(report.summary == "\(records) records", "\(what)")
                #expect(released.last == bytes.count && released.allSatisfy { $0 == 0 || bytes[$0 - 1] == 0x0A || $0 == bytes.count }, "\(what)")
            }
        }
    }
}

@Suite struct AntimeridianLongitudeTests {
    @Test func webMapLongitudesAreWrappedWithAWarning() throws {
        var reader = GeoJSONReader()
        let text = #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[180.758,10]}},{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[-359.5,10]}}]}"#
        var xs: [Double] = []
        try Array(text.utf8).withUnsafeBytes { buffer in
            try reader.forEachFeature(in: buffer) { _, f in
                if case .point(let p)? = f.geometry { xs.append(p.x) }
            }
        }
        #expect(abs(xs[0] - -179.242) < 1e-9 && abs(xs[1] - 0.5) < 1e-9, "\(xs)")
        #expect(reader.warnings.map(\.code) == [.longitudeWrapped, .longitudeWrapped])
    }

    @Test func latitudesBeyondNinetyStayErrors() {
        var reader = GeoJSONReader()
        let text = #"{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[200,95]}}"#
        #expect(throws: GeoJSONError.self) {
            try Array(text.utf8).withUnsafeBytes { buffer in try reader.forEachFeature(in: buffer) { _, _ in } }
        }
    }
}
