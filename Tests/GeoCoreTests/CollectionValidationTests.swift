import Foundation
@testable import GeoCore
import Testing

/// `GeoJSONValidator.validate` of a FeatureCollection in parts (its features parsed and checked
/// a part of the array per thread, one feature at a time) reports exactly what reading the
/// document whole reports: the problems of every member, renumbered, after those of the
/// members around the array, and the same summary; and it hands anything else (syntax errors,
/// other objects, parts cut inside a string) to the whole reading.
@Suite struct CollectionValidationTests {
    /// Features good and bad, some with text that looks like a member's start to the guesser.
    static func member(_ i: Int) -> String {
        let point = #"{"type":"Point","coordinates":[\#(40 + Double(i % 50) / 10),\#(33 + Double(i % 7) / 10)]}"#
        switch i % 13 {
        case 0: return #"{"type":"Feature","geometry":\#(point),"properties":{"note":"a, {\"type\": \"Feature\"} in a string"}}"#
        case 1: return #"{"type":"Feature","geometry":{"type":"Point","coordinates":[200,95]},"properties":{}}"#
        case 2: return #"{"type":"Feature","properties":{"n":\#(i)}}"#
        case 3: return #"{"type":"Feature","geometry":\#(point),"properties":[1,2]}"#
        case 4: return #"{"type":"Feature","id":{"x":1},"geometry":\#(point),"properties":null}"#
        case 5: return #"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,0]]]}"#
        case 6: return #"{"type":"feature","geometry":null,"properties":null}"#
        case 7: return #"{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[0,0],[0,1],[1,1],[1,0],[0,0]]]},"properties":{},"crs":{}}"#
        case 8: return #"{"type":"Feature","geometry":\#(point)}"#
        case 9: return "\n  " + #"{ "type" : "Feature" , "geometry" : \#(point) , "properties" : { "é" : "\u00e9" , "list" : [ {"a":1} , {"b":[2]} ] } }"#
        case 10: return "42"
        case 11: return #"{"type":"Feature","geometry":{"type":"LineString","coordinates":[[1,2]]},"properties":{}}"#
        default: return #"{"type":"Feature","id":"E\#(i)","geometry":\#(point),"properties":{"s":"x,{y","t":"\\\"{"}}"#
        }
    }

    static func collection(_ count: Int, before: String = #""type":"FeatureCollection","#, after: String = "") -> String {
        "{" + before + #""features":["# + (0..<count).map(member).joined(separator: ",") + "]" + after + "}"
    }

    /// Documents the parts must read as the whole reading does.
    static let readInParts: [(String, String)] = [
        ("members", collection(300)),
        ("one member", collection(1)),
        ("no members", collection(0)),
        ("members around", collection(120, before: #""bbox":[50,0,40,10],"crs":{"x":1},"name":"n","type":"FeatureCollection","#,
                                      after: #","bbox":[0,0,1,1,2],"extra":[1,{"features":[]}]"#)),
        ("type after", collection(60, before: "", after: #","type":"FeatureCollection""#)),
        ("byte-order mark and blanks", "\u{FEFF}\n " + collection(80) + " \n"),
        ("nested as deep as allowed", nested(JSONParser.maximumDepth - 4)),
    ]

    /// A collection whose member 12 holds `depth` nested arrays: the collection, its array, the
    /// member and its properties are four levels more.
    static func nested(_ depth: Int) -> String {
        collection(13).replacingOccurrences(of: #""s":"x,{y""#, with: #""s":"# + String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
    }

    /// Documents the parts hand to the whole reading.
    static let readWhole: [(String, String)] = [
        ("syntax error in a member", collection(150).replacingOccurrences(of: #""E77","#, with: #""E77",,"#)),
        ("syntax error after the array", collection(40, after: #","x":tru"#)),
        ("trailing text", collection(40) + "x"),
        ("features twice", collection(30, after: #","features":[]"#)),
        ("features not an array", #"{"type":"FeatureCollection","features":{"a":1}}"#),
        ("no type", collection(30, before: "")),
        ("another type", collection(30, before: #""type":"GeometryCollection","#)),
        ("a feature", member(12)),
        ("nested a level too deep", nested(JSONParser.maximumDepth - 3)),
        ("not an object", "[1,2]"),
    ]

    static func whole(_ text: String) -> GeoJSONValidator.Report {
        Array(text.utf8).withUnsafeBytes { GeoJSONValidator.validate(buffer: $0, partsFrom: .max) }
    }

    @Test func partsReportWhatTheWholeReadingReports() {
        for (name, text) in Self.readInParts + Self.readWhole {
            let expected = Self.whole(text)
            for threads in [1, 2, 3] {
                for partBytes in [1, 97, 1_000, 1 << 20] {
                    let got = Array(text.utf8).withUnsafeBytes {
                        GeoJSONValidator.validate(buffer: $0, threads: threads, partBytes: partBytes, partsFrom: 0)
                    }
                    let same = got.problems == expected.problems && got.summary == expected.summary
                    #expect(same, "\(name), \(threads) threads, parts of \(partBytes) bytes: \(got.problems.count) problems against \(expected.problems.count)")
                }
            }
        }
        // The documents are real tests: many problems, of members and around them.
        let members = Self.whole(Self.readInParts[3].1)
        #expect(members.problems.count > 100 && members.problems.contains { $0.path.components.first == .key("bbox") })
        #expect(members.problems.contains { $0.path.description.hasPrefix("features[119]") })
    }

    /// The documents meant to be read in parts are (no quiet fallback), the others are not.
    @Test func partsReadCollectionsAndLeaveTheRest() {
        for (name, text) in Self.readInParts {
            let report = Array(text.utf8).withUnsafeBytes { GeoJSONValidator.validateCollectionInParts($0, threads: 2, partBytes: 97) }
            #expect(report != nil, "\(name) read whole")
        }
        for (name, text) in Self.readWhole {
            let report = Array(text.utf8).withUnsafeBytes { GeoJSONValidator.validateCollectionInParts($0, threads: 2, partBytes: 97) }
            #expect(report == nil, "\(name) read in parts")
        }
    }

    /// Rounds of parts tell how far the text is done with, up to the array's end.
    @Test func roundsReleaseTheTextBehindThem() {
        let text = Self.collection(300)
        var released: [Int] = []
        _ = Array(text.utf8).withUnsafeBytes {
            GeoJSONValidator.validate(buffer: $0, threads: 2, partBytes: 200, partsFrom: 0) { released.append($0) }
        }
        #expect(released.count > 3 && released == released.sorted() && released.last! < text.utf8.count)
    }
}
