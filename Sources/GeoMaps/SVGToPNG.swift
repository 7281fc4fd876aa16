import Foundation

/// SVG → PNG for maps and timelines through librsvg's `rsvg-convert` (Debian package
/// `librsvg2-bin`), run as an external program on a temporary copy of the SVG (a pipe both
/// ways could fill and block).
public enum SVGToPNG {
    /// The program: `GEO_RSVG_CONVERT` when set, else `rsvg-convert` on `PATH`; nil when missing.
    public static func converterPath() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let given = env["GEO_RSVG_CONVERT"], !given.isEmpty {
            return FileManager.default.isExecutableFile(atPath: given) ? given : nil
        }
        for dir in (env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !dir.isEmpty {
            let path = String(dir) + "/rsvg-convert"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    public static let missingConverterMessage =
        "PNG output needs rsvg-convert, which is not installed: install the Debian/Ubuntu package librsvg2-bin (apt-get install librsvg2-bin; on macOS brew install librsvg), or write .svg"

    /// Throws `MapError` naming the package to install when `rsvg-convert` is missing.
    public static func checkInstalled() throws {
        if converterPath() == nil { throw MapError(missingConverterMessage) }
    }

    /// The PNG bytes of an SVG text drawn at `zoom` times its pixel size (2: a 1200 px map
    /// becomes 2400 px wide, sharp on paper and on high-density screens) on white. Throws
    /// `MapError` when `rsvg-convert` is missing or fails.
    public static func render(svg: String, zoom: Double = 2) throws -> [UInt8] {
        guard let converter = converterPath() else { throw MapError(missingConverterMessage) }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("geo-png-\(UUID().uuidString)")
        do { try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true) } catch {
            throw MapError("cannot make a temporary folder: \(error)")
        }
        defer { try? FileManager.default.removeItem(at: dir) }
        let input = dir.appendingPathComponent("picture.svg"), output = dir.appendingPathComponent("picture.png")
        do { try Data(svg.utf8).write(to: input) } catch { throw MapError("cannot write a temporary SVG: \(error)") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: converter)
        // --unlimited: a map of 100,000 events is a large SVG, past librsvg's default limits.
        process.arguments = ["--unlimited", "--zoom", String(zoom), "--format", "png", "--background-color", "white", "--output", output.path, input.path]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        do { try process.run() } catch { throw MapError("cannot run \(converter): \(error)") }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, let png = try? Data(contentsOf: output), !png.isEmpty else {
            let reason = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw MapError("rsvg-convert failed (status \(process.terminationStatus))\(reason.isEmpty ? "" : ": " + reason)")
        }
        return [UInt8](png)
    }
}
