import Foundation
import GeoCore
import Testing

/// `geo map`: the windows fixture and a corridor output drawn as SVG (well-formed, one marker
/// per event, the corridor's layers), PNG and HTML; outputs it cannot write are usage errors.
@Suite struct MapCommandTests {
    /// Element counts by `class` and whether the text parses as XML (python3's minidom).
    func outline(_ path: String) throws -> [String: Int] {
        let script = """
            import sys, collections, xml.dom.minidom
            doc = xml.dom.minidom.parse(sys.argv[1])
            counts = collections.Counter(e.getAttribute("class") for e in doc.getElementsByTagName("*") if e.getAttribute("class"))
            print(" ".join(f"{k}={v}" for k, v in sorted(counts.items())))
            """
        let run = try #require(runProgram("python3", ["-c", script, path]), "python3 is needed")
        try #require(run.status == 0, "not well-formed XML: \(run.output)")
        var counts: [String: Int] = [:]
        for item in run.output.split(whereSeparator: \.isWhitespace) {
            let kv = item.split(separator: "=")
            if kv.count == 2 { counts[String(kv[0])] = Int(kv[1]) }
        }
        return counts
    }

    @Test func windowsFixtureAsSVG() throws {
        let input = try fixturePath("temporal/windows-events.geojson")
        let out = try temporaryDirectory().appendingPathComponent("map.svg").path
        let run = geo("map", input, "-o", out, "--title", "Windows fixture")
        #expect(run.status == 0, "\(run.err)")
        #expect(run.err.contains("13 events drawn"))
        let classes = try outline(out)
        #expect(classes["ev"] == 13 && classes["legend"] == 1 && classes["scale-bar"] == 1)
        let svg = try String(contentsOfFile: out, encoding: .utf8)
        #expect(svg.contains(">Windows fixture</text>") && svg.contains(">militia (8)</text>") && svg.contains(">US (5)</text>"))
    }

    @Test func windowsPairsAndCorridorOutputs() throws {
        let input = try fixturePath("temporal/windows-events.geojson")
        let dir = try temporaryDirectory()
        let pairs = dir.appendingPathComponent("pairs.geojson").path, corridor = dir.appendingPathComponent("corridor.geojson").path
        #expect(geo("windows", input, "--attacks", "actor_side=militia", "--responses", "actor_side=US", "--max-lag", "14d", "-o", pairs).status == 0)
        #expect(geo("corridor", input, "--border", "IQ-SY", "--width", "25km", "-o", corridor).status == 0)

        let corridorMap = dir.appendingPathComponent("corridor.svg").path
        let run = geo("map", corridor, "-o", corridorMap)
        #expect(run.status == 0, "\(run.err)")
        #expect(!run.err.contains("skipped"))  // the border and corridor are drawn, not skipped
        let classes = try outline(corridorMap)
        #expect(classes["ev"] == 13 && classes["corridor"] == 1 && classes["border"] == 1)

        // Both outputs: the events they share are drawn once, the pairs as arrows.
        let both = dir.appendingPathComponent("both.svg").path
        let run2 = geo("map", pairs, corridor, "-o", both)
        #expect(run2.status == 0, "\(run2.err)")
        let counts = try outline(both)
        #expect(counts["ev"] == 13 && counts["pairs"] == 1 && counts["corridor"] == 1)
        let svg = try String(contentsOfFile: both, encoding: .utf8)
        #expect(svg.components(separatedBy: "data-t=").count - 1 >= 5)

        // Cluster areas alone: polygons, no event layer.
        let areas = dir.appendingPathComponent("areas.geojson").path
        #expect(geo("cluster", input, "--within", "300km", "--summary", "-o", areas).status == 0)
        let areasMap = dir.appendingPathComponent("areas.svg").path
        #expect(geo("map", areas, "-o", areasMap).status == 0)
        #expect(try outline(areasMap)["hull"] ?? 0 >= 1)
    }

    @Test func htmlAndPNG() throws {
        let input = try fixturePath("temporal/windows-events.geojson")
        let dir = try temporaryDirectory()
        let html = dir.appendingPathComponent("map.html").path
        #expect(geo("map", input, "-o", html).status == 0)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        #expect(page.hasPrefix("<!DOCTYPE html>") && page.contains("id=\"from\"") && page.contains("\"IRQ1\""))

        // In a browser: MapBrowserTests.

        let png = dir.appendingPathComponent("map.png").path
        let run = geo("map", input, "-o", png)
        if runProgram("rsvg-convert", ["--version"])?.status == 0 {
            #expect(run.status == 0, "\(run.err)")
            let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: png)))
            #expect(Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
        } else {
            #expect(run.status != 0 && run.err.contains("librsvg2-bin"))
            print("rsvg-convert missing: checked the error message only")
        }
    }

    @Test func outputsItCannotWriteAreUsageErrors() throws {
        let input = try fixturePath("temporal/windows-events.geojson")
        let run = geo("map", input, "-o", "map.pdf")
        #expect(run.status == 64)
        #expect(run.err.contains("svg (.svg), png (.png) and html (.html)"))
        #expect(geo("map", input, "--format", "gif").status == 64)
        #expect(geo("map", input, "--extent", "45,30,40,35").err.contains("minimum"))
        #expect(geo("map", input, "--labels", "some").status == 64)
        // SVG to standard output.
        let stdout = geo("map", input, "--labels", "none", "--extent", "38,32,46,37.5")
        #expect(stdout.status == 0 && stdout.out.hasPrefix("<?xml") && stdout.out.contains("class=\"ev\""))
    }
}
