import Foundation
import GeoCore
import GeoEvents
import GeoGDAL
import GeoTestSupport
import OrderedCollections
import Testing

/// Events to GeoPackage, FlatGeobuf and Shapefile and back, through GDAL's C API.
@Suite struct GDALVectorTests {
    static let fixture = packageRoot.appendingPathComponent("Tests/GeoCLITests/Fixtures/convert/events.expected.geojson").path

    /// The fixture's events, with a time of day and typed extra fields on some.
    static func events() throws -> [Event] {
        var events: [Event] = []
        try EventReader().forEachRow(path: fixture) { events.append(try $0.result.get()) }
        events[1].date = EventDate(year: 2021, month: 2, day: 25, secondsOfDay: 13 * 3600 + 5 * 60)!
        events[2].extra["score"] = .double(2.5)
        events[3].extra["score"] = .integer(3)
        events[2].extra["verified"] = .bool(true)
        events[4].extra["meta"] = .object(["k": .array([.integer(1), .string("x")])])
        return events
    }

    static func extraFields(_ events: [Event]) -> [(name: String, kind: GDALFieldKind)] {
        var names: [String] = []
        var guesses: [String: GDALFieldKindGuess] = [:]
        for e in events {
            for (k, v) in e.extra {
                if guesses[k] == nil { names.append(k) }
                guesses[k, default: GDALFieldKindGuess()].add(v)
            }
        }
        return names.map { ($0, guesses[$0]!.kind) }
    }

    static func write(_ events: [Event], to path: String) throws -> GDALWriteReport {
        let timeOfDay = events.contains { $0.date.secondsOfDay != nil }
        let writer = try GDALVectorWriter(path: path, extraFields: extraFields(events), timeOfDay: timeOfDay)
        for e in events { try writer.write(e) }
        return try writer.finish()
    }

    static func read(_ path: String) throws -> [Event] {
        var events: [Event] = []
        let reader = EventReader()
        try GDALVectorReader.forEachFeature(path: path) { i, f in
            events.append(try reader.row(for: f, at: i, source: path).result.get())
        }
        return events
    }

    /// A value as compared after a round trip: numbers as doubles (a column holding 3 and 2.5
    /// is real); with `jsonAsText`, arrays and objects as their JSON text (FlatGeobuf keeps no
    /// JSON subtype, so such extra fields read back as text).
    static func normalised(_ value: JSONValue?, jsonAsText: Bool) -> JSONValue {
        switch value ?? .null {
        case .integer(let n): .double(Double(n))
        case .array(let items) where !jsonAsText: .array(items.map { normalised($0, jsonAsText: false) })
        case .array, .object: jsonAsText ? .string(JSONWriter.string(from: value!)) : value!
        case let other: other
        }
    }

    /// Same properties (a property one side lacks must be null on the other) and coordinates.
    static func expectSame(_ a: [Event], _ b: [Event], _ label: String) {
        #expect(a.count == b.count, "\(label)")
        let byID = Dictionary(uniqueKeysWithValues: b.map { ($0.eventID, $0) })
        for e in a {
            guard let back = byID[e.eventID] else { Issue.record("\(label): \(e.eventID) missing"); continue }
            let p = EventEncoder.properties(e), q = EventEncoder.properties(back)
            // `timestamp` is derived from the dates (EventTimestamp): written, and read back as an extra field.
            for key in Set(p.keys).union(q.keys) where key != EventTimestamp.property {
                let jsonAsText = label == "fgb" && e.extra[key] != nil
                guard normalised(p[key], jsonAsText: jsonAsText) != normalised(q[key], jsonAsText: jsonAsText) else { continue }
                Issue.record("\(label) \(e.eventID).\(key): \(p[key] ?? .null) became \(q[key] ?? .null)")
            }
            #expect(e.latitude == back.latitude && e.longitude == back.longitude, "\(label) \(e.eventID) coordinates")
        }
    }

    func ogrinfo(_ path: String) throws -> String {
        let run = try #require(runProgram("ogrinfo", ["-al", "-so", path]))
        #expect(run.status == 0, "\(run.output)")
        return run.output
    }

