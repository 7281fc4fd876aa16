internal import CGDAL
import GeoCore
import GeoEvents
import OrderedCollections
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The column type of a field in a GDAL layer.
public enum GDALFieldKind: String, Hashable, Sendable {
    case string
    /// JSON text (arrays and objects), marked as JSON where the format can say so.
    case json
    case integer
    case integer64
    case real
    case boolean
    case date
    case dateTime
}

/// The column type that holds every value of an extra field: feed it the values seen.
public struct GDALFieldKindGuess: Hashable, Sendable {
    private var seen: Set<String> = []

    public init() {}

    public mutating func add(_ value: JSONValue) {
        switch value {
        case .null: break
        case .bool: seen.insert("bool")
        case .integer: seen.insert("int")
        case .double: seen.insert("real")
        case .string: seen.insert("string")
        case .array, .object: seen.insert("json")
        }
    }

    /// Integers → integer64, numbers → real, booleans → boolean, arrays/objects → JSON text,
    /// anything mixed or textual → string.
    public var kind: GDALFieldKind {
        switch seen {
        case ["int"]: .integer64
        case ["real"], ["int", "real"]: .real
        case ["bool"]: .boolean
        case ["json"]: .json
        default: .string
        }
    }
}

/// What a finished write changed on the way (Shapefile limits), for one warning.
public struct GDALWriteReport: Hashable, Sendable {
    /// A field written under another name (Shapefile's 10-byte limit).
    public struct RenamedField: Hashable, Sendable {
        public var from: String
        public var to: String
    }

    /// Fields written under another name, in field order.
    public var renamedFields: [RenamedField] = []
    /// Text values cut to Shapefile's 254 bytes.
    public var truncatedValues = 0
    public var written = 0

    /// One line about Shapefile's limits, or nil when nothing was changed.
    public var warning: String? {
        var parts: [String] = []
        if !renamedFields.isEmpty {
            parts.append("field names cut to 10 characters: " + renamedFields.map { "\($0.from) → \($0.to)" }.joined(separator: ", "))
        }
        if truncatedValues > 0 {
            parts.append("\(truncatedValues) text value\(truncatedValues == 1 ? "" : "s") cut to 254 bytes")
        }
        return parts.isEmpty ? nil : "Shapefile: " + parts.joined(separator: "; ")
    }
}

/// Writes events as WGS84 points (EPSG:4326) to a GeoPackage, FlatGeobuf or Shapefile through
/// GDAL, one layer named after the file.
///
/// The columns are the project's fields in `EventField` order (latitude and longitude are the
/// geometry), typed: `event_date`/`date_end` dates (date-times when `timeOfDay`),
/// `time_precision`/`geo_precision`/`fatalities` integers, `match_score` real,
/// `match_approximate` boolean, `fatality_claims` JSON text, lists `;`-joined as in the CSV;
/// then `timestamp` (`EventTimestamp`: a date-time, or a 64-bit integer of epoch milliseconds;
/// text in a Shapefile, which has no date-time type); then the extra fields with the kinds
/// given. Empty values are null.
///
/// The dataset is written under a temporary name beside the output and renamed into place
/// (every Shapefile part) by `finish()`; until then, or on failure, no file of that name is
/// touched, and `discard()` (or deinit) removes the temporary files.
public final class GDALVectorWriter {
    public let path: String
    public let format: GDALVectorFormat
    public private(set) var written = 0
    public private(set) var report = GDALWriteReport()

    private var dataset: GDALDatasetH?
    private let layer: OGRLayerH
    private let temporaryStem: String
    /// The temporary files, removed by a signal that stops the process (`TemporaryFiles`).
    private let registeredFiles: RegisteredTemporaryFiles
    private let stem: String
    private let projectColumns: [String]
    private let projectKinds: [GDALFieldKind]
    private let projectIndex: [Int32]
    private let extraFields: [(name: String, kind: GDALFieldKind)]
    private let extraIndex: [Int32]
    private let timestamp: EventTimestamp
    private let timestampIndex: Int32?
    private let inTransaction: Bool
    private var done = false

    private static let counter = Counter()

    /// - Parameters:
    ///   - extraFields: the extra fields of the events, with their kinds (see `GDALFieldKindGuess`);
    ///     names of project fields are ignored.
    ///   - timeOfDay: write `event_date`/`date_end` as date-times, because some event has a time.
    ///   - timestamp: the `timestamp` field (an extra field of that name is replaced by it).
    public init(path: String, format: GDALVectorFormat? = nil, extraFields: [(name: String, kind: GDALFieldKind)] = [],
                timeOfDay: Bool = false, timestamp: EventTimestamp = .iso) throws {
        try GDALLibrary.prepare(for: path)
        self.timestamp = timestamp
        guard let format = format ?? GDALVectorFormat.from(path: path) else {
            throw GDALError(path: path, reason: "unknown vector format; name the file .gpkg, .fgb or .shp")
        }
        self.path = path
        self.format = format
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw GDALError(path: path, reason: "is a directory, expected a file name")
        }

