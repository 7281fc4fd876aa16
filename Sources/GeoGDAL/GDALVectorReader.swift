internal import CGDAL
import GeoCore
import GeoEvents
import OrderedCollections

/// Reads the features of a GeoPackage, FlatGeobuf or Shapefile through GDAL as GeoJSON-like
/// `Feature`s, so that they take the same path as GeoJSON input (`EventReader.row(for:…)`).
///
/// Every layer is read in order (feature indices run on across layers); geometries are
/// reprojected to WGS84 longitude/latitude when the layer has another CRS. Properties keep the
/// field order: dates as `YYYY-MM-DD` (date-times ISO 8601, at midnight as dates), integers and reals as numbers,
/// booleans as booleans, JSON fields parsed, nulls as null. A Shapefile's field names cut to
/// 10 characters by `GDALVectorWriter` are read back under the project's names.
public enum GDALVectorReader {
    /// Names of the fields of every layer, in first-seen order (after the Shapefile renaming).
    public static func fieldNames(path: String) throws -> [String] {
        var names = OrderedSet<String>()
        try withDataset(path) { dataset in
            for l in 0..<GDALDatasetGetLayerCount(dataset) {
                guard let layer = GDALDatasetGetLayer(dataset, l) else { continue }
                for field in fields(layer, path: path) { names.append(field.name) }
            }
        }
        return Array(names)
    }

    /// Calls `body` with each feature's index and the feature.
    public static func forEachFeature(path: String, _ body: (Int, Feature) throws -> Void) throws {
        try withDataset(path) { dataset in
            var index = 0
            for l in 0..<GDALDatasetGetLayerCount(dataset) {
                guard let layer = GDALDatasetGetLayer(dataset, l) else { continue }
                let columns = fields(layer, path: path)
                let transform = wgs84Transform(layer)
                defer { if let transform { OCTDestroyCoordinateTransformation(transform) } }
                OGR_L_ResetReading(layer)
                CPLErrorReset()
                while let feature = OGR_L_GetNextFeature(layer) {
                    defer { OGR_F_Destroy(feature) }
                    var properties = OrderedDictionary<String, JSONValue>()
                    for column in columns { properties[column.name] = value(feature, column) }
                    let geometry = try geometry(feature, transform: transform, path: path)
                    try body(index, Feature(geometry: geometry, properties: properties))
                    index += 1
                }
                if CPLGetLastErrorType() == CE_Failure {
                    throw GDALError(path: path, reason: GDALLibrary.lastError("cannot read layer \(l)"))
                }
            }
        }
    }

    struct Column {
        var name: String
        var index: Int32
        var type: OGRFieldType
        var subtype: OGRFieldSubType
    }

    private static func withDataset(_ path: String, _ body: (GDALDatasetH) throws -> Void) throws {
        try GDALLibrary.prepare(for: path)
        let flags = UInt32(GDAL_OF_VECTOR) | UInt32(GDAL_OF_READONLY) | UInt32(GDAL_OF_VERBOSE_ERROR)
        guard let dataset = GDALOpenEx(path, flags, nil, nil, nil) else {
            throw GDALError(path: path, reason: GDALLibrary.lastError("cannot open as a vector dataset"))
        }
        defer { GDALClose(dataset) }
        try body(dataset)
    }

    private static func fields(_ layer: OGRLayerH, path: String) -> [Column] {
        let definition = OGR_L_GetLayerDefn(layer)
        let count = OGR_FD_GetFieldCount(definition)
        var columns: [Column] = []
        let isShapefile = GDALVectorFormat.from(path: path) == .shapefile
        let restore: [String: String] = isShapefile ? shapefileNames : [:]
        for i in 0..<count {
            guard let field = OGR_FD_GetFieldDefn(definition, i) else { continue }
            let raw = OGR_Fld_GetNameRef(field).map { String(cString: $0) } ?? ""
            columns.append(Column(name: restore[raw] ?? raw, index: i, type: OGR_Fld_GetType(field), subtype: OGR_Fld_GetSubType(field)))
        }
        return columns
    }

