internal import CGDAL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The vector formats geo reads and writes through GDAL.
public enum GDALVectorFormat: String, CaseIterable, Sendable {
    /// OGC GeoPackage (`.gpkg`), one SQLite file.
    case geopackage = "gpkg"
    /// FlatGeobuf (`.fgb`), with a spatial index.
    case flatgeobuf = "fgb"
    /// ESRI Shapefile (`.shp` with `.shx`, `.dbf`, `.prj`, `.cpg`).
    case shapefile = "shp"

    /// From a path's extension, case-insensitively.
    public static func from(path: String) -> GDALVectorFormat? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return nil }
        return GDALVectorFormat(rawValue: name[name.index(after: dot)...].lowercased())
    }

    public var fileExtension: String { rawValue }

    /// GDAL's driver name.
    var driverName: String {
        switch self {
        case .geopackage: "GPKG"
        case .flatgeobuf: "FlatGeobuf"
        case .shapefile: "ESRI Shapefile"
        }
    }

    /// The files that belong to a dataset beside the main one, by extension.
    var sidecarExtensions: [String] {
        switch self {
        case .geopackage: []
        case .flatgeobuf: []
        case .shapefile: ["shx", "dbf", "prj", "cpg", "qix", "sbn", "sbx", "qmd"]
        }
    }
}

/// A file GDAL could not read or write, and why (GDAL's own message when it gave one).
public struct GDALError: Error, Hashable, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    public var description: String { "\(path): \(reason)" }
}

/// Process-wide GDAL set-up, done once: the library loaded (`GDALLoading`), drivers
/// registered, messages kept from stderr (the last one is read back with `CPLGetLastErrorMsg`
/// and put in `GDALError`).
enum GDALLibrary {
    private static let ready: Void = {
        GDALAllRegister()
        _ = CPLSetErrorHandler(CPLQuietErrorHandler)
    }()

    /// - Throws: `GDALError` for `path` when libgdal cannot be loaded.
    static func prepare(for path: String) throws {
        try check(GDALLoading.handle, for: path)
        _ = ready
        CPLErrorReset()
    }

    /// - Throws: `GDALError` for `path` when `loading` failed.
    static func check(_ loading: Result<UnsafeMutableRawPointer, GDALLoadError>, for path: String) throws {
        if case .failure(let error) = loading {
            throw GDALError(path: path, reason: "GDAL is needed for .gpkg, .fgb and .shp files but could not be loaded (\(error.reason)); install it (Debian: apt-get install libgdal32)")
        }
    }

    /// GDAL's last error message on this thread, else `fallback`.
    static func lastError(_ fallback: String) -> String {
        guard let message = CPLGetLastErrorMsg() else { return fallback }
        let text = String(cString: message).trimmingCharacters(in: " \n")
        return text.isEmpty ? fallback : text
    }

    /// WGS84 longitude/latitude, in that axis order.
    static func wgs84() -> OGRSpatialReferenceH? {
        guard let srs = OSRNewSpatialReference(nil) else { return nil }
        _ = OSRImportFromEPSG(srs, 4326)
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER)
        return srs
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}

/// Shapefile field names: at most 10 bytes, unique without regard to case.
public enum ShapefileNames {
    public static let maximumLength = 10

    /// `names` made valid, in order: unchanged when short enough, else cut to 10 bytes and,
    /// when that clashes, cut shorter with `_1`, `_2`, … (`sub_event_type` → `sub_event_`,
    /// `sub_event_type_reported`… → `sub_even_1`).
    public static func truncated(_ names: [String]) -> [String] {
        var used = Set<String>()
        var result: [String] = []
        for name in names {
            var candidate = prefix(name, bytes: maximumLength)
            var n = 0
            while used.contains(candidate.uppercased()) {
                n += 1
                let suffix = "_\(n)"
                candidate = prefix(name, bytes: maximumLength - suffix.utf8.count) + suffix
            }
            used.insert(candidate.uppercased())
            result.append(candidate)
        }
        return result
    }

    /// At most `bytes` UTF-8 bytes of `text`, cut between characters.
    static func prefix(_ text: String, bytes: Int) -> String {
        if text.utf8.count <= bytes { return text }
        var out = ""
        var count = 0
        for c in text {
            let n = c.utf8.count
            if count + n > bytes { break }
            out.append(c)
            count += n
        }
        return out
    }
}
