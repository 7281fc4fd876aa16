import Foundation
import GeoCore
import Testing

/// `geo map -o map.html` in a real browser (headless Chromium, Debian package `chromium`,
/// installed by scripts/install-deps): the page runs, draws one marker per event (or groups
/// whose counts add up to the events), shows a tooltip on hover, and the time slider filters.
/// A probe script is appended to a copy of the page; it drives the page's own handlers and
/// writes what it saw into the DOM, which Chromium dumps. Screenshots go to
/// `.build/screenshots/`. Without Chromium the tests fail, unless GEO_SKIP_CHROMIUM=1.
@Suite(.serialized) struct MapBrowserTests {
    static let skip = ProcessInfo.processInfo.environment["GEO_SKIP_CHROMIUM"] == "1"

    /// Chromium's path, or a failure saying how to get it (nil when skipped on purpose).
    func chromium() throws -> String? {
        if Self.skip { return nil }
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        where FileManager.default.isExecutableFile(atPath: path) { return path }
        Issue.record("headless Chromium is needed for this test: run scripts/install-deps (apt-get install chromium), or set GEO_SKIP_CHROMIUM=1")
        return nil
    }

    static let flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars", "--mute-audio",
                        "--no-first-run", "--window-size=1280,1000"]

    /// Runs the page with the probe and returns what the probe saw.
    func probe(_ chromium: String, page: String, actions: String) throws -> [String: JSONValue] {
        let html = try String(contentsOfFile: page, encoding: .utf8)
        let script = """
            <script>
            window.addEventListener("load", function () {
              var out = {}, D = JSON.parse(document.getElementById("events").textContent);
              function drawn() {
                var evs = document.querySelectorAll("#view svg g.events .ev"), aggs = document.querySelectorAll("#view svg g.events .agg"), n = evs.length;
                aggs.forEach(function (a) { n += +a.getAttribute("data-n"); });
                return { singles: evs.length, groups: aggs.length, events: n, count: document.getElementById("count").textContent };
              }
              function hover(m) {
                var r = m.getBoundingClientRect();
                m.dispatchEvent(new MouseEvent("mouseover", { bubbles: true, clientX: r.x + r.width / 2, clientY: r.y + r.height / 2 }));
                var tip = document.getElementById("tip");
                return { shown: tip.style.display === "block", text: tip.textContent };
              }
              function slide(id, day) { var s = document.getElementById(id); s.value = day; s.dispatchEvent(new Event("input")); }
              function day(iso) { return Math.floor(Date.parse(iso) / 86400000); }
              function done() { var pre = document.createElement("pre"); pre.id = "probe"; pre.textContent = JSON.stringify(out); document.body.appendChild(pre); }
              \(actions)
            });
            </script>
            </body>
            """
        let probed = URL(fileURLWithPath: page).deletingLastPathComponent().appendingPathComponent("probe.html")
        try html.replacingOccurrences(of: "</body>", with: script).write(to: probed, atomically: true, encoding: .utf8)
        let run = try #require(runProgram(chromium, Self.flags + ["--virtual-time-budget=10000", "--dump-dom", probed.absoluteString]))
        #expect(run.status == 0, "\(run.output.suffix(600))")
        let start = try #require(run.output.range(of: "<pre id=\"probe\">"), "the probe did not run: \(run.output.suffix(600))")
        let end = try #require(run.output[start.upperBound...].range(of: "</pre>"))
        let text = String(run.output[start.upperBound..<end.lowerBound])
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
        guard case .object(let seen) = try JSONParser.parse(text) else { Issue.record("probe: \(text)"); return [:] }
        return Dictionary(uniqueKeysWithValues: seen.map { ($0.key, $0.value) })
    }

    /// A screenshot of the page, kept in `.build/screenshots/NAME.png`; checks it is a PNG.
    func screenshot(_ chromium: String, page: String, name: String) throws {
        let dir = packageRoot.appendingPathComponent(".build/screenshots")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let png = dir.appendingPathComponent("\(name).png")
        try? FileManager.default.removeItem(at: png)
        let run = try #require(runProgram(chromium, Self.flags + ["--virtual-time-budget=5000", "--screenshot=\(png.path)", URL(fileURLWithPath: page).absoluteString]))
        #expect(run.status == 0, "\(run.output.suffix(600))")
        let bytes = try [UInt8](Data(contentsOf: png))
        #expect(Array(bytes.prefix(4)) == [0x89, 0x50, 0x4E, 0x47] && bytes.count > 20_000, "\(png.path)")
    }

    static func integer(_ value: JSONValue?) -> Int { Int(value?.numberValue ?? -1) }

    /// A count as the page writes it, thousands separated by commas.
    static func grouped(_ n: Int) -> String {
        var text = String(n)
        var i = text.count - 3
        while i > 0 { text.insert(",", at: text.index(text.startIndex, offsetBy: i)); i -= 3 }
        return text
    }

    @Test func markersTooltipAndTimeSlider() throws {
        guard let chromium = try chromium() else { return }
        let input = try fixturePath("temporal/windows-events.geojson")
        let page = try temporaryDirectory().appendingPathComponent("map.html").path
        #expect(geo("map", input, "-o", page).status == 0)
        // The fixture's events and how many start on or after the cut / end before the end of 2021.
        guard case .object(let collection) = try JSONParser.parse(try String(contentsOfFile: input, encoding: .utf8)),
              case .array(let features)? = collection["features"] else { Issue.record("fixture"); return }
        let dates = features.compactMap { f -> String? in
            if case .object(let o) = f, case .object(let p)? = o["properties"] { return p["event_date"]?.stringValue }
            return nil
        }
        let cut = "2023-10-01"
        let after = dates.filter { $0 >= cut }.count, in2021 = dates.filter { $0 < "2022" }.count

        let seen = try probe(chromium, page: page, actions: """
            out.start = drawn();
            out.hover = hover(document.querySelector("#view svg g.events .ev"));
            var i = +document.querySelector("#view svg g.events .ev").getAttribute("data-i");
            var ids = D.cols.event_id; out.hoveredID = ids.vals[ids.codes ? ids.codes[i] : i];
            slide("from", day("\(cut)")); out.after = drawn();
            slide("from", day("2021-01-01")); slide("to", day("2021-12-31")); out.in2021 = drawn();
            out.span = document.getElementById("span").textContent;
            done();
            """)
        guard case .object(let start)? = seen["start"], case .object(let hover)? = seen["hover"],
              case .object(let later)? = seen["after"], case .object(let early)? = seen["in2021"] else {
            Issue.record("probe: \(seen)"); return
        }
        #expect(Self.integer(start["singles"]) == dates.count && Self.integer(start["groups"]) == 0, "\(start)")
        #expect(start["count"]?.stringValue == "\(dates.count) of \(dates.count) events")
        #expect(hover["shown"] == .bool(true))
        let id = try #require(seen["hoveredID"]?.stringValue)
        #expect(hover["text"]?.stringValue?.contains(id) == true, "\(hover)")
        #expect(Self.integer(later["singles"]) == after && later["count"]?.stringValue == "\(after) of \(dates.count) events", "\(later)")
        #expect(Self.integer(early["singles"]) == in2021, "\(early)")
        // The slider stops at the first event's day.
        #expect(seen["span"]?.stringValue == "\(dates.min()!.prefix(10)) – 2021-12-31")
        try screenshot(chromium, page: page, name: "map-windows-fixture")
    }

    /// Past `MapDrawing.singleMarkerLimit` events in view the page groups them by area: the
    /// groups' counts and the single markers add up to the events; a group's tooltip says how
    /// many; clicking it zooms in, down to single events.
    @Test func manyEventsAreGroupedAndAddUp() throws {
        guard let chromium = try chromium() else { return }
        let dir = try temporaryDirectory()
        let input = dir.appendingPathComponent("many.csv").path
        var rng = SeededGenerator(seed: 17)
        let sides = ["US", "militia", "Iran", "unknown"]
        var csv = "event_id,event_date,event_type,actor1,actor_side,latitude,longitude,fatalities\n"
        let total = 6_000
        for i in 0..<total {
            // Four clumps and a scatter over Iraq and Syria.
            let centre = [(33.3, 44.4), (36.3, 43.1), (35.5, 40.1), (31.0, 46.3)][i % 4]
            let spread = i % 10 == 0 ? 3.0 : 0.4
            let lat = centre.0 + Double.random(in: -spread...spread, using: &rng), lon = centre.1 + Double.random(in: -spread...spread, using: &rng)
            let day = 1 + i % 28, month = 1 + i % 12
            csv += "G\(i),2023-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day),Explosions/Remote violence,Actor \(i % 7),\(sides[i % 4]),\(Format.trimmed(lat, 4)),\(Format.trimmed(lon, 4)),\(i % 5)\n"
        }
        try csv.write(toFile: input, atomically: true, encoding: .utf8)
        let page = dir.appendingPathComponent("many.html").path
        let run = geo("map", input, "-o", page, "--title", "6,000 generated events")
        #expect(run.status == 0, "\(run.err)")

        let seen = try probe(chromium, page: page, actions: """
            out.start = drawn();
            var groups = Array.from(document.querySelectorAll("#view svg g.events .agg"));
            groups.sort(function (a, b) { return b.getAttribute("data-n") - a.getAttribute("data-n"); });
            out.groupHover = hover(groups[0]);
            out.groupN = +groups[0].getAttribute("data-n");
            groups[0].dispatchEvent(new MouseEvent("click", { bubbles: true }));
            document.getElementById("zin").onclick(); document.getElementById("zin").onclick(); document.getElementById("zin").onclick();
            setTimeout(function () { out.zoomed = drawn(); done(); }, 500);
            """)
        guard case .object(let start)? = seen["start"], case .object(let groupHover)? = seen["groupHover"],
              case .object(let zoomed)? = seen["zoomed"] else {
            Issue.record("probe: \(seen)"); return
        }
        #expect(Self.integer(start["events"]) == total && Self.integer(start["groups"]) > 0, "\(start)")
        #expect(start["count"]?.stringValue == "\(Self.grouped(total)) of \(Self.grouped(total)) events")
        let n = Self.integer(seen["groupN"])
        #expect(groupHover["text"]?.stringValue?.hasPrefix("\(Self.grouped(n)) events here") == true, "\(groupHover)")
        // Zoomed in on the largest group: single markers, fewer events in view.
        #expect(Self.integer(zoomed["singles"]) > 0 && Self.integer(zoomed["events"]) < total, "\(zoomed)")
        try screenshot(chromium, page: page, name: "map-6000-events")
    }
}
