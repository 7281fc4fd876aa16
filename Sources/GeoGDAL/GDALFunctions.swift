internal import CGDAL
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libgdal, loaded (`dlopen`) when GeoGDAL is first used rather than linked: linking it made
/// every `geo` command load GDAL's ~130 shared libraries at start (about 40 ms), though only
/// the GeoPackage, FlatGeobuf and Shapefile commands use it. The development link `libgdal.so`
/// is tried first, then the sonames of GDAL 3.4 on (`libgdal.so.30`…).
enum GDALLoading {
    /// The library, or why none could be loaded (`dlerror`).
    nonisolated(unsafe) static let handle = load(["libgdal.so"] + (30...45).reversed().map { "libgdal.so.\($0)" } + ["libgdal.dylib"])

    /// The first of `names` that `dlopen` loads; else the failure with the first name's reason.
    static func load(_ names: [String]) -> Result<UnsafeMutableRawPointer, GDALLoadError> {
        var reasons: [String] = []
        for name in names {
            if let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) { return .success(handle) }
            if let error = dlerror() { reasons.append(String(cString: error)) }
        }
        return .failure(GDALLoadError(reason: reasons.first ?? "libgdal not found"))
    }

    /// GDAL's function `name` as `type` (its `geo_<name>_fn`). Only called once `handle` has
    /// loaded (`GDALLibrary.prepare` throws otherwise); a GDAL without the function (older than
    /// the 3.4 the headers require) stops with its name.
    static func function<Function>(_ name: String, _ type: Function.Type) -> Function {
        guard case .success(let handle) = handle else { fatalError("GDAL used before GDALLibrary.prepare loaded it") }
        guard let address = dlsym(handle, name) else { fatalError("the loaded GDAL has no \(name): geo needs GDAL 3.4 or newer") }
        return unsafeBitCast(address, to: type)
    }
}

/// Why libgdal could not be loaded.
struct GDALLoadError: Error {
    var reason: String
}

