import Foundation
import GeoCore
import Testing

/// The caps on one CSV record / field / field count and on one JSON string / member name
/// (`CSV.Limits`, `JSONParser.Limits`). The fixtures in Fixtures/limits/ break caps lowered for
/// the test; the default caps are checked on generated input.
@Suite struct InputLimitsTests {
    func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/limits/\(name)", withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    static let small = CSV.Limits(recordBytes: 128, fieldBytes: 64, fields: 8)

    func records(_ bytes: [UInt8], limits: CSV.Limits, recovering: Bool = true) throws -> [CSV.Record] {
        var out: [CSV.Record] = []
        try bytes.withUnsafeBytes { buffer in
            try CSV.forEachRecord(in: buffer, recovering: recovering, limits: limits) { out.append($0) }
        }
        return out
    }

    /// Each record over a cap is one reject naming its line and the cap; the records around it
    /// are read whole.
    @Test func eachRecordOverACapIsOneRejectAndTheOthersAreRead() throws {
        let r = try records(try fixture("over-limits.csv"), limits: Self.small)
        #expect(r.map(\.line) == [1, 2, 3, 4, 5, 7])
        #expect(r.filter { $0.problem == nil }.map { $0.fields.first } == ["id", "1", "5"])
        #expect(r[2].problem == "more than 8 fields (the limit on one CSV record)")
        #expect(r[3].problem == "field 3 is longer than 64 bytes (the limit on one CSV field)")
        #expect(r[4].problem == "record longer than 128 bytes (the limit on one CSV record)")
        #expect(r[5].fields == ["5", "Idlib", "shelling"])
        // Nothing of a rejected record is kept but its clipped text.
        for reject in r where reject.problem != nil {
            #expect(reject.fields.isEmpty)
            #expect(reject.raw?.hasPrefix("\(reject.line - 1),") == true)  // the row's id is its line less one
        }
    }

