#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import GeoCore

/// Refuses, before anything is read or written, a run whose output file is one of its inputs
/// (under any path or link) or another of its outputs. `AtomicFileSink.commit()` checks inputs
/// again when the file is put in place.
enum OutputSafety {
    /// - Parameters:
    ///   - inputs: input paths (`-` and missing files are skipped).
    ///   - outputs: each output with the option that names it, for the message.
    static func check(inputs: [String], outputs: [(option: String, path: String?)]) throws {
        let inputIDs = inputs.compactMap { path in FileIdentity(path: path).map { (path, $0) } }
        var seen: [(option: String, path: String, key: String)] = []
        for case let (option, path?) in outputs where path != "-" {
            if let id = FileIdentity(path: path), let input = inputIDs.first(where: { $0.1 == id }) {
                let same = input.0 == path ? "" : " (\(input.0))"
                throw ValidationError(
                    "\(option) \(path) is also an input\(same); refusing to overwrite it, write to another file")
            }
            let key = identityKey(path)
            if let other = seen.first(where: { $0.key == key }) {
                throw ValidationError("\(option) \(path) and \(other.option) \(other.path) name the same file; give them different files")
            }
            seen.append((option, path, key))
        }
    }

    /// The device and inode of an existing file, else the absolute path with its folder resolved.
    private static func identityKey(_ path: String) -> String {
        if let id = FileIdentity(path: path) { return "\(id.device):\(id.inode)" }
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { String(path[...$0]) } ?? "."
        let base = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard let resolved = realpath(folder.isEmpty ? "/" : folder, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved) + "/" + base
    }
}
