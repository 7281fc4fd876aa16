import Foundation

/// Where the bundled data lives (the `Gazetteer/` folder: places, countries, vocabulary), for
/// every module that reads it.
public enum BundledData {
    /// The bundled data folder: `GEO_GAZETTEER_DATA`, else a `Gazetteer/` folder found next to or
    /// above the executable, else the source checkout this module was built from.
    public static func directory() -> String? {
        let fm = FileManager.default
        func valid(_ dir: String) -> Bool { fm.fileExists(atPath: dir + "/places.tsv") }
        if let env = ProcessInfo.processInfo.environment["GEO_GAZETTEER_DATA"], !env.isEmpty {
            return env
        }
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            for candidate in [dir.appendingPathComponent("Gazetteer").path, dir.appendingPathComponent("share/geo/Gazetteer").path] where valid(candidate) {
                return candidate
            }
            dir = dir.deletingLastPathComponent()
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Gazetteer").path
        return valid(source) ? source : nil
    }
}
