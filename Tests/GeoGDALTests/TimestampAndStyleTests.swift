import Foundation
import GeoCore
import GeoEvents
import GeoGDAL
import GeoTestSupport
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// kepler.gl's `timestamp` in GeoPackage and FlatGeobuf, and the QGIS style written beside them.
@Suite struct TimestampAndStyleTests {
    func ogrinfo(_ arguments: [String]) throws -> String {
        let run = try #require(runProgram("ogrinfo", arguments))
        #expect(run.status == 0, "\(run.output)")
        return run.output
    }

    func write(_ ext: String, _ timestamp: EventTimestamp) throws -> (path: String, events: [Event]) {
        let path = try temporaryDirectory().appendingPathComponent("events.\(ext)").path
        let events = try GDALVectorTests.events()
        let writer = try GDALVectorWriter(path: path, timeOfDay: true, timestamp: timestamp)
        for e in events { try writer.write(e) }
        try writer.finish()
        return (path, events)
    }

    @Test(arguments: ["gpkg", "fgb"])
    func timestampIsADateTimeField(ext: String) throws {
        let (path, events) = try write(ext, .iso)
        let schema = try ogrinfo(["-al", "-so", path])
        #expect(schema.contains("timestamp: DateTime"), "\(schema)")
        // The second event has a time of day (13:05); the others start at midnight UTC.
        let all = try ogrinfo(["-al", "-q", path])
        #expect(all.contains("timestamp (DateTime) = 2021/02/25 13:05:00+00"), "\(all)")
        #expect(all.contains("timestamp (DateTime) = 2021/02/15 00:00:00+00"), "\(all)")
        #expect(all.components(separatedBy: "timestamp (DateTime) = ").count - 1 == events.count)
    }

    @Test func epochMillisecondsAreIntegers() throws {
        let (path, _) = try write("gpkg", .epochMilliseconds)
        let all = try ogrinfo(["-al", "-q", path])
        #expect(all.contains("timestamp (Integer64) = 1614258300000"), "\(all)")  // 2021-02-25T13:05:00Z
        let (plain, _) = try write("fgb", .none)
        #expect(!(try ogrinfo(["-al", "-so", plain])).contains("timestamp"))
    }

    @Test func qgisStyleIsCategorisedBySideInTheMapsColours() throws {
        let qml = QGISLayerStyle.categorized(sideCounts: ["militia": 5, "US": 7, "Kurds & \"allies\"": 1, "": 2])
        #expect(QGISLayerStyle.path(besides: "out/events.gpkg") == "out/events.qml")
        #expect(QGISLayerStyle.path(besides: "events") == "events.qml")
        // Well-formed XML (QGIS reads it with Qt's DOM parser, which refuses anything else).
        let parser = XMLParser(data: Data(qml.utf8))
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(qml.contains(#"<renderer-v2 type="categorizedSymbol" attr="actor_side""#))
        // US first (most events) in the map's blue, militia vermillion (SideColors), the other
        // side the first colour left, escaped; no side grey.
        let us = try #require(qml.range(of: #"value="US""#)), militia = try #require(qml.range(of: #"value="militia""#))
        #expect(us.lowerBound < militia.lowerBound)
        #expect(qml.contains(#"value="Kurds &amp; &quot;allies&quot;""#))
        #expect(qml.contains(#"label="no side (2)""#))
        #expect(qml.contains(#"name="color" value="0,114,178,217""#))  // #0072B2
        #expect(qml.contains(#"name="color" value="213,94,0,217""#))  // #D55E00
        #expect(qml.contains(#"name="color" value="140,140,140,217""#))  // unknown
        #expect(qml.components(separatedBy: "<category ").count - 1 == 4)
        #expect(qml.components(separatedBy: "<symbol ").count - 1 == 4)
    }
}
