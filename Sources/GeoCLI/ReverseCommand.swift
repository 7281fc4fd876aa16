import ArgumentParser
import GeoCore
import GeoGazetteer

extension GeoCommand {
    /// `geo reverse LAT,LON`: country, nearest place and nearest site of a point.
    public struct ReverseCommand: ParsableCommand {
        public static let configuration = CommandConfiguration(
            commandName: "reverse",
            abstract: "Which country a point is in (\"none\" at sea), the nearest place and the nearest site.",
            discussion: "Countries come from Natural Earth 10m polygons; distances are geodesic (WGS84)."
        )

        @Argument(help: ArgumentHelp("The point, lat,lon.", valueName: "lat,lon"), transform: ArgumentParsers.latLon)
        var point: Position

        @OptionGroup var gazetteer: GazetteerOptions

        @OptionGroup var report: ReportFormatOptions

        public init() {}

        public func run() throws {
            let reverse = try ReverseGeocoder(gazetteer: try gazetteer.load(readingCountryShapes: true))
            let r = try reverse.lookup(point)
            if report.isJSON {
                func relation(_ p: PlaceRelation?) -> JSONValue {
                    guard let p else { return .null }
                    return GeocodeRendering.object([
                        ("name", .string(p.entry.name)), ("id", .string(p.entry.id)), ("kind", .string(p.entry.kind.rawValue)),
                        ("country", .string(p.entry.country)), ("distance_km", GeocodeRendering.rounded(p.distanceMeters / 1000, 1000)),
                        // No direction from a place to itself.
                        ("bearing_deg", p.distanceMeters > 0 ? GeocodeRendering.rounded(p.bearingDegrees, 10) : .null), ("phrase", .string(p.phrase)),
                    ])
                }
                let value = GeocodeRendering.object([
                    ("lat", .double(point.latitude)), ("lon", .double(point.longitude)),
                    ("country", r.countryCode.map { .string($0) } ?? (r.countryName == nil ? .string("none") : .null)),
                    ("country_name", r.countryName.map { .string($0) } ?? .null),
                    ("nearest_place", relation(r.nearestPlace)), ("nearest_site", relation(r.nearestSite)),
                ])
                var w = JSONWriter()
                w.append(value)
                w.appendByte(UInt8(ascii: "\n"))
                try Console.current.write(w.bytes)
                return
            }
            let country = r.countryName.map { "\($0) (\(r.countryCode ?? "no ISO code"))" } ?? "none (at sea)"
            Console.current.print("point:         \(Format.fixed(point.latitude, 6)), \(Format.fixed(point.longitude, 6))")
            Console.current.print("country:       \(country)")
            if let p = r.nearestPlace { Console.current.print("nearest place: \(p.phrase) (\(p.entry.country))") }
            if let s = r.nearestSite { Console.current.print("nearest site:  \(s.phrase) (\(s.entry.kind.rawValue), \(s.entry.country))") }
        }
    }
}