    /// Truncated project names → project names, as `GDALVectorWriter` writes them.
    private static let shapefileNames: [String: String] = {
        let names = GDALVectorWriter.projectFields(timeOfDay: false).map(\.name)
        var map: [String: String] = [:]
        for (cut, name) in zip(ShapefileNames.truncated(names), names) where cut != name { map[cut] = name }
        return map
    }()

    private static func value(_ feature: OGRFeatureH, _ column: Column) -> JSONValue {
        let i = column.index
        guard OGR_F_IsFieldSetAndNotNull(feature, i) != 0 else { return .null }
        switch column.type {
        case OFTInteger:
            let n = OGR_F_GetFieldAsInteger(feature, i)
            return column.subtype == OFSTBoolean ? .bool(n != 0) : .integer(Int64(n))
        case OFTInteger64:
            let n = OGR_F_GetFieldAsInteger64(feature, i)
            return column.subtype == OFSTBoolean ? .bool(n != 0) : .integer(n)
        case OFTReal:
            return .double(OGR_F_GetFieldAsDouble(feature, i))
        case OFTDate, OFTDateTime:
            var y: Int32 = 0, m: Int32 = 0, d: Int32 = 0, h: Int32 = 0, min: Int32 = 0, tz: Int32 = 0
            var s: Float = 0
            guard OGR_F_GetFieldAsDateTimeEx(feature, i, &y, &m, &d, &h, &min, &s, &tz) != 0 else {
                return .string(OGR_F_GetFieldAsString(feature, i).map { String(cString: $0) } ?? "")
            }
            var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
            // Midnight is a date without a time of day: FlatGeobuf has only date-times, and a
            // layer with some timed events holds the others' dates at 00:00.
            if column.type == OFTDateTime, h != 0 || min != 0 || s != 0 {
                let seconds = Int32(s.rounded(.down))
                text += "T\(pad(h, 2)):\(pad(min, 2)):\(pad(seconds, 2))"
                if tz == 100 {
                    text += "Z"
                } else if tz > 1 {
                    let offset = (tz - 100) * 15
                    text += (offset < 0 ? "-" : "+") + "\(pad(abs(offset) / 60, 2)):\(pad(abs(offset) % 60, 2))"
                }
            }
            return .string(text)
        default:
            let text = OGR_F_GetFieldAsString(feature, i).map { String(cString: $0) } ?? ""
            if column.subtype == OFSTJSON, let parsed = try? JSONParser.parse(text) { return parsed }
            return .string(text)
        }
    }

    private static func pad(_ n: Int32, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func wgs84Transform(_ layer: OGRLayerH) -> OGRCoordinateTransformationH? {
        guard let source = OGR_L_GetSpatialRef(layer), let target = GDALLibrary.wgs84() else { return nil }
        defer { OSRRelease(target) }
        let sourceCopy = OSRClone(source)
        defer { OSRRelease(sourceCopy) }
        OSRSetAxisMappingStrategy(sourceCopy, OAMS_TRADITIONAL_GIS_ORDER)
        if OSRIsSame(sourceCopy, target) != 0 { return nil }
        return OCTNewCoordinateTransformation(sourceCopy, target)
    }

    private static func geometry(_ feature: OGRFeatureH, transform: OGRCoordinateTransformationH?, path: String) throws -> Geometry? {
        guard let g = OGR_F_GetGeometryRef(feature), OGR_G_IsEmpty(g) == 0 else { return nil }
        if let transform, OGR_G_Transform(g, transform) != OGRERR_NONE {
            throw GDALError(path: path, reason: GDALLibrary.lastError("cannot reproject a geometry to WGS84"))
        }
        if wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint {
            return .point(Position(x: OGR_G_GetX(g, 0), y: OGR_G_GetY(g, 0)))
        }
        // Other geometries go through GeoJSON, so that the event reader can say what they are.
        guard let json = OGR_G_ExportToJson(g) else { return nil }
        defer { VSIFree(json) }
        var decoder = GeoJSONDecoder(checkCoordinateRange: false)
        guard let value = try? JSONParser.parse(String(cString: json)) else { return nil }
        return try? decoder.geometry(value)
    }

    private static func wkbFlatten(_ type: OGRwkbGeometryType) -> OGRwkbGeometryType {
        OGR_GT_Flatten(type)
    }
}