    @Test(arguments: ["gpkg", "fgb"])
    func writesTypedLayerThatRoundTrips(ext: String) throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("events.\(ext)").path
        let events = try Self.events()
        let report = try Self.write(events, to: path)
        #expect(report.written == events.count)
        #expect(report.warning == nil)
        let info = try ogrinfo(path)
        #expect(info.contains("Feature Count: \(events.count)"), "\(info)")
        #expect(info.contains("Geometry: Point"), "\(info)")
        #expect(info.contains("ID[\"EPSG\",4326]"), "\(info)")
        #expect(info.contains("fatalities: Integer"), "\(info)")
        #expect(info.contains("time_precision: Integer"), "\(info)")
        #expect(info.contains("match_score: Real"), "\(info)")
        #expect(info.contains("score: Real"), "\(info)")
        #expect(!info.contains("\nlatitude:") && !info.contains("\nlongitude:"), "\(info)")
        // A time of day makes event_date a date-time; FlatGeobuf has only date-times.
        #expect(info.contains("event_date: DateTime"), "\(info)")
        Self.expectSame(events, try Self.read(path), ext)
        // Only the dataset itself is left in the folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["events.\(ext)"])
    }

    @Test func geoPackageDatesAreDates() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("events.gpkg").path
        var events: [Event] = []
        try EventReader().forEachRow(path: Self.fixture) { events.append(try $0.result.get()) }
        _ = try Self.write(events, to: path)
        let info = try ogrinfo(path)
        #expect(info.contains("event_date: Date"), "\(info)")
        #expect(info.contains("date_end: Date"), "\(info)")
        #expect(info.contains("fatalities: Integer"), "\(info)")
        Self.expectSame(events, try Self.read(path), "gpkg")
    }

    @Test func shapefileNamesAreCutUniquelyAndReported() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("events.shp").path
        var events = try Self.events()
        events[0].notes = String(repeating: "é", count: 200)  // 400 bytes
        let report = try Self.write(events, to: path)
        let renamed = Dictionary(uniqueKeysWithValues: report.renamedFields.map { ($0.from, $0.to) })
        #expect(renamed["sub_event_type"] == "sub_event_")
        #expect(renamed["event_type_reported"] == "event_ty_1")
        #expect(Set(renamed.values).count == renamed.count)
        #expect(renamed.values.allSatisfy { $0.utf8.count <= 10 })
        #expect(report.truncatedValues == 1)
        let warning = try #require(report.warning)
        #expect(warning.contains("sub_event_type → sub_event_") && warning.contains("1 text value cut to 254 bytes"), "\(warning)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
        #expect(files == ["events.cpg", "events.dbf", "events.prj", "events.shp", "events.shx"], "\(files)")
        // Read back under the project's names.
        let back = try Self.read(path)
        #expect(back.count == events.count)
        #expect(back[0].subEventType == events[0].subEventType)
        #expect(back[0].notes == String(repeating: "é", count: 127))
    }

    @Test func failedWriteLeavesNoFileAndSaysWhy() throws {
        let dir = try temporaryDirectory()
        let missing = dir.appendingPathComponent("no/such/folder/events.gpkg").path
        #expect {
            _ = try GDALVectorWriter(path: missing)
        } throws: { error in
            "\(error)".contains("does not exist") && "\(error)".contains("events.gpkg")
        }
        // A folder given where a file is expected.
        #expect(throws: GDALError.self) { _ = try GDALVectorWriter(path: dir.path + "/x.gpkg/..") }
        // Discarded before finish: nothing left behind.
        let path = dir.appendingPathComponent("events.fgb").path
        do {
            let writer = try GDALVectorWriter(path: path)
            try writer.write(try Self.events()[0])
            writer.discard()
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    /// A dataset's temporary files (with SQLite's and the sidecars) are in `TemporaryFiles`
    /// (what a signal removes) until they are put in place or removed.
    @Test(arguments: ["gpkg", "shp"])
    func temporaryFilesAreRegisteredWhileUnfinished(_ ext: String) throws {
        let dir = try temporaryDirectory()
        let writer = try GDALVectorWriter(path: dir.appendingPathComponent("events.\(ext)").path)
        try writer.write(try Self.events()[0])
        let created = try FileManager.default.contentsOfDirectory(atPath: dir.path).map { dir.appendingPathComponent($0).path }
        #expect(!created.isEmpty && created.allSatisfy { $0.contains("/.events.geo-") })
        let registered = TemporaryFiles.paths.filter { $0.hasPrefix(dir.path + "/") }
        #expect(Set(created).isSubset(of: Set(registered)), "\(created) \(registered)")
        _ = try writer.finish()
        #expect(TemporaryFiles.paths.filter { $0.hasPrefix(dir.path + "/") }.isEmpty)
        let other = try GDALVectorWriter(path: dir.appendingPathComponent("other.\(ext)").path)
        #expect(!TemporaryFiles.paths.filter { $0.hasPrefix(dir.path + "/.other.") }.isEmpty)
        other.discard()
        #expect(TemporaryFiles.paths.filter { $0.hasPrefix(dir.path + "/") }.isEmpty)
    }

    @Test func unreadableFileNamesFileAndReason() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("broken.gpkg").path
        try "not a database".write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            try GDALVectorReader.forEachFeature(path: path) { _, _ in }
        } throws: { error in
            guard let e = error as? GDALError else { return false }
            return e.path == path && !e.reason.isEmpty
        }
    }

    @Test func shapefileTruncationIsUnique() {
        let names = ShapefileNames.truncated(["match_source", "match_sourcez", "MATCH_SOUR", "short"])
        #expect(names == ["match_sour", "match_so_1", "MATCH_SO_2", "short"])
    }
}
