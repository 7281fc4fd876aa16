import Foundation
import Testing
@testable import GeoCore
@testable import GeoEvents

/// Issue 19's golden comparison: on a generated 100,000-feature file of every shape the fast
/// path meets (plain features, escapes, non-ASCII text, numbers the writer would rewrite,
/// nested objects, blanks, repeated or missing members, integer and string ids, dates written
/// with an escape, features that already hold `timestamp` (after their dates or elsewhere; one
/// `stamp` keeps, replaces or moves) or
/// an added name), reading with
/// `FeatureScanner` and the kept spans gives exactly the columns, values and output bytes of
/// the full decoder.
@Suite struct ScannedPathGoldenTests {
    /// One feature's text; `i` picks its shape.
    static func featureText(_ i: Int, _ rng: inout SeededGenerator) -> String {
        let lon = 38 + Double(Int.random(in: 0..<400_000, using: &rng)) / 100_000
        let lat = 32 + Double(Int.random(in: 0..<400_000, using: &rng)) / 100_000
        let day = 1 + Int.random(in: 0..<28, using: &rng)
        let date = "2024-0\(1 + i % 9)-\(day < 10 ? "0" : "")\(day)"
        var members: [String] = []
        members.append(#""event_id":"E\#(i)""#)
        switch i % 7 {
        case 0: members.append(#""event_date":"\#(date)","date_end":null,"time_precision":1"#)
        case 1: members.append(#""event_date":"\#(date)""#)
        case 2: members.append(#""event_date":null"#)
        // After the dates, a timestamp `stamp` keeps (its own value) or replaces (null, stale
        // text, or geo's milliseconds), and an input's own number or boolean it keeps.
        case 3:
            let derivedMilliseconds = (Int(UTCCalendar.daysSinceEpoch(year: 2024, month: 1 + i % 9, day: day)) * 86_400) * 1000
            let value = [#""\#(date)T00:00:00Z""#, "null", #""\#(date)T06:00:00Z""#, "\(derivedMilliseconds)"][(i / 7) % 4]
            members.append(#""event_date":"\#(date)","timestamp":\#(value)"#)
        case 4: members.append(#""event_date":"\#(date)","timestamp":\#((i / 7) % 2 == 0 ? "1700000000" : "true")"#)
        case 5: members.append(#""event_date":"\#(date)","time_precision":1,"date_end":"\#(date)""#)
        // The same dates as other features, but for weeks or months (and a precision as a double).
        default: members.append(#""event_date":"\#(date)","time_precision":\#(["2", "3", "2.0"][i % 3])"#)
        }
        switch i % 5 {
        case 0: members.append(#""fatalities":\#(i % 13)"#)
        case 1: members.append(#""fatalities":null"#)
        case 2: break
        default: members.append(#""fatalities":0"#)
        }
        switch i % 11 {
        case 0: members.append(#""notes":"a \"quoted\" note\nwith a line""#)
        case 1: members.append(#""notes":"Dayr az Zawr — دير الزور""#)
        case 2: members.append(#""notes":"caf\u00e9""#)
        case 3: members.append(#""score":1.50,"ratio":1e3,"neg":-0,"big":123456789012345678901"#)
        case 4: members.append(#""score":0.1,"small":0.0001,"list":[1,"two",null,true,[3]]"#)
        case 5: members.append(#""extra":{"a":1,"a":2},"tags":[]"#)
        case 6: members.append(#""cluster":"given","role":7"#)
        case 7: members.append(#""notes" : "blanks around the colon""#)
        default: members.append(#""notes":"plain","tags":["x","y"],"flag":false"#)
        }
        // Strings with escapes beyond the dates: the writer's own (copied) or other forms of
        // them (decoded), in values and lists; one holds the text of the name `foo\`.
        switch i % 17 {
        case 0: members.append(#""said":"x \"foo\":1 y \\""#)
        case 1: members.append(#""items":["q\"uote","back\\","\u001f",""]"#)
        case 2: members.append(#""ctl":"\u001F""#)
        case 3: members.append(#""slash":"a\/b","tab":"a\tb""#)
        case 4: members.append(#""nl":"\u000a""#)
        case 5: members.append(#""we\"ird":1"#)
        default: break
        }
        // The same date written with an escape: another text for the same value.
        if i % 13 == 12, let dash = members[1].firstIndex(of: "-") {
            members[1].replaceSubrange(dash...dash, with: #"\u002d"#)
        }
        // A timestamp away from the dates (the writer puts it right after them): moved there
        // when text (geo's own value too) or null, kept in its place when an input's own number.
        if i % 7 == 1 && i % 3 == 0 {
            let value = ["\"\(date)T06:00:00Z\"", "null", "1700000000", "\"\(date)T00:00:00Z\""][(i / 21) % 4]
            members.append(#""timestamp":\#(value)"#)
        }
        let properties = "{" + members.joined(separator: ",") + "}"
        let id = switch i % 4 {
        case 0: #""id":"E\#(i)","#
        case 1: #""id":\#(i),"#
        case 2: ""
        default: #""id":-\#(i),"#
        }
        let geometry = i % 9 == 8 ? #"{"coordinates":[\#(lon),\#(lat)],"type":"Point"}"# : #"{"type":"Point","coordinates":[\#(lon),\#(lat)]}"#
        return #"{"type":"Feature",\#(id)"geometry":\#(geometry),"properties":\#(properties)}"#
    }

    static func input(count: Int, sequence: Bool) -> [UInt8] {
        var rng = SeededGenerator(seed: 19)
        let features = (0..<count).map { featureText($0, &rng) }
        let text = sequence ? features.joined(separator: "\n") + "\n" : #"{"type":"FeatureCollection","features":["# + features.joined(separator: ",\n") + "]}"
        return Array(text.utf8)
    }

    /// Everything a command takes from a layer, as bytes and values.
    struct Readings: Equatable {
        var longitudes: [Double], latitudes: [Double], startSeconds: [Double], endSeconds: [Double], precisions: [UInt8], fatalities: [Double]
        var written: [UInt8]
        var values: [[JSONValue?]]
        var features: [Feature]
    }

    static func readings(_ bytes: [UInt8], name: String, scanning: Bool) throws -> Readings {
        var options = EventLayerOptions()
        options.scansFeatures = scanning
        return try readings(bytes, name: name, options: options)
    }

    static func readings(_ bytes: [UInt8], name: String, options: EventLayerOptions) throws -> Readings {
        let layer = try EventLayer.read(file: InputFile(name: name, bytes: bytes), source: name, options: options)
        let sink = MemorySink()
        let writer = GeoJSONSeqWriter(sink: sink, encoder: GeoJSONEncoder(coordinateDecimals: 6))
        try layer.forEachOutgoingFeature(adding: { [("cluster", .integer($0 % 3 == 0 ? 1 : 2)), ("cluster_role", "core")] }) { try writer.write($0) }
        try writer.finish()
        var values: [[JSONValue?]] = []
        try layer.forEachValue(of: ["notes", "event_id", "timestamp", "said", "foo\\", "we\"ird", "items"]) { _, v in values.append(v) }
        var features: [Feature] = []
        try layer.forEachFeature { _, f in features.append(f) }
        return Readings(longitudes: layer.longitudes, latitudes: layer.latitudes, startSeconds: layer.startSeconds.map { $0.isNaN ? -1 : $0 },
                        endSeconds: layer.endSeconds.map { $0.isNaN ? -1 : $0 },
                        precisions: layer.precisions, fatalities: layer.fatalities.map { $0.isNaN ? -1 : $0 },
                        written: sink.bytes, values: values, features: features)
    }

    @Test(arguments: [(100_000, true), (5_000, false)])
    func scannedReadingEqualsFullDecoding(_ count: Int, _ sequence: Bool) throws {
        let bytes = Self.input(count: count, sequence: sequence)
        let name = sequence ? "golden.geojsons" : "golden.geojson"
        let fast = try Self.readings(bytes, name: name, scanning: true)
        let full = try Self.readings(bytes, name: name, scanning: false)
        #expect(fast.longitudes.count == count)
        #expect(fast.longitudes == full.longitudes && fast.latitudes == full.latitudes)
        #expect(fast.startSeconds == full.startSeconds && fast.precisions == full.precisions && fast.fatalities == full.fatalities)
        #expect(fast.endSeconds == full.endSeconds)
        #expect(Set(fast.precisions).isSuperset(of: [1, 2, 3]))
        #expect(fast.values == full.values)
        #expect(fast.features == full.features)
        if fast.written != full.written {
            let a = String(decoding: fast.written, as: UTF8.self).split(separator: "\n")
            let b = String(decoding: full.written, as: UTF8.self).split(separator: "\n")
            let first = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record("written outputs differ (\(a.count) and \(b.count) lines); first at line \(first.map { $0.offset + 1 } ?? -1):\n\(first?.element.0 ?? "")\n\(first?.element.1 ?? "")")
        }
        // The fast path did take most features (else this compares the full path with itself).
        var scanned = 0
        bytes.withUnsafeBytes { buffer in
            var reader = GeoJSONReader()
            if sequence {
                try? reader.forEachSeqFeatureRecord(in: buffer, scanning: EventLayer.scanner) { _, r in if case .scanned = r { scanned += 1 } }
            } else {
                _ = try? reader.forEachFeatureRecord(in: buffer, scanning: EventLayer.scanner) { _, r in if case .scanned = r { scanned += 1 } }
            }
        }
        #expect(scanned > count / 2, "only \(scanned) of \(count) features were scanned")
    }

    /// One row as `EventReader` gives it, all of it compared.
    struct ReadRow: Equatable {
        var position: RowPosition
        var event: Event?
        var problem: String?
        var original: String
    }

    static func rows(_ bytes: [UInt8], name: String, reader: EventReader, scanning: Bool) throws -> (rows: [ReadRow], scanned: Int) {
        var reader = reader
        reader.scansFeatures = scanning
        var rows: [ReadRow] = [], scanned = 0
        try reader.forEachRow(file: InputFile(name: name, bytes: bytes), source: name) { row in
            if case .featureText = row.input { scanned += 1 }
            switch row.result {
            case .success(let event): rows.append(ReadRow(position: row.position, event: event, original: row.original))
            case .failure(let problem):
                rows.append(ReadRow(position: row.position, problem: "\(problem.reason.rawValue): \(problem.message)", original: row.original))
            }
        }
        return (rows, scanned)
    }

    /// `geo convert`'s reading: plain Point features decoded from their scanned text give the
    /// same events, the same problems and the same rejected originals as parsed features, with
    /// and without the vocabulary and country names, on the golden shapes (plus event types,
    /// bad dates, fatalities as text, an escaped name, null geometry, a foreign member) and on
    /// the awkward sequences of the parallel test.
    /// The stamp's text told digit by digit is `EventTimestamp.isoText`: the same text quoted is
    /// found the same, a text one byte off is not, and years beyond 0…9999 are left to the
    /// general path.
    @Test func quotedISOTextIsTheStampsText() {
        var rng = SeededGenerator(seed: 5)
        var seconds: [Double] = [0, -1, 86_399.5, -62_167_219_200, 253_402_300_799, 253_402_300_800, -62_167_219_201]
        for _ in 0..<20_000 { seconds.append(Double(Int64.random(in: -70_000_000_000...260_000_000_000, using: &rng)) + [0, 0.25, 0.999][Int.random(in: 0..<3, using: &rng)]) }
        var told = 0
        for t in seconds {
            let text = Array(("\"" + EventTimestamp.isoText(seconds: t) + "\",").utf8)
            let result = text.withUnsafeBytes { EventLayer.isQuotedISOText($0, at: 0, seconds: t) }
            let year = UTCCalendar.civilDate(daysSinceEpoch: Int((t.rounded(.down) / 86_400).rounded(.down))).year
            guard (0...9999).contains(year) else {
                #expect(result == nil, "\(t)")
                continue
            }
            told += 1
            #expect(result == true, "\(t): \(String(decoding: text, as: UTF8.self))")
            var off = text
            let k = Int.random(in: 1..<21, using: &rng)
            off[k] = off[k] == UInt8(ascii: "9") ? UInt8(ascii: "0") : off[k] &+ 1
            #expect(off.withUnsafeBytes { EventLayer.isQuotedISOText($0, at: 0, seconds: t) } == false, "\(t) with byte \(k) changed")
            #expect(Array(text.prefix(15)).withUnsafeBytes { EventLayer.isQuotedISOText($0, at: 0, seconds: t) } == false)
        }
        #expect(told > 10_000)
        // Dates and times out of range name no other instant: 2024-03-01 is not "Feb 30", nor
        // the 29th at 24:00.
        let march = Double(UTCCalendar.daysSinceEpoch(year: 2024, month: 3, day: 1)) * 86_400
        for text in ["\"2024-02-30T00:00:00Z\"", "\"2024-02-29T24:00:00Z\"", "\"2024-02-29T23:59:60Z\"", "\"2024-03-01T00:00:00Z\""] {
            #expect(Array(text.utf8).withUnsafeBytes { EventLayer.isQuotedISOText($0, at: 0, seconds: march) } == text.hasPrefix("\"2024-03"), "\(text)")
        }
        for (text, seconds) in [("\"2024-03-01T00:00:60Z\"", march + 60), ("\"2024-03-01T00:60:00Z\"", march + 3_600)] {
            #expect(Array(text.utf8).withUnsafeBytes { EventLayer.isQuotedISOText($0, at: 0, seconds: seconds) } == false, "\(text)")
        }
    }

    /// The text looked for right after the dates is the timestamp property's member start.
    @Test func timestampFollowingNamesTheTimestampProperty() {
        #expect("\(EventLayer.timestampFollowing)" == ",\"\(EventTimestamp.property)\":")
    }

    @Test func scannedEventsEqualParsedFeatures() throws {
        var rng = SeededGenerator(seed: 20)
        var texts = (0..<3_000).map { i -> String in
            var text = Self.featureText(i, &rng)
            let added = switch i % 8 {
            case 0: #""event_type":"Battles","sub_event_type":"Armed clash","actor1":"US forces","country":"Iraq","#
            case 1: #""event_type":"Bombing","country":"XX","#
            case 2: #""event_type":"Explosions/Remote violence","sub_event_type":"Air/drone strike","fatalities":"three","#
            case 3: #""event_type":"air strike","actor1":"Kataib Hezbollah","location":"Al-Bukamal","#
            case 4: #""event_type":"Battles","event_date":"31/02/2024","#
            case 5: #""event_type":"Riots","#
            case 6: #""event_type":"Battles","match_score":0.5,"actor_side":"us","#
            default: #""event_type":"Battles","sources":["a","b"],"fatality_claims":[{"source":"x","killed":2}],"#
            }
            text = text.replacingOccurrences(of: #""properties":{"#, with: #""properties":{"# + added)
            // No event_id, or a null one: the feature's id (string, integer or none) stands in.
            if i % 8 == 5 { text = text.replacingOccurrences(of: #""event_id":"E\#(i)","#, with: i % 16 == 5 ? "" : #""event_id":null,"#) }
            return text
        }
        // Features the scanner leaves to the full decoder.
        texts.append(#"{"type":"Feature","geometry":null,"properties":{"event_id":"N","event_date":"2024-01-01","event_type":"Battles","location":"Erbil"}}"#)
        texts.append(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[44,36]},"properties":{"event_\u0069d":"U","event_date":"2024-01-01","event_type":"Battles"}}"#)
        texts.append(#"{"type":"Feature","bbox":[44,36,44,36],"geometry":{"type":"Point","coordinates":[44,36]},"properties":{"event_date":"2024-01-01","event_type":"Battles"}}"#)
        texts.append(#"{"type":"Feature","geometry":{"type":"Point","coordinates":[44,36]},"properties":null}"#)
        let inputs: [(String, [UInt8])] = [
            ("golden.geojsonl", Array((texts.joined(separator: "\n") + "\n").utf8)),
            ("golden.geojson", Array((#"{"type":"FeatureCollection","features":["# + texts.joined(separator: ",") + "]}").utf8)),
            ("awkward.geojsonl", Array(EventConversionTests.awkwardSequence(separators: false).utf8)),
            ("awkward.geojsons", Array(EventConversionTests.awkwardSequence(separators: true).utf8)),
        ]
        for reader in [EventReader(), try readerWithCountryNames()] {
            for (name, bytes) in inputs {
                let fast = try Self.rows(bytes, name: name, reader: reader, scanning: true)
                let full = try Self.rows(bytes, name: name, reader: reader, scanning: false)
                #expect(full.scanned == 0)
                #expect(fast.scanned > fast.rows.count / 3, "\(name): only \(fast.scanned) of \(fast.rows.count) rows scanned")
                #expect(fast.rows.count == full.rows.count, "\(name)")
                #expect(fast.rows.contains { $0.problem != nil } && fast.rows.contains { $0.event != nil }, "\(name)")
                for (a, b) in zip(fast.rows, full.rows) where a != b {
                    Issue.record("\(name) \(a.position): scanned \(a)\nparsed \(b)")
                    break
                }
            }
        }
    }

    /// The first reading of a large GeoJSONSeq on several threads, in chunks of any size, gives
    /// what one thread gives: columns, values, features, written bytes, skipped layers and
    /// warnings, or the same error naming the same rows.
    @Test func parallelFirstReadingEqualsOneThread() throws {
        var rng = SeededGenerator(seed: 21)
        let layered = (0..<800).map { i -> String in
            var text = Self.featureText(i, &rng)
            if i % 5 == 0 { text = text.replacingOccurrences(of: #""properties":{"#, with: #""properties":{"layer":"border","#) }
            if i % 5 == 1 { text = text.replacingOccurrences(of: #""properties":{"#, with: #""properties":{"layer":"events","#) }
            // Longitudes of 38.x made 188.x: read as wrapped, with warnings.
            if i % 97 == 3 { text = text.replacingOccurrences(of: #""coordinates":[3"#, with: #""coordinates":[18"#) }
            return text + (i % 2 == 0 ? "\r\n" : "\n")
        }.joined()
        let inputs: [(String, [UInt8])] = [
            ("golden.geojsonl", Self.input(count: 1_000, sequence: true)),
            ("layered.geojsonl", Array(layered.utf8)),
            ("awkward.geojsonl", Array(EventConversionTests.awkwardSequence(separators: false).utf8)),
            ("awkward.geojsons", Array(EventConversionTests.awkwardSequence(separators: true).utf8)),
        ]
        for (name, bytes) in inputs {
            func read(threads: Int, chunkBytes: Int, layer: LayerChoice, scanning: Bool = true) -> (readings: Readings?, error: String?, skipped: [String: Int], warnings: [String]) {
                let warnings = WarningLog()
                var options = EventLayerOptions(layer: layer)
                options.scansFeatures = scanning
                options.threads = threads
                options.chunkBytes = chunkBytes
                options.reader.onWarning = { warnings.add($0) }
                var skipped: [String: Int] = [:]
                do {
                    let layer = try EventLayer.read(file: InputFile(name: name, bytes: bytes), source: name, options: options)
                    skipped = Dictionary(uniqueKeysWithValues: layer.skippedLayers.map { ($0.key, $0.value) })
                    return (try Self.readings(bytes, name: name, options: options), nil, skipped, warnings.lines)
                } catch {
                    return (nil, "\(error)", skipped, warnings.lines)
                }
            }
            for layer in [LayerChoice.events, .named("border"), .all] {
                let one = read(threads: 1, chunkBytes: 1 << 30, layer: layer)
                // The golden file has no layer named border.
                #expect((name.hasPrefix("awkward") || (name.hasPrefix("golden") && layer == .named("border"))) == (one.error != nil),
                        "\(name) \(layer): \(one.error ?? "read")")
                #expect(name != "layered.geojsonl" || layer == .named("border") || !one.warnings.isEmpty)
                // One thread gathers runs of scanned features as columns too: what the full decoder,
                // row by row, gives.
                let full = read(threads: 1, chunkBytes: 1 << 30, layer: layer, scanning: false)
                let sameAsFull = full.readings == one.readings
                #expect(sameAsFull && full.error == one.error && full.skipped == one.skipped && full.warnings == one.warnings,
                        "\(name) \(layer): one thread against the full decoder")
                for (threads, chunkBytes) in [(2, 1), (3, 999), (2, 20_000)] {
                    let many = read(threads: threads, chunkBytes: chunkBytes, layer: layer)
                    #expect(many.error == one.error, "\(name) \(layer), \(threads) threads, chunks of \(chunkBytes) B")
                    // Compared as one Bool: the readings are too long to print.
                    let sameReadings = many.readings == one.readings
                    #expect(sameReadings, "\(name) \(layer), \(threads) threads, chunks of \(chunkBytes) B")
                    #expect(many.skipped == one.skipped && many.warnings == one.warnings, "\(name) \(layer), \(threads) threads, chunks of \(chunkBytes) B")
                }
            }
        }
    }

    /// A first reading on several threads, which hands runs of plain features over as columns,
    /// reports progress every 2¹⁶ rows as one thread does.
    @Test func parallelFirstReadingReportsProgressAsOneThread() throws {
        let bytes = Self.input(count: 140_000, sequence: true)
        func progress(threads: Int, chunkBytes: Int) throws -> [EventLayerProgress] {
            let log = ProgressLog()
            var options = EventLayerOptions(onProgress: { log.add($0) })
            options.threads = threads
            options.chunkBytes = chunkBytes
            let layer = try EventLayer.read(file: InputFile(name: "golden.geojsons", bytes: bytes), source: "golden.geojsons", options: options)
            #expect(layer.count == 140_000)
            return log.reports
        }
        let one = try progress(threads: 1, chunkBytes: 1 << 30)
        #expect(one == [EventLayerProgress(pass: 0, rows: 65_536), EventLayerProgress(pass: 0, rows: 131_072)])
        for (threads, chunkBytes) in [(2, 100_000), (2, 3_000_000), (3, 7_777)] {
            #expect(try progress(threads: threads, chunkBytes: chunkBytes) == one, "\(threads) threads, chunks of \(chunkBytes) B")
        }
    }

    /// A large CSV or ACLED table read into a layer on several threads (each with its own copy of
    /// `locate`), in chunks of any size, gives what one thread gives: columns, values, features,
    /// written bytes, or the same error naming the same rows; a `locate` that rejects rows, places
    /// rows without coordinates, or fails outright (an error that is not a row's) included.
    @Test func parallelTableReadingEqualsOneThread() throws {
        var generated = "event_id,event_date,event_type,sub_event_type,actor1,location,latitude,longitude,country,fatalities,notes\n"
        for i in 0..<1_500 {
            let coordinates = i % 9 == 4 ? "," : "\(33 + Double(i % 50) / 10),\(40 + Double(i % 37) / 10)"
            generated += "G\(i),2024-02-\(String(format: "%02d", 1 + i % 28)),Explosions/Remote violence,Shelling/artillery/missile attack,A,Place \(i % 40),\(coordinates),IQ,\(i % 5),\"n, \(i)\"\n"
        }
        let inputs: [(String, [UInt8])] = [
            ("generated.csv", Array(generated.utf8)),
            ("awkward.csv", Array(EventConversionTests.awkwardTable.utf8)),
            ("malformed-rows.csv", Array(try String(contentsOfFile: try fixture("malformed-rows.csv"), encoding: .utf8).utf8)),
            ("acled-export.csv", Array(try String(contentsOfFile: try fixture("acled-export.csv"), encoding: .utf8).utf8)),
        ]
        struct Outage: Error, CustomStringConvertible { var description: String { "the gazetteer could not be loaded" } }
        // Places rows without coordinates by their place name (mode 0); also rejects one place in
        // eleven (mode 1); also fails outright at Place 33 (mode 2).
        func locate(mode: Int) -> (inout Event) throws -> Void {
            { event in
                let number = Int(event.location.split(separator: " ").last ?? "") ?? 0
                if mode == 2, number == 33 { throw Outage() }
                if mode >= 1, number % 11 == 7 { throw RowProblem(.unresolvedPlace, "'\(event.location)' is not in the test gazetteer") }
                if event.latitude == nil { (event.latitude, event.longitude) = (30 + Double(number) / 20, 45 - Double(number) / 30) }
            }
        }
        for (name, bytes) in inputs {
            for mode in 0...2 {
                let failing = mode == 2
                func read(threads: Int, chunkBytes: Int) -> (readings: Readings?, error: String?) {
                    var options = EventLayerOptions(locate: locate(mode: mode))
                    options.threadLocates = { count in (0..<count).map { _ in locate(mode: mode) } }
                    options.threads = threads
                    options.chunkBytes = chunkBytes
                    do {
                        return (try Self.readings(bytes, name: name, options: options), nil)
                    } catch {
                        return (nil, "\(error)")
                    }
                }
                let one = read(threads: 1, chunkBytes: 1 << 30)
                // The generated table reads whole when nothing is rejected; the awkward and malformed ones never do.
                if name == "generated.csv" { #expect((mode == 0) == (one.error == nil), "\(name), mode \(mode): \(one.error ?? "read")") }
                if failing, name == "generated.csv" { #expect(one.error?.contains("could not be loaded") == true, "\(one.error ?? "read")") }
                if name == "generated.csv", mode == 0 { #expect(one.readings?.longitudes.count == 1_500) }
                for (threads, chunkBytes) in [(2, 1), (3, 999), (2, 20_000)] {
                    let many = read(threads: threads, chunkBytes: chunkBytes)
                    #expect(many.error == one.error, "\(name), mode \(mode), \(threads) threads, chunks of \(chunkBytes) B")
                    #expect(many.readings == one.readings, "\(name), mode \(mode), \(threads) threads, chunks of \(chunkBytes) B")
                }
            }
        }
    }

    /// The extra names a CSV output keeps (`extraFieldNames`) are found the same with the
    /// scanner as by decoding every feature: the same names in the same order (a plain
    /// feature's only extra name is `timestamp`), for a sequence and a collection.
    @Test func extraNamesAreTheDecodedOnes() throws {
        for (name, bytes) in [("golden.geojsons", Self.input(count: 2_000, sequence: true)), ("golden.geojson", Self.input(count: 1_000, sequence: false))] {
            let file = InputFile(name: name, bytes: bytes)
            var decoding = EventReader()
            decoding.scansFeatures = false
            let names = try EventReader().extraFieldNames(file: file, source: name)
            let decoded = try decoding.extraFieldNames(file: file, source: name)
            #expect(names == decoded, "\(name)")
            #expect(names.contains(EventTimestamp.property) && names.count > 5, "\(name): \(names)")
        }
        // `timestamp` first seen in a plain feature, before another feature's own name.
        let point = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[40,35]},"properties":"#
        let lines = [point + #"{"event_id":"A","event_date":"2024-01-01","timestamp":"2024-01-01T00:00:00Z"}}"#,
                     point + #"{"event_id":"B","event_date":"2024-01-02","zeta":1}}"#, point + #"{"event_id":"C","event_date":"2024-01-03"}}"#]
        let file = InputFile(name: "plain.geojsonl", bytes: Array((lines.joined(separator: "\n") + "\n").utf8))
        #expect(try EventReader().extraFieldNames(file: file, source: "plain.geojsonl") == [EventTimestamp.property, "zeta"])
        // Names read by their bytes and remembered from one feature to the next
        // (`ExtraNameReading`): a name the last one's prefix, one of the same length, longer
        // and shorter lists, empty names, a value that holds a name's text.
        let layouts = [#"{"event_id":"A","abc":1}"#, #"{"event_id":"B","ab":1}"#, #"{"event_id":"B2","zz":1,"ab":2}"#, #"{"event_id":"C","ab":1,"x":2}"#, #"{"event_id":"D","ab":1}"#,
                       #"{"event_id":"E","aB":1}"#, #"{"":1,"event_id":"F"}"#, #"{"":2,"event_id":"G"}"#, #"{"":2,"event_id":"G","":3}"#,
                       #"{"event_id":"H","q":"say \"k\":1 \\","k2":[1,"\"k3\":"]}"#, #"{"event_id":"I","q":1,"k2":2}"#,
                       #"{"event_id":"J","q":1,"k2":2,"é":3}"#, #"{"event_id":"K"}"#, #"{"event_id":"L","abc":1,"ab":2,"aB":3,"last":4}"#]
        let memo = InputFile(name: "layouts.geojsonl", bytes: Array((layouts.map { point + $0 + "}" }.joined(separator: "\n") + "\n").utf8))
        var decoding = EventReader()
        decoding.scansFeatures = false
        let expected = try decoding.extraFieldNames(file: memo, source: "layouts.geojsonl")
        #expect(expected == ["abc", "ab", "zz", "x", "aB", "", "q", "k2", "é", "last"])
        #expect(try EventReader().extraFieldNames(file: memo, source: "layouts.geojsonl") == expected)
    }

    /// A GeoJSONSeq's extra names found in chunks on several threads are those of one pass, in
    /// the same order: names first seen in later chunks, in other orders, in features that are
    /// not plain, and in records that are broken or span lines.
    @Test func extraNamesInChunksAreThoseOfOnePass() throws {
        let point = #"{"type":"Feature","geometry":{"type":"Point","coordinates":[40,35]},"properties":"#
        var lines: [String] = []
        for i in 0..<400 {
            var properties = #"{"event_id":"E\#(i)","event_date":"2024-01-01""#
            if i % 50 == 49 { properties += #","n\#(i / 50)":1"# }
            if i % 97 == 3 { properties += #","late":2,"early":3"# }
            if i % 7 == 2 { properties += #","timestamp":"2024-01-01T00:00:00Z""# }
            lines.append(point + properties + "}}")
            if i % 61 == 5 { lines.append(point + #"{"broken":"#) }
        }
        lines.append(point + #"{"event_id":"Z","early":1,"last":0}}"#)
        // As collections (read in parts): members, some not features, some with text that looks
        // like a member's start; compact, pretty, and with a syntax error in the middle.
        var members = lines.filter { !$0.hasSuffix(#"{"broken":"#) }
        for i in stride(from: 30, to: members.count, by: 90) {
            members.insert(point + #"{"notes":"a,{ b:1},{","n\#(i)x":true}}"#, at: i)
            members.insert(#"{"type":"Feature","geometry":null,"properties":{"odd\#(i)":1}}"#, at: i + 1)
            members.insert(#"{"not":"a feature"}"#, at: i + 2)
            // A part that began at the nested object would read it as a member, and the array's end as the collection's.
            members.insert(point + #"{"pairs":[0,{"type":"Feature","geometry":null,"properties":{"ghost\#(i)":1}}]}}"#, at: i + 3)
        }
        let compact = #"{"type":"FeatureCollection","name":"x","features":["# + members.joined(separator: ",") + #"],"crs":null}"#
        let pretty = "{\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n    " + members.joined(separator: ",\n    ") + "\n  ]\n}\n"
        var broken = members
        broken[200] = #"{"type":"Feature","properties":{"a":1}"#
        let inputs = [("names.geojsonl", Array((lines.joined(separator: "\n") + "\n").utf8)),
                      ("awkward.geojsons", Array(EventConversionTests.awkwardSequence(separators: true).utf8)),
                      ("golden.geojsons", Self.input(count: 2_000, sequence: true)),
                      ("compact.geojson", Array(compact.utf8)), ("pretty.geojson", Array(pretty.utf8)),
                      ("broken.geojson", Array((#"{"type":"FeatureCollection","features":["# + broken.joined(separator: ",") + "]}").utf8)),
                      ("golden.geojson", Self.input(count: 2_000, sequence: false))]
        for (name, bytes) in inputs {
            let file = InputFile(name: name, bytes: bytes)
            /// The names, or the error's message.
            func names(threads: Int, chunkBytes: Int) -> [String] {
                do { return try EventReader().extraFieldNames(file: file, source: name, threads: threads, chunkBytes: chunkBytes) } catch {
                    return ["error: \(error)"]
                }
            }
            let one = names(threads: 1, chunkBytes: 1 << 20)
            #expect(one.count > 2 || name.hasPrefix("awkward") || (name.hasPrefix("broken") && one.count == 1 && one[0].hasPrefix("error")), "\(name): \(one)")
            for (threads, chunkBytes) in [(2, 1), (2, 700), (3, 5_000)] {
                let many = names(threads: threads, chunkBytes: chunkBytes)
                #expect(many == one, "\(name), \(threads) threads, chunks of \(chunkBytes) B")
            }
        }
    }

    /// The values of a few properties of every feature (`forEachValue`) worked out on several
    /// threads, a share each, are those of one thread, in order: strings, escapes, nulls, absent
    /// and nested values, more features than two shares hold.
    @Test func valuesOnThreadsAreOneThreads() throws {
        var text = ""
        for i in 0..<(2 * EventLayer.valueBlock + 777) {
            let side = i % 5 == 0 ? "null" : i % 7 == 0 ? #""mili\u0074ia""# : #""s\#(i % 3)""#
            let nested = i % 11 == 0 ? #","n":{"a":[1,2]}"# : ""
            text += #"{"type":"Feature","geometry":{"type":"Point","coordinates":[\#(40 + Double(i % 100) / 100),35]},"properties":{"event_id":"E\#(i)","event_date":"2024-01-1\#(i % 9)""#
                + (i % 13 == 0 ? "" : #","actor_side":\#(side)"#) + nested + "}}\n"
        }
        let file = InputFile(name: "values.geojsonl", bytes: Array(text.utf8))
        func values(threads: Int) throws -> [[JSONValue?]] {
            var options = EventLayerOptions()
            options.threads = threads
            let layer = try EventLayer.read(file: file, source: "values.geojsonl", options: options)
            var all: [[JSONValue?]] = []
            try layer.forEachValue(of: ["actor_side", "n", "event_id"]) { index, values in
                #expect(index == all.count)
                all.append(values)
            }
            return all
        }
        let one = try values(threads: 1)
        #expect(one.count == 2 * EventLayer.valueBlock + 777 && one[7][0] == .string("militia") && one[11][1] != nil && one[13][0] == nil)
        let same = try values(threads: 2) == one && values(threads: 3) == one
        #expect(same)
    }

    /// `features(at:)` gives the features a pass over the layer gives at those indices, whether
    /// the scanner kept every feature (read where kept) or not (one pass), out of range ones
    /// left out; `strings(of:)` of several properties gives each one's column.
    @Test(arguments: [true, false]) func featuresAtIndicesAreThoseOfAPass(scanning: Bool) throws {
        let bytes = Self.input(count: 3_000, sequence: true)
        var options = EventLayerOptions()
        options.scansFeatures = scanning
        let layer = try EventLayer.read(file: InputFile(name: "at.geojsons", bytes: bytes), source: "at.geojsons", options: options)
        var all: [Feature] = []
        try layer.forEachFeature { _, feature in all.append(feature) }
        let wanted = [0, 1, 17, 1_500, 2_999, 3_000, -1]
        let found = try layer.features(at: wanted)
        #expect(found.count == 5 && found.keys.allSatisfy { (0..<3_000).contains($0) })
        for (i, feature) in found { #expect(feature == all[i], "feature \(i)") }
        let names = ["notes", "fatalities", "nothing"]
        let together = try layer.strings(of: names)
        for (k, name) in names.enumerated() {
            let alone = try layer.strings(of: name)
            let same = together[k].codes == alone.codes && together[k].values == alone.values
            #expect(same, "\(name)")
        }
        #expect(together[0].values.count > 1 && together[2].values.isEmpty)
    }

    /// Writing in batches made on several threads (`encodeOutgoingFeatures`, as cluster, near and
    /// corridor write) gives the bytes one thread writes feature by feature, as GeoJSONSeq and as a
    /// FeatureCollection (bbox included), for any batch size, with the kept spans or without
    /// them (the full decoder) and for table rows, with features copied as text or decoded by a style.
    @Test func batchedWritingEqualsOneThread() throws {
        var table = "event_id,event_date,event_type,sub_event_type,actor1,location,latitude,longitude,country,fatalities,notes\n"
        for i in 0..<700 {
            table += "T\(i),2023-11-\(String(format: "%02d", 1 + i % 30)),Explosions/Remote violence,Air/drone strike,A,Place \(i % 40),\(33 + Double(i % 50) / 10),\(40 + Double(i % 37) / 10),SY,\(i % 6),\"n, \(i)\"\n"
        }
        let inputs: [(String, [UInt8])] = [
            ("golden.geojsons", Self.input(count: 1_000, sequence: true)),
            ("golden.geojson", Self.input(count: 600, sequence: false)),
            ("events.csv", Array(table.utf8)),
        ]
        let adding: (Int) -> [(String, JSONValue)] = { i in
            [("cluster", i % 4 == 0 ? .null : .integer(Int64(i % 3))), ("near_km", .double(Double(i) / 7)), ("cluster_role", "core")]
        }
        let styles: [(String, (OutgoingFeature) -> OutgoingFeature)] = [("as read", { $0 }), ("decoded", { .feature($0.feature) })]
        let encoder = GeoJSONEncoder(coordinateDecimals: 6)
        // The inputs as files too: a mapped input's pages are let go as the batches are made,
        // and what is read again is paged in again from the file.
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batched-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, bytes) in inputs {
            let path = directory.appendingPathComponent(name).path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            for scanning in [true, false] {
                var options = EventLayerOptions()
                options.scansFeatures = scanning
                options.threads = 1
                let one = try EventLayer.read(file: InputFile(name: name, bytes: bytes), source: name, options: options)
                for (styleName, style) in styles {
                    for sequence in [true, false] {
                        let sink = MemorySink()
                        let seq = GeoJSONSeqWriter(sink: sink, encoder: encoder)
                        let collection = sequence ? nil : try GeoJSONStreamWriter(sink: sink, encoder: encoder)
                        try one.forEachOutgoingFeature(adding: adding) { feature in
                            if let collection { try collection.write(style(feature)) } else { try seq.write(style(feature)) }
                        }
                        if let collection { try collection.finish() } else { try seq.finish() }
                        // Small chunks: a table read again by a worker per thread, in many rounds.
                        for (threads, perBatch, chunkBytes, mapped) in [(1, 7, 0, false), (2, 1, 0, false), (3, 333, 0, false), (2, 100_000, 0, false),
                                                                        (2, 50, 3_000, false), (3, 64, 5_000, false), (2, 16, 0, true)] {
                            options.threads = threads
                            options.featuresPerBatch = perBatch
                            options.chunkBytes = chunkBytes > 0 ? chunkBytes : EventReader.parallelChunkBytes
                            let file = mapped ? try InputFile(path: path) : InputFile(name: name, bytes: bytes)
                            let layer = try EventLayer.read(file: file, source: name, options: options)
                            let batchedSink = MemorySink()
                            let batchedSeq = GeoJSONSeqWriter(sink: batchedSink, encoder: encoder)
                            let batchedCollection = sequence ? nil : try GeoJSONStreamWriter(sink: batchedSink, encoder: encoder)
                            var batches = 0
                            try layer.encodeOutgoingFeatures(adding: adding, makeBatch: { EncodedFeatures(sequence: sequence, encoder: encoder) },
                                                             encode: { feature, batch in batch.append(style(feature)) }) { batch in
                                batches += 1
                                if let batchedCollection { try batchedCollection.writeEncoded(batch) } else { try batchedSeq.writeEncoded(batch) }
                            }
                            if let batchedCollection { try batchedCollection.finish() } else { try batchedSeq.finish() }
                            let what = "\(name)\(mapped ? " (mapped)" : ""), scanning \(scanning), \(styleName), \(sequence ? "sequence" : "collection"), \(threads) threads, batches of \(perBatch), chunks of \(chunkBytes) B"
                            if batchedSink.bytes != sink.bytes {
                                let a = batchedSink.bytes.split(separator: UInt8(ascii: "\n")), b = sink.bytes.split(separator: UInt8(ascii: "\n"))
                                let line = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
                                Issue.record("\(what): the output differs from one thread's at line \(line + 1) (\(a.count) and \(b.count) lines)")
                            }
                            #expect(batches == (one.count + perBatch - 1) / perBatch, "\(what)")
                        }
                        options.threads = 1
                        options.featuresPerBatch = 8_192
                        options.chunkBytes = EventReader.parallelChunkBytes
                    }
                }
            }
        }
    }
}

/// Progress reports, from whichever thread makes them (one at a time).
private final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [EventLayerProgress] = []
    func add(_ report: EventLayerProgress) { lock.withLock { stored.append(report) } }
    var reports: [EventLayerProgress] { lock.withLock { stored } }
}
