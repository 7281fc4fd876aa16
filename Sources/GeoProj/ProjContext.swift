internal import CPROJ

/// A PROJ context (`PJ_CONTEXT`): one per worker, never shared across threads.
///
/// Network access (PROJ's CDN grids) is switched off so that results are the same offline and
/// online. PROJ's log messages are captured and put into `ProjError`s instead of going to
/// stderr. `proj.db` comes from the `proj-data` package (or `PROJ_DATA`).
public final class ProjContext {
    let handle: OpaquePointer
    let log: LogBox

    /// Collects the most recent PROJ log message for error reports.
    final class LogBox {
        var lastMessage: String?
    }

    public init() throws {
        guard let ctx = proj_context_create() else {
            throw ProjError.library(operation: "proj_context_create", message: "could not allocate a context")
        }
        handle = ctx
        log = LogBox()
        proj_context_set_enable_network(ctx, 0)
        proj_log_level(ctx, PJ_LOG_ERROR)
        proj_log_func(ctx, Unmanaged.passUnretained(log).toOpaque()) { userData, _, message in
            guard let userData, let message else { return }
            let box = Unmanaged<ProjContext.LogBox>.fromOpaque(userData).takeUnretainedValue()
            box.lastMessage = String(cString: message)
        }
    }

    deinit {
        proj_context_destroy(handle)
    }

    /// PROJ's release, e.g. `9.1.1`.
    public static var projVersion: String {
        "\(PROJ_VERSION_MAJOR).\(PROJ_VERSION_MINOR).\(PROJ_VERSION_PATCH)"
    }

    /// Whether PROJ may fetch grids from the network (always false for geo).
    public var isNetworkEnabled: Bool { proj_context_is_network_enabled(handle) != 0 }

    /// The current error as a `ProjError`, then cleared (`proj_context_errno`,
    /// `proj_context_errno_string`, plus the last log line when it says more).
    func takeError(_ operation: String) -> ProjError {
        let code = proj_context_errno(handle)
        var message = code != 0 ? String(cString: proj_context_errno_string(handle, code)) : "unknown error"
        if let logged = log.lastMessage, !logged.isEmpty, logged != message {
            message += " (\(logged))"
        }
        if message.contains("proj.db") {
            message += "; install Debian's proj-data package or set PROJ_DATA"
        }
        log.lastMessage = nil
        proj_errno_reset(nil)
        return .library(operation: operation, message: message)
    }
}
