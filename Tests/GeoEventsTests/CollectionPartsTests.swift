import Foundation
import Testing
@testable import GeoCore
@testable import GeoEvents
import GeoGazetteer
import GeoLocate

/// A large FeatureCollection's members are read in parts on several threads
/// (`GeoJSONReader.forEachCollectionMember`, `GeoJSONReader.collectionMemberStart`): the layer
/// holds the same rows, values, written bytes, warnings and errors as one thread reading the
/// whole text, whatever the parts' size and however the text is laid out.
@Suite struct CollectionPartsTests {
    /// Member `i` of an awkward collection: plain features among malformed ones (latitude 95, a
    /// LineString), longitudes past 180° (a warning naming the feature), features the scanner
    /// leaves to the decoder, other layers, dates the decoder refuses, and strings that look
    /// like the start of a member (`,{"type":"Feature"`). With `rejecting`, members from the
    /// 1,000th on are also malformed or refused (the layer then fails, naming the first five).
    static func awkwardMember(_ i: Int, rejecting: Bool = false) -> String {
        let (lon, lat) = (40 + Double(i % 37) / 10, 33 + Double(i % 40) / 10)
        let point = #"{"type":"Point","coordinates":[\#(lon),\#(lat)]}"#
        let date = "2024-0\(1 + i % 9)-1\(i % 10)"
        switch rejecting || i < 1_000 ? i % 17 : 0 {
        case 1 where rejecting: return #"{"type":"Feature","geometry":{"type":"Point","coordinates":[40,95]},"properties":{"event_date":"\#(date)"}}"#
        case 2 where rejecting: return #"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[40,33],[41,34]]},"properties":null}"#
        case 3: return #"{"type":"Feature","geometry":{"type":"Point","coordinates":[180.5,\#(lat)]},"properties":{"event_date":"\#(date)"}}"#
        case 4: return #"{"type":"Feature","geometry":\#(point),"properties":{"notes":"a,{\"type\":\"Feature\" inside","event_date":"\#(date)"}}"#
        case 5: return #"{"type":"Feature","geometry":\#(point),"properties":{"layer":"sites","name":"S\#(i)"}}"#
        case 6 where rejecting: return #"{"type":"Feature","geometry":\#(point),"properties":{"event_date":"31/02/2024"}}"#
        case 7: return #"{ "type" : "Feature", "geometry" : \#(point), "properties" : { "event_date" : "\#(date)", "n" : [ 1, {"a": 2} ] } }"#
        case 8: return #"{"type":"Feature","geometry":\#(point),"bbox":[\#(lon),\#(lat),\#(lon),\#(lat)],"properties":{"event_date":"\#(date)"}}"#
        default: return #"{"type":"Feature","id":"E\#(i)","geometry":\#(point),"properties":{"event_id":"E\#(i)","event_date":"\#(date)","fatalities":\#(i % 5),"notes":"n,{\#(i)"}}"#
        }
    }

    /// Collections of every layout: geo's own, pretty-printed with foreign members before and
    /// after `features`, awkward members, an empty array, and one cut off by a syntax error.
    static func collections() -> [(String, [UInt8])] {
        let own = ScannedPathGoldenTests.input(count: 3_000, sequence: false)
        var rng = SeededGenerator(seed: 7)
        let features = (0..<1_500).map { ScannedPathGoldenTests.featureText($0, &rng) }
        let pretty = "{\n  \"name\": \"events\",\n  \"type\": \"FeatureCollection\",\n  \"features\": [\n    "
            + features.joined(separator: " ,\n\n    ") + "\n  ],\n  \"bbox\": [38, 32, 42, 36],\n  \"crs_note\": {\"a\": \",{\"}\n}\n"
        let awkward = "{\"type\":\"FeatureCollection\",\"features\":[" + (0..<1_500).map { awkwardMember($0) }.joined(separator: ",") + "]}"
        let rejecting = "{\"type\":\"FeatureCollection\",\"features\":[" + (0..<1_500).map { awkwardMember($0, rejecting: true) }.joined(separator: ",") + "]}"
        let broken = "{\"type\":\"FeatureCollection\",\"features\":[" + (0..<1_500).map { $0 == 1_100 ? "{\"type\":\"Feature\",\"geometry\":NaN}" : awkwardMember($0) }
            .joined(separator: ",\n") + "]}"
        let empty = "{\"type\":\"FeatureCollection\",\"bbox\":[1,2,3,4],\"features\":[ ]}"
        // Cut off after a comma, and after a member's text that looks like a new one begins.
        let cut = "{\"type\":\"FeatureCollection\",\"features\":[" + (0..<900).map { awkwardMember($0) }.joined(separator: ",") + ",\n"
        let cutInside = "{\"type\":\"FeatureCollection\",\"features\":[" + (0..<900).map { awkwardMember($0) }.joined(separator: ",") + ",{\"type\":"
        return [("own.geojson", own), ("pretty.geojson", Array(pretty.utf8)), ("awkward.geojson", Array(awkward.utf8)),
                ("rejecting.geojson", Array(rejecting.utf8)), ("broken.geojson", Array(broken.utf8)),
                ("broken-cut.geojson", Array(cut.utf8)), ("broken-cut-inside.geojson", Array(cutInside.utf8)), ("empty.geojson", Array(empty.utf8))]
    }

