#if canImport(Glibc)
import Glibc
#endif
import GeoCLI

exit(GeoMain.run(Array(CommandLine.arguments.dropFirst())))
