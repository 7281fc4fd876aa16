// The targets' common part: the list, the selection by GEO_FUZZ_TARGET, the libFuzzer callback.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fuzz target: a name (the corpus folder) and a function over one input.
struct FuzzTarget: Sendable {
    let name: String
    let summary: String
    /// Loads what the target needs once (the gazetteer, the vocabulary); runs before the first input.
    let setUp: @Sendable () -> Void
    let run: @Sendable (UnsafeRawBufferPointer) -> Void
}

let fuzzTargets: [FuzzTarget] = [
    jsonTarget, geojsonTarget, csvTarget, eventsTarget, dateTarget, unitsTarget, gazetteerTarget, articleTarget, csvLimitsTarget,
]

/// The target named by GEO_FUZZ_TARGET, set up on first use (a global is initialised lazily, once).
let selectedTarget: FuzzTarget = {
    guard let raw = getenv("GEO_FUZZ_TARGET") else { fatalError("geo-fuzz: set GEO_FUZZ_TARGET to one of: \(fuzzTargets.map(\.name).joined(separator: ", "))") }
    let name = String(cString: raw)
    guard let target = fuzzTargets.first(where: { $0.name == name }) else {
        fatalError("geo-fuzz: unknown target '\(name)'; targets: \(fuzzTargets.map(\.name).joined(separator: ", "))")
    }
    target.setUp()
    return target
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let target = selectedTarget
    // An empty input may come with a null pointer; hand the targets a valid (empty) buffer.
    if size == 0 {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { target.run(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[0..<0])) }
    } else {
        target.run(UnsafeRawBufferPointer(start: data, count: size))
    }
    return 0
}

/// Fails the run (libFuzzer keeps the input as a crasher) when a property that must hold does not.
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("invariant broken: \(message())", file: file, line: line) }
}

/// The input as a Swift string (invalid UTF-8 repaired, as the command line and files decode it).
func text(_ bytes: UnsafeRawBufferPointer) -> String { String(decoding: bytes, as: UTF8.self) }