// Each GDAL function GeoGDAL calls, looked up on first use; these shadow the headers'
// declarations, so calls read as calls of the C API.
let CPLErrorReset = GDALLoading.function("CPLErrorReset", geo_CPLErrorReset_fn.self)
let CPLGetLastErrorMsg = GDALLoading.function("CPLGetLastErrorMsg", geo_CPLGetLastErrorMsg_fn.self)
let CPLGetLastErrorType = GDALLoading.function("CPLGetLastErrorType", geo_CPLGetLastErrorType_fn.self)
let CPLQuietErrorHandler = GDALLoading.function("CPLQuietErrorHandler", geo_CPLQuietErrorHandler_fn.self)
let CPLSetErrorHandler = GDALLoading.function("CPLSetErrorHandler", geo_CPLSetErrorHandler_fn.self)
let CSLDestroy = GDALLoading.function("CSLDestroy", geo_CSLDestroy_fn.self)
let CSLSetNameValue = GDALLoading.function("CSLSetNameValue", geo_CSLSetNameValue_fn.self)
let GDALAllRegister = GDALLoading.function("GDALAllRegister", geo_GDALAllRegister_fn.self)
let GDALClose = GDALLoading.function("GDALClose", geo_GDALClose_fn.self)
let GDALCreate = GDALLoading.function("GDALCreate", geo_GDALCreate_fn.self)
let GDALDatasetCommitTransaction = GDALLoading.function("GDALDatasetCommitTransaction", geo_GDALDatasetCommitTransaction_fn.self)
let GDALDatasetCreateLayer = GDALLoading.function("GDALDatasetCreateLayer", geo_GDALDatasetCreateLayer_fn.self)
let GDALDatasetGetLayer = GDALLoading.function("GDALDatasetGetLayer", geo_GDALDatasetGetLayer_fn.self)
let GDALDatasetGetLayerCount = GDALLoading.function("GDALDatasetGetLayerCount", geo_GDALDatasetGetLayerCount_fn.self)
let GDALDatasetRollbackTransaction = GDALLoading.function("GDALDatasetRollbackTransaction", geo_GDALDatasetRollbackTransaction_fn.self)
let GDALDatasetStartTransaction = GDALLoading.function("GDALDatasetStartTransaction", geo_GDALDatasetStartTransaction_fn.self)
let GDALGetDriverByName = GDALLoading.function("GDALGetDriverByName", geo_GDALGetDriverByName_fn.self)
let GDALOpenEx = GDALLoading.function("GDALOpenEx", geo_GDALOpenEx_fn.self)
let OCTDestroyCoordinateTransformation = GDALLoading.function("OCTDestroyCoordinateTransformation", geo_OCTDestroyCoordinateTransformation_fn.self)
let OCTNewCoordinateTransformation = GDALLoading.function("OCTNewCoordinateTransformation", geo_OCTNewCoordinateTransformation_fn.self)
let OGR_FD_GetFieldCount = GDALLoading.function("OGR_FD_GetFieldCount", geo_OGR_FD_GetFieldCount_fn.self)
let OGR_FD_GetFieldDefn = GDALLoading.function("OGR_FD_GetFieldDefn", geo_OGR_FD_GetFieldDefn_fn.self)
let OGR_FD_GetFieldIndex = GDALLoading.function("OGR_FD_GetFieldIndex", geo_OGR_FD_GetFieldIndex_fn.self)
let OGR_F_Create = GDALLoading.function("OGR_F_Create", geo_OGR_F_Create_fn.self)
let OGR_F_Destroy = GDALLoading.function("OGR_F_Destroy", geo_OGR_F_Destroy_fn.self)
let OGR_F_GetFieldAsDateTimeEx = GDALLoading.function("OGR_F_GetFieldAsDateTimeEx", geo_OGR_F_GetFieldAsDateTimeEx_fn.self)
let OGR_F_GetFieldAsDouble = GDALLoading.function("OGR_F_GetFieldAsDouble", geo_OGR_F_GetFieldAsDouble_fn.self)
let OGR_F_GetFieldAsInteger = GDALLoading.function("OGR_F_GetFieldAsInteger", geo_OGR_F_GetFieldAsInteger_fn.self)
let OGR_F_GetFieldAsInteger64 = GDALLoading.function("OGR_F_GetFieldAsInteger64", geo_OGR_F_GetFieldAsInteger64_fn.self)
let OGR_F_GetFieldAsString = GDALLoading.function("OGR_F_GetFieldAsString", geo_OGR_F_GetFieldAsString_fn.self)
let OGR_F_GetGeometryRef = GDALLoading.function("OGR_F_GetGeometryRef", geo_OGR_F_GetGeometryRef_fn.self)
let OGR_F_IsFieldSetAndNotNull = GDALLoading.function("OGR_F_IsFieldSetAndNotNull", geo_OGR_F_IsFieldSetAndNotNull_fn.self)
let OGR_F_SetFieldDateTimeEx = GDALLoading.function("OGR_F_SetFieldDateTimeEx", geo_OGR_F_SetFieldDateTimeEx_fn.self)
let OGR_F_SetFieldDouble = GDALLoading.function("OGR_F_SetFieldDouble", geo_OGR_F_SetFieldDouble_fn.self)
let OGR_F_SetFieldInteger = GDALLoading.function("OGR_F_SetFieldInteger", geo_OGR_F_SetFieldInteger_fn.self)
let OGR_F_SetFieldInteger64 = GDALLoading.function("OGR_F_SetFieldInteger64", geo_OGR_F_SetFieldInteger64_fn.self)
let OGR_F_SetFieldNull = GDALLoading.function("OGR_F_SetFieldNull", geo_OGR_F_SetFieldNull_fn.self)
let OGR_F_SetFieldString = GDALLoading.function("OGR_F_SetFieldString", geo_OGR_F_SetFieldString_fn.self)
let OGR_F_SetGeometryDirectly = GDALLoading.function("OGR_F_SetGeometryDirectly", geo_OGR_F_SetGeometryDirectly_fn.self)
let OGR_Fld_Create = GDALLoading.function("OGR_Fld_Create", geo_OGR_Fld_Create_fn.self)
let OGR_Fld_Destroy = GDALLoading.function("OGR_Fld_Destroy", geo_OGR_Fld_Destroy_fn.self)
let OGR_Fld_GetNameRef = GDALLoading.function("OGR_Fld_GetNameRef", geo_OGR_Fld_GetNameRef_fn.self)
let OGR_Fld_GetSubType = GDALLoading.function("OGR_Fld_GetSubType", geo_OGR_Fld_GetSubType_fn.self)
let OGR_Fld_GetType = GDALLoading.function("OGR_Fld_GetType", geo_OGR_Fld_GetType_fn.self)
let OGR_Fld_SetSubType = GDALLoading.function("OGR_Fld_SetSubType", geo_OGR_Fld_SetSubType_fn.self)
let OGR_GT_Flatten = GDALLoading.function("OGR_GT_Flatten", geo_OGR_GT_Flatten_fn.self)
let OGR_G_CreateGeometry = GDALLoading.function("OGR_G_CreateGeometry", geo_OGR_G_CreateGeometry_fn.self)
let OGR_G_ExportToJson = GDALLoading.function("OGR_G_ExportToJson", geo_OGR_G_ExportToJson_fn.self)
let OGR_G_GetGeometryType = GDALLoading.function("OGR_G_GetGeometryType", geo_OGR_G_GetGeometryType_fn.self)
let OGR_G_GetX = GDALLoading.function("OGR_G_GetX", geo_OGR_G_GetX_fn.self)
let OGR_G_GetY = GDALLoading.function("OGR_G_GetY", geo_OGR_G_GetY_fn.self)
let OGR_G_IsEmpty = GDALLoading.function("OGR_G_IsEmpty", geo_OGR_G_IsEmpty_fn.self)
let OGR_G_SetPoint_2D = GDALLoading.function("OGR_G_SetPoint_2D", geo_OGR_G_SetPoint_2D_fn.self)
let OGR_G_Transform = GDALLoading.function("OGR_G_Transform", geo_OGR_G_Transform_fn.self)
let OGR_L_CreateFeature = GDALLoading.function("OGR_L_CreateFeature", geo_OGR_L_CreateFeature_fn.self)
let OGR_L_CreateField = GDALLoading.function("OGR_L_CreateField", geo_OGR_L_CreateField_fn.self)
let OGR_L_GetLayerDefn = GDALLoading.function("OGR_L_GetLayerDefn", geo_OGR_L_GetLayerDefn_fn.self)
let OGR_L_GetNextFeature = GDALLoading.function("OGR_L_GetNextFeature", geo_OGR_L_GetNextFeature_fn.self)
let OGR_L_GetSpatialRef = GDALLoading.function("OGR_L_GetSpatialRef", geo_OGR_L_GetSpatialRef_fn.self)
let OGR_L_ResetReading = GDALLoading.function("OGR_L_ResetReading", geo_OGR_L_ResetReading_fn.self)
let OSRClone = GDALLoading.function("OSRClone", geo_OSRClone_fn.self)
let OSRImportFromEPSG = GDALLoading.function("OSRImportFromEPSG", geo_OSRImportFromEPSG_fn.self)
let OSRIsSame = GDALLoading.function("OSRIsSame", geo_OSRIsSame_fn.self)
let OSRNewSpatialReference = GDALLoading.function("OSRNewSpatialReference", geo_OSRNewSpatialReference_fn.self)
let OSRRelease = GDALLoading.function("OSRRelease", geo_OSRRelease_fn.self)
let OSRSetAxisMappingStrategy = GDALLoading.function("OSRSetAxisMappingStrategy", geo_OSRSetAxisMappingStrategy_fn.self)
let VSIFree = GDALLoading.function("VSIFree", geo_VSIFree_fn.self)
