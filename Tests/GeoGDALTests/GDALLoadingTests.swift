@testable import GeoGDAL
import Testing

/// libgdal is loaded on first use, not linked (`GDALLoading`).
@Suite struct GDALLoadingTests {
    /// A library that is not there is an error for the file being read or written, naming the
    /// library and what to install; not a crash.
    @Test func aMissingLibraryIsAnErrorForTheFile() {
        let loading = GDALLoading.load(["libgdal-not-installed.so.99"])
        var message = ""
        do {
            try GDALLibrary.check(loading, for: "events.gpkg")
        } catch {
            message = "\(error)"
        }
        let named = message.hasPrefix("events.gpkg: GDAL is needed") && message.contains("libgdal-not-installed.so.99")
            && message.contains("apt-get install libgdal32")
        #expect(named, "\(message)")
    }

    /// The installed GDAL loads, and its functions are found by name.
    @Test func theInstalledLibraryLoads() throws {
        try GDALLibrary.check(GDALLoading.handle, for: "events.gpkg")
        let loaded: Bool
        if case .success = GDALLoading.load(["libgdal.so"] + (30...45).map { "libgdal.so.\($0)" }) { loaded = true } else { loaded = false }
        #expect(loaded)
    }
}
