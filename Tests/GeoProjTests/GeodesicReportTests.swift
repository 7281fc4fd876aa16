import GeoCore
import GeoProj
import Testing

@Suite struct GeodesicReportTests {
    let albuKamal = Position(longitude: 40.91854, latitude: 34.45226)
    let erbil = Position(longitude: 44.00943, latitude: 36.19117)

    @Test func jsonRoundsAndKeepsTheGeodesicConvention() throws {
        let report = try GeodesicReport(from: albuKamal, to: erbil)
        let json = report.json
        #expect(json["distance_m"]?.numberValue == 340_865.865)  // to the millimetre
        #expect(json["distance_km"]?.numberValue == 340.866)
        #expect(json["from"]?["lat"]?.numberValue == 34.45226)
        let back = try GeodesicReport(from: erbil, to: albuKamal)
        #expect(try #require(back.json["azimuth1_deg"]?.numberValue) < 0)  // −180…180, not a bearing
    }

    @Test func textShowsBearingsAndCompassPoints() throws {
        let text = try GeodesicReport(from: erbil, to: albuKamal).text
        #expect(text.contains("distance:        340.866 km (340,865.86 m)"))
        #expect(text.contains("° (SW)"))
        #expect(!text.contains("-"))  // bearings 0–360°
        #expect(text.hasSuffix("(SW)\n"))
    }

    @Test func lineHasBothEndsAndStaysContinuousAcrossTheAntimeridian() throws {
        let report = try GeodesicReport(from: Position(longitude: 179, latitude: 10), to: Position(longitude: -179, latitude: -10))
        let line = try report.line(step: .kilometers(100))
        #expect(line.first == Position(longitude: 179, latitude: 10))
        #expect(line.last == Position(longitude: 181, latitude: -10))  // unwrapped, not −179
        #expect(zip(line, line.dropFirst()).allSatisfy { abs($1.longitude - $0.longitude) < 5 })
        let feature = try report.feature(step: .kilometers(100))
        #expect(feature[property: "from"] == nil && feature[property: "distance_m"] != nil)
    }

    @Test func tinyStepsAndCoincidentPointsAreBounded() throws {
        #expect(try GeodesicReport(from: albuKamal, to: erbil).line(step: .meters(1e-9)).count == 10_001)
        let same = try GeodesicReport(from: erbil, to: erbil)
        #expect(same.inverse.distanceMeters == 0)
        #expect(try same.line(step: .kilometers(10)).count == 2)
    }
}