        // Names: <dir>/<base>.<ext> written as <dir>/.<base>.geo-<pid>-<n>.<ext>.
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        let base = name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
        stem = directory + base
        temporaryStem = "\(directory).\(base).geo-\(getpid())-\(Self.counter.next())"
        registeredFiles = RegisteredTemporaryFiles(paths: Self.files(stem: temporaryStem, format: format))
        if !directory.isEmpty, stat(directory, &info) != 0 || (info.st_mode & S_IFMT) != S_IFDIR {
            throw GDALError(path: path, reason: "folder \(directory.count > 1 ? String(directory.dropLast()) : directory) does not exist")
        }

        guard let driver = GDALGetDriverByName(format.driverName) else {
            throw GDALError(path: path, reason: "this GDAL has no \(format.driverName) driver")
        }
        guard let dataset = GDALCreate(driver, temporaryStem + "." + format.fileExtension, 0, 0, 0, GDT_Unknown, nil) else {
            let reason = GDALLibrary.lastError("cannot create the file")
            Self.removeFiles(stem: temporaryStem, format: format)
            throw GDALError(path: path, reason: reason)
        }
        self.dataset = dataset

        var options: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
        switch format {
        case .shapefile: options = CSLSetNameValue(options, "ENCODING", "UTF-8")
        case .flatgeobuf: options = CSLSetNameValue(options, "SPATIAL_INDEX", "YES")
        case .geopackage: options = CSLSetNameValue(options, "FID", "fid")
        }
        let srs = GDALLibrary.wgs84()
        let layerName = base.isEmpty ? "events" : base
        let created = GDALDatasetCreateLayer(dataset, layerName, srs, wkbPoint, options)
        CSLDestroy(options)
        if let srs { OSRRelease(srs) }
        guard let layer = created else {
            let reason = GDALLibrary.lastError("cannot create the layer")
            GDALClose(dataset)
            self.dataset = nil
            Self.removeFiles(stem: temporaryStem, format: format)
            throw GDALError(path: path, reason: reason)
        }
        self.layer = layer

