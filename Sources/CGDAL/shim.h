#ifndef GEO_CGDAL_SHIM_H
#define GEO_CGDAL_SHIM_H

// GDAL's C API only: raster-free vector I/O (GeoPackage, FlatGeobuf, Shapefile). Not linked:
// GeoGDAL loads libgdal when a command first needs it (`GDALLibrary`), so the other commands
// start without its ~130 shared libraries. Each function used has a pointer type here,
// `geo_<name>_fn`, for looking it up by name.
#include <gdal/gdal.h>
#include <gdal/ogr_api.h>
#include <gdal/ogr_srs_api.h>
#include <gdal/cpl_error.h>
#include <gdal/cpl_string.h>
#include <gdal/cpl_conv.h>

#if GDAL_VERSION_NUM < GDAL_COMPUTE_VERSION(3, 4, 0)
#error "geo needs GDAL 3.4 or newer (Debian 12 ships 3.6.2)"
#endif

#define GEO_GDAL_FUNCTION(name) typedef __typeof__(&name) geo_##name##_fn;
GEO_GDAL_FUNCTION(CPLErrorReset)
GEO_GDAL_FUNCTION(CPLGetLastErrorMsg)
GEO_GDAL_FUNCTION(CPLGetLastErrorType)
GEO_GDAL_FUNCTION(CPLQuietErrorHandler)
GEO_GDAL_FUNCTION(CPLSetErrorHandler)
GEO_GDAL_FUNCTION(CSLDestroy)
GEO_GDAL_FUNCTION(CSLSetNameValue)
GEO_GDAL_FUNCTION(GDALAllRegister)
GEO_GDAL_FUNCTION(GDALClose)
GEO_GDAL_FUNCTION(GDALCreate)
GEO_GDAL_FUNCTION(GDALDatasetCommitTransaction)
GEO_GDAL_FUNCTION(GDALDatasetCreateLayer)
GEO_GDAL_FUNCTION(GDALDatasetGetLayer)
GEO_GDAL_FUNCTION(GDALDatasetGetLayerCount)
GEO_GDAL_FUNCTION(GDALDatasetRollbackTransaction)
GEO_GDAL_FUNCTION(GDALDatasetStartTransaction)
GEO_GDAL_FUNCTION(GDALGetDriverByName)
GEO_GDAL_FUNCTION(GDALOpenEx)
GEO_GDAL_FUNCTION(OCTDestroyCoordinateTransformation)
GEO_GDAL_FUNCTION(OCTNewCoordinateTransformation)
GEO_GDAL_FUNCTION(OGR_FD_GetFieldCount)
GEO_GDAL_FUNCTION(OGR_FD_GetFieldDefn)
GEO_GDAL_FUNCTION(OGR_FD_GetFieldIndex)
GEO_GDAL_FUNCTION(OGR_F_Create)
GEO_GDAL_FUNCTION(OGR_F_Destroy)
GEO_GDAL_FUNCTION(OGR_F_GetFieldAsDateTimeEx)
GEO_GDAL_FUNCTION(OGR_F_GetFieldAsDouble)
GEO_GDAL_FUNCTION(OGR_F_GetFieldAsInteger)
GEO_GDAL_FUNCTION(OGR_F_GetFieldAsInteger64)
GEO_GDAL_FUNCTION(OGR_F_GetFieldAsString)
GEO_GDAL_FUNCTION(OGR_F_GetGeometryRef)
GEO_GDAL_FUNCTION(OGR_F_IsFieldSetAndNotNull)
GEO_GDAL_FUNCTION(OGR_F_SetFieldDateTimeEx)
GEO_GDAL_FUNCTION(OGR_F_SetFieldDouble)
GEO_GDAL_FUNCTION(OGR_F_SetFieldInteger)
GEO_GDAL_FUNCTION(OGR_F_SetFieldInteger64)
GEO_GDAL_FUNCTION(OGR_F_SetFieldNull)
GEO_GDAL_FUNCTION(OGR_F_SetFieldString)
GEO_GDAL_FUNCTION(OGR_F_SetGeometryDirectly)
GEO_GDAL_FUNCTION(OGR_Fld_Create)
GEO_GDAL_FUNCTION(OGR_Fld_Destroy)
GEO_GDAL_FUNCTION(OGR_Fld_GetNameRef)
GEO_GDAL_FUNCTION(OGR_Fld_GetSubType)
GEO_GDAL_FUNCTION(OGR_Fld_GetType)
GEO_GDAL_FUNCTION(OGR_Fld_SetSubType)
GEO_GDAL_FUNCTION(OGR_GT_Flatten)
GEO_GDAL_FUNCTION(OGR_G_CreateGeometry)
GEO_GDAL_FUNCTION(OGR_G_ExportToJson)
GEO_GDAL_FUNCTION(OGR_G_GetGeometryType)
GEO_GDAL_FUNCTION(OGR_G_GetX)
GEO_GDAL_FUNCTION(OGR_G_GetY)
GEO_GDAL_FUNCTION(OGR_G_IsEmpty)
GEO_GDAL_FUNCTION(OGR_G_SetPoint_2D)
GEO_GDAL_FUNCTION(OGR_G_Transform)
GEO_GDAL_FUNCTION(OGR_L_CreateFeature)
GEO_GDAL_FUNCTION(OGR_L_CreateField)
GEO_GDAL_FUNCTION(OGR_L_GetLayerDefn)
GEO_GDAL_FUNCTION(OGR_L_GetNextFeature)
GEO_GDAL_FUNCTION(OGR_L_GetSpatialRef)
GEO_GDAL_FUNCTION(OGR_L_ResetReading)
GEO_GDAL_FUNCTION(OSRClone)
GEO_GDAL_FUNCTION(OSRImportFromEPSG)
GEO_GDAL_FUNCTION(OSRIsSame)
GEO_GDAL_FUNCTION(OSRNewSpatialReference)
GEO_GDAL_FUNCTION(OSRRelease)
GEO_GDAL_FUNCTION(OSRSetAxisMappingStrategy)
GEO_GDAL_FUNCTION(VSIFree)

#endif
