import ArgumentParser
import Foundation
import GeoCore
import GeoGazetteer

/// `--gazetteer DIR`: the user overlay folder (else `GEO_GAZETTEER_DIR`), shared by commands
/// that look names up.
public struct GazetteerOptions: ParsableArguments {
    @Option(
        name: .customLong("gazetteer"),
        help: ArgumentHelp("User gazetteer folder (imported places); default $GEO_GAZETTEER_DIR.", valueName: "dir"))
    public var userDirectory: String?

    public init() {}

    public func validate() throws {
        var isFolder: ObjCBool = false
        if let userDirectory, FileManager.default.fileExists(atPath: userDirectory, isDirectory: &isFolder), !isFolder.boolValue {
            throw ValidationError("--gazetteer takes the folder of a user gazetteer (it holds user-places.csv); '\(userDirectory)' is a file")
        }
    }

    var resolvedUserDirectory: String? { userDirectory ?? Gazetteer.userOverlayDirectory() }

    /// The bundled gazetteer plus the overlay, loaded once per process and overlay folder
    /// (the overlay file's modification time is part of the key, so an import is seen);
    /// `readingCountryShapes` when the country polygons are needed at once (`Gazetteer.load`).
    func load(readingCountryShapes: Bool = false) throws -> Gazetteer {
        let dir = resolvedUserDirectory
        let stamp = dir.flatMap { try? FileManager.default.attributesOfItem(atPath: $0 + "/user-places.csv")[.modificationDate] as? Date }
        let key = "\(dir ?? "")|\(stamp?.timeIntervalSince1970 ?? 0)"
        return try GazetteerCache.shared.gazetteer(for: key) { try Gazetteer.load(userDirectory: dir, readingCountryShapes: readingCountryShapes) }
    }
}

/// Loaded gazetteers by overlay folder (the gazetteer is immutable and thread-safe).
final class GazetteerCache: @unchecked Sendable {
    static let shared = GazetteerCache()
    private let lock = NSLock()
    private var loaded: [String: Gazetteer] = [:]

    func gazetteer(for key: String, load: () throws -> Gazetteer) throws -> Gazetteer {
        lock.lock()
        defer { lock.unlock() }
        if let g = loaded[key] { return g }
        let g = try load()
        loaded[key] = g
        return g
    }
}

/// Geocode options shared by `geocode` and `distance`.
struct LookupOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Country the places should be in (ISO 3166-1 alpha-2, e.g. SY).", valueName: "code"))
    var country: String?

    @Option(help: ArgumentHelp("Prefer places near this point.", valueName: "lat,lon"), transform: ArgumentParsers.latLon)
    var near: Position?

    func validate() throws {
        if let country, country.count != 2 || !country.allSatisfy(\.isLetter) {
            throw ValidationError("--country takes a two-letter ISO code such as SY or IQ, got '\(country)'")
        }
    }

    func options(fallback: GeocodeOptions.Fallback? = nil) -> GeocodeOptions {
        GeocodeOptions(country: country, near: near, fallback: fallback)
    }
}

extension GeocodeOptions.Fallback: ExpressibleByArgument {}

/// The country code table, loaded once per process.
final class CountryCodesCache: @unchecked Sendable {
    static let shared = CountryCodesCache()
    private let lock = PThreadMutex()
    private var loaded: CountryCodes?

    func codes() throws -> CountryCodes {
        try lock.withLock {
            if let loaded { return loaded }
            let c = try CountryCodes.load()
            loaded = c
            return c
        }
    }
}
