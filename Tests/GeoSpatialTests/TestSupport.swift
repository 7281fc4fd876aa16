import Foundation
import GeoCore
import Testing

/// The package root, from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// Path of a fixture file of this test target.
func fixturePath(_ relative: String) throws -> String {
    let url = try #require(Bundle.module.url(forResource: "Fixtures/\(relative)", withExtension: nil))
    return url.path
}

/// Features of a GeoJSON fixture and the collection's foreign members (test parameters).
func readFixture(_ name: String) throws -> (features: [Feature], members: ForeignMembers) {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixturePath(name))))
    var reader = GeoJSONReader()
    guard case .featureCollection(let fc) = try reader.read(bytes) else {
        Issue.record("\(name) is not a FeatureCollection")
        return ([], [:])
    }
    return (fc.features, fc.foreignMembers)
}

/// Points of the bundled gazetteer's `places.tsv` whose coordinates pass `keep`, file order.
func gazetteerPlaces(_ keep: (Double, Double) -> Bool) throws -> (names: [String], latitudes: [Double], longitudes: [Double]) {
    let text = try String(contentsOf: packageRoot.appendingPathComponent("Gazetteer/places.tsv"), encoding: .utf8)
    var names: [String] = [], lats: [Double] = [], lons: [Double] = []
    for line in text.split(separator: "\n").dropFirst() {
        let f = line.split(separator: "\t", maxSplits: 5, omittingEmptySubsequences: false)
        guard f.count > 4, let lat = Double(f[2]), let lon = Double(f[3]), keep(lat, lon) else { continue }
        names.append(String(f[1])); lats.append(lat); lons.append(lon)
    }
    return (names, lats, lons)
}

/// Runs a program with arguments and standard input; nil when it cannot start.
func runProgram(_ executable: String, _ arguments: [String], stdin: String? = nil) -> (status: Int32, output: String, error: String)? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [executable] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = input
    do { try process.run() } catch { return nil }
    if let stdin {
        DispatchQueue.global().async {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try? input.fileHandleForWriting.close()
        }
    } else {
        try? input.fileHandleForWriting.close()
    }
    let errData = ResultBox()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData.data = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self), String(decoding: errData.data, as: UTF8.self))
}

final class ResultBox: @unchecked Sendable { var data = Data() }

/// Points in the same cluster share a label: the lowest input index of the cluster, or −1
/// for noise. Two clusterings are equal exactly when their labels are.
func canonicalLabels(_ clusters: [Int32]) -> [Int] {
    var first: [Int32: Int] = [:]
    return clusters.enumerated().map { i, c in
        guard c >= 0 else { return -1 }
        if let f = first[c] { return f }
        first[c] = i
        return i
    }
}
