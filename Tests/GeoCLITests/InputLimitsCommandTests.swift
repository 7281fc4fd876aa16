import Foundation
import GeoCore
import Testing

/// The caps on one record (`CSV.Limits`, `JSONParser.Limits`) seen from the command line: a record
/// over a cap is one reject naming the file, line and cap, and the records around it are written.
@Suite(.serialized) struct InputLimitsCommandTests {
    static let header = "event_id,event_date,event_type,location,latitude,longitude,country\n"
    static let good1 = "G1,2024-01-01,Air/drone strike,x,34.1,40.9,SY\n"
    static let good2 = "G2,2024-01-05,Air/drone strike,y,34.2,40.8,SY\n"

    func convert(_ csv: String) throws -> (run: GeoRun, written: Int, rejects: [[String]]) {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("big.csv").path
        try csv.write(toFile: input, atomically: false, encoding: .utf8)
        let out = dir.appendingPathComponent("out.geojson").path
        let rejects = dir.appendingPathComponent("rejects.csv").path
        let run = geo("convert", input, "-o", out, "--rejects", rejects)
        let features = try JSONParser.parse(try String(contentsOfFile: out, encoding: .utf8))["features"]?.arrayValue ?? []
        let rows = try CSV.parse(try String(contentsOfFile: rejects, encoding: .utf8)).dropFirst().map(\.fields)
        return (run, features.count, rows)
    }

    @Test func aFieldOverOneMebibyteIsOneReject() throws {
        let long = "B1,2024-01-02,Air/drone strike," + String(repeating: "z", count: (1 << 20) + 1) + ",34.3,40.7,SY\n"
        let (run, written, rejects) = try convert(Self.header + Self.good1 + long + Self.good2)
        #expect(run.status == 1, "\(run.err)")
        #expect(written == 2)
        #expect(rejects.count == 1 && rejects[0][1] == "3" && rejects[0][3] == "malformed_row")
        #expect(rejects[0][4].contains("field 4 is longer than 1 MiB (the limit on one CSV field)"), "\(rejects)")
        #expect(rejects[0][5].count <= 260, "the original row is clipped")
        #expect(run.err.contains("big.csv") && run.err.utf8.count < 4000, "\(run.err.prefix(500))")
    }

    @Test func aRecordOverSixteenMebibytesIsOneReject() throws {
        let field = String(repeating: "n", count: 1 << 20)  // 17 fields of 1 MiB: each under the field cap
        let long = "B1,2024-01-02" + String(repeating: "," + field, count: 17) + "\n"
        let (run, written, rejects) = try convert(Self.header + Self.good1 + long + Self.good2)
        #expect(run.status == 1)
        #expect(written == 2)
        #expect(rejects.count == 1 && rejects[0][1] == "3")
        #expect(rejects[0][4].contains("record longer than 16 MiB (the limit on one CSV record)"), "\(rejects)")
    }

    @Test func aMemberNameOverFourKibibytesIsASyntaxErrorWithItsLine() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("long-name.geojson").path
        let name = String(repeating: "p", count: 4097)
        try "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\",\"geometry\":null,\"properties\":{\"\(name)\":1}}\n]}\n"
            .write(toFile: path, atomically: false, encoding: .utf8)
        let run = geo("validate", path)
        #expect(run.status != 0)
        let said = run.out + run.err
        #expect(said.contains("line 2") && said.contains("member name longer than 4 KiB (the limit on one JSON member name)"), "\(said.prefix(600))")
        #expect(said.utf8.count < 2000, "the name is not echoed in full")
    }

    /// GeoJSONSeq to CSV: a record with a member name over 4 KiB, and a cut-off record, are one
    /// reject each (the pass that gathers extra columns for CSV output used to refuse the file).
    @Test func aSeqRecordOverACapIsOneRejectInCSVOutputToo() throws {
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("in.geojsons").path
        func feature(_ id: String, _ extra: String = "") -> String {
            #"{"type":"Feature","id":"\#(id)","geometry":{"type":"Point","coordinates":[40.9,34.1]},"properties":{"event_date":"2024-01-01","event_type":"Air/drone strike","country":"SY"\#(extra)}}"#
        }
        let long = feature("B1", #","\#(String(repeating: "p", count: 4097))":1"#)
        try [feature("G1"), long, String(feature("B2").prefix(60)), feature("G2")].joined(separator: "\n").appending("\n")
            .write(toFile: input, atomically: false, encoding: .utf8)
        let out = dir.appendingPathComponent("out.csv").path
        let run = geo("convert", input, "-o", out)
        #expect(run.status == 1)
        #expect(run.err.contains("read 4, written 2, geocoded 0, rejected 2"), "\(run.err.prefix(800))")
        #expect(run.err.contains("member name longer than 4 KiB") && run.err.contains("unterminated string"), "\(run.err.prefix(800))")
        let rows = try CSV.parse(try String(contentsOfFile: out, encoding: .utf8)).dropFirst()
        #expect(rows.map { $0.fields[0] } == ["G1", "G2"])
    }

    /// `geo gazetteer import` of a CSV whose header repeats a column: a clear error naming the
    /// file and the column (it used to trap in `Dictionary(uniqueKeysWithValues:)`).
    @Test func gazetteerImportRefusesARepeatedColumn() throws {
        let dir = try temporaryDirectory()
        let csv = dir.appendingPathComponent("twice.csv").path
        try "name,aliases,kind,country,lat,lon,source,lat\nCheckpoint Qzx-8,,outpost,SY,34.6,40.7,https://example.org,35.0\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let overlay = dir.appendingPathComponent("overlay").path
        let run = geo("gazetteer", "import", csv, "--gazetteer", overlay)
        #expect(run.status == 1, "\(run.err)")
        #expect(run.err.contains("twice.csv") && run.err.contains("line 1: column 'lat' appears twice in the header (columns 5 and 8)"), "\(run.err)")
        #expect(!FileManager.default.fileExists(atPath: overlay + "/user-places.csv"), "nothing imported")
    }
}
