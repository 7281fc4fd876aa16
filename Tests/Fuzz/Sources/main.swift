#if canImport(Glibc)
import Glibc
#endif
// geo-fuzz: every geo fuzz target in one libFuzzer binary, built only by scripts/fuzz (GEO_FUZZ=1
// declares this executable in Package.swift, and the build passes -sanitize=fuzzer,address). One
// binary holds all targets so the instrumented library modules are compiled and linked once;
// GEO_FUZZ_TARGET picks the target, the arguments are libFuzzer's.
//
// SwiftPM renames an executable's `main` (to `geo_fuzz_main`, for testability), so libFuzzer's own
// `main` is not used: this top-level code hands control to libFuzzer's driver instead.

@_extern(c, "LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
