import Foundation
import GeoCore
import Testing

/// Every case of `Fixtures/bad-input/`: the good rows around a bad one are written, each bad
/// one is one reject with its reason, and the exit status says so.
@Suite struct BadInputTests {
    static var cases: [String] {
        guard let url = Bundle.module.url(forResource: "Fixtures/bad-input", withExtension: nil),
              let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) else { return [] }
        return names.filter { !$0.hasSuffix(".expected.json") && !$0.hasSuffix(".md") }.sorted()
    }

    @Test func thereAreCases() { #expect(Self.cases.count >= 14) }

    @Test(arguments: cases)
    func badInputCase(_ name: String) throws {
        let input = try fixturePath("bad-input/\(name)")
        let stem = String(name[..<name.lastIndex(of: ".")!])
        let expected = try #require(try JSONParser.parse(try String(contentsOfFile: try fixturePath("bad-input/\(stem).expected.json"), encoding: .utf8)).objectValue)
        let dir = try temporaryDirectory()
        let out = dir.appendingPathComponent("out.geojson").path
        let rejects = dir.appendingPathComponent("rejects.csv").path
        let args = (expected["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        let run = geo(["convert", input, "-o", out, "--rejects", rejects] + args)
        #expect(run.status == Int32(expected["status"]?.numberValue ?? -1), "\(name): \(run.err)")
        let written = try JSONParser.parse(try String(contentsOfFile: out, encoding: .utf8)).objectValue?["features"]?.arrayValue ?? []
        #expect(written.count == Int(expected["written"]?.numberValue ?? -1), "\(name)")
        #expect(written.allSatisfy { ($0.objectValue?["id"]?.stringValue ?? "").hasPrefix("G") }, "\(name): only good rows written")
        let rows = try CSV.parse(try String(contentsOfFile: rejects, encoding: .utf8)).dropFirst()
        #expect(rows.count == Int(expected["rejected"]?.numberValue ?? -1), "\(name)")
        #expect(rows.map { $0.fields[3] } == (expected["reasons"]?.arrayValue ?? []).compactMap(\.stringValue), "\(name)")
        for row in rows {
            #expect(!row.fields[4].isEmpty && row.fields[4].count < 400, "\(name): a reason, clipped")
            #expect(row.fields[5].count <= 260, "\(name): the original row clipped")
        }
    }

    @Test func latin1FileReadWithEncoding() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("latin1.csv").path
        var bytes = Array("event_date,event_type,location,country\n2024-01-01,Air/drone strike,".utf8)
        bytes += [0x41, 0x6C, 0x65, 0x70, 0x70, 0x6F]  // "Aleppo"
        bytes += Array(",SY\n2024-01-02,Air/drone strike,Ra".utf8) + [0xE7] + Array("a,SY\n".utf8)  // "Raça"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let strict = geo("convert", path, "-o", dir.appendingPathComponent("a.csv").path)
        #expect(strict.status == 1 && strict.err.contains("not valid UTF-8"), "\(strict.err)")
        let run = geo("convert", path, "--encoding", "latin1", "-o", dir.appendingPathComponent("b.csv").path, "--allow-rejects")
        #expect(!run.err.contains("not valid UTF-8"), "\(run.err)")
        #expect(try String(contentsOfFile: dir.appendingPathComponent("b.csv").path, encoding: .utf8).contains("Aleppo"))
    }

    @Test func cp1256ArabicExport() throws {
        let dir = try temporaryDirectory()
        let path = dir.appendingPathComponent("arabic.csv").path
        // التنف in Windows-1256.
        let bytes = Array("event_date,event_type,location,country\n2024-01-01,Air/drone strike,".utf8) + [0xC7, 0xE1, 0xCA, 0xE4, 0xDD] + Array(",SY\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let out = dir.appendingPathComponent("out.csv").path
        let run = geo("convert", path, "--encoding", "cp1256", "-o", out)
        #expect(run.status == 0, "\(run.err)")
        let text = try String(contentsOfFile: out, encoding: .utf8)
        #expect(text.contains("التنف") && text.contains("site:al-tanf-garrison"), "\(text)")
        #expect(geo("convert", path, "--encoding", "ebcdic").status == 64)
    }
}