    @Test func partsReadAsOneThreadReads() throws {
        var compared = 0
        for (name, bytes) in Self.collections() {
            for layer in [LayerChoice.events, .all] {
                func read(threads: Int, chunkBytes: Int) -> (readings: ScannedPathGoldenTests.Readings?, error: String?, warnings: [String]) {
                    let warnings = WarningLog()
                    var options = EventLayerOptions(layer: layer)
                    options.reader.onWarning = { warnings.add($0) }
                    options.threads = threads
                    options.chunkBytes = chunkBytes
                    do {
                        return (try ScannedPathGoldenTests.readings(bytes, name: name, options: options), nil, warnings.lines)
                    } catch {
                        return (nil, "\(error)", warnings.lines)
                    }
                }
                let one = read(threads: 1, chunkBytes: 1 << 30)
                #expect((one.error != nil) == (name.hasPrefix("broken") || name.hasPrefix("rejecting")), "\(name): \(one.error ?? "read")")
                #expect(!name.hasPrefix("awkward") || !one.warnings.isEmpty, "\(name): no warning")
                for (threads, chunkBytes) in [(2, 1), (2, 700), (3, 5_000), (2, 40_000)] {
                    let parts = read(threads: threads, chunkBytes: chunkBytes)
                    let what = "\(name), layer \(layer), \(threads) threads, parts of \(chunkBytes) B"
                    // Compared as Bools: the readings are too long to print.
                    let same = parts.readings == one.readings
                    #expect(same, "\(what)")
                    #expect(parts.error == one.error, "\(what)")
                    let sameWarnings = parts.warnings == one.warnings
                    #expect(sameWarnings, "\(what): \(parts.warnings.count) warnings, \(one.warnings.count) on one thread")
                    compared += 1
                }
            }
        }
        #expect(compared == 64)
    }

    /// `geo convert` of a large collection reads its members in parts on several threads (plain
    /// features written from their text): the same bytes, rejects (with their feature indices),
    /// counts, warnings and errors as one thread, for collections of every layout and for the
    /// varied features of `FeatureTextScannerTests` as a collection.
    @Test(arguments: [EventOutputKind.geojsonseq, .csv])
    func partsConvertAsOneThreadConverts(kind: EventOutputKind) throws {
        let g = try Gazetteer.load(userDirectory: nil)
        let locator = EventLocator(gazetteer: { g })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("collection-parts-\(getpid())-\(kind)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let varied = "{\"type\":\"FeatureCollection\",\"features\":[" + (0..<600).map { FeatureTextScannerTests.feature($0, problems: true) }
            .joined(separator: ",\n") + "]}"
        var inputs = Self.collections()
        inputs.append(("varied.geojson", Array(varied.utf8)))
        var compared = 0
        for (name, bytes) in inputs {
            #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data(bytes)))
            func convert(threads: Int, chunkBytes: Int) -> (output: String, rejects: String, counts: EventConversion.Counts?, warnings: [String], error: String?) {
                let warnings = WarningLog()
                let out = MemorySink(), rejected = MemorySink()
                do {
                    var reader = try readerWithCountryNames()
                    reader.onWarning = { warnings.add($0) }
                    let conversion = try EventConversion(inputs: [folder + "/" + name], reader: reader, locator: locator)
                    let writer = try EventWriter(kind: kind, sink: out, extraColumns: try conversion.extraColumns())
                    let counts = try conversion.run(writer: writer, rejects: try RejectsWriter(sink: rejected), threads: threads, chunkBytes: chunkBytes)
                    try writer.finish()
                    return (out.text, rejected.text, counts, warnings.lines, nil)
                } catch {
                    return ("", "", nil, warnings.lines, "\(error)")
                }
            }
            let one = convert(threads: 1, chunkBytes: 1 << 30)
            #expect((one.error != nil) == name.hasPrefix("broken"), "\(name): \(one.error ?? "converted")")
            #expect(!name.hasPrefix("rejecting") || one.rejects.split(separator: "\n").count > 100, "\(name)")
            for (threads, chunkBytes) in [(2, 1), (2, 900), (3, 20_000)] {
                let parts = convert(threads: threads, chunkBytes: chunkBytes)
                let what = "\(name), \(threads) threads, parts of \(chunkBytes) B"
                // Compared as Bools, the first differing line named: the outputs are too long to print.
                let sameOutput = parts.output == one.output, sameRejects = parts.rejects == one.rejects, sameWarnings = parts.warnings == one.warnings
                #expect(sameOutput, "\(what): \(sameOutput ? "" : FeatureTextScannerTests.firstDifference(parts.output, one.output))")
                #expect(sameRejects, "\(what): \(sameRejects ? "" : FeatureTextScannerTests.firstDifference(parts.rejects, one.rejects))")
                #expect(sameWarnings && parts.counts == one.counts && parts.error == one.error, "\(what): \(parts.error ?? "converted")")
                compared += 1
            }
        }
        #expect(compared == 27)
    }

    /// Where a part may begin: a `{` after a comma and blanks, wherever it lies.
    @Test func memberStartsAreFoundAfterCommas() {
        let text = Array("[{\"a\":1}, \n {\"b\":\",{\"},{}]".utf8)
        text.withUnsafeBytes { buffer in
            var starts: [Int] = []
            var offset = 0
            while let start = GeoJSONReader.collectionMemberStart(in: buffer, after: offset) {
                starts.append(start)
                offset = start
            }
            // The member after the first comma, the `{` inside the string, and the last member.
            #expect(starts == [12, 19, 23])
        }
    }
}