        // Columns.
        var project = Self.projectFields(timeOfDay: timeOfDay)
        switch timestamp {
        case .iso: project.append((EventTimestamp.property, format == .shapefile ? .string : .dateTime))
        case .epochMilliseconds: project.append((EventTimestamp.property, .integer64))
        case .none: break
        }
        let known = Set(EventField.allCases.map(\.rawValue) + [EventTimestamp.property])
        let extras = extraFields.filter { !known.contains($0.name) }
        var seen = Set<String>()
        let uniqueExtras = extras.filter { seen.insert($0.name).inserted }
        self.extraFields = uniqueExtras
        projectColumns = project.map(\.name).filter { $0 != EventTimestamp.property }
        projectKinds = Array(project.map(\.kind).prefix(projectColumns.count))
        let allNames = project.map(\.name) + uniqueExtras.map(\.name)
        let allKinds = project.map(\.kind) + uniqueExtras.map(\.kind)
        let written = format == .shapefile ? ShapefileNames.truncated(allNames) : allNames
        var indices: [Int32] = []
        var failure: String?
        for (i, name) in written.enumerated() {
            if name != allNames[i] { report.renamedFields.append(.init(from: allNames[i], to: name)) }
            let field = Self.createField(name, allKinds[i])
            let status = OGR_L_CreateField(layer, field, 1)
            OGR_Fld_Destroy(field)
            let index = OGR_FD_GetFieldIndex(OGR_L_GetLayerDefn(layer), name)
            if status != OGRERR_NONE || index < 0 {
                failure = GDALLibrary.lastError("cannot create the field \(name)")
                break
            }
            indices.append(index)
        }
        if let failure {
            GDALClose(dataset)
            self.dataset = nil
            Self.removeFiles(stem: temporaryStem, format: format)
            throw GDALError(path: path, reason: failure)
        }
        timestampIndex = timestamp == .none ? nil : indices[project.count - 1]
        projectIndex = Array(indices.prefix(project.count - (timestamp == .none ? 0 : 1)))
        extraIndex = Array(indices.dropFirst(project.count))
        inTransaction = format == .geopackage && GDALDatasetStartTransaction(dataset, 0) == OGRERR_NONE
    }

    deinit { discard() }

    /// The project's columns and their kinds, latitude and longitude left to the geometry.
    static func projectFields(timeOfDay: Bool) -> [(name: String, kind: GDALFieldKind)] {
        EventField.allCases.compactMap { field -> (name: String, kind: GDALFieldKind)? in
            let kind: GDALFieldKind
            switch field {
            case .latitude, .longitude: return nil
            case .eventDate, .dateEnd: kind = timeOfDay ? .dateTime : .date
            case .timePrecision, .geoPrecision, .fatalities: kind = .integer
            case .matchScore: kind = .real
            case .matchApproximate: kind = .boolean
            case .fatalityClaims: kind = .json
            default: kind = .string
            }
            return (field.rawValue, kind)
        }
    }

    private static func createField(_ name: String, _ kind: GDALFieldKind) -> OGRFieldDefnH? {
        let type: OGRFieldType
        switch kind {
        case .string, .json: type = OFTString
        case .integer, .boolean: type = OFTInteger
        case .integer64: type = OFTInteger64
        case .real: type = OFTReal
        case .date: type = OFTDate
        case .dateTime: type = OFTDateTime
        }
        let field = OGR_Fld_Create(name, type)
        if kind == .json { OGR_Fld_SetSubType(field, OFSTJSON) }
        if kind == .boolean { OGR_Fld_SetSubType(field, OFSTBoolean) }
        return field
    }

    public func write(_ event: Event) throws {
        guard let dataset, !done else { throw GDALError(path: path, reason: "write after the file was finished") }
        _ = dataset
        guard let feature = OGR_F_Create(OGR_L_GetLayerDefn(layer)) else {
            throw GDALError(path: path, reason: GDALLibrary.lastError("cannot make a feature"))
        }
        defer { OGR_F_Destroy(feature) }
        let cells = EventEncoder.csvCells(event, columns: projectColumns)
        for (i, index) in projectIndex.enumerated() {
            let cell = cells[i]
            switch projectKinds[i] {
            case .date, .dateTime:
                let date = projectColumns[i] == EventField.eventDate.rawValue ? event.date : event.dateEnd
                if let date { setDate(feature, index, date) } else { OGR_F_SetFieldNull(feature, index) }
            case .integer, .integer64:
                if let n = Int64(cell) { OGR_F_SetFieldInteger64(feature, index, n) } else { OGR_F_SetFieldNull(feature, index) }
            case .real:
                if let d = Double(cell) { OGR_F_SetFieldDouble(feature, index, d) } else { OGR_F_SetFieldNull(feature, index) }
            case .boolean:
                if cell.isEmpty { OGR_F_SetFieldNull(feature, index) } else { OGR_F_SetFieldInteger(feature, index, cell == "true" ? 1 : 0) }
            case .string, .json:
                if cell.isEmpty { OGR_F_SetFieldNull(feature, index) } else { setString(feature, index, cell) }
            }
        }
        if let timestampIndex {
            let start = EventTimestamp.startSeconds(date: event.date, end: event.dateEnd, precision: event.timePrecision)
            switch (timestamp, format) {
            case (.epochMilliseconds, _): OGR_F_SetFieldInteger64(feature, timestampIndex, Int64((start * 1000).rounded()))
            case (_, .shapefile): setString(feature, timestampIndex, EventTimestamp.isoText(seconds: start))
            default: setDateTime(feature, timestampIndex, seconds: start)
            }
        }
        for (i, index) in extraIndex.enumerated() {
            setValue(feature, index, event.extra[extraFields[i].name] ?? .null, kind: extraFields[i].kind)
        }
        if let lat = event.latitude, let lon = event.longitude {
            let point = OGR_G_CreateGeometry(wkbPoint)
            OGR_G_SetPoint_2D(point, 0, lon, lat)
            _ = OGR_F_SetGeometryDirectly(feature, point)
        }
        CPLErrorReset()
        guard OGR_L_CreateFeature(layer, feature) == OGRERR_NONE else {
            throw GDALError(path: path, reason: GDALLibrary.lastError("cannot write event \(event.eventID)"))
        }
        written += 1
        report.written = written
    }

    private func setDate(_ feature: OGRFeatureH, _ index: Int32, _ date: EventDate) {
        let s = date.secondsOfDay
        OGR_F_SetFieldDateTimeEx(feature, index, Int32(date.year), Int32(date.month), Int32(date.day),
                                 Int32((s ?? 0) / 3600), Int32((s ?? 0) / 60 % 60), Float((s ?? 0) % 60),
                                 s == nil ? 0 : 100)
    }

    /// A UTC date-time (whole seconds) from seconds since the epoch.
    private func setDateTime(_ feature: OGRFeatureH, _ index: Int32, seconds: Double) {
        let whole = Int(seconds.rounded(.down))
        let days = Int((Double(whole) / 86_400).rounded(.down))
        let day = EventDate(daysSinceEpoch: days), s = whole - days * 86_400
        OGR_F_SetFieldDateTimeEx(feature, index, Int32(day.year), Int32(day.month), Int32(day.day),
                                 Int32(s / 3600), Int32(s / 60 % 60), Float(s % 60), 100)
    }

    private func setString(_ feature: OGRFeatureH, _ index: Int32, _ text: String) {
        var text = text
        if format == .shapefile, text.utf8.count > 254 {
            text = ShapefileNames.prefix(text, bytes: 254)
            report.truncatedValues += 1
        }
        OGR_F_SetFieldString(feature, index, text)
    }

    private func setValue(_ feature: OGRFeatureH, _ index: Int32, _ value: JSONValue, kind: GDALFieldKind) {
        switch (value, kind) {
        case (.null, _): OGR_F_SetFieldNull(feature, index)
        case (.integer(let n), .integer64), (.integer(let n), .integer): OGR_F_SetFieldInteger64(feature, index, n)
        case (.integer(let n), .real): OGR_F_SetFieldDouble(feature, index, Double(n))
        case (.double(let d), .real): OGR_F_SetFieldDouble(feature, index, d)
        case (.bool(let b), .boolean): OGR_F_SetFieldInteger(feature, index, b ? 1 : 0)
        case (.string(let s), _): setString(feature, index, s)
        default: setString(feature, index, JSONWriter.string(from: value))
        }
    }

    /// Commits, closes and renames the dataset into place; returns what Shapefile's limits changed.
    @discardableResult
    public func finish() throws -> GDALWriteReport {
        guard let dataset, !done else { throw GDALError(path: path, reason: "finished twice") }
        CPLErrorReset()
        if inTransaction, GDALDatasetCommitTransaction(dataset) != OGRERR_NONE {
            let reason = GDALLibrary.lastError("cannot commit the GeoPackage transaction")
            discard()
            throw GDALError(path: path, reason: reason)
        }
        GDALClose(dataset)
        self.dataset = nil
        let closeError = CPLGetLastErrorType() == CE_Failure || CPLGetLastErrorType() == CE_Fatal
        if closeError {
            let reason = GDALLibrary.lastError("cannot close the file")
            discard()
            throw GDALError(path: path, reason: reason)
        }
        // The main file last, so that a reader never sees it without its parts.
        let ext = format.fileExtension
        for sidecar in format.sidecarExtensions {
            let from = "\(temporaryStem).\(sidecar)"
            let to = "\(stem).\(sidecar)"
            if access(from, F_OK) == 0 {
                if rename(from, to) != 0 {
                    let reason = String(cString: strerror(errno))
                    discard()
                    throw GDALError(path: path, reason: "cannot rename \(from) to \(to): \(reason)")
                }
            } else {
                unlink(to)  // a part of an older dataset of that name would not fit the new one
            }
        }
        if rename("\(temporaryStem).\(ext)", path) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw GDALError(path: path, reason: "cannot put the file in place: \(reason)")
        }
        registeredFiles.release()
        done = true
        return report
    }

    /// Drops the dataset: closes it and removes the temporary files (nothing is put in place).
    public func discard() {
        guard !done else { return }
        done = true
        if let dataset {
            if inTransaction { _ = GDALDatasetRollbackTransaction(dataset) }
            GDALClose(dataset)
            self.dataset = nil
        }
        Self.removeFiles(stem: temporaryStem, format: format)
        registeredFiles.release()
    }

    /// Every file a dataset written under `stem` may have: the main one, SQLite's, the sidecars.
    private static func files(stem: String, format: GDALVectorFormat) -> [String] {
        let main = "\(stem).\(format.fileExtension)"
        return [main, main + "-journal", main + "-wal", main + "-shm"] + format.sidecarExtensions.map { "\(stem).\($0)" }
    }

    private static func removeFiles(stem: String, format: GDALVectorFormat) {
        for file in files(stem: stem, format: format) { unlink(file) }
    }
}

/// Numbers for temporary names, unique in the process.
final class Counter: @unchecked Sendable {
    private var value = 0
    private var lock = pthread_mutex_t()

    init() { pthread_mutex_init(&lock, nil) }

    func next() -> Int {
        pthread_mutex_lock(&lock)
        defer { pthread_mutex_unlock(&lock) }
        value += 1
        return value
    }
}