    @Test func strictReadingThrowsOnTheFirstRecordOverACapWithItsLine() {
        #expect(throws: CSV.ParseError(line: 3, message: "more than 8 fields (the limit on one CSV record)")) {
            _ = try records(try fixture("over-limits.csv"), limits: Self.small, recovering: false)
        }
    }

    /// Exactly at each cap is fine.
    @Test func aRecordExactlyAtTheCapsIsRead() throws {
        let limits = CSV.Limits(recordBytes: 24, fieldBytes: 4, fields: 5)
        let line = "abcd,abcd,abcd,abcd,abcd"  // 5 fields of 4 bytes, 24 bytes
        let r = try records(Array((line + "\n").utf8), limits: limits, recovering: false)
        #expect(r.count == 1 && r[0].fields.count == 5)
        #expect(throws: CSV.ParseError.self) { _ = try records(Array((line + ",\n").utf8), limits: limits, recovering: false) }
    }

    /// A quote never closed no longer gathers the rest of the file into one field.
    @Test func anUnclosedQuoteKeepsAtMostOneFieldCap() throws {
        let text = "a,b\n1,\"open\n" + String(repeating: "2,z\n", count: 100)
        let r = try records(Array(text.utf8), limits: Self.small)
        #expect(r[1].problem?.contains("never closed") == true)
        #expect(r.count == 102 && r.last?.fields == ["2", "z"])
    }

    /// The default caps: 10,000 fields and 1 MiB per field are read; one more is a reject.
    @Test func theDefaultCaps() throws {
        let wide = Array(repeating: "x", count: 10_000).joined(separator: ",")
        let text = "h\n" + wide + "\n" + wide + ",x\n" + String(repeating: "y", count: 1 << 20) + "\n"
            + String(repeating: "y", count: (1 << 20) + 1) + "\nlast\n"
        let r = try records(Array(text.utf8), limits: .default)
        #expect(r.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(r[1].problem == nil && r[1].fields.count == 10_000)
        #expect(r[2].problem == "more than 10000 fields (the limit on one CSV record)")
        #expect(r[3].problem == nil && r[3].fields[0].utf8.count == 1 << 20)
        #expect(r[4].problem == "field 1 is longer than 1 MiB (the limit on one CSV field)")
        #expect(r[4].raw!.utf8.count < 300)
        #expect(r[5].fields == ["last"])
        #expect(CSV.Limits.default == CSV.Limits(recordBytes: 16 << 20, fieldBytes: 1 << 20, fields: 10_000))
    }

    /// Found by the csvlimits fuzz target (Tests/Fuzz/crashers/csvlimits/): the raw text of a
    /// record of control bytes is clipped at 200 shown bytes, but each may take 6 characters
    /// (`\u{1f}`), more than the target's bound allowed. The clip itself held.
    @Test func rawTextOfControlBytesIsClippedAt200ShownBytes() throws {
        let bytes = [UInt8](repeating: 0x1F, count: 1000)
        let raw = RawText.escaped(bytes)
        #expect(raw.hasPrefix("\\u{1f}") && raw.hasSuffix("… (800 more bytes)"))
        #expect(raw.utf8.count <= 6 * 200 + 40)
    }

    /// JSON: a string or member name over its cap is a syntax error at the string's line and column.
    @Test func jsonStringAndMemberNameCaps() throws {
        let lines = try fixture("over-limits.geojsons").split(separator: UInt8(ascii: "\n")).map(Array.init)
        let limits = JSONParser.Limits(stringBytes: 64, nameBytes: 32)
        var errors: [String?] = []
        for line in lines {
            errors.append(line.withUnsafeBytes { buffer -> String? in
                do { _ = try JSONParser.parse(buffer: buffer, limits: limits); return nil } catch { return "\(error)" }
            })
        }
        #expect(errors.count == 4 && errors[0] == nil && errors[3] == nil)
        #expect(errors[1] == "line 1, column 95: string longer than 64 bytes (the limit on one JSON string)")
        #expect(errors[2] == "line 1, column 87: member name longer than 32 bytes (the limit on one JSON member name)")
        // Exactly at the caps is fine; the defaults are 16 MiB and 4 KiB.
        let atCaps = Array(#"{"\#(String(repeating: "n", count: 32))":"\#(String(repeating: "s", count: 64))"}"#.utf8)
        #expect(try atCaps.withUnsafeBytes { try JSONParser.parse(buffer: $0, limits: limits) }.objectValue?.count == 1)
        #expect(JSONParser.Limits.default == JSONParser.Limits(stringBytes: 16 << 20, nameBytes: 4 << 10))
        let longName = #"{"\#(String(repeating: "n", count: 4097))":1}"#
        #expect(throws: JSONSyntaxError.self) { _ = try JSONParser.parse(longName) }
        #expect(try JSONParser.parse(#"{"\#(String(repeating: "n", count: 4096))":"\#(String(repeating: "é", count: 100_000))"}"#).objectValue?.count == 1)
    }

    /// A GeoJSONSeq record over `maximumRecordBytes` is one bad feature naming its record, line
    /// and size; the records around it are read, by the scanner and by the full parser alike.
    @Test func geoJSONSeqRecordOverTheCapIsOneBadFeature() throws {
        let small = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"a":1}}"#
        let big = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[1,2]},"properties":{"a":""# + String(repeating: "x", count: 300) + #""}}"#
        let bytes = Array([small, big, small].joined(separator: "\n").utf8)
        for scanning in [FeatureScanner(keys: ["a"]), nil] {
            var reader = GeoJSONReader()
            reader.maximumRecordBytes = 200
            var read: [Int] = [], bad: [(Int, String)] = []
            try bytes.withUnsafeBytes { buffer in
                try reader.forEachSeqFeatureRecord(in: buffer, scanning: scanning, onBadFeature: { index, error, raw in
                    bad.append((index, error.description))
                    #expect(raw.count <= 210)
                }) { index, _ in read.append(index) }
            }
            #expect(read == [0, 2])
            #expect(bad.count == 1 && bad.first?.0 == 1)
            #expect(bad.first?.1.contains("record 1 (line 2)") == true && bad.first?.1.contains("over the limit of 200 bytes") == true,
                    "\(bad.first?.1 ?? "")")
        }
        #expect(GeoJSONReader().maximumRecordBytes == 16 << 20)
    }
}
